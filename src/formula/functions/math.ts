import { Decimal } from 'decimal.js';
import { defineFunction, numericResult, type FunctionSpec } from '../registry/registry.js';
import type { RuntimeContext } from '../runtime/context.js';
import { fail, RuntimeErrorCode } from '../runtime/errors.js';
import { cmp, compact, Dec, dec, formatNum, isNegative, neg, roundTo, type Num } from '../runtime/num.js';
import { toNum } from '../runtime/num-read.js';

/**
 * Math functions. Rounding, MOD and blank handling follow Salesforce's in-memory formula evaluator
 * (github.com/salesforce/formula-engine, commands/Function*.java), except where a live org disagrees
 * (MOD by zero; docs/compatibility.md has the order of evidence). Every result is an exact decimal
 * (`Num`), except SQRT, LN, LOG and EXP: Salesforce's in-memory evaluator computes these four with
 * Java doubles (`Math.sqrt`, `Math.log(x) / Math.log(10)`, …) and takes the double's shortest decimal
 * (`BigDecimal.valueOf`), so Parlance does the same (docs/compatibility.md, issue 17).
 */

const number = (name: string) => ({ name, type: 'Numeric' as const });

/** Normalizes -0 (JS numbers only; decimals print as 0 anyway). */
const noNegativeZero = (n: Num): Num => (n === 0 ? 0 : n);

/** Significant digits kept before CEILING/FLOOR round, so that 1/3 * 3 counts as 1 (Salesforce's NUMBER_PRECISION_EXTERNAL). */
const EXTERNAL_PRECISION = 33;

/**
 * CEILING, FLOOR, MCEILING, MFLOOR: first cut the inexact last digits of a quotient such as 1/3 * 3
 * (33 significant digits, half down for the ceilings and half up for the floors, as Salesforce's
 * engine does), then round to a whole number with `mode`.
 */
const toWhole =
  (mode: Decimal.Rounding, cut: Decimal.Rounding) =>
  (n: Num): Num =>
    typeof n === 'number' ? n : noNegativeZero(compact(dec(n).toSignificantDigits(EXTERNAL_PRECISION, cut).toDecimalPlaces(0, mode)));

/** Places for ROUND, clamped to what a number can hold (|exponent| ≤ 1000). */
function places(digits: Num): number {
  const p = typeof digits === 'number' ? digits : dec(digits).toDecimalPlaces(0, Decimal.ROUND_DOWN).toNumber();
  return Math.max(-1000, Math.min(1000, p));
}

function show(n: Num): string {
  return formatNum(n);
}

function requirePositive(name: string, n: Num, allowZero: boolean): void {
  const c = cmp(n, 0);
  if (c < 0 || (c === 0 && !allowZero)) {
    fail(RuntimeErrorCode.InvalidArgument, `${name}() of ${c === 0 ? 'zero' : `a negative number (${show(n)})`} is undefined`);
  }
}

/** A double computation as Salesforce's UnaryMathCommand does it: the argument as a double, the result's shortest decimal (BigDecimal.valueOf). */
function viaDouble(f: (x: number) => number, n: Num, what: string): Num {
  const r = f(typeof n === 'number' ? n : dec(n).toNumber());
  if (!Number.isFinite(r)) fail(RuntimeErrorCode.NumberOutOfRange, `${what} is out of range`);
  return noNegativeZero(compact(new Dec(r)));
}

const unary = (
  name: string,
  impl: (n: Num) => Num,
  summary: string,
  examples: FunctionSpec['doc']['examples'],
  notes?: readonly string[],
  returns: 'Number' | typeof numericResult = numericResult,
): FunctionSpec =>
  defineFunction({
    name,
    family: 'math',
    overloads: [{ params: [number('number')], returns, impl }],
    doc: notes === undefined ? { summary, examples } : { summary, examples, notes },
  });

const ABS = unary(
  'ABS',
  (n) => (isNegative(n) ? neg(n) : n),
  'The absolute value of a number: the number without its sign.',
  [
    { formula: 'ABS(-5)', result: '5' },
    { formula: 'ABS(ExpectedRevenue)', result: '1200.50 when ExpectedRevenue is -1200.50' },
  ],
);

const CEILING = unary(
  'CEILING',
  toWhole(Decimal.ROUND_UP, Decimal.ROUND_HALF_DOWN),
  'Rounds a number away from zero to the nearest integer: up for positive numbers, down for negative numbers.',
  [
    { formula: 'CEILING(2.5)', result: '3' },
    { formula: 'CEILING(-2.5)', result: '-3' },
  ],
  [
    'Salesforce applies CEILING to the absolute value and then puts the sign back, "by design". For mathematical rounding up (toward positive infinity) use MCEILING.',
    'The number is first cut to 33 significant digits, so the inexact result of a division such as (2/3) * 3 rounds to 2, not 3.',
  ],
);

