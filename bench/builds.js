#!/usr/bin/env node
/**
 * Two builds of the library side by side in one process (issue 19's before/after): per benchmark
 * formula, compile with a fresh options object per call, compile with one reused options object,
 * and evaluation (`evaluateToWire`, each context with its own `now`), before against after,
 * interleaved in every round (measure.js). Usage:
 *
 *   node bench/builds.js <before/dist/src/index.js> [after = dist/src/index.js] [--clock cpu] [--rounds N] [--only compile|eval] [--filter math,concat]
 *
 * `--filter`: only the formulas whose family is one of the words or whose id contains one.
 *
 * Build the "before" tree as bench/budget.js says. Prints after ÷ before per formula and the
 * geometric means. Figures: bench/README.md, "Issue 19".
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FORMULAS } from './formulas.js';
import { compare, geomean, setClock, sink } from './measure.js';
import { fresh, parlanceContexts, parlanceOptions } from './engines.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args.splice(i, 2)[1];
};
setClock(flag('--clock', 'cpu'));
const rounds = Number(flag('--rounds', '7'));
const only = flag('--only', undefined);
const filter = flag('--filter', '').split(',').map((w) => w.trim()).filter(Boolean);
const selected = (f) => filter.length === 0 || filter.some((w) => f.family === w || f.id.includes(w));
const [beforePath, afterPath = 'dist/src/index.js'] = args;
if (beforePath === undefined) {
  console.error('usage: node bench/builds.js <before index.js> [after index.js] [--clock cpu] [--rounds N] [--only compile|eval] [--filter math,concat]');
  process.exit(2);
}
const load = (p) => import(pathToFileURL(resolve(p)).href);
const builds = { before: await load(beforePath), after: await load(afterPath) };
const settings = { warmupMs: 100, sampleMs: 15, rounds };

const KINDS = {
  'compile (fresh)': (lib, f) => {
    const o = parlanceOptions(f);
    return (n) => {
      for (let i = 0; i < n; i++) sink(lib.compileFormula(f.formula, fresh(o)));
    };
  },
  'compile (reused)': (lib, f) => {
    const o = parlanceOptions(f);
    return (n) => {
      for (let i = 0; i < n; i++) sink(lib.compileFormula(f.formula, o));
    };
  },
  evaluation: (lib, f) => {
    const c = lib.compileFormula(f.formula, parlanceOptions(f));
    const contexts = parlanceContexts(f);
    return (n) => {
      for (let i = 0; i < n; i++) sink(c.evaluateToWire(contexts[i % contexts.length]));
    };
  },
};
const kinds = Object.keys(KINDS).filter((k) => only === undefined || k.startsWith(only));
const ratios = Object.fromEntries(kinds.map((k) => [k, []]));
process.stdout.write(`| formula | ${kinds.map((k) => `${k} after ÷ before`).join(' | ')} |\n|---|${kinds.map(() => '---:').join('|')}|\n`);
for (const f of FORMULAS.filter(selected)) {
  const cells = [];
  for (const kind of kinds) {
    const m = compare(
      Object.entries(builds).map(([name, lib]) => ({ name, run: KINDS[kind](lib, f) })),
      settings,
    );
    const r = m.after.opsPerSec / m.before.opsPerSec;
    ratios[kind].push(r);
    cells.push(r.toFixed(2));
  }
  process.stdout.write(`| ${f.id} | ${cells.join(' | ')} |\n`);
}
process.stdout.write(`| **geometric mean** | ${kinds.map((k) => `**${geomean(ratios[k]).toFixed(2)}**`).join(' | ')} |\n`);
