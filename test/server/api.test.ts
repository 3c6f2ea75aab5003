/** The HTTP API end to end: formulas, templates, components, rendering, OpenAPI, auth, logs, limits, shutdown. */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLogLevel } from '../../src/cli/serve-start.js';
import { buildServer } from '../../src/server/app.js';
import { KeyRing, parseKeys } from '../../src/server/auth.js';
import { openDatabase } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';
import { KEYS, startServer, type TestServer } from '../helpers/server.js';

const example = (name: string): Record<string, unknown> => {
  const { $schema: _s, ...d } = JSON.parse(readFileSync(new URL(`../../examples/components/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
  return d;
};

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ limits: { maxBatch: 5 } });
});
afterAll(async () => {
  await server.close();
});

describe('POST /v1/formulas/evaluate', () => {
  it('evaluates one item in the shape of a --jsonl line', async () => {
    const r = await server.call('POST', '/v1/formulas/evaluate', { formula: 'IF(Days > 20, "RED", "GREEN")', record: { Days: 21 } }, { key: 'service' });
    expect(r).toMatchObject({ status: 200, body: { ok: true, type: 'Text', value: 'RED' } });
  });

  it('G:4703-4775 evaluates NULLVAL, the seed\'s spelling of NULLVALUE (issue 18 item 8)', async () => {
    const r = await server.call('POST', '/v1/formulas/evaluate', { formula: 'NULLVAL(Amount, 1)', record: { Amount: null }, fields: { Amount: 'Number' } }, { key: 'service' });
    expect(r).toMatchObject({ status: 200, body: { ok: true, type: 'Number', value: '1' } });
  });

  it('evaluates a batch, in order; a bad item never stops it', async () => {
    const r = await server.call('POST', '/v1/formulas/evaluate', { items: [{ id: 'a', formula: '1 + 2' }, { id: 'b', formula: 'LEN(' }, 'nonsense', { id: 'd', formula: 'TODAY()', now: '2026-11-21T23:30:00Z', timezone: 'Asia/Tokyo' }] }, { key: 'service' });
    expect(r.status).toBe(200);
    expect(r.body.items.map((x: { ok: boolean }) => x.ok)).toEqual([true, false, false, true]);
    expect(r.body.items[1]).toMatchObject({ id: 'b', error: { code: 'E_SYNTAX', span: { line: 1 } } });
    expect(r.body.items[2].error).toMatchObject({ pointer: '/items/2' });
    expect(r.body.items[3]).toMatchObject({ id: 'd', value: '2026-11-22' });
  });

  it('stops evaluating a batch at its time budget; later items say so', async () => {
    const s = await startServer({ limits: { evaluationBudgetMs: 0 } });
    const r = await s.call('POST', '/v1/formulas/evaluate', { items: [{ id: 1, formula: '1' }, { id: 2, formula: '2' }] }, { key: 'service' });
    await s.close();
    expect(r.body.items.map((x: { error?: { code: string } }) => x.error?.code)).toEqual(['E_BUDGET_EXCEEDED', 'E_BUDGET_EXCEEDED']);
    expect(r.body.items[1]).toMatchObject({ id: 2, ok: false, error: { pointer: '/items/1' } });
  });

  it('limits the batch size', async () => {
    const r = await server.call('POST', '/v1/formulas/evaluate', { items: Array.from({ length: 6 }, () => ({ formula: '1' })) }, { key: 'service' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ pointer: '/items', code: 'E_TOO_MANY_ITEMS' });
  });
});

describe('POST /v1/templates/render', () => {
  it('renders with types inferred from the values', async () => {
    const r = await server.call('POST', '/v1/templates/render', { template: '{!$Constants.Title}{!BR()}Hello {!$Parameters.Name}!', constants: { Title: 'Welcome' }, parameters: { Name: 'Ann' } }, { key: 'service' });
    expect(r).toMatchObject({ status: 200, body: { text: 'Welcome\nHello Ann!', warnings: [] } });
  });

  it('locates errors in the template and in list templates', async () => {
    const r = await server.call(
      'POST',
      '/v1/templates/render',
      { template: 'Hi {!$Parameters.Nme}\n{!$ListTemplates.L}', parameters: { Name: 'Ann' }, listTemplates: [{ name: 'L', source: '$Parameters.Name', template: '{!$ListItem.Foo}' }] },
      { key: 'service' },
    );
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { pointer: string; line: number }) => [e.pointer, e.line])).toEqual(expect.arrayContaining([['/template', 1]]));
  });
});

describe('components', () => {
  it('stores versions, reads them back, lists, deletes', async () => {
    const def = example('options-list.json');
    const v1 = await server.call('PUT', '/v1/components/Reason_for_Contact', def);
    expect(v1).toMatchObject({ status: 200, body: { name: 'Reason_for_Contact', version: 1 } });
    const changed = { ...def, label: 'Reason (v2)' };
    expect((await server.call('PUT', '/v1/components/Reason_for_Contact', changed)).body.version).toBe(2);
    expect((await server.call('GET', '/v1/components/Reason_for_Contact', undefined, { key: 'preview' })).body.definition.label).toBe('Reason (v2)');
    expect((await server.call('GET', '/v1/components/Reason_for_Contact?version=1', undefined, { key: 'preview' })).body.definition.label).toBe('Reason for Contact');
    const list = await server.call('GET', '/v1/components', undefined, { key: 'service' });
    expect(list.body.components).toContainEqual(expect.objectContaining({ name: 'Reason_for_Contact', version: 2, type: 'QuestionStaticOptions' }));
    await server.call('PUT', '/v1/components/Temp', { ...example('home-page-link.json'), name: 'Temp' });
    expect((await server.call('DELETE', '/v1/components/Temp')).status).toBe(204);
    expect((await server.call('GET', '/v1/components/Temp')).status).toBe(404);
    expect((await server.call('GET', '/v1/components/Temp?version=1')).status).toBe(200);
    expect((await server.call('DELETE', '/v1/components/Temp')).status).toBe(404);
  });

  it('validates on write: 422 with every problem located, nothing stored', async () => {
    const r = await server.call('PUT', '/v1/components/Broken', { name: 'Broken', type: 'QuestionStaticOptions', formats: [{ type: 'Buttons', title: { type: 'Constant', name: 'Missing' } }] });
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/formats/0/options', '/formats/0/title/name']));
    expect((await server.call('GET', '/v1/components/Broken')).status).toBe(404);
    const mismatch = await server.call('PUT', '/v1/components/Other', example('options-list.json'));
    expect(mismatch.body.errors[0]).toMatchObject({ pointer: '/name', code: 'E_NAME_MISMATCH' });
  });

  it('validates without storing', async () => {
    const r = await server.call('POST', '/v1/components/validate', { name: 'X', type: 'Nope' }, { key: 'preview' });
    expect(r.status).toBe(200);
    expect(r.body.valid).toBe(false);
    expect(r.body.errors[0]).toMatchObject({ pointer: '/type' });
  });

  it('only admin keys write', async () => {
    expect((await server.call('PUT', '/v1/components/Reason_for_Contact', example('options-list.json'), { key: 'preview' })).status).toBe(403);
    expect((await server.call('DELETE', '/v1/components/Reason_for_Contact', undefined, { key: 'service' })).status).toBe(403);
  });
});

describe('rendering', () => {
  it('renders a stored component (CONTRACT.md §3)', async () => {
    await server.call('PUT', '/v1/components/Reason_for_Contact', example('options-list.json'));
    const r = await server.call('POST', '/v1/components/Reason_for_Contact/render', { channel: 'EmbeddedWeb' }, { key: 'preview' });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['channel', 'format', 'skipped', 'content', 'text', 'payload', 'warnings']);
    expect(r.body.format).toBe('Buttons');
  });

  it('renders an inline component; its problems point into /component', async () => {
    const ok = await server.call('POST', '/v1/render', { channel: 'FacebookEnhanced', component: example('appointment-time.json'), parameters: { Slots: [{ start: '2026-11-21T18:00:00Z', end: '2026-11-21T19:00:00Z' }] }, timezone: 'America/Los_Angeles' }, { key: 'service' });
    expect(ok.body.content.options[0].title).toBe('Nov 21, 10:00 AM');
    const bad = await server.call('POST', '/v1/render', { channel: 'EmbeddedWeb', component: { name: 'X', type: 'Nope' } }, { key: 'service' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].pointer).toBe('/component/type');
  });

  it('refusals are 422 problems with pointers into the request', async () => {
    const unsupported = await server.call('POST', '/v1/components/Reason_for_Contact/render', { channel: 'SmsLongCode' }, { key: 'service' });
    expect(unsupported).toMatchObject({ status: 422, body: { type: 'https://parlance.dev/problems/channel-unsupported', errors: [{ pointer: '/channel', code: 'E_CHANNEL_UNSUPPORTED' }] } });
    // The request body's wording on HTTP (the CLI says --fallback text).
    expect(unsupported.body.detail).toContain('Send "fallback": "text" to get the Text version instead.');
    const fallback = await server.call('POST', '/v1/components/Reason_for_Contact/render', { channel: 'SmsLongCode', fallback: 'text' }, { key: 'service' });
    expect(fallback.body.payload.platform).toBe('sms');
    const params = await server.call('POST', '/v1/render', { channel: 'EmbeddedWeb', component: example('open-cases.json'), parameters: { Cases: [{ Id: '500000000000001AAA', CaseNumbr: '1' }] } }, { key: 'service' });
    expect(params.body.errors[0]).toMatchObject({ pointer: '/parameters/Cases/0/CaseNumbr', code: 'E_UNKNOWN_FIELD' });
    expect((await server.call('POST', '/v1/components/Nope/render', { channel: 'EmbeddedWeb' }, { key: 'service' })).status).toBe(404);
  });
});

describe('OpenAPI, docs, problems, request ids', () => {
  it('serves an OpenAPI document covering every route of CONTRACT.md §4 built so far', async () => {
    const r = await server.call('GET', '/openapi.json', undefined, { key: null });
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    for (const path of ['/v1/formulas/evaluate', '/v1/templates/render', '/v1/components/validate', '/v1/components/{name}', '/v1/components', '/v1/components/{name}/render', '/v1/render', '/v1/channels/{id}', '/v1/channels', '/v1/channels/{id}/inbound']) {
      expect(Object.keys(r.body.paths), path).toContain(path);
    }
  });

  it('documents every operation with its request schema, its success response and its problems', async () => {
    const doc = (await server.call('GET', '/openapi.json', undefined, { key: null })).body as { paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown; parameters?: unknown[] }>> };
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const codes = Object.keys(op.responses);
        expect(codes.some((c) => /^2\d\d$/.test(c)) || method === 'delete', `${method} ${path} success`).toBe(true);
        expect(codes.some((c) => c.toUpperCase() === '4XX'), `${method} ${path} problems`).toBe(true);
        if (method === 'post' || method === 'put') expect(op.requestBody, `${method} ${path} body`).toBeDefined();
        if (path.includes('{')) expect(op.parameters?.length, `${method} ${path} parameters`).toBeGreaterThan(0);
      }
    }
  });

  it('serves the browsable docs at /docs without a key', async () => {
    const r = await server.call('GET', '/docs', undefined, { key: null });
    expect(r.status).toBe(200);
    expect(String(r.body)).toContain('Swagger UI');
  });

  it('carries the request id on every response: a success, a public route, a malformed path (docs/http-api.md)', async () => {
    const ok = await server.call('GET', '/v1/components', undefined, { headers: { 'x-request-id': 'mine-1' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toBe('mine-1');
    const fresh = await server.call('GET', '/healthz', undefined, { key: null });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const malformed = await server.call('GET', '/v1/components/%E0%A4%A', undefined, { headers: { 'x-request-id': 'mine-2' } });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-request-id')).toBe('mine-2');
  });

  it('answers unknown routes and methods with problems, and echoes the request id', async () => {
    const r = await server.call('GET', '/v1/nothing', undefined, { headers: { 'x-request-id': 'req-123' } });
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({ status: 404, requestId: 'req-123', errors: [{ code: 'E_NO_ROUTE' }] });
    expect(r.headers.get('x-request-id')).toBe('req-123');
    const wrongType = await server.call('POST', '/v1/formulas/evaluate', undefined, { key: 'service', raw: 'formula=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrongType.status).toBe(415);
  });
});

/** A server on a fresh in-memory store whose log lines are kept in `lines` (level: the logger's, default its own). */
async function loggingServer(level: string | undefined): Promise<{ app: Awaited<ReturnType<typeof buildServer>>; lines: string[] }> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const db = await openDatabase('memory');
  await migrate(db);
  const app = await buildServer({ db, keys: new KeyRing(parseKeys(`admin admin ${KEYS.admin}`, 'test')), logger: level === undefined ? { stream } : { level, stream } });
  return { app, lines };
}

describe('logs', () => {
  it('are JSON lines with request ids, and never contain an API key', async () => {
    const { app, lines } = await loggingServer('info');
    await app.inject({ method: 'GET', url: '/v1/components', headers: { authorization: `Bearer ${KEYS.admin}`, 'x-api-key': KEYS.admin } });
    await app.inject({ method: 'GET', url: '/v1/components', headers: { authorization: 'Bearer wrong-key-but-secret-0123' } });
    await app.close();
    const all = lines.join('');
    expect(all).not.toContain(KEYS.admin);
    expect(all).not.toContain('wrong-key-but-secret-0123');
    const parsed = lines.map((l) => JSON.parse(l) as { reqId?: string });
    expect(parsed.some((l) => typeof l.reqId === 'string')).toBe(true);
  });

  it('write one line per request at info, when it is answered, and none at the default level (warn)', async () => {
    const capture = async (level: string | undefined): Promise<Record<string, unknown>[]> => {
      const { app, lines } = await loggingServer(level);
      await app.inject({ method: 'GET', url: '/v1/components', headers: { authorization: `Bearer ${KEYS.admin}`, 'x-request-id': 'one' } });
      await app.inject({ method: 'GET', url: '/v1/nothing', headers: { authorization: `Bearer ${KEYS.admin}`, 'x-request-id': 'two' } });
      await app.close();
      return lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => typeof l.reqId === 'string');
    };
    const info = await capture('info');
    expect(info.map((l) => [l.reqId, l.msg, (l.req as { method: string; url: string }).method, (l.req as { url: string }).url, (l.res as { statusCode: number }).statusCode])).toEqual([
      ['one', 'request completed', 'GET', '/v1/components', 200],
      ['two', 'request completed', 'GET', '/v1/nothing', 404],
    ]);
    expect(info.every((l) => typeof l.responseTime === 'number')).toBe(true);
    expect(await capture(undefined)).toEqual([]);
    expect(await capture('warn')).toEqual([]);
    expect([defaultLogLevel(false), defaultLogLevel(true)]).toEqual(['warn', 'info']);
  });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight request before closing the store', async () => {
    const s = await startServer({ limits: { evaluationBudgetMs: 60_000 } });
    const items = Array.from({ length: 1000 }, (_, i) => ({ formula: `TEXT(${i} * 3) & "-" & UPPER("abc${i}")` }));
    // Close once the server has read the whole request (its body's 'end': the handler runs next), not after a delay.
    const arrived = new Promise((resolve) => s.app.server.once('request', (req) => req.once('end', resolve)));
    const pending = s.call('POST', '/v1/formulas/evaluate', { items }, { key: 'service' });
    await arrived;
    const closed = s.close();
    const r = await pending;
    await closed;
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(1000);
    expect(r.body.items.every((x: { ok: boolean }) => x.ok)).toBe(true);
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
  });
});
