/** Differential tests of the date and time functions against sformula, with time zones and a fixed clock. */
import fc from 'fast-check';
import { boundedNumber, cases, dateText, dateTimeText, FIELD, formatTime, maybe, textOf, timeOfDayMs, zone, type FieldGen } from './arbitraries.js';
import type { Case, Property } from './harness.js';
import { DATE_FUNCTIONS } from './families.js';
import { familySuite } from './suite.js';

const { Date: D, DateTime: DT, Time: TM } = FIELD;

const p = (name: string, arbitrary: fc.Arbitrary<Case>, runs: number): Property => ({ name, arbitrary, runs });

/** Month counts: mostly whole, sometimes fractional or large. */
const months: FieldGen = ['Number', maybe(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -30, max: 30 }).map(String) }, { weight: 2, arbitrary: boundedNumber(30, 2) }, { weight: 1, arbitrary: fc.integer({ min: -30_000, max: 30_000 }).map(String) }))];
const year: FieldGen = ['Number', maybe(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1700, max: 4000 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('1699', '4001', '2000', '1900', '2100', '2024.7', '10000') }))];
const month: FieldGen = ['Number', maybe(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 12 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('0', '13', '-1', '2.9', '12.5') }))];
const day: FieldGen = ['Number', maybe(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 31 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('0', '32', '-1', '28.9', '29', '30') }))];

