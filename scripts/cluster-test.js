/**
 * Multi-instance failure test on PostgreSQL (`npm run test:cluster`; `.ci/run` runs it against the
 * PostgreSQL server it starts): several `parlance serve --db postgres://…` processes share one
 * database, one is killed with SIGKILL in the middle of the traffic and restarted, and afterwards
 * the database must hold every acknowledged consent change exactly once.
 *
 * 1. Creates a fresh schema on the server of PARLANCE_TEST_POSTGRES_URL and starts --instances
 *    (default 3) servers on loopback ports; waits until each answers /healthz. Creates a short-code
 *    channel with the default keywords and a custom one (HOURS).
 * 2. Forks the load driver (scripts/cluster-load.js): --senders (default 2500) senders, --per-sender
 *    (default 4) messages each (STOP, START, YES, HELP, HOURS, conversation), every 4th sender sending
 *    two at a time; requests spread round-robin over the instances, and a failed one retried on the
 *    next instance with the same body and `messageId` (idempotent: src/store/receipts.ts); every
 *    40th acknowledged message is delivered again to another instance, whose answer must be the
 *    first one, replayed.
 * 3. When the driver reports --kill-at (default 30 %) of the messages acknowledged, kills one
 *    instance with SIGKILL; restarts it and, once it is healthy, gives the driver its new address.
 *    With --kills 2 (the default) a second instance is killed and restarted at 65 %. The driver
 *    goes on without the killed instance for another 10 % of the messages, then waits for it to
 *    be back (a gate the test opens), so the rest of the load reaches the restarted instance.
 * 4. When the driver has every message acknowledged, checks from the database:
 *    - every message was applied exactly once: one `messages` row and one receipt per message id,
 *      none missing, none twice;
 *    - every acknowledged consent change is in the ledger exactly once: the ledger rows of each
 *      message are exactly the changes its answer reported, and the ledger has no other rows;
 *    - each user's ledger chain is unbroken (the first entry from nothing, each next one from where
 *      the previous ended) and ends in the user's status, which is the status the answer to the
 *      user's last message (in the order the database applied them) reported;
 *    - every answer names the session its message is stored in;
 *    - the chain is what processing the user's stored messages one by one gives (the consent engine
 *      replayed), so no message was applied out of its place or lost.
 * Prints the counts. Exits 1 on any failure, keeping the schema (--keep keeps it anyway).
 *
 *   node scripts/cluster-test.js [--instances 3] [--senders 2500] [--per-sender 4] [--concurrency 48] [--kills 2] [--keep]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decideInbound } from '../dist/src/consent/engine.js';
import { call, CHANNEL_SETTINGS, exited, freshSchema, killAll, postgresUrl, startLoad, startServer, TEXTS } from './cluster-lib.js';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '3' },
    senders: { type: 'string', default: '2500' },
    'per-sender': { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '48' },
    kills: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true) {
  process.stdout.write('usage: node scripts/cluster-test.js [--instances 3] [--senders 2500] [--per-sender 4] [--concurrency 48] [--kills 2] [--keep]\n');
  process.exit(0);
}
const INSTANCES = Number(values.instances);
const SENDERS = Number(values.senders);
const PER_SENDER = Number(values['per-sender']);
const KILLS = Math.min(Number(values.kills), 2);
const TOTAL = SENDERS * PER_SENDER;
const KILL_AT = [0.3, 0.65].slice(0, KILLS).map((f) => Math.floor(f * TOTAL));
/** The driver waits at these counts until the instance killed before is back: traffic goes on without it for 10 % of the load, then the rest reaches it too. */
const GATES = KILL_AT.map((k) => k + Math.floor(0.1 * TOTAL));
const CHANNEL = 'cluster-sms';
const KEY = `cluster_${randomBytes(24).toString('base64url')}`;
const RUN = `c${Date.now().toString(36)}`;

const log = (s) => process.stdout.write(`[cluster] ${s}\n`);
const failures = [];
const fail = (s) => {
  if (failures.length < 50) failures.push(s);
};

