/**
 * The cost of the server's JSON body parser (src/server/body.ts: `JSON.parse` and an iterative
 * walk for depth, prototype keys, overflowing numbers and unstorable text) against fastify's
 * default parser (secure-json-parse, which it replaced), on the bodies of the routes that matter:
 *
 *   npm run build --silent && node bench/json-body.js [--clock cpu]
 *
 * Figures are in bench/README.md ("JSON bodies").
 */
import Fastify from 'fastify';
import { parseJsonBody } from '../dist/src/server/body.js';
import { DEFAULT_LIMITS } from '../dist/src/server/app.js';
import { compare, setClock, sink } from './measure.js';

if (process.argv.includes('--clock')) setClock(process.argv[process.argv.indexOf('--clock') + 1] ?? 'wall');

const defaultParser = Fastify().getDefaultJsonParser('error', 'error');
const fastifyParse = (text) => {
  let out;
  defaultParser(undefined, text, (err, body) => {
    if (err) throw err;
    out = body;
  });
  return out;
};

const locations = Array.from({ length: 5 }, (_, i) => ({ Id: `a0${i}`, Name: `Store ${i}`, Street: `${i} Main Street`, City: 'San Francisco', Hours: '9-5', Distance: 1.5 * i }));
const bodies = {
  // The render benchmark's request (bench/server.js): 5 records.
  render: JSON.stringify({ channel: 'FacebookEnhanced', parameters: { Locations: locations, Customer: { FirstName: 'Ann', Tier: 'Gold' } }, now: '2026-11-21T10:00:00Z', timezone: 'America/Los_Angeles' }),
  inbound: JSON.stringify({ from: '+14155550100', text: 'STOP', receivedAt: '2026-11-21T10:00:00Z' }),
  'evaluate batch (1,000 items)': JSON.stringify({ items: Array.from({ length: 1000 }, (_, i) => ({ id: i, formula: 'IF(A > 2, UPPER(B), "no")', record: { A: i, B: `text ${i}` } })) }),
};

const maxDepth = DEFAULT_LIMITS.maxJsonDepth;
for (const [name, text] of Object.entries(bodies)) {
  const result = compare(
    [
      { name: 'fastify default', run: (n) => { for (let i = 0; i < n; i++) sink(fastifyParse(text)); } },
      { name: 'parlance', run: (n) => { for (let i = 0; i < n; i++) sink(parseJsonBody(text, maxDepth)); } },
    ],
    { warmupMs: 200, sampleMs: 20, rounds: 11 },
  );
  const us = (r) => (1e6 / r.opsPerSec).toFixed(2);
  const a = result['fastify default'];
  const b = result.parlance;
  console.log(`${name} (${text.length.toLocaleString('en-US')} bytes): fastify default ${us(a)} µs, parlance ${us(b)} µs, ratio ${(a.opsPerSec / b.opsPerSec).toFixed(2)} (spread ${(a.spread * 100).toFixed(0)}% / ${(b.spread * 100).toFixed(0)}%)`);
}
