// `npm start` until the server lands: a short tour of the formula engine through the real CLI.
import { spawnSync } from 'node:child_process';

const bin = new URL('../bin/parlance.js', import.meta.url).pathname;
const examples = [
  ['IF(Days > 20, "RED", "GREEN")', '--fields', '{"Days":"Number"}', '--record', '{"Days":21}'],
  ['0.1 + 0.2'],
  ['CaseNumber & " - " & Subject', '--record', '{"CaseNumber":"00001006","Subject":"Generator assembly instructions unclear"}'],
  ['Amount * 1.1', '--fields', '{"Amount":"Currency"}', '--record', '{"Amount":"10.05"}', '--scale', '2'],
  ['CloseDate + 30', '--fields', '{"CloseDate":"Date"}', '--record', '{"CloseDate":"2026-11-21"}'],
  ['1 + 2 & "x"'],
];

console.log('Parlance formula engine — demo (the HTTP server arrives in a later release)\n');
for (const args of examples) {
  const shown = args.map((a) => (/[\s"{}&|()<>]/.test(a) ? `'${a}'` : a)).join(' ');
  console.log(`$ npx parlance eval ${shown}`);
  const r = spawnSync(process.execPath, [bin, 'eval', ...args], { encoding: 'utf8' });
  process.stdout.write(r.stdout);
  console.log(`(exit ${r.status})\n`);
}
console.log('Batch mode: echo \'{"formula":"UPPER(\\"hi\\")"}\' | npx parlance eval --jsonl');
console.log('Help:       npx parlance --help');
