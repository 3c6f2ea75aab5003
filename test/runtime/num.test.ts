/** The short-decimal fast path (Fixed) must agree exactly with decimal.js on every operation. */
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormulaRuntimeError, RuntimeErrorCode } from '../../src/formula/runtime/errors.js';
import { add, cmp, Dec, dec, div, exactText, Fixed, formatNum, isNegative, isZero, mul, neg, numberText, roundTo, shift, sub, Wide, type Num } from '../../src/formula/runtime/num.js';
import { toNum } from '../../src/formula/runtime/num-read.js';
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

  it('add, sub and mul of short decimals stay exact, and a Fixed result is normalized (no trailing zero, never whole)', () => {
    // Short mantissas with few places and many trailing zeros, so that sums and products land on
    // whole numbers and on shorter scales often (0.25 + 0.75, 1.5 × 0.4, 12.30 - 0.3).
    const short = fc
      .tuple(fc.integer({ min: -5_000_000, max: 5_000_000 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 9 }))
      .map(([m, zeros, scale]) => {
        const digits = String(Math.abs(m) * 10 ** zeros).padStart(scale + 1, '0');
        const body = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
        return `${m < 0 ? '-' : ''}${body}`;
      });
    const normalized = (n: Num): void => {
      if (n instanceof Fixed) {
        expect(n.m % 10 !== 0 && n.s > 0 && Number.isSafeInteger(n.m), `Fixed(${n.m}, ${n.s})`).toBe(true);
      }
    };
    fc.assert(
      fc.property(short, short, (a, b) => {
        for (const [op, ref] of [
          [add, new D(a).plus(new D(b))],
          [sub, new D(a).minus(new D(b))],
          [mul, new D(a).times(new D(b))],
        ] as const) {
          const got = op(num(a), num(b));
          same(got, ref);
          normalized(got);
          if (typeof got === 'number') expect(Object.is(got, -0)).toBe(false);
        }
      }),
      RUNS,
    );
    expect(add(num('0.25'), num('0.75'))).toBe(1);
    expect(sub(num('12.30'), num('0.3'))).toBe(12);
    expect(add(num('1.05'), 2)).toEqual(new Fixed(305, 2));
    expect(sub(3, num('0.125'))).toEqual(new Fixed(2875, 3));
    expect(mul(num('1.5'), num('0.4'))).toEqual(new Fixed(6, 1));
  });

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

/**
 * Long quotients (`Wide`: a BigInt mantissa of at most 39 digits) must give exactly what
 * decimal.js gives at 39 significant digits, half-up, for every operation that follows them.
 */
