/**
 * The server's own work per request, without sockets (`node bench/server-inject.js [N] [--before
 * DIR] [--profile DIR]`, after `npm run build`): CPU per request of `app.inject` for the bare route
 * (the render response's bytes, as bench/server-target.js answers them), the render route and
 * `/v1/formulas/evaluate`, in one process, `parlance serve`'s default logging (`warn`) to a file,
 * the embedded store in a temporary directory. Rounds of N requests (default 500) alternate the
 * routes; the medians of 30 rounds are printed, with each route minus the bare route: what Parlance adds per request. The
 * socket and HTTP parsing work that bench/server.js also counts is the same for every route and is
 * not here, so the differences, not the ratios, are what this measures (bench/README.md "Server").
 *
 * `--before DIR`: also the routes of another build, side by side in the same rounds: DIR is a
 * copy of its `dist/` placed in a directory of this package (so that it finds node_modules), with
 * a copy of package.json and schemas/ beside it, e.g. `.bench-base/{dist,schemas,package.json}`.
 */
import { Buffer } from 'node:buffer';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import pino from 'pino';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { fastifyLogOptions } from '../dist/src/server/logging.js';
import { RENDER_REQUEST } from './fixtures.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { profile: { type: 'string' }, before: { type: 'string' } } });
const N = Number(positionals[0] ?? 500);
const ROUNDS = 30;
const work = mkdtempSync(join(tmpdir(), 'parlance-bench-inject-'));
const KEY = 'bench_inject_key_0123456789abcdef';
const AUTH = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const logger = { stream: pino.destination({ dest: join(work, 'server.log'), sync: false }) };

const component = JSON.parse(readFileSync(new URL('../examples/components/pick-location.json', import.meta.url), 'utf8'));
delete component.$schema;

/** A server of the build in `dist` (a dist/ directory), on its own embedded store, with the component stored. */
async function server(dist, name) {
  const load = (m) => import(pathToFileURL(resolve(dist, 'src', m)).href);
  const [{ buildServer }, { KeyRing, parseKeys }, { openDatabase }, { migrate }] = await Promise.all([load('server/app.js'), load('server/auth.js'), load('store/database.js'), load('store/migrations.js')]);
  const db = await openDatabase(join(work, `db-${name}`));
  await migrate(db);
  const app = await buildServer({ db, keys: new KeyRing(parseKeys(`bench admin,service ${KEY}`, 'bench')), logger });
  if ((await app.inject({ method: 'PUT', url: '/v1/components/Pick_Location', headers: AUTH, payload: component })).statusCode !== 200) throw new Error('storing the component failed');
  return app;
}
const app = await server(new URL('../dist', import.meta.url).pathname, 'after');
const before = values.before === undefined ? undefined : await server(values.before, 'before');

const RENDER_BODY = JSON.stringify(RENDER_REQUEST);
const EVALUATE_BODY = JSON.stringify({
  formula: 'IF(Amount > 1000 && NOT(ISBLANK(Email)), "VIP " & UPPER(LEFT(Name, 1)) & MID(Name, 2, 50) & ": " & TEXT(ROUND(Amount * (1 + TaxRate), 2)) & " due " & TEXT(DueDate + 30), "Standard")',
  fields: { Amount: 'Currency', TaxRate: 'Percent', Email: 'Text', Name: 'Text', DueDate: 'Date' },
  record: { Amount: 5000, TaxRate: 8.25, Email: 'ada@example.com', Name: 'ada', DueDate: '2026-11-21' },
});
const render = await app.inject({ method: 'POST', url: '/v1/components/Pick_Location/render', headers: AUTH, payload: RENDER_BODY });
if (render.statusCode !== 200) throw new Error(`the render answered ${render.statusCode}: ${render.body}`);
const RENDER_RESPONSE = Buffer.from(render.rawPayload);

const bare = Fastify(fastifyLogOptions(logger));
bare.post('/bare', (_request, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8').send(RENDER_RESPONSE);
});
await bare.ready();

const CASES = {
  bare: { app: bare, url: '/bare', body: RENDER_BODY, headers: { 'content-type': 'application/json' } },
  render: { app, url: '/v1/components/Pick_Location/render', body: RENDER_BODY, headers: AUTH },
  evaluate: { app, url: '/v1/formulas/evaluate', body: EVALUATE_BODY, headers: AUTH },
  ...(before !== undefined
    ? {
        'render (before)': { app: before, url: '/v1/components/Pick_Location/render', body: RENDER_BODY, headers: AUTH },
        'evaluate (before)': { app: before, url: '/v1/formulas/evaluate', body: EVALUATE_BODY, headers: AUTH },
      }
    : {}),
};

async function cpuPerRequest(c, n) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const r = await c.app.inject({ method: 'POST', url: c.url, payload: c.body, headers: c.headers });
    if (r.statusCode !== 200) throw new Error(`${c.url} answered ${r.statusCode}: ${r.body}`);
  }
  const used = process.cpuUsage(c0);
  return (used.user + used.system) / n;
}

for (const c of Object.values(CASES)) await cpuPerRequest(c, 1000);
const rounds = Object.fromEntries(Object.keys(CASES).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) for (const [k, c] of Object.entries(CASES)) rounds[k].push(await cpuPerRequest(c, N));
const quartile = (xs, q) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length * q) / 4)];
const median = (xs) => quartile(xs, 2);
const bareMedian = median(rounds.bare);
for (const [k, xs] of Object.entries(rounds)) {
  const m = median(xs);
  process.stdout.write(`${k.padEnd(18)} ${m.toFixed(1).padStart(6)} µs per request (quartiles ${quartile(xs, 1).toFixed(1)}–${quartile(xs, 3).toFixed(1)})${k === 'bare' ? '' : `; bare + ${(m - bareMedian).toFixed(1)} µs`}\n`);
}

if (values.profile !== undefined) {
  mkdirSync(values.profile, { recursive: true });
  for (const [k, c] of Object.entries(CASES)) {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    await cpuPerRequest(c, N * 10);
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(join(values.profile, `${k}.cpuprofile`), JSON.stringify(profile));
  }
  process.stdout.write(`profiles in ${values.profile}\n`);
}

await app.close();
await before?.close();
await bare.close();
rmSync(work, { recursive: true, force: true });
