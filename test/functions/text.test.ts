/** Text functions: the semantics that are easy to get wrong (UTF-16 counting, out-of-range arguments, blanks, padding). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFormula, type WireResult } from '../../src/index.js';
import { runs } from '../helpers/runs.js';

const RUNS = { numRuns: runs(2_000) };

function run(formula: string, fields: Record<string, unknown> = {}, record: Record<string, unknown> = {}): WireResult {
  const f = compileFormula(formula, { fields });
  if (!f.ok) throw new Error(`${formula}: ${f.diagnostics.map((d) => d.message).join('; ')}`);
  return f.evaluateToWire({ record });
}

/** The value of a formula over one Text field `s` (and optional number `n`). */
function value(formula: string, record: Record<string, unknown> = {}, fields: Record<string, unknown> = { s: 'Text', t: 'Text', n: 'Number' }): unknown {
  const r = run(formula, fields, record);
  if ('error' in r) throw new Error(`${formula}: ${r.error.message}`);
  return r.value;
}

/** Text including astral characters, so UTF-16 counting is exercised. */
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', ' ', '-', 'é', '😀', '𠮟'), maxLength: 12 });

describe('UTF-16 counting (Salesforce KB 005166849)', () => {
  it('counts a surrogate pair as two characters', () => {
    expect(value('LEN("𠮟")')).toBe('2');
    expect(value('LEN("a😀b")')).toBe('4');
  });

  it('LEFT can split a surrogate pair, and concatenation puts it back together', () => {
    const high = value('LEFT("😀", 1)') as string;
    expect(high.length).toBe(1);
    expect(high.charCodeAt(0)).toBe(0xd83d);
    expect(value('LEFT(s, 1) & MID(s, 2, 1)', { s: '😀' })).toBe('😀');
  });

  it('LEN agrees with the JS UTF-16 length for any text', () => {
    const f = compileFormula('LEN(s)', { fields: { s: 'Text' } });
    fc.assert(
      fc.property(text, (s) => {
        expect(f.evaluateToWire({ record: { s } })).toEqual({ type: 'Number', value: String(s.length) });
      }),
      RUNS,
    );
  });
});

describe('LEFT, MID and RIGHT with out-of-range arguments', () => {
  const left = compileFormula('LEFT(s, n)', { fields: { s: 'Text', n: 'Number' } });
  const right = compileFormula('RIGHT(s, n)', { fields: { s: 'Text', n: 'Number' } });
  const mid = compileFormula('MID(s, n, m)', { fields: { s: 'Text', n: 'Number', m: 'Number' } });
  const out = (r: WireResult) => ('error' in r ? r : (r.value ?? ''));

  it('LEFT(s, n) is the first max(0, n) code units', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: -20, max: 20 }), (s, n) => {
        let expected = '';
        for (let i = 0; i < n && i < s.length; i++) expected += s[i];
        expect(out(left.evaluateToWire({ record: { s, n } }))).toBe(expected);
      }),
      RUNS,
    );
  });

  it('RIGHT(s, n) is the last max(0, n) code units', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: -20, max: 20 }), (s, n) => {
        let expected = '';
        for (let i = Math.max(0, s.length - n); i < s.length && n > 0; i++) expected += s[i];
        expect(out(right.evaluateToWire({ record: { s, n } }))).toBe(expected);
      }),
      RUNS,
    );
  });

  it('MID(s, start, count) clamps start to 1 and count to 0', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: -5, max: 20 }), fc.integer({ min: -5, max: 20 }), (s, start, count) => {
        let expected = '';
        const from = Math.max(1, start);
        for (let i = from - 1; i < from - 1 + count && i < s.length; i++) expected += s[i];
        expect(out(mid.evaluateToWire({ record: { s, n: start, m: count } }))).toBe(expected);
      }),
      RUNS,
    );
  });

  it('truncate fractional counts and positions, as Java intValue() does (except RIGHT: blank in the org, issue 17 replay of sformula fixture `RIGHT(Text01__c, Number01__c)`)', () => {
    expect(value('LEFT("abcdef", 2.99)')).toBe('ab');
    expect(value('LEFT("abcdef", -0.5)')).toBeNull();
    expect(value('MID("abcdef", 2.99, 2.99)')).toBe('bc');
    expect(value('RIGHT("abcdef", 2.5)')).toBeNull();
    expect(value('RIGHT("abcdef", 0.5)')).toBeNull();
  });

  it('MID compares start_num with the length before truncating it', () => {
    expect(value('MID("abc", 3, 1)')).toBe('c');
    expect(value('MID("abc", 3.5, 1)')).toBeNull();
  });

  it('huge counts do not overflow', () => {
    expect(value('LEFT("abc", 1000000000000000000000000)')).toBe('abc');
    expect(value('LEFT("abc", -1000000000000000000000000)')).toBeNull();
    expect(value('MID("abc", 2, 10000000000000000000000)')).toBe('bc');
    expect(value('RIGHT("abc", 10000000000000000000000)')).toBe('abc');
  });
});

