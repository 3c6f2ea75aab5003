#!/usr/bin/env node
/**
 * Cold import of each entry point (package.json `exports`): for `parlance`, `parlance/server` and
 * `parlance/store`, a fresh node process per run imports the built package (dist/: run
 * `npm run build` first) and reports how long the `import()` took and its resident set size
 * (RSS) after it, beside a bare node process that imports nothing. Prints, per entry point, the
 * median over the runs of the import time and of the RSS over bare node.
 *
 *   node bench/import.js [--runs N]   (default 9)
 *
 * Figures and their reading: bench/README.md, "Entry points".
 */
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const at = process.argv.indexOf('--runs');
const RUNS = at >= 0 ? Number(process.argv[at + 1]) : 9;
const ENTRIES = ['parlance', 'parlance/server', 'parlance/store'];

/** One fresh process: `{ ms, rss }` (MB) after importing `specifier`, or after nothing when it is undefined. */
function once(specifier) {
  const script = [
    'const started = performance.now();',
    specifier === undefined ? '' : `await import(${JSON.stringify(specifier)});`,
    'const ms = performance.now() - started;',
    'process.stdout.write(JSON.stringify({ ms, rss: process.memoryUsage().rss / 1048576 }));',
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
process.stdout.write(`node ${process.version}, ${RUNS} runs each, medians\n`);
process.stdout.write(`${'entry point'.padEnd(18)}${'import (ms)'.padStart(12)}${'RSS (MB)'.padStart(10)}${'over bare'.padStart(11)}\n`);
for (const [name, list] of samples) {
  const ms = name === 'bare node' ? '' : median(list.map((s) => s.ms)).toFixed(0);
  const rss = median(list.map((s) => s.rss));
  const over = name === 'bare node' ? '' : `+${(rss - bareRss).toFixed(1)}`;
  process.stdout.write(`${name.padEnd(18)}${ms.padStart(12)}${rss.toFixed(1).padStart(10)}${over.padStart(11)}\n`);
}
