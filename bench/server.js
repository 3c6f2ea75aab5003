/**
 * HTTP server benchmark (`npm run bench:server`): Parlance's routes against a bare fastify route,
 * loopback, with autocannon, by server CPU per request. See "Server" in bench/README.md.
 *
 * The servers run in a child process (bench/server-target.js): Parlance as `parlance serve` runs
 * it by default (embedded store, durable commits, the default logging: `info`, JSON lines, here
 * written to a file), and a bare fastify server with the same logging whose routes answer the
 * render response with no auth, no validation and no work. The load generator (autocannon) runs in
 * this process, so it never shares the servers' CPU accounting; the server process's CPU time
 * (every thread: the event loop, the garbage collector, PGlite) is read from /proc/<pid>/stat, and
 * whether its event loop was saturated from /proc/<pid>/task/<pid>/schedstat (time on a CPU plus
 * time waiting for one, ÷ wall time: 1.0 means it always had work, so the load generator kept it
 * fed, whatever the rest of the machine took).
 *
 * Measured, one after another, each after a warm-up, `--runs` times:
 * - `bare`: POST /bare, with the render request body (fastify parses it), precomputed bytes;
 * - `bareJson`: POST /bare-json, the same JSON value, serialized by fastify each time;
 * - `render`: POST /v1/components/Pick_Location/render, 5 Location records, FacebookEnhanced;
 * - `evaluate`: POST /v1/formulas/evaluate, one formula with fields and a record;
 * - `inbound`: POST /v1/channels/{id}/inbound on an SMS long-code channel, a distinct sender per
 *   request (each creates a messaging user, a session and a message; durable group commit).
 *
 *   node bench/server.js [--duration 10] [--warmup 2] [--connections 16] [--pipelining 1] [--runs 1]
 *                        [--only bare,render,evaluate,inbound] [--profile DIR] [--json]
 *
 * `--profile DIR` writes a V8 CPU profile of the server process's main thread per route, covering
 * only its measured run: DIR/<route>.cpuprofile (the last run's).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

/** The goals of issue 19: by server CPU per request against the bare route, and inbound messages per second. */
export const TARGETS = { renderOverBareByCpu: 0.5, evaluateOverBareByCpu: 0.6, inboundPerSecond: 2000 };

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '16' },
    pipelining: { type: 'string', default: '1' },
    runs: { type: 'string', default: '1' },
    only: { type: 'string' },
    profile: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true) {
  process.stdout.write('usage: node bench/server.js [--duration 10] [--warmup 2] [--connections 16] [--pipelining 1] [--runs 1] [--only bare,render,evaluate,inbound] [--profile DIR] [--json]\n');
  process.exit(0);
}
const DURATION = Number(values.duration);
const WARMUP = Number(values.warmup);
const CONNECTIONS = Number(values.connections);
const PIPELINING = Number(values.pipelining);
const RUNS = Number(values.runs);
const CASES = ['bare', 'bareJson', 'render', 'evaluate', 'inbound'];
const only = values.only === undefined ? CASES : values.only.split(',').map((s) => s.trim());
for (const c of only) if (!CASES.includes(c)) throw new Error(`--only: unknown case ${c} (${CASES.join(', ')})`);
if (only.some((c) => c === 'render' || c === 'evaluate') && !only.includes('bareJson')) only.unshift('bareJson');
if (only.some((c) => c === 'render' || c === 'evaluate') && !only.includes('bare')) only.unshift('bare');

/** Progress on stderr, so that --json keeps stdout machine-readable. */
const progress = (line) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------- the server process

const work = mkdtempSync(join(tmpdir(), 'parlance-bench-server-'));
const KEY = `bench_${randomBytes(24).toString('base64url')}`;
const AUTH = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const CHANNEL = 'bench-sms';
const EVALUATE_BODY = JSON.stringify({
  formula: 'IF(Amount > 1000 && NOT(ISBLANK(Email)), "VIP " & UPPER(LEFT(Name, 1)) & MID(Name, 2, 50) & ": " & TEXT(ROUND(Amount * (1 + TaxRate), 2)) & " due " & TEXT(DueDate + 30), "Standard")',
  fields: { Amount: 'Currency', TaxRate: 'Percent', Email: 'Text', Name: 'Text', DueDate: 'Date' },
  record: { Amount: 5000, TaxRate: 8.25, Email: 'ada@example.com', Name: 'ada', DueDate: '2026-11-21' },
});
const LOG_FILE = join(work, 'server.log');
const logFd = openSync(LOG_FILE, 'w');
const child = fork(new URL('./server-target.js', import.meta.url), [work, KEY, CHANNEL, EVALUATE_BODY], { stdio: ['ignore', logFd, 'inherit', 'ipc'] });
closeSync(logFd);
const replies = [];
const waiting = [];
child.on('message', (m) => (waiting.length > 0 ? waiting.shift()(m) : replies.push(m)));
child.on('exit', (code) => {
  if (code !== 0 && code !== null) {
    progress(`the server process exited with ${code}`);
    process.exit(1);
  }
});
const next = () => (replies.length > 0 ? Promise.resolve(replies.shift()) : new Promise((r) => waiting.push(r)));
const ask = (m) => {
  child.send(m);
  return next();
};
const { ready } = await next();
const { parlanceUrl, bareUrl, renderBody: RENDER_BODY } = ready;

