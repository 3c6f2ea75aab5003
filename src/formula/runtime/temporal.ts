import { DateTime, IANAZone, type Zone } from 'luxon';
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

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/**
 * Days since epoch of a proleptic Gregorian date, in integer arithmetic (H. Hinnant's
 * days_from_civil): the same calendar as JS `Date`, without allocating one. Years 0-9999 only.
 */
function civilToDays(y: number, m: number, d: number): number {
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  // Every quotient below is of non-negative integers under 2^31: `| 0` is the floor.
  const doy = (((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) | 0) + d - 1;
  const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy;
  return era * 146097 + doe - 719468;
}

/** Days since epoch for a calendar date; `undefined` if the date does not exist. */
export function daysFromParts(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (year >= 0 && year <= 9999) {
    const last = month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] as number);
    return day > last ? undefined : civilToDays(year, month, day);
  }
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

/** Days since epoch of 0000-03-01 and 9999-12-31: the range of the integer fast path below. */
const FAST_MIN_DAYS = -719468;
const FAST_MAX_DAYS = 2932896;

/** The last date split into parts (YEAR and MONTH of one date, or TEXT after WEEKDAY, share it). */
let lastPartsDays = NaN;
let lastParts: DateParts = { year: 1970, month: 1, day: 1 };
/** The parts of the last date text read by `parseDate` (kept as numbers: no object per read). */
let parsedDays = NaN;
let parsedYear = 0;
let parsedMonth = 0;
let parsedDay = 0;

