/**
 * HTTP input hygiene (issue 14, part 4): an adversarial corpus sent to every route of the
 * OpenAPI document. Each route gets a sample body that passes its schema, then the same body
 * with every field (three levels deep) replaced by each corpus value or left out, the whole body
 * replaced, hostile path and query parameters and wrong content types. Nothing may answer 5xx,
 * and every refusal is a problem+json with located errors.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startServer, type TestServer } from '../helpers/server.js';

const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** Raw JSON texts: every value is spliced into a sample body as written. */
const CORPUS: readonly string[] = [
  'null',
  'true',
  '0',
  '-1',
  '1.5',
  '-0',
  '9007199254740993',
  '1e308',
  '-1e308',
  '1e400',
  '9'.repeat(1002),
  `-${'9'.repeat(400)}`,
  '""',
  '" "',
  JSON.stringify('x'.repeat(200_000)),
  '"\\u0000"',
  '"a\\u0000b"',
  '"\\ud800"',
  JSON.stringify('😀'.repeat(500)),
  JSON.stringify('\u202e\u0301\ufeff'),
  '"0000-01-01T00:00:00Z"',
  '"+275760-09-13T00:00:00Z"',
  '"2026-02-31T10:00:00Z"',
  '"2026-11-21"',
  JSON.stringify('9'.repeat(1002)),
  JSON.stringify(`{!${'9'.repeat(1002)}}`),
  '"{!1/0}"',
  '"+14155550100"',
  '[]',
  '{}',
  '[null]',
  '[{}]',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  deep(3000),
  deepObject(3000),
  deep(40),
];

/** CSV bodies for an import whose rows are keyed by the column `key` (values from `keyOf`) with a text column `text`. */
function csvCorpus(key: string, text: string, keyOf: (i: number) => string): string[] {
  const row = (i: number, value: string): string => `${keyOf(i)},${value}`;
  const head = `${key},${text}\n`;
  return [
    '',
    '\ufeff',
    head,
    `${head}${row(1, 'a\u0000b')}\n`,
    `${head}\u0000,x\n`,
    `${head}${row(2, '"unterminated')}\n`,
    `${head}${row(3, 'x,extra,cells')}\n`,
    `${head}${row(4, '9'.repeat(1002))}\n`,
    `${head}${row(5, 'x'.repeat(200_000))}\n`,
    `${head}${row(6, '\ud800')}\n`,
    `${Array.from({ length: 2000 }, (_, i) => `c${i}`).join(',')}\n${'1,'.repeat(1999)}1\n`,
    `\ufeff${key},${text},attributes.__proto__,attributes.constructor\r\n${row(7, 'x')},y,z\r\n`,
    `"${key}\u0000",${text}\n${row(8, 'x')}\n`,
    `${head}${Array.from({ length: 10_001 }, (_, i) => row(100 + i, 'x')).join('\n')}\n`,
  ];
}

const CSV_CORPUS: Record<string, readonly string[]> = {
  '/v1/channels/{id}/users:import': csvCorpus('platformKey', 'name', (i) => `+1415${String(7000000 + i)}`),
  '/v1/objects/{object}/records:import': csvCorpus('Id', 'LastName', (i) => `003X${i}`),
};

/** Path parameter values (already URL-encoded). */
const PARAMS: readonly string[] = ['x'.repeat(5000), '%00', '..', '__proto__', 'constructor', encodeURIComponent('😀'), '%20', '-1', '99999999999999999999999', '%2B1%20415', encodeURIComponent('a/b'), '%E0%A4%A'];

const QUERIES: readonly string[] = ['-1', '0', '1e400', '99999999999999999999', 'abc', '', '1.5', '__proto__', '%00', 'a%00b', '%ED%A0%80', encodeURIComponent('😀'), 'x'.repeat(5000)];

