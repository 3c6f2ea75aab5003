#!/usr/bin/env node
/**
 * `npm run bench`: Parlance against sformula (and formulon), and its templates against
 * Handlebars and liquidjs, side by side, in one run.
 *
 *   node bench/run.js [--json] [--filter logic,text,templates|<id substring>] [--quick]
 *                     [--rounds N] [--sample-ms N] [--warmup-ms N] [--clock wall|cpu]
 *
 * Prints, per formula and per family, throughput RATIOS (ours ÷ theirs, higher is better) for
 * evaluation and for compilation, and the geometric means against the targets; then, per
 * template case, the rendering ratios against Handlebars and liquidjs. See README.md.
 */
import { availableParallelism, loadavg } from 'node:os';
import { FAMILIES, FORMULAS } from './formulas.js';
import {
  engineVersions,
  formulonEvaluate,
  formulonIdentifiers,
  formulonKey,
  parlanceCompile,
  parlanceContexts,
  parlanceKey,
  parlanceOptions,
  sformulaCompile,
  sformulaOptions,
  canonical,
  fresh,
  nowAt,
} from './engines.js';
import { HANDWRITTEN } from './handwritten.js';
import { coldCompile } from './cold-compile.js';
import { compileFormula } from '../dist/src/index.js';
import { parseSync } from 'sformula';
import { compare, geomean, setClock, warm } from './measure.js';
import { TEMPLATE_CASES, compilationTasks as templateCompilationTasks, prepareTemplates, templateEngineVersions } from './templates.js';
import { RENDER_CASES, prepareRender, renderEngineVersions } from './render.js';

/**
 * The goals of issue 19 (evaluation and compile) and of the template work (`renderVsHandlebars`:
 * template rendering at least as fast as a precompiled Handlebars template):
 * - `evaluate`: the geometric mean of evaluation over every formula ≥ 200× sformula, and
 *   `evaluateFamily`: each family's ≥ 100×;
 * - `vsJs`: the geometric mean at most 3× slower than handwritten JavaScript (bench/handwritten.js);
 * - `formulas`: the two formulas the issue names, each ≥ 100× sformula, the first ≤ 4× from JS;
 * - `compile`: compile with a fresh options object per call ≥ 15× sformula (the same object
 *   reused is printed beside it, without a target); `coldCompile`: 10,000 distinct formulas in a
 *   cold process ≥ 5×;
 * - `nowVaryingOverConstant`: TODAY() with a `now` that changes on every call at least 0.9 of the
 *   throughput with one constant `now` ("no cliff").
 */
export const TARGETS = {
  evaluate: 200,
  evaluateFamily: 100,
  vsJs: 3,
  formulas: {
    'mixed/traffic-light-amount': { evaluate: 100, vsJs: 4 },
    'mixed/status-name': { evaluate: 100 },
  },
  compile: 15,
  coldCompile: 5,
  nowVaryingOverConstant: 0.9,
  renderVsHandlebars: 1,
};

/** `--filter cold`: only the cold-process compile; `--filter now`: only the `now` check. */
const COLD = 'cold';
const NOW_CHECK = 'now';

/** The template cases form a family of their own: `--filter templates` runs only them. */
const TEMPLATES = 'templates';
/** So does the end-to-end component render: `--filter render`. */
const RENDER = 'render';

const SFORMULA_TO_TYPE = { number: 'Number', currency: 'Currency', percent: 'Percent', string: 'Text', boolean: 'Boolean', date: 'Date', datetime: 'DateTime', time: 'Time' };

