/**
 * Throughput measurement for side-by-side comparisons on a shared, noisy machine.
 *
 * A task is `{ name, run(n) }` where `run` performs `n` operations. `compare` measures several
 * tasks against each other:
 * 1. calibration and warm-up: each task runs until it has spent `warmupMs`, doubling its batch
 *    size, so the JIT has optimised it and one batch takes about `sampleMs`;
 * 2. `rounds` rounds; in each, every task runs one batch, in an order rotated from round to
 *    round, so slow phases of the machine (other processes, GC, frequency changes) hit every
 *    engine alike instead of one;
 * 3. per task, the median throughput over the rounds (robust to outliers), and the
 *    interquartile spread as a noise indicator.
 *
 * Times come from `process.hrtime.bigint()` (monotonic wall clock, nanoseconds) by default.
 * `setClock('cpu')` measures the process's CPU time instead (`process.cpuUsage()`, microsecond
 * resolution): time the process spends descheduled, waiting for a core that other processes
 * hold, then no longer counts, which makes ratios far steadier on an oversubscribed machine.
 */

let cpuClock = false;

/** `wall` (default): elapsed time. `cpu`: CPU time consumed by this process (all its threads). */
export function setClock(kind) {
  if (kind !== 'wall' && kind !== 'cpu') throw new Error(`Unknown clock '${kind}': use wall or cpu`);
  cpuClock = kind === 'cpu';
}

/** Results are stored here so the optimiser cannot drop the work that produced them. */
export let blackhole;

export function sink(v) {
  blackhole = v;
}

function elapsedNs(run, n) {
  if (cpuClock) {
    const c0 = process.cpuUsage();
    sink(run(n));
    const d = process.cpuUsage(c0);
    return (d.user + d.system) * 1000;
  }
  const t0 = process.hrtime.bigint();
  sink(run(n));
  return Number(process.hrtime.bigint() - t0);
}

/** Runs a task, in growing batches, for about `ms` milliseconds (JIT warm-up, nothing recorded). */
export function warm(run, ms) {
  const budget = ms * 1e6;
  for (let n = 1, spent = 0; spent < budget; n = Math.min(n * 2, 1 << 16)) spent += elapsedNs(run, n);
}

/** Warms a task up and returns a batch size for which one batch lasts about `sampleNs`. */
function calibrate(run, warmupNs, sampleNs) {
  let n = 1;
  let spent = 0;
  let perOp;
  while (true) {
    const ns = elapsedNs(run, n);
    spent += ns;
    // The latest batch, not the fastest: on a busy machine the fastest is optimistic and the
    // samples would run longer than planned.
    perOp = Math.max(ns, 1) / n;
    if (spent >= warmupNs && ns >= sampleNs / 4) break;
    // Grow quickly while batches are short; keep repeating the batch once they are long enough.
    if (ns < sampleNs / 2) n *= 2;
  }
  return Math.max(1, Math.round(sampleNs / perOp));
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Geometric mean of positive numbers; `null` for an empty list. */
export function geomean(xs) {
  if (xs.length === 0) return null;
  return Math.exp(xs.reduce((acc, x) => acc + Math.log(x), 0) / xs.length);
}

/**
 * Measures tasks side by side.
 * @param {{name: string, run: (n: number) => unknown}[]} tasks
 * @param {{warmupMs: number, sampleMs: number, rounds: number}} options
 * @returns {Record<string, {opsPerSec: number, spread: number, batch: number, samples: number[]}>}
 */
export function compare(tasks, { warmupMs, sampleMs, rounds }) {
  const sampleNs = sampleMs * 1e6;
  const batch = tasks.map((t) => calibrate(t.run, warmupMs * 1e6, sampleNs));
  const samples = tasks.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < tasks.length; k++) {
      const i = (k + r) % tasks.length;
      const ns = elapsedNs(tasks[i].run, batch[i]);
      samples[i].push((batch[i] * 1e9) / Math.max(ns, 1));
    }
  }
  const out = {};
  tasks.forEach((t, i) => {
    const sorted = [...samples[i]].sort((a, b) => a - b);
    const med = median(sorted);
    out[t.name] = { opsPerSec: med, spread: (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / med, batch: batch[i], samples: samples[i] };
  });
  return out;
}
