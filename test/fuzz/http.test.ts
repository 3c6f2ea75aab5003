/**
 * Fuzzing the HTTP API: every route of the OpenAPI document, with bodies drawn from its request
 * schema (mostly right, sometimes wrong), path parameters that exist or not, and every key scope.
 * The server never answers 5xx; every 4xx is an RFC 9457 problem; every success matches its
 * response schema (the test server checks them). Then every HTTP case of the corpus.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, putChannel, startServer, type TestServer } from '../helpers/server.js';
import { HTTP_CASES, textComponent, type HttpCase } from './corpus.js';
import { check, collectingAsync, params, report } from './config.js';
import { fromSchema, mutate, mutation, strangeValue } from './generators.js';


interface Operation {
  readonly method: string;
  readonly path: string;
  readonly body?: object;
  readonly params: ReadonlyArray<{ in: string; name: string }>;
}

let server: TestServer;
let operations: Operation[] = [];
let resolveRef: (ref: string) => object;
const CHANNEL = 'fz-sms';

beforeAll(async () => {
  server = await startServer();
  await putChannel(server, CHANNEL, { type: 'SmsLongCode', country: 'US' });
  await putChannel(server, 'fz-web', { type: 'EmbeddedWeb' });
  const put = await server.call('PUT', '/v1/components/Fuzz_Text', textComponent('Fuzz_Text', '{!$Constants.T}'));
  expect([200, 201]).toContain(put.status);
  for (const from of ['+14155550100', '+14155550199']) expect((await server.call('POST', `/v1/channels/${CHANNEL}/inbound`, { from, text: 'hello' }, { key: 'service' })).status).toBe(200);
  const doc = server.app.swagger() as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: object }> }; parameters?: Array<{ in: string; name: string }> }>>; components: { schemas: Record<string, object> } };
  resolveRef = (ref) => doc.components.schemas[ref.replace('#/components/schemas/', '')] ?? {};
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const body = op.requestBody?.content?.['application/json']?.schema;
      operations.push({ method: method.toUpperCase(), path, ...(body !== undefined ? { body } : {}), params: op.parameters ?? [] });
    }
  }
  operations = operations.filter((o) => o.path.startsWith('/v1/'));
});

afterAll(async () => {
  await server?.close();
});

const STATUSES = new Set<number>();

/** Checks the invariants of any answer; returns the parsed body. */
function checkAnswer(res: { statusCode: number; headers: Record<string, unknown>; body: string }, what: unknown): unknown {
  check(res.statusCode < 500, `answered ${res.statusCode} ${res.body.slice(0, 300)}`, what);
  STATUSES.add(res.statusCode);
  let body: unknown;
  try {
    body = res.body === '' ? undefined : JSON.parse(res.body);
  } catch {
    check(false, `a body that is not JSON (${res.statusCode}): ${res.body.slice(0, 200)}`, what);
  }
  const type = String(res.headers['content-type'] ?? '');
  if (res.statusCode >= 400) {
    const p = body as { status?: unknown; title?: unknown; type?: unknown };
    check(type.includes('application/problem+json'), `a ${res.statusCode} that is not a problem (${type})`, what);
    check(p?.status === res.statusCode && typeof p.title === 'string' && typeof p.type === 'string', `a malformed problem ${res.body.slice(0, 200)}`, what);
  } else if (res.body !== '') {
    check(type.includes('application/json'), `a ${res.statusCode} that is not JSON (${type})`, what);
  }
  return body;
}

/** Values for path and query parameters: existing ids, missing ones, and junk. */
const paramValue = (name: string): fc.Arbitrary<string> => {
  const known: Record<string, string[]> = {
    id: [CHANNEL, 'fz-web', '1', '2', 'nope'],
    name: ['Fuzz_Text', 'Fuzz_Missing'],
    platformKey: ['+14155550100', '+14155550199', '+14155550142', '4155550100'],
    object: ['Contact', 'Lead', 'Nope__c'],
    limit: ['1', '1000', '0', '1001'],
    version: ['1', '2', '999999999'],
    channelId: [CHANNEL, 'nope'],
  };
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...(known[name] ?? ['x'])) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s)) },
    { weight: 1, arbitrary: fc.constantFrom('%00', '..%2F..', '9'.repeat(25), '-1', '%F0%9F%98%80', 'a'.repeat(300), '__proto__', 'constructor') },
  );
};

type Json = Parameters<typeof mutate>[0];

/** A good body for each route with one: the random bodies are mutations of these, or drawn from the schema. */
const SEED_BODIES: Record<string, Json> = {
  'POST /v1/formulas/evaluate': { formula: 'a + 1', fields: { a: 'Number' }, record: { a: '2' } },
  'POST /v1/templates/render': { template: 'Hi {!$Constants.Name}', constants: { Name: 'Ada' } },
  'POST /v1/components/validate': textComponent('Fuzz_Text', '{!$Constants.T}') as Json,
  'PUT /v1/components/{name}': textComponent('Fuzz_Text', '{!$Constants.T}') as Json,
  'POST /v1/components/{name}/render': { channel: 'EmbeddedWeb', now: '2026-11-21T10:00:00Z' },
  'POST /v1/render': { channel: 'EmbeddedWeb', component: textComponent('Fuzz_Inline', '{!UPPER($Constants.T)}') as Json },
  'PUT /v1/channels/{id}': { type: 'SmsLongCode', country: 'US' },
  'POST /v1/channels/{id}/inbound': { from: '+14155550100', text: 'STOP' },
  'PUT /v1/linking-rules/{id}': { channelId: CHANNEL, object: 'Contact', name: 'By mobile', mode: 'auto', active: true, conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }] },
  'POST /v1/channels/{id}/users/{platformKey}/link': {},
  'POST /v1/outbound/check': { channelId: CHANNEL, platformKey: '+14155550100', repId: 'rep-1', content: { kind: 'freeform', text: 'Hello' } },
  'POST /v1/outbound/send': { channelId: CHANNEL, platformKey: '+14155550199', repId: 'rep-1', content: { kind: 'freeform', text: 'Hello' }, consentAttested: true },
  'POST /v1/sessions/{id}/accept': { agentId: 'rep-1' },
  'POST /v1/sessions/{id}/inactive': { repId: 'rep-1' },
  'POST /v1/sessions/{id}/end': {},
  'POST /v1/sessions/{id}/transfer': { repId: 'rep-1', target: 'rep-2' },
  'PUT /v1/channels/{id}/users/{platformKey}': { name: 'Ada', attributes: { email: 'ada@example.com' } },
  'POST /v1/channels/{id}/users:import': [{ platformKey: '+14155550142', consentStatus: 'OptedOut' }],
  'PUT /v1/objects/{object}/records/{id}': { FirstName: 'Ada', LastName: 'Lovelace', MobilePhone: '+14155550100' },
  'POST /v1/objects/{object}/records:import': [{ Id: '003000000000001AAA', LastName: 'Byron' }],
};