const base = postgresUrl();
const schema = await freshSchema(base, `parlance_cluster_${process.pid}`);
const work = mkdtempSync(join(tmpdir(), 'parlance-cluster-'));
let ok = false;
try {
  ok = await main();
} catch (e) {
  process.stderr.write(`[cluster] FAILED: ${e.stack ?? e}\n`);
} finally {
  killAll();
  if (ok && !values.keep) await schema.drop();
  else {
    log(`schema kept: ${schema.url.replace(/:[^:@/]*@/, ':***@')}`);
    await schema.admin.end();
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);

async function main() {
  log(`starting ${INSTANCES} instances on one PostgreSQL schema`);
  // One first, so the migrations run once without contention, then the others together.
  const servers = [await startServer(schema.url, KEY, { label: 'instance 0' })];
  servers.push(...(await Promise.all(Array.from({ length: INSTANCES - 1 }, (_, i) => startServer(schema.url, KEY, { label: `instance ${i + 1}` })))));
  const put = await call(servers[0].url, 'PUT', `/v1/channels/${CHANNEL}`, KEY, CHANNEL_SETTINGS);
  if (put.status !== 201) throw new Error(`creating the channel: HTTP ${put.status} ${put.text}`);

  const load = startLoad({
    channelId: CHANNEL,
    key: KEY,
    senders: SENDERS,
    perSender: PER_SENDER,
    concurrency: Number(values.concurrency),
    concurrentEvery: 4,
    firstNumber: 14155000000,
    runTag: RUN,
    seed: 7,
    texts: TEXTS,
    urls: servers.map((s) => s.url),
    file: join(work, 'acked.jsonl'),
    progressEvery: 50,
    maxAttempts: 200,
    requestTimeoutMs: 60_000,
    gates: GATES,
    redeliverEvery: 40,
  });
  log(`load: ${SENDERS} senders x ${PER_SENDER} messages = ${TOTAL}, kills at ${KILL_AT.join(' and ')} acknowledged`);

  const kills = [];
  let killing = Promise.resolve();
  load.onProgress((p) => {
    const k = kills.length;
    if (k < KILL_AT.length && p.acked >= KILL_AT[k]) {
      const victim = (k + 1) % INSTANCES;
      kills.push({ victim, ackedAtKill: p.acked });
      killing = killing.then(() => restart(victim, k));
      // A restart that fails ends the test at once (the driver would wait at its gate for ever).
      killing.catch((e) => {
        process.stderr.write(`[cluster] FAILED: restarting instance ${victim}: ${e.stack ?? e}\n`);
        load.child.kill('SIGKILL');
      });
    }
  });
  async function restart(victim, k) {
    servers[victim].child.kill('SIGKILL');
    const { signal } = await exited(servers[victim].child);
    log(`kill ${k + 1}: instance ${victim} killed (${signal}) at ${kills[k].ackedAtKill} acknowledged; restarting it`);
    servers[victim] = await startServer(schema.url, KEY, { label: `instance ${victim} (restarted)` });
    load.setInstances(servers.map((s) => s.url));
    load.open(k);
    log(`kill ${k + 1}: instance ${victim} is back and healthy at ${servers[victim].url}`);
  }

  const summary = await load.done;
  await killing.catch(() => undefined);
  log(`load done: ${summary.acked} acknowledged in ${summary.seconds.toFixed(1)} s; ${summary.attempts} requests, ${summary.failedAttempts} failed and retried on another instance, ${summary.retriedMessages} messages needed a retry, ${summary.replayed} answered from a receipt (Idempotent-Replayed); ${summary.redelivered} redeliveries to another instance answered with the first answer, replayed`);
  if (kills.length !== KILL_AT.length) fail(`only ${kills.length} of ${KILL_AT.length} kills happened`);
  const acked = readFileSync(join(work, 'acked.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  if (acked.length !== TOTAL) fail(`${acked.length} of ${TOTAL} messages acknowledged`);

  const counts = await verify(acked);
  log(`database: ${counts.users} users, ${counts.messages} messages (${counts.duplicates} applied twice, ${counts.missing} acknowledged but missing), ${counts.receipts} receipts`);
  log(`ledger: ${counts.ledger} rows for ${counts.changes} acknowledged changes (${counts.ledgerMismatch} messages whose ledger rows differ from their answer, ${counts.orphans} rows without an acknowledged message)`);
  log(`chains: ${counts.users - counts.brokenChains} unbroken of ${counts.users}; ${counts.lastMismatch} users whose status differs from their last answer; ${counts.replayMismatch} whose ledger differs from the engine's replay`);
  log(`answers: ${counts.sessionMatch} of ${acked.length} name the session their message is stored in`);
  for (const f of failures) process.stderr.write(`[cluster] FAIL ${f}\n`);
  for (const s of servers) s.child.kill('SIGTERM');
  await Promise.all(servers.map((s) => exited(s.child)));
  if (failures.length > 0) return false;
  log(`PASS: 0 acknowledged changes lost or duplicated across ${kills.length} kill(s)`);
  return true;
}

/** Checks the database against the acknowledgements (see the module comment); returns the counts. */
async function verify(acked) {
  const q = (sql, params) => schema.admin.query(sql, params).then((r) => r.rows);
  const byId = new Map(acked.map((a) => [a.id, a]));
  const settings = (await q('SELECT settings FROM channels WHERE id = $1', [CHANNEL]))[0].settings;

  const messages = await q(
    `SELECT m.id, m.platform_message_id AS mid, m.text, m.session_id, u.platform_key FROM messages m JOIN messaging_users u ON u.id = m.user_id WHERE u.channel_id = $1 AND m.direction = 'inbound' ORDER BY m.id`,
    [CHANNEL],
  );
  const seen = new Map();
  for (const m of messages) seen.set(m.mid, (seen.get(m.mid) ?? 0) + 1);
  const duplicates = [...seen.values()].filter((n) => n > 1).length;
  const missing = acked.filter((a) => !seen.has(a.id)).length;
  if (duplicates > 0) fail(`${duplicates} message ids applied more than once`);
  if (missing > 0) fail(`${missing} acknowledged messages are not in the database`);
  for (const mid of seen.keys()) if (!byId.has(mid)) fail(`a message in the database was never acknowledged: ${mid}`);
  const receipts = Number((await q('SELECT count(*) AS n FROM inbound_receipts WHERE channel_id = $1', [CHANNEL]))[0].n);
  if (receipts !== seen.size) fail(`${receipts} receipts for ${seen.size} messages`);

  // Every acknowledged change exactly once: a message's ledger rows are exactly its answer's changes.
  const ledger = await q(
    `SELECT l.id, l.platform_message_id AS mid, l.from_status, l.to_status, u.platform_key, u.consent_status FROM consent_ledger l JOIN messaging_users u ON u.id = l.user_id WHERE u.channel_id = $1 ORDER BY l.id`,
    [CHANNEL],
  );
  const ledgerOf = new Map();
  let orphans = 0;
  for (const r of ledger) {
    if (!byId.has(r.mid)) orphans++;
    ledgerOf.set(r.mid, [...(ledgerOf.get(r.mid) ?? []), { from: r.from_status, to: r.to_status }]);
  }
  if (orphans > 0) fail(`${orphans} ledger rows belong to no acknowledged message`);
  let changes = 0;
  let ledgerMismatch = 0;
  for (const a of acked) {
    changes += a.changes.length;
    if (canon(ledgerOf.get(a.id) ?? []) !== canon(a.changes)) {
      ledgerMismatch++;
      fail(`${a.id}: answered ${JSON.stringify(a.changes)}, ledger has ${JSON.stringify(ledgerOf.get(a.id) ?? [])}`);
    }
  }
  if (ledger.length !== changes) fail(`the ledger has ${ledger.length} rows for ${changes} acknowledged changes`);

  // Each user's chain, its end, its last message's answer, and the engine's replay of its messages.
  const users = new Map();
  for (const r of ledger) {
    const u = users.get(r.platform_key) ?? { status: r.consent_status, chain: [], texts: [], last: undefined };
    u.chain.push({ from: r.from_status, to: r.to_status });
    users.set(r.platform_key, u);
  }
  for (const m of messages) {
    const u = users.get(m.platform_key);
    if (u === undefined) {
      fail(`${m.platform_key} has messages and no ledger`);
      continue;
    }
    u.texts.push(m.text);
    u.last = m.mid;
  }
  let brokenChains = 0;
  let lastMismatch = 0;
  let replayMismatch = 0;
  for (const [key, u] of users) {
    const broken = u.chain[0].from !== null || u.chain.some((c, i) => c.from === c.to || (i > 0 && c.from !== u.chain[i - 1].to)) || u.chain.at(-1).to !== u.status;
    if (broken) {
      brokenChains++;
      fail(`${key}: broken chain ${JSON.stringify(u.chain)}, status ${u.status}`);
    }
    const last = byId.get(u.last);
    if (last === undefined || last.status !== u.status) {
      lastMismatch++;
      fail(`${key}: status ${u.status}, the answer to its last message (${u.last}) said ${last?.status}`);
    }
    if (canon(replay(settings, u.texts)) !== canon(u.chain)) {
      replayMismatch++;
      fail(`${key}: the ledger ${JSON.stringify(u.chain)} is not the replay of ${JSON.stringify(u.texts)}`);
    }
  }
  // Every answer, a replayed one included, names the session its message is stored in.
  const sessionOf = new Map(messages.map((m) => [m.mid, String(m.session_id)]));
  const sessionMatch = acked.filter((a) => sessionOf.get(a.id) === a.session).length;
  if (sessionMatch !== acked.length) fail(`${acked.length - sessionMatch} answers name another session than their stored message's`);
  return { users: users.size, messages: messages.length, duplicates, missing, receipts, ledger: ledger.length, changes, ledgerMismatch, orphans, brokenChains, lastMismatch, replayMismatch, sessionMatch };
}

/** JSON with sorted keys: equal for equal values, whatever their key order. */
function canon(v) {
  return JSON.stringify(v, (_k, x) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

/** The consent changes of processing `texts` one at a time, in order. */
function replay(settings, texts) {
  let user;
  let session;
  const chain = [];
  texts.forEach((text, i) => {
    const d = decideInbound({ settings, user, session, text, receivedAt: Date.UTC(2026, 0, 1) + i });
    chain.push(...d.consentChanges.map((c) => ({ from: c.from, to: c.to })));
    user = { consentStatus: d.user.consentStatus, pendingDoubleOptIn: d.user.pendingDoubleOptIn, ...(d.user.language !== undefined ? { language: d.user.language } : {}) };
    session = d.sessionStatus === 'Ended' || d.sessionStatus === 'Error' ? undefined : { id: 'open', status: d.sessionStatus, onlyKeywordsSoFar: d.onlyKeywordsSoFar };
  });
  return chain;
}
