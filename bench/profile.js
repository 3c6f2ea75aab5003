#!/usr/bin/env node
/**
 * Runs one engine on one or more benchmark formulas in a tight loop, for a profiler:
 *
 *   npm run build && node --cpu-prof --cpu-prof-dir=bench/profiles bench/profile.js [--compile] [--engine ours|sformula] [--seconds N] <id or family>...
 *   node --cpu-prof --cpu-prof-dir=bench/profiles bench/profile.js [--engine ours|handlebars|liquidjs] templates/options-10
 *   node bench/profile-summary.js bench/profiles/<file>.cpuprofile
 *
 * Without --compile it profiles evaluation (the bench's "eval" column); with it, compilation
 * (one reused options object; add --fresh for a fresh copy per call, the bench's "compile (fresh)").
 * A template case id (`templates/options-10`, or `templates` for all) profiles template rendering.
 */
import { FAMILIES, FORMULAS } from './formulas.js';
import { fresh, parlanceCompile, parlanceContexts, parlanceOptions, sformulaCompile, sformulaOptions } from './engines.js';
import { compileFormula } from '../dist/src/index.js';
import { parseSync } from 'sformula';
import { sink } from './measure.js';
import { TEMPLATE_CASES, prepareTemplates } from './templates.js';

const args = process.argv.slice(2);
let compile = false;
let freshOptions = false;
let engine = 'ours';
let seconds = 5;
const filter = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--compile') compile = true;
  else if (a === '--fresh') freshOptions = true;
  else if (a === '--engine') engine = args[++i];
  else if (a === '--seconds') seconds = Number(args[++i]);
  else filter.push(a);
}
const templateCases = TEMPLATE_CASES.filter((c) => filter.some((x) => x === 'templates' || c.id === x));
if (templateCases.length > 0) {
  const tasks = prepareTemplates(templateCases).map((p) => p.tasks.find((t) => t.name === engine));
  if (tasks.includes(undefined)) throw new Error(`Unknown template engine ${engine}: use ours, handlebars or liquidjs`);
  const end = Date.now() + seconds * 1000;
  let ops = 0;
  while (Date.now() < end) {
    for (const t of tasks) sink(t.run(1000));
    ops += 1000 * tasks.length;
  }
  process.stderr.write(`${engine} render: ${templateCases.map((c) => c.id).join(', ')}: ${Math.round(ops / seconds)} ops/s\n`);
  process.exit(0);
}
const list = FORMULAS.filter((f) => filter.length === 0 || filter.some((x) => (FAMILIES.includes(x) ? f.family === x : f.id.includes(x)))).filter((f) => parlanceCompile(f).ok);
if (list.length === 0) throw new Error('No supported formula matches');

const jobs = list.map((f) => {
  if (compile) {
    const po = parlanceOptions(f);
    const so = sformulaOptions(f);
    if (freshOptions) return engine === 'ours' ? () => compileFormula(f.formula, fresh(po)) : () => parseSync(f.formula, fresh(so));
    return engine === 'ours' ? () => compileFormula(f.formula, po) : () => parseSync(f.formula, so);
  }
  if (engine === 'ours') {
    const c = parlanceCompile(f);
    const ctx = parlanceContexts(f);
    let i = 0;
    return () => c.evaluateToWire(ctx[i++ % ctx.length]);
  }
  const c = sformulaCompile(f);
  let i = 0;
  return () => c.evaluate(f.records[i++ % f.records.length]);
});

const end = Date.now() + seconds * 1000;
let ops = 0;
while (Date.now() < end) {
  for (const job of jobs) for (let k = 0; k < 1000; k++) sink(job());
  ops += 1000 * jobs.length;
}
process.stderr.write(`${engine} ${compile ? 'compile' : 'eval'}: ${list.map((f) => f.id).join(', ')}: ${Math.round(ops / seconds)} ops/s\n`);
