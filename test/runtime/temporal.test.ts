/** The canonical date-time fast path (`now`, DateTime fields) must read every text as before. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { daysFromParts, formatDate, parseDate, parseDateTime, partsOfDays } from '../../src/formula/runtime/temporal.js';
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