/** Every inbound request gets a distinct sender (+1 415 200 0000 upwards; every +1 415 2xx–9xx number is valid), never reused across runs. */
let sender = 0;
const setupInbound = (req) => {
  req.body = `{"from":"+1${14152000000 + sender++}","text":"Hi, where is my order?"}`;
  return req;
};

// ---------------------------------------------------------------- runs

const TARGETS_OF = {
  bare: { url: bareUrl, path: '/bare', body: RENDER_BODY, headers: { 'content-type': 'application/json' } },
  bareJson: { url: bareUrl, path: '/bare-json', body: RENDER_BODY, headers: { 'content-type': 'application/json' } },
  render: { url: parlanceUrl, path: '/v1/components/Pick_Location/render', body: RENDER_BODY, headers: AUTH },
  evaluate: { url: parlanceUrl, path: '/v1/formulas/evaluate', body: EVALUATE_BODY, headers: AUTH },
  inbound: { url: parlanceUrl, path: `/v1/channels/${CHANNEL}/inbound`, headers: AUTH, setup: setupInbound },
};

function cannon(name, seconds) {
  const t = TARGETS_OF[name];
  return autocannon({
    url: t.url,
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    duration: seconds,
    requests: [{ method: 'POST', path: t.path, headers: t.headers, ...(t.body !== undefined ? { body: t.body } : {}), ...(t.setup !== undefined ? { setupRequest: t.setup } : {}) }],
  });
}

const TICK_MS = 1000 / 100; // USER_HZ

