/** Math functions: rounding directions, MOD's sign rule, exact decimals, domain errors and CURRENCYRATE. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFormula, type EvaluationContext, type WireResult } from '../../src/index.js';
import { runs } from '../helpers/runs.js';

const RUNS = { numRuns: runs(2_000) };

function run(formula: string, record: Record<string, unknown> = {}, context: Omit<EvaluationContext, 'record'> = {}): WireResult {
  const f = compileFormula(formula, { fields: { a: 'Number', b: 'Number', c: 'Currency', code: 'Text' } });
  if (!f.ok) throw new Error(`${formula}: ${f.diagnostics.map((d) => d.message).join('; ')}`);
  return f.evaluateToWire({ record, ...context });
}

function value(formula: string, record: Record<string, unknown> = {}, context: Omit<EvaluationContext, 'record'> = {}): unknown {
  const r = run(formula, record, context);
  if ('error' in r) throw new Error(`${formula}: ${r.error.message}`);
  return r.value;
}

/** Decimals as scaled BigInts, so the reference computations below never touch floating point. */
const SCALE = 4;
const scaled = fc.bigInt({ min: -(10n ** 10n), max: 10n ** 10n });
const text = (n: bigint, scale = SCALE): string => {
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  const s = frac === '' ? int : `${int}.${frac}`;
  return negative && s !== '0' ? `-${s}` : s;
};
const ONE = 10n ** BigInt(SCALE);
/** Integer division rounding toward zero (BigInt's `/`), and the other directions built from it. */
const trunc = (n: bigint, d: bigint) => n / d;
const floorDiv = (n: bigint, d: bigint) => (n % d !== 0n && n < 0n !== d < 0n ? n / d - 1n : n / d);
const ceilDiv = (n: bigint, d: bigint) => -floorDiv(-n, d);
const awayDiv = (n: bigint, d: bigint) => (n % d === 0n ? n / d : n < 0n ? floorDiv(n, d) : ceilDiv(n, d));

describe('CEILING, FLOOR, MCEILING, MFLOOR', () => {
  const formulas = ['CEILING(a)', 'FLOOR(a)', 'MCEILING(a)', 'MFLOOR(a)'].map((f) => compileFormula(f, { fields: { a: 'Number' } }));
  const reference = [awayDiv, trunc, ceilDiv, floorDiv];

  it('round in the documented direction for any decimal', () => {
    fc.assert(
      fc.property(scaled, (n) => {
        formulas.forEach((f, i) => {
          const expected = text((reference[i] as typeof trunc)(n, ONE), 0);
          expect(f.evaluateToWire({ record: { a: text(n) } })).toEqual({ type: 'Number', value: expected });
        });
      }),
      RUNS,
    );
  });

  it('CEILING and FLOOR are sign-symmetric, MCEILING and MFLOOR are not', () => {
    expect([value('CEILING(-2.5)'), value('CEILING(2.5)')]).toEqual(['-3', '3']);
    expect([value('FLOOR(-2.5)'), value('FLOOR(2.5)')]).toEqual(['-2', '2']);
    expect([value('MCEILING(-2.5)'), value('MCEILING(2.5)')]).toEqual(['-2', '3']);
    expect([value('MFLOOR(-2.5)'), value('MFLOOR(2.5)')]).toEqual(['-3', '2']);
  });

  it('first cut a quotient to 33 significant digits, as Salesforce does', () => {
    expect(value('10 / 3 * 3')).toBe('10');
    expect(value('FLOOR(10 / 3 * 3)')).toBe('10');
    expect(value('MFLOOR(10 / 3 * 3)')).toBe('10');
    expect(value('CEILING((5 / 3 - 1 / 3) * 3)')).toBe('4');
    expect(value('MCEILING((5 / 3 - 1 / 3) * 3)')).toBe('4');
    // A genuine 33rd digit is kept.
    expect(value('FLOOR(0.999999999999999999999999999999999)')).toBe('0');
  });

  it('keep the Currency type', () => {
    expect(run('CEILING(c)', { c: '1.2' })).toEqual({ type: 'Currency', value: '2' });
  });
});

