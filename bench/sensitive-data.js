// Sensitive data rules: the cost of the catastrophic pattern (a+)+$ in Parlance's engine (RE2 via
// re2js, linear time) against JavaScript's own backtracking RegExp, on "aaa…a!" inputs.
// Run after `npm run build`: node bench/sensitive-data.js [--native-max N]
// The native engine's time doubles with each extra character; it is only run up to --native-max
// characters (default 24), in a child process killed after 20 seconds.
import { spawnSync } from 'node:child_process';
import { applySensitiveDataRules } from '../dist/src/messaging/sensitive-data.js';

const arg = process.argv.indexOf('--native-max');
const nativeMax = arg > 0 ? Number(process.argv[arg + 1]) : 24;
const rule = { name: 'Evil', pattern: '(a+)+$', action: 'remove', roles: ['Visitor'], priority: 1 };
const ms = (f) => {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
applySensitiveDataRules('aaa!', [rule], 'Visitor'); // compile once
console.log('RE2 (re2js), applySensitiveDataRules, (a+)+$ on "a" x n + "!":');
for (const n of [100, 1_000, 10_000, 20_000, 100_000]) {
  const text = `${'a'.repeat(n)}!`;
  const times = [1, 2, 3].map(() => ms(() => applySensitiveDataRules(text, [rule], 'Visitor')));
  console.log(`  n=${String(n).padStart(6)}  ${Math.min(...times).toFixed(1)} ms (best of 3)`);
}
console.log('JavaScript RegExp (backtracking), /(a+)+$/.test("a" x n + "!"):');
for (let n = 16; n <= nativeMax; n += 2) {
  const r = spawnSync(process.execPath, ['-e', `const s='a'.repeat(${n})+'!';const t=process.hrtime.bigint();/(a+)+$/.test(s);console.log(Number(process.hrtime.bigint()-t)/1e6)`], { encoding: 'utf8', timeout: 20_000 });
  console.log(`  n=${String(n).padStart(6)}  ${r.error !== undefined || r.status !== 0 ? 'over 20 s (killed)' : `${Number(r.stdout).toFixed(1)} ms`}`);
}
