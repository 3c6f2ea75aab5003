/**
 * Load driver for the crash test (scripts/crash-test.js), run as its own process so that it
 * survives the server being killed: sends inbound opt-outs ("STOP") from distinct phone numbers,
 * with a fixed number of requests in flight, and appends every ACKNOWLEDGED opt-out (HTTP 200
 * whose body says consentStatus OptedOut) to a file, one number per line, as soon as the answer
 * arrives. Everything else (connection errors once the server is dead, other statuses, other
 * bodies) is counted as unacknowledged.
 *
 *   node scripts/crash-load.js --url http://127.0.0.1:PORT --channel ID --acks FILE --first N
 *     [--concurrency 32]
 *
 * The API key is read from PARLANCE_CRASH_KEY. Numbers are +1 followed by the ten digits of
 * N, N+1, … (each checked with libphonenumber-js; invalid ones are skipped). The driver runs
 * until SIGTERM or SIGINT, lets the requests in flight finish, prints a JSON summary on stdout
 * and exits 0.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    channel: { type: 'string' },
    acks: { type: 'string' },
    first: { type: 'string' },
    concurrency: { type: 'string', default: '32' },
  },
});
if (values.url === undefined || values.channel === undefined || values.acks === undefined || values.first === undefined) {
  process.stderr.write('usage: crash-load.js --url URL --channel ID --acks FILE --first N [--concurrency 32]\n');
  process.exit(2);
}
const key = process.env.PARLANCE_CRASH_KEY;
if (key === undefined || key === '') {
  process.stderr.write('crash-load: set PARLANCE_CRASH_KEY\n');
  process.exit(2);
}

const base = new URL(values.url);
const path = `/v1/channels/${encodeURIComponent(values.channel)}/inbound`;
const concurrency = Number(values.concurrency);
const ackFile = values.acks;
writeFileSync(ackFile, '');

let next = Number(values.first);
let stopping = false;
const stats = { sent: 0, acknowledged: 0, skippedInvalid: 0, connectionErrors: 0, otherStatus: 0, notOptedOut: 0, errorCodes: {}, statuses: {}, firstNumber: values.first, lastNumber: null };

/** The next valid number, as E.164. */
function nextNumber() {
  for (;;) {
    const n = `+${next++}`;
    const parsed = parsePhoneNumberFromString(n);
    if (parsed !== undefined && parsed.isValid() && parsed.number === n) return n;
    stats.skippedInvalid++;
  }
}

// A few sockets, kept alive, as a real integration would; a dead server fails them fast.
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function post(body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      { host: base.hostname, port: base.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), authorization: `Bearer ${key}` } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(data);
  });
}

async function worker() {
  while (!stopping) {
    const from = nextNumber();
    stats.sent++;
    stats.lastNumber = from;
    let answer;
    try {
      answer = await post({ from, text: 'STOP' });
    } catch (e) {
      stats.connectionErrors++;
      const code = e.code ?? e.message;
      stats.errorCodes[code] = (stats.errorCodes[code] ?? 0) + 1;
      // The server is down: don't spin.
      await sleep(50);
      continue;
    }
    stats.statuses[answer.status] = (stats.statuses[answer.status] ?? 0) + 1;
    if (answer.status !== 200) {
      stats.otherStatus++;
      continue;
    }
    let body;
    try {
      body = JSON.parse(answer.body);
    } catch {
      stats.notOptedOut++;
      continue;
    }
    if (body?.messagingUser?.consentStatus !== 'OptedOut') {
      stats.notOptedOut++;
      continue;
    }
    // Acknowledged: recorded at once, before anything else happens.
    appendFileSync(ackFile, `${from}\n`);
    stats.acknowledged++;
  }
}

const stop = () => {
  stopping = true;
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

await Promise.all(Array.from({ length: concurrency }, () => worker()));
agent.destroy();
process.stdout.write(`${JSON.stringify(stats)}\n`);