/** The server process's CPU time in ms (every thread), from /proc/<pid>/stat. */
function serverCpuMs() {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

/** The server's main thread: [ns on a CPU, ns waiting for a CPU], from /proc/<pid>/task/<pid>/schedstat. */
function mainThreadSched() {
  try {
    const [run, wait] = readFileSync(`/proc/${child.pid}/task/${child.pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return [run, wait];
  } catch {
    return undefined;
  }
}

/** Every thread of the server: tid → [CPU ms, ns running + waiting for a CPU] (a thread that ended meanwhile is left out). */
function threadTimes() {
  const out = new Map();
  try {
    for (const tid of readdirSync(`/proc/${child.pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const [run, wait] = readFileSync(`/proc/${child.pid}/task/${tid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
        out.set(tid, [(Number(f[11]) + Number(f[12])) * TICK_MS, run + wait]);
      } catch {
        // The thread ended.
      }
    }
  } catch {
    // No /proc: no per-thread figures.
  }
  return out;
}

/**
 * The main thread's CPU per request, and the busiest other thread's (for inbound, the embedded
 * database's own thread) with how much of the time it was running or waiting for a CPU.
 */
function perThread(before, after, ok, seconds) {
  const main = String(child.pid);
  const deltas = [...after].filter(([tid]) => before.has(tid)).map(([tid, [cpu, sched]]) => ({ tid, cpu: cpu - before.get(tid)[0], sched: sched - before.get(tid)[1] }));
  const mainDelta = deltas.find((d) => d.tid === main);
  const other = deltas.filter((d) => d.tid !== main).sort((a, b) => b.cpu - a.cpu)[0];
  if (mainDelta === undefined || other === undefined || ok === 0) return {};
  return {
    mainThreadCpuUsPerRequest: Math.round((mainDelta.cpu * 1000) / ok),
    busiestOtherThreadCpuUsPerRequest: Math.round((other.cpu * 1000) / ok),
    busiestOtherThreadDemand: Number((other.sched / 1e9 / seconds).toFixed(2)),
  };
}

async function measure(name, profile) {
  if (WARMUP > 0) await cannon(name, WARMUP);
  const before = name === 'inbound' ? (await ask({ cmd: 'count' })).count : 0;
  if (profile) await ask({ cmd: 'profile-start' });
  const cpuBefore = serverCpuMs();
  const schedBefore = mainThreadSched();
  const threadsBefore = threadTimes();
  const r = await cannon(name, DURATION);
  const cpuMs = serverCpuMs() - cpuBefore;
  const schedAfter = mainThreadSched();
  const threadsAfter = threadTimes();
  if (profile) progress(`${name}: profile written to ${(await ask({ cmd: 'profile-stop', dir: values.profile, name })).profile}`);
  const seconds = (r.finish - r.start) / 1000 || r.duration;
  const stored = name === 'inbound' ? (await ask({ cmd: 'count' })).count - before : undefined;
  if (r.non2xx > 0 || r.errors > 0) progress(`${name}: warning: ${r.non2xx} non-2xx answers ${JSON.stringify(r.statusCodeStats)}, ${r.errors} errors, ${r.timeouts} timeouts`);
  const demand = schedBefore === undefined ? undefined : (schedAfter[0] - schedBefore[0] + schedAfter[1] - schedBefore[1]) / 1e9 / seconds;
  return {
    requestsPerSecond: Math.round(r['2xx'] / seconds),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    ok: r['2xx'],
    failed: r.non2xx + r.errors,
    seconds: Number(seconds.toFixed(2)),
    serverCpuUsPerRequest: r['2xx'] > 0 ? Math.round((cpuMs * 1000) / r['2xx']) : null,
    // Share of a core the server process got, and how much of the time its main thread was running or runnable (1.0: saturated).
    serverCpuBusy: Number((cpuMs / 1000 / seconds).toFixed(2)),
    ...(demand !== undefined ? { mainThreadDemand: Number(demand.toFixed(2)) } : {}),
    ...perThread(threadsBefore, threadsAfter, r['2xx'], seconds),
    loadavg1: Number(loadavg()[0].toFixed(1)),
    ...(stored !== undefined ? { messagesStored: stored } : {}),
  };
}

const runs = [];
for (let run = 1; run <= RUNS; run++) {
  const results = {};
  for (const name of only) {
    progress(`run ${run}/${RUNS}, ${name}: ${DURATION} s after ${WARMUP} s warm-up, ${CONNECTIONS} connections, pipelining ${PIPELINING}`);
    results[name] = await measure(name, values.profile !== undefined && run === RUNS);
  }
  runs.push(results);
}
await ask({ cmd: 'close' });
const logLines = readFileSync(LOG_FILE, 'utf8').split('\n').length - 1;
rmSync(work, { recursive: true, force: true });

// ---------------------------------------------------------------- report

const ratio = (a, b) => (a === undefined || b === undefined || a === null || b === null || b === 0 ? null : Number((a / b).toFixed(3)));
function ratiosOf(results) {
  return {
    // Capacity by server CPU per request (bare ÷ route): what share of the bare route's requests per CPU-second the route serves.
    renderOverBareByCpu: ratio(results.bare?.serverCpuUsPerRequest, results.render?.serverCpuUsPerRequest),
    renderOverBareJsonByCpu: ratio(results.bareJson?.serverCpuUsPerRequest, results.render?.serverCpuUsPerRequest),
    evaluateOverBareByCpu: ratio(results.bare?.serverCpuUsPerRequest, results.evaluate?.serverCpuUsPerRequest),
    renderOverBareThroughput: ratio(results.render?.requestsPerSecond, results.bare?.requestsPerSecond),
    evaluateOverBareThroughput: ratio(results.evaluate?.requestsPerSecond, results.bare?.requestsPerSecond),
    inboundPerSecond: results.inbound?.requestsPerSecond ?? null,
    // Messages per second the server would commit with a whole core: 10^6 ÷ CPU µs per message.
    inboundPerCpuSecond: results.inbound?.serverCpuUsPerRequest ? Math.round(1e6 / results.inbound.serverCpuUsPerRequest) : null,
  };
}
/** A run's ratios to the bare route count only when the bare route saturated the server's main thread (≥ 90% running or runnable): else the load generator, not the server, set its pace. */
const SATURATED = 0.9;
const bareSaturated = (results) => results.bare === undefined || results.bare.mainThreadDemand === undefined || results.bare.mainThreadDemand >= SATURATED;
const perRun = runs.map((results) => ({ ...ratiosOf(results), bareSaturated: bareSaturated(results) }));
const spread = (key) => {
  const counted = perRun.filter((r) => r.bareSaturated || key.startsWith('inbound'));
  const xs = counted.map((r) => r[key]).filter((x) => x !== null).sort((a, b) => a - b);
  return xs.length === 0 ? null : { min: xs[0], median: xs[Math.floor((xs.length - 1) / 2)], max: xs[xs.length - 1] };
};
const summary = Object.fromEntries(Object.keys(ratiosOf(runs[0])).map((k) => [k, spread(k)]));
const unsaturatedRuns = perRun.filter((r) => !r.bareSaturated).length;
const met = (key, target) => (summary[key] === null ? null : summary[key].median >= target);
const targets = {
  renderAtLeastHalfOfBareByCpu: met('renderOverBareByCpu', TARGETS.renderOverBareByCpu),
  evaluateAtLeast60PercentOfBareByCpu: met('evaluateOverBareByCpu', TARGETS.evaluateOverBareByCpu),
  inboundAtLeast2000PerSecond: met('inboundPerSecond', TARGETS.inboundPerSecond),
};
const environment = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavgAtEnd: loadavg().map((l) => Number(l.toFixed(2))), responseBytes: ready.responseBytes, serverLogLines: logLines };
const report = { options: { duration: DURATION, warmup: WARMUP, connections: CONNECTIONS, pipelining: PIPELINING, runs: RUNS }, environment, targets: TARGETS, runs, perRun, unsaturatedRuns, summary, met: targets };

if (values.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const out = (line) => process.stdout.write(`${line}\n`);
  const pct = (r) => (r === null ? '—' : `${(r * 100).toFixed(0)}%`);
  const range = (s, f = pct) => (s === null ? '—' : s.min === s.max ? f(s.min) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`);
  const verdict = (v) => (v === null ? '—' : v ? 'met' : 'NOT met');
  out('');
  out(`Parlance server benchmark: ${CONNECTIONS} connections, pipelining ${PIPELINING}, ${DURATION} s per route (after ${WARMUP} s warm-up), ${RUNS} run(s); Node ${process.version}, ${environment.cpus} CPUs, load average ${environment.loadavgAtEnd.join(' ')}; default logging (${logLines} log lines written)`);
  const label = { bare: 'bare fastify (same response bytes)', bareJson: 'bare fastify (same JSON value)', render: 'POST /v1/components/…/render', evaluate: 'POST /v1/formulas/evaluate', inbound: 'POST /v1/channels/…/inbound (durable)' };
  runs.forEach((results, i) => {
    out('');
    out(`run ${i + 1}${perRun[i].bareSaturated ? '' : ' (bare route not saturated: left out of the ratios)'}`);
    out(`                                              req/s  p50 ms  p99 ms  failed  server CPU µs/req  busy  saturated  load`);
    for (const [name, r] of Object.entries(results)) {
      out(`${label[name].padEnd(44)}${String(r.requestsPerSecond).padStart(7)}  ${String(r.p50Ms).padStart(6)}  ${String(r.p99Ms).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.serverCpuUsPerRequest ?? '—').padStart(17)}  ${String(Math.round(r.serverCpuBusy * 100)).padStart(3)}%  ${r.mainThreadDemand === undefined ? '—' : `${Math.round(r.mainThreadDemand * 100)}%`.padStart(9)}  ${r.loadavg1}`);
      if (name === 'inbound' && r.mainThreadCpuUsPerRequest !== undefined) {
        out(`${''.padEnd(44)}  by thread, CPU µs/message: main ${r.mainThreadCpuUsPerRequest}, busiest other (the database's) ${r.busiestOtherThreadCpuUsPerRequest}, running or runnable ${Math.round(r.busiestOtherThreadDemand * 100)}%`);
      }
    }
  });
  out('');
  if (unsaturatedRuns > 0) out(`${unsaturatedRuns} of ${RUNS} run(s) left out of the ratios to the bare route: the bare route did not saturate the server's main thread (< ${SATURATED * 100}%), so the load generator could not load it fully there.`);
  out('median (min–max) over the runs:');
  out(`render / bare by server CPU per request:   ${range(summary.renderOverBareByCpu)}   target ≥ ${pct(TARGETS.renderOverBareByCpu)}: ${verdict(targets.renderAtLeastHalfOfBareByCpu)}   (throughput ${range(summary.renderOverBareThroughput)}; / bare returning the JSON value ${range(summary.renderOverBareJsonByCpu)})`);
  out(`evaluate / bare by server CPU per request: ${range(summary.evaluateOverBareByCpu)}   target ≥ ${pct(TARGETS.evaluateOverBareByCpu)}: ${verdict(targets.evaluateAtLeast60PercentOfBareByCpu)}   (throughput ${range(summary.evaluateOverBareThroughput)})`);
  if (summary.inboundPerSecond !== null) {
    const n = (x) => String(x);
    out(`inbound messages/s committed durably:     ${range(summary.inboundPerSecond, n)}   target ≥ ${TARGETS.inboundPerSecond}: ${verdict(targets.inboundAtLeast2000PerSecond)}   (per CPU-second of the server: ${range(summary.inboundPerCpuSecond, n)})`);
  }
  out('"saturated": the share of the time the server\'s main thread was running or waiting for a CPU; near 100% the load generator kept it busy.');
}
