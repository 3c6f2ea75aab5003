/**
 * How many cases a fast-check property runs. `npm test` runs a fifth of a property's full count
 * (at least 100): enough to catch a regression on most runs, cheap enough for every change.
 * `npm run test:long` (PARLANCE_LONG_TESTS=1; CI runs it after `npm test`) runs the full count.
 * The properties and their assertions are the same in both; only the number of cases differs.
 */
export const LONG_TESTS = process.env.PARLANCE_LONG_TESTS === '1';

export function runs(full: number): number {
  return LONG_TESTS ? full : Math.min(full, Math.max(100, Math.round(full / 5)));
}
