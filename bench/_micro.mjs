import { Dec, compact, roundTo, formatNum, toNum, mul, add } from '../dist/src/formula/runtime/num.js';
function t(name, fn, n = 2e6) { for (let i = 0; i < 2e5; i++) fn(i); const t0 = process.hrtime.bigint(); let r; for (let i = 0; i < n; i++) r = fn(i); const ns = Number(process.hrtime.bigint() - t0) / n; console.log(name.padEnd(30), ns.toFixed(1), 'ns'); return r; }
const vals = [1234.5, 99.99, 0.25, 250000.75];
const decs = vals.map((v) => new Dec(v));
const k = new Dec('1.1');
t('new Dec(float)', (i) => new Dec(vals[i & 3]));
t('toNum(float)', (i) => toNum(vals[i & 3]));
t('times', (i) => decs[i & 3].times(k));
t('mul', (i) => mul(decs[i & 3], k));
t('plus int', (i) => decs[i & 3].plus(5));
t('add', (i) => add(decs[i & 3], 5));
t('toDP', (i) => decs[i & 3].toDecimalPlaces(2, 4));
t('compact', (i) => compact(decs[i & 3]));
t('roundTo', (i) => roundTo(decs[i & 3], 2));
t('formatNum scale', (i) => formatNum(decs[i & 3], 2));
t('formatNum noscale', (i) => formatNum(decs[i & 3]));
t('isInteger', (i) => decs[i & 3].isInteger());
t('abs lte', (i) => decs[i & 3].abs().lte(9007199254740991));
