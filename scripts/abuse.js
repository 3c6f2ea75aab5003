/**
 * Liveness under attack (`npm run test:abuse`): does the server keep answering, and keep every
 * opt-out, while it is sent the adversarial corpus (test/fuzz/corpus.ts)?
 *
 * 1. Starts `parlance serve --db <temp dir> --port 0` on 127.0.0.1 (a fresh embedded store; keys
 *    from PARLANCE_API_KEYS) and creates an SMS long-code channel and a component.
 * 2. For --seconds (at most --max-requests requests), --connections clients send the corpus over
 *    and over: every HTTP case, every formula (as an evaluation), template (as a template render)
 *    and component (as an inline render) of it. At the same time another client sends --stops
 *    STOP messages from distinct numbers, evenly paced over the attack (each on time, whatever the
 *    earlier ones wait for), and a third polls /healthz every --poll-ms.
 * 3. When the attack is over and every request has answered (or timed out), checks that every
 *    STOP was acknowledged (200, OptedOut) and is stored: the user is OptedOut and its consent
 *    history ends in OptedOut.
 * 4. Prints the figures: STOP latency p50/p99/max, the longest /healthz answer and the longest gap
 *    between two /healthz answers, and what the corpus requests got (5xx listed by case).
 *
 * Exits 1 when a STOP is lost (unacknowledged or not stored) or /healthz failed to answer (an
 * error, a non-200, or no answer within --request-timeout); never because of a latency figure,
 * which depends on the machine. Exits 2 when the server can't be set up. Only loopback addresses
 * are used; everything is bounded in count and time, and the server and its store are removed.
 *
 *   node --import tsx scripts/abuse.js [--seconds 20] [--connections 4] [--stops 200] [--poll-ms 50]
 *     [--max-requests 20000] [--exclude <regexp>] [--request-timeout 180] [--start-timeout 120] [--keep]
 */
/* global fetch, AbortSignal -- Node 20 globals */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COMPONENT_CASES, FORMULA_CASES, HTTP_CASES, TEMPLATE_CASES, textComponent } from '../test/fuzz/corpus.ts';

const USAGE = 'usage: node --import tsx scripts/abuse.js [--seconds 20] [--connections 4] [--stops 200] [--poll-ms 50] [--max-requests 20000] [--exclude <regexp>] [--request-timeout 180] [--start-timeout 120] [--keep]\n';
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '4' },
    stops: { type: 'string', default: '200' },
    'poll-ms': { type: 'string', default: '50' },
    'max-requests': { type: 'string', default: '20000' },
    exclude: { type: 'string' },
    'request-timeout': { type: 'string', default: '180' },
    'start-timeout': { type: 'string', default: '120' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const number = (name, min, max) => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n < min || n > max) {
    process.stderr.write(`abuse: --${name} must be a number from ${min} to ${max}\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const SECONDS = number('seconds', 1, 600);
const CONNECTIONS = number('connections', 1, 64);
const STOPS = number('stops', 1, 10_000);
const POLL_MS = number('poll-ms', 1, 10_000);
const MAX_REQUESTS = number('max-requests', 1, 1_000_000);
/** Corpus cases whose name matches are not sent (to look at the rest, e.g. without the stalls). */
const EXCLUDE = values.exclude === undefined ? undefined : new RegExp(values.exclude, 'i');
const REQUEST_TIMEOUT_MS = number('request-timeout', 1, 3600) * 1000;
const START_TIMEOUT_MS = number('start-timeout', 1, 3600) * 1000;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHANNEL = 'abuse-sms';
const KEYS = { admin: `abuse_${randomBytes(24).toString('base64url')}`, preview: `abuse_preview_${randomBytes(24).toString('base64url')}` };
const KEY_FOR = { admin: KEYS.admin, service: KEYS.admin, preview: KEYS.preview };
/** STOP senders: +1 415 300 0000 upwards, apart from the corpus's own numbers. */
const FIRST_STOP = 14153000000;
const work = mkdtempSync(join(tmpdir(), 'parlance-abuse-'));

// ---------------------------------------------------------------- the server

let server;

function stopServer() {
  if (server !== undefined && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
}
process.on('exit', stopServer);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    stopServer();
    process.stderr.write(`abuse: interrupted (${signal})\n`);
    process.exit(130);
  });
}

async function startServer() {
  const started = performance.now();
  server = spawn(process.execPath, [join(ROOT, 'bin', 'parlance.js'), 'serve', '--db', join(work, 'db'), '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn'], {
    cwd: ROOT,
    env: { ...process.env, PARLANCE_API_KEYS: `abuse admin ${KEYS.admin};abuse-preview preview ${KEYS.preview}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr.setEncoding('utf8');
  server.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-64 * 1024);
  });
  while (true) {
    const m = /Parlance listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
    if (m !== null) return { url: m[1], log: () => stderr };
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`the server exited before listening:\n${stderr}`);
    if (performance.now() - started > START_TIMEOUT_MS) throw new Error(`the server did not start within ${START_TIMEOUT_MS / 1000} s:\n${stderr}`);
    await sleep(25);
  }
}

