/** The canonical date-time fast path (`now`, DateTime fields) must read every text as before. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dateInZone, daysFromParts, formatDate, parseDate, parseDateTime, partsOfDays } from '../../src/formula/runtime/temporal.js';
import { runs } from '../helpers/runs.js';

const RUNS = { numRuns: runs(10_000), seed: 777 };
const two = (n: number): string => String(n).padStart(2, '0');

/** The general path: what parseDateTime did for every text before the fast path. */
function general(v: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v)) {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (!/(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(v)) return undefined;
  const dt = DateTime.fromISO(v, { setZone: true });
  return dt.isValid ? dt.toMillis() : undefined;
}

describe('parseDateTime', () => {
  it('reads canonical texts, valid or not, as the general path does', () => {
    const text = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 999 }))
      .map(([y, mo, d, h, mi, s, ms]) => `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}.${String(ms).padStart(3, '0')}Z`);
    fc.assert(fc.property(text, (t) => { expect(parseDateTime(t)).toBe(general(t)); }), RUNS);
    for (const t of ['2026-02-29T00:00:00.000Z', '2024-02-29T23:59:59.999Z', '2026-04-31T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T10:00:00.000+01:00', '2026-01-01T10:00:00Z', '2026-0a-01T00:00:00.000Z']) {
      expect(parseDateTime(t), t).toBe(general(t));
    }
  });

  // The four canonical forms the fast path reads: seconds or milliseconds, `Z` or `±HH:mm`.
  const FORMS = ['s', 'sZ', 'ms', 'msZ'] as const;
  const formText = (form: (typeof FORMS)[number], y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, sign: string, oh: number, om: number): string => {
    const base = `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}`;
    const frac = form === 'ms' || form === 'msZ' ? `.${String(ms).padStart(3, '0')}` : '';
    return `${base}${frac}${form === 'sZ' || form === 'msZ' ? 'Z' : `${sign}${two(oh)}:${two(om)}`}`;
  };
  const anyForm = fc
    .tuple(fc.constantFrom(...FORMS), fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 999 }), fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 61 }))
    .map((p) => formText(...p));
  /** One character of a text replaced, removed or added: what a bad `now` or field looks like. */
  const CHARS = ['0', '1', '5', '9', '-', ':', 'T', 'U', 't', 'Z', 'z', '+', '.', ',', ' ', '/', 'é', '\uffff', '\u0660'];
  const mutated = fc.tuple(anyForm, fc.nat(), fc.constantFrom(...CHARS), fc.integer({ min: 0, max: 2 })).map(([t, at, c, how]) => {
    const i = at % (t.length + 1);
    return how === 0 ? t.slice(0, i) + c + t.slice(i + 1) : how === 1 ? t.slice(0, i) + t.slice(i + 1) : t.slice(0, i) + c + t.slice(i);
  });

  it('reads every canonical form, with seconds or milliseconds and `Z` or an offset, as the general path does', () => {
    fc.assert(fc.property(anyForm, (t) => { expect(parseDateTime(t), t).toBe(general(t)); }), RUNS);
    for (const t of ['2026-11-21T10:00:00+02:00', '2026-11-21T10:00:00-00:00', '2026-11-21T10:00:00+24:00', '2026-11-21T10:00:00+23:59', '2026-11-21T10:00:00.123+05:45', '1970-01-01T00:00:00-00:00', '0000-01-01T00:00:00Z', '2026-11-21T10:00:00+0200', '2026-11-21T10:00:00.1Z', '2026-11-21t10:00:00Z', '2026-11-21T10:00:00z']) {
      expect(parseDateTime(t), t).toBe(general(t));
    }
  });

  it('reads texts one character away from a canonical one as the general path does, right after their date was read', () => {
    // Each mutated text is read after a valid text of the same date part (the memo of the last
    // date part read is then hot) and after one of another date.
    fc.assert(
      fc.property(anyForm, mutated, (other, t) => {
        const sameDate = `${t.slice(0, 11)}00:00:00Z`;
        for (const before of [sameDate, other, t]) {
          expect(parseDateTime(before), before).toBe(general(before));
          expect(parseDateTime(t), t).toBe(general(t));
        }
      }),
      RUNS,
    );
  });

  it('never answers for another date than the one read (texts of two dates in turn)', () => {
    const day = fc.integer({ min: -719_468, max: 2_932_896 });
    fc.assert(
      fc.property(day, day, fc.integer({ min: 0, max: 86_399_999 }), fc.constantFrom('Z', '+01:00', '-05:30'), (a, b, t, zone) => {
        const text = (days: number) => `${new Date(days * 86_400_000 + t).toISOString().slice(0, 23)}${zone}`;
        for (const days of [a, a, b, a, b, b]) expect(parseDateTime(text(days))).toBe(general(text(days)));
      }),
      RUNS,
    );
  });
});