describe('ROUND', () => {
  const round = compileFormula('ROUND(a, b)', { fields: { a: 'Number', b: 'Number' } });

  it('rounds half away from zero to any number of places, including negative ones', () => {
    fc.assert(
      fc.property(scaled, fc.integer({ min: -6, max: 5 }), (n, digits) => {
        // Work in units of 10^-SCALE: round to a multiple of 10^(SCALE - digits) units.
        const shift = SCALE - digits;
        let expected = text(n);
        if (shift > 0) {
          const unit = 10n ** BigInt(shift);
          const q = ((n < 0n ? -n : n) + unit / 2n) / unit;
          expected = text((n < 0n ? -q : q) * unit);
        }
        expect(round.evaluateToWire({ record: { a: text(n), b: digits } })).toEqual({ type: 'Number', value: expected });
      }),
      RUNS,
    );
  });

  it('matches the worked examples', () => {
    expect(value('ROUND(1.5, 0)')).toBe('2');
    expect(value('ROUND(-1.5, 0)')).toBe('-2');
    expect(value('ROUND(225.49823, 2)')).toBe('225.5');
    expect(value('ROUND(1234.5678, -2)')).toBe('1200');
  });

  it('uses exact decimals, not binary floating point', () => {
    expect(value('ROUND(1.005, 2)')).toBe('1.01');
    expect(value('ROUND(2.675, 2)')).toBe('2.68');
    expect(value('ROUND(0.285, 2)')).toBe('0.29');
  });

  it('truncates a fractional num_digits and tolerates extreme ones', () => {
    expect(value('ROUND(1.23456, 2.9)')).toBe('1.23');
    expect(value('ROUND(1.23456, -2.9)')).toBe('0');
    expect(value('ROUND(123456, -1000000)')).toBe('0');
    expect(value('ROUND(1.5, 1000000)')).toBe('1.5');
  });

  it('shows trailing zeros only through the scale option', () => {
    const f = compileFormula('ROUND(225.49823, 2)', { scale: 2 });
    expect(f.evaluateToWire()).toEqual({ type: 'Number', value: '225.50' });
  });
});

describe('MOD', () => {
  const mod = compileFormula('MOD(a, b)', { fields: { a: 'Number', b: 'Number' } });

  it('takes the sign of the dividend: n = d * trunc(n / d) + MOD(n, d)', () => {
    fc.assert(
      fc.property(scaled, scaled.filter((d) => d !== 0n), (n, d) => {
        const expected = n - d * trunc(n, d);
        expect(mod.evaluateToWire({ record: { a: text(n), b: text(d) } })).toEqual({ type: 'Number', value: text(expected) });
      }),
      RUNS,
    );
  });

  it('matches the sign rule on small cases', () => {
    expect(value('MOD(-5, 3)')).toBe('-2');
    expect(value('MOD(5, -3)')).toBe('2');
    expect(value('MOD(-5, -3)')).toBe('-2');
    expect(value('MOD(-6, 3)')).toBe('0');
  });

  it('gives the dividend for a divisor of 0, as the org does (sformula fixture `MOD(Number02__c, Number01__c)` on {Number01__c: 0, Number02__c: 4} is 4)', () => {
    expect(run('MOD(7.25, 0)')).toEqual({ type: 'Number', value: '7.25' });
    expect(run('MOD(a, b)', { a: -3, b: 0 })).toEqual({ type: 'Number', value: '-3' });
    expect(value('MOD(a, b)', { b: 0 })).toBeNull();
  });

  it('is exact for huge operands', () => {
    expect(value('MOD(12345678901234567890123456789, 97)')).toBe(String(12345678901234567890123456789n % 97n));
  });
});

describe('MAX and MIN', () => {
  it('take any number of arguments', () => {
    const args = Array.from({ length: 40 }, (_, i) => ((i * 37) % 41) - 20);
    expect(value(`MAX(${args.join(', ')})`)).toBe(String(Math.max(...args)));
    expect(value(`MIN(${args.join(', ')})`)).toBe(String(Math.min(...args)));
  });

  it('compare decimals exactly and give Currency when any argument is Currency', () => {
    expect(value('MAX(0.1 + 0.2, 0.3)')).toBe('0.3');
    expect(run('MAX(a, c)', { a: 1, c: '0.5' })).toEqual({ type: 'Currency', value: '1' });
  });

  it('are blank when any argument is blank', () => {
    expect(value('MAX(1, a)')).toBeNull();
    expect(value('MIN(a, 1)')).toBeNull();
  });
});

