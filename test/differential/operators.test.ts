/** Differential tests of the operators against sformula. */
import fc from 'fast-check';
import { boundedNumber, cases, casesWith, FIELD, maybe, numberText, numericOptions, timeOfDayMs, type FieldGen } from './arbitraries.js';
import type { Case, Property } from './harness.js';
import { OPERATORS } from './families.js';
import { familySuite } from './suite.js';

const { Number: N, Currency: C, Percent: P, Text: T, Date: D, DateTime: DT, Time: TM, Boolean: B } = FIELD;

/** Day counts that keep most results inside 1700–4000, sometimes fractional. */
const days: FieldGen = ['Number', maybe(fc.oneof(boundedNumber(400, 3), boundedNumber(40_000, 2)))];
/** Milliseconds for Time arithmetic, sometimes more than a day or negative. */
const millis: FieldGen = ['Number', maybe(fc.oneof(timeOfDayMs.map(String), fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }).map(String), boundedNumber(10_000, 3)))];
/** Exponents: small integers, sometimes fractional. */
const exponent: FieldGen = ['Number', maybe(fc.oneof({ weight: 5, arbitrary: fc.integer({ min: -8, max: 12 }).map(String) }, { weight: 1, arbitrary: boundedNumber(5, 2) }))];
const base: FieldGen = ['Number', maybe(fc.oneof(boundedNumber(50, 3), numberText.filter((s) => Math.abs(Number(s)) < 1e6)))];

const p = (name: string, arbitrary: fc.Arbitrary<Case>, runs: number): Property => ({ name, arbitrary, runs });

const comparisons = (op: string, spelled: string = op): Property[] => [
  p(`${op} numbers`, casesWith(op, `a ${spelled} b`, [N, N], fc.record({ blankAs: fc.constantFrom('blank' as const, 'zero' as const) })), 700),
  p(`${op} currency and percent`, fc.oneof(cases(op, `a ${spelled} b`, [C, N]), cases(op, `a ${spelled} b`, [P, N])), 200),
  p(`${op} dates`, cases(op, `a ${spelled} b`, [D, D]), 400),
  p(`${op} date/times`, cases(op, `a ${spelled} b`, [DT, DT]), 400),
  p(`${op} times`, cases(op, `a ${spelled} b`, [TM, TM]), 400),
];

/** Equal dates, times and numbers are rare at random: pair a value with itself half the time. */
const sameOrOther = (gen: FieldGen): fc.Arbitrary<[string | null, string | null]> =>
  fc.oneof(
    fc.tuple(gen[1], gen[1]) as fc.Arbitrary<[string | null, string | null]>,
    (gen[1] as fc.Arbitrary<string | null>).map((v): [string | null, string | null] => [v, v]),
  );

const equalityOn = (op: string, spelled: string, gen: FieldGen, runs: number): Property =>
  p(
    `${op} ${gen[0]} (${spelled})`,
    sameOrOther(gen).map(([a, b]) => ({ fn: op, formula: `a ${spelled} b`, fields: { a: gen[0], b: gen[0] }, record: { a, b } })),
    runs,
  );

const equality = (op: string, alias: string): Property[] => [
  equalityOn(op, op, N, 400),
  equalityOn(op, alias, N, 200),
  equalityOn(op, op, T, 400),
  equalityOn(op, alias, T, 200),
  equalityOn(op, op, D, 300),
  equalityOn(op, op, DT, 200),
  equalityOn(op, op, TM, 200),
  p(`${op} booleans`, fc.oneof(cases(op, `a ${op} b`, [B, B]), cases(op, `a ${alias} b`, [B, B]), cases(op, `(a > 0) ${op} (b > 0)`, [N, N])), 300),
];

const properties: Property[] = [
  // + and -
  p('+ numbers', casesWith('+', 'a + b', [N, N], numericOptions), 700),
  p('+ currency and percent', fc.oneof(cases('+', 'a + b', [C, N]), cases('+', 'a + b', [P, N]), cases('+', 'a + b', [C, C])), 300),
  p('+ text', cases('+', 'a + b', [T, T]), 300),
  p('+ date and days', cases('+', 'a + b', [D, days]), 400),
  p('+ date/time and days', cases('+', 'a + b', [DT, days]), 400),
  p('+ time and milliseconds', cases('+', 'a + b', [TM, millis]), 300),
  p('- numbers', casesWith('-', 'a - b', [N, N], numericOptions), 700),
  p('- currency and percent', fc.oneof(cases('-', 'a - b', [C, N]), cases('-', 'a - b', [P, P])), 200),
  p('- dates', cases('-', 'a - b', [D, D]), 300),
  p('- date and days', cases('-', 'a - b', [D, days]), 300),
  p('- date/times', cases('-', 'a - b', [DT, DT]), 300),
  p('- date/time and days', cases('-', 'a - b', [DT, days]), 300),
  p('- times', cases('-', 'a - b', [TM, TM]), 200),
  p('- time and milliseconds', cases('-', 'a - b', [TM, millis]), 200),
  // & * / ^
  p('& text', fc.oneof(cases('&', 'a & b', [T, T]), cases('&', 'a & " " & b', [T, T]), cases('&', '"[" & a & "]"', [T])), 2000),
  p('* numbers', casesWith('*', 'a * b', [N, N], numericOptions), 1500),
  p('* currency and percent', fc.oneof(cases('*', 'a * b', [C, N]), cases('*', 'a * b', [P, N]), cases('*', 'a * b', [P, P])), 500),
  p('/ numbers', casesWith('/', 'a / b', [N, N], numericOptions), 1500),
  p('/ small divisors', cases('/', 'a / b', [N, ['Number', maybe(fc.constantFrom('0', '1', '-1', '3', '7', '0.3', '-0.001', '1000000'))]]), 500),
  p('^ powers', casesWith('^', 'a ^ b', [base, exponent], numericOptions), 2000),
  // comparisons
  ...equality('=', '=='),
  ...equality('<>', '!='),
  ...comparisons('<'),
  ...comparisons('<='),
  ...comparisons('>'),
  ...comparisons('>='),
  // unary and logical
  p('! booleans', fc.oneof(cases('!', '!a', [B]), cases('!', '!(a > b)', [N, N]), cases('!', '!!a', [B])), 2000),
  p('unary - numbers', fc.oneof(casesWith('unary -', '-a', [N], numericOptions), cases('unary -', '-a * b', [N, N]), cases('unary -', '- -a', [N]), cases('unary -', '-a', [C])), 2000),
  p('unary + numbers', fc.oneof(casesWith('unary +', '+a', [N], numericOptions), cases('unary +', '+a - b', [N, N]), cases('unary +', '+a', [C])), 2000),
  p('&& booleans', fc.oneof(cases('&&', 'a && b', [B, B]), cases('&&', '(a > 0) && (b > 0)', [N, N]), cases('&&', 'a && b && c', [B, B, B])), 2000),
  p('|| booleans', fc.oneof(cases('||', 'a || b', [B, B]), cases('||', '(a > 0) || (b > 0)', [N, N]), cases('||', 'a || b || c', [B, B, B])), 2000),
];


familySuite('operators', OPERATORS, properties);