// ---------------------------------------------------------------- HTTP

let BASE = '';

/** One request; never throws: `{status, body, ms, error?}`. */
async function call(method, path, { body, key = 'admin', contentType } = {}) {
  const started = performance.now();
  const headers = { authorization: `Bearer ${KEY_FOR[key]}` };
  if (body !== undefined && contentType !== '') headers['content-type'] = contentType ?? 'application/json';
  try {
    const res = await fetch(BASE + path, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, ms: performance.now() - started };
  } catch (e) {
    return { status: 0, body: undefined, ms: performance.now() - started, error: e instanceof Error ? e.message : String(e) };
  }
}

// ---------------------------------------------------------------- the attack

/** The corpus as requests: the HTTP cases, and the library cases sent to their routes. */
function attackRequests() {
  const json = (v) => JSON.stringify(v);
  const list = HTTP_CASES.map((c) => ({ name: c.name, method: c.method, path: c.path.replace('{channel}', CHANNEL), body: c.body?.replaceAll('{channel}', CHANNEL), key: c.scope ?? 'admin', contentType: c.contentType }));
  for (const f of FORMULA_CASES) {
    list.push({ name: `formula: ${f.name}`, method: 'POST', path: '/v1/formulas/evaluate', key: 'service', body: json({ formula: f.source, ...(f.fields !== undefined ? { fields: f.fields } : {}), ...(f.record !== undefined ? { record: f.record } : {}), ...(f.now !== undefined ? { now: f.now } : {}), ...(f.timezone !== undefined ? { timezone: f.timezone } : {}) }) });
  }
  for (const t of TEMPLATE_CASES) {
    list.push({ name: `template: ${t.name}`, method: 'POST', path: '/v1/templates/render', key: 'service', body: json({ template: t.template, ...(t.constants !== undefined ? { constants: t.constants } : {}), ...(t.constantTypes !== undefined ? { constantTypes: t.constantTypes } : {}), ...(t.listTemplates !== undefined ? { listTemplates: t.listTemplates } : {}), ...(t.lineBreaks !== undefined ? { lineBreaks: t.lineBreaks } : {}) }) });
  }
  for (const c of COMPONENT_CASES) {
    let body;
    try {
      body = json({ channel: 'EmbeddedWeb', component: c.definition });
    } catch {
      continue; // too deep for JSON.stringify: the HTTP cases send deep JSON as text
    }
    list.push({ name: `component: ${c.name}`, method: 'POST', path: '/v1/render', key: 'preview', body });
  }
  return EXCLUDE === undefined ? list : list.filter((q) => !EXCLUDE.test(q.name));
}

