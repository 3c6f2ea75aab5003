// `npm start` until the server lands: a short tour of the formula engine through the real CLI.
import { spawnSync } from 'node:child_process';

const bin = new URL('../bin/parlance.js', import.meta.url).pathname;
const examples = [
  ['validate', 'examples/components/options-list.json'],
  ['template', 'test/golden/templates/options-list/template.txt', '--constants', '{"Title":"What do you need help with?","Options":[{"Name":"Cancel my order"},{"Name":"Change my shipping address"},{"Name":"Change the delivery date"}]}', '--list-templates', '[{"name":"OptionsList","source":"$Constants.Options","template":"{!$ListItem.Index}. {!$ListItem.Value.Name}{!IF(NOT($ListItem.IsLast),BR(),\\"\\")}"}]'],
  ['IF(Days > 20, "RED", "GREEN")', '--fields', '{"Days":"Number"}', '--record', '{"Days":21}'],
  ['0.1 + 0.2'],
  ['CaseNumber & " - " & Subject', '--record', '{"CaseNumber":"00001006","Subject":"Generator assembly instructions unclear"}'],
  ['Amount * 1.1', '--fields', '{"Amount":"Currency"}', '--record', '{"Amount":"10.05"}', '--scale', '2'],
  ['CloseDate + 30', '--fields', '{"CloseDate":"Date"}', '--record', '{"CloseDate":"2026-11-21"}'],
  ['1 + 2 & "x"'],
];

console.log('Parlance — a tour of the formula engine, templates and component validation through the CLI (the HTTP server arrives in a later release)\n');
for (const example of examples) {
  const args = example[0] === 'validate' || example[0] === 'template' ? example : ['eval', ...example];
  const shown = args.map((a) => (/[\s"{}&|()<>$!]/.test(a) ? `'${a}'` : a)).join(' ');
  console.log(`$ npx parlance ${shown}`);
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  process.stdout.write(r.stdout.endsWith('\n') ? r.stdout : `${r.stdout}\n`);
  process.stdout.write(r.stderr);
  console.log(`(exit ${r.status})\n`);
}
console.log('Batch mode: echo \'{"formula":"UPPER(\\"hi\\")"}\' | npx parlance eval --jsonl');
console.log('Help:       npx parlance --help');
