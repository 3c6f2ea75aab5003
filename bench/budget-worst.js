/**
 * What is left after the evaluation budget (issue 14, part 2): how long the worst inputs hold the
 * event loop under the server's default request budget (250 ms, 20,000,000 operations, text
 * capped at 131,072 characters). Usage: `npm run build && node bench/budget-worst.js`.
 * Each case runs 5 times; the table gives the longest wall time and the outcome.
 * Figures: bench/README.md, "Evaluation budget".
 */
import { performance } from 'node:perf_hooks';
import { Budget, compileComponent, compileFormula, compileTemplate } from '../dist/src/index.js';

const request = () => new Budget({ timeoutMs: 250 });
const heavy = (n) => `LEN(SUBSTITUTE(SUBSTITUTE(LPAD("a",${n},"b"),"b","c"),"c","d"))`;
/** About 3,800 characters: 84 SUBSTITUTEs over texts at the cap. */
const deep = Array.from({ length: 84 }, () => 'LEN(SUBSTITUTE(LPAD("a",131072,"b"),"b","c"))').join('+');
const nestedLists = () => {
  const items = Array.from({ length: 1000 }, (_, i) => ({ Name: `n${i}` }));
  const t = compileTemplate('{!$ListTemplates.A}', {
    constants: { Items: [{ Name: 'Text' }] },
    listTemplates: [
      { name: 'A', source: '$Constants.Items', template: '{!$ListTemplates.B}' },
      { name: 'B', source: '$Constants.Items', template: '{!$ListTemplates.C}' },
      { name: 'C', source: '$Constants.Items', template: '{!IF($ListItem.IsFirst, "", "")}' },
    ],
  });
  return () => t.render({ constants: { Items: items }, budget: request() });
};
const question = (formula, n) => compileComponent({
  name: 'Q',
  type: 'QuestionStaticOptions',
  constants: { Title: { type: 'Text', value: 'Pick' }, Options: { type: 'List<Option>', value: Array.from({ length: n }, (_, i) => ({ Name: `o${i}` })) } },
  formats: [{ type: 'Buttons', title: { type: 'Constant', name: 'Title' }, options: { source: '$Constants.Options', title: { type: 'Formula', formula } } }],
});
const single = (source) => {
  const f = compileFormula(source);
  return () => f.evaluateToWire({ budget: request() });
};
const outcomeOf = (r) => {
  if (r === undefined) return '';
  if ('error' in r && typeof r.error === 'object') return r.error.code;
  if ('errors' in r && r.errors.length > 0) return `${r.errors[0].code}${r.errors.length > 1 ? ` (×${r.errors.length})` : ''}`;
  if ('ok' in r && r.ok === false) return r.error?.code ?? 'failed';
  return 'ok';
};

const CASES = [
  ['template: 400 × SUBSTITUTE(SUBSTITUTE(LPAD 1,000,000))', () => { const t = compileTemplate(`{!${heavy(1_000_000)}}`.repeat(400)); return () => t.render({ budget: request() }); }],
  ['template: 400 × the same at the cap (131,072)', () => { const t = compileTemplate(`{!${heavy(131_072)}}`.repeat(400)); return () => t.render({ budget: request() }); }],
  ['template: list templates 3 deep × 1,000 entries', nestedLists],
  [`batch: 15 × a ${deep.length.toLocaleString('en-US')}-character formula (84 SUBSTITUTEs at the cap)`, () => { const f = compileFormula(deep); return () => { const b = request(); let last; for (let i = 0; i < 15; i++) last = f.evaluateToWire({ budget: b }); return last; }; }],
  ['component render: 10 options, heavy option title', () => { const c = question(`LEFT(SUBSTITUTE(SUBSTITUTE(LPAD("a",131072,"b"),"b","c"),"c","d"), 5)`, 10); return () => c.render({ channel: 'EmbeddedWeb' }, { budget: request() }); }],
  ['one SUBSTITUTE at the cap (131,072 → 131,072)', () => single('LEN(SUBSTITUTE(LPAD("a",131072,"b"),"b","c"))')],
  ['one SUBSTITUTE refused (131,072 × 2: split, then refused)', () => single('LEN(SUBSTITUTE(LPAD("a",131072,"b"),"b","cc"))')],
  ['one UPPER at the cap', () => single('LEN(UPPER(LPAD("a",131072,"b")))')],
  ['one FIND through the cap (no match)', () => single('FIND("x", LPAD("a",131072,"b"))')],
  ['compile: one 1 MiB merge field (not budgeted)', () => () => compileTemplate(`{!"${'a'.repeat(1024 * 1024 - 6)}"}`)],
];

console.log('| case | longest (ms) | outcome |');
console.log('|---|---:|---|');
for (const [name, setup] of CASES) {
  const run = setup();
  let worst = 0;
  let outcome;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    outcome = run();
    worst = Math.max(worst, performance.now() - t);
  }
  console.log(`| ${name} | ${worst.toFixed(1)} | ${outcomeOf(outcome)} |`);
}