describe('FIND', () => {
  const find = compileFormula('FIND(t, s, n)', { fields: { s: 'Text', t: 'Text', n: 'Number' } });

  it('is 1-based, searches from start_num, returns 0 when absent and 0 for a start_num of 0 or less (help customize_functions_find)', () => {
    fc.assert(
      fc.property(text, fc.string({ unit: fc.constantFrom('a', 'A', '😀'), minLength: 1, maxLength: 2 }), fc.integer({ min: -3, max: 15 }), (s, t, n) => {
        let expected = 0;
        for (let i = n <= 0 ? Infinity : n - 1; i + t.length <= s.length; i++) {
          if (s.slice(i, i + t.length) === t) {
            expected = i + 1;
            break;
          }
        }
        expect(find.evaluateToWire({ record: { s, t, n } })).toEqual({ type: 'Number', value: String(expected) });
      }),
      RUNS,
    );
  });

  it('gives 0 for blank search_text or text, and treats a blank start_num as 1', () => {
    expect(value('FIND(t, s)', { s: 'abc' })).toBe('0');
    expect(value('FIND(t, s)', { t: 'a' })).toBe('0');
    expect(value('FIND("b", s, n)', { s: 'abc' })).toBe('2');
  });

  it('truncates a fractional start_num', () => {
    expect(value('FIND("a", "aaaa", 2.99)')).toBe('2');
    expect(value('FIND("a", "aaaa", 3)')).toBe('3');
    expect(value('FIND("a", "aaaa", 0.4)')).toBe('1');
  });
});

describe('BEGINS and CONTAINS with blanks', () => {
  it('are TRUE for a blank compare_text and blank for blank text', () => {
    expect(value('BEGINS(s, t)', {})).toBe(true);
    expect(value('CONTAINS(s, t)', {})).toBe(true);
    expect(value('CONTAINS("abc", t)', {})).toBe(true);
    expect(value('BEGINS(s, "a")', {})).toBeNull();
    expect(value('CONTAINS(s, "a")', {})).toBeNull();
    expect(value('NOT(CONTAINS(s, "a"))', {})).toBeNull();
    expect(value('IF(CONTAINS(s, "a"), "yes", "no")', {})).toBe('no');
  });

  it('are case-sensitive and match exactly', () => {
    expect(value('BEGINS("Salesforce", "Sales")')).toBe(true);
    expect(value('BEGINS("Salesforce", "sales")')).toBe(false);
    expect(value('CONTAINS("Salesforce", "Force")')).toBe(false);
    expect(value('CONTAINS("a.b", ".")')).toBe(true);
  });
});

