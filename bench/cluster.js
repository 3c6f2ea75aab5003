/**
 * Inbound throughput with 1, 2 and 3 `parlance serve` instances on one PostgreSQL server
 * (`npm run bench:cluster`, PARLANCE_TEST_POSTGRES_URL naming a server on this machine): messages
 * per second, and where the CPU goes: the server processes, PostgreSQL (the postmaster and every
 * backend, from /proc/<pid>/stat), the load driver. Also per message: server and PostgreSQL CPU
 * time, transactions, statements (when the pg_stat_statements extension can be created) and WAL
 * bytes (pg_current_wal_lsn before and after), and the bytes each stored message takes in the
 * messaging tables and their indexes. The 1-minute load average is printed beside each
 * figure: the machine may be shared.
 *
 * Each instance count gets a fresh schema and a warm-up, then --senders senders send
 * --per-sender messages each (the cluster test's mix: STOP, START, YES, HELP, HOURS,
 * conversation; every message with a `messageId`), --concurrency requests in flight in total.
 *
 * --checkpoint runs a CHECKPOINT before each measured run (a superuser's), so that the WAL figure
 * includes a full-page image of every page the run changes (with full_page_writes on).
 *
 *   node bench/cluster.js [--instances 1,2,3] [--senders 3000] [--per-sender 4] [--concurrency 96] [--checkpoint] [--json]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { call, CHANNEL_SETTINGS, cpuSeconds, exited, freshSchema, loadAverage, parentOf, postgresCpuSeconds, postgresUrl, startLoad, startServer, TEXTS } from '../scripts/cluster-lib.js';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '1,2,3' },
    senders: { type: 'string', default: '3000' },
    'per-sender': { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '96' },
    json: { type: 'boolean', default: false },
    checkpoint: { type: 'boolean', default: false },
  },
});
const KEY = `bench_${randomBytes(24).toString('base64url')}`;
const CHANNEL = 'bench-sms';
const base = postgresUrl();
const work = mkdtempSync(join(tmpdir(), 'parlance-bench-cluster-'));
const results = [];

function plan(urls, tag, senders, file) {
  return {
    channelId: CHANNEL,
    key: KEY,
    senders,
    perSender: Number(values['per-sender']),
    concurrency: Number(values.concurrency),
    concurrentEvery: 4,
    firstNumber: tag === 'warm' ? 14156000000 : 14157000000,
    runTag: tag,
    seed: 11,
    texts: TEXTS,
    urls,
    file,
    progressEvery: 1_000_000,
    maxAttempts: 20,
    requestTimeoutMs: 120_000,
  };
}

async function measure(n) {
  const schema = await freshSchema(base, `parlance_bench_${process.pid}_${n}`);
  const postmaster = parentOf(Number((await schema.admin.query('SELECT pg_backend_pid() AS pid')).rows[0].pid));
  let statements = true;
  try {
    await schema.admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public');
    await schema.admin.query('SELECT public.pg_stat_statements_reset()');
  } catch {
    statements = false;
  }
  const servers = [await startServer(schema.url, KEY, { label: 'instance 0' })];
  servers.push(...(await Promise.all(Array.from({ length: n - 1 }, (_, i) => startServer(schema.url, KEY, { label: `instance ${i + 1}` })))));
  const urls = servers.map((s) => s.url);
  const put = await call(urls[0], 'PUT', `/v1/channels/${CHANNEL}`, KEY, CHANNEL_SETTINGS);
  if (put.status !== 201) throw new Error(`creating the channel: HTTP ${put.status} ${put.text}`);
  // Warm-up: JIT, connection pools, prepared statements on every instance.
  await startLoad(plan(urls, 'warm', 500, join(work, `warm-${n}.jsonl`))).done;

  const senders = Number(values.senders);
  const stat = async () => (await schema.admin.query('SELECT pg_current_wal_lsn() AS lsn, (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits')).rows[0];
  if (statements) await schema.admin.query('SELECT public.pg_stat_statements_reset()');
  // --checkpoint: every page the run changes first gets a full-page image in the WAL (with full_page_writes on, the default).
  if (values.checkpoint) await schema.admin.query('CHECKPOINT');
  const before = { load: loadAverage(), servers: servers.map((s) => cpuSeconds(s.child.pid)), pg: postgresCpuSeconds(postmaster), db: await stat() };
  const load = startLoad(plan(urls, `run${n}`, senders, join(work, `run-${n}.jsonl`)));
  const summary = await load.done;
  const after = { load: loadAverage(), servers: servers.map((s) => cpuSeconds(s.child.pid)), pg: postgresCpuSeconds(postmaster), db: await stat() };
  const driverCpu = summary.driverCpu;
  const wal = Number((await schema.admin.query('SELECT pg_wal_lsn_diff($1, $2) AS d', [after.db.lsn, before.db.lsn])).rows[0].d);
  let calls;
  if (statements) {
    const r = await schema.admin.query("SELECT coalesce(sum(calls), 0) AS calls FROM public.pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat%' AND query NOT ILIKE '%pg_current_wal_lsn%'");
    calls = Number(r.rows[0].calls);
  }
  // Bytes on disk per stored message (tables and their indexes), the warm-up included.
  const sizes = (
    await schema.admin.query(
      "SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname IN ('messages', 'consent_ledger', 'sessions', 'messaging_users', 'inbound_receipts')",
    )
  ).rows;
  const stored = Number((await schema.admin.query('SELECT count(*) AS n FROM messages')).rows[0].n);
  const bytesPerMessage = Object.fromEntries(sizes.map((r) => [r.name, Math.round(Number(r.bytes) / stored)]));
  for (const s of servers) s.child.kill('SIGTERM');
  await Promise.all(servers.map((s) => exited(s.child)));
  if (statements) await schema.admin.query('DROP EXTENSION IF EXISTS pg_stat_statements');
  await schema.drop();

  const messages = summary.acked;
  const secs = summary.seconds;
  const serverCpu = after.servers.reduce((a, x, i) => a + x - before.servers[i], 0);
  const pgCpu = after.pg - before.pg;
  const total = serverCpu + pgCpu + driverCpu;
  return {
    instances: n,
    messages,
    seconds: +secs.toFixed(2),
    msgPerSec: Math.round(messages / secs),
    loadAvg: [before.load, after.load],
    cores: { servers: +(serverCpu / secs).toFixed(2), postgres: +(pgCpu / secs).toFixed(2), driver: +(driverCpu / secs).toFixed(2) },
    share: { servers: +(serverCpu / total).toFixed(2), postgres: +(pgCpu / total).toFixed(2), driver: +(driverCpu / total).toFixed(2) },
    perMessage: {
      serverCpuMs: +((serverCpu / messages) * 1000).toFixed(3),
      postgresCpuMs: +((pgCpu / messages) * 1000).toFixed(3),
      commits: +((Number(after.db.commits) - Number(before.db.commits)) / messages).toFixed(3),
      statements: calls === undefined ? null : +(calls / messages).toFixed(2),
      walBytes: Math.round(wal / messages),
      storedBytes: bytesPerMessage,
    },
    failedAttempts: summary.failedAttempts,
  };
}

try {
  for (const n of values.instances.split(',').map(Number)) {
    const r = await measure(n);
    results.push(r);
    if (!values.json) {
      const ratio = (r.msgPerSec / results[0].msgPerSec).toFixed(2);
      process.stdout.write(
        `${n} instance(s): ${r.msgPerSec} msg/s (x${ratio} of ${results[0].instances}), ${r.messages} messages in ${r.seconds} s, load avg ${r.loadAvg[0]} -> ${r.loadAvg[1]}\n` +
          `  cores busy: servers ${r.cores.servers}, PostgreSQL ${r.cores.postgres}, load driver ${r.cores.driver}; CPU share servers ${Math.round(r.share.servers * 100)} %, PostgreSQL ${Math.round(r.share.postgres * 100)} %, driver ${Math.round(r.share.driver * 100)} %\n` +
          `  per message: server CPU ${r.perMessage.serverCpuMs} ms, PostgreSQL CPU ${r.perMessage.postgresCpuMs} ms, ${r.perMessage.commits} commits, ${r.perMessage.statements ?? 'n/a'} statements, ${r.perMessage.walBytes} WAL bytes\n` +
          `  stored per message (with indexes): ${Object.entries(r.perMessage.storedBytes).map(([k, v]) => `${k} ${v} B`).join(', ')}\n`,
      );
    }
  }
  if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
