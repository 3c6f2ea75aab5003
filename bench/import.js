#!/usr/bin/env node
/**
 * Cold import of each entry point (package.json `exports`): for `parlance`, `parlance/server` and
 * `parlance/store`, a fresh node process per run imports the built package (dist/: run
 * `npm run build` first) and reports the CPU time the `import()` took (`process.cpuUsage()`,
 * user + system: import is CPU-bound, and on a shared machine wall time mostly measures waiting
 * for a core), its wall time, and the resident set size (RSS) after it, beside a bare node
 * process that imports nothing. Prints, per entry point, the median over the runs and the spread
 * (lowest–highest) of the CPU time, the median wall time and the median RSS over bare node,
 * against the goal for `parlance` (issue 16: ≤ 150 ms, ≤ 20 MB over bare node).
 *
 *   node bench/import.js [--runs N] [--entry parlance]   (default 9 runs, every entry point)
 *
 * Figures and their reading: bench/README.md, "Entry points".
 */
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const at = process.argv.indexOf('--runs');
const RUNS = at >= 0 ? Number(process.argv[at + 1]) : 9;
const only = process.argv.indexOf('--entry');
const ENTRIES = only >= 0 ? [process.argv[only + 1]] : ['parlance', 'parlance/language', 'parlance/testing', 'parlance/server', 'parlance/store'];
/** Issue 16's goal for the engine entry point. */
export const GOAL = { entry: 'parlance', cpuMs: 150, rssOverBareMb: 20 };

/** One fresh process: `{ ms, rss }` (MB) after importing `specifier`, or after nothing when it is undefined. */
function once(specifier) {
  const script = [
    'const started = performance.now();',
    'const cpu0 = process.cpuUsage();',
    specifier === undefined ? '' : `await import(${JSON.stringify(specifier)});`,
    'const used = process.cpuUsage(cpu0);',
    'const ms = performance.now() - started;',
    'process.stdout.write(JSON.stringify({ ms, cpu: (used.user + used.system) / 1000, rss: process.memoryUsage().rss / 1048576 }));',
  ].join('\n');
  // The package imports itself by name (package.json `exports`), as a project that installed it does.
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node failed importing ${specifier}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const samples = new Map([['bare node', []], ...ENTRIES.map((e) => [e, []])]);
// Interleaved, so that a slow phase of the machine hits every entry point alike.
for (let run = 0; run < RUNS; run++) {
  samples.get('bare node').push(once(undefined));
  for (const entry of ENTRIES) samples.get(entry).push(once(entry));
}
const bareRss = median(samples.get('bare node').map((s) => s.rss));
process.stdout.write(`node ${process.version}, ${RUNS} runs each, fresh process per run\n`);
process.stdout.write(`${'entry point'.padEnd(18)}${'CPU (ms)'.padStart(10)}${'spread'.padStart(12)}${'wall (ms)'.padStart(11)}${'RSS (MB)'.padStart(10)}${'over bare'.padStart(11)}\n`);
for (const [name, list] of samples) {
  const bare = name === 'bare node';
  const cpus = list.map((s) => s.cpu);
  const cpu = bare ? '' : median(cpus).toFixed(0);
  const spread = bare ? '' : `${Math.min(...cpus).toFixed(0)}–${Math.max(...cpus).toFixed(0)}`;
  const ms = bare ? '' : median(list.map((s) => s.ms)).toFixed(0);
  const rss = median(list.map((s) => s.rss));
  const over = bare ? '' : `+${(rss - bareRss).toFixed(1)}`;
  process.stdout.write(`${name.padEnd(18)}${cpu.padStart(10)}${spread.padStart(12)}${ms.padStart(11)}${rss.toFixed(1).padStart(10)}${over.padStart(11)}\n`);
}
const core = samples.get(GOAL.entry);
if (core !== undefined) {
  const cpu = median(core.map((s) => s.cpu));
  const over = median(core.map((s) => s.rss)) - bareRss;
  const verdict = (ok) => (ok ? 'met' : 'NOT MET');
  process.stdout.write(`goal for ${GOAL.entry}: CPU ≤ ${GOAL.cpuMs} ms: ${cpu.toFixed(0)} ms, ${verdict(cpu <= GOAL.cpuMs)}; RSS ≤ +${GOAL.rssOverBareMb} MB: +${over.toFixed(1)} MB, ${verdict(over <= GOAL.rssOverBareMb)}\n`);
}
