/**
 * HTTP server benchmark (`npm run bench:server`): Parlance's routes against a bare fastify route,
 * loopback, with autocannon, in one run. See "Server" in bench/README.md.
 *
 * In this process: Parlance (`buildServer`, no logger) on the embedded store in a temporary
 * directory (durable commits, as `parlance serve` runs it), and a bare fastify server on another
 * port whose one POST route answers a precomputed JSON body of the same bytes as the render
 * response, with no auth, no validation and no serialization. autocannon runs in a worker thread
 * (`workers: 1`), so the load generator doesn't share the servers' event loop.
 *
 * Measured, one after another, each after a warm-up:
 * - `bare`: POST /bare, with the render request body (fastify parses it);
 * - `render`: POST /v1/components/Pick_Location/render, 5 Location records, FacebookEnhanced;
 * - `evaluate`: POST /v1/formulas/evaluate, one formula with fields and a record;
 * - `inbound`: POST /v1/channels/{id}/inbound on an SMS long-code channel, a distinct sender per
 *   request (each creates a messaging user, a session and a message; durable group commit).
 *
 *   node bench/server.js [--duration 10] [--warmup 2] [--connections 16] [--pipelining 1]
 *                        [--only bare,render,evaluate,inbound] [--profile DIR] [--json]
 *
 * `--profile DIR` writes a V8 CPU profile of the main thread per route, covering only its measured
 * run (not the start-up, the warm-up or the other routes): DIR/<route>.cpuprofile.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { buildServer } from '../dist/src/server/app.js';
import { KeyRing, parseKeys } from '../dist/src/server/auth.js';
import { openDatabase } from '../dist/src/store/database.js';
import { migrate } from '../dist/src/store/migrations.js';
import { RENDER_REQUEST } from './fixtures.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '16' },
    pipelining: { type: 'string', default: '1' },
    only: { type: 'string' },
    profile: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true) {
  process.stdout.write('usage: node bench/server.js [--duration 10] [--warmup 2] [--connections 16] [--pipelining 1] [--only bare,render,evaluate,inbound] [--profile DIR] [--json]\n');
  process.exit(0);
}
const DURATION = Number(values.duration);
const WARMUP = Number(values.warmup);
const CONNECTIONS = Number(values.connections);
const PIPELINING = Number(values.pipelining);
const CASES = ['bare', 'bareJson', 'render', 'evaluate', 'inbound'];
const only = values.only === undefined ? CASES : values.only.split(',').map((s) => s.trim());
for (const c of only) if (!CASES.includes(c)) throw new Error(`--only: unknown case ${c} (${CASES.join(', ')})`);
if (only.some((c) => c === 'render' || c === 'evaluate') && !only.includes('bareJson')) only.unshift('bareJson');
if (only.some((c) => c === 'render' || c === 'evaluate') && !only.includes('bare')) only.unshift('bare');

/** Progress on stderr, so that --json keeps stdout machine-readable. */
const progress = (line) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------- servers

const work = mkdtempSync(join(tmpdir(), 'parlance-bench-server-'));
const KEY = `bench_${randomBytes(24).toString('base64url')}`;
const AUTH = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const CHANNEL = 'bench-sms';

const db = await openDatabase(join(work, 'db'));
await migrate(db);
const app = await buildServer({ db, keys: new KeyRing(parseKeys(`bench admin,service ${KEY}`, 'bench')), logger: false });

const component = JSON.parse(readFileSync(new URL('../examples/components/pick-location.json', import.meta.url), 'utf8'));
delete component.$schema;
const stored = await app.inject({ method: 'PUT', url: '/v1/components/Pick_Location', headers: AUTH, payload: component });
if (stored.statusCode !== 200) throw new Error(`storing the component answered ${stored.statusCode}: ${stored.body}`);
const channel = await app.inject({ method: 'PUT', url: `/v1/channels/${CHANNEL}`, headers: AUTH, payload: { type: 'SmsLongCode' } });
if (channel.statusCode !== 201) throw new Error(`creating the channel answered ${channel.statusCode}: ${channel.body}`);

