/** Unit and property tests for GEOLOCATION and DISTANCE. */
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/index.js';
import { runs } from '../helpers/runs.js';

const RUNS = { numRuns: 150 };

const distanceOf = compileFormula('DISTANCE(a, b, u)', { fields: { a: 'Geolocation', b: 'Geolocation', u: 'Text' } });

function distance(a: [string, string], b: [string, string], u = 'km'): string {
  const r = distanceOf.evaluateToWire({ record: { a: { latitude: a[0], longitude: a[1] }, b: { latitude: b[0], longitude: b[1] }, u } });
  if ('error' in r) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as string;
}

/** Coordinates with up to 6 decimals, as geolocation fields store them. */
const coordinate = (max: number) => fc.integer({ min: -max * 1e6, max: max * 1e6 }).map((n) => new Decimal(n).div(1e6).toFixed());
const point = fc.tuple(coordinate(90), coordinate(180));

/**
 * The haversine distance in double precision: an independent, approximate reference, with how
 * far off it may be. Near antipodal points `1 - h` is tiny and carries the few ulps of error of
 * `h`: the angle's error grows as 1/sqrt(1 - h), up to 2·sqrt(that error) (DISTANCE itself
 * measures such points from the antipode, so it keeps its precision there).
 */
function haversine(a: [string, string], b: [string, string], radius: number): { distance: number; slack: number } {
  const rad = Math.PI / 180;
  const [p1, p2] = [Number(a[0]) * rad, Number(b[0]) * rad];
  // Rounding can take h just past 1 at the antipode (sqrt(1 - h) would be NaN).
  const h = Math.min(1, Math.sin((p2 - p1) / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(((Number(b[1]) - Number(a[1])) * rad) / 2) ** 2);
  const error = 4 * Number.EPSILON;
  const slack = radius * Math.min(error / Math.sqrt(Math.max(1 - h, Number.MIN_VALUE)), 2 * Math.sqrt(error));
  return { distance: 2 * radius * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h)), slack };
}

const significantDigits = (s: string): number => s.replace(/^[-0.]+/, '').replace('.', '').replace(/0+$/, '').length;

