/** Property tests for the evaluator: exact decimal arithmetic, three-valued logic, laziness, concatenation. */
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/index.js';
import { runs } from '../helpers/runs.js';

const RUNS = { numRuns: runs(10_000) };
const D = Decimal.clone({ precision: 39, rounding: Decimal.ROUND_HALF_UP }); // formula-engine MC_PRECISION_INTERNAL

/** Decimal strings with up to 12 integer digits and 8 decimals, sometimes negative. */
const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 8 }), fc.bigInt({ min: 0n, max: 10n ** 8n - 1n }))
  .map(([negative, int, places, frac]) => {
    const f = places === 0 ? '' : `.${frac.toString().padStart(8, '0').slice(0, places)}`;
    return `${negative ? '-' : ''}${int}${f}`;
  });

const canonical = (d: Decimal) => {
  const s = d.toDecimalPlaces(18, Decimal.ROUND_HALF_UP).toFixed();
  return s === '-0' ? '0' : s;
};

describe('evaluator properties', () => {
  const ops = {
    '+': (a: Decimal, b: Decimal) => a.plus(b),
    '-': (a: Decimal, b: Decimal) => a.minus(b),
    '*': (a: Decimal, b: Decimal) => a.times(b),
  } as const;
  const compiled = Object.fromEntries(Object.keys(ops).map((op) => [op, compileFormula(`a ${op} b`, { fields: { a: 'Number', b: 'Number' } })]));

  for (const [op, reference] of Object.entries(ops)) {
    it(`a ${op} b is exact decimal arithmetic`, () => {
      fc.assert(
        fc.property(decimalText, decimalText, (a, b) => {
          const got = compiled[op]!.evaluateToWire({ record: { a, b } });
          expect(got).toEqual({ type: 'Number', value: canonical(reference(new D(a), new D(b))) });
        }),
        RUNS,
      );
    });
  }

  it('a / b matches decimal division rounded to 18 places, and division by zero is an error', () => {
    const f = compileFormula('a / b', { fields: { a: 'Number', b: 'Number' } });
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        const got = f.evaluateToWire({ record: { a, b } });
        if (new D(b).isZero()) expect(got).toMatchObject({ error: { code: 'E_DIVISION_BY_ZERO' } });
        else expect(got).toEqual({ type: 'Number', value: canonical(new D(a).div(new D(b))) });
      }),
      RUNS,
    );
  });

  it('comparisons agree with decimal comparison, also across integer and fractional representations', () => {
    const f = compileFormula('IF(a < b, -1, IF(a = b, 0, 1))', { fields: { a: 'Number', b: 'Number' } });
    fc.assert(
      fc.property(decimalText, decimalText, fc.boolean(), (a, b, asNumber) => {
        const record = asNumber ? { a: Number(a), b } : { a, b };
        const expected = new D(String(record.a)).cmp(new D(b));
        expect(f.evaluateToWire({ record })).toEqual({ type: 'Number', value: String(expected) });
      }),
      RUNS,
    );
  });

  it('AND, OR and NOT follow three-valued logic', () => {
    const tri = fc.constantFrom(true, false, null);
    const and = compileFormula('AND(a, b)', { fields: { a: 'Boolean', b: 'Boolean' } });
    const or = compileFormula('a || b', { fields: { a: 'Boolean', b: 'Boolean' } });
    const not = compileFormula('!a', { fields: { a: 'Boolean' } });
    fc.assert(
      fc.property(tri, tri, (a, b) => {
        const record = { a, b };
        const andExpected = a === false || b === false ? false : a === null || b === null ? null : true;
        const orExpected = a === true || b === true ? true : a === null || b === null ? null : false;
        expect(and.evaluateToWire({ record })).toEqual({ type: 'Boolean', value: andExpected });
        expect(or.evaluateToWire({ record })).toEqual({ type: 'Boolean', value: orExpected });
        expect(not.evaluateToWire({ record })).toEqual({ type: 'Boolean', value: a === null ? null : !a });
      }),
      { numRuns: 100 },
    );
  });

  it('IF evaluates only the branch it takes', () => {
    const f = compileFormula('IF(c, x, 1 / 0)', { fields: { c: 'Boolean', x: 'Number' } });
    fc.assert(
      fc.property(fc.integer(), (x) => {
        expect(f.evaluateToWire({ record: { c: true, x } })).toEqual({ type: 'Number', value: String(x) });
        expect(f.evaluateToWire({ record: { c: false, x } })).toMatchObject({ error: { code: 'E_DIVISION_BY_ZERO' } });
      }),
      RUNS,
    );
  });

  it('& concatenates any text exactly, treating blank as empty', () => {
    const f = compileFormula('a & b', { fields: { a: 'Text', b: 'Text' } });
    fc.assert(
      fc.property(fc.option(fc.string({ unit: 'grapheme' })), fc.option(fc.string()), (a, b) => {
        const joined = (a ?? '') + (b ?? '');
        expect(f.evaluateToWire({ record: { a, b } })).toEqual({ type: 'Text', value: joined === '' ? null : joined });
      }),
      RUNS,
    );
  });

  it('a compiled formula gives the same answer however often and in whatever order it runs', () => {
    const f = compileFormula('IF(a > b, a - b, b - a) * 2', { fields: { a: 'Number', b: 'Number' } });
    fc.assert(
      fc.property(fc.array(fc.tuple(decimalText, decimalText), { minLength: 1, maxLength: 20 }), (pairs) => {
        const first = pairs.map(([a, b]) => f.evaluateToWire({ record: { a, b } }));
        const again = [...pairs].reverse().map(([a, b]) => f.evaluateToWire({ record: { a, b } })).reverse();
        expect(again).toEqual(first);
      }),
      { numRuns: 1000 },
    );
  });
});
