/**
 * Crash test of the embedded store (`npm run test:crash`): is every acknowledged inbound opt-out
 * still there after the server is killed with SIGKILL in the middle of a load?
 *
 * 1. Starts `parlance serve --db <temp dir> --port 0` as a child process and creates an SMS
 *    long-code channel.
 * 2. Starts a load driver in a second process (scripts/crash-load.js): STOP from distinct phone
 *    numbers, 32 requests in flight; it appends every acknowledged opt-out (HTTP 200, consentStatus
 *    OptedOut) to a file as the answer arrives.
 * 3. After a few seconds (and at least --min-acks acknowledgements) kills the server with SIGKILL,
 *    lets the driver run into the dead server for a second (those requests are unacknowledged),
 *    then stops the driver.
 * 4. Restarts the server on the same directory (crash recovery) and reports how long it took to
 *    listen and to answer /healthz (the killed server's lock is taken over at once, its PID being
 *    gone: src/store/lock.ts). It must start, answer /healthz,
 *    still have the channel, and report a sample of acknowledged senders as existing, opted-out
 *    users. Then stops it (SIGTERM).
 * 5. Opens the directory with PGlite and checks that EVERY number acknowledged so far (all cycles)
 *    is a messaging user with consent_status 'OptedOut' and a consent ledger row to 'OptedOut';
 *    that every user in the channel has its whole transaction (user, ledger, session, message:
 *    nothing torn); and, on a copy of the directory, amcheck's heap and B-tree index checks.
 * 6. Repeats 2–5 (--cycles, default 3) on the same directory, then prints a summary.
 *
 * Exits 1 when an acknowledged opt-out is missing or wrong, a transaction is torn, the store is
 * corrupt, or a restarted server does not start; the data directory is then kept for inspection.
 *
 *   node scripts/crash-test.js [--cycles 3] [--seconds 4] [--min-acks 300] [--concurrency 32] [--keep]
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { amcheck } from '@electric-sql/pglite/contrib/amcheck';
import { callJson } from './http-json.js';
import { DEFAULT_STALE_MS, judgeLock, LOCK_FILE, systemLockEnvironment } from '../dist/src/store/lock.js';

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '4' },
    'min-acks': { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '32' },
    'start-timeout': { type: 'string', default: '120' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true) {
  process.stdout.write('usage: node scripts/crash-test.js [--cycles 3] [--seconds 4] [--min-acks 300] [--concurrency 32] [--start-timeout 120] [--keep]\n');
  process.exit(0);
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'parlance.js');
const LOAD = join(ROOT, 'scripts', 'crash-load.js');
const CYCLES = Number(values.cycles);
const SECONDS = Number(values.seconds);
const MIN_ACKS = Number(values['min-acks']);
const CONCURRENCY = Number(values.concurrency);
const START_TIMEOUT_MS = Number(values['start-timeout']) * 1000;
const CHANNEL = 'crash-sms';
const KEY = `crash_${randomBytes(24).toString('base64url')}`;
/** Cycle c sends from +1 415 2c0 0000 upwards (c = 0, 1, …): distinct numbers in every cycle. */
const FIRST_NUMBER = 14152000000;
const NUMBERS_PER_CYCLE = 100_000;

const work = mkdtempSync(join(tmpdir(), 'parlance-crash-'));
const dataDir = join(work, 'db');

class TestFailure extends Error {}

// ---------------------------------------------------------------- child processes

/** Every child still running, so that none outlives the test, whatever happens. */
const children = new Set();

function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.stderr.write(`crash-test: interrupted (${signal}); data kept in ${work}\n`);
    process.exit(130);
  });
}

/** Resolves with { code, signal } when the child has exited (at once if it already has). */
function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Waits for the child to exit; SIGKILLs it after `ms`. Returns { code, signal, forced }. */
async function exitedWithin(child, ms) {
  const timer = sleep(ms).then(() => 'timeout');
  const r = await Promise.race([exited(child), timer]);
  if (r !== 'timeout') return { ...r, forced: false };
  child.kill('SIGKILL');
  return { ...(await exited(child)), forced: true };
}