const FLOOR = unary(
  'FLOOR',
  toWhole(Decimal.ROUND_DOWN, Decimal.ROUND_HALF_UP),
  'Rounds a number toward zero to the nearest integer: down for positive numbers, up for negative numbers.',
  [
    { formula: 'FLOOR(2.5)', result: '2' },
    { formula: 'FLOOR(-2.5)', result: '-2' },
  ],
  ['Salesforce applies FLOOR to the absolute value and then puts the sign back. For mathematical rounding down (toward negative infinity) use MFLOOR.'],
);

const MCEILING = unary(
  'MCEILING',
  toWhole(Decimal.ROUND_CEIL, Decimal.ROUND_HALF_DOWN),
  'Rounds a number up, toward positive infinity, to the nearest integer.',
  [
    { formula: 'MCEILING(2.5)', result: '3' },
    { formula: 'MCEILING(-2.5)', result: '-2' },
  ],
);

const MFLOOR = unary(
  'MFLOOR',
  toWhole(Decimal.ROUND_FLOOR, Decimal.ROUND_HALF_UP),
  'Rounds a number down, toward negative infinity, to the nearest integer.',
  [
    { formula: 'MFLOOR(2.5)', result: '2' },
    { formula: 'MFLOOR(-2.5)', result: '-3' },
  ],
);

const ROUND = defineFunction({
  name: 'ROUND',
  family: 'math',
  overloads: [
    {
      params: [number('number'), number('num_digits')],
      returns: (types) => numericResult(types.slice(0, 1)),
      impl: (n: Num, digits: Num) => noNegativeZero(roundTo(n, places(digits))),
    },
  ],
  doc: {
    summary:
      'Rounds a number to num_digits decimal places, half away from zero. A negative num_digits rounds to the left of the decimal point; num_digits 0 rounds to an integer.',
    examples: [
      { formula: 'ROUND(1.5, 0)', result: '2' },
      { formula: 'ROUND(-1.5, 0)', result: '-2' },
      { formula: 'ROUND(225.49823, 2)', result: '225.5' },
      { formula: 'ROUND(1234.5678, -2)', result: '1200' },
    ],
    notes: [
      'A fractional num_digits is truncated toward zero. Results carry no trailing zeros: ROUND(225.49823, 2) is 225.5, shown as 225.50 when the formula has a scale of 2.',
    ],
  },
});

const MOD = defineFunction({
  name: 'MOD',
  family: 'math',
  overloads: [
    {
      params: [number('number'), number('divisor')],
      returns: numericResult,
      impl: (n: Num, d: Num) => {
        // A live org gives the dividend (sformula's org-verified fixture, test/fixtures/formula-defs.yml
        // `MOD(Number02__c, Number01__c)` on the record Number01__c: 0, Number02__c: 4), as Oracle's MOD does.
        if (cmp(d, 0) === 0) return n;
        if (typeof n === 'number' && typeof d === 'number') return noNegativeZero(n % d);
        return noNegativeZero(compact(dec(n).mod(dec(d))));
      },
    },
  ],
  doc: {
    summary: 'The remainder of number divided by divisor. The result has the sign of number (the dividend). A divisor of 0 gives number itself, as a Salesforce org does (unlike the / operator, where 0 is an error).',
    examples: [
      { formula: 'MOD(3, 3)', result: '0' },
      { formula: 'MOD(4, 3)', result: '1' },
      { formula: 'MOD(123, 100)', result: '23' },
      { formula: 'MOD(-5, 3)', result: '-2' },
      { formula: 'MOD(5.5, 2)', result: '1.5' },
      { formula: 'MOD(5, 0)', result: '5' },
    ],
    notes: ['The divisor may be fractional. MOD(number, divisor) = number - divisor * (number / divisor truncated toward zero).'],
  },
});

const extreme = (name: 'MAX' | 'MIN', sign: 1 | -1, summary: string, examples: FunctionSpec['doc']['examples']): FunctionSpec =>
  defineFunction({
    name,
    family: 'math',
    overloads: [
      {
        params: [{ ...number('number'), repeat: true }],
        returns: numericResult,
        impl: (...numbers: Num[]) => {
          let best = numbers[0] as Num;
          for (let i = 1; i < numbers.length; i++) {
            const n = numbers[i] as Num;
            if (cmp(n, best) * sign > 0) best = n;
          }
          return best;
        },
      },
    ],
    doc: { summary, examples, notes: ['Takes one or more numbers. If any of them is blank, the result is blank.'] },
  });

const MAX = extreme('MAX', 1, 'The largest of one or more numbers.', [
  { formula: 'MAX(0.06 * Price, Minimum_Fee__c)', result: '6 when Price is 100 and Minimum_Fee__c is 5' },
  { formula: 'MAX(-3, 2, 1)', result: '2' },
]);

