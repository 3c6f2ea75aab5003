/** The short-decimal fast path (Fixed) must agree exactly with decimal.js on every operation. */
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, cmp, dec, div, exactText, Fixed, formatNum, mul, roundTo, shift, sub, toNum, type Num } from '../../src/formula/runtime/num.js';
import { runs } from '../helpers/runs.js';

const D = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_UP });
const RUNS = { numRuns: runs(10_000), seed: 4242 };

/** Decimal text from tiny to huge, with up to 20 decimals: exercises Fixed, integers and fallbacks. */
const text = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 17n }), fc.integer({ min: 0, max: 20 }))
  .map(([negative, digits, scale]) => {
    const s = digits.toString().padStart(scale + 1, '0');
    const body = scale === 0 ? s : `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
    return `${negative ? '-' : ''}${body}`;
  });

const num = (t: string): Num => toNum(t) as Num;
const same = (got: Num, expected: Decimal): void => {
  expect(dec(got).eq(expected), `${exactText(got)} vs ${expected.toFixed()}`).toBe(true);
};

describe('exact numbers', () => {
  it('parses short decimals into the fast representation and keeps their value', () => {
    expect(toNum('21.50')).toBeInstanceOf(Fixed);
    expect(toNum(21.5)).toBeInstanceOf(Fixed);
    expect(toNum('3.000')).toBe(3);
    fc.assert(fc.property(text, (t) => { same(num(t), new D(t)); }), RUNS);
  });

  for (const [name, op, ref] of [
    ['add', add, (a: Decimal, b: Decimal) => a.plus(b)],
    ['sub', sub, (a: Decimal, b: Decimal) => a.minus(b)],
    ['mul', mul, (a: Decimal, b: Decimal) => a.times(b)],
  ] as const) {
    it(`${name} is exact`, () => {
      fc.assert(fc.property(text, text, (a, b) => { same(op(num(a), num(b)), ref(new D(a), new D(b))); }), RUNS);
    });
  }

  it('div is exact when the quotient is short, and 34 significant digits otherwise', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        if (new D(b).isZero()) return;
        same(div(num(a), num(b)), new D(a).div(new D(b)));
      }),
      RUNS,
    );
    expect(div(num('7.5'), 3)).toEqual(new Fixed(25, 1));
  });

  it('cmp agrees with decimal comparison', () => {
    fc.assert(fc.property(text, text, (a, b) => { expect(cmp(num(a), num(b))).toBe(new D(a).cmp(new D(b))); }), RUNS);
  });

  it('formats with and without a scale exactly as decimal.js does', () => {
    fc.assert(
      fc.property(text, fc.option(fc.integer({ min: 0, max: 18 })), (t, scale) => {
        const d = new D(t);
        const expected = scale === null ? d.toDecimalPlaces(18).toFixed() : d.toFixed(scale);
        expect(formatNum(num(t), scale ?? undefined)).toBe(expected.replace(/^-(0(?:\.0*)?)$/, '$1'));
      }),
      RUNS,
    );
  });

  it('rounds half away from zero, like decimal.js ROUND_HALF_UP', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: -3, max: 18 }), (t, places) => {
        const d = new D(t);
        const expected = places >= 0 ? d.toDecimalPlaces(places) : d.div(new D(10).pow(-places)).toDecimalPlaces(0).times(new D(10).pow(-places));
        same(roundTo(num(t), places), expected);
      }),
      RUNS,
    );
  });

  it('shift moves the decimal point exactly', () => {
    fc.assert(fc.property(text, fc.integer({ min: -25, max: 25 }), (t, k) => { same(shift(num(t), k), new D(t).times(new D(10).pow(k))); }), RUNS);
  });
});
