/**
 * The cost of the evaluation budget: two builds of the library side by side, on the benchmark's
 * formulas (evaluateToWire) and on template renders. Usage:
 *
 *   node bench/budget.js <before/dist/src/index.js> [after = dist/src/index.js] [--clock cpu] [--rounds N]
 *
 * Build the "before" tree with `git archive <commit> src tsconfig*.json package.json | tar -x -C /tmp/base`
 * and `npx tsc -p tsconfig.build.json` there (node_modules linked). Tasks alternate in every round,
 * so machine load affects both builds alike. Figures: bench/README.md, "Evaluation budget".
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FORMULAS } from './formulas.js';
import { compare, geomean, setClock, sink } from './measure.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args.splice(i, 2)[1];
};
setClock(flag('--clock', 'wall'));
const rounds = Number(flag('--rounds', '9'));
const [beforePath, afterPath = 'dist/src/index.js'] = args;
if (beforePath === undefined) {
  console.error('usage: node bench/budget.js <before index.js> [after index.js] [--clock cpu] [--rounds N]');
  process.exit(2);
}
const load = (p) => import(pathToFileURL(resolve(p)).href);
const builds = { before: await load(beforePath), after: await load(afterPath) };
const options = { warmupMs: 100, sampleMs: 15, rounds };

/** One evaluation per call, cycling through the formula's records. */
function evaluationTask(lib, f) {
  const compiled = lib.compileFormula(f.formula, { fields: f.fields, ...(f.returnType ? { returnType: f.returnType } : {}), ...(f.scale !== undefined ? { scale: f.scale } : {}) });
  if (!compiled.ok) return undefined;
  const contexts = f.records.map((record) => ({ record, now: '2026-11-21T10:00:00Z' }));
  return (n) => {
    for (let i = 0; i < n; i++) sink(compiled.evaluateToWire(contexts[i % contexts.length]));
  };
}

const TEMPLATES = [
  {
    id: 'template/ten-fields',
    source: 'Hello {!$Parameters.Name}, your case {!$Parameters.Case} is {!UPPER($Parameters.Status)}.{!BR()}Opened {!$Parameters.Days} days ago ({!IF($Parameters.Days > 7, "late", "on time")}). {!LEFT($Parameters.Name, 1)}{!LEN($Parameters.Case)} {!$Parameters.Name & " / " & $Parameters.Case} {!TEXT($Parameters.Days * 2)} {!$Parameters.Status}',
    options: { parameters: { Name: 'Text', Case: 'Text', Status: 'Text', Days: 'Number' } },
    data: { parameters: { Name: 'Ann', Case: '00001234', Status: 'open', Days: 9 } },
  },
  {
    id: 'template/list-20',
    source: 'Options:{!BR()}{!$ListTemplates.Opts}',
    options: {
      constants: { Opts: [{ Name: 'Text' }] },
      listTemplates: [{ name: 'Opts', source: '$Constants.Opts', template: '{!$ListItem.Index}. {!$ListItem.Value.Name}{!IF($ListItem.IsLast, "", BR())}' }],
    },
    data: { constants: { Opts: Array.from({ length: 20 }, (_, i) => ({ Name: `Option ${i}` })) } },
  },
];

function templateTask(lib, t) {
  const compiled = lib.compileTemplate(t.source, t.options);
  if (!compiled.ok) throw new Error(`${t.id}: ${JSON.stringify(compiled.diagnostics)}`);
  return (n) => {
    for (let i = 0; i < n; i++) sink(compiled.render(t.data));
  };
}

const ratios = { evaluation: [], templates: [] };
const rows = [];
for (const f of FORMULAS) {
  const before = evaluationTask(builds.before, f);
  const after = evaluationTask(builds.after, f);
  if (before === undefined || after === undefined) continue;
  const r = compare([{ name: 'before', run: before }, { name: 'after', run: after }], options);
  const ratio = r.after.opsPerSec / r.before.opsPerSec;
  ratios.evaluation.push(ratio);
  rows.push([f.id, r.before.opsPerSec, r.after.opsPerSec, ratio]);
  process.stderr.write('.');
}
for (const t of TEMPLATES) {
  const r = compare([{ name: 'before', run: templateTask(builds.before, t) }, { name: 'after', run: templateTask(builds.after, t) }], options);
  const ratio = r.after.opsPerSec / r.before.opsPerSec;
  ratios.templates.push(ratio);
  rows.push([t.id, r.before.opsPerSec, r.after.opsPerSec, ratio]);
}
process.stderr.write('\n');
const fmt = (x) => Math.round(x).toLocaleString('en-US');
console.log('| case | before (ops/s) | after (ops/s) | after / before |');
console.log('|---|---:|---:|---:|');
for (const [id, b, a, r] of rows) console.log(`| ${id} | ${fmt(b)} | ${fmt(a)} | ${r.toFixed(3)} |`);
console.log(`\ngeometric mean, evaluation (${ratios.evaluation.length} formulas): ${geomean(ratios.evaluation).toFixed(3)}`);
console.log(`geometric mean, templates (${ratios.templates.length}): ${geomean(ratios.templates).toFixed(3)}`);