const MIN = extreme('MIN', -1, 'The smallest of one or more numbers.', [
  { formula: 'MIN(250, Commission__c)', result: '250 when Commission__c is 300' },
  { formula: 'MIN(-3, 2, 1)', result: '-3' },
]);

const SQRT = unary(
  'SQRT',
  (n) => {
    requirePositive('SQRT', n, true);
    return viaDouble(Math.sqrt, n, 'SQRT() result');
  },
  'The positive square root of a number. The square root of a negative number is an error.',
  [
    { formula: 'SQRT(25)', result: '5' },
    { formula: 'SQRT(2)', result: '1.4142135623730951' },
    { formula: 'SQRT(-4)', result: 'error E_INVALID_ARGUMENT' },
  ],
  ['Computed in double precision, as Salesforce does: about 16 significant digits.'],
  'Number',
);

const LN = unary(
  'LN',
  (n) => {
    requirePositive('LN', n, false);
    return viaDouble(Math.log, n, 'LN() result');
  },
  'The natural logarithm (base e) of a positive number. LN of zero or of a negative number is an error.',
  [
    { formula: 'LN(10)', result: '2.302585092994046' },
    { formula: 'LN(EXP(2))', result: '2' },
    { formula: 'LN(0)', result: 'error E_INVALID_ARGUMENT' },
  ],
  ['The inverse of EXP. Computed in double precision, as Salesforce does.'],
  'Number',
);

const LOG = unary(
  'LOG',
  (n) => {
    requirePositive('LOG', n, false);
    return viaDouble((x) => Math.log(x) / Math.log(10), n, 'LOG() result');
  },
  'The base-10 logarithm of a positive number. LOG of zero or of a negative number is an error.',
  [
    { formula: 'LOG(100)', result: '2' },
    { formula: 'LOG(2)', result: '0.30102999566398114' },
    { formula: 'LOG(1000)', result: '2.9999999999999996' },
  ],
  [
    'Use LN for the natural logarithm.',
    'Computed as Salesforce does, in double precision as LN(x) / LN(10), so LOG(1000) is 2.9999999999999996 and FLOOR(LOG(1000)) is 2: round first, as in FLOOR(ROUND(LOG(x), 12)).',
  ],
  'Number',
);

const EXP = unary(
  'EXP',
  (n) => {
    return viaDouble(Math.exp, n, `EXP(${show(n)})`);
  },
  'e (2.718…) raised to the power of a number.',
  [
    { formula: 'EXP(1)', result: '2.718281828459045' },
    { formula: 'EXP(0)', result: '1' },
  ],
  ['The inverse of LN. Computed in double precision, as Salesforce does. Arguments above about 709 are an error (out of range); very negative ones give 0.'],
  'Number',
);

/** CURRENCYRATE: the rate from the evaluation context's table (ISO code → rate), 1 for an unknown code. */
function currencyRate(ctx: RuntimeContext, iso: string | null): Num {
  const code = (iso ?? '').trim().toUpperCase();
  if (code === '') return 1;
  const raw = ctx.currencyRates.get(code);
  if (raw === undefined || raw === null) return 1;
  const rate = toNum(raw);
  if (rate === undefined || cmp(rate, 0) <= 0) {
    fail(RuntimeErrorCode.InvalidInput, `Invalid currency rate for ${code}: expected a positive number or decimal string, received ${JSON.stringify(raw)}`);
  }
  return rate;
}

const CURRENCYRATE = defineFunction({
  name: 'CURRENCYRATE',
  family: 'math',
  overloads: [{ params: [{ name: 'IsoCode', type: 'Text' }], returns: 'Number', nulls: 'accept', contextual: currencyRate }],
  doc: {
    summary:
      "The conversion rate to the corporate currency for a currency ISO code, from the evaluation's currency rate table. The corporate currency's rate is 1. An unknown or blank code gives 1, as Salesforce returns 1.0 for an invalid currency.",
    examples: [
      { formula: 'CURRENCYRATE(Currency_Code__c)', result: '0.92 when Currency_Code__c is "EUR" and the rate table has {"EUR": "0.92"}' },
      { formula: 'Amount / CURRENCYRATE("EUR")', result: 'Amount converted from euros to the corporate currency' },
      { formula: 'CURRENCYRATE("XYZ")', result: '1' },
    ],
    notes: [
      'Rates come from the currencyRates of the evaluation context (ISO code → number or decimal string; codes are case-insensitive). Like Salesforce, CURRENCYRATE uses these fixed rates, not dated exchange rates.',
    ],
  },
});

export const mathFunctions: readonly FunctionSpec[] = [ABS, CEILING, FLOOR, MCEILING, MFLOOR, ROUND, MOD, MAX, MIN, SQRT, LOG, LN, EXP, CURRENCYRATE];