const welcome = (): Record<string, unknown> => {
  const { $schema: _s, ...d } = JSON.parse(readFileSync(new URL('../../examples/components/welcome-terms.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  return d;
};

interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** With `{param}` placeholders, as in the OpenAPI document. */
  readonly path: string;
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  readonly key?: keyof typeof KEYS;
}

const NOW = '2026-11-21T10:00:00Z';
const META_CHANNEL =
  '<?xml version="1.0" encoding="UTF-8"?>\n<MessagingChannel xmlns="http://soap.sforce.com/2006/04/metadata">\n<countryCode>US</countryCode>\n<messagingChannelType>Text</messagingChannelType>\n</MessagingChannel>\n';
const META_COMPONENT =
  '<?xml version="1.0" encoding="UTF-8"?>\n<ConversationMessageDefinition xmlns="http://soap.sforce.com/2006/04/metadata">\n<label>Note</label>\n<messageLayouts><formatType>Text</formatType><layoutItems><collectionType>None</collectionType><name>text</name><primitiveValues><formulaTemplate>Hi</formulaTemplate><type>FormulaTemplate</type></primitiveValues></layoutItems><messageType>StaticContent</messageType></messageLayouts>\n<type>AutoResponse</type>\n</ConversationMessageDefinition>\n';
const USER = { id: 'sms', platformKey: '+14155550100' };

/** A sensitive-data rule as the seed's example has it (G:3702). */
const SSN_RULE = { name: 'SSN', pattern: '\\d{3}-\\d{2}-\\d{4}', action: 'replace', replacement: 'XXX-XX-XXXX', roles: ['Agent', 'Supervisor', 'Visitor'], priority: 1 };

/** Every route, with parameters and a body that pass its schema. */
function routes(sessionId: string): Route[] {
  const session = { id: sessionId };
  return [
    { method: 'POST', path: '/v1/formulas/evaluate', key: 'service', body: { items: [{ id: 'a', formula: 'A + 1', record: { A: 1 }, now: NOW, timezone: 'UTC' }, { formula: 'UPPER(p)', parameters: { p: 'x' } }] } },
    { method: 'POST', path: '/v1/formulas/evaluate', key: 'service', body: { formula: 'TEXT(n)', parameters: { n: 2 }, now: NOW } },
    { method: 'POST', path: '/v1/templates/render', key: 'service', body: { template: 'Hi {!Name} {!$Parameters.p}', constants: { Name: 'Ann' }, parameters: { p: 'x' }, now: NOW, timezone: 'UTC' } },
    { method: 'POST', path: '/v1/components/validate', body: welcome() },
    { method: 'GET', path: '/v1/components' },
    { method: 'PUT', path: '/v1/components/{name}', params: { name: 'Welcome_Terms' }, body: welcome() },
    { method: 'GET', path: '/v1/components/{name}', params: { name: 'Welcome_Terms' }, query: { version: '1' } },
    { method: 'DELETE', path: '/v1/components/{name}', params: { name: 'Gone' } },
    { method: 'POST', path: '/v1/components/{name}/render', key: 'service', params: { name: 'Welcome_Terms' }, body: { channel: 'EmbeddedWeb', parameters: {}, now: NOW, timezone: 'UTC', locale: 'en-US', fallback: 'text', version: 1 } },
    { method: 'POST', path: '/v1/render', key: 'service', body: { channel: 'EmbeddedWeb', component: welcome(), parameters: {}, now: NOW, timezone: 'UTC', locale: 'en-US' } },
    { method: 'PUT', path: '/v1/channels/{id}', params: { id: 'sms2' }, body: { type: 'SmsLongCode', country: 'US' } },
    { method: 'GET', path: '/v1/channels/{id}', params: { id: 'sms' } },
    { method: 'GET', path: '/v1/channels' },
    { method: 'POST', path: '/v1/channels/{id}/inbound', key: 'service', params: { id: 'sms' }, body: { from: '+14155550101', text: 'STOP', receivedAt: NOW } },
    { method: 'PUT', path: '/v1/linking-rules/{id}', params: { id: 'r1' }, body: { channelId: 'sms', object: 'Contact', name: 'by mobile', mode: 'auto', active: true, priority: 1, conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }] } },
    { method: 'GET', path: '/v1/linking-rules/{id}', params: { id: 'r1' } },
    { method: 'DELETE', path: '/v1/linking-rules/{id}', params: { id: 'r-gone' } },
    { method: 'GET', path: '/v1/linking-rules', query: { channelId: 'sms' } },
    { method: 'POST', path: '/v1/channels/{id}/users/{platformKey}/link', key: 'service', params: USER, body: { record: { object: 'Contact', id: '003A' }, agent: 'ann' } },
    { method: 'GET', path: '/v1/channels/{id}/users/{platformKey}/link', params: USER },
    { method: 'POST', path: '/v1/outbound/check', key: 'service', body: { channelId: 'sms', platformKey: '+14155550102', repId: 'rep', content: { kind: 'freeform', text: 'hi' }, consentAttested: true, automatic: false } },
    { method: 'POST', path: '/v1/outbound/send', key: 'service', body: { channelId: 'sms', platformKey: '+14155550103', repId: 'rep', content: { kind: 'component', component: 'Welcome_Terms' }, consentAttested: true } },
    { method: 'GET', path: '/v1/sessions/{id}', params: session },
    { method: 'GET', path: '/v1/channels/{id}/users/{platformKey}/sessions', params: USER, query: { limit: '10' } },
    { method: 'POST', path: '/v1/sessions/{id}/accept', key: 'service', params: session, body: { agentId: 'rep', agentType: 'Rep' } },
    { method: 'POST', path: '/v1/sessions/{id}/inactive', key: 'service', params: session, body: { repId: 'rep' } },
    { method: 'POST', path: '/v1/sessions/{id}/end', key: 'service', params: session, body: { by: 'rep' } },
    { method: 'POST', path: '/v1/sessions/{id}/transfer', key: 'service', params: session, body: { repId: 'rep', target: { kind: 'queue', id: 'q1' } } },
    { method: 'PUT', path: '/v1/channels/{id}/users/{platformKey}', params: USER, body: { consentStatus: 'OptedIn', name: 'Ann', locale: 'en_US', language: 'en_US', attributes: { tier: 'gold' } } },
    { method: 'GET', path: '/v1/channels/{id}/users/{platformKey}', params: USER },
    { method: 'GET', path: '/v1/channels/{id}/users/{platformKey}/consent-history', params: USER },
    { method: 'POST', path: '/v1/channels/{id}/users:import', params: { id: 'sms' }, body: { users: [{ platformKey: '+14155550104', consentStatus: 'OptedOut', name: 'Bo', attributes: { a: 'b' } }] } },
    { method: 'PUT', path: '/v1/objects/{object}/records/{id}', params: { object: 'Contact', id: '003A' }, body: { Id: '003A', FirstName: 'Ann', LastName: 'Lee', MobilePhone: '+14155550100', Email: 'ann@example.com', Birthdate: '1990-01-02' } },
    { method: 'GET', path: '/v1/objects/{object}/records/{id}', params: { object: 'Contact', id: '003A' } },
    { method: 'POST', path: '/v1/objects/{object}/records:import', params: { object: 'Contact' }, body: { records: [{ Id: '003B', FirstName: 'Bo', LastName: 'Ng', MobilePhone: '+14155550105' }] } },
    { method: 'POST', path: '/v1/metadata/import', body: { files: [{ name: 'Meta_Sms.messagingChannel-meta.xml', content: META_CHANNEL }], dryRun: false } },
    { method: 'POST', path: '/v1/metadata/convert', key: 'preview', body: { files: [{ name: 'Meta_Note.conversationMessageDefinition', content: META_COMPONENT }] } },
    { method: 'GET', path: '/v1/error-codes', key: 'service' },
    { method: 'GET', path: '/v1/error-codes/{code}', key: 'service', params: { code: '0004' } },
    { method: 'GET', path: '/v1/objects', key: 'preview' },
    { method: 'GET', path: '/v1/objects/{object}', key: 'preview', params: { object: 'Case' } },
    { method: 'PUT', path: '/v1/sensitive-data-rules/{channelType}', params: { channelType: 'SmsLongCode' }, body: { rules: [SSN_RULE] } },
    { method: 'GET', path: '/v1/sensitive-data-rules/{channelType}', params: { channelType: 'SmsLongCode' } },
    { method: 'GET', path: '/v1/sensitive-data-rules' },
    { method: 'DELETE', path: '/v1/sensitive-data-rules/{channelType}', params: { channelType: 'FacebookStandard' } },
    { method: 'POST', path: '/v1/sensitive-data-rules/{channelType}/test', key: 'service', params: { channelType: 'SmsLongCode' }, body: { text: 'SSN 123-45-6789', author: 'Agent', rules: [SSN_RULE] } },
    { method: 'PUT', path: '/v1/messaging-templates/{name}', params: { name: 'Case_Resolved' }, body: { message: 'Your case {!Case.CaseNumber} has been resolved.', channels: ['SMS'] } },
    { method: 'GET', path: '/v1/messaging-templates/{name}', key: 'service', params: { name: 'Case_Resolved' } },
    { method: 'GET', path: '/v1/messaging-templates', key: 'service' },
    { method: 'PUT', path: '/v1/whatsapp-templates/{name}', params: { name: 'order_shipped' }, body: { type: 'SHIPPING_UPDATE', language: 'en_US', text: 'Hi {{1}}, your order {{2}} has shipped.' } },
    { method: 'GET', path: '/v1/whatsapp-templates/{name}', key: 'service', params: { name: 'order_shipped' } },
    { method: 'GET', path: '/v1/whatsapp-templates', key: 'service' },
  ];
}