/** Keeps the last `limit` characters a stream wrote. */
function tail(stream, limit = 64 * 1024) {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    text += chunk;
    if (text.length > limit) text = text.slice(-limit);
  });
  return () => text;
}

/**
 * Starts `parlance serve` on the data directory; resolves when it prints its "listening" line.
 * Rejects (with its output) when it exits first or doesn't start in time: a store that can't be
 * opened after a crash is a corrupt store.
 */
async function startServer(label) {
  const started = performance.now();
  const child = track(
    spawn(process.execPath, [BIN, 'serve', '--db', dataDir, '--port', '0', '--log-level', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, PARLANCE_API_KEYS: `crash admin,service ${KEY}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const stdout = tail(child.stdout);
  const stderr = tail(child.stderr);
  const output = () => `--- stdout\n${stdout()}\n--- stderr\n${stderr()}`;
  const url = await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /Parlance listening on (http:\/\/[^\s]+)/.exec(stderr());
      if (m !== null) {
        clearInterval(timer);
        resolve(m[1]);
      } else if (child.exitCode !== null || child.signalCode !== null) {
        clearInterval(timer);
        reject(new TestFailure(`${label}: the server exited (code ${child.exitCode}, signal ${child.signalCode}) before listening: the store did not open\n${output()}`));
      } else if (performance.now() - started > START_TIMEOUT_MS) {
        clearInterval(timer);
        child.kill('SIGKILL');
        reject(new TestFailure(`${label}: the server did not start within ${START_TIMEOUT_MS / 1000} s\n${output()}`));
      }
    }, 25);
  });
  return { child, url, output, started, startMs: Math.round(performance.now() - started) };
}

// ---------------------------------------------------------------- HTTP

function request(url, method, path, body) {
  return callJson(url, method, path, KEY, body, 30_000);
}

// ---------------------------------------------------------------- checks

const lines = (file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);

/**
 * Checks the stopped store directly: every acknowledged number (all cycles so far) is an opted-out
 * user with a ledger row to OptedOut, and no user's transaction is torn.
 */
async function verifyStore(acknowledged) {
  const db = new PGlite(dataDir);
  await db.waitReady;
  try {
    const { rows } = await db.query(
      `SELECT u.platform_key, u.consent_status,
         (SELECT count(*) FROM consent_ledger l WHERE l.user_id = u.id AND l.to_status = 'OptedOut')::int AS ledger_opt_outs,
         (SELECT count(*) FROM sessions s WHERE s.user_id = u.id)::int AS sessions,
         (SELECT count(*) FROM messages m WHERE m.user_id = u.id AND m.text = 'STOP')::int AS stop_messages
       FROM messaging_users u WHERE u.channel_id = $1`,
      [CHANNEL],
    );
    const totals = (await db.query(`SELECT (SELECT count(*) FROM messaging_users)::int AS users, (SELECT count(*) FROM consent_ledger)::int AS ledger, (SELECT count(*) FROM sessions)::int AS sessions, (SELECT count(*) FROM messages)::int AS messages`)).rows[0];
    const users = new Map(rows.map((r) => [r.platform_key, r]));
    const missing = [];
    const wrongStatus = [];
    const noLedger = [];
    for (const number of acknowledged) {
      const u = users.get(number);
      if (u === undefined) missing.push(number);
      else {
        if (u.consent_status !== 'OptedOut') wrongStatus.push(`${number}: ${u.consent_status}`);
        if (u.ledger_opt_outs < 1) noLedger.push(number);
      }
    }
    // Every user of the channel was created by a STOP in one transaction: all of it or nothing.
    const torn = rows.filter((r) => r.consent_status !== 'OptedOut' || r.ledger_opt_outs < 1 || r.sessions < 1 || r.stop_messages < 1).map((r) => JSON.stringify(r));
    const ackSet = new Set(acknowledged);
    const committedUnacknowledged = rows.filter((r) => !ackSet.has(r.platform_key)).length;
    return { users: rows.length, totals, missing, wrongStatus, noLedger, torn, committedUnacknowledged };
  } finally {
    await db.close();
  }
}

/** amcheck on a copy of the stopped store (so the store itself gets no extension): heap pages and every B-tree index, with all heap tuples indexed. */
async function amcheckCopy() {
  const copy = join(work, 'amcheck-copy');
  rmSync(copy, { recursive: true, force: true });
  cpSync(dataDir, copy, { recursive: true });
  const db = new PGlite(copy, { extensions: { amcheck } });
  await db.waitReady;
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS amcheck');
    const tables = (await db.query(`SELECT c.oid::regclass::text AS name FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace ORDER BY 1`)).rows.map((r) => r.name);
    const problems = [];
    for (const t of tables) {
      const { rows } = await db.query(`SELECT blkno, offnum, attnum, msg FROM verify_heapam($1::regclass)`, [t]);
      for (const r of rows) problems.push(`${t}: block ${r.blkno} offset ${r.offnum}: ${r.msg}`);
    }
    const indexes = (await db.query(`SELECT c.oid::regclass::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree' AND c.relnamespace = 'public'::regnamespace ORDER BY 1`)).rows.map((r) => r.name);
    for (const ix of indexes) {
      try {
        await db.query('SELECT bt_index_check($1::regclass, true)', [ix]);
      } catch (e) {
        problems.push(`${ix}: ${e.message}`);
      }
    }
    return { tables: tables.length, indexes: indexes.length, problems };
  } finally {
    await db.close();
    rmSync(copy, { recursive: true, force: true });
  }
}

/** How the restarted server will judge the lock the killed one left. */
function describeLeftLock() {
  const path = join(dataDir, LOCK_FILE);
  if (!existsSync(path)) return 'none left';
  const owner = JSON.parse(readFileSync(path, 'utf8'));
  const j = judgeLock(owner, statSync(path).mtimeMs, DEFAULT_STALE_MS, systemLockEnvironment);
  return `process ${owner.pid} on ${owner.hostname}: ${j.state} (${j.reason})${j.state === 'abandoned' && j.reason !== 'stale' ? ', taken over at once' : ''}`;
}

// ---------------------------------------------------------------- the test

const log = (line) => process.stdout.write(`${line}\n`);

async function runCycle(cycle, server, allAcknowledged) {
  const ackFile = join(work, `acks-${cycle}.txt`);
  const first = FIRST_NUMBER + (cycle - 1) * NUMBERS_PER_CYCLE;
  const driver = track(
    spawn(process.execPath, [LOAD, '--url', server.url, '--channel', CHANNEL, '--acks', ackFile, '--first', String(first), '--concurrency', String(CONCURRENCY)], {
      cwd: ROOT,
      env: { ...process.env, PARLANCE_CRASH_KEY: KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const driverOut = tail(driver.stdout);
  const driverErr = tail(driver.stderr);

  // Load, then SIGKILL at a random moment after SECONDS once there are enough acknowledgements.
  const loadStarted = performance.now();
  const killAfterMs = SECONDS * 1000 + randomInt(0, 1000);
  for (;;) {
    await sleep(100);
    if (driver.exitCode !== null) throw new TestFailure(`cycle ${cycle}: the load driver exited early (code ${driver.exitCode})\n${driverErr()}`);
    if (server.child.exitCode !== null || server.child.signalCode !== null) throw new TestFailure(`cycle ${cycle}: the server exited under load before the kill\n${server.output()}`);
    const elapsed = performance.now() - loadStarted;
    if (elapsed >= killAfterMs && lines(ackFile).length >= MIN_ACKS) break;
    if (elapsed > killAfterMs + 60_000) throw new TestFailure(`cycle ${cycle}: only ${lines(ackFile).length} acknowledged opt-outs after ${Math.round(elapsed / 1000)} s (need ${MIN_ACKS})\n${server.output()}\n${driverErr()}`);
  }
  const acksAtKill = lines(ackFile).length;
  const loadMs = performance.now() - loadStarted;
  server.child.kill('SIGKILL');
  const killed = await exited(server.child);
  log(`cycle ${cycle}: SIGKILL after ${(loadMs / 1000).toFixed(1)} s of load, ${acksAtKill} acknowledged (${Math.round(acksAtKill / (loadMs / 1000))}/s); server exit signal ${killed.signal}`);

  // The driver keeps sending into the dead server: those are unacknowledged.
  await sleep(1000);
  driver.kill('SIGTERM');
  const driverExit = await exitedWithin(driver, 30_000);
  if (driverExit.forced || driverExit.code !== 0) throw new TestFailure(`cycle ${cycle}: the load driver did not stop cleanly (${JSON.stringify(driverExit)})\n${driverErr()}`);
  const stats = JSON.parse(driverOut().trim().split('\n').pop());
  const acknowledged = lines(ackFile);
  if (acknowledged.length !== stats.acknowledged) throw new TestFailure(`cycle ${cycle}: the ack file has ${acknowledged.length} lines but the driver counted ${stats.acknowledged}`);
  log(`cycle ${cycle}: driver sent ${stats.sent}, acknowledged ${stats.acknowledged}, connection errors ${stats.connectionErrors} ${JSON.stringify(stats.errorCodes)}, other statuses ${stats.otherStatus} ${JSON.stringify(stats.statuses)}, not opted out ${stats.notOptedOut}`);
  allAcknowledged.push(...acknowledged);

  // The killed server's lock is still there; its owner is gone, so the restart takes it over at
  // once instead of waiting for it to go stale (src/store/lock.ts).
  log(`cycle ${cycle}: the killed server's lock: ${describeLeftLock()}`);

  // Restart on the same directory: crash recovery must succeed and the server must see the data.
  const restarted = await startServer(`cycle ${cycle} restart`);
  const health = await request(restarted.url, 'GET', '/healthz');
  if (health.status !== 200) throw new TestFailure(`cycle ${cycle}: /healthz answered ${health.status} after the restart: ${health.text}`);
  // From the new process's spawn to its first /healthz answer: the store's lock, left by the killed
  // process, is taken over at once (its PID is gone), so this is start-up and crash recovery only.
  const servingMs = Math.round(performance.now() - restarted.started);
  const channel = await request(restarted.url, 'GET', `/v1/channels/${CHANNEL}`);
  if (channel.status !== 200) throw new TestFailure(`cycle ${cycle}: the channel is gone after the restart (${channel.status}): ${channel.text}`);
  // The senders acknowledged last (nearest the crash) write again through the restarted server:
  // each must be an existing user (created: false) that is still opted out.
  const probe = acknowledged.slice(-10);
  const probeFailures = [];
  for (const from of probe) {
    const r = await request(restarted.url, 'POST', `/v1/channels/${CHANNEL}/inbound`, { from, text: 'hello again' });
    const user = r.json?.messagingUser;
    if (r.status !== 200 || user?.created !== false || user?.consentStatus !== 'OptedOut') probeFailures.push(`${from}: ${r.status} ${r.text.slice(0, 200)}`);
  }
  log(`cycle ${cycle}: restarted in ${restarted.startMs} ms (crash recovery), serving (/healthz 200) ${servingMs} ms after the new process was spawned; channel present, ${probe.length - probeFailures.length}/${probe.length} last-acknowledged senders seen as existing opted-out users by the server`);
  restarted.child.kill('SIGTERM');
  const stopped = await exitedWithin(restarted.child, 30_000);
  if (stopped.forced) log(`cycle ${cycle}: warning: the restarted server ignored SIGTERM for 30 s and was killed`);

  // Direct check of the stopped store.
  const v = await verifyStore(allAcknowledged);
  const check = await amcheckCopy();
  const lost = v.missing.length + v.wrongStatus.length + v.noLedger.length;
  log(
    `cycle ${cycle}: store: ${v.users} users in the channel (${v.committedUnacknowledged} committed but never acknowledged), ledger ${v.totals.ledger}, sessions ${v.totals.sessions}, messages ${v.totals.messages}; ` +
      `acknowledged so far ${allAcknowledged.length}, verified ${allAcknowledged.length - lost}, lost ${lost}; torn transactions ${v.torn.length}; amcheck: ${check.tables} tables, ${check.indexes} indexes, ${check.problems.length} problems`,
  );
  return { cycle, loadSeconds: Number((loadMs / 1000).toFixed(1)), sent: stats.sent, acknowledged: acknowledged.length, connectionErrors: stats.connectionErrors, restartMs: restarted.startMs, servingMs, ...v, lost, probeFailures, amcheck: check };
}

async function main() {
  log(`crash test: ${CYCLES} cycles, data in ${dataDir}, ${CONCURRENCY} requests in flight, SIGKILL after ${SECONDS}-${SECONDS + 1} s and ≥ ${MIN_ACKS} acknowledgements`);
  const first = await startServer('first start');
  log(`server started in ${first.startMs} ms at ${first.url}`);
  const created = await request(first.url, 'PUT', `/v1/channels/${CHANNEL}`, { type: 'SmsLongCode' });
  if (created.status !== 201) throw new TestFailure(`creating the channel answered ${created.status}: ${created.text}`);

  const allAcknowledged = [];
  const results = [];
  let failures = [];
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    const server = cycle === 1 ? first : await startServer(`cycle ${cycle} start`);
    const r = await runCycle(cycle, server, allAcknowledged);
    results.push(r);
    failures = [];
    if (r.missing.length > 0) failures.push(`${r.missing.length} acknowledged opt-outs are not in the store, e.g. ${r.missing.slice(0, 5).join(', ')}`);
    if (r.wrongStatus.length > 0) failures.push(`${r.wrongStatus.length} acknowledged users are not OptedOut, e.g. ${r.wrongStatus.slice(0, 5).join(', ')}`);
    if (r.noLedger.length > 0) failures.push(`${r.noLedger.length} acknowledged users have no ledger row to OptedOut, e.g. ${r.noLedger.slice(0, 5).join(', ')}`);
    if (r.torn.length > 0) failures.push(`${r.torn.length} users with a partial transaction, e.g. ${r.torn.slice(0, 3).join('; ')}`);
    if (r.probeFailures.length > 0) failures.push(`the restarted server does not see acknowledged senders as opted-out users: ${r.probeFailures.slice(0, 3).join('; ')}`);
    if (r.amcheck.problems.length > 0) failures.push(`amcheck found corruption: ${r.amcheck.problems.slice(0, 5).join('; ')}`);
    if (failures.length > 0) break;
  }

  log('');
  log('cycle  load s  sent    acked   conn err  restart ms  serving ms  users   committed-unacked  lost  torn  amcheck');
  for (const r of results) {
    log(
      `${String(r.cycle).padEnd(7)}${String(r.loadSeconds).padEnd(8)}${String(r.sent).padEnd(8)}${String(r.acknowledged).padEnd(8)}${String(r.connectionErrors).padEnd(10)}${String(r.restartMs).padEnd(12)}${String(r.servingMs).padEnd(12)}${String(r.users).padEnd(8)}${String(r.committedUnacknowledged).padEnd(19)}${String(r.lost).padEnd(6)}${String(r.torn.length).padEnd(6)}${r.amcheck.problems.length === 0 ? 'ok' : `${r.amcheck.problems.length} problems`}`,
    );
  }
  const last = results[results.length - 1];
  log('');
  log(`restart after SIGKILL, per cycle (spawn to listening / to /healthz 200): ${results.map((r) => `${r.restartMs}/${r.servingMs} ms`).join(', ')}`);
  log(`acknowledged ${allAcknowledged.length}, verified ${allAcknowledged.length - last.lost}, lost ${last.lost} (after ${results.length} SIGKILL/restart cycles)`);
  if (failures.length > 0) throw new TestFailure(failures.join('\n'));
}

let code = 0;
try {
  await main();
  log('PASS: every acknowledged opt-out survived SIGKILL');
} catch (e) {
  code = 1;
  process.stderr.write(`FAIL: ${e instanceof TestFailure ? e.message : (e?.stack ?? String(e))}\n`);
} finally {
  killAll();
  await Promise.all([...children].map((c) => exited(c)));
}
if (code !== 0 || values.keep) log(`data kept in ${work}`);
else rmSync(work, { recursive: true, force: true });
process.exit(code);
