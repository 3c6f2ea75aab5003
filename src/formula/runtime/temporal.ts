import { DateTime, IANAZone } from 'luxon';
import { fail, RuntimeErrorCode } from './errors.js';

/**
 * Temporal runtime values are plain integers, so arithmetic and comparison are exact and fast:
 * - Date: days since 1970-01-01 (a calendar date, no zone);
 * - DateTime: milliseconds since the Unix epoch (an instant, UTC);
 * - Time: milliseconds since midnight, 0 ≤ t < 86,400,000 (a 24-hour clock).
 * luxon handles parsing, time zones and formatting at the edges.
 */
export const MS_PER_DAY = 86_400_000;

/** Salesforce's supported date range: years 1700–4000. */
export const MIN_YEAR = 1700;
export const MAX_YEAR = 4000;
const MIN_DAYS = Date.UTC(MIN_YEAR, 0, 1) / MS_PER_DAY;
const MAX_DAYS = Date.UTC(MAX_YEAR, 11, 31) / MS_PER_DAY;

export function checkDate(days: number): number {
  if (!(days >= MIN_DAYS && days <= MAX_DAYS)) fail(RuntimeErrorCode.DateOutOfRange, `Date is out of range: Salesforce supports years ${MIN_YEAR} to ${MAX_YEAR}`);
  return days;
}

export function checkDateTime(ms: number): number {
  if (!(ms >= MIN_DAYS * MS_PER_DAY && ms < (MAX_DAYS + 1) * MS_PER_DAY)) fail(RuntimeErrorCode.DateOutOfRange, `Date/time is out of range: Salesforce supports years ${MIN_YEAR} to ${MAX_YEAR}`);
  return ms;
}

export function wrapTime(ms: number): number {
  const r = ms % MS_PER_DAY;
  return r < 0 ? r + MS_PER_DAY : r;
}

/** Days since epoch for a calendar date; `undefined` if the date does not exist. */
export function daysFromParts(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCDate() !== day) return undefined;
  return Math.round(d.getTime() / MS_PER_DAY);
}

export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export function partsOfDays(days: number): DateParts {
  const d = new Date(days * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function formatDate(days: number): string {
  const { year, month, day } = partsOfDays(days);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function formatTime(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const CANONICAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
const TIME_TEXT = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/** Parses `YYYY-MM-DD`. */
export function parseDate(v: unknown): number | undefined {
  if (typeof v === 'string') {
    const m = DATE_TEXT.exec(v);
    return m === null ? undefined : daysFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  if (v instanceof Date && !Number.isNaN(v.getTime())) return Math.floor(v.getTime() / MS_PER_DAY);
  if (DateTime.isDateTime(v) && v.isValid) return daysFromParts(v.year, v.month, v.day);
  return undefined;
}

/** Parses an ISO 8601 date-time with an offset (`Z`, `+02:00`), a JS Date or a luxon DateTime. */
export function parseDateTime(v: unknown): number | undefined {
  if (typeof v === 'string') {
    if (CANONICAL_DATETIME.test(v)) {
      const ms = Date.parse(v);
      return Number.isNaN(ms) ? undefined : ms;
    }
    if (!HAS_OFFSET.test(v)) return undefined;
    const dt = DateTime.fromISO(v, { setZone: true });
    return dt.isValid ? dt.toMillis() : undefined;
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  if (DateTime.isDateTime(v)) return v.isValid ? v.toMillis() : undefined;
  return undefined;
}

/** Parses `HH:mm`, `HH:mm:ss` or `HH:mm:ss.SSS` (24-hour clock). */
export function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = TIME_TEXT.exec(v);
  if (m === null) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  const ms = m[4] === undefined ? 0 : Number(m[4].padEnd(3, '0'));
  if (h > 23 || min > 59 || s > 59) return undefined;
  return h * 3_600_000 + min * 60_000 + s * 1000 + ms;
}

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The calendar date of an instant in a time zone. */
export function dateInZone(ms: number, zone: string): number {
  const dt = DateTime.fromMillis(ms, { zone });
  return daysFromParts(dt.year, dt.month, dt.day) as number;
}

/** The time of day of an instant in a time zone. */
export function timeInZone(ms: number, zone: string): number {
  const dt = DateTime.fromMillis(ms, { zone });
  return dt.hour * 3_600_000 + dt.minute * 60_000 + dt.second * 1000 + dt.millisecond;
}