const RENDER_BODY = JSON.stringify(RENDER_REQUEST);
const EVALUATE_BODY = JSON.stringify({
  formula: 'IF(Amount > 1000 && NOT(ISBLANK(Email)), "VIP " & UPPER(LEFT(Name, 1)) & MID(Name, 2, 50) & ": " & TEXT(ROUND(Amount * (1 + TaxRate), 2)) & " due " & TEXT(DueDate + 30), "Standard")',
  fields: { Amount: 'Currency', TaxRate: 'Percent', Email: 'Text', Name: 'Text', DueDate: 'Date' },
  record: { Amount: 5000, TaxRate: 8.25, Email: 'ada@example.com', Name: 'ada', DueDate: '2026-11-21' },
});

const render = await app.inject({ method: 'POST', url: '/v1/components/Pick_Location/render', headers: AUTH, payload: RENDER_BODY });
if (render.statusCode !== 200) throw new Error(`the render answered ${render.statusCode}: ${render.body}`);
if (JSON.parse(render.body).format !== 'QuickReplies') throw new Error(`expected a Quick Replies render, got ${render.body.slice(0, 200)}`);
const evaluated = await app.inject({ method: 'POST', url: '/v1/formulas/evaluate', headers: AUTH, payload: EVALUATE_BODY });
if (evaluated.statusCode !== 200 || JSON.parse(evaluated.body).ok !== true) throw new Error(`the evaluation answered ${evaluated.statusCode}: ${evaluated.body}`);
const probe = await app.inject({ method: 'POST', url: `/v1/channels/${CHANNEL}/inbound`, headers: AUTH, payload: { from: '+14155552671', text: 'Hi, where is my order?' } });
if (probe.statusCode !== 200 || JSON.parse(probe.body).messagingUser?.created !== true) throw new Error(`the inbound message answered ${probe.statusCode}: ${probe.body}`);

// The bare baseline: the render response's exact bytes, precomputed.
const RENDER_RESPONSE = Buffer.from(render.rawPayload);
const bare = Fastify({ logger: false });
bare.post('/bare', (_request, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8').send(RENDER_RESPONSE);
});
// The second baseline, as a user would write a bare route: it returns the same JSON value, which
// fastify serializes (JSON.stringify) on every request, as Parlance's routes do.
const RENDER_VALUE = JSON.parse(render.body);
bare.post('/bare-json', async () => RENDER_VALUE);

const parlanceUrl = await app.listen({ port: 0, host: '127.0.0.1' });
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

/**
 * autocannon's worker thread loads `setupRequest` from a CommonJS file: this one gives every
 * inbound request a distinct sender (+1 415 200 0000 upwards; every +1 415 2xx–9xx number is
 * valid), from an offset taken from the environment when the worker starts, so the warm-up and
 * the measured run never reuse a sender.
 */
const SETUP_INBOUND = join(work, 'inbound-setup.cjs');
writeFileSync(
  SETUP_INBOUND,
  `'use strict'
let n = Number(process.env.PARLANCE_BENCH_SENDER_OFFSET || 0)
module.exports = function setupRequest (req) {
  req.body = '{"from":"+1' + (14152000000 + n++) + '","text":"Hi, where is my order?"}'
  return req
}
`,
);
let senderOffset = 1_000_000;

// ---------------------------------------------------------------- runs

const TARGETS = {
  bare: { url: bareUrl, path: '/bare', body: RENDER_BODY, headers: { 'content-type': 'application/json' } },
  bareJson: { url: bareUrl, path: '/bare-json', body: RENDER_BODY, headers: { 'content-type': 'application/json' } },
  render: { url: parlanceUrl, path: '/v1/components/Pick_Location/render', body: RENDER_BODY, headers: AUTH },
  evaluate: { url: parlanceUrl, path: '/v1/formulas/evaluate', body: EVALUATE_BODY, headers: AUTH },
  inbound: { url: parlanceUrl, path: `/v1/channels/${CHANNEL}/inbound`, headers: AUTH, setup: SETUP_INBOUND },
};

