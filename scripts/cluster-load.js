/**
 * The load driver of the cluster test (scripts/cluster-test.js) and the cluster benchmark
 * (bench/cluster.js), run as a process of its own (`child_process.fork`): inbound messages from
 * many senders, spread round-robin over the server instances; a request that fails (connection
 * refused or reset, a 5xx, a timeout) is retried on the next instance with the same body, the
 * same `messageId` included, so the retry is idempotent.
 *
 * Its parent sends it, over IPC:
 *   { type: 'start', plan }          what to send (see below)
 *   { type: 'instances', urls }      the instances to use from now on (after a restart)
 *   { type: 'open', gate }           go on past gate number `gate` (see `gates` below)
 * It sends its parent { type: 'progress', acked, failedAttempts } after every `progressEvery`
 * acknowledgements, and at the end { type: 'done', file, summary }, having written one JSON
 * line per acknowledged message to `file`: { id, from, text, status, changes, session, replayed }.
 * The summary has the driver's own CPU time (`driverCpu`, seconds) for the benchmark.
 *
 * plan: { channelId, key, senders, perSender, concurrency, firstNumber, runTag, concurrentEvery,
 *         texts, urls, file, progressEvery, maxAttempts, requestTimeoutMs }
 * Each sender sends `perSender` messages, one after another; every `concurrentEvery`-th sender
 * sends its messages two at a time (concurrent messages for one sender). `concurrency` senders
 * are in flight at once. Every `redeliverEvery`-th acknowledged message is sent again, to the next
 * instance (a platform's redelivery): the answer must be the first one, replayed. Texts are picked from `texts` by a seeded generator (deterministic).
 * `gates` (optional): acknowledgement counts at which the driver starts no new message until its
 * parent opens the gate (messages in flight go on): a state the parent can act in (restart a
 * killed instance) before the rest of the load, which then reaches every instance.
 */
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

let urls = [];
let next = 0;
/** Gates still closed (see `plan.gates`), and what resolves when each opens. */
const gates = new Map();
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

process.on('message', (m) => {
  if (m.type === 'instances') urls = m.urls;
  if (m.type === 'open') gates.get(m.gate)?.open();
  if (m.type === 'start') {
    urls = m.plan.urls;
    run(m.plan).then(
      (done) => process.send(done, () => process.exit(0)),
      (e) => {
        process.stderr.write(`cluster-load: ${e.stack ?? e}\n`);
        process.exit(1);
      },
    );
  }
});

/** One POST; resolves { status, json, replayed } or rejects on a network error or timeout. */
function post(url, path, key, body, timeoutMs) {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url);
    const data = JSON.stringify(body);
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          let json;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, json, replayed: res.headers['idempotent-replayed'] === 'true' });
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(data);
  });
}

/** JSON with sorted keys: equal for equal values, whatever their key order. */
function canon(v) {
  return JSON.stringify(v, (_k, x) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

/** A small deterministic generator (the same plan sends the same texts). */
function lcg(seed) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    return x / 4_294_967_296;
  };
}

async function run(plan) {
  const acked = [];
  const stats = { attempts: 0, failedAttempts: 0, retriedMessages: 0, replayed: 0, redelivered: 0, statuses: {} };
  const random = lcg(plan.seed ?? 1);
  (plan.gates ?? []).forEach((at, gate) => {
    let open;
    const opened = new Promise((resolve) => (open = resolve));
    gates.set(gate, { at, opened, open: () => (gates.delete(gate), open()) });
  });
  /** Waits while a closed gate has been reached. */
  async function pass() {
    for (let g = [...gates.values()].find((x) => acked.length >= x.at); g !== undefined; g = [...gates.values()].find((x) => acked.length >= x.at)) await g.opened;
  }
  const senders = Array.from({ length: plan.senders }, (_, s) => {
    const from = `+${plan.firstNumber + s}`;
    const msgs = Array.from({ length: plan.perSender }, (_, i) => ({ id: `${plan.runTag}-${s}-${i}`, from, text: plan.texts[Math.floor(random() * plan.texts.length)] }));
    return { msgs, concurrent: plan.concurrentEvery > 0 && s % plan.concurrentEvery === 0 };
  });

  /** Sends one message until an instance acknowledges it (bounded). */
  async function send(m) {
    const body = { from: m.from, text: m.text, messageId: m.id };
    await pass();
    for (let attempt = 1; ; attempt++) {
      const url = urls[next++ % urls.length];
      stats.attempts++;
      let failure;
      try {
        const r = await post(url, `/v1/channels/${plan.channelId}/inbound`, plan.key, body, plan.requestTimeoutMs);
        stats.statuses[r.status] = (stats.statuses[r.status] ?? 0) + 1;
        if (r.status === 200) {
          if (attempt > 1) stats.retriedMessages++;
          if (r.replayed) stats.replayed++;
          acked.push({ id: m.id, from: m.from, text: m.text, status: r.json.messagingUser.consentStatus, changes: r.json.consentChanges, session: r.json.session.id, replayed: r.replayed });
          if (acked.length % plan.progressEvery === 0) process.send({ type: 'progress', acked: acked.length, failedAttempts: stats.failedAttempts });
          if (plan.redeliverEvery > 0 && acked.length % plan.redeliverEvery === 0) await redeliver(m, body, r.json);
          return;
        }
        // 4xx other than 429 won't get better on another instance: a bug, reported.
        if (r.status < 500 && r.status !== 429) throw new Error(`${m.id}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
        failure = `HTTP ${r.status}`;
      } catch (e) {
        if (e.message.startsWith(`${m.id}: HTTP`)) throw e;
        failure = e.message;
      }
      stats.failedAttempts++;
      if (attempt >= plan.maxAttempts) throw new Error(`${m.id}: not acknowledged after ${attempt} attempts (last: ${failure})`);
      // Another instance at once; after a round over all of them, a short pause (capped).
      if (attempt % urls.length === 0) await sleep(Math.min(1000, 25 * attempt));
    }
  }

  /** The platform delivers the message again, to another instance: the same answer, replayed, nothing applied. */
  async function redeliver(m, body, first) {
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await post(urls[next++ % urls.length], `/v1/channels/${plan.channelId}/inbound`, plan.key, body, plan.requestTimeoutMs);
        if (r.status === 200) {
          if (!r.replayed || canon(r.json) !== canon(first)) throw new Error(`${m.id}: a redelivery was not the first answer replayed: ${JSON.stringify(r.json)} (replayed ${r.replayed}) vs ${JSON.stringify(first)}`);
          stats.redelivered++;
          return;
        }
        if (r.status < 500) throw new Error(`${m.id}: a redelivery got HTTP ${r.status} ${JSON.stringify(r.json)}`);
      } catch (e) {
        if (e.message.startsWith(`${m.id}: `) || attempt >= plan.maxAttempts) throw e;
      }
      if (attempt % urls.length === 0) await sleep(Math.min(1000, 25 * attempt));
    }
  }

  let nextSender = 0;
  async function worker() {
    while (nextSender < senders.length) {
      const s = senders[nextSender++];
      if (s.concurrent) {
        for (let i = 0; i < s.msgs.length; i += 2) await Promise.all(s.msgs.slice(i, i + 2).map(send));
      } else {
        for (const m of s.msgs) await send(m);
      }
    }
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const driverCpu = (used.user + used.system) / 1e6;
  writeFileSync(plan.file, acked.map((a) => JSON.stringify(a)).join('\n') + '\n');
  agent.destroy();
  return { type: 'done', file: plan.file, summary: { acked: acked.length, seconds, driverCpu, ...stats } };
}
