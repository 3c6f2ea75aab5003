import { defineFunction, type FunctionSpec, type ParamSpec, type ParamType } from '../registry/registry.js';
import type { RuntimeContext } from '../runtime/context.js';
import { fail, RuntimeErrorCode } from '../runtime/errors.js';
import { dec, type Num } from '../runtime/num.js';
import { checkDate, checkDateTime, dateInZone, daysFromParts, MAX_YEAR, MIN_YEAR, MS_PER_DAY, partsOfDays, wrapTime } from '../runtime/temporal.js';

/*
 * Date and time functions. The reference is Salesforce's own open-source formula engine
 * (github.com/salesforce/formula-engine, `impl/src/main/java/com/force/formula/commands/Function*.java`,
 * and its test corpus `formulaTestV2.xml`), checked against the Salesforce help pages; where the
 * engine's in-memory and SQL paths differ, docs/compatibility.md says which one Parlance follows.
 *
 * Representations (see runtime/temporal.ts): Date = days since 1970-01-01, DateTime = epoch ms
 * (UTC), Time = ms since midnight on a 24-hour clock.
 */

const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;
const MS_PER_SECOND = 1000;

const p = (name: string, type: ParamType): ParamSpec => ({ name, type });

/** Examples that read the clock are shown as evaluated at this instant. */
const CLOCK_NOTE = 'Examples that read the clock assume it is 2026-11-21T10:00:00Z (a Saturday) in the UTC time zone.';

