/** Unit and property tests for the tricky date and time semantics; the goldens cover the plain cases. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { compileFormula, createDefaultRegistry, type EvaluationContext } from '../../src/index.js';
import { runs } from '../helpers/runs.js';

const RUNS = { numRuns: runs(1_000) };

function evaluate(formula: string, fields: Record<string, unknown> = {}, context: EvaluationContext = {}) {
  const compiled = compileFormula(formula, { fields });
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compiled.evaluateToWire(context);
}

const value = (formula: string, fields: Record<string, unknown> = {}, context: EvaluationContext = {}): unknown => {
  const r = evaluate(formula, fields, context);
  if ('error' in r) throw new Error(`${formula}: ${r.error.code} ${r.error.message}`);
  return r.value;
};

const errorCode = (formula: string, fields: Record<string, unknown> = {}, context: EvaluationContext = {}): string | undefined => {
  const r = evaluate(formula, fields, context);
  return 'error' in r ? r.error.code : undefined;
};

/** Dates from 1702-03-01 to 3997-10-31, as ISO text, so ADDMONTHS by ±24 months stays in range. */
const isoDate = fc.integer({ min: DateTime.utc(1702, 3, 1).toMillis() / 86_400_000, max: DateTime.utc(3997, 10, 31).toMillis() / 86_400_000 }).map((days) => DateTime.fromMillis(days * 86_400_000, { zone: 'utc' }).toISODate() as string);

const ZONES = ['UTC', 'America/New_York', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Kathmandu', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/St_Johns'];
/** Instants from 1971 to 2099 with millisecond precision. */
const instant = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2099, 11, 31) });

describe('ADDMONTHS', () => {
  /** An independent statement of the rule: the last day maps to the last day; other days are kept or clamped (luxon clamps). */
  const reference = (iso: string, months: number): string => {
    const d = DateTime.fromISO(iso, { zone: 'utc' });
    const moved = d.plus({ months });
    return (d.day === d.daysInMonth ? moved.endOf('month') : moved).toISODate() as string;
  };

  it('matches the last-day rule for any date and month count', () => {
    const f = compileFormula('ADDMONTHS(d, n)', { fields: { d: 'Date', n: 'Number' } });
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -24, max: 24 }), (d, n) => {
        expect(f.evaluateToWire({ record: { d, n } })).toEqual({ type: 'Date', value: reference(d, n) });
      }),
      RUNS,
    );
  });

  it('truncates fractional month counts toward zero', () => {
    const f = compileFormula('ADDMONTHS(d, n) = ADDMONTHS(d, t)', { fields: { d: 'Date', n: 'Number', t: 'Number' } });
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -23, max: 23 }), fc.integer({ min: 1, max: 99 }), (d, whole, hundredths) => {
        const n = `${whole < 0 ? '-' : ''}${Math.abs(whole)}.${String(hundredths).padStart(2, '0')}`;
        expect(f.evaluateToWire({ record: { d, n, t: whole } })).toEqual({ type: 'Boolean', value: true });
      }),
      RUNS,
    );
  });

  it('is reversible for days 1 to 28 and keeps month ends at month ends', () => {
    expect(value('ADDMONTHS(ADDMONTHS(DATE(2023, 5, 28), 9), -9)')).toBe('2023-05-28');
    expect(value('ADDMONTHS(ADDMONTHS(DATE(2023, 5, 31), -3), 3)')).toBe('2023-05-31');
    expect(value('ADDMONTHS(DATE(2023, 1, 29), 1)')).toBe('2023-02-28');
    expect(value('ADDMONTHS(DATE(2024, 1, 29), 1)')).toBe('2024-02-29');
  });

  it('keeps the time of day of a Date/Time and counts months in GMT', () => {
    expect(value('ADDMONTHS(t, 1)', { t: 'DateTime' }, { record: { t: '2026-03-31T23:30:00Z' }, timezone: 'Asia/Tokyo' })).toBe('2026-04-30T23:30:00.000Z');
  });

  it('rejects results outside years 1700 to 4000', () => {
    expect(errorCode('ADDMONTHS(DATE(1700, 1, 15), -1)')).toBe('E_DATE_OUT_OF_RANGE');
    expect(errorCode('ADDMONTHS(DATE(2024, 1, 15), 100000000000000000000)')).toBe('E_DATE_OUT_OF_RANGE');
  });
});

describe('WEEKDAY, DAY, MONTH, YEAR', () => {
  it('agree with an independent calendar (Sunday = 1)', () => {
    const f = compileFormula('TEXT(WEEKDAY(d)) & " " & TEXT(DAY(d)) & " " & TEXT(MONTH(d)) & " " & TEXT(YEAR(d))', { fields: { d: 'Date' } });
    fc.assert(
      fc.property(isoDate, (d) => {
        const l = DateTime.fromISO(d, { zone: 'utc' });
        expect(f.evaluateToWire({ record: { d } })).toEqual({ type: 'Text', value: `${(l.weekday % 7) + 1} ${l.day} ${l.month} ${l.year}` });
      }),
      RUNS,
    );
  });
});