describe('long quotients', () => {
  const R = Decimal.clone({ precision: 39, rounding: Decimal.ROUND_HALF_UP, maxE: 1000, minE: -1000, toExpNeg: -1000, toExpPos: 1000 });
  type Step = readonly ['mul' | 'div' | 'rmul' | 'rdiv' | 'add' | 'sub' | 'neg', string];
  const step: fc.Arbitrary<Step> = fc.tuple(fc.constantFrom('mul', 'div', 'rmul', 'rdiv', 'mul', 'div', 'add', 'sub', 'neg'), fc.oneof(text, fc.constantFrom('0', '3', '7', '100', '-1', '0.07', '19.99', '-999999999999999'))) as fc.Arbitrary<Step>;
  const apply = (op: Step[0], x: Num, y: Num): Num => {
    switch (op) {
      case 'mul': return mul(x, y);
      case 'div': return div(x, y);
      case 'rmul': return mul(y, x);
      case 'rdiv': return div(y, x);
      case 'add': return add(x, y);
      case 'sub': return sub(x, y);
      case 'neg': return neg(x);
    }
  };
  const reference = (op: Step[0], x: Decimal, y: Decimal): Decimal => {
    switch (op) {
      case 'mul': return x.times(y);
      case 'div': return x.div(y);
      case 'rmul': return y.times(x);
      case 'rdiv': return y.div(x);
      case 'add': return x.plus(y);
      case 'sub': return x.minus(y);
      case 'neg': return x.neg();
    }
  };
  /**
   * Every reading of a number agrees with decimal.js's. The sign of a zero is left to the next
   * test: the short paths have always given an unsigned zero where decimal.js gives -0.
   */
  const agrees = (got: Num, d: Decimal, places: number, scale: number): void => {
    same(got, d);
    if (!d.isZero()) expect(isNegative(got), exactText(got)).toBe(d.isNegative());
    expect(isZero(got)).toBe(d.isZero());
    expect(formatNum(got)).toBe(formatNum(d));
    expect(formatNum(got, scale)).toBe(formatNum(d, scale));
    expect(numberText(got)).toBe(numberText(d));
    expect(exactText(got)).toBe(d.toFixed());
    const r = roundTo(got, places);
    const rd = roundTo(d, places);
    same(r, dec(rd));
    if (got instanceof Wide) expect(Object.is(typeof r === 'number' ? r : 1, typeof rd === 'number' ? rd : 1), `roundTo(${exactText(got)}, ${places})`).toBe(true);
    same(shift(got, places), d.times(new R(10).pow(places)));
    expect(cmp(got, 1)).toBe(d.cmp(1));
  };
  const outcome = (f: () => Num): Num | string => {
    try {
      return f();
    } catch (e) {
      return e instanceof FormulaRuntimeError ? e.code : String(e);
    }
  };

  it('chains of quotients, products, sums and negations agree with decimal.js at every step', () => {
    fc.assert(
      fc.property(text, text, fc.array(step, { maxLength: 6 }), fc.integer({ min: -3, max: 40 }), fc.integer({ min: 0, max: 18 }), (a, b, steps, places, scale) => {
        if (new R(b).isZero()) return;
        // The reference operands are the runtime's decimals for the inputs ("-0" reads as 0).
        let got = div(num(a), num(b));
        let d = new R(dec(num(a))).div(new R(dec(num(b))));
        agrees(got, d, places, scale);
        for (const [op, t] of steps) {
          const y = new R(dec(num(t)));
          if ((op === 'div' && y.isZero()) || (op === 'rdiv' && d.isZero())) {
            expect(outcome(() => apply(op, got, num(t)))).toBe(RuntimeErrorCode.DivisionByZero);
            return;
          }
          const expected = reference(op, d, y);
          if (!expected.isFinite()) {
            expect(outcome(() => apply(op, got, num(t)))).toBe(RuntimeErrorCode.NumberOutOfRange);
            return;
          }
          got = apply(op, got, num(t));
          d = expected;
          agrees(got, d, places, scale);
        }
      }),
      RUNS,
    );
  });

  it('keeps a quotient of short decimals as a BigInt mantissa, and narrows exact results', () => {
    const third = div(40, 120);
    expect(third).toBeInstanceOf(Wide);
    expect(exactText(third)).toBe(`0.${'3'.repeat(39)}`);
    expect(exactText(div(-2, 3))).toBe(`-0.${'6'.repeat(38)}7`);
    expect(exactText(mul(third, 100))).toBe(`33.${'3'.repeat(37)}`);
    expect(roundTo(mul(third, 100), 2)).toEqual(new Fixed(3333, 2));
    expect(formatNum(div(29999, 3000), 2)).toBe('10.00');
    expect(formatNum(div(-29999, 3000), 0)).toBe('-10');
    expect(formatNum(div(-1, 3000000), 2)).toBe('0.00');
    expect(Object.is(roundTo(div(-1, 3000000), 2), -0)).toBe(true);
    expect(mul(div(2, 3), 3)).toBe(2);
    expect(outcome(() => div(third, 0))).toBe(RuntimeErrorCode.DivisionByZero);
  });

  it('gives a zero the sign the decimal.js path gave it', () => {
    const sign = (n: Num): string => (typeof n === 'number' ? (Object.is(n, -0) ? '-0' : String(n)) : `${dec(n).isNegative() ? '-' : '+'}${exactText(n)}`);
    for (const w of [div(-1, 3), div(1, 3), div(-1, 30000000), div(1, 30000000)]) {
      const d = dec(w);
      expect(sign(mul(w, 0))).toBe(sign(d.times(0)));
      expect(sign(mul(0, w))).toBe(sign(new Dec(0).times(d)));
      expect(sign(div(0, w))).toBe(sign(new Dec(0).div(d)));
      for (const places of [0, 2, 6]) {
        // roundTo of a Decimal: toDecimalPlaces, then compact (Decimal.toNumber keeps -0).
        expect(sign(roundTo(w, places))).toBe(sign(roundTo(d, places)));
      }
    }
    expect(Object.is(roundTo(div(-1, 30000000), 2), -0)).toBe(true);
  });

  const Wider = Decimal.clone({ precision: 100 });
  it('rounds a product up across a power of ten as decimal.js does (1/c × c for c up to 3,000)', () => {
    let across = 0;
    for (let c = 2; c <= 3_000; c++) {
      for (const n of [1, -1000, 7]) {
        const q = div(n, c);
        const d = new R(n).div(c);
        same(q, d);
        const expected = d.times(c);
        const got = mul(q, c);
        same(got, expected);
        same(mul(c, q), expected);
        same(div(q, new Fixed(c, 3)), d.div(new R(c).div(1000)));
        // The 39-digit quotient is below 1/c, yet its product with c rounds up to exactly 1.
        if (n === 1 && new Wider(d).times(c).lt(1) && expected.eq(1)) across++;
      }
    }
    expect(across).toBeGreaterThan(0);
  });

  it('leaves values near decimal.js exponent limits to decimal.js: underflow to zero, overflow to an error', () => {
    for (const [step, limit] of [[div(1, 999999999999999), 'underflow'], [div(999999999999999, 7), 'overflow']] as const) {
      let got: Num = div(1, 7);
      let d = new R(1).div(7);
      for (let i = 0; i < 80; i++) {
        const expected = d.times(dec(step));
        if (!expected.isFinite()) {
          expect(limit).toBe('overflow');
          expect(outcome(() => mul(got, step))).toBe(RuntimeErrorCode.NumberOutOfRange);
          break;
        }
        got = mul(got, step);
        d = expected;
        same(got, d);
        expect(formatNum(got, 2)).toBe(formatNum(d, 2));
        expect(exactText(div(got, 3))).toBe(d.div(3).toFixed());
      }
      if (limit === 'underflow') expect(isZero(got)).toBe(true);
    }
  });
});