describe('SQRT, LN, LOG and EXP', () => {
  it('SQRT of a perfect square is exact', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (n) => {
        expect(value('SQRT(a)', { a: String(n * n) })).toBe(String(n));
      }),
      { numRuns: 500 },
    );
  });

  it('LOG is Math.log(x) / Math.log(10) in doubles (formula-engine FunctionLog): LOG(1000) is 2.9999999999999996, so FLOOR(LOG(1000)) is 2', () => {
    for (let k = -6; k <= 20; k++) {
      const x = k < 0 ? `1 / ${10 ** -k}` : String(10n ** BigInt(k));
      const double = Math.log(k < 0 ? 1 / 10 ** -k : 10 ** k) / Math.log(10);
      expect(value(`LOG(${x})`)).toBe(String(Number(double.toPrecision(17)) === Math.round(double) ? Math.round(double) : double));
    }
    expect(value('LOG(1000)')).toBe('2.9999999999999996');
    expect(value('FLOOR(LOG(1000))')).toBe('2');
    expect(value('LOG(100)')).toBe('2');
  });

  it('LN and EXP are inverses', () => {
    for (const x of ['-5', '0', '0.5', '1', '7', '42.25']) expect(value(`LN(EXP(${x}))`)).toBe(x);
  });

  it('are the shortest decimal of a Java double, as formula-engine UnaryMathCommand (BigDecimal.valueOf(Math.sqrt(x))) gives them', () => {
    expect(value('SQRT(2)')).toBe('1.4142135623730951');
    expect(value('TEXT(SQRT(2))')).toBe('1.4142135623730951');
    expect(value('SQRT(2) * SQRT(2)')).toBe('2.000000000000000145');
    expect(value('EXP(1)')).toBe('2.718281828459045');
    expect(value('LN(2)')).toBe('0.6931471805599453');
    expect(value('SQRT(16)')).toBe('4');
  });

  it('report domain errors with the position of the call', () => {
    const sqrt = run('1 + SQRT(a)', { a: -4 });
    expect(sqrt).toMatchObject({ error: { code: 'E_INVALID_ARGUMENT', message: 'SQRT() of a negative number (-4) is undefined', span: { start: 4, end: 11 } } });
    expect(run('LN(0)')).toMatchObject({ error: { code: 'E_INVALID_ARGUMENT' } });
    expect(run('LOG(-0.5)')).toMatchObject({ error: { code: 'E_INVALID_ARGUMENT', message: 'LOG() of a negative number (-0.5) is undefined' } });
    expect(run('EXP(100000)')).toMatchObject({ error: { code: 'E_NUMBER_OUT_OF_RANGE' } });
    expect(value('EXP(-100000)')).toBe('0');
  });
});

describe('CURRENCYRATE', () => {
  const rates = { currencyRates: { usd: 1, EUR: '0.92', gbp: 0.79 } };

  it('reads the rate table case-insensitively', () => {
    expect(value('CURRENCYRATE("EUR")', {}, rates)).toBe('0.92');
    expect(value('CURRENCYRATE("Gbp")', {}, rates)).toBe('0.79');
    expect(value('CURRENCYRATE(code)', { code: 'usd' }, rates)).toBe('1');
  });

  it('gives 1 for an unknown or blank ISO code, or without a table', () => {
    expect(value('CURRENCYRATE("CHF")', {}, rates)).toBe('1');
    expect(value('CURRENCYRATE(code)', {}, rates)).toBe('1');
    expect(value('CURRENCYRATE("EUR")')).toBe('1');
  });

  it('converts amounts exactly', () => {
    expect(run('c / CURRENCYRATE("EUR")', { c: '92.92' }, rates)).toEqual({ type: 'Currency', value: '101' });
  });

  it('rejects rates that are not positive numbers', () => {
    for (const bad of ['abc', 0, -1, '']) {
      expect(run('CURRENCYRATE("EUR")', {}, { currencyRates: { EUR: bad as string } })).toMatchObject({ error: { code: 'E_INVALID_INPUT' } });
    }
  });
});