function cannon(name, seconds) {
  const t = TARGETS[name];
  if (t.setup !== undefined) {
    process.env.PARLANCE_BENCH_SENDER_OFFSET = String(senderOffset);
    senderOffset += 1_000_000;
  }
  return autocannon({
    url: t.url,
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    duration: seconds,
    workers: 1,
    requests: [{ method: 'POST', path: t.path, headers: t.headers, ...(t.body !== undefined ? { body: t.body } : {}), ...(t.setup !== undefined ? { setupRequest: t.setup } : {}) }],
  });
}

/**
 * CPU time of this process's main thread (the servers and the store; not autocannon's worker), in
 * ms, from /proc on Linux (clock ticks of 10 ms); undefined elsewhere. On a busy machine requests
 * per second move with the other load, CPU per request much less.
 */
function mainThreadCpuMs() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** A CPU profile of this thread from now until `stop(name)`, written to the --profile directory. */
async function startProfiler() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      mkdirSync(values.profile, { recursive: true });
      const file = join(values.profile, `${name}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}

async function countMessages() {
  return Number((await db.query('SELECT count(*)::int AS n FROM messages')).rows[0].n);
}

const results = {};
for (const name of only) {
  if (WARMUP > 0) {
    progress(`${name}: warm-up ${WARMUP} s`);
    await cannon(name, WARMUP);
  }
  progress(`${name}: ${DURATION} s, ${CONNECTIONS} connections, pipelining ${PIPELINING}`);
  const before = name === 'inbound' ? await countMessages() : 0;
  const profiler = values.profile === undefined ? undefined : await startProfiler();
  const cpuBefore = mainThreadCpuMs();
  const r = await cannon(name, DURATION);
  if (profiler !== undefined) progress(`${name}: profile written to ${await profiler.stop(name)}`);
  const cpuMs = cpuBefore === undefined ? undefined : mainThreadCpuMs() - cpuBefore;
  const seconds = (r.finish - r.start) / 1000 || r.duration;
  const stored = name === 'inbound' ? (await countMessages()) - before : undefined;
  results[name] = {
    requestsPerSecond: Math.round(r['2xx'] / seconds),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    seconds: Number(seconds.toFixed(2)),
    ...(cpuMs !== undefined && r['2xx'] > 0 ? { serverCpuUsPerRequest: Math.round((cpuMs * 1000) / r['2xx']), serverCpuBusy: Number((cpuMs / 1000 / seconds).toFixed(2)) } : {}),
    ...(stored !== undefined ? { messagesStored: stored } : {}),
  };
  if (r.non2xx > 0 || r.errors > 0) progress(`${name}: warning: ${r.non2xx} non-2xx answers ${JSON.stringify(r.statusCodeStats)}, ${r.errors} errors, ${r.timeouts} timeouts`);
}

await app.close();
await bare.close();
rmSync(work, { recursive: true, force: true });

// ---------------------------------------------------------------- report

const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? null : Number((a / b).toFixed(3)));
const ratios = {
  renderOverBareThroughput: ratio(results.render?.requestsPerSecond, results.bare?.requestsPerSecond),
  renderOverBareJsonThroughput: ratio(results.render?.requestsPerSecond, results.bareJson?.requestsPerSecond),
  renderOverBareJsonByCpu: ratio(results.bareJson?.serverCpuUsPerRequest, results.render?.serverCpuUsPerRequest),
  evaluateOverBareThroughput: ratio(results.evaluate?.requestsPerSecond, results.bare?.requestsPerSecond),
  renderOverBareP99: ratio(results.render?.p99Ms, results.bare?.p99Ms),
  evaluateOverBareP99: ratio(results.evaluate?.p99Ms, results.bare?.p99Ms),
  // Capacity by server CPU per request (bare ÷ route): what share of the bare route's requests per CPU-second the route serves.
  renderOverBareByCpu: ratio(results.bare?.serverCpuUsPerRequest, results.render?.serverCpuUsPerRequest),
  evaluateOverBareByCpu: ratio(results.bare?.serverCpuUsPerRequest, results.evaluate?.serverCpuUsPerRequest),
};
const targets = {
  renderAtLeastHalfOfBare: ratios.renderOverBareThroughput === null ? null : ratios.renderOverBareThroughput >= 0.5,
  inboundAtLeast1000PerSecond: results.inbound === undefined ? null : results.inbound.requestsPerSecond >= 1000,
};
const environment = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavgAtEnd: loadavg().map((l) => Number(l.toFixed(2))), responseBytes: RENDER_RESPONSE.length };
const report = { options: { duration: DURATION, warmup: WARMUP, connections: CONNECTIONS, pipelining: PIPELINING }, environment, results, ratios, targets };

if (values.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const out = (line) => process.stdout.write(`${line}\n`);
  const pct = (r) => (r === null ? '—' : `${(r * 100).toFixed(0)}%`);
  out('');
  out(`Parlance server benchmark: ${CONNECTIONS} connections, pipelining ${PIPELINING}, ${DURATION} s per route (after ${WARMUP} s warm-up); Node ${process.version}, ${environment.cpus} CPUs, load average ${environment.loadavgAtEnd.join(' ')}`);
  out('');
  out('route                                         req/s    p50 ms  p99 ms  max ms  non-2xx  server CPU µs/req  (busy)');
  const label = { bare: 'bare fastify (same response bytes)', bareJson: 'bare fastify (same JSON value)', render: 'POST /v1/components/…/render', evaluate: 'POST /v1/formulas/evaluate', inbound: 'POST /v1/channels/…/inbound (durable)' };
  for (const [name, r] of Object.entries(results)) {
    out(`${label[name].padEnd(44)}${String(r.requestsPerSecond).padStart(7)}  ${String(r.p50Ms).padStart(6)}  ${String(r.p99Ms).padStart(6)}  ${String(r.maxMs).padStart(6)}  ${String(r.non2xx + r.errors).padStart(7)}  ${String(r.serverCpuUsPerRequest ?? '—').padStart(17)}  (${r.serverCpuBusy === undefined ? '—' : `${Math.round(r.serverCpuBusy * 100)}%`})`);
  }
  out('');
  if (results.render !== undefined && results.bare !== undefined) {
    out(`render / bare:   throughput ${pct(ratios.renderOverBareThroughput)}, p99 ×${ratios.renderOverBareP99}, by server CPU per request ${pct(ratios.renderOverBareByCpu)}   (target: throughput ≥ 50%: ${targets.renderAtLeastHalfOfBare ? 'met' : 'NOT met'})`);
    if (results.bareJson !== undefined) out(`render / bare returning the same JSON value: throughput ${pct(ratios.renderOverBareJsonThroughput)}, by server CPU per request ${pct(ratios.renderOverBareJsonByCpu)}`);
  }
  if (results.evaluate !== undefined && results.bare !== undefined) {
    out(`evaluate / bare: throughput ${pct(ratios.evaluateOverBareThroughput)}, p99 ×${ratios.evaluateOverBareP99}, by server CPU per request ${pct(ratios.evaluateOverBareByCpu)}`);
  }
  if (results.inbound !== undefined) {
    out(`inbound: ${results.inbound.requestsPerSecond} messages/s committed durably (${results.inbound.messagesStored} messages stored in ${results.inbound.seconds} s)   (target ≥ 1,000/s: ${targets.inboundAtLeast1000PerSecond ? 'met' : 'NOT met'})`);
  }
}
