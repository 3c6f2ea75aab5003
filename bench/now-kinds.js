#!/usr/bin/env node
/**
 * TODAY() with a `now` that changes on every call, given as ISO text, epoch milliseconds or a
 * Date, each against one constant ISO `now` (side by side in one process, CPU clock): an ISO
 * text is read and validated on every evaluation (24 characters), epoch ms and a Date are not
 * parsed. After `npm run build`:
 *
 *   node bench/now-kinds.js [--rounds N]
 *
 * Figures: bench/README.md, "Issue 19".
 */
import { compileFormula } from '../dist/src/index.js';
import { compare, setClock, sink } from './measure.js';

const i = process.argv.indexOf('--rounds');
const rounds = i < 0 ? 11 : Number(process.argv[i + 1]);
setClock('cpu');
const f = compileFormula('TODAY() - CloseDate', { fields: { CloseDate: 'Date' } });
const record = { CloseDate: '2026-03-01' };
const base = Date.parse('2026-03-01T10:00:00.000Z');
const iso = Array.from({ length: 1024 }, (_, k) => ({ record, now: new Date(base + k * 3_600_000).toISOString(), timezone: 'UTC' }));
const epochMs = iso.map((c) => ({ record, now: Date.parse(c.now), timezone: 'UTC' }));
const dates = iso.map((c) => ({ record, now: new Date(c.now), timezone: 'UTC' }));
const constant = iso[0];
const cycling = (contexts) => (n) => {
  for (let k = 0; k < n; k++) sink(f.evaluateToWire(contexts[k & 1023]));
};
const m = compare(
  [
    {
      name: 'constant',
      run: (n) => {
        for (let k = 0; k < n; k++) sink(f.evaluateToWire(constant));
      },
    },
    { name: 'iso', run: cycling(iso) },
    { name: 'epochMs', run: cycling(epochMs) },
    { name: 'date', run: cycling(dates) },
  ],
  { warmupMs: 100, sampleMs: 15, rounds },
);
for (const k of ['iso', 'epochMs', 'date']) process.stdout.write(`varying ${k} ÷ constant ISO now: ${(m[k].opsPerSec / m.constant.opsPerSec).toFixed(2)} (±${((m[k].spread / 2) * 100).toFixed(0)}%)\n`);
