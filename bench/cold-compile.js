#!/usr/bin/env node
/**
 * Compile of many distinct formulas in a cold process (issue 19: "compile of 10,000 distinct
 * formulas, cold process"): the start of a batch or of a server, before the JIT has seen the
 * compiler. Two modes:
 *
 *   node bench/cold-compile.js --engine ours|sformula [--count N]   (one cold child: prints JSON)
 *   node bench/cold-compile.js [--count N] [--runs R]                (R pairs of children, the ratio)
 *   node bench/cold-compile.js --against <before/dist/src/index.js> [--count N] [--runs R]
 *                                        (ours only: R pairs of children, that build and this one)
 *
 * The formulas are the benchmark's (formulas.js), made distinct by renaming their fields with a
 * per-copy suffix (`Days` → `Days_17`), each copy with its own fields object, and compiled once
 * each, in order. A child reports the CPU time (`process.cpuUsage()`) from its first compile to its
 * last, its modules already loaded (loading is bench/import.js's figure), and the CPU time of the
 * whole process (node's start, the import, the compiles). The parent runs the two
 * engines alternately in fresh processes and prints the median CPU time of each and the ratio of
 * the medians (sformula ÷ ours: how many times faster ours is). With `--against`, the two builds
 * of ours alternate instead (`--build` in the child picks the build), and it prints both medians,
 * each run's figures and before ÷ after. Figures: bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FORMULAS } from './formulas.js';
import { parlanceOptions, sformulaOptions } from './engines.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args[i + 1];
};

/** The `i`th distinct formula: a benchmark formula with its top-level fields renamed. */
export function distinctFormula(i) {
  const f = FORMULAS[i % FORMULAS.length];
  const suffix = `_${Math.floor(i / FORMULAS.length)}`;
  let formula = f.formula;
  const fields = {};
  for (const [name, spec] of Object.entries(f.fields)) {
    fields[`${name}${suffix}`] = spec;
    // Not inside a member path (`Account.Name`) or a string literal's first word.
    formula = formula.replace(new RegExp(`(?<![.\\w"{])${name}\\b`, 'g'), `${name}${suffix}`);
  }
  return { ...f, formula, fields };
}

async function child(engine, count, build) {
  const list = Array.from({ length: count }, (_, i) => distinctFormula(i));
  let compile;
  if (engine === 'ours') {
    const { compileFormula } = await import(build === undefined ? '../dist/src/index.js' : pathToFileURL(resolve(build)).href);
    const options = list.map(parlanceOptions);
    compile = (i) => compileFormula(list[i].formula, options[i]).ok;
  } else {
    const { parseSync } = await import('sformula');
    const options = list.map(sformulaOptions);
    compile = (i) => {
      try {
        parseSync(list[i].formula, options[i]);
        return true;
      } catch {
        return false;
      }
    };
  }
  const c0 = process.cpuUsage();
  let failed = 0;
  for (let i = 0; i < count; i++) if (!compile(i)) failed++;
  const used = process.cpuUsage(c0);
  const whole = process.cpuUsage();
  process.stdout.write(JSON.stringify({ engine, count, failed, cpuMs: (used.user + used.system) / 1000, processCpuMs: (whole.user + whole.system) / 1000 }));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs `runs` pairs of cold children; returns the medians and the ratio. */
export function coldCompile({ count = 10_000, runs = 3 } = {}) {
  const script = fileURLToPath(import.meta.url);
  const samples = { ours: [], sformula: [] };
  const whole = { ours: [], sformula: [] };
  let failed = { ours: 0, sformula: 0 };
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? ['ours', 'sformula'] : ['sformula', 'ours'];
    for (const engine of order) {
      const out = spawnSync(process.execPath, [script, '--engine', engine, '--count', String(count)], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`cold compile (${engine}) failed: ${out.stderr}`);
      const result = JSON.parse(out.stdout);
      samples[engine].push(result.cpuMs);
      whole[engine].push(result.processCpuMs);
      failed = { ...failed, [engine]: result.failed };
    }
  }
  const ours = median(samples.ours);
  const theirs = median(samples.sformula);
  const wholeRatio = median(whole.sformula) / median(whole.ours);
  return { count, runs, oursCpuMs: ours, sformulaCpuMs: theirs, ratio: theirs / ours, wholeProcessRatio: wholeRatio, samples, whole, failed };
}

/** Runs `runs` pairs of cold children of ours, the build at `before` and this one, alternately. */
export function coldCompileBuilds({ before, count = 10_000, runs = 5 } = {}) {
  const script = fileURLToPath(import.meta.url);
  const builds = { before: resolve(before), after: fileURLToPath(new URL('../dist/src/index.js', import.meta.url)) };
  const samples = { before: [], after: [] };
  for (let r = 0; r < runs; r++) {
    for (const which of r % 2 === 0 ? ['before', 'after'] : ['after', 'before']) {
      const out = spawnSync(process.execPath, [script, '--engine', 'ours', '--build', builds[which], '--count', String(count)], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`cold compile (${which}) failed: ${out.stderr}`);
      const result = JSON.parse(out.stdout);
      if (result.failed > 0) throw new Error(`cold compile (${which}): ${result.failed} formulas failed to compile`);
      samples[which].push(result.cpuMs);
    }
  }
  return { count, runs, before: median(samples.before), after: median(samples.after), samples };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(option('--count', '10000'));
  const engine = option('--engine', undefined);
  const against = option('--against', undefined);
  if (engine !== undefined) await child(engine, count, option('--build', undefined));
  else if (against !== undefined) {
    const r = coldCompileBuilds({ before: against, count, runs: Number(option('--runs', '5')) });
    const list = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
    process.stdout.write(`${count} distinct formulas, cold process, ${r.runs} runs each (ms of CPU): before ${r.before.toFixed(0)} (${list(r.samples.before)}), after ${r.after.toFixed(0)} (${list(r.samples.after)}): before ÷ after ${(r.before / r.after).toFixed(2)}\n`);
  } else {
    const r = coldCompile({ count, runs: Number(option('--runs', '3')) });
    process.stdout.write(`${count} distinct formulas, cold process, ${r.runs} runs each: ours ${r.oursCpuMs.toFixed(0)} ms CPU, sformula ${r.sformulaCpuMs.toFixed(0)} ms CPU: ${r.ratio.toFixed(2)}×; whole process (start, import, compiles) ${r.wholeProcessRatio.toFixed(2)}× (failed to compile: ours ${r.failed.ours}, sformula ${r.failed.sformula})\n`);
  }
}