function body(op: Operation): fc.Arbitrary<Json | undefined> {
  const seed = SEED_BODIES[`${op.method} ${op.path}`];
  if (op.body === undefined) return fc.option(strangeValue, { nil: undefined, freq: 4 });
  const drawn = fromSchema(op.body, (ref) => resolveRef(ref));
  if (seed === undefined) return drawn;
  return fc.oneof({ weight: 1, arbitrary: drawn }, { weight: 2, arbitrary: fc.array(mutation, { maxLength: 2 }).map((m) => mutate(seed, m)) });
}

const request = fc.nat().chain((i) => {
  const op = operations[i % operations.length] as Operation;
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  return fc.record({
    op: fc.constant(op),
    path: fc.tuple(...pathParams.map((p) => paramValue(p.name))).map((values) => pathParams.reduce((path, p, k) => path.replace(`{${p.name}}`, values[k] as string), op.path)),
    query: fc.array(fc.tuple(fc.constantFrom(...queryParams.map((p) => p.name), 'extra'), fc.oneof(...queryParams.map((p) => paramValue(p.name)), fc.constant('x'))), { maxLength: 2 }),
    body: body(op),
    key: fc.constantFrom<keyof typeof KEYS | null>('admin', 'admin', 'admin', 'service', 'service', 'preview', null),
  });
});

describe('HTTP fuzzing', () => {
  afterAll(() => report('http'));

  it('every route answers random requests without a 5xx, with problems for every 4xx', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        request,
        collectingAsync(async (r) => {
          const query = r.query.length === 0 ? '' : `?${r.query.map(([k, v]) => `${k}=${v}`).join('&')}`;
          const payload = r.body === undefined ? undefined : JSON.stringify(r.body);
          const res = await server.app.inject({
            method: r.op.method as 'GET',
            url: r.path + query,
            headers: { ...(r.key !== null ? { authorization: `Bearer ${KEYS[r.key]}` } : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
            ...(payload !== undefined ? { payload } : {}),
          });
          checkAnswer(res, { method: r.op.method, url: r.path + query, key: r.key, body: r.body });
          const route = `${r.op.method} ${r.op.path}`;
          if (res.statusCode < 400) seen.set(route, (seen.get(route) ?? 0) + 1);
        }),
      ),
      params(3000),
    );
    // Every route was reached by at least one accepted request: the bodies are not all refused.
    const never = operations.map((o) => `${o.method} ${o.path}`).filter((route) => !seen.has(route));
    expect(never.length, `routes no request got through: ${never.join(', ')}`).toBeLessThan(operations.length / 3);
  });
});

describe('HTTP corpus', () => {
  const send = (c: HttpCase) => {
    const headers: Record<string, string> = { ...(c.scope !== undefined ? { authorization: `Bearer ${KEYS[c.scope]}` } : {}) };
    if (c.body !== undefined && c.contentType !== '') headers['content-type'] = c.contentType ?? 'application/json';
    return server.app.inject({ method: c.method, url: c.path.replace('{channel}', CHANNEL), headers, ...(c.body !== undefined ? { payload: c.body.replaceAll('{channel}', CHANNEL) } : {}) });
  };
  for (const c of HTTP_CASES) {
    it(c.name, async () => {
      const res = await send(c);
      const body = checkAnswer(res, c.name) as { detail?: string; errors?: unknown; items?: Array<{ id?: unknown; ok: boolean; value?: unknown }> };
      expect(c.status, `status ${res.statusCode}: ${res.body.slice(0, 300)}`).toContain(res.statusCode);
      if (c.mentions !== undefined && res.statusCode >= 400) expect(`${body.detail ?? ''} ${JSON.stringify(body.errors ?? [])}`).toContain(c.mentions);
      if (c.sender !== undefined) {
        const user = await server.call('GET', `/v1/channels/${CHANNEL}/users/${encodeURIComponent(c.sender)}`);
        if (res.statusCode >= 400) expect(user.status, 'a refused message stored nothing').toBe(404);
        else expect(user.status, 'an accepted message is stored').toBe(200);
      }
      // A batch answers every item; a good item is never lost because of a bad one.
      if (res.statusCode === 200 && Array.isArray(body.items)) {
        for (const item of body.items) check(typeof item.ok === 'boolean', 'a batch item without ok', item);
        const good = body.items.find((item) => item.id === 'good');
        if (good !== undefined) expect(good).toMatchObject({ ok: true, value: '2' });
      }
    });
  }
});
