import { Decimal } from 'decimal.js';
import { defineFunction, type FunctionSpec } from '../registry/registry.js';
import { fail, RuntimeErrorCode } from '../runtime/errors.js';
import { cmp, compact, Dec, dec, isNum, type Num } from '../runtime/num.js';
import type { Geolocation } from '../runtime/values.js';

/*
 * GEOLOCATION and DISTANCE, after Salesforce's formula engine (github.com/salesforce/formula-engine:
 * commands/FunctionGeolocation.java, commands/FunctionDistance.java, util/DistanceUnit.java,
 * impl/GeolocationServiceImpl.java).
 */

const LAT_MIN = -90;
const LAT_MAX = 90;
const LON_MIN = -180;
const LON_MAX = 180;

/** Mean Earth radius per unit, as Salesforce's DistanceUnit enum defines them (not derived from each other). */
export const EARTH_RADIUS: Readonly<Record<'km' | 'mi', number>> = { km: 6371.009, mi: 3958.761 };

/** Significant digits of a DISTANCE result (see `distance`). */
export const DISTANCE_SIGNIFICANT_DIGITS = 12;

function rangeProblem(what: 'Latitude' | 'Longitude', v: Num): string | undefined {
  const [min, max] = what === 'Latitude' ? [LAT_MIN, LAT_MAX] : [LON_MIN, LON_MAX];
  return cmp(v, min) < 0 || cmp(v, max) > 0 ? `${what} ${v.toString()} is out of range: it must be between ${min} and ${max}` : undefined;
}

function checkLocation(fn: string, g: Geolocation): Geolocation {
  const problem = rangeProblem('Latitude', g.latitude) ?? rangeProblem('Longitude', g.longitude);
  if (problem !== undefined) fail(RuntimeErrorCode.InvalidArgument, `${fn}: ${problem}`);
  return g;
}

/** A compile-time check for a literal latitude or longitude. */
const literalInRange =
  (what: 'Latitude' | 'Longitude') =>
  (v: unknown): string | undefined => {
    if (!isNum(v)) return undefined;
    const problem = rangeProblem(what, v as Num);
    return problem === undefined ? undefined : `GEOLOCATION(): ${problem}`;
  };

const GEOLOCATION = defineFunction({
  name: 'GEOLOCATION',
  family: 'geolocation',
  overloads: [
    {
      params: [
        { name: 'latitude', type: 'Numeric', validate: literalInRange('Latitude') },
        { name: 'longitude', type: 'Numeric', validate: literalInRange('Longitude') },
      ],
      returns: 'Geolocation',
      nulls: 'accept',
      impl: (latitude: Num | null, longitude: Num | null): Geolocation | null => {
        if (latitude === null && longitude === null) return null;
        if (latitude === null || longitude === null) {
          fail(RuntimeErrorCode.InvalidArgument, `GEOLOCATION(): ${latitude === null ? 'latitude' : 'longitude'} is blank but ${latitude === null ? 'longitude' : 'latitude'} is not; both or neither must be blank`);
        }
        return checkLocation('GEOLOCATION()', { latitude, longitude });
      },
    },
  ],
  doc: {
    summary: 'A geolocation from a latitude (−90 to 90) and a longitude (−180 to 180), in decimal degrees. Use it with DISTANCE.',
    examples: [
      { formula: 'GEOLOCATION(37.775, -122.418)', result: '{"latitude":"37.775","longitude":"-122.418"}' },
      { formula: 'GEOLOCATION(91, 0)', result: 'error E_INVALID_ARGUMENT' },
    ],
    notes: [
      'An out-of-range literal is a compile-time error; an out-of-range computed value is a runtime error, as in Salesforce.',
      'If both arguments are blank the result is blank; if only one is blank it is an error.',
    ],
  },
});

/**
 * Great-circle distance by the haversine formula. Salesforce's engine computes it in double
 * precision (Java doubles), and so does this: trigonometry in decimals costs a millisecond or
 * more per call and changes nothing that matters, since the Earth radius itself has 7 digits.
 * The result is rounded to 12 significant digits; it is within one unit of the 12th digit of
 * a 40-digit decimal computation (a property test checks this on random pairs).
 */
