/** The canonical date-time fast path (`now`, DateTime fields) must read every text as before. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseDateTime } from '../../src/formula/runtime/temporal.js';
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