describe('DATE', () => {
  it('round-trips through YEAR, MONTH and DAY', () => {
    const f = compileFormula('DATE(YEAR(d), MONTH(d), DAY(d)) = d', { fields: { d: 'Date' } });
    fc.assert(
      fc.property(isoDate, (d) => {
        expect(f.evaluateToWire({ record: { d } })).toEqual({ type: 'Boolean', value: true });
      }),
      RUNS,
    );
  });

  it('truncates toward zero, so a fraction below 1 is month or day 0, an error', () => {
    expect(value('DATE(2024.9, 2.9, 29.99)')).toBe('2024-02-29');
    expect(errorCode('DATE(2024, 0.5, 1)')).toBe('E_INVALID_ARGUMENT');
    expect(errorCode('DATE(2024, 1, -1)')).toBe('E_INVALID_ARGUMENT');
  });
});

describe('time zones: TODAY, NOW, TIMENOW and DATEVALUE(date/time)', () => {
  it('DATEVALUE of a Date/Time is its GMT calendar date in every evaluation time zone (org: sformula fixture `DATEVALUE(Datetime01__c)` on {Datetime01__c: 2018-01-01T14:00:00+09:00} is 2018-01-01)', () => {
    const f = compileFormula('DATEVALUE(t)', { fields: { t: 'DateTime' } });
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (ms, zone) => {
        const t = new Date(ms).toISOString();
        expect(f.evaluateToWire({ record: { t }, timezone: zone })).toEqual({ type: 'Date', value: DateTime.fromMillis(ms, { zone: 'UTC' }).toISODate() });
      }),
      RUNS,
    );
  });

  it('TODAY() is the clock date in the evaluation zone; it equals DATEVALUE(NOW()) when that is the GMT date', () => {
    const f = compileFormula('TEXT(TODAY()) & "|" & IF(TODAY() = DATEVALUE(NOW()), "true", "false")');
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (ms, zone) => {
        const local = DateTime.fromMillis(ms, { zone }).toISODate();
        const gmt = DateTime.fromMillis(ms, { zone: 'UTC' }).toISODate();
        expect(f.evaluateToWire({ now: ms, timezone: zone })).toEqual({ type: 'Text', value: `${local}|${String(local === gmt)}` });
      }),
      RUNS,
    );
  });

  it('TIMENOW() is the GMT time of day, whatever the zone, and equals TIMEVALUE(NOW())', () => {
    const f = compileFormula('TIMENOW()');
    const g = compileFormula('TIMENOW() = TIMEVALUE(NOW())');
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (ms, zone) => {
        expect(f.evaluateToWire({ now: ms, timezone: zone })).toEqual({ type: 'Time', value: new Date(ms).toISOString().slice(11, 23) });
        expect(g.evaluateToWire({ now: ms, timezone: zone })).toEqual({ type: 'Boolean', value: true });
      }),
      RUNS,
    );
  });

  it('NOW() is the injected instant, read once per evaluation', () => {
    let calls = 0;
    const clock = () => {
      calls += 1;
      return Date.UTC(2026, 10, 21, 10) + calls;
    };
    expect(value('NOW() = NOW() && TODAY() = TODAY() && TIMENOW() = TIMENOW()', {}, { now: clock })).toBe(true);
    expect(calls).toBe(1);
  });

  it('around a DST change, TODAY() moves at local midnight, DATEVALUE at GMT midnight, and NOW() + 1 is 24 hours', () => {
    const at = (t: string) => value('DATEVALUE(t)', { t: 'DateTime' }, { record: { t }, timezone: 'Europe/Berlin' });
    const today = (now: string) => value('TODAY()', {}, { now, timezone: 'Europe/Berlin' });
    // Europe/Berlin goes from CET (+1) to CEST (+2) on 2026-03-29 at 02:00 local.
    expect(today('2026-03-28T22:59:59Z')).toBe('2026-03-28');
    expect(today('2026-03-28T23:00:00Z')).toBe('2026-03-29');
    expect(today('2026-03-29T21:59:59Z')).toBe('2026-03-29');
    expect(today('2026-03-29T22:00:00Z')).toBe('2026-03-30');
    expect(at('2026-03-28T23:00:00Z')).toBe('2026-03-28');
    expect(at('2026-03-29T21:59:59Z')).toBe('2026-03-29');
    expect(at('2026-03-29T23:59:59Z')).toBe('2026-03-29');
    expect(at('2026-03-30T00:00:00Z')).toBe('2026-03-30');
    expect(value('NOW() + 1', {}, { now: '2026-03-28T12:00:00Z', timezone: 'Europe/Berlin' })).toBe('2026-03-29T12:00:00.000Z');
  });

  it('marks the clock readers volatile and nothing else', () => {
    const names = createDefaultRegistry()
      .all()
      .filter((f) => f.family === 'date' && f.volatile === true)
      .map((f) => f.name)
      .sort();
    expect(names).toEqual(['NOW', 'TIMENOW', 'TODAY']);
  });
});

