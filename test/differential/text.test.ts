/** Differential tests of the text functions against sformula. */
import fc from 'fast-check';
import { cases, countText, FIELD, maybe, numberText, numericLookingText, text, textOf, type FieldGen } from './arbitraries.js';
import type { Case, Property, WireInput } from './harness.js';
import { TEXT_FUNCTIONS } from './families.js';
import { familySuite } from './suite.js';

const { Number: N, Currency: C, Percent: P, Text: T, Date: D, DateTime: DT, Time: TM, Boolean: B } = FIELD;

const p = (name: string, arbitrary: fc.Arbitrary<Case>, runs: number): Property => ({ name, arbitrary, runs });

const count: FieldGen = ['Number', maybe(countText)];
/** Pad lengths stay small: sformula builds an array of the padding length. */
const padCount: FieldGen = ['Number', maybe(countText.filter((s) => Number(s) <= 1000))];

/** A text and a part of it (prefix, infix or suffix), or another text, or blank. */
const textWithPart: fc.Arbitrary<[WireInput, WireInput]> = fc
  .tuple(maybe(text), fc.nat(), fc.nat(), fc.constantFrom('prefix', 'infix', 'suffix', 'other', 'blank'), text)
  .map(([t, i, j, kind, other]): [WireInput, WireInput] => {
    if (t === null) return [null, kind === 'blank' ? null : other];
    // A part has at least one character when the text has one (blank parts have their own kind).
    const from = kind === 'prefix' ? 0 : i % Math.max(1, t.length);
    const to = kind === 'suffix' ? t.length : Math.min(t.length, from + 1 + (j % Math.max(1, t.length - from)));
    if (kind === 'other') return [t, other];
    if (kind === 'blank') return [t, j % 2 === 0 ? null : ''];
    return [t, t.slice(from, to)];
  });

/** Cases over `a` (a text) and `b` (a part of it), plus extra fields. */
const withPart = (fn: string, formula: string, extra: readonly FieldGen[] = []): fc.Arbitrary<Case> =>
  fc.tuple(textWithPart, cases(fn, formula, extra)).map(([[a, b], c]) => {
    const shifted = Object.fromEntries(Object.entries(c.record).map(([k, v]) => [String.fromCharCode(k.charCodeAt(0) + 2), v]));
    const fields = Object.fromEntries(Object.entries(c.fields).map(([k, v]) => [String.fromCharCode(k.charCodeAt(0) + 2), v]));
    return { ...c, fields: { a: 'Text', b: 'Text', ...fields }, record: { a, b, ...shifted } };
  });

/** 15- and 18-character record IDs, and other lengths. */
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('');
const recordId = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.constantFrom(...ID_CHARS), { minLength: 15, maxLength: 15 }).map((a) => a.join('')) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...ID_CHARS), { minLength: 18, maxLength: 18 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...ID_CHARS), { maxLength: 20 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('003G000001SUbc4', '001000000000000', 'AAAAAAAAAAAAAAA', 'zzzzzzzzzzzzzzz', '00Q5g00000AbCdE') },
);

/** The 18-character form of a 15-character ID (Salesforce's checksum), written out independently of the engine. */
function withChecksum(id: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) if (/[A-Z]/.test(id.charAt(block * 5 + i))) bits |= 1 << i;
    suffix += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'.charAt(bits);
  }
  return id + suffix;
}

/** An Id field holds a 15-character ID or its valid 18-character form. */
const idValue = fc.tuple(fc.array(fc.constantFrom(...ID_CHARS), { minLength: 15, maxLength: 15 }), fc.boolean()).map(([a, long]) => (long ? withChecksum(a.join('')) : a.join('')));

const PAD = ['Text', maybe(fc.oneof(textOf(['*', '-', 'ab', ' ', '0', '😀']), fc.constantFrom('0', '-', 'xy', '')), 6)] as const satisfies FieldGen;