export function distance(a: Geolocation, b: Geolocation, unit: 'km' | 'mi'): Num {
  const lat1 = dec(a.latitude);
  const lat2 = dec(b.latitude);
  const dLon = normalizeDegrees(dec(b.longitude).minus(dec(a.longitude)));
  // cos(latitude) as sin of the colatitude, which is small near a pole and so keeps full precision.
  const cosLat1 = Math.sin(radians(NINETY.minus(lat1.abs())));
  const cosLat2 = Math.sin(radians(NINETY.minus(lat2.abs())));
  const h = haversineTerm(lat2.minus(lat1), dLon, cosLat1, cosLat2);
  let centralAngle: number;
  if (h <= 0.5) {
    centralAngle = 2 * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
  } else {
    // Nearly antipodal: 1 - h would cancel. Measure to the antipode of b instead (small and well
    // conditioned) and take the supplement.
    const toAntipode = haversineTerm(lat2.neg().minus(lat1), normalizeDegrees(dLon.plus(180)), cosLat1, cosLat2);
    centralAngle = Math.PI - 2 * Math.atan2(Math.sqrt(toAntipode), Math.sqrt(1 - toAntipode));
  }
  const d = centralAngle * EARTH_RADIUS[unit];
  return compact(new Dec(d).toSignificantDigits(DISTANCE_SIGNIFICANT_DIGITS, Decimal.ROUND_HALF_UP));
}

/** sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2), with the differences taken exactly in decimal. */
function haversineTerm(dLat: Decimal, dLon: Decimal, cosLat1: number, cosLat2: number): number {
  const h = Math.sin(radians(dLat) / 2) ** 2 + cosLat1 * cosLat2 * Math.sin(radians(dLon) / 2) ** 2;
  return Math.min(Math.max(h, 0), 1);
}

/** An angle in degrees brought into (-180, 180], exactly. */
function normalizeDegrees(x: Decimal): Decimal {
  let r = x.mod(360);
  if (r.gt(180)) r = r.minus(360);
  else if (r.lte(-180)) r = r.plus(360);
  return r;
}

const radians = (degrees: Decimal): number => degrees.toNumber() * RADIANS_PER_DEGREE;
const NINETY = new Dec(90);
const RADIANS_PER_DEGREE = Math.PI / 180;

const UNITS = ['mi', 'km'] as const;
const isUnit = (u: string): u is 'mi' | 'km' => (UNITS as readonly string[]).includes(u);
const unitProblem = (u: string): string => `DISTANCE(): unit must be 'mi' or 'km' (lower case), received ${JSON.stringify(u)}`;

const DISTANCE = defineFunction({
  name: 'DISTANCE',
  family: 'geolocation',
  overloads: [
    {
      params: [
        { name: 'location1', type: 'Geolocation' },
        { name: 'location2', type: 'Geolocation' },
        { name: 'unit', type: 'Text', validate: (v) => (typeof v === 'string' && !isUnit(v) ? unitProblem(v) : undefined) },
      ],
      returns: 'Number',
      impl: (a: Geolocation, b: Geolocation, unit: string) => {
        if (!isUnit(unit)) fail(RuntimeErrorCode.InvalidArgument, unitProblem(unit));
        return distance(checkLocation('DISTANCE()', a), checkLocation('DISTANCE()', b), unit);
      },
    },
  ],
  doc: {
    summary:
      "The great-circle distance between two geolocations, in miles ('mi') or kilometers ('km'). Uses the haversine formula with Salesforce's mean Earth radius: 6,371.009 km or 3,958.761 mi.",
    examples: [
      { formula: 'DISTANCE(GEOLOCATION(0, 0), GEOLOCATION(0, 180), "km")', result: '20015.1150704' },
      { formula: 'DISTANCE(GEOLOCATION(37.775, -122.418), GEOLOCATION(37.775, -122.418), "mi")', result: '0' },
      { formula: 'ROUND(DISTANCE(Warehouse_Location__c, GEOLOCATION(37.775, -122.418), "km"), 1)', result: 'the distance in kilometers to one decimal place' },
      { formula: 'DISTANCE(GEOLOCATION(0, 0), GEOLOCATION(1, 1), "m")', result: 'error E_INVALID_ARGUMENT' },
    ],
    notes: [
      'The unit must be exactly "mi" or "km" (lower case). A literal unit is checked at compile time; a computed one at run time.',
      'The result is rounded to 12 significant digits: Salesforce computes in double precision, so further digits carry no meaning. Round it for display, for example with ROUND(…, 2).',
      'A blank location or unit gives blank.',
    ],
  },
});

export const geolocationFunctions: readonly FunctionSpec[] = [DISTANCE, GEOLOCATION];