export function partsOfDays(days: number): DateParts {
  if (days === lastPartsDays) return lastParts;
  if (days === parsedDays) {
    lastParts = { year: parsedYear, month: parsedMonth, day: parsedDay };
    lastPartsDays = days;
    return lastParts;
  }
  if (Number.isInteger(days) && days >= FAST_MIN_DAYS && days <= FAST_MAX_DAYS) {
    // H. Hinnant's civil_from_days: the same calendar as JS Date, without allocating one. In this
    // range every quotient is of non-negative integers under 2^31, so `| 0` is the floor.
    const z = days + 719468;
    const era = (z / 146097) | 0;
    const doe = z - era * 146097;
    const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36524) | 0) - ((doe / 146096) | 0)) / 365) | 0;
    const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
    const mp = ((5 * doy + 2) / 153) | 0;
    const day = doy - (((153 * mp + 2) / 5) | 0) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    lastParts = { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
    lastPartsDays = days;
    return lastParts;
  }
  const d = new Date(days * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Two-digit texts of 0–31, for months and days. */
const TWO = Array.from({ length: 32 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/** The last date formatted and its text (a record's date is often written more than once). */
let lastTextDays = NaN;
let lastText = '';

export function formatDate(days: number): string {
  if (days === lastTextDays) return lastText;
  const { year, month, day } = partsOfDays(days);
  const text = `${year >= 1000 && year <= 9999 ? String(year) : pad(year, 4)}-${TWO[month]!}-${TWO[day]!}`;
  lastTextDays = days;
  lastText = text;
  return text;
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

/** The ASCII decimal number in `s[from, to)`, or -1 if a character is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Parses `YYYY-MM-DD`. */
export function parseDate(v: unknown): number | undefined {
  if (typeof v === 'string') {
    if (v.length === 10 && v.charCodeAt(4) === 45 && v.charCodeAt(7) === 45) {
      // The common case without a regular expression: exactly what DATE_TEXT accepts.
      const year = digits(v, 0, 4);
      const month = digits(v, 5, 7);
      const day = digits(v, 8, 10);
      if (year < 0 || month < 0 || day < 0) return undefined;
      const days = daysFromParts(year, month, day);
      if (days !== undefined) {
        // This text is the date's canonical text, and these are its parts: a TEXT(), YEAR() or
        // MONTH() of the value just read need not compute them again.
        lastTextDays = days;
        lastText = v;
        parsedDays = days;
        parsedYear = year;
        parsedMonth = month;
        parsedDay = day;
      }
      return days;
    }
    const m = DATE_TEXT.exec(v);
    return m === null ? undefined : daysFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  if (v instanceof Date && !Number.isNaN(v.getTime())) return Math.floor(v.getTime() / MS_PER_DAY);
  if (DateTime.isDateTime(v) && v.isValid) return daysFromParts(v.year, v.month, v.day);
  return undefined;
}

/** The two-digit decimal number at `s[i]`, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * A date part (`YYYY-MM-DDT`) read twice in a row, and the same text with its `T` raised to `U`:
 * a text `v` with `DATE_LO <= v < DATE_HI` starts with exactly that date part (two comparisons
 * done natively, cheaper than reading and checking its 11 characters), so only its time part is
 * read. `DATE_MS`: that date's midnight UTC in epoch ms. Kept only once a date part repeats, so
 * texts of alternating dates (a record's date/time fields) do not pay for building the two texts.
 */
let DATE_LO = '';
let DATE_HI = '';
let DATE_MS = NaN;
/** Whether the last text read started with that date part (else the next one is read without comparing). */
let DATE_HOT = false;
/** The last date part read (as numbers) and its midnight UTC in epoch ms. */
let lastYear = -1;
let lastMonth = -1;
let lastDay = -1;
let lastDateMs = 0;

/** The time of day, in ms, of `HH:mm:ss` at `v[11]`, or -1 (hours 00-23, minutes and seconds 00-59). */
function timeOfDay(v: string): number {
  if (v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return -1;
  const h = digits2(v, 11);
  const min = digits2(v, 14);
  const sec = digits2(v, 17);
  if (h < 0 || h > 23 || min < 0 || min > 59 || sec < 0 || sec > 59) return -1;
  return h * 3_600_000 + min * 60_000 + sec * 1000;
}

/** The offset `±HH:mm` at `v[i]` in ms (hours 00-23, minutes 00-59), or NaN. */
function offsetAt(v: string, i: number): number {
  const sign = v.charCodeAt(i);
  if ((sign !== 43 && sign !== 45) || v.charCodeAt(i + 3) !== 58) return NaN;
  const h = digits2(v, i + 1);
  const min = digits2(v, i + 4);
  if (h < 0 || h > 23 || min < 0 || min > 59) return NaN;
  const ms = h * 3_600_000 + min * 60_000;
  return sign === 43 ? ms : -ms;
}

/** Midnight UTC of the date `YYYY-MM-DD` that starts `v` (followed by `T`), in epoch ms, or NaN for anything else or a day that does not exist. */
function dateAt(v: string): number {
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84) return NaN;
  const century = digits2(v, 0);
  const yy = digits2(v, 2);
  const month = digits2(v, 5);
  const day = digits2(v, 8);
  if (century < 0 || yy < 0 || month < 0 || day < 0) return NaN;
  const year = century * 100 + yy;
  if (year !== lastYear || month !== lastMonth || day !== lastDay) {
    const days = daysFromParts(year, month, day);
    if (days === undefined) return NaN;
    lastYear = year;
    lastMonth = month;
    lastDay = day;
    lastDateMs = days * MS_PER_DAY;
    DATE_HOT = false;
  } else {
    // The same date part twice in a row: later texts are compared with it instead of read.
    if (DATE_MS !== lastDateMs) {
      DATE_LO = v.slice(0, 11);
      DATE_HI = `${v.slice(0, 10)}U`;
      DATE_MS = lastDateMs;
    }
    DATE_HOT = true;
  }
  return lastDateMs;
}

/**
 * The canonical ISO forms, read without a regular expression, `Date.parse` or luxon:
 * `YYYY-MM-DDTHH:mm:ss`, then `.SSS` or nothing, then `Z` or `±HH:mm` (what `toISOString()`
 * writes, and what callers send as `now`). Only strictly valid values (an existing day, hours
 * 00-23, minutes and seconds 00-59, an offset under 24 hours); anything else is undefined and
 * takes the general path, which gives the same answer for every text accepted here
 * (test/runtime/temporal.test.ts compares them).
 */
function canonicalDateTime(v: string): number | undefined {
  const n = v.length;
  let offset = 0;
  let ms = 0;
  if (n === 24 || n === 29) {
    // `.SSS`
    if (v.charCodeAt(19) !== 46) return undefined;
    const ms2 = digits2(v, 20);
    const ms3 = v.charCodeAt(22) - 48;
    if (ms2 < 0 || ms3 < 0 || ms3 > 9) return undefined;
    ms = ms2 * 10 + ms3;
    if (n === 24 ? v.charCodeAt(23) !== 90 : Number.isNaN((offset = offsetAt(v, 23)))) return undefined;
  } else if (n === 20) {
    if (v.charCodeAt(19) !== 90) return undefined;
  } else if (n === 25) {
    if (Number.isNaN((offset = offsetAt(v, 19)))) return undefined;
  } else return undefined;
  const time = timeOfDay(v);
  if (time < 0) return undefined;
  const date = DATE_HOT && v >= DATE_LO && v < DATE_HI ? DATE_MS : dateAt(v);
  if (Number.isNaN(date)) return undefined;
  return date + time + ms - offset;
}

/** Parses an ISO 8601 date-time with an offset (`Z`, `+02:00`), a JS Date or a luxon DateTime. */
export function parseDateTime(v: unknown): number | undefined {
  if (typeof v === 'string') {
    const fast = canonicalDateTime(v);
    return fast !== undefined ? fast : generalDateTime(v);
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  if (DateTime.isDateTime(v)) return v.isValid ? v.toMillis() : undefined;
  return undefined;
}

/**
 * An ISO 8601 date-time text with an offset by the general path (`Date.parse` for the
 * `toISOString()` form, luxon for the rest): what `parseDateTime` answers for every text.
 */
function generalDateTime(v: string): number | undefined {
  if (CANONICAL_DATETIME.test(v)) {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (!HAS_OFFSET.test(v)) return undefined;
  const dt = DateTime.fromISO(v, { setZone: true });
  return dt.isValid ? dt.toMillis() : undefined;
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

/** The largest |epoch ms| a JS Date (and luxon) accepts. */
const MAX_INSTANT = 8.64e15;

/**
 * The last local day computed in a zone other than UTC: every instant of `[ZONE_LO, ZONE_HI)`
 * has the date `ZONE_DAYS` in `ZONE`, whose offset there is `ZONE_OFFSET` (minutes, as luxon
 * gives it) by the rules `ZONE_RULES`. Asking the zone's rules (luxon, through `Intl`) costs
 * microseconds; consecutive instants mostly fall on one local day, or on the next.
 */
let ZONE = '';
let ZONE_LO = 0;
let ZONE_HI = 0;
let ZONE_DAYS = 0;
let ZONE_OFFSET = 0;
let ZONE_RULES: Zone | undefined;

/** The calendar date of an instant in a time zone. */
export function dateInZone(ms: number, zone: string): number {
  // UTC needs no zone rules: the day is the floor of the instant (`+ 0` turns -0 into 0).
  if (zone === 'UTC' && Number.isInteger(ms) && ms >= -MAX_INSTANT && ms <= MAX_INSTANT) return Math.floor(ms / MS_PER_DAY) + 0;
  if (zone === ZONE) {
    if (ms >= ZONE_LO && ms < ZONE_HI) return ZONE_DAYS;
    if (ms >= ZONE_HI ? ms < ZONE_HI + MS_PER_DAY && moveLocalDay(1) : ms >= ZONE_LO - MS_PER_DAY && moveLocalDay(-1)) return ZONE_DAYS;
  }
  const dt = DateTime.fromMillis(ms, { zone });
  const days = daysFromParts(dt.year, dt.month, dt.day) as number;
  if (dt.isValid && Number.isInteger(ms)) rememberLocalDay(ms, zone, dt, days);
  return days;
}

/**
 * Keeps the local day of `dt` (the instant `ms` in `zoneName`) as the window `[midnight, next
 * midnight)` under `dt`'s offset, when the zone has that same offset at both ends of it (a day
 * with a change of offset is not kept: each of its instants asks the zone again). The zones'
 * rules never change the offset twice within a day and back (test/runtime/temporal.test.ts
 * compares the answers with luxon's around every change of offset of several zones).
 */
function rememberLocalDay(ms: number, zoneName: string, dt: DateTime, days: number): void {
  const lo = ms - (dt.hour * 3_600_000 + dt.minute * 60_000 + dt.second * 1000 + dt.millisecond);
  const hi = lo + MS_PER_DAY;
  const zone = dt.zone;
  if (hi > MAX_INSTANT || lo < -MAX_INSTANT || zone.offset(lo) !== dt.offset || zone.offset(hi - 1) !== dt.offset) return;
  ZONE = zoneName;
  ZONE_LO = lo;
  ZONE_HI = hi;
  ZONE_DAYS = days;
  ZONE_OFFSET = dt.offset;
  ZONE_RULES = zone;
}

/**
 * Moves the kept local day to the next one (`step` 1) or the one before (-1) when the zone still
 * has the same offset at the far end of it: one question to the zone instead of three (the same
 * rule as above: the offset is the same at both ends of a span of a day, so all through it).
 */
function moveLocalDay(step: 1 | -1): boolean {
  const lo = ZONE_LO + step * MS_PER_DAY;
  const hi = lo + MS_PER_DAY;
  if (hi > MAX_INSTANT || lo < -MAX_INSTANT || (ZONE_RULES as Zone).offset(step === 1 ? hi - 1 : lo) !== ZONE_OFFSET) return false;
  ZONE_LO = lo;
  ZONE_HI = hi;
  ZONE_DAYS += step;
  return true;
}