/** What JS Date says of a day number (the reference for the integer calendar and its one-entry memos). */
function reference(days: number): { year: number; month: number; day: number; text: string } {
  const d = new Date(days * 86_400_000);
  const year = d.getUTCFullYear();
  const text = `${year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : String(year)}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  return { year, month: d.getUTCMonth() + 1, day: d.getUTCDate(), text };
}

describe('dates as parts and text', () => {
  it('splits, formats and rebuilds day numbers as JS Date does, whatever was read before', () => {
    // Pairs of day numbers, each read twice in a row and then the other: the memos must never
    // answer for another day. Days from before year 0 to after 9999 (both sides of the fast path).
    const day = fc.integer({ min: -800_000, max: 3_000_000 });
    fc.assert(
      fc.property(day, day, (a, b) => {
        for (const days of [a, a, b, a, b, b]) {
          const want = reference(days);
          const parts = partsOfDays(days);
          expect([parts.year, parts.month, parts.day]).toEqual([want.year, want.month, want.day]);
          if (want.year >= 0 && want.year <= 9999) {
            expect(formatDate(days)).toBe(want.text);
            expect(daysFromParts(want.year, want.month, want.day)).toBe(days);
          }
        }
      }),
      RUNS,
    );
  });

  it('gives a date text read by parseDate back as its text and parts, whatever was read or formatted between', () => {
    const day = fc.integer({ min: -719_468, max: 2_932_896 });
    fc.assert(
      fc.property(day, day, fc.integer({ min: 0, max: 5 }), (a, b, order) => {
        const ta = reference(a).text;
        const tb = reference(b).text;
        // Reads and uses of two dates in different orders: each answer must be its own date's.
        const steps: Array<() => void> = [
          () => expect(parseDate(ta)).toBe(a),
          () => expect(parseDate(tb)).toBe(b),
          () => expect(formatDate(a)).toBe(ta),
          () => expect(formatDate(b)).toBe(tb),
          () => expect(partsOfDays(a)).toEqual({ year: reference(a).year, month: reference(a).month, day: reference(a).day }),
          () => expect(partsOfDays(b)).toEqual({ year: reference(b).year, month: reference(b).month, day: reference(b).day }),
        ];
        for (let i = 0; i < 12; i++) steps[(i * (order + 1) + (i >> 1)) % steps.length]!();
      }),
      RUNS,
    );
    // A text that is not a date leaves the memos alone.
    expect(parseDate('2024-02-30')).toBeUndefined();
    expect(formatDate(daysFromParts(2024, 2, 29)!)).toBe('2024-02-29');
  });

  it('handles every day of the supported range and the edges of the fast path', () => {
    const first = daysFromParts(1700, 1, 1)!;
    const last = daysFromParts(4000, 12, 31)!;
    const wrong: number[] = [];
    for (let days = first; days <= last; days += 7) {
      const want = reference(days);
      if (formatDate(days) !== want.text || daysFromParts(want.year, want.month, want.day) !== days) wrong.push(days);
    }
    expect(wrong).toEqual([]);
    for (const days of [-719469, -719468, -719467, 2932895, 2932896, 2932897, -1, 0, 1, 59, 60]) {
      const want = reference(days);
      const parts = partsOfDays(days);
      expect([parts.year, parts.month, parts.day]).toEqual([want.year, want.month, want.day]);
    }
  });
});

/** The date of an instant in a zone, straight from luxon (what dateInZone computed before its memo). */
function zoneDate(ms: number, zone: string): number {
  const dt = DateTime.fromMillis(ms, { zone });
  return daysFromParts(dt.year, dt.month, dt.day) as number;
}

describe('dates in a time zone', () => {
  // Zones with every kind of change: DST at 01:00 UTC, at local midnight (Sao Paulo, Havana), by
  // 30 minutes (Lord Howe), of 2 hours (Troll), of a whole day (Apia, 2011-12-30 skipped),
  // quarter-hour offsets (Kathmandu, Chatham), local mean time before standard time.
  const ZONES = ['Europe/Paris', 'America/Sao_Paulo', 'America/Havana', 'Australia/Lord_Howe', 'Australia/Adelaide', 'Antarctica/Troll', 'Pacific/Apia', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/St_Johns'];
  const DAY = 86_400_000;
  const HOUR = 3_600_000;

  /** The instants where the zone's offset changes, from `fromYear` to `toYear` (weekly scan, then bisection to the ms). */
  function changes(zone: string, fromYear: number, toYear: number): number[] {
    const z = DateTime.now().setZone(zone).zone;
    const out: number[] = [];
    const WEEK = 7 * DAY;
    let before = z.offset(Date.UTC(fromYear, 0, 1));
    for (let t = Date.UTC(fromYear, 0, 1); t < Date.UTC(toYear, 0, 1); t += WEEK) {
      const after = z.offset(t + WEEK);
      const same = before === after;
      before = after;
      if (same) continue;
      let lo = t;
      let hi = t + WEEK;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (z.offset(mid) === z.offset(lo)) lo = mid;
        else hi = mid;
      }
      out.push(hi);
    }
    return out;
  }

  it('gives the date luxon gives around every change of offset, whatever was asked before', () => {
    const next = ((seed) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648))(19);
    for (const zone of ZONES) {
      const found = changes(zone, 1890, 2030);
      expect(found.length, zone).toBeGreaterThan(0);
      for (const t of found) {
        // Instants on the days around the change, in an order that fills the memo first with a
        // day on one side, then asks on the other side and at the edges.
        const near = [t - DAY - 1, t - HOUR, t - 1, t, t + 1, t + HOUR, t + DAY, t - 2 * DAY, t + 2 * DAY];
        for (let i = 0; i < 6; i++) near.push(t + Math.floor((next() - 0.5) * 4 * DAY));
        for (const ms of near) expect(dateInZone(ms, zone), `${zone} ${ms}`).toBe(zoneDate(ms, zone));
        for (const ms of near.reverse()) expect(dateInZone(ms, zone), `${zone} ${ms}`).toBe(zoneDate(ms, zone));
      }
    }
  });

  it('gives the date luxon gives for instants read in turn in several zones', () => {
    const instant = fc.integer({ min: Date.UTC(1700, 0, 1), max: Date.UTC(4000, 11, 31) });
    fc.assert(
      fc.property(instant, fc.integer({ min: -2 * DAY, max: 2 * DAY }), fc.constantFrom(...ZONES), fc.constantFrom(...ZONES), (ms, delta, a, b) => {
        for (const [at, zone] of [[ms, a], [ms + delta, a], [ms, b], [ms + delta, a], [ms + delta, b]] as const) {
          expect(dateInZone(at, zone), `${zone} ${at}`).toBe(zoneDate(at, zone));
        }
      }),
      { numRuns: runs(2_000), seed: 19 },
    );
  });
});
