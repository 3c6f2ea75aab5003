/**
 * What a request's logging costs (`node bench/logging.js`, after `npm run build`): CPU per
 * request of `app.inject` on a bare fastify route, with no logger (`none`), with fastify's own
 * request logging at `info` (`fastify`: two lines per request), and with Parlance's
 * (`src/server/logging.ts`) at `info` (one line when the request is answered) and at its default
 * level `warn` (no line), each writing JSON lines to a file as `parlance serve` writes them to its
 * output. In-process and without sockets, so the figures move little with the machine's
 * load. See "Server" in bench/README.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { fastifyLogOptions } from '../dist/src/server/logging.js';

const N = Number(process.argv[2] ?? 20000);
const work = mkdtempSync(join(tmpdir(), 'parlance-bench-logging-'));

async function app(kind) {
  const stream = pino.destination({ dest: join(work, `${kind}.log`), sync: false });
  const options =
    kind === 'none'
      ? { logger: false }
      : kind === 'fastify'
        ? { logger: { level: 'info', stream, redact: fastifyLogOptions({}).logger.redact } }
        : fastifyLogOptions({ stream, ...(kind === 'info' ? { level: 'info' } : {}) });
  const a = Fastify(options);
  a.post('/x', async () => ({ ok: true }));
  await a.ready();
  return a;
}

async function cpuPerRequest(a) {
  const run = async (n) => {
    for (let i = 0; i < n; i++) await a.inject({ method: 'POST', url: '/x', payload: '{"a":1}', headers: { 'content-type': 'application/json' } });
  };
  await run(2000);
  const c0 = process.cpuUsage();
  await run(N);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / N;
}

const apps = { none: await app('none'), fastify: await app('fastify'), info: await app('info'), warn: await app('warn') };
const rounds = { none: [], fastify: [], info: [], warn: [] };
for (let round = 0; round < 3; round++) for (const [k, a] of Object.entries(apps)) rounds[k].push(await cpuPerRequest(a));
const med = (xs) => [...xs].sort((x, y) => x - y)[1];
const none = med(rounds.none);
for (const [k, xs] of Object.entries(rounds)) {
  const m = med(xs);
  process.stdout.write(`${k.padEnd(8)} ${m.toFixed(1).padStart(6)} µs per request (runs ${xs.map((x) => x.toFixed(1)).join(', ')})${k === 'none' ? '' : `; logging ${(m - none).toFixed(1)} µs`}\n`);
}
for (const a of Object.values(apps)) await a.close();
rmSync(work, { recursive: true, force: true });