describe('DISTANCE', () => {
  it('agrees with a double-precision haversine and keeps at most 15 significant digits', () => {
    fc.assert(
      fc.property(point, point, fc.constantFrom('km', 'mi'), (a, b, u) => {
        const got = distance(a, b, u);
        const { distance: expected, slack } = haversine(a, b, u === 'km' ? 6371.009 : 3958.761);
        expect(Math.abs(Number(got) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected) + slack);
        expect(significantDigits(got)).toBeLessThanOrEqual(15);
      }),
      RUNS,
    );
  });

  it('agrees with the reference near antipodal points close to the poles, where the reference loses precision (a counterexample fast-check found)', () => {
    const a: [string, string] = ['89.999992', '163.941543'];
    const b: [string, string] = ['-89.999992', '-0.000007'];
    const { distance: expected, slack } = haversine(a, b, 6371.009);
    expect(slack).toBeGreaterThan(1e-5);
    expect(Math.abs(Number(distance(a, b, 'km')) - expected)).toBeLessThanOrEqual(1e-9 * expected + slack);
  });

  it('is symmetric, zero for the same point, and bounded by half the circumference', () => {
    fc.assert(
      fc.property(point, point, (a, b) => {
        expect(distance(a, b)).toBe(distance(b, a));
        expect(distance(a, a)).toBe('0');
        expect(new Decimal(distance(a, b)).lte('20015.1150703545')).toBe(true);
      }),
      RUNS,
    );
  });

  it('satisfies the triangle inequality (within rounding)', () => {
    fc.assert(
      fc.property(point, point, point, (a, b, c) => {
        const [ab, bc, ac] = [distance(a, b), distance(b, c), distance(a, c)];
        expect(new Decimal(ac).lte(new Decimal(ab).plus(bc).plus('1e-6'))).toBe(true);
      }),
      RUNS,
    );
  });

  it('uses Salesforce’s radii: miles are not derived from kilometres', () => {
    // π × 6371.009 and π × 3958.761 (salesforce/formula-engine DistanceUnitTest); 6371.009 / 1.609344 would give 12436.8145…
    expect(distance(['0', '0'], ['0', '180'], 'km')).toBe('20015.1150704');
    expect(distance(['0', '0'], ['0', '180'], 'mi')).toBe('12436.8144749');
  });

  it('is exact for a quarter meridian: π/2 × R', () => {
    expect(distance(['0', '0'], ['90', '0'], 'km')).toBe(new Decimal('6371.009').times(Decimal.acos(-1)).div(2).toSignificantDigits(12).toFixed());
  });

  it('computed in double precision, is within one unit of the 12th significant digit of a 40-digit decimal haversine', () => {
    const D = Decimal.clone({ precision: 40 });
    const rad = D.acos(-1).div(180);
    const reference = (a: [string, string], b: [string, string]) => {
      const [lat1, lat2] = [new D(a[0]).times(rad), new D(b[0]).times(rad)];
      const h = D.sin(lat2.minus(lat1).div(2)).pow(2).plus(D.cos(lat1).times(D.cos(lat2)).times(D.sin(new D(b[1]).minus(a[1]).times(rad).div(2)).pow(2)));
      const c = D.atan2(h.sqrt(), new D(1).minus(h).sqrt()).times(2);
      return c.times('6371.009');
    };
    fc.assert(
      fc.property(point, point, (a, b) => {
        const exact = reference(a, b);
        if (exact.isZero()) {
          expect(distance(a, b)).toBe('0');
          return;
        }
        // Results print with at most 18 decimal places (formula-language.md), which bounds tiny distances.
        const unitInLastPlace = D.max(new D(10).pow(exact.abs().log(10).floor().minus(11)), '1e-18');
        expect(new D(distance(a, b)).minus(exact).abs().lte(unitInLastPlace), `${distance(a, b)} vs ${exact.toString()}`).toBe(true);
      }),
      { numRuns: runs(3000), seed: 20261121 },
    );
  });

  it('accepts only "mi" and "km": literals at compile time, other values at run time', () => {
    for (const unit of ['m', 'KM', 'Mi', 'miles', 'kilometers', ' km']) {
      const compiled = compileFormula(`DISTANCE(GEOLOCATION(0, 0), GEOLOCATION(1, 1), "${unit}")`);
      expect(compiled.ok, unit).toBe(false);
      expect(compiled.diagnostics[0]?.code).toBe('E_INVALID_ARGUMENT');
      const r = distanceOf.evaluateToWire({ record: { a: { latitude: 0, longitude: 0 }, b: { latitude: 1, longitude: 1 }, u: unit } });
      expect('error' in r && r.error.code, unit).toBe('E_INVALID_ARGUMENT');
    }
    expect(compileFormula('DISTANCE(GEOLOCATION(0, 0), GEOLOCATION(1, 1), IF(TRUE, "km", "mi"))').ok).toBe(true);
  });
});

describe('GEOLOCATION', () => {
  it('checks literal ranges at compile time, including negated literals', () => {
    for (const [lat, lon] of [['90.0001', '0'], ['-90.0001', '0'], ['0', '180.0001'], ['0', '-180.0001']]) {
      const compiled = compileFormula(`GEOLOCATION(${lat}, ${lon})`);
      expect(compiled.ok, `${lat}, ${lon}`).toBe(false);
      expect(compiled.diagnostics[0]?.code).toBe('E_INVALID_ARGUMENT');
    }
    expect(compileFormula('GEOLOCATION(-90, -180)').ok).toBe(true);
  });

  it('checks computed values at run time', () => {
    const f = compileFormula('GEOLOCATION(lat, lon)', { fields: { lat: 'Number', lon: 'Number' } });
    expect(f.evaluateToWire({ record: { lat: 45.5, lon: -73.6 } })).toEqual({ type: 'Geolocation', value: { latitude: '45.5', longitude: '-73.6' } });
    expect(f.evaluateToWire({ record: {} })).toEqual({ type: 'Geolocation', value: null });
    for (const record of [{ lat: 91, lon: 0 }, { lat: 0, lon: -181 }, { lat: 1 }, { lon: 1 }]) {
      const r = f.evaluateToWire({ record });
      expect('error' in r && r.error.code, JSON.stringify(record)).toBe('E_INVALID_ARGUMENT');
    }
  });

  it('keeps exact decimal coordinates', () => {
    const f = compileFormula('GEOLOCATION(0.1 + 0.2, -122.41940000001)');
    expect(f.evaluateToWire()).toEqual({ type: 'Geolocation', value: { latitude: '0.3', longitude: '-122.41940000001' } });
  });
});