const MARK = '\u0001corpus\u0001';

/** Every path (as keys) of `body`, three levels deep. */
function paths(body: unknown, depth = 3, prefix: (string | number)[] = []): (string | number)[][] {
  if (depth === 0 || body === null || typeof body !== 'object') return [];
  const out: (string | number)[][] = [];
  for (const [k, v] of Object.entries(body)) {
    const p = [...prefix, Array.isArray(body) ? Number(k) : k];
    out.push(p, ...paths(v, depth - 1, p));
  }
  return out;
}

/** `body` with the value at `path` replaced by the raw JSON `raw` (or removed when `raw` is undefined). */
function splice(body: unknown, path: (string | number)[], raw: string | undefined): string {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (raw === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
    return JSON.stringify(copy);
  }
  node[last] = MARK;
  return JSON.stringify(copy).replace(JSON.stringify(MARK), raw);
}

function url(route: Route, params: Record<string, string> = {}, query: Record<string, string> | undefined = route.query): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? encodeURIComponent(route.params?.[name] ?? ''));
  return query === undefined ? path : `${path}?${Object.entries(query).map(([k, v]) => `${k}=${v}`).join('&')}`;
}

interface Sent {
  readonly what: string;
  readonly res: LightMyRequestResponse;
}

async function send(app: FastifyInstance, route: Route, what: string, target: string, payload?: string, contentType = 'application/json'): Promise<Sent> {
  const headers: Record<string, string> = { authorization: `Bearer ${KEYS[route.key ?? 'admin']}` };
  if (payload !== undefined && contentType !== '') headers['content-type'] = contentType;
  const res = await app.inject({ method: route.method, url: target, headers, ...(payload !== undefined ? { payload } : {}) });
  return { what: `${route.method} ${target.slice(0, 120)} ${what}`, res };
}

