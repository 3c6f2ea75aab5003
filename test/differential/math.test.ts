/** Differential tests of the math functions against sformula. */
import fc from 'fast-check';
import { boundedNumber, cases, casesWith, FIELD, maybe, numberText, numericOptions, type FieldGen } from './arbitraries.js';
import type { Case, Property } from './harness.js';
import { MATH_FUNCTIONS } from './families.js';
import { familySuite } from './suite.js';

const { Number: N, Currency: C, Percent: P } = FIELD;

const p = (name: string, arbitrary: fc.Arbitrary<Case>, runs: number): Property => ({ name, arbitrary, runs });

/** One-argument functions over numbers, currency and percent, with scale and blank handling. */
const unary = (fn: string, runs = 2000): Property =>
  p(
    fn,
    fc.oneof(
      { weight: 4, arbitrary: casesWith(fn, `${fn}(a)`, [N], numericOptions) },
      { weight: 1, arbitrary: cases(fn, `${fn}(a)`, [C]) },
      { weight: 1, arbitrary: cases(fn, `${fn}(a) * 2`, [P]) },
      { weight: 1, arbitrary: cases(fn, `${fn}(a - b)`, [N, N]) },
    ),
    runs,
  );

const digits: FieldGen = ['Number', maybe(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -6, max: 10 }).map(String) }, { weight: 1, arbitrary: boundedNumber(6, 2) }), 10)];
const divisor: FieldGen = ['Number', maybe(fc.oneof(numberText, fc.constantFrom('0', '1', '-1', '2', '3', '0.5', '-0.3', '7', '100')))];
const positive: FieldGen = ['Number', maybe(fc.oneof({ weight: 8, arbitrary: numberText.filter((s) => !s.startsWith('-') && s !== '0') }, { weight: 1, arbitrary: fc.constantFrom('0', '-1', '-0.5', '1', '10', '100', '1000') }))];
const exponent: FieldGen = ['Number', maybe(fc.oneof({ weight: 6, arbitrary: boundedNumber(40, 4) }, { weight: 1, arbitrary: boundedNumber(700, 1) }, { weight: 1, arbitrary: fc.constantFrom('0', '1', '-1', '0.5', '2') }))];

const properties: Property[] = [
  unary('ABS'),
  unary('CEILING'),
  unary('FLOOR'),
  unary('MCEILING'),
  unary('MFLOOR'),
  p(
    'ROUND',
    fc.oneof(
      { weight: 4, arbitrary: casesWith('ROUND', 'ROUND(a, b)', [N, digits], numericOptions) },
      { weight: 1, arbitrary: cases('ROUND', 'ROUND(a, 0)', [N]) },
      { weight: 1, arbitrary: cases('ROUND', 'ROUND(a, 2)', [C]) },
      { weight: 1, arbitrary: cases('ROUND', 'ROUND(a, b) * 1', [P, digits]) },
    ),
    2400,
  ),
  p('MOD', fc.oneof({ weight: 4, arbitrary: casesWith('MOD', 'MOD(a, b)', [N, divisor], numericOptions) }, { weight: 1, arbitrary: cases('MOD', 'MOD(a, b)', [C, divisor]) }), 2000),
  p(
    'MAX',
    fc.oneof(
      cases('MAX', 'MAX(a)', [N]),
      casesWith('MAX', 'MAX(a, b)', [N, N], numericOptions),
      cases('MAX', 'MAX(a, b, c)', [N, N, N]),
      cases('MAX', 'MAX(a, b, 0, c, d)', [N, N, C, N]),
    ),
    2000,
  ),
  p(
    'MIN',
    fc.oneof(
      cases('MIN', 'MIN(a)', [N]),
      casesWith('MIN', 'MIN(a, b)', [N, N], numericOptions),
      cases('MIN', 'MIN(a, b, c)', [N, N, N]),
      cases('MIN', 'MIN(a, b, 0, c, d)', [N, N, C, N]),
    ),
    2000,
  ),
  p('SQRT', fc.oneof(casesWith('SQRT', 'SQRT(a)', [positive], numericOptions), cases('SQRT', 'SQRT(a * a)', [N])), 2000),
  p('LOG', fc.oneof(casesWith('LOG', 'LOG(a)', [positive], numericOptions), cases('LOG', 'LOG(10 ^ a)', [['Number', fc.integer({ min: -15, max: 15 }).map(String)]])), 2000),
  p('LN', fc.oneof(casesWith('LN', 'LN(a)', [positive], numericOptions), cases('LN', 'LN(a)', [P])), 2000),
  p('EXP', fc.oneof(casesWith('EXP', 'EXP(a)', [exponent], numericOptions), cases('EXP', 'EXP(a)', [['Number', fc.integer({ min: -20, max: 20 }).map(String)]])), 2000),
];

familySuite('math', MATH_FUNCTIONS, properties);
