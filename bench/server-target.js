/**
 * The server process of `npm run bench:server` (bench/server.js forks it; not run on its own).
 *
 * It starts, in this one process, Parlance as `parlance serve` runs it by default — `buildServer`
 * on the embedded store (PGlite, durable commits) with the default logger options of
 * `parlance serve` (`loggerOptions(defaultLogLevel(false), 'json')`: `warn`, JSON lines on
 * stdout, which the parent points at a file) — and a bare fastify server with the same logging (`fastifyLogOptions`, the same
 * fastify and pino options and the same one line per request), whose routes answer the render
 * response with no auth, no validation and no work: `/bare` sends its precomputed bytes,
 * `/bare-json` returns the same JSON value, which fastify serializes.
 *
 * The parent talks to it over IPC: it sends `{ ready: {...} }` once listening, then answers
 * `count` (messages stored), `profile-start`, `profile-stop` and `close`.
 */
import { Buffer } from 'node:buffer';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import Fastify from 'fastify';
import { buildServer } from '../dist/src/server/app.js';
import { fastifyLogOptions } from '../dist/src/server/logging.js';
import { KeyRing, parseKeys } from '../dist/src/server/auth.js';
import { defaultLogLevel, loggerOptions } from '../dist/src/cli/serve-start.js';
import { openDatabase } from '../dist/src/store/database.js';
import { migrate } from '../dist/src/store/migrations.js';
import { RENDER_REQUEST } from './fixtures.js';

const [work, KEY, CHANNEL, EVALUATE_BODY] = process.argv.slice(2);
const AUTH = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

const db = await openDatabase(join(work, 'db'));
await migrate(db);
const logger = await loggerOptions(defaultLogLevel(false), 'json');
const app = await buildServer({ db, keys: new KeyRing(parseKeys(`bench admin,service ${KEY}`, 'bench')), logger });

const component = JSON.parse(readFileSync(new URL('../examples/components/pick-location.json', import.meta.url), 'utf8'));
delete component.$schema;
const stored = await app.inject({ method: 'PUT', url: '/v1/components/Pick_Location', headers: AUTH, payload: component });
if (stored.statusCode !== 200) throw new Error(`storing the component answered ${stored.statusCode}: ${stored.body}`);
const channel = await app.inject({ method: 'PUT', url: `/v1/channels/${CHANNEL}`, headers: AUTH, payload: { type: 'SmsLongCode' } });
if (channel.statusCode !== 201) throw new Error(`creating the channel answered ${channel.statusCode}: ${channel.body}`);

const RENDER_BODY = JSON.stringify(RENDER_REQUEST);
const render = await app.inject({ method: 'POST', url: '/v1/components/Pick_Location/render', headers: AUTH, payload: RENDER_BODY });
if (render.statusCode !== 200) throw new Error(`the render answered ${render.statusCode}: ${render.body}`);
if (JSON.parse(render.body).format !== 'QuickReplies') throw new Error(`expected a Quick Replies render, got ${render.body.slice(0, 200)}`);
const evaluated = await app.inject({ method: 'POST', url: '/v1/formulas/evaluate', headers: AUTH, payload: EVALUATE_BODY });
if (evaluated.statusCode !== 200 || JSON.parse(evaluated.body).ok !== true) throw new Error(`the evaluation answered ${evaluated.statusCode}: ${evaluated.body}`);
const probe = await app.inject({ method: 'POST', url: `/v1/channels/${CHANNEL}/inbound`, headers: AUTH, payload: { from: '+14155552671', text: 'Hi, where is my order?' } });
if (probe.statusCode !== 200 || JSON.parse(probe.body).messagingUser?.created !== true) throw new Error(`the inbound message answered ${probe.statusCode}: ${probe.body}`);

// The bare baselines, with the logging `parlance serve` has by default.
const RENDER_RESPONSE = Buffer.from(render.rawPayload);
const RENDER_VALUE = JSON.parse(render.body);
const bare = Fastify(fastifyLogOptions(logger));
bare.post('/bare', (_request, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8').send(RENDER_RESPONSE);
});
bare.post('/bare-json', async () => RENDER_VALUE);

const parlanceUrl = await app.listen({ port: 0, host: '127.0.0.1' });
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

let session;
process.on('message', async (m) => {
  if (m.cmd === 'count') {
    process.send({ count: Number((await db.query('SELECT count(*)::int AS n FROM messages')).rows[0].n) });
  } else if (m.cmd === 'profile-start') {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    process.send({ profiling: true });
  } else if (m.cmd === 'profile-stop') {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    mkdirSync(m.dir, { recursive: true });
    const file = join(m.dir, `${m.name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    process.send({ profile: file });
  } else if (m.cmd === 'close') {
    await app.close();
    await bare.close();
    process.send({ closed: true });
    process.disconnect();
  }
});
process.send({ ready: { parlanceUrl, bareUrl, renderBody: RENDER_BODY, responseBytes: RENDER_RESPONSE.length, tid: process.pid } });
