#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time and inclusive time per
 * function, heaviest first.
 *
 *   node bench/profile-summary.js <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs';

// A closed pipe (`| head`) is not an error.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
});

const [file, topArg] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: node bench/profile-summary.js <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const hits = new Map();
for (const s of profile.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
const total = profile.samples.length;

const label = (n) => {
  const cf = n.callFrame;
  const where = cf.url === '' ? '' : ` ${cf.url.replace(/^.*\/(node_modules\/|dist\/|bench\/)/, '$1')}:${cf.lineNumber + 1}`;
  return `${cf.functionName || '(anonymous)'}${where}`;
};

const self = new Map();
const inclusive = new Map();
for (const [id, count] of hits) {
  const key = label(byId.get(id));
  self.set(key, (self.get(key) ?? 0) + count);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = label(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + count);
  }
}

const show = (title, map) => {
  process.stdout.write(`\n${title} (of ${total} samples)\n`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${((100 * v) / total).toFixed(1).padStart(6)}%  ${k}\n`);
};
show('Self time', self);
show('Inclusive time', inclusive);
