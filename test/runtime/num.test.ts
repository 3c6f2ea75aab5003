/** The short-decimal fast path (Fixed) must agree exactly with decimal.js on every operation. */
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, cmp, dec, div, exactText, Fixed, formatNum, mul, numberText, roundTo, shift, sub, toNum, type Num } from '../../src/formula/runtime/num.js';
import { runs } from '../helpers/runs.js';

const D = Decimal.clone({ precision: 39, rounding: Decimal.ROUND_HALF_UP });
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

  it('div is exact when the quotient is short, and 39 significant digits otherwise (formula-engine MC_PRECISION_INTERNAL, docs/compatibility.md)', () => {
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

  it('reads a JS number as the decimal its shortest text stands for, without building the text', () => {
    // Doubles of every kind: short decimals, long fractions, tiny and huge values, sums with binary noise.
    const doubles = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 15 })).map(([m, s]) => m / 10 ** s),
      fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true })).map(([a, b]) => a + b),
    );
    fc.assert(fc.property(doubles, (v) => { same(toNum(v) as Num, new D(String(v))); }), RUNS);
    for (const v of [0.1, 0.3, 0.1 + 0.2, 19.99, -0.35, 1e-6, 9.99e-7, 123456789012345.6, 999999999999999.9, 0.123456789012345, 2 ** -20]) same(toNum(v) as Num, new D(String(v)));
    expect(toNum(19.99)).toEqual(new Fixed(1999, 2));
  });

  it('reads decimal text with surrounding spaces, a sign or a bare point as before', () => {
    for (const t of [' 12.5 ', '+.5', '-0', '-0.000', '5.', '007.50', '.', '', '-', '1.2.3', '1e3', ' 1e3', '１２']) {
      const trimmed = t.trim();
      const valid = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(trimmed);
      const got = toNum(t);
      if (!valid) expect(got, t).toBeUndefined();
      else same(got as Num, new D(trimmed));
    }
  });

  it('writes TEXT() of a number: every digit, no leading zero before the point, no sign on zero', () => {
    fc.assert(
      fc.property(text, (t) => {
        const d = new D(t);
        const expected = d.isZero() ? '0' : d.toFixed().replace(/^(-?)0\.(?=\d)/, '$1.');
        expect(numberText(num(t))).toBe(expected);
      }),
      RUNS,
    );
    expect(numberText(new Fixed(5, 1))).toBe('.5');
    expect(numberText(new Fixed(-5, 3))).toBe('-.005');
    expect(numberText(new Fixed(120, 1))).toBe('12');
  });
});
