/** Date-times in requests: the `date-time` format of the HTTP schemas (docs/http-api.md "Limits"). */
import { MAX_YEAR, MIN_YEAR } from '../formula/runtime/temporal.js';

const FIRST_MS = Date.UTC(MIN_YEAR, 0, 1);
const END_MS = Date.UTC(MAX_YEAR + 1, 0, 1);

/** What `format: date-time` means in a request: a real instant, with an offset, in years {@link MIN_YEAR}–{@link MAX_YEAR}. */
export const DATE_TIME_RULE = `an ISO 8601 date-time with an offset, such as 2026-11-21T10:00:00Z, in the years ${MIN_YEAR} to ${MAX_YEAR}`;

/**
 * The instant of a `date-time` in a request (`format: date-time` in the schemas), or undefined: `YYYY-MM-DDTHH:MM[:SS[.fraction]]` and `Z` or an
 * offset (`+01`, `+0100`, `+01:00`), a day that exists in its month, and an instant in years
 * 1700–4000 (the range Salesforce and the formula runtime support; PostgreSQL's timestamptz takes
 * all of them). `Date.parse` alone takes 2026-02-31 (as 3 March) and year 0, which the store refuses.
 * Read by hand, character by character (the schemas check every request's `now` with it): the
 * same language as {@link DATE_TIME_PATTERN}, without a match array and its strings.
 */
export function parseRequestDateTime(s: string): number | undefined {
  const len = s.length;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const t = s.charCodeAt(10);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH || (t !== 84 && t !== 116) || s.charCodeAt(13) !== COLON) return undefined;
  let i = 16;
  let second = 0;
  let fraction = 0;
  if (s.charCodeAt(i) === COLON) {
    second = digits(s, i + 1, 2);
    if (second < 0) return undefined;
    i += 3;
    if (s.charCodeAt(i) === DOT) {
      let j = i + 1;
      while (j < len && isDigit(s.charCodeAt(j))) j++;
      if (j === i + 1 || j - i - 1 > 9) return undefined;
      fraction = Number(`0.${s.slice(i + 1, j)}`) * 1000;
      i = j;
    }
  }
  const zone = s.charCodeAt(i);
  let offsetHours = 0;
  let offsetMinutes = 0;
  let sign = 1;
  if (zone === 90 || zone === 122) i++; // Z or z
  else if (zone === PLUS || zone === DASH) {
    sign = zone === DASH ? -1 : 1;
    offsetHours = digits(s, i + 1, 2);
    i += 3;
    if (i < len) {
      if (s.charCodeAt(i) === COLON) i++;
      offsetMinutes = digits(s, i, 2);
      i += 2;
    }
    if (offsetHours < 0 || offsetMinutes < 0) return undefined;
  } else return undefined;
  if (i !== len) return undefined;
  if (year < MIN_YEAR - 1 || year > MAX_YEAR + 1) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number))) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, fraction) - offset;
  return ms >= FIRST_MS && ms < END_MS ? ms : undefined;
}

/**
 * The language {@link parseRequestDateTime} reads, as a regular expression (documentation, and
 * the reference its tests compare it with).
 */
export const DATE_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/i;

const DASH = 45;
const PLUS = 43;
const COLON = 58;
const DOT = 46;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** The number that the `count` ASCII digits at `at` write, or -1 when any of them is not a digit (or is past the end). */
function digits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

/** The check behind `format: date-time` in the request schemas (see {@link parseRequestDateTime}). */
export const isDateTime = (s: string): boolean => parseRequestDateTime(s) !== undefined;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