const properties: Property[] = [
  p('BEGINS', fc.oneof(withPart('BEGINS', 'BEGINS(a, b)'), withPart('BEGINS', 'IF(BEGINS(a, b), "y", "n")')), 2000),
  p('CONTAINS', fc.oneof(withPart('CONTAINS', 'CONTAINS(a, b)'), withPart('CONTAINS', 'IF(CONTAINS(a, b), "y", "n")')), 2000),
  p('FIND', fc.oneof(withPart('FIND', 'FIND(b, a)'), withPart('FIND', 'FIND(b, a, c)', [count]), withPart('FIND', 'FIND(b, a, 2)')), 2400),
  p('LEFT', fc.oneof(cases('LEFT', 'LEFT(a, b)', [T, count]), cases('LEFT', '"[" & LEFT(a, b) & "]"', [T, count])), 2000),
  p('RIGHT', fc.oneof(cases('RIGHT', 'RIGHT(a, b)', [T, count]), cases('RIGHT', '"[" & RIGHT(a, b) & "]"', [T, count])), 2000),
  p('MID', fc.oneof(cases('MID', 'MID(a, b, c)', [T, count, count]), cases('MID', '"[" & MID(a, b, c) & "]"', [T, count, count]), cases('MID', 'MID(a, 2, b)', [T, count])), 2400),
  p('LEN', fc.oneof(cases('LEN', 'LEN(a)', [T]), cases('LEN', 'LEN(a & b)', [T, T])), 2000),
  p('LOWER', fc.oneof(cases('LOWER', 'LOWER(a)', [T]), cases('LOWER', '"[" & LOWER(a) & "]"', [T])), 2000),
  p('UPPER', fc.oneof(cases('UPPER', 'UPPER(a)', [T]), cases('UPPER', '"[" & UPPER(a) & "]"', [T])), 2000),
  p('LPAD', fc.oneof(cases('LPAD', 'LPAD(a, b)', [T, padCount]), cases('LPAD', 'LPAD(a, b, c)', [T, padCount, PAD]), cases('LPAD', '"[" & LPAD(a, b, "0") & "]"', [T, padCount])), 2400),
  p('RPAD', fc.oneof(cases('RPAD', 'RPAD(a, b)', [T, padCount]), cases('RPAD', 'RPAD(a, b, c)', [T, padCount, PAD]), cases('RPAD', '"[" & RPAD(a, b, ".") & "]"', [T, padCount])), 2400),
  p(
    'SUBSTITUTE',
    fc.oneof(withPart('SUBSTITUTE', 'SUBSTITUTE(a, b, c)', [T]), withPart('SUBSTITUTE', 'SUBSTITUTE(a, b, "")'), withPart('SUBSTITUTE', '"[" & SUBSTITUTE(a, b, "<>") & "]"')),
    2400,
  ),
  p('TRIM', fc.oneof(cases('TRIM', 'TRIM(a)', [T]), cases('TRIM', '"[" & TRIM(a) & "]"', [T]), cases('TRIM', 'LEN(TRIM(a))', [T])), 2000),
  p(
    'TEXT',
    fc.oneof(
      { weight: 4, arbitrary: cases('TEXT', 'TEXT(a)', [N]) },
      { weight: 1, arbitrary: cases('TEXT', 'TEXT(a)', [C]) },
      { weight: 1, arbitrary: cases('TEXT', 'TEXT(a)', [P]) },
      { weight: 2, arbitrary: cases('TEXT', 'TEXT(a * b)', [N, N]) },
      { weight: 1, arbitrary: cases('TEXT', 'TEXT(a / b)', [N, ['Number', fc.constantFrom('3', '7', '-4', '0.3', '1024', '999999')]]) },
      { weight: 2, arbitrary: cases('TEXT', 'TEXT(a)', [D]) },
      { weight: 2, arbitrary: cases('TEXT', 'TEXT(a)', [DT]) },
      { weight: 2, arbitrary: cases('TEXT', 'TEXT(a)', [TM]) },
      { weight: 1, arbitrary: cases('TEXT', 'TEXT(a)', [B]) },
      { weight: 1, arbitrary: cases('TEXT', 'TEXT(a)', [['Picklist', maybe(fc.constantFrom('a', 'B c', ' x ', ''))]]) },
    ),
    3000,
  ),
  p('VALUE', fc.oneof(cases('VALUE', 'VALUE(a)', [['Text', maybe(numericLookingText)]]), cases('VALUE', 'VALUE(a)', [['Text', maybe(numberText)]])), 2000),
  p(
    'CASESAFEID',
    fc.oneof(cases('CASESAFEID', 'CASESAFEID(a)', [['Text', maybe(recordId)]]), cases('CASESAFEID', 'CASESAFEID(a)', [['Id', maybe(idValue)]]), cases('CASESAFEID', 'CASESAFEID(a)', [T])),
    2000,
  ),
];

familySuite('text', TEXT_FUNCTIONS, properties);
