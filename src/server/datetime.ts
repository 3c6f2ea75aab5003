/** Date-times in requests: the `date-time` format of the HTTP schemas (docs/http-api.md "Limits"). */
import { MAX_YEAR, MIN_YEAR } from '../formula/runtime/temporal.js';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/i;
const FIRST_MS = Date.UTC(MIN_YEAR, 0, 1);
const END_MS = Date.UTC(MAX_YEAR + 1, 0, 1);

/** What `format: date-time` means in a request: a real instant, with an offset, in years {@link MIN_YEAR}–{@link MAX_YEAR}. */
export const DATE_TIME_RULE = `an ISO 8601 date-time with an offset, such as 2026-11-21T10:00:00Z, in the years ${MIN_YEAR} to ${MAX_YEAR}`;

/**
 * The instant of a `date-time` in a request (`format: date-time` in the schemas), or undefined: `YYYY-MM-DDTHH:MM[:SS[.fraction]]` and `Z` or an
 * offset (`+01`, `+0100`, `+01:00`), a day that exists in its month, and an instant in years
 * 1700–4000 (the range Salesforce and the formula runtime support; PostgreSQL's timestamptz takes
 * all of them). `Date.parse` alone takes 2026-02-31 (as 3 March) and year 0, which the store refuses.
 */
export function parseRequestDateTime(s: string): number | undefined {
  const m = DATE_TIME.exec(s);
  if (m === null) return undefined;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [n(1), n(2), n(3), n(4), n(5), n(6), n(9), n(10)];
  if (year < MIN_YEAR - 1 || year > MAX_YEAR + 1) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number))) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  const offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, fraction) - offset;
  return ms >= FIRST_MS && ms < END_MS ? ms : undefined;
}

/** The check behind `format: date-time` in the request schemas (see {@link parseRequestDateTime}). */
export const isDateTime = (s: string): boolean => parseRequestDateTime(s) !== undefined;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
