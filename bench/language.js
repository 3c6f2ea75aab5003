#!/usr/bin/env node
/**
 * The language service per keystroke: what an editor asks after each change of a document
 * (diagnostics, then completion or hover at the cursor), on a formula, a template and a component
 * definition. Every operation sees a changed text (a space is added or removed at the end), so
 * nothing is answered from the service's one-document cache, as when typing. Runs on dist/
 * (`npm run build` first).
 *
 *   node bench/language.js [--rounds N] [--clock cpu]
 *
 * Prints the median time per operation (and the interquartile spread). Figures: bench/README.md,
 * "Language service".
 */
import { readFileSync } from 'node:fs';
import { ObjectCatalog } from '../dist/src/catalog/catalog.js';
import { validateComponent } from '../dist/src/component/validate.js';
import { LanguageService } from '../dist/src/language/index.js';
import { compare, setClock } from './measure.js';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
};
setClock(arg('--clock', 'wall'));
const rounds = Number(arg('--rounds', '9'));

const catalog = ObjectCatalog.builtin();
const service = new LanguageService({ catalog, validateComponent: (d) => validateComponent(d, { catalog }) });

const formula = 'IF(ISPICKVAL(Status, "Escalated"), "Urgent: " & Subject, IF(Account.Owner.IsActive, Account.Owner.FirstName & " will call", CaseNumber))';
const template = '{!$Constants.Title}{!BR()}\nSelect an option:{!BR()}\n{!$ListTemplates.OptionsList}';
const component = readFileSync(new URL('../examples/components/open-cases.json', import.meta.url), 'utf8');

/** A task that, per operation, changes the text and asks what an editor asks after a change. */
function task(name, kind, text, context, offset, ask) {
  let i = 0;
  return {
    name,
    run(n) {
      let out;
      for (let k = 0; k < n; k++) {
        const doc = { kind, text: i++ % 2 === 0 ? text : `${text} `, context };
        out = ask(doc, offset);
      }
      return out;
    },
  };
}

const caseContext = { object: 'Case' };
const templateContext = { constants: { Title: 'Text', Options: [{ Name: 'Text' }] }, listTemplates: [{ name: 'OptionsList', source: '$Constants.Options', template: '{!$ListItem.Index}. {!$ListItem.Value.Name}' }] };
const inComponent = component.indexOf('Subject"') + 3;
const tasks = [
  task('formula: diagnostics', 'formula', formula, caseContext, 0, (d) => service.diagnostics(d)),
  task('formula: completion after Account.Owner.', 'formula', formula, caseContext, formula.indexOf('Owner.') + 6, (d, o) => service.completions(d, o)),
  task('formula: hover on ISPICKVAL', 'formula', formula, caseContext, 5, (d, o) => service.hover(d, o)),
  task('template: diagnostics', 'template', template, templateContext, 0, (d) => service.diagnostics(d)),
  task('template: completion after {!$Constants.', 'template', template, templateContext, 13, (d, o) => service.completions(d, o)),
  task('component: diagnostics (with validation)', 'component', component, undefined, 0, (d) => service.diagnostics(d)),
  task('component: completion in an options formula', 'component', component, undefined, inComponent, (d, o) => service.completions(d, o)),
];

const result = compare(tasks, { warmupMs: 300, sampleMs: 30, rounds });
for (const [name, r] of Object.entries(result)) {
  console.log(`${name.padEnd(46)} ${(1000 / r.opsPerSec).toFixed(3).padStart(8)} ms  ±${(r.spread * 100).toFixed(0)}%`);
}
