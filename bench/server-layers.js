/**
 * What each layer of Parlance's HTTP stack adds to a render request (`node bench/server-layers.js
 * [N]`, after `npm run build`): CPU per `app.inject` request, in one process, rounds alternating,
 * of fastify apps that each add one layer to the one before, all answering the render response's
 * JSON value to the render request's body, with `parlance serve`'s default logging (`warn`):
 *
 * - `bareJson`: fastify with the logging only (bench/server.js's bare-json route);
 * - `+options`: the server's fastify options (request ids from UUIDs, body limit, router options);
 * - `+parser`: Parlance's JSON body parser (src/server/body.ts: depth, keys, text checks);
 * - `+hooks`: the API key check and the parameter text check, in one `onRequest` hook (src/server/app.ts);
 * - `+schemas`: the route's path and body schemas (ajv) under `/v1/components/:name/render`;
 * - `+render`: the route renders the component (compiled once), with a request budget;
 * - `parlance`: the real server's render route (the renderer, the component lookup, the route handler).
 *
 * See bench/README.md "Server".
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { buildServer } from '../dist/src/server/app.js';
import { fastifyLogOptions } from '../dist/src/server/logging.js';
import { KeyRing, parseKeys } from '../dist/src/server/auth.js';
import { parameterTextProblem, registerJsonParser } from '../dist/src/server/body.js';
import { DEFAULT_LIMITS, requestBudget } from '../dist/src/server/context.js';
import { compileComponent } from '../dist/src/render/render.js';
import { definition, loadHttpSchemas, ref } from '../dist/src/server/schemas.js';
import { openDatabase } from '../dist/src/store/database.js';
import { migrate } from '../dist/src/store/migrations.js';
import { RENDER_REQUEST } from './fixtures.js';

const N = Number(process.argv[2] ?? 500);
const ROUNDS = 30;
const work = mkdtempSync(join(tmpdir(), 'parlance-bench-layers-'));
const KEY = 'bench_layers_key_0123456789abcdef';
const AUTH = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const logger = { stream: pino.destination({ dest: join(work, 'server.log'), sync: false }) };
const keys = new KeyRing(parseKeys(`bench admin,service ${KEY}`, 'bench'));
const RENDER_BODY = JSON.stringify(RENDER_REQUEST);

const db = await openDatabase(join(work, 'db'));
await migrate(db);
const parlance = await buildServer({ db, keys, logger });
const component = JSON.parse(readFileSync(new URL('../examples/components/pick-location.json', import.meta.url), 'utf8'));
delete component.$schema;
if ((await parlance.inject({ method: 'PUT', url: '/v1/components/Pick_Location', headers: AUTH, payload: component })).statusCode !== 200) throw new Error('storing the component failed');
const rendered = await parlance.inject({ method: 'POST', url: '/v1/components/Pick_Location/render', headers: AUTH, payload: RENDER_BODY });
const VALUE = JSON.parse(rendered.body);

const LEVELS = ['bareJson', '+options', '+parser', '+hooks', '+schemas', '+render'];
async function layered(level) {
  const at = (name) => LEVELS.indexOf(level) >= LEVELS.indexOf(name);
  const app = Fastify({
    ...fastifyLogOptions(logger),
    ...(at('+options') ? { bodyLimit: DEFAULT_LIMITS.bodyLimit, requestIdHeader: 'x-request-id', genReqId: () => randomUUID(), return503OnClosing: true, routerOptions: { maxParamLength: 512 }, forceCloseConnections: 'idle' } : {}),
  });
  if (at('+parser')) registerJsonParser(app, DEFAULT_LIMITS.maxJsonDepth);
  if (at('+hooks')) {
    // As src/server/app.ts has them: one onRequest hook, the key check then the parameter text check.
    app.addHook('onRequest', (request, _reply, done) => {
      const header = request.headers.authorization;
      const key = typeof header === 'string' ? keys.find(header.slice(7).trim()) : undefined;
      done(key === undefined ? new Error('unauthorized') : parameterTextProblem(request));
    });
  }
  if (at('+schemas')) {
    const schemas = loadHttpSchemas();
    for (const doc of schemas.documents.values()) app.addSchema(doc);
    app.setValidatorCompiler(({ schema }) => schemas.validator(schema));
    app.setSerializerCompiler(() => (data) => JSON.stringify(data));
    const compiled = compileComponent(component);
    const handler = at('+render') ? (request) => compiled.render(request.body, { budget: requestBudget(DEFAULT_LIMITS) }).result : (request) => (request.params.name === 'Pick_Location' ? VALUE : undefined);
    app.post('/v1/components/:name/render', { schema: { params: definition(schemas, 'parameters', 'componentPath'), body: ref('render-request') } }, handler);
  } else app.post('/v1/components/:name/render', (request) => (request.params.name === 'Pick_Location' ? VALUE : undefined));
  await app.ready();
  return app;
}

const apps = {};
for (const level of LEVELS) apps[level] = await layered(level);
apps.parlance = parlance;

async function cpuPerRequest(app, n) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const r = await app.inject({ method: 'POST', url: '/v1/components/Pick_Location/render', payload: RENDER_BODY, headers: AUTH });
    if (r.statusCode !== 200) throw new Error(`answered ${r.statusCode}: ${r.body}`);
  }
  const used = process.cpuUsage(c0);
  return (used.user + used.system) / n;
}

for (const app of Object.values(apps)) await cpuPerRequest(app, 1000);
const rounds = Object.fromEntries(Object.keys(apps).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) for (const [k, app] of Object.entries(apps)) rounds[k].push(await cpuPerRequest(app, N));
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
let previous;
for (const [k, xs] of Object.entries(rounds)) {
  const m = median(xs);
  process.stdout.write(`${k.padEnd(10)} ${m.toFixed(1).padStart(6)} µs per request${previous === undefined ? '' : ` (${m - previous >= 0 ? '+' : ''}${(m - previous).toFixed(1)} µs)`}\n`);
  previous = m;
}
if (process.env.LAYERS_PROFILE !== undefined) {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  for (const k of ['+schemas', '+render']) {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 50 });
    await session.post('Profiler.start');
    await cpuPerRequest(apps[k], 5000);
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${process.env.LAYERS_PROFILE}/${k.slice(1)}.cpuprofile`, JSON.stringify(profile));
  }
}
for (const app of Object.values(apps)) await app.close();
rmSync(work, { recursive: true, force: true });