function parseArgs(argv) {
  const opts = { json: false, filter: [], rounds: 9, sampleMs: 15, warmupMs: 100, clock: 'wall', constantNow: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') opts.json = true;
    else if (a === '--constant-now') opts.constantNow = true;
    else if (a === '--quick') Object.assign(opts, { rounds: 5, sampleMs: 10, warmupMs: 50 });
    else if (a.startsWith('--filter')) opts.filter.push(...value().split(',').map((s) => s.trim()).filter(Boolean));
    else if (a.startsWith('--rounds')) opts.rounds = positive(value(), a);
    else if (a.startsWith('--sample-ms')) opts.sampleMs = positive(value(), a);
    else if (a.startsWith('--warmup-ms')) opts.warmupMs = positive(value(), a);
    else if (a.startsWith('--clock')) opts.clock = value();
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node bench/run.js [--json] [--filter family|templates|render|now|cold|id,...] [--quick] [--rounds N] [--sample-ms N] [--warmup-ms N] [--clock wall|cpu] [--constant-now]\n');
      process.exit(0);
    } else throw new Error(`Unknown option ${a}`);
  }
  return opts;
}

function positive(v, name) {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} expects a positive number`);
  return n;
}

/**
 * A filter word is a family name (`text`, `templates`) or part of an id (`date/add`, `concat`,
 * `options-10`).
 */
function selected(f, filter) {
  if (filter.length === 0) return true;
  return filter.some((x) => (FAMILIES.includes(x) || x === TEMPLATES || x === RENDER || x === COLD || x === NOW_CHECK ? f.family === x : f.id.includes(x)));
}

/** Compiles on every engine and compares results record by record; no timing yet. */
let constantNow = false;

function prepare(f) {
  const entry = { id: f.id, family: f.family, formula: f.formula, status: 'ok' };
  const ours = parlanceCompile(f);
  if (!ours.ok) {
    const d = ours.diagnostics.find((x) => x.severity === 'error');
    entry.status = d?.code === 'E_FUNCTION_NOT_SUPPORTED' ? 'unsupported' : 'compile-error';
    entry.reason = d === undefined ? 'does not compile' : `${d.code}: ${d.message}`;
    if (entry.status === 'unsupported') entry.missing = /Function (\S+)/.exec(d.message)?.[1] ?? d.found ?? '?';
    return { entry };
  }
  let sf;
  try {
    sf = sformulaCompile(f);
  } catch (e) {
    entry.status = 'sformula-error';
    entry.reason = `sformula cannot compile it: ${e instanceof Error ? e.message : String(e)}`;
    return { entry };
  }
  const contexts = parlanceContexts(f, constantNow);
  const type = ours.returnType;
  const mismatches = [];
  let formulonIds = f.records.map((r) => formulonIdentifiers(f, r));
  let formulonNote = formulonIds.some((x) => x === undefined) ? 'fields not expressible' : undefined;
  f.records.forEach((record, i) => {
    const o = parlanceKey(ours.evaluateToWire(contexts[i]), f.scale);
    let s;
    try {
      s = canonical(SFORMULA_TO_TYPE[sf.returnType] ?? type, sf.evaluate(record), f.scale);
    } catch (e) {
      s = `throws:${e instanceof Error ? e.message : String(e)}`;
    }
    if (o !== s) mismatches.push({ record: i, ours: o, sformula: s });
    if (formulonNote === undefined) {
      const fo = formulonKey(formulonEvaluate(f.formula, formulonIds[i]), type, f.scale);
      if (fo.startsWith('error:')) formulonNote = `unsupported (${fo.slice(6)})`;
      else if (fo !== o) formulonNote = `differs on record ${i}: ${fo} vs ${o}`;
    }
  });
  if (formulonNote?.startsWith('unsupported') || formulonNote === 'fields not expressible') formulonIds = undefined;
  const js = HANDWRITTEN[f.id];
  if (js === undefined) entry.js = 'no handwritten version';
  else {
    const differs = f.records.findIndex((record, i) => canonical(type, js(record), f.scale) !== parlanceKey(ours.evaluateToWire(contexts[i]), f.scale));
    if (differs >= 0) entry.js = `handwritten JS differs on record ${differs}`;
  }
  entry.agree = mismatches.length === 0;
  if (mismatches.length > 0) entry.mismatches = mismatches;
  if (formulonNote !== undefined) entry.formulon = formulonNote;
  return { entry, ours, sf, contexts, formulonIds };
}

/** Builds the timed tasks: each `run(n)` does n single-record operations, cycling records. */
function tasks(f, { ours, sf, contexts, formulonIds }) {
  const m = f.records.length;
  const records = f.records;
  const evaluation = [
    {
      name: 'ours',
      run(n) {
        let r;
        for (let i = 0; i < n; i++) r = ours.evaluateToWire(contexts[i % m]);
        return r;
      },
    },
    {
      name: 'sformula',
      run(n) {
        let r;
        for (let i = 0; i < n; i++) r = sf.evaluate(records[i % m]);
        return r;
      },
    },
  ];
  const js = HANDWRITTEN[f.id];
  if (js !== undefined) {
    evaluation.push({
      name: 'js',
      run(n) {
        let r;
        for (let i = 0; i < n; i++) r = js(records[i % m]);
        return r;
      },
    });
  }
  if (formulonIds !== undefined) {
    evaluation.push({
      name: 'formulon',
      run(n) {
        let r;
        for (let i = 0; i < n; i++) r = formulonEvaluate(f.formula, formulonIds[i % m]);
        return r;
      },
    });
  }
  const po = parlanceOptions(f);
  const so = sformulaOptions(f);
  // Fresh: a new options object (fields included) per call, as a server or a batch parses one
  // per request; both engines pay the same copy. Reused: one object for every call.
  const compilation = [
    {
      name: 'ours',
      run(n) {
        let r;
        for (let i = 0; i < n; i++) r = compileFormula(f.formula, fresh(po));
        return r;
      },
    },
    {
      name: 'sformula',
      run(n) {
        let r;
        for (let i = 0; i < n; i++) r = parseSync(f.formula, fresh(so));
        return r;
      },
    },
    {
      name: 'oursReused',
      run(n) {
        let r;
        for (let i = 0; i < n; i++) r = compileFormula(f.formula, po);
        return r;
      },
    },
    {
      name: 'sformulaReused',
      run(n) {
        let r;
        for (let i = 0; i < n; i++) r = parseSync(f.formula, so);
        return r;
      },
    },
  ];
  return { evaluation, compilation };
}

function summarize(entries) {
  const groups = [...FAMILIES.map((family) => ({ family, list: entries.filter((e) => e.family === family) })), { family: 'overall', list: entries }];
  return groups
    .filter((g) => g.list.length > 0)
    .map(({ family, list }) => {
      const measured = list.filter((e) => e.status === 'ok');
      const ev = geomean(measured.map((e) => e.evaluate.ratio));
      const vsJs = geomean(measured.filter((e) => e.evaluate.vsJs !== undefined).map((e) => e.evaluate.vsJs));
      const co = geomean(measured.map((e) => e.compile.ratio));
      const reused = geomean(measured.map((e) => e.compile.reusedRatio));
      const evTarget = family === 'overall' ? TARGETS.evaluate : TARGETS.evaluateFamily;
      const fo = geomean(measured.filter((e) => e.evaluate.formulonRatio !== undefined).map((e) => e.evaluate.formulonRatio));
      return {
        family,
        formulas: list.length,
        measured: measured.length,
        skipped: list.length - measured.length,
        evaluate: ev,
        evaluateTarget: evTarget,
        evaluateMeetsTarget: ev === null ? null : ev >= evTarget,
        vsJs,
        vsJsMeetsTarget: vsJs === null || family !== 'overall' ? null : vsJs <= TARGETS.vsJs,
        compile: co,
        compileMeetsTarget: co === null ? null : co >= TARGETS.compile,
        compileReused: reused,
        evaluateVsFormulon: fo,
      };
    });
}

const entries0 = (prepared) => prepared.map((p) => p.entry);

/**
 * TODAY() with a `now` that changes on every call (a server passes the current time with each
 * request) against the same formula with one constant `now` (ours only: sformula reads the
 * system clock). 1,024 distinct instants, cycled; the ratio is varying ÷ constant throughput.
 */
function measureNow(settings) {
  process.stderr.write('  now/today ...\n');
  const compiled = compileFormula('TODAY() - CloseDate', { fields: { CloseDate: 'Date' } });
  const record = { CloseDate: '2026-03-01' };
  const constant = { record, now: nowAt(0), timezone: 'UTC' };
  const varying = Array.from({ length: 1024 }, (_, i) => ({ record, now: nowAt(i * 3_600), timezone: 'UTC' }));
  const m = compare(
    [
      {
        name: 'constant',
        run(n) {
          let r;
          for (let i = 0; i < n; i++) r = compiled.evaluateToWire(constant);
          return r;
        },
      },
      {
        name: 'varying',
        run(n) {
          let r;
          for (let i = 0; i < n; i++) r = compiled.evaluateToWire(varying[i & 1023]);
          return r;
        },
      },
    ],
    settings,
  );
  const ratio = m.varying.opsPerSec / m.constant.opsPerSec;
  return { ratio, meetsTarget: ratio >= TARGETS.nowVaryingOverConstant, spread: Math.max(m.varying.spread, m.constant.spread), opsPerSec: { constant: Math.round(m.constant.opsPerSec), varying: Math.round(m.varying.opsPerSec) } };
}

// ------------------------------------------------------------------ templates

/**
 * Template rendering, per case: ours against Handlebars and liquidjs, interleaved; then
 * compilation once, side by side (informational, no target).
 */
function measureTemplates(prepared, settings) {
  const cases = [];
  for (const { entry, tasks: t } of prepared) {
    process.stderr.write(`  ${entry.id} ...\n`);
    const m = compare(t, settings);
    cases.push({
      ...entry,
      render: {
        vsHandlebars: m.ours.opsPerSec / m.handlebars.opsPerSec,
        vsLiquidjs: m.ours.opsPerSec / m.liquidjs.opsPerSec,
        meetsTarget: m.ours.opsPerSec / m.handlebars.opsPerSec >= TARGETS.renderVsHandlebars,
        spread: Math.max(...Object.values(m).map((x) => x.spread)),
        opsPerSec: Object.fromEntries(Object.entries(m).map(([k, x]) => [k, Math.round(x.opsPerSec)])),
      },
    });
  }
  process.stderr.write('  templates/compile ...\n');
  // Compilers run much more code than renderers: it takes them about a second to be optimised
  // (measured: Parlance's compileTemplate is 4× faster after 1 s than after 100 ms), and their
  // allocations make garbage collections frequent, which longer batches average out.
  const compilation = templateCompilationTasks();
  for (const t of compilation) warm(t.run, settings.warmupMs * 10);
  const c = compare(compilation, { ...settings, sampleMs: settings.sampleMs * 4 });
  const compile = {
    vsHandlebars: c.ours.opsPerSec / c.handlebars.opsPerSec,
    vsLiquidjs: c.ours.opsPerSec / c.liquidjs.opsPerSec,
    spread: Math.max(...Object.values(c).map((x) => x.spread)),
    opsPerSec: Object.fromEntries(Object.entries(c).map(([k, x]) => [k, Math.round(x.opsPerSec)])),
  };
  return { cases, compile };
}

// ------------------------------------------------------------------ render

/** End-to-end component renders against the template-only render of the same Text version. */
function measureRender(prepared, settings) {
  return prepared.map(({ entry, tasks: t }) => {
    process.stderr.write(`  ${entry.id} ...\n`);
    const m = compare(t, settings);
    return {
      ...entry,
      templateOverRender: m.template.opsPerSec / m.render.opsPerSec,
      textFallbackOverRender: m.textFallback.opsPerSec / m.render.opsPerSec,
      renderVsHandlebars: m.render.opsPerSec / m.handlebars.opsPerSec,
      templateVsHandlebars: m.template.opsPerSec / m.handlebars.opsPerSec,
      spread: Math.max(...Object.values(m).map((x) => x.spread)),
      opsPerSec: Object.fromEntries(Object.entries(m).map(([k, x]) => [k, Math.round(x.opsPerSec)])),
    };
  });
}

function renderReport(cases, out) {
  out.push('Render — a question with 5 dynamic options (Location records) on Facebook Messenger, formats [Buttons, Quick Replies]:');
  out.push('compileComponent once, then render(request): request checks, format walk (Buttons skipped), option bindings per record,');
  out.push('limit checks, Send API payload and the Text version; against only the Text version (compileTemplate, render(data).text),');
  out.push('the text fallback on SMS (same request, no format walk), and an equivalent precompiled Handlebars template.');
  out.push('');
  const rows = cases.map((c) => [c.id, x(c.templateOverRender), x(c.textFallbackOverRender), x(c.renderVsHandlebars), x(c.templateVsHandlebars), pct(c.spread)]);
  out.push(table(['case', 'template ÷ render', 'text fallback ÷ render', 'render vs Handlebars', 'template vs Handlebars', 'noise'], rows, ['l', 'r', 'r', 'r', 'r', 'r']));
  out.push('"template ÷ render" is how many template-only renders fit in the time of one full render: the renderer\'s overhead factor.');
}

// ------------------------------------------------------------------ output

const x = (r) => (r === null || r === undefined ? '—' : r >= 100 ? `${r.toFixed(0)}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`);
const pct = (s) => `±${Math.round(s * 50)}%`;

function table(headers, rows, align) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (align[i] === 'r' ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function report(result) {
  const out = [];
  const v = result.versions;
  const engines = [];
  if (result.formulas.length > 0) engines.push(`sformula ${v.sformula}`, `formulon ${v.formulon}`);
  if (result.templates !== undefined) engines.push(`Handlebars ${v.handlebars}`, `liquidjs ${v.liquidjs}`);
  else if (result.render !== undefined) engines.push(`Handlebars ${v.handlebars}`);
  out.push(`Parlance ${v.parlance} vs ${engines.join(' vs ')} — node ${v.node}, ${result.settings.rounds} rounds × ~${result.settings.sampleMs} ms, median per engine, ${result.settings.clock} clock`);
  if (result.settings.constantNow) out.push('--constant-now: every evaluation passes the same `now` (not what a server does: for comparison only).');
  out.push('Ratios are throughput ours ÷ theirs (higher is better).');
  if (result.machine.oversubscribed && result.settings.clock === 'wall') {
    out.push(`WARNING: load average ${result.machine.load.toFixed(1)} on ${result.machine.cores} cores: wall-clock samples include time spent waiting for a core.`);
    out.push('         Expect noisy ratios; `npm run bench -- --clock cpu` measures CPU time instead (see bench/README.md).');
  }
  if (result.formulas.length > 0) {
    out.push('');
    out.push('Formulas — eval: evaluateToWire vs sformula evaluate; compile: compileFormula vs sformula parseSync;');
    out.push('formulon: ours eval vs formulon parse-and-evaluate per call.');
    out.push('');
    formulaReport(result, out);
  }
  if (result.now !== undefined || result.coldCompile !== undefined) {
    out.push('');
    extrasReport(result, out);
  }
  if (result.templates !== undefined) {
    out.push('');
    templateReport(result.templates, out);
  }
  if (result.render !== undefined) {
    out.push('');
    renderReport(result.render, out);
  }
  out.push('');
  out.push(`noise: interquartile range of the per-round throughputs, as ± half of it relative to the median (worst engine). Total ${(result.elapsedMs / 1000).toFixed(1)} s.`);
  return out.join('\n');
}

function formulaReport(result, out) {
  const rows = [];
  for (const e of result.formulas) {
    if (e.status !== 'ok') {
      const why = e.status === 'unsupported' ? `skipped: not supported yet (${e.missing})` : `skipped: ${e.reason}`;
      rows.push([e.id, '—', '—', '—', '—', '—', '—', why]);
      continue;
    }
    const noise = Math.max(e.evaluate.spread, e.compile.spread);
    const notes = [];
    if (!e.agree) notes.push(`WARNING results differ: ${e.mismatches.map((m) => `#${m.record} ours=${m.ours} sformula=${m.sformula}`).join('; ')}`);
    if (e.js !== undefined) notes.push(e.js);
    if (e.formulon !== undefined) notes.push(`formulon ${e.formulon}`);
    const verdict = e.agree ? 'ok' : 'DIFF';
    rows.push([e.id, x(e.evaluate.ratio), x(e.evaluate.vsJs), x(e.compile.ratio), x(e.compile.reusedRatio), x(e.evaluate.formulonRatio), pct(noise), notes.length > 0 ? `${verdict}  ${notes.join('; ')}` : verdict]);
  }
  out.push(table(['formula', 'eval vs sformula', 'JS ÷ eval', 'compile vs sformula (fresh)', 'compile (reused)', 'eval vs formulon', 'noise', 'same result'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l']));
  out.push('"JS ÷ eval": how many times slower than handwritten JavaScript (bench/handwritten.js); lower is better.');
  out.push('compile (fresh): a new options object per call for both engines; (reused): one options object for every call.');
  out.push('');
  const T = TARGETS;
  out.push(`Geometric means — targets: evaluation ≥ ${T.evaluate}× sformula overall and ≥ ${T.evaluateFamily}× in each family, ≤ ${T.vsJs}× from JS overall; compile (fresh) ≥ ${T.compile}×`);
  out.push('');
  const mark = (ok) => (ok === null || ok === undefined ? '' : ok ? 'met' : 'NOT MET');
  out.push(
    table(
      ['family', 'measured', 'skipped', 'eval vs sformula', 'target', 'JS ÷ eval', 'target', 'compile (fresh)', 'target', 'compile (reused)', 'eval vs formulon'],
      result.summary.map((s) => [
        s.family,
        s.measured,
        s.skipped,
        x(s.evaluate),
        `${mark(s.evaluateMeetsTarget)} (≥ ${s.evaluateTarget}×)`,
        x(s.vsJs),
        s.family === 'overall' ? `${mark(s.vsJsMeetsTarget)} (≤ ${T.vsJs}×)` : '',
        x(s.compile),
        mark(s.compileMeetsTarget),
        x(s.compileReused),
        x(s.evaluateVsFormulon),
      ]),
      ['l', 'r', 'r', 'r', 'l', 'r', 'l', 'r', 'l', 'r', 'r'],
    ),
  );
  const overall = result.summary.find((s) => s.family === 'overall');
  const families = result.summary.filter((s) => s.family !== 'overall');
  if (overall !== undefined) {
    out.push('');
    out.push(`evaluation vs sformula: geometric mean ${x(overall.evaluate)} — ${families.map((s) => `${s.family} ${x(s.evaluate)}`).join(', ')}`);
  }
  if (result.targeted.length > 0) {
    out.push('');
    out.push('The formulas issue 19 names:');
    for (const t of result.targeted) {
      const goal = T.formulas[t.id];
      const js = t.vsJs !== undefined ? `; ${x(t.vsJs)} from JS (≤ ${goal.vsJs}×: ${mark(t.vsJsMeetsTarget)})` : '';
      out.push(`  ${t.id}: ${x(t.evaluate)} sformula (≥ ${goal.evaluate}×: ${mark(t.evaluateMeetsTarget)})${js}`);
    }
  }
}

function extrasReport(result, out) {
  const mark = (ok) => (ok ? 'met' : 'NOT MET');
  if (result.now !== undefined) {
    const n = result.now;
    out.push(`now: TODAY() with a now that changes per call ÷ one constant now: ${n.ratio.toFixed(2)} (target ≥ ${TARGETS.nowVaryingOverConstant}: ${mark(n.meetsTarget)}), ${pct(n.spread)}`);
  }
  if (result.coldCompile !== undefined) {
    const c = result.coldCompile;
    out.push(
      `cold compile: ${c.count.toLocaleString('en-US')} distinct formulas in a fresh process, median of ${c.runs}: ours ${c.oursCpuMs.toFixed(0)} ms CPU, sformula ${c.sformulaCpuMs.toFixed(0)} ms CPU: ${x(c.ratio)} (target ≥ ${TARGETS.coldCompile}×: ${mark(c.meetsTarget)}); whole process (node start, import, compiles) ${x(c.wholeProcessRatio)}`,
    );
  }
}

function templateReport({ cases, compile }, out) {
  out.push('Templates — the seed\'s OptionsList question (title, "Select an option:", one numbered line per option):');
  out.push('compileTemplate once, then render(data).text, vs an equivalent Handlebars template compiled once, then template(data),');
  out.push(`vs liquidjs: parse once, then renderSync(parsed, data). Target: rendering ≥ ${TARGETS.renderVsHandlebars}× precompiled Handlebars.`);
  out.push('');
  const mark = (ok) => (ok ? 'met' : 'BELOW');
  const rows = cases.map((c) => {
    const verdict = c.agree ? 'ok' : `DIFF  ${c.mismatches.map((m) => `${m.engine}: ${JSON.stringify(m.theirs)} vs ours ${JSON.stringify(m.ours)}`).join('; ')}`;
    return [c.id, c.options, c.bytes, x(c.render.vsHandlebars), mark(c.render.meetsTarget), x(c.render.vsLiquidjs), pct(c.render.spread), verdict];
  });
  rows.push(['compile (informational)', '', '', x(compile.vsHandlebars), '', x(compile.vsLiquidjs), pct(compile.spread), '']);
  out.push(table(['case', 'options', 'bytes', 'render vs Handlebars', 'target', 'render vs liquidjs', 'noise', 'same output'], rows, ['l', 'r', 'r', 'r', 'l', 'r', 'r', 'l']));
  out.push('compile: compileTemplate vs Handlebars.compile + first render (it compiles lazily) vs liquid.parse, 10 options.');
}

// ------------------------------------------------------------------ main

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = process.hrtime.bigint();
  setClock(opts.clock);
  constantNow = opts.constantNow;
  const cores = availableParallelism();
  const machine = { cores, load: loadavg()[0], oversubscribed: loadavg()[0] >= cores };
  const settings = { rounds: opts.rounds, sampleMs: opts.sampleMs, warmupMs: opts.warmupMs, clock: opts.clock, constantNow: opts.constantNow };
  const list = FORMULAS.filter((f) => selected(f, opts.filter));
  const templateCases = TEMPLATE_CASES.map((c) => ({ ...c, family: TEMPLATES })).filter((c) => selected(c, opts.filter));
  const renderCases = RENDER_CASES.map((c) => ({ ...c, family: RENDER })).filter((c) => selected(c, opts.filter));
  const extras = [COLD, NOW_CHECK].some((family) => selected({ id: `${family}/`, family }, opts.filter));
  if (list.length === 0 && templateCases.length === 0 && renderCases.length === 0 && !extras) throw new Error(`No formula or template case matches --filter ${opts.filter.join(',')}`);
  const prepared = list.map((f) => ({ f, ...prepare(f) }));
  const runnable = prepared.filter((p) => p.entry.status === 'ok').map((p) => ({ ...p, tasks: tasks(p.f, p) }));
  const templates = templateCases.length > 0 ? prepareTemplates(templateCases) : [];
  const renders = renderCases.length > 0 ? prepareRender() : [];
  // Global warm-up: the engines' shared code (parsers, type checkers, evaluators) is optimised
  // on every formula before the first measurement, so the first formulas are not measured cold.
  for (const p of runnable) for (const t of [...p.tasks.evaluation, ...p.tasks.compilation]) warm(t.run, settings.warmupMs / 2);
  for (const p of templates) for (const t of p.tasks) warm(t.run, settings.warmupMs / 2);
  for (const p of renders) for (const t of p.tasks) warm(t.run, settings.warmupMs / 2);
  for (const { f, entry, tasks: t } of runnable) {
    process.stderr.write(`  ${f.id} ...\n`);
    const ev = compare(t.evaluation, settings);
    const co = compare(t.compilation, settings);
    entry.evaluate = {
      ratio: ev.ours.opsPerSec / ev.sformula.opsPerSec,
      ...(ev.js !== undefined ? { vsJs: ev.js.opsPerSec / ev.ours.opsPerSec } : {}),
      ...(ev.formulon !== undefined ? { formulonRatio: ev.ours.opsPerSec / ev.formulon.opsPerSec } : {}),
      spread: Math.max(...Object.values(ev).map((m) => m.spread)),
      opsPerSec: Object.fromEntries(Object.entries(ev).map(([k, m]) => [k, Math.round(m.opsPerSec)])),
    };
    entry.compile = {
      ratio: co.ours.opsPerSec / co.sformula.opsPerSec,
      reusedRatio: co.oursReused.opsPerSec / co.sformulaReused.opsPerSec,
      spread: Math.max(...Object.values(co).map((m) => m.spread)),
      opsPerSec: Object.fromEntries(Object.entries(co).map(([k, m]) => [k, Math.round(m.opsPerSec)])),
    };
  }
  const targeted = Object.entries(TARGETS.formulas).map(([id, goal]) => ({ id, goal, entry: entries0(prepared).find((e) => e.id === id) })).filter((t) => t.entry?.evaluate !== undefined);
  const nowResult = selected({ id: 'now/today', family: NOW_CHECK }, opts.filter) ? measureNow(settings) : undefined;
  let cold;
  if (selected({ id: 'cold/compile', family: COLD }, opts.filter)) {
    process.stderr.write('  cold compile (10,000 distinct formulas, fresh processes) ...\n');
    cold = coldCompile({ count: 10_000, runs: opts.rounds >= 9 ? 3 : 1 });
  }
  const templateResult = templates.length > 0 ? measureTemplates(templates, settings) : undefined;
  const renderResult = renders.length > 0 ? measureRender(renders, settings) : undefined;
  const entries = prepared.map((p) => p.entry);
  const result = {
    versions: { ...engineVersions(), ...templateEngineVersions(), ...renderEngineVersions() },
    machine,
    settings,
    targets: TARGETS,
    formulas: entries,
    summary: summarize(entries),
    targeted: targeted.map((t) => ({
      id: t.id,
      evaluate: t.entry.evaluate.ratio,
      evaluateMeetsTarget: t.entry.evaluate.ratio >= t.goal.evaluate,
      ...(t.goal.vsJs !== undefined ? { vsJs: t.entry.evaluate.vsJs, vsJsMeetsTarget: t.entry.evaluate.vsJs <= t.goal.vsJs } : {}),
    })),
    ...(nowResult !== undefined ? { now: nowResult } : {}),
    ...(cold !== undefined ? { coldCompile: { ...cold, meetsTarget: cold.ratio >= TARGETS.coldCompile } } : {}),
    ...(templateResult !== undefined ? { templates: templateResult } : {}),
    ...(renderResult !== undefined ? { render: renderResult } : {}),
    elapsedMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
  };
  if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`\n${report(result)}\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
}