describe('LPAD and RPAD', () => {
  const lpad = compileFormula('LPAD(s, n, t)', { fields: { s: 'Text', t: 'Text', n: 'Number' } });
  const rpad = compileFormula('RPAD(s, n, t)', { fields: { s: 'Text', t: 'Text', n: 'Number' } });
  const nonEmpty = fc.string({ unit: fc.constantFrom('a', 'b', '😀'), minLength: 1, maxLength: 8 });

  it('always return exactly padded_length code units for non-blank text', () => {
    fc.assert(
      fc.property(nonEmpty, nonEmpty, fc.integer({ min: 1, max: 30 }), (s, t, n) => {
        for (const [f, left] of [
          [lpad, true],
          [rpad, false],
        ] as const) {
          const r = f.evaluateToWire({ record: { s, t, n } });
          if ('error' in r) throw new Error(r.error.message);
          const out = r.value as string;
          expect(out.length).toBe(n);
          if (n <= s.length) expect(out).toBe(s.slice(0, n));
          else if (left) {
            expect(out.endsWith(s)).toBe(true);
            expect(out.startsWith(t.slice(0, Math.min(t.length, n - s.length)))).toBe(true);
          } else {
            expect(out.startsWith(s)).toBe(true);
            expect(out.slice(s.length, s.length + Math.min(t.length, n - s.length))).toBe(t.slice(0, Math.min(t.length, n - s.length)));
          }
        }
      }),
      RUNS,
    );
  });

  it('default pad_string is one space', () => {
    expect(value('LPAD("ab", 5)')).toBe('   ab');
    expect(value('RPAD("ab", 5)')).toBe('ab   ');
  });

  it('truncate text longer than padded_length, keeping its start', () => {
    expect(value('LPAD("abcdef", 3, "x")')).toBe('abc');
    expect(value('RPAD("abcdef", 3, "x")')).toBe('abc');
  });

  it('give blank for blank text, a blank pad_string or a non-positive length', () => {
    expect(value('LPAD(s, 5, "0")', {})).toBeNull();
    expect(value('RPAD("ab", 5, t)', {})).toBeNull();
    expect(value('LPAD("ab", 0)')).toBeNull();
    expect(value('RPAD("ab", -3)')).toBeNull();
  });

  it('refuse to build text beyond the limit without allocating it first', () => {
    // Allocating 10^15 characters first would throw a RangeError (or run out of memory), not give
    // the typed error: the outcome shows the check came first, with no clock.
    const r = run('LPAD("a", 1000000000000000)');
    expect(r).toMatchObject({ error: { code: 'E_TEXT_TOO_LONG' } });
  });
});

describe('SUBSTITUTE', () => {
  it('replaces left to right without rescanning replacements', () => {
    expect(value('SUBSTITUTE("aaa", "a", "aa")')).toBe('aaaaaa');
    expect(value('SUBSTITUTE("aaaa", "aa", "a")')).toBe('aa');
    expect(value('SUBSTITUTE("abab", "ab", "ba")')).toBe('baba');
  });

  it('gives blank for a blank text, and the text unchanged for a blank old_text (org: sformula fixture `SUBSTITUTE(Text01__c, Text02__c, \'*\')` on {Text01__c: abc} is "abc")', () => {
    expect(value('SUBSTITUTE(s, "a", "b")', {})).toBeNull();
    expect(value('SUBSTITUTE("abc", t, "b")', {})).toBe('abc');
    expect(value('SUBSTITUTE("abc", "b", t)', {})).toBe('ac');
  });

  it('treats special characters literally (no regular expressions)', () => {
    expect(value('SUBSTITUTE("a.b.c", ".", "$&")')).toBe('a$&b$&c');
    expect(value('SUBSTITUTE("(x)", "(", "[")')).toBe('[x)');
  });

  it('guards against exponential growth', () => {
    const big = 'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(LPAD("a", 100, "a"), "a", "aaaaaaaaaaaaaaaaaaaa"), "a", "aaaaaaaaaaaaaaaaaaaa"), "a", "aaaaaaaaaaaaaaaaaaaa"), "a", "aaaaaaaaaaaaaaaaaaaa")';
    expect(compileFormula(big, { budget: { maxTextLength: 1_000_000 } }).evaluateToWire()).toMatchObject({
      error: { code: 'E_TEXT_TOO_LONG', message: 'Text result is too long (16000000 characters). Maximum is 1000000' },
    });
    expect(run(big)).toMatchObject({ error: { code: 'E_TEXT_TOO_LONG', message: 'Text result is too long (800000 characters). Maximum is 131072' } });
  });
});