describe('text conversions', () => {
  it('DATETIMEVALUE(TEXT(t)) gives t back for whole seconds', () => {
    const f = compileFormula('DATETIMEVALUE(TEXT(t)) = t', { fields: { t: 'DateTime' } });
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (ms, zone) => {
        const t = new Date(Math.floor(ms / 1000) * 1000).toISOString();
        expect(f.evaluateToWire({ record: { t }, timezone: zone })).toEqual({ type: 'Boolean', value: true });
      }),
      RUNS,
    );
  });

  it('DATEVALUE(TEXT(d)) and TIMEVALUE(TEXT(t)) round-trip', () => {
    const f = compileFormula('DATEVALUE(TEXT(d)) = d', { fields: { d: 'Date' } });
    fc.assert(
      fc.property(isoDate, (d) => {
        expect(f.evaluateToWire({ record: { d } })).toEqual({ type: 'Boolean', value: true });
      }),
      RUNS,
    );
    const g = compileFormula('TIMEVALUE(TEXT(t)) = t', { fields: { t: 'Time' } });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_399_999 }), (ms) => {
        const t = new Date(ms).toISOString().slice(11, 23);
        expect(g.evaluateToWire({ record: { t } })).toEqual({ type: 'Boolean', value: true });
      }),
      RUNS,
    );
  });

  it('DATETIMEVALUE text is GMT and ignores the evaluation zone', () => {
    for (const zone of ZONES) expect(value('DATETIMEVALUE("2026-03-08 02:30:00")', {}, { timezone: zone })).toBe('2026-03-08T02:30:00.000Z');
  });

  it('accepts one-digit fields and rejects impossible dates and times', () => {
    expect(value('DATEVALUE("2024-2-9")')).toBe('2024-02-09');
    expect(value('DATETIMEVALUE("2024-2-9 7:5:3")')).toBe('2024-02-09T07:05:03.000Z');
    for (const bad of ['2024-02-30', '2023-02-29', '2024-00-10', '2024-1-32', '224-01-01', '2024/01/01', ' 2024-01-01', 'x']) {
      expect(errorCode(`DATEVALUE("${bad}")`), bad).toBe('E_INVALID_ARGUMENT');
    }
    for (const bad of ['2024-01-01', '2024-01-01 7:5', '2024-01-01T07:05:03', '2024-01-01 25:00:00', '2024-02-30 00:00:00']) {
      expect(errorCode(`DATETIMEVALUE("${bad}")`), bad).toBe('E_INVALID_ARGUMENT');
    }
  });

  it('TIMEVALUE reads the digits after the point as milliseconds, as Java SimpleDateFormat does', () => {
    expect(value('TIMEVALUE("10:40:55.5")')).toBe('10:40:55.005');
    expect(value('TIMEVALUE("10:40:55.50")')).toBe('10:40:55.050');
    expect(value('TIMEVALUE("10:40:55.500")')).toBe('10:40:55.500');
    expect(value('MILLISECOND(TIMEVALUE("00:00:00.007"))')).toBe('7');
  });

  it('blank text is blank, other blank-looking text is an error', () => {
    expect(value('DATEVALUE(s)', { s: 'Text' }, { record: { s: '' } })).toBeNull();
    expect(value('DATETIMEVALUE(s)', { s: 'Text' }, { record: {} })).toBeNull();
    expect(value('TIMEVALUE(s)', { s: 'Text' }, { record: { s: '' } })).toBeNull();
    expect(errorCode('DATEVALUE(" ")')).toBe('E_INVALID_ARGUMENT');
  });
});

describe('time of day', () => {
  it('HOUR, MINUTE, SECOND and MILLISECOND decompose any time', () => {
    const f = compileFormula('((HOUR(t) * 60 + MINUTE(t)) * 60 + SECOND(t)) * 1000 + MILLISECOND(t)', { fields: { t: 'Time' } });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_399_999 }), (ms) => {
        expect(f.evaluateToWire({ record: { t: new Date(ms).toISOString().slice(11, 23) } })).toEqual({ type: 'Number', value: String(ms) });
      }),
      RUNS,
    );
  });

  it('wraps at 24 hours in both directions', () => {
    expect(value('TIMEVALUE("22:00:00.000") + 25 * 3600000')).toBe('23:00:00.000');
    expect(value('TIMEVALUE("01:00:00.000") - 2 * 3600000')).toBe('23:00:00.000');
    expect(value('HOUR(TIMEVALUE("23:59:59.999") + 1)')).toBe('0');
  });

  it('rejects a Date/Time where a Time is expected, pointing at TIMEVALUE', () => {
    const compiled = compileFormula('HOUR(t)', { fields: { t: 'DateTime' } });
    expect(compiled.ok).toBe(false);
    expect(compiled.diagnostics[0]?.message).toBe("Incorrect parameter type for function 'HOUR()'. Expected Time, received DateTime");
  });
});