/** The failures among `sent`: a 5xx, or a refusal that is not a problem with located errors. */
function failures(sent: readonly Sent[]): string[] {
  const out: string[] = [];
  for (const { what, res } of sent) {
    if (res.statusCode >= 500) {
      out.push(`${what} -> ${res.statusCode} ${res.body.slice(0, 300)}`);
      continue;
    }
    if (res.statusCode < 400) continue;
    const type = String(res.headers['content-type'] ?? '');
    let body: { type?: unknown; status?: unknown; detail?: unknown; errors?: unknown } = {};
    try {
      body = JSON.parse(res.body) as typeof body;
    } catch {
      // reported below
    }
    if (!type.startsWith('application/problem+json') || body.status !== res.statusCode || typeof body.detail !== 'string' || !Array.isArray(body.errors)) {
      out.push(`${what} -> ${res.statusCode} is not a problem: ${type} ${res.body.slice(0, 300)}`);
    }
  }
  return out;
}

let server: TestServer;
let sessionId = '';

beforeAll(async () => {
  server = await startServer();
  const call = async (method: string, path: string, body: unknown, key: keyof typeof KEYS = 'admin'): Promise<Record<string, unknown>> => {
    const r = await server.call(method, path, body, { key });
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body as Record<string, unknown>;
  };
  await call('PUT', '/v1/channels/sms', { type: 'SmsLongCode', country: 'US' });
  await call('PUT', '/v1/components/Welcome_Terms', welcome());
  await call('PUT', `/v1/channels/sms/users/${encodeURIComponent(USER.platformKey)}`, { name: 'Ann' });
  await call('PUT', '/v1/objects/Contact/records/003A', { Id: '003A', FirstName: 'Ann', LastName: 'Lee', MobilePhone: '+14155550100' });
  const inbound = await call('POST', '/v1/channels/sms/inbound', { from: '+14155550106', text: 'hello' }, 'service');
  sessionId = String((inbound.session as { id: string }).id);
}, 120_000);

