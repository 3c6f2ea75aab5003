import type { ScalarTypeName } from '../types.js';
import { dec, Dec, Fixed, formatNum, shift, Wide, type Num } from './num.js';
import { toNum } from './num-read.js';
import { formatDate, formatDateTime, formatTime, parseDate, parseDateTime, parseTime } from './temporal.js';

/** A geolocation: latitude and longitude in degrees. */
export interface Geolocation {
  readonly latitude: Num;
  readonly longitude: Num;
}

/**
 * A runtime value. Its JS representation depends on the static type (see `decodeValue`):
 * numbers are `Num`; Text, Id, Picklist and MultiPicklist are strings; Boolean is a boolean;
 * Date, DateTime and Time are integers (days, epoch ms, ms of day); `null` is blank.
 */
export type RuntimeValue = Num | string | boolean | Geolocation | null;

/**
 * Converts an input to the runtime value of a type, as the library API exposes values (see
 * `publicValue`). Returns `undefined` when the input does not fit the type.
 */
export function decodeValue(type: ScalarTypeName, v: unknown): RuntimeValue | undefined {
  const r = decodeRuntimeValue(type, v);
  return r === undefined ? undefined : publicValue(r);
}

/**
 * The value as the library API exposes it: numbers as a JS number (safe integers) or a
 * decimal.js Decimal, never the engine's internal short-decimal representation.
 */
export function publicValue(v: RuntimeValue): RuntimeValue {
  if (v instanceof Fixed || v instanceof Wide) return dec(v);
  if (v !== null && typeof v === 'object' && 'latitude' in v) {
    const g = v as Geolocation;
    if (g.latitude instanceof Fixed || g.longitude instanceof Fixed || g.latitude instanceof Wide || g.longitude instanceof Wide) return { latitude: publicValue(g.latitude) as Num, longitude: publicValue(g.longitude) as Num };
  }
  return v;
}

/** A value as it travels in JSON: `{"type": "Number", "value": "1357.95"}`. */
export interface WireValue {
  readonly type: ScalarTypeName;
  readonly value: string | boolean | { latitude: string; longitude: string } | null;
}


/** What each type accepts on input, for error messages. */
export const INPUT_FORMS: Record<ScalarTypeName, string> = {
  Number: 'a JSON number or a decimal string',
  Currency: 'a JSON number or a decimal string',
  Percent: 'a JSON number or a decimal string (50 means 50%)',
  Text: 'a string',
  Id: 'a string',
  Picklist: 'a string',
  MultiPicklist: 'a string of values separated by ";" or an array of strings',
  Boolean: 'true or false',
  Date: 'a date as "YYYY-MM-DD"',
  DateTime: 'an ISO 8601 date-time with an offset, such as "2026-11-21T10:00:00.000Z"',
  Time: 'a time as "HH:mm:ss.SSS"',
  Geolocation: 'an object {"latitude", "longitude"} with numbers or decimal strings',
};

/**
 * Converts an input (JSON, or a JS value from the library) to the runtime value of a type.
 * `null`/`undefined` are blank. Returns `undefined` when the input does not fit the type.
 */
export function decodeRuntimeValue(type: ScalarTypeName, v: unknown): RuntimeValue | undefined {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'Number':
    case 'Currency':
      return toNum(v);
    case 'Percent': {
      const n = toNum(v);
      return n === undefined ? undefined : shift(n, -2);
    }
    case 'Text':
    case 'Id':
    case 'Picklist':
      return typeof v === 'string' ? v : undefined;
    case 'MultiPicklist':
      if (typeof v === 'string') return v;
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join(';') : undefined;
    case 'Boolean':
      return typeof v === 'boolean' ? v : undefined;
    case 'Date':
      return parseDate(v);
    case 'DateTime':
      return parseDateTime(v);
    case 'Time':
      return parseTime(v);
    case 'Geolocation': {
      if (typeof v !== 'object') return undefined;
      const g = v as { latitude?: unknown; longitude?: unknown };
      const latitude = toNum(g.latitude);
      const longitude = toNum(g.longitude);
      return latitude === undefined || longitude === undefined ? undefined : { latitude, longitude };
    }
  }
}

export interface EncodeOptions {
  /** Decimal places for Number, Currency and Percent results. */
  readonly scale?: number;
}

/** Encodes a runtime value for JSON, following the wire contract. */
export function encodeValue(type: ScalarTypeName, v: RuntimeValue, options: EncodeOptions = {}): WireValue {
  if (v === null) return { type, value: null };
  switch (type) {
    case 'Number':
    case 'Currency':
      return { type, value: formatNum(v as Num, options.scale) };
    case 'Percent':
      return { type, value: formatNum(shift(v as Num, 2), options.scale) };
    case 'Text':
    case 'Id':
    case 'Picklist':
    case 'MultiPicklist':
      return { type, value: v === '' ? null : (v as string) };
    case 'Boolean':
      return { type, value: v as boolean };
    case 'Date':
      return { type, value: formatDate(v as number) };
    case 'DateTime':
      return { type, value: formatDateTime(v as number) };
    case 'Time':
      return { type, value: formatTime(v as number) };
    case 'Geolocation': {
      const g = v as Geolocation;
      return { type, value: { latitude: formatNum(g.latitude), longitude: formatNum(g.longitude) } };
    }
  }
}

export { Dec };