/** Text that DATEVALUE, DATETIMEVALUE and TIMEVALUE may read: valid forms, near misses and noise. */
const dateLikeText: FieldGen = [
  'Text',
  maybe(
    fc.oneof(
      { weight: 4, arbitrary: dateText },
      { weight: 2, arbitrary: fc.tuple(dateText, timeOfDayMs).map(([d, t]) => `${d} ${formatTime(t).slice(0, 8)}`) },
      { weight: 2, arbitrary: dateTimeText },
      { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1700, max: 4000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${y}-${m}-${d}`) },
      { weight: 1, arbitrary: fc.constantFrom('', ' ', '2024-02-30', '2023-02-29', '2024-13-01', '24-01-01', '2024/01/01', 'today', '2024-01-01T10:00:00', '2024-01-01 25:00:00') },
      { weight: 1, arbitrary: textOf(['2', '0', '1', '-', ':', ' ', 'T', 'Z', '.']) },
    ),
  ),
];
const timeLikeText: FieldGen = [
  'Text',
  maybe(
    fc.oneof(
      { weight: 5, arbitrary: timeOfDayMs.map(formatTime) },
      { weight: 1, arbitrary: timeOfDayMs.map((t) => formatTime(t).slice(0, 8)) },
      { weight: 1, arbitrary: fc.constantFrom('', '24:00:00.000', '12:60:00.000', '7:05:03.000', '10:40:55.5', '10:40', 'noon', '23:59:59.999') },
    ),
  ),
];

/** A clock and a zone for TODAY, NOW, TIMENOW and DATEVALUE of a Date/Time. */
const clock = fc.record({ now: dateTimeText.filter((s) => s >= '1900' && s < '2400'), timezone: zone });
const zoned = (fn: string, formula: string, fields: readonly FieldGen[]): fc.Arbitrary<Case> =>
  fc.tuple(cases(fn, formula, fields), zone).map(([c, timezone]) => ({ ...c, timezone }));
const clocked = (fn: string, formula: string, fields: readonly FieldGen[] = []): fc.Arbitrary<Case> =>
  fc.tuple(cases(fn, formula, fields), clock).map(([c, o]) => ({ ...c, ...o }));
/**
 * Date arithmetic on a clock reading runs in UTC: sformula does date arithmetic on local midnights
 * of the process time zone, which the zone tests would only measure.
 */
const clockedUtc = (fn: string, formula: string, fields: readonly FieldGen[] = []): fc.Arbitrary<Case> =>
  fc.tuple(cases(fn, formula, fields), clock).map(([c, o]) => ({ ...c, now: o.now, timezone: 'UTC' }));

const MS_PER_DAY = 86_400_000;
const dayNumber = (d: string): number => Date.parse(`${d}T00:00:00Z`) / MS_PER_DAY;
const inRange = (days: number): boolean => days >= dayNumber('1700-01-01') && days <= dayNumber('4000-12-31');
/** Keeps `a ± b` (a Date, b whole days) inside 1700–4000, so a date part reads a real date. */
const shiftedInRange = (sign: 1 | -1) => (c: Case): boolean => c.record.a === null || inRange(dayNumber(String(c.record.a)) + sign * Number(c.record.b));

const properties: Property[] = [
  p('ADDMONTHS', fc.oneof(cases('ADDMONTHS', 'ADDMONTHS(a, b)', [D, months]), cases('ADDMONTHS', 'ADDMONTHS(a, 1)', [D]), cases('ADDMONTHS', 'ADDMONTHS(a, -12)', [D])), 2400),
  p('DATE', fc.oneof(cases('DATE', 'DATE(a, b, c)', [year, month, day]), cases('DATE', 'DATE(a, 2, 29)', [year]), cases('DATE', 'DATE(2024, a, b)', [month, day])), 2400),
  p(
    'DATEVALUE',
    fc.oneof(
      { weight: 3, arbitrary: cases('DATEVALUE', 'DATEVALUE(a)', [dateLikeText]) },
      { weight: 3, arbitrary: zoned('DATEVALUE', 'DATEVALUE(a)', [DT]) },
      { weight: 1, arbitrary: zoned('DATEVALUE', 'DAY(DATEVALUE(a))', [DT]).filter((c) => c.record.a === null || (String(c.record.a) >= '1700-01-02' && String(c.record.a) < '4000-12-31')) },
    ),
    2800,
  ),
  p(
    'DATETIMEVALUE',
    fc.oneof(
      { weight: 3, arbitrary: cases('DATETIMEVALUE', 'DATETIMEVALUE(a)', [dateLikeText]) },
      { weight: 2, arbitrary: cases('DATETIMEVALUE', 'DATETIMEVALUE(a)', [D]) },
      { weight: 1, arbitrary: cases('DATETIMEVALUE', 'DATETIMEVALUE(a)', [DT]) },
    ),
    2400,
  ),
  p('DAY', fc.oneof(cases('DAY', 'DAY(a)', [D]), cases('DAY', 'DAY(a + b)', [D, ['Number', fc.integer({ min: -400, max: 400 }).map(String)]]).filter(shiftedInRange(1))), 2000),
  p('MONTH', fc.oneof(cases('MONTH', 'MONTH(a)', [D]), cases('MONTH', 'MONTH(ADDMONTHS(a, 1))', [D]).filter((c) => c.record.a === null || String(c.record.a) < '4000-12-01')), 2000),
  p('YEAR', fc.oneof(cases('YEAR', 'YEAR(a)', [D]), cases('YEAR', 'YEAR(a) - YEAR(b)', [D, D])), 2000),
  p('WEEKDAY', fc.oneof(cases('WEEKDAY', 'WEEKDAY(a)', [D]), cases('WEEKDAY', 'WEEKDAY(a - b)', [D, ['Number', fc.integer({ min: 0, max: 14 }).map(String)]]).filter(shiftedInRange(-1))), 2000),
  p('HOUR', fc.oneof(cases('HOUR', 'HOUR(a)', [TM]), cases('HOUR', 'HOUR(TIMEVALUE(a))', [DT])), 2000),
  p('MINUTE', fc.oneof(cases('MINUTE', 'MINUTE(a)', [TM]), cases('MINUTE', 'MINUTE(TIMEVALUE(a))', [DT])), 2000),
  p('SECOND', fc.oneof(cases('SECOND', 'SECOND(a)', [TM]), cases('SECOND', 'SECOND(TIMEVALUE(a))', [DT])), 2000),
  p('MILLISECOND', fc.oneof(cases('MILLISECOND', 'MILLISECOND(a)', [TM]), cases('MILLISECOND', 'MILLISECOND(TIMEVALUE(a))', [DT])), 2000),
  p('TIMEVALUE', fc.oneof(cases('TIMEVALUE', 'TIMEVALUE(a)', [timeLikeText]), cases('TIMEVALUE', 'TIMEVALUE(a)', [DT]), cases('TIMEVALUE', 'TIMEVALUE(a) + 1000', [timeLikeText])), 2400),
  p('TODAY', fc.oneof(clocked('TODAY', 'TODAY()'), clockedUtc('TODAY', 'TODAY() - a', [D]), clockedUtc('TODAY', 'TODAY() + 1'), clocked('TODAY', 'DAY(TODAY())')), 2000),
  p('NOW', fc.oneof(clocked('NOW', 'NOW()'), clockedUtc('NOW', 'NOW() - a', [DT]), clocked('NOW', 'NOW() > a', [DT])), 2000),
  p('TIMENOW', fc.oneof(clocked('TIMENOW', 'TIMENOW()'), clocked('TIMENOW', 'HOUR(TIMENOW())'), clockedUtc('TIMENOW', 'TIMENOW() - a', [TM])), 2000),
];


familySuite('date', DATE_FUNCTIONS, properties);