afterAll(async () => {
  await server.close();
});

describe('every route of the OpenAPI document is in the corpus table', () => {
  it('lists them all', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    const covered = new Set(routes('1').map((r) => `${r.method} ${r.path}`));
    expect(documented.filter((r) => !covered.has(r))).toEqual([]);
  });
});

describe('the adversarial corpus never gets a 5xx, and every refusal is a problem', () => {
  it.each(routes('0').map((r, i) => [i, `${r.method} ${r.path}`] as const))('%i: %s', async (i) => {
    const route = routes(sessionId)[i] as Route;
    const app = server.app;
    const sent: Sent[] = [];
    const target = url(route);
    if (route.body !== undefined) {
      sent.push(await send(app, route, 'sample', target, JSON.stringify(route.body)));
      for (const raw of CORPUS) sent.push(await send(app, route, `body=${raw.slice(0, 40)}`, target, raw));
      for (const path of paths(route.body)) {
        sent.push(await send(app, route, `without /${path.join('/')}`, target, splice(route.body, path, undefined)));
        for (const raw of CORPUS) sent.push(await send(app, route, `/${path.join('/')}=${raw.slice(0, 40)}`, target, splice(route.body, path, raw)));
      }
    }
    // Content types and empty bodies, on every route (a body on a GET is ignored, never a crash).
    const sample = JSON.stringify(route.body ?? {});
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/csv', 'application/json; charset=utf-16', 'application/jsonx', '']) sent.push(await send(app, route, `as ${type || 'no content type'}`, target, sample, type));
    sent.push(await send(app, route, 'empty JSON body', target, ''));
    if (route.path.endsWith(':import')) {
      for (const csv of CSV_CORPUS[route.path] ?? []) sent.push(await send(app, route, `csv ${JSON.stringify(csv.slice(0, 40))}`, target, csv, 'text/csv'));
    }
    for (const name of Object.keys(route.params ?? {})) {
      for (const value of PARAMS) sent.push(await send(app, route, `{${name}}=${value.slice(0, 30)}`, url(route, { [name]: value }), route.body !== undefined ? JSON.stringify(route.body) : undefined));
    }
    for (const name of Object.keys(route.query ?? {})) {
      for (const value of QUERIES) sent.push(await send(app, route, `?${name}=${value}`, url(route, {}, { ...route.query, [name]: value })));
      sent.push(await send(app, route, `?${name} twice`, `${url(route, {}, {})}?${name}=1&${name}=2`));
    }
    expect(failures(sent)).toEqual([]);
  }, 120_000);
});

