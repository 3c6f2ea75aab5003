#!/usr/bin/env node
/**
 * `parlance eval --jsonl` throughput (issue 19: ≥ 100,000 lines/s with repeated formulas,
 * ≥ 20,000 with distinct ones), by CPU time: each run is a fresh process running the CLI's
 * `main(['eval', '--jsonl'])` on an input file, output to a file; it reports its own CPU time
 * (`process.cpuUsage()`, the whole process) at the end. The CPU time of the same process on an
 * empty input (node's start and the import) is subtracted, so the figure is lines per CPU second
 * of the batch itself.
 *
 *   node bench/jsonl.js [--lines N] [--runs R] [--dist DIR]...   (defaults 50,000 lines, 3 runs, ./dist)
 *
 * With several `--dist` (builds before and after a change), their runs alternate, run by run, so
 * a busy phase of the machine hits every build rather than one.
 *
 * Inputs: "repeated": the benchmark's formulas (formulas.js) cycled, each line with its own record
 * and `now` (so only a few hundred distinct compilations); "distinct": every line a formula no
 * other line has (fields renamed per line, bench/cold-compile.js). Figures: bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FORMULAS } from './formulas.js';
import { distinctFormula } from './cold-compile.js';
import { nowAt } from './engines.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args[i + 1];
};
const LINES = Number(option('--lines', '50000'));
const RUNS = Number(option('--runs', '3'));
const DISTS = args.flatMap((a, i) => (a === '--dist' ? [resolve(args[i + 1])] : []));
if (DISTS.length === 0) DISTS.push(resolve(new URL('../dist', import.meta.url).pathname));
/** Issue 19's goals, lines per second. */
export const GOALS = { repeated: 100_000, distinct: 20_000 };

function line(f, i, record) {
  return JSON.stringify({ id: i, formula: f.formula, fields: f.fields, record, now: nowAt(i), ...(f.returnType !== undefined ? { returnType: f.returnType } : {}), ...(f.scale !== undefined ? { scale: f.scale } : {}) });
}

function inputs(dir) {
  const repeated = [];
  const distinct = [];
  for (let i = 0; i < LINES; i++) {
    const f = FORMULAS[i % FORMULAS.length];
    repeated.push(line(f, i, f.records[(i / FORMULAS.length) % f.records.length | 0]));
    const d = distinctFormula(i);
    const record = Object.fromEntries(Object.keys(d.fields).map((k, j) => [k, Object.values(f.records[0])[j]]));
    distinct.push(line(d, i, record));
  }
  const files = { repeated: join(dir, 'repeated.jsonl'), distinct: join(dir, 'distinct.jsonl'), empty: join(dir, 'empty.jsonl') };
  writeFileSync(files.repeated, `${repeated.join('\n')}\n`);
  writeFileSync(files.distinct, `${distinct.join('\n')}\n`);
  writeFileSync(files.empty, '');
  return files;
}

/** CPU ms of one fresh process answering `file`. */
function once(file, dir, dist) {
  const script = `import { main } from ${JSON.stringify(pathToFileURL(join(dist, 'src/cli/main.js')).href)};
const code = await main(['eval', '--jsonl']);
const u = process.cpuUsage();
process.stderr.write(JSON.stringify({ code, cpuMs: (u.user + u.system) / 1000 }));`;
  const stdin = openSync(file, 'r');
  const out = join(dir, 'out.jsonl');
  const stdout = openSync(out, 'w');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: [stdin, stdout, 'pipe'], encoding: 'utf8' });
  closeSync(stdin);
  closeSync(stdout);
  if (r.status !== 0) throw new Error(`jsonl run failed: ${r.stderr}`);
  return JSON.parse(r.stderr.slice(r.stderr.lastIndexOf('{')));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'parlance-jsonl-'));
try {
  const files = inputs(dir);
  const samples = DISTS.map(() => ({ empty: [], repeated: [], distinct: [] }));
  for (let r = 0; r < RUNS; r++) {
    for (const kind of Object.keys(samples[0])) DISTS.forEach((dist, d) => samples[d][kind].push(once(files[kind], dir, dist).cpuMs));
  }
  DISTS.forEach((dist, d) => {
    const base = median(samples[d].empty);
    process.stdout.write(`${dist}: ${LINES.toLocaleString('en-US')} lines, ${RUNS} runs, median CPU (start and import, ${base.toFixed(0)} ms, subtracted)\n`);
    for (const kind of ['repeated', 'distinct']) {
      const ms = median(samples[d][kind]) - base;
      const rate = (LINES / ms) * 1000;
      process.stdout.write(`${kind.padEnd(9)} ${Math.round(rate).toLocaleString('en-US').padStart(9)} lines/s  (goal ≥ ${GOALS[kind].toLocaleString('en-US')}: ${rate >= GOALS[kind] ? 'met' : 'NOT MET'})  runs: ${samples[d][kind].map((x) => x.toFixed(0)).join(', ')} ms\n`);
    }
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
