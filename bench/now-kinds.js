#!/usr/bin/env node
/**
 * TODAY() with a `now` that changes on every call (one hour apart, as the bench's `now` line),
 * given as ISO text, epoch milliseconds or a Date, each against one constant ISO `now` (side by
 * side in one process, CPU clock): an ISO text is read and validated on every evaluation,
 * epoch ms and a Date are not parsed. After `npm run build`:
 *
 *   node bench/now-kinds.js [--rounds N] [--timezone Europe/Paris] [--before <other build>/dist/src/index.js]
 *
 * `--timezone`: TODAY() in that zone (default UTC). `--before`: the same cases on another build
 * too, interleaved in every round, with each case's time per evaluation.
 * Figures: bench/README.md, "Issue 19".
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compare, setClock, sink } from './measure.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args[i + 1];
};
const rounds = Number(flag('--rounds', '11'));
const timezone = flag('--timezone', 'UTC');
const before = flag('--before', undefined);
setClock('cpu');
const builds = { after: await import('../dist/src/index.js') };
if (before !== undefined) builds.before = await import(pathToFileURL(resolve(before)).href);
const record = { CloseDate: '2026-03-01' };
const base = Date.parse('2026-03-01T10:00:00.000Z');
const iso = Array.from({ length: 1024 }, (_, k) => ({ record, now: new Date(base + k * 3_600_000).toISOString(), timezone }));
const epochMs = iso.map((c) => ({ record, now: Date.parse(c.now), timezone }));
const dates = iso.map((c) => ({ record, now: new Date(c.now), timezone }));
const constant = iso[0];
const KINDS = ['constant', 'iso', 'epochMs', 'date'];
const tasks = [];
for (const [name, lib] of Object.entries(builds)) {
  const f = lib.compileFormula('TODAY() - CloseDate', { fields: { CloseDate: 'Date' } });
  const cycling = (contexts) => (n) => {
    for (let k = 0; k < n; k++) sink(f.evaluateToWire(contexts[k & 1023]));
  };
  const run = {
    constant: (n) => {
      for (let k = 0; k < n; k++) sink(f.evaluateToWire(constant));
    },
    iso: cycling(iso),
    epochMs: cycling(epochMs),
    date: cycling(dates),
  };
  for (const kind of KINDS) tasks.push({ name: `${name} ${kind}`, run: run[kind] });
}
const m = compare(tasks, { warmupMs: 100, sampleMs: 15, rounds });
for (const name of Object.keys(builds)) {
  const c = m[`${name} constant`];
  const prefix = before === undefined ? '' : `${name}: `;
  if (before !== undefined) process.stdout.write(`${prefix}${KINDS.map((k) => `${k} ${(1e9 / m[`${name} ${k}`].opsPerSec).toFixed(1)} ns`).join(', ')}\n`);
  for (const k of ['iso', 'epochMs', 'date']) process.stdout.write(`${prefix}varying ${k} ÷ constant ISO now: ${(m[`${name} ${k}`].opsPerSec / c.opsPerSec).toFixed(2)} (±${((m[`${name} ${k}`].spread / 2) * 100).toFixed(0)}%)\n`);
}