describe('what the corpus found, answered clearly', () => {
  const post = (path: string, payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }, key: keyof typeof KEYS = 'service') =>
    server.app.inject({ method: 'POST', url: path, headers: { authorization: `Bearer ${KEYS[key]}`, ...headers }, payload });

  it('JSON nested deeper than the limit: 400 E_JSON_TOO_DEEP with the pointer where it was exceeded', async () => {
    const r = await post('/v1/templates/render', `{"template":"x","parameters":{"p":${deep(3000)}}}`);
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body).toMatchObject({ type: 'https://parlance.dev/problems/json-too-deep', errors: [{ code: 'E_JSON_TOO_DEEP' }] });
    // The body is level 1, parameters 2, p 3: the 65th level is the 62nd nested array in p.
    expect(body.errors[0].pointer).toBe(`/parameters/p${'/0'.repeat(62)}`);
    expect(body.detail).toContain('64 levels');
    // 64 levels pass the parser.
    expect((await post('/v1/templates/render', `{"template":"x","parameters":{"p":${deep(62)}}}`)).statusCode).not.toBe(400);
  });

  it('the depth limit is a ServerLimits field', async () => {
    const s = await startServer({ limits: { maxJsonDepth: 3 } });
    try {
      const r = await s.app.inject({ method: 'POST', url: '/v1/templates/render', headers: { authorization: `Bearer ${KEYS.service}`, 'content-type': 'application/json' }, payload: '{"template":"x","parameters":{"p":{"q":[1]}}}' });
      expect(r.statusCode).toBe(400);
      // The body, parameters and p are levels 1 to 3: the array at q is the 4th.
      expect(r.json().errors[0]).toMatchObject({ pointer: '/parameters/p/q', code: 'E_JSON_TOO_DEEP' });
    } finally {
      await s.close();
    }
  }, 120_000);

  it('a batch with a deeply nested item is refused as a whole with its pointer, before anything reads it', async () => {
    const r = await post('/v1/formulas/evaluate', `{"items":[{"formula":"1"},{"formula":"1","record":{"A":${deepObject(3000)}}}]}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].pointer).toMatch(/^\/items\/1\/record\/A\/a\/a/);
  });

  it('one bad batch item (a 1,002-digit literal) fails alone; the other items are answered', async () => {
    const r = await post('/v1/formulas/evaluate', JSON.stringify({ items: [{ id: 'a', formula: '1 + 1' }, { id: 'b', formula: '9'.repeat(1002) }, { id: 'c', formula: `${'9'.repeat(1002)} + 1` }, { id: 'd', formula: 'UPPER("x")' }] }));
    expect(r.statusCode).toBe(200);
    const items = r.json().items as { id: string; ok: boolean; value?: string; error?: { code: string } }[];
    expect(items.map((i) => i.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(items[0]).toMatchObject({ ok: true, value: '2' });
    expect(items[1]).toMatchObject({ ok: false, error: { code: expect.any(String) } });
    expect(items[2]).toMatchObject({ ok: false, error: { code: expect.any(String) } });
    expect(items[3]).toMatchObject({ ok: true, value: 'X' });
  });

  it('a wrong content type: 415 naming the accepted types', async () => {
    const plain = await post('/v1/templates/render', '{"template":"x"}', { 'content-type': 'text/plain' });
    expect(plain.statusCode).toBe(415);
    expect(plain.headers['content-type']).toContain('application/problem+json');
    expect(plain.json()).toMatchObject({ type: 'https://parlance.dev/problems/unsupported-media-type', errors: [{ code: 'E_MEDIA_TYPE', message: 'Send application/json' }] });
    expect(plain.json().detail).toContain('"text/plain"');
    const none = await post('/v1/templates/render', '{"template":"x"}', {});
    expect(none.statusCode).toBe(415);
    // CSV only where the route takes it; the import routes name both types.
    expect((await post('/v1/channels/sms/users/%2B14155550100/link', 'a,b', { 'content-type': 'text/csv' })).statusCode).toBe(415);
    const importing = await post('/v1/channels/sms/users:import', '<users/>', { 'content-type': 'application/xml' }, 'admin');
    expect(importing.statusCode).toBe(415);
    expect(importing.json().errors[0].message).toBe('Send application/json or text/csv');
    const csv = await post('/v1/channels/sms/users:import', 'platformKey\n+14155550107\n', { 'content-type': 'text/csv' }, 'admin');
    expect(csv.statusCode).toBe(200);
  });

  it('__proto__ and constructor.prototype keys: 400 naming the key and where', async () => {
    const proto = await post('/v1/templates/render', '{"template":"x","parameters":{"__proto__":{"isAdmin":true}}}');
    expect(proto.statusCode).toBe(400);
    expect(proto.json()).toMatchObject({ type: 'https://parlance.dev/problems/forbidden-key', errors: [{ pointer: '/parameters/__proto__', code: 'E_FORBIDDEN_KEY' }] });
    expect(proto.json().detail).toContain('"__proto__"');
    expect(proto.json().detail).toContain('prototype');
    const ctor = await post('/v1/templates/render', '{"template":"x","constants":{"constructor":{"prototype":{}}}}');
    expect(ctor.json().errors[0]).toMatchObject({ pointer: '/constants/constructor', code: 'E_FORBIDDEN_KEY' });
    // A field merely called constructor is fine.
    expect((await post('/v1/templates/render', '{"template":"{!constructor}","parameters":{"constructor":"c"}}')).statusCode).not.toBe(400);
  });

  it('invalid JSON says why; a number too large for JSON is refused with its pointer', async () => {
    const bad = await post('/v1/templates/render', '{"template": }');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].code).toBe('E_INVALID_JSON');
    expect(bad.json().detail).toMatch(/Unexpected token/);
    const empty = await post('/v1/templates/render', '');
    expect(empty.json().errors[0].code).toBe('E_INVALID_JSON');
    const huge = await post('/v1/templates/render', `{"template":"x","parameters":{"n":${'9'.repeat(1002)}}}`);
    expect(huge.statusCode).toBe(400);
    expect(huge.json().errors[0]).toMatchObject({ pointer: '/parameters/n', code: 'E_NUMBER_OUT_OF_RANGE' });
  });

  it('inbound STOP with receivedAt outside years 1700-4000 or not a real day: 400 E_INVALID_DATETIME, nothing stored', async () => {
    const from = '+14155550199';
    for (const receivedAt of ['0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '2026-02-31T10:00:00Z', '1699-12-31T23:59:59Z', '4001-01-01T00:00:00Z', '2026-11-21T10:00:00', '2026-11-21T24:00:00Z']) {
      const r = await post('/v1/channels/sms/inbound', JSON.stringify({ from, text: 'STOP', receivedAt }));
      expect(r.statusCode, receivedAt).toBe(400);
      expect(r.json().errors, receivedAt).toEqual([{ pointer: '/receivedAt', code: 'E_INVALID_DATETIME', message: 'Expected an ISO 8601 date-time with an offset, such as 2026-11-21T10:00:00Z, in the years 1700 to 4000' }]);
    }
    expect((await server.call('GET', `/v1/channels/sms/users/${encodeURIComponent(from)}`)).status).toBe(404);
    // The edges of the range, and offsets with and without minutes, are taken.
    for (const receivedAt of ['1700-01-01T00:00:00Z', '4000-12-31T23:59:59.999Z', '2026-11-21T10:00+01', '2026-11-21T10:00:00.123456-0330', '2024-02-29T00:00:00Z']) {
      const r = await post('/v1/channels/sms/inbound', JSON.stringify({ from, text: 'hello', receivedAt }));
      expect(r.statusCode, `${receivedAt}: ${r.body}`).toBe(200);
    }
  });

  it('path parameters: as long as their schema allows, then 400, then 414 from the router; a bad percent-encoding is a problem too', async () => {
    const get = (key: string) => server.app.inject({ method: 'GET', url: `/v1/channels/sms/users/${key}`, headers: { authorization: `Bearer ${KEYS.admin}` } });
    expect((await get('k'.repeat(256))).statusCode).toBe(404);
    const long = await get('k'.repeat(300));
    expect(long.statusCode).toBe(400);
    expect(long.json().errors[0]).toMatchObject({ pointer: '/params/platformKey' });
    const longer = await get('k'.repeat(600));
    expect(longer.statusCode).toBe(414);
    expect(longer.json().errors[0].code).toBe('E_PARAMETER_TOO_LONG');
    const bad = await get('%E0%A4%A');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].code).toBe('E_INVALID_URL');
    const nul = await get('a%00b');
    expect(nul.statusCode).toBe(400);
    expect(nul.json().errors[0]).toMatchObject({ pointer: '/params/platformKey', code: 'E_INVALID_TEXT' });
  });

  it('the now of renders is checked by the schema too', async () => {
    const r = await post('/v1/templates/render', JSON.stringify({ template: '{!NOW()}', now: '0000-01-01T00:00:00Z' }));
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0]).toMatchObject({ pointer: '/now', code: 'E_INVALID_DATETIME' });
  });

  it('a bad now is refused for every formula and template, also where no clock is read', async () => {
    // Evaluation items are checked one by one by the route: the item's error, with its pointer.
    const one = await post('/v1/formulas/evaluate', JSON.stringify({ formula: '1', now: 'yesterday' }));
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ ok: false, error: { code: 'E_INVALID_INPUT', pointer: '/now' } });
    const batch = await post('/v1/formulas/evaluate', JSON.stringify({ items: [{ formula: '1' }, { formula: '1', now: 'yesterday' }] }));
    expect(batch.statusCode).toBe(200);
    expect(JSON.stringify(batch.json())).toContain('"pointer":"/items/1/now"');
    const template = await post('/v1/templates/render', JSON.stringify({ template: 'Hello', now: 'yesterday' }));
    expect(template.statusCode).toBe(400);
    expect(template.json().errors[0]).toMatchObject({ pointer: '/now', code: 'E_INVALID_DATETIME' });
  });
});