/** Text as shown in an error message: quoted, at most 40 characters. */
function quote(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** A number argument as a whole number, truncated toward zero (Java's BigDecimal.intValue, as Salesforce does). */
function truncated(n: Num): number | undefined {
  if (typeof n === 'number') return n; // JS numbers are always safe integers (runtime/num.ts)
  const t = dec(n).trunc();
  return t.abs().lte(Number.MAX_SAFE_INTEGER) ? t.toNumber() : undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The number of days in a month (1–12) of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Why year-month-day is not a calendar date, or undefined when it is one. */
function calendarProblem(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12) return `month ${month} is not between 1 and 12`;
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) return `day ${day} is not between 1 and ${last} (${MONTH_NAMES[month - 1]} ${year} has ${last} days)`;
  return undefined;
}

/** Days since epoch for a calendar date, failing with a clear message when it does not exist or is out of range. */
function dateOf(fn: string, year: number, month: number, day: number): number {
  const problem = calendarProblem(year, month, day);
  if (problem !== undefined) fail(RuntimeErrorCode.InvalidArgument, `${fn}: ${problem}`);
  if (year < MIN_YEAR || year > MAX_YEAR) fail(RuntimeErrorCode.DateOutOfRange, `${fn}: year ${year} is out of range: Salesforce supports years ${MIN_YEAR} to ${MAX_YEAR}`);
  return checkDate(daysFromParts(year, month, day) as number);
}

// ---------------------------------------------------------------------------
// Text conversions. These follow the formula engine's in-memory evaluator, which parses with
// java.text.SimpleDateFormat in non-lenient mode: fields may have one or more digits, the year must
// have exactly four, and DATEVALUE/DATETIMEVALUE ignore what follows the pattern.

/** Java's `\d{4}-.*` pre-check (with `matches()`, so no line terminator anywhere). */
const FOUR_DIGIT_YEAR = /^\d{4}-[^\n\r\u0085\u2028\u2029]*$/;
const DATE_PREFIX = /^(\d{4})-(\d+)-(\d+)/;
const DATETIME_PREFIX = /^(\d{4})-(\d+)-(\d+) (\d+):(\d+):(\d+)/;
const TIME_FULL = /^(\d+):(\d+):(\d+)\.(\d+)$/;

/** DATEVALUE(text): `YYYY-MM-DD` (the month and day may have one digit); anything after the day is ignored. */
export function parseDateText(s: string): number {
  const m = FOUR_DIGIT_YEAR.test(s) ? DATE_PREFIX.exec(s) : null;
  if (m === null) fail(RuntimeErrorCode.InvalidArgument, `DATEVALUE() cannot convert ${quote(s)} to a date: expected text in the format YYYY-MM-DD, such as "2026-11-21"`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const problem = calendarProblem(year, month, day);
  if (problem !== undefined) fail(RuntimeErrorCode.InvalidArgument, `DATEVALUE() cannot convert ${quote(s)} to a date: ${problem}`);
  return dateOf('DATEVALUE()', year, month, day);
}

/** DATETIMEVALUE(text): `YYYY-MM-DD HH:MM:SS` in GMT; anything after the seconds is ignored. */
export function parseDateTimeText(s: string): number {
  const m = FOUR_DIGIT_YEAR.test(s) ? DATETIME_PREFIX.exec(s) : null;
  if (m === null) {
    fail(RuntimeErrorCode.InvalidArgument, `DATETIMEVALUE() cannot convert ${quote(s)} to a date/time: expected text in the format YYYY-MM-DD HH:MM:SS (GMT), such as "2026-11-21 17:00:00"`);
  }
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const problem =
    calendarProblem(year, month, day) ??
    (hour > 23 ? `hour ${hour} is not between 0 and 23` : minute > 59 ? `minute ${minute} is not between 0 and 59` : second > 59 ? `second ${second} is not between 0 and 59` : undefined);
  if (problem !== undefined) fail(RuntimeErrorCode.InvalidArgument, `DATETIMEVALUE() cannot convert ${quote(s)} to a date/time: ${problem}`);
  const days = dateOf('DATETIMEVALUE()', year, month, day);
  return checkDateTime(days * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND);
}

/** TIMEVALUE(text): exactly `HH:MM:SS.MS` on a 24-hour clock; the digits after the point are a count of milliseconds. */
export function parseTimeText(s: string): number {
  const m = TIME_FULL.exec(s);
  if (m === null) fail(RuntimeErrorCode.InvalidArgument, `TIMEVALUE() cannot convert ${quote(s)} to a time: expected text in the format HH:MM:SS.MS on a 24-hour clock, such as "17:30:45.125"`);
  const [hour, minute, second, ms] = m.slice(1).map(Number) as [number, number, number, number];
  const problem =
    hour > 23
      ? `hour ${hour} is not between 0 and 23`
      : minute > 59
        ? `minute ${minute} is not between 0 and 59`
        : second > 59
          ? `second ${second} is not between 0 and 59`
          : ms > 999
            ? `millisecond ${m[4]} is not between 0 and 999`
            : undefined;
  if (problem !== undefined) fail(RuntimeErrorCode.InvalidArgument, `TIMEVALUE() cannot convert ${quote(s)} to a time: ${problem}`);
  return hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND + ms;
}

/** Blank text converts to blank; other text is parsed. */
const fromText =
  (parse: (s: string) => number) =>
  (s: string): number | null =>
    s === '' ? null : parse(s);

// ---------------------------------------------------------------------------
// ADDMONTHS

/**
 * Adds whole months to a date as Oracle's ADD_MONTHS does (Salesforce's reference for ADDMONTHS):
 * the last day of a month maps to the last day of the resulting month; otherwise the day is kept,
 * clamped to the end of a shorter month.
 */
export function addMonthsToDays(days: number, n: Num): number {
  const months = truncated(n);
  const { year, month, day } = partsOfDays(days);
  const total = months === undefined ? undefined : year * 12 + (month - 1) + months;
  const targetYear = total === undefined ? undefined : Math.floor(total / 12);
  if (total === undefined || targetYear === undefined || targetYear < MIN_YEAR || targetYear > MAX_YEAR) {
    fail(RuntimeErrorCode.DateOutOfRange, `ADDMONTHS(): the result is out of range: Salesforce supports years ${MIN_YEAR} to ${MAX_YEAR}`);
  }
  const targetMonth = total - targetYear * 12 + 1;
  const last = daysInMonth(targetYear, targetMonth);
  const targetDay = day === daysInMonth(year, month) ? last : Math.min(day, last);
  return checkDate(daysFromParts(targetYear, targetMonth, targetDay) as number);
}

const ADDMONTHS = defineFunction({
  name: 'ADDMONTHS',
  family: 'date',
  overloads: [
    { params: [p('date', 'Date'), p('num', 'Numeric')], returns: 'Date', impl: addMonthsToDays },
    {
      params: [p('date', 'DateTime'), p('num', 'Numeric')],
      returns: 'DateTime',
      impl: (ms: number, n: Num) => {
        const days = Math.floor(ms / MS_PER_DAY);
        return checkDateTime(addMonthsToDays(days, n) * MS_PER_DAY + (ms - days * MS_PER_DAY));
      },
    },
  ],
  doc: {
    summary:
      'The date num months before or after date. If date is the last day of its month, the result is the last day of the resulting month; otherwise the result has the same day, or the last day of a shorter month. A fractional num is truncated toward zero.',
    examples: [
      { formula: 'ADDMONTHS(DATE(2017, 9, 30), 5)', result: '2018-02-28' },
      { formula: 'ADDMONTHS(DATE(2024, 1, 31), 1)', result: '2024-02-29' },
      { formula: 'ADDMONTHS(DATE(2023, 2, 28), 1)', result: '2023-03-31' },
      { formula: 'ADDMONTHS(DATE(2024, 3, 15), -2.9)', result: '2024-01-15' },
    ],
    notes: [
      'February 28 in a common year is the last day of its month, so one month later is March 31.',
      'A Date/Time keeps its time of day; its months are counted in GMT.',
      'A blank date or num gives blank.',
    ],
  },
});

// ---------------------------------------------------------------------------
// DATE and the date parts

const DATE = defineFunction({
  name: 'DATE',
  family: 'date',
  overloads: [
    {
      params: [p('year', 'Numeric'), p('month', 'Numeric'), p('day', 'Numeric')],
      returns: 'Date',
      impl: (y: Num, m: Num, d: Num) => {
        const year = truncated(y);
        const month = truncated(m);
        const day = truncated(d);
        if (year === undefined || month === undefined || day === undefined) fail(RuntimeErrorCode.InvalidArgument, 'DATE(): year, month or day is out of range');
        return dateOf('DATE()', year, month, day);
      },
    },
  ],
  doc: {
    summary: 'The date with the given year, month and day. A date that does not exist, such as February 29 in a common year, is an error.',
    examples: [
      { formula: 'DATE(2005, 01, 02)', result: '2005-01-02' },
      { formula: 'DATE(2024, 2, 29)', result: '2024-02-29' },
      { formula: 'DATE(2023, 2, 29)', result: 'error E_INVALID_ARGUMENT' },
      { formula: 'DATE(YEAR(TODAY()), MONTH(TODAY()) + 1, 1)', result: '2026-12-01' },
    ],
    notes: [
      'Fractional arguments are truncated toward zero: DATE(2009, 3.5, 2) is March 2, 2009.',
      'Years 1700 to 4000 are supported, as for Salesforce date fields; other years give E_DATE_OUT_OF_RANGE.',
      'A blank argument gives blank.',
      CLOCK_NOTE,
    ],
  },
});

const datePart = (name: string, summary: string, part: (days: number) => number, examples: { formula: string; result: string }[], notes?: string[]): FunctionSpec =>
  defineFunction({
    name,
    family: 'date',
    overloads: [{ params: [p('date', 'Date')], returns: 'Number', impl: part }],
    doc: { summary, examples, notes: [...(notes ?? []), `A blank date gives blank. For a Date/Time, convert it first: ${name}(DATEVALUE(CreatedDate)) uses its GMT date.`] },
  });

const DAY = datePart('DAY', 'The day of the month of a date, from 1 to 31.', (d) => partsOfDays(d).day, [
  { formula: 'DAY(DATE(2024, 2, 29))', result: '29' },
  { formula: 'DAY(Code_Freeze__c - 14)', result: 'the day of the month two weeks before the code freeze' },
]);

const MONTH = datePart('MONTH', 'The month of a date, from 1 (January) to 12 (December).', (d) => partsOfDays(d).month, [
  { formula: 'MONTH(DATE(2026, 11, 21))', result: '11' },
  { formula: 'MONTH(SLA_Expiration_Date__c)', result: '12 when the SLA expires in December' },
]);

const YEAR = datePart('YEAR', 'The four-digit year of a date.', (d) => partsOfDays(d).year, [
  { formula: 'YEAR(DATE(2026, 11, 21))', result: '2026' },
  { formula: 'YEAR(TODAY()) - YEAR(Initial_Meeting__c)', result: 'the number of years since the initial meeting' },
]);

/** 1 for Sunday … 7 for Saturday; 1970-01-01 (day 0) was a Thursday. */
export const weekdayOf = (days: number): number => ((((days + 4) % 7) + 7) % 7) + 1;

const WEEKDAY = datePart(
  'WEEKDAY',
  'The day of the week of a date: 1 for Sunday, 2 for Monday, through 7 for Saturday.',
  weekdayOf,
  [
    { formula: 'WEEKDAY(DATE(2026, 11, 22))', result: '1' },
    { formula: 'WEEKDAY(DATE(2026, 11, 21))', result: '7' },
    { formula: 'CASE(WEEKDAY(TODAY()), 1, "Sunday", 7, "Saturday", "Weekday")', result: 'Saturday' },
  ],
  ['Sunday is 1, as in Salesforce (not ISO 8601, where Monday is 1).', CLOCK_NOTE],
);

// ---------------------------------------------------------------------------
// Conversions

const DATEVALUE = defineFunction({
  name: 'DATEVALUE',
  family: 'date',
  overloads: [
    { params: [p('expression', 'Text')], returns: 'Date', impl: fromText(parseDateText) },
    // The GMT date, whatever the user's zone: sformula's org-verified fixture has `DATEVALUE(Datetime01__c)`
    // of 2018-01-01T14:00:00+09:00 as 2018-01-01 (docs/compatibility.md, "DATEVALUE of a Date/Time").
    { params: [p('expression', 'DateTime')], returns: 'Date', impl: (ms: number) => checkDate(dateInZone(ms, 'UTC')) },
  ],
  doc: {
    summary:
      'Converts text or a Date/Time to a Date. Text must start with a date in the format YYYY-MM-DD; a Date/Time gives its calendar date in GMT, whatever the evaluation time zone, as a Salesforce org does.',
    examples: [
      { formula: 'DATEVALUE("2005-11-15")', result: '2005-11-15' },
      { formula: 'DATEVALUE("2024-02-30")', result: 'error E_INVALID_ARGUMENT' },
      { formula: 'YEAR(DATEVALUE(CreatedDate))', result: 'the year the record was created, in GMT' },
    ],
    notes: [
      'Text with an invalid date (a month outside 01–12, February 30) is an error, as Salesforce shows #Error!.',
      'The month and day may have one digit ("2005-1-5"). Text after the day is ignored, as the formula engine’s in-memory evaluator does: DATEVALUE("2005-11-15 23:00:00") is 2005-11-15 (no time zone conversion).',
      'For a Date/Time the result is the GMT date: 2026-11-21T03:00:00Z is 2026-11-21 even in America/New_York, where it is still November 20. For the date at a fixed offset, shift the instant first: DATEVALUE(CreatedDate - 5/24) is the date at UTC−5.',
      'Blank text or a blank Date/Time gives blank.',
    ],
  },
});

const DATETIMEVALUE = defineFunction({
  name: 'DATETIMEVALUE',
  family: 'date',
  overloads: [
    { params: [p('expression', 'Text')], returns: 'DateTime', impl: fromText(parseDateTimeText) },
    { params: [p('expression', 'Date')], returns: 'DateTime', impl: (days: number) => checkDateTime(days * MS_PER_DAY) },
    { params: [p('expression', 'DateTime')], returns: 'DateTime', impl: (ms: number) => ms },
  ],
  doc: {
    summary:
      'Converts text or a Date to a Date/Time. Text must start with YYYY-MM-DD HH:MM:SS and is read as GMT; a Date becomes midnight GMT of that day. Never uses the evaluation time zone.',
    examples: [
      { formula: 'DATETIMEVALUE("2005-11-15 17:00:00")', result: '2005-11-15T17:00:00.000Z' },
      { formula: 'DATETIMEVALUE(DATE(2026, 11, 21))', result: '2026-11-21T00:00:00.000Z' },
      { formula: 'DATETIMEVALUE("2026-11-21")', result: 'error E_INVALID_ARGUMENT' },
    ],
    notes: [
      'The time part is required: a date alone is an error. Fields may have one digit ("2011-1-9 5:2:3").',
      'Text after the seconds is ignored, including fractions and offsets: "2005-11-15 17:00:00+05:00" is still 17:00 GMT.',
      'Midnight GMT is the previous evening in the Americas: DATETIMEVALUE(TODAY()) shown to a user in San Francisco is 5:00 PM the day before.',
      'Blank text or a blank Date gives blank.',
    ],
  },
});

const TIMEVALUE = defineFunction({
  name: 'TIMEVALUE',
  family: 'date',
  overloads: [
    { params: [p('expression', 'Text')], returns: 'Time', impl: fromText(parseTimeText) },
    { params: [p('expression', 'DateTime')], returns: 'Time', impl: (ms: number) => wrapTime(ms) },
    { params: [p('expression', 'Time')], returns: 'Time', impl: (t: number) => t },
  ],
  doc: {
    summary: 'Converts text or a Date/Time to a Time. Text must be HH:MM:SS.MS on a 24-hour clock; a Date/Time gives its time of day in GMT.',
    examples: [
      { formula: 'TIMEVALUE("17:30:45.125")', result: '17:30:45.125' },
      { formula: 'TIMEVALUE(DATETIMEVALUE("2011-01-29 00:00:09"))', result: '00:00:09.000' },
      { formula: 'TIMEVALUE("17:30")', result: 'error E_INVALID_ARGUMENT' },
    ],
    notes: [
      'The milliseconds are required, and the digits after the point count milliseconds: "10:40:55.5" is 5 milliseconds past the second, as Salesforce’s formula engine reads it. Write "10:40:55.500" for half a second.',
      'A Date/Time gives its GMT time of day, not the evaluation time zone’s.',
      'Blank text or a blank Date/Time gives blank.',
    ],
  },
});

// ---------------------------------------------------------------------------
// Time parts

const timePart = (name: string, summary: string, part: (t: number) => number, examples: { formula: string; result: string }[]): FunctionSpec =>
  defineFunction({
    name,
    family: 'date',
    overloads: [{ params: [p('time', 'Time')], returns: 'Number', impl: part }],
    doc: {
      summary,
      examples,
      notes: [`Takes a Time only. For a Date/Time use ${name}(TIMEVALUE(CreatedDate)), which reads the GMT time of day.`, 'A blank time gives blank.'],
    },
  });

const HOUR = timePart('HOUR', 'The hour of a time, from 0 to 23.', (t) => Math.floor(t / MS_PER_HOUR), [
  { formula: 'HOUR(TIMEVALUE("17:30:45.125"))', result: '17' },
  { formula: 'HOUR(TIMEVALUE("00:05:00.000"))', result: '0' },
]);

const MINUTE = timePart('MINUTE', 'The minute of a time, from 0 to 59.', (t) => Math.floor((t % MS_PER_HOUR) / MS_PER_MINUTE), [
  { formula: 'MINUTE(TIMEVALUE("17:30:45.125"))', result: '30' },
]);

const SECOND = timePart('SECOND', 'The second of a time, from 0 to 59.', (t) => Math.floor((t % MS_PER_MINUTE) / MS_PER_SECOND), [
  { formula: 'SECOND(TIMEVALUE("17:30:45.125"))', result: '45' },
]);

const MILLISECOND = timePart('MILLISECOND', 'The millisecond of a time, from 0 to 999.', (t) => t % MS_PER_SECOND, [
  { formula: 'MILLISECOND(TIMEVALUE("17:30:45.125"))', result: '125' },
]);

// ---------------------------------------------------------------------------
// The clock

const TODAY = defineFunction({
  name: 'TODAY',
  family: 'date',
  volatile: true,
  overloads: [{ params: [], returns: 'Date', contextual: (ctx: RuntimeContext) => checkDate(ctx.today()) }],
  doc: {
    summary: 'The current date in the evaluation time zone (the user’s time zone in Salesforce).',
    examples: [
      { formula: 'TODAY()', result: '2026-11-21' },
      { formula: 'TODAY() + 3', result: '2026-11-24' },
    ],
    notes: ['Just after midnight UTC it is still the previous day in the Americas: at 2026-11-21T03:00:00Z, TODAY() in America/New_York is 2026-11-20.', CLOCK_NOTE],
  },
});

const NOW = defineFunction({
  name: 'NOW',
  family: 'date',
  volatile: true,
  overloads: [{ params: [], returns: 'DateTime', contextual: (ctx: RuntimeContext) => checkDateTime(ctx.nowMs()) }],
  doc: {
    summary: 'The current instant as a Date/Time. Every NOW(), TODAY() and TIMENOW() in one evaluation reads the same instant.',
    examples: [
      { formula: 'NOW()', result: '2026-11-21T10:00:00.000Z' },
      { formula: 'NOW() + 5', result: '2026-11-26T10:00:00.000Z' },
    ],
    notes: ['A Date/Time is an instant: the time zone only matters when it is converted, as by DATEVALUE or TODAY.', CLOCK_NOTE],
  },
});

const TIMENOW = defineFunction({
  name: 'TIMENOW',
  family: 'date',
  volatile: true,
  overloads: [{ params: [], returns: 'Time', contextual: (ctx: RuntimeContext) => wrapTime(ctx.nowMs()) }],
  doc: {
    summary: 'The current time of day in GMT, as a Time. The evaluation time zone does not change it, as in Salesforce.',
    examples: [
      { formula: 'TIMENOW()', result: '10:00:00.000' },
      { formula: 'HOUR(TIMENOW())', result: '10' },
    ],
    notes: [
      'Salesforce documents TIMENOW() as "a value in GMT representing the current time". A Time field, in contrast, holds the wall-clock time its user entered, so compare with care.',
      CLOCK_NOTE,
    ],
  },
});

export const dateFunctions: readonly FunctionSpec[] = [
  ADDMONTHS,
  DATE,
  DATEVALUE,
  DATETIMEVALUE,
  DAY,
  HOUR,
  MILLISECOND,
  MINUTE,
  MONTH,
  NOW,
  SECOND,
  TIMENOW,
  TIMEVALUE,
  TODAY,
  WEEKDAY,
  YEAR,
];