const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)} ms` : 'n/a');

async function main() {
  const { url, log } = await startServer();
  BASE = url;
  const setup = [
    await call('PUT', `/v1/channels/${CHANNEL}`, { body: JSON.stringify({ type: 'SmsLongCode', country: 'US' }) }),
    await call('PUT', '/v1/components/Fuzz_Text', { body: JSON.stringify(textComponent('Fuzz_Text', '{!$Constants.T}')) }),
  ];
  const failed = setup.find((r) => r.status !== 200 && r.status !== 201);
  if (failed !== undefined) throw new Error(`setup failed: ${failed.status} ${JSON.stringify(failed.body) ?? failed.error}`);

  const requests = attackRequests();
  const attackEnds = performance.now() + SECONDS * 1000;
  let attacking = true;

  // /healthz, all along.
  const health = { polls: 0, failures: [], maxLatency: 0, maxGap: 0 };
  const poller = (async () => {
    let last = performance.now();
    while (attacking) {
      const r = await call('GET', '/healthz');
      health.polls++;
      const now = performance.now();
      if (r.status !== 200) health.failures.push(`${r.status} ${r.error ?? JSON.stringify(r.body)}`);
      else {
        health.maxGap = Math.max(health.maxGap, now - last);
        last = now;
      }
      health.maxLatency = Math.max(health.maxLatency, r.ms);
      await sleep(POLL_MS);
    }
  })();

  // The corpus, from several connections.
  const outcomes = new Map(); // case name → Map(status → count)
  let sent = 0;
  const attackers = Array.from({ length: CONNECTIONS }, async (_, a) => {
    for (let i = Math.floor((a * requests.length) / CONNECTIONS); performance.now() < attackEnds && sent < MAX_REQUESTS; i++) {
      const q = requests[i % requests.length];
      const r = await call(q.method, q.path, { body: q.body, key: q.key, contentType: q.contentType });
      sent++;
      const byStatus = outcomes.get(q.name) ?? new Map();
      byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
      outcomes.set(q.name, byStatus);
    }
  });

  // STOPs, paced evenly over the attack, each sent on time whatever the others are waiting for
  // (an open loop, as customers send them): latency counts from the time it was due.
  const stops = [];
  const interval = (SECONDS * 1000) / STOPS;
  const stopStarted = performance.now();
  const sendStop = async (i) => {
    const from = `+${FIRST_STOP + i}`;
    const r = await call('POST', `/v1/channels/${CHANNEL}/inbound`, { body: JSON.stringify({ from, text: 'STOP' }), key: 'service' });
    stops.push({ from, ms: r.ms, acked: r.status === 200 && r.body?.messagingUser?.consentStatus === 'OptedOut', status: r.status, error: r.error });
  };
  const stoppers = [];
  for (let i = 0; i < STOPS; i++) {
    const wait = stopStarted + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    stoppers.push(sendStop(i));
  }

  await Promise.all([...attackers, ...stoppers]);
  attacking = false;
  await poller;

  // Every acknowledged STOP is stored; every STOP was acknowledged.
  const lost = [];
  for (const s of stops) {
    if (!s.acked) {
      lost.push(`${s.from}: not acknowledged (${s.status} ${s.error ?? ''})`);
      continue;
    }
    const user = await call('GET', `/v1/channels/${CHANNEL}/users/${encodeURIComponent(s.from)}`);
    const history = await call('GET', `/v1/channels/${CHANNEL}/users/${encodeURIComponent(s.from)}/consent-history`);
    const entries = history.body?.entries ?? [];
    const lastEntry = entries[entries.length - 1];
    if (user.body?.consentStatus !== 'OptedOut') lost.push(`${s.from}: acknowledged but the user is ${user.status} ${user.body?.consentStatus}`);
    else if (lastEntry?.to !== 'OptedOut') lost.push(`${s.from}: acknowledged but the consent history has no OptedOut entry (${history.status})`);
  }

  // Figures.
  const latencies = stops.map((s) => s.ms).sort((a, b) => a - b);
  const lines = [
    `abuse: ${SECONDS} s of attack from ${CONNECTIONS} connections (${requests.length} corpus requests, ${sent} sent), ${STOPS} STOPs, /healthz every ${POLL_MS} ms`,
    `STOP: ${stops.filter((s) => s.acked).length}/${STOPS} acknowledged, ${lost.length} lost; latency p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies[latencies.length - 1])}`,
    `/healthz: ${health.polls} polls, ${health.failures.length} failed; longest answer ${ms(health.maxLatency)}, longest gap between answers ${ms(health.maxGap)}`,
  ];
  const serverErrors = [...outcomes].filter(([, byStatus]) => [...byStatus.keys()].some((s) => s >= 500 || s === 0));
  lines.push(`corpus requests answered 5xx or not at all: ${serverErrors.length} cases`);
  for (const [name, byStatus] of serverErrors) lines.push(`  ${name}: ${[...byStatus].map(([s, n]) => `${s === 0 ? 'no answer' : s} ×${n}`).join(', ')}`);
  for (const l of lost.slice(0, 20)) lines.push(`  lost ${l}`);
  for (const f of health.failures.slice(0, 5)) lines.push(`  /healthz failed: ${f}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (/was lost|compromised/i.test(log())) process.stdout.write(`the server logged a lost store lock:\n${log().split('\n').filter((l) => /lost|compromised/i.test(l)).slice(0, 3).join('\n')}\n`);

  server.kill('SIGTERM');
  const exited = await Promise.race([new Promise((resolve) => server.once('exit', () => resolve(true))), sleep(15_000).then(() => false)]);
  if (!exited) stopServer();
  return lost.length === 0 && health.failures.length === 0 ? 0 : 1;
}

let code;
try {
  code = await main();
} catch (e) {
  process.stderr.write(`abuse: ${e instanceof Error ? e.message : String(e)}\n`);
  code = 2;
}
stopServer();
if (values.keep) process.stdout.write(`store kept in ${work}\n`);
else rmSync(work, { recursive: true, force: true });
process.exit(code);
