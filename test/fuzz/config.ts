/**
 * Run settings of the fuzz kit. `npm test` uses the fixed seed and the default number of runs of
 * each property, so it is deterministic; `npm run fuzz` (scripts/fuzz.js) sets the environment:
 *
 * - PARLANCE_FUZZ_COUNT: runs per property, instead of the defaults;
 * - PARLANCE_FUZZ_SECONDS: run each property for this long instead (fast-check stops between
 *   two inputs; a long run, never `npm test`);
 * - PARLANCE_FUZZ_SEED: the seed (default: the fixed one below; scripts/fuzz.js draws a new one);
 * - PARLANCE_FUZZ_COLLECT=1: exploration: a failing input is recorded and the run goes on, and
 *   each property prints the distinct failures it saw (by their first words) with one input each.
 *
 * fast-check prints the seed and the path of a failing input, so any failure can be replayed
 * with `npm run fuzz -- --seed <seed>`.
 */
import type fc from 'fast-check';

export const DEFAULT_SEED = 20_261_206;

const positive = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return n;
};

export const SEED = positive('PARLANCE_FUZZ_SEED') ?? DEFAULT_SEED;
const COUNT = positive('PARLANCE_FUZZ_COUNT');
const SECONDS = positive('PARLANCE_FUZZ_SECONDS');

const COLLECT = process.env.PARLANCE_FUZZ_COLLECT === '1';

/** True in a long run (`npm run fuzz`), where the figures printed matter more than speed. */
export const LONG_RUN = COUNT !== undefined || SECONDS !== undefined;

/**
 * fast-check parameters for one property: `runs` inputs in `npm test`; in a long run, the count
 * or the duration given. The seed is printed with any counterexample (fast-check's report).
 */
export function params<T>(runs: number): fc.Parameters<T> {
  if (SECONDS !== undefined) return { seed: SEED, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false, endOnFailure: true };
  return { seed: SEED, numRuns: COUNT ?? runs, endOnFailure: true };
}

/** A cheap assertion for hot loops (vitest's `expect` costs more than the input). */
export function check(condition: boolean, what: string, input: unknown): asserts condition {
  if (!condition) {
    let shown: string;
    try {
      shown = JSON.stringify(input) ?? String(input);
    } catch {
      shown = `(a ${typeof input} JSON can't show)`;
    }
    throw new Error(`${what.slice(0, 300)}: ${shown.length > 300 ? `${shown.slice(0, 300)}… (${shown.length} characters)` : shown}`);
  }
}

/** Distinct failures seen in collect mode: message head → [count, first full message]. */
const collected = new Map<string, [number, string]>();

function record(e: unknown): void {
  if (!COLLECT) throw e;
  const message = e instanceof Error ? e.message : String(e);
  const head = message.replace(/[0-9]+/g, 'N').slice(0, 60);
  const seen = collected.get(head);
  collected.set(head, [(seen?.[0] ?? 0) + 1, seen?.[1] ?? message.slice(0, 1500)]);
}

/**
 * Wraps a property's predicate: as is, normally; in collect mode, a failure is recorded (see
 * `report`) instead of ending the run, so one run lists every kind of failure.
 */
export function collecting<A extends unknown[]>(predicate: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      predicate(...args);
    } catch (e) {
      record(e);
    }
  };
}

/** `collecting` for async predicates. */
export function collectingAsync<A extends unknown[]>(predicate: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await predicate(...args);
    } catch (e) {
      record(e);
    }
  };
}

/** Prints what collect mode recorded (nothing otherwise). */
export function report(family: string): void {
  if (!COLLECT || collected.size === 0) return;
  const lines = [...collected.values()].sort((a, b) => b[0] - a[0]).map(([n, m]) => `  ${n}× ${m}`);
  console.log(`fuzz ${family}: ${collected.size} kinds of failure\n${lines.join('\n')}`);
  collected.clear();
}