describe('TRIM, UPPER and LOWER', () => {
  it('TRIM removes leading and trailing spaces only', () => {
    expect(value('TRIM(s)', { s: '  a  b  ' })).toBe('a  b');
    expect(value('TRIM(s)', { s: '\t a \n' })).toBe('\t a \n');
    expect(value('TRIM(s)', { s: ' \u00a0x\u00a0 ' })).toBe('\u00a0x\u00a0');
    expect(value('TRIM(s)', { s: '    ' })).toBeNull();
  });

  it('apply locale rules when a locale is given', () => {
    expect(value('UPPER("i", "tr")')).toBe('İ');
    expect(value('UPPER("i")')).toBe('I');
    expect(value('LOWER("I", "tr")')).toBe('ı');
    expect(value('LOWER("I", "en_US")')).toBe('i');
    expect(value('UPPER("i", s)', { s: 'tr' })).toBe('İ');
    expect(value('UPPER("abc", s)', { s: '!!' })).toBe('ABC');
  });
});

describe('CASESAFEID', () => {
  const casesafe = compileFormula('CASESAFEID(s)', { fields: { s: 'Id' } });
  const idChar = fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));

  it('appends a suffix that encodes which characters are upper case', () => {
    fc.assert(
      fc.property(fc.string({ unit: idChar, minLength: 15, maxLength: 15 }), (id) => {
        const r = casesafe.evaluateToWire({ record: { s: id } });
        if ('error' in r) throw new Error(r.error.message);
        const out = r.value as string;
        expect(out.slice(0, 15)).toBe(id);
        expect(out).toHaveLength(18);
        // Decode the suffix independently and compare with the case of each character.
        for (let block = 0; block < 3; block++) {
          const bits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'.indexOf(out[15 + block] as string);
          for (let i = 0; i < 5; i++) {
            const c = id[block * 5 + i] as string;
            expect(((bits >> i) & 1) === 1).toBe(c >= 'A' && c <= 'Z');
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('makes IDs that differ only in case distinct case-insensitively', () => {
    const a = value('CASESAFEID("001000000000aBc")') as string;
    const b = value('CASESAFEID("001000000000AbC")') as string;
    expect(a.toLowerCase()).not.toBe(b.toLowerCase());
  });

  it('leaves values that are not 15 characters long unchanged', () => {
    expect(value('CASESAFEID("abc")')).toBe('abc');
    expect(value('CASESAFEID("003G000001SUbc4IAD")')).toBe('003G000001SUbc4IAD');
  });
});

describe('compile-time checks', () => {
  const diagnostics = (formula: string, fields: Record<string, unknown>) => compileFormula(formula, { fields }).diagnostics.map((d) => [d.code, d.message]);

  it('INCLUDES and ISPICKVAL require a text literal', () => {
    expect(diagnostics('INCLUDES(m, t)', { m: 'MultiPicklist', t: 'Text' })).toEqual([
      ['E_INVALID_ARGUMENT', "The text_literal parameter of function 'INCLUDES()' must be a literal value"],
    ]);
    expect(diagnostics('INCLUDES(m, "\t")', { m: 'MultiPicklist' })).toEqual([['E_INVALID_ARGUMENT', "The text_literal parameter of function 'INCLUDES()' must not be blank"]]);
    expect(diagnostics('INCLUDES(m, NULL)', { m: 'MultiPicklist' })).toEqual([['E_INVALID_ARGUMENT', "The text_literal parameter of function 'INCLUDES()' must not be blank"]]);
    expect(diagnostics('ISPICKVAL(p, TEXT(p))', { p: 'Picklist' })).toEqual([
      ['E_INVALID_ARGUMENT', "The text_literal parameter of function 'ISPICKVAL()' must be a literal value"],
    ]);
  });

  it('text functions do not accept picklists directly', () => {
    expect(diagnostics('LEN(p)', { p: 'Picklist' })[0]?.[0]).toBe('E_PICKLIST_USAGE');
    expect(diagnostics('LEN(TEXT(p))', { p: 'Picklist' })).toEqual([]);
  });
});

describe('blank handling with "treat blank fields as zeroes"', () => {
  it('reads blank text as empty text', () => {
    const f = compileFormula('LEN(s) + FIND("a", s)', { fields: { s: 'Text' }, blankAs: 'zero' });
    expect(f.evaluateToWire({ record: {} })).toEqual({ type: 'Number', value: '0' });
  });
});
