/**
 * Messaging users end to end through the HTTP server: upsert, read, import (JSON and CSV), the
 * consent ledger and its causes, E.164 keys, scopes. Also the store's all-or-nothing import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.js';
import { KeyRing, parseKeys } from '../../src/server/auth.js';
import { MAX_IMPORT_ROWS } from '../../src/server/routes/users.js';
import { openDatabase, type Database, type Queryable } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';
import { UserService } from '../../src/services/users.js';
import { UserStore } from '../../src/store/users.js';

const ADMIN = 'admin-key-0123456789abcdef';
const SERVICE = 'service-key-0123456789abcdef';
const T0 = Date.parse('2026-11-21T10:00:00Z');

let app: FastifyInstance;
let db: Database;
let url: string;
let now = T0;

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function call(method: string, path: string, body?: unknown, options: { key?: string | null; contentType?: string } = {}): Promise<Reply> {
  const key = options.key === undefined ? ADMIN : options.key;
  const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
  let payload: string | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  const res = await fetch(`${url}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

const csv = (path: string, text: string): Promise<Reply> => call('POST', path, text, { contentType: 'text/csv' });
const history = async (channel: string, key: string): Promise<{ from: string | null; to: string; cause: Record<string, unknown>; at: string }[]> => {
  const r = await call('GET', `/v1/channels/${channel}/users/${encodeURIComponent(key)}/consent-history`);
  expect(r.status).toBe(200);
  return r.body.entries;
};

beforeAll(async () => {
  db = await openDatabase('memory');
  await migrate(db);
  app = await buildServer({ db, keys: new KeyRing(parseKeys(`admin admin ${ADMIN};svc service ${SERVICE}`, 'test')), logger: false, checkResponses: true, clock: () => now });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  for (const [id, body] of [
    ['sms', { type: 'SmsLongCode', country: 'US' }],
    ['fb', { type: 'FacebookEnhanced' }],
    ['web', { type: 'EmbeddedWeb' }],
    ['bulk', { type: 'SmsLongCode', country: 'US' }],
    ['csv', { type: 'SmsLongCode', country: 'US' }],
    ['json', { type: 'SmsLongCode', country: 'US' }],
  ] as const) {
    const r = await call('PUT', `/v1/channels/${id}`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
});

afterAll(async () => {
  await app.close();
});

describe('PUT and GET /v1/channels/:id/users/:platformKey', () => {
  it('creates a user (201, ImplicitlyOptedIn by default) and records the creation with the cause api', async () => {
    now = T0;
    const r = await call('PUT', '/v1/channels/sms/users/+14155550001', { name: 'Ada Lovelace', locale: 'en_US', attributes: { email: 'ada@example.com', tier: 1 } });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      channelId: 'sms',
      platformKey: '+14155550001',
      consentStatus: 'ImplicitlyOptedIn',
      pendingDoubleOptIn: false,
      name: 'Ada Lovelace',
      locale: 'en_US',
      attributes: { email: 'ada@example.com', tier: 1 },
      createdAt: '2026-11-21T10:00:00.000Z',
      updatedAt: '2026-11-21T10:00:00.000Z',
    });
    expect(await history('sms', '+14155550001')).toEqual([{ from: null, to: 'ImplicitlyOptedIn', cause: { kind: 'api', detail: 'key admin' }, at: '2026-11-21T10:00:00.000Z' }]);
  });

  it('updates only the fields given (200), merges attributes, clears with null, and adds a ledger entry only when the status changes', async () => {
    now = T0 + 60_000;
    const r = await call('PUT', '/v1/channels/sms/users/%2B14155550001', { consentStatus: 'OptedOut', locale: null, attributes: { tier: null, crm: 'C-1' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ consentStatus: 'OptedOut', name: 'Ada Lovelace', attributes: { email: 'ada@example.com', crm: 'C-1' }, createdAt: '2026-11-21T10:00:00.000Z', updatedAt: '2026-11-21T10:01:00.000Z' });
    expect(r.body.locale).toBeUndefined();
    expect(r.body.attributes.tier).toBeUndefined();

    now = T0 + 120_000;
    const same = await call('PUT', '/v1/channels/sms/users/+14155550001', { name: 'Ada Lovelace', consentStatus: 'OptedOut' });
    expect(same.status).toBe(200);
    expect(same.body.updatedAt).toBe('2026-11-21T10:01:00.000Z');

    const renamed = await call('PUT', '/v1/channels/sms/users/+14155550001', { name: 'Ada King' });
    expect(renamed.body.updatedAt).toBe('2026-11-21T10:02:00.000Z');

    const h = await history('sms', '+14155550001');
    expect(h.map((e) => [e.from, e.to, e.cause.kind, e.at])).toEqual([
      [null, 'ImplicitlyOptedIn', 'api', '2026-11-21T10:00:00.000Z'],
      ['ImplicitlyOptedIn', 'OptedOut', 'api', '2026-11-21T10:01:00.000Z'],
    ]);
  });

  it('GET returns the user, for admin and service keys', async () => {
    for (const key of [ADMIN, SERVICE]) {
      const r = await call('GET', '/v1/channels/sms/users/+14155550001', undefined, { key });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ platformKey: '+14155550001', consentStatus: 'OptedOut', name: 'Ada King' });
    }
  });

  it('answers 404 for an unknown user or channel', async () => {
    const user = await call('GET', '/v1/channels/sms/users/+14155550999');
    expect(user.status).toBe(404);
    expect(user.body.detail).toBe('No messaging user +14155550999 on the channel sms');
    expect((await call('GET', '/v1/channels/sms/users/+14155550999/consent-history')).status).toBe(404);
    for (const [method, path, body] of [
      ['GET', '/v1/channels/nope/users/+14155550001', undefined],
      ['PUT', '/v1/channels/nope/users/+14155550001', {}],
      ['GET', '/v1/channels/nope/users/+14155550001/consent-history', undefined],
      ['POST', '/v1/channels/nope/users:import', []],
    ] as const) {
      const r = await call(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.detail).toBe('No channel nope');
    }
  });

  it('a 404 for a number that is not E.164 says so', async () => {
    const r = await call('GET', '/v1/channels/sms/users/4155550001');
    expect(r.status).toBe(404);
    expect(r.body.detail).toContain('did you mean +14155550001?');
  });

  it('rejects a platform key that is not E.164 on SMS channels, pointing at the path and suggesting the number', async () => {
    const r = await call('PUT', '/v1/channels/sms/users/(415)%20555-0002', { name: 'x' });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ pointer: '/params/platformKey', code: 'E_INVALID_PHONE', message: expect.stringContaining('did you mean +14155550002?') }]);
    expect(r.body.detail).toContain('The platform key in the path is invalid');
    expect((await call('GET', '/v1/channels/sms/users/+14155550002')).status).toBe(404);
  });

  it('takes any key on Messenger, and keys with slashes (encoded) on web channels', async () => {
    expect((await call('PUT', '/v1/channels/fb/users/psid-1234567890', { consentStatus: 'ExplicitlyOptedIn' })).status).toBe(201);
    const webKey = 'v2/iamessage/AUTH/abc/uid:user-123';
    const r = await call('PUT', `/v1/channels/web/users/${encodeURIComponent(webKey)}`, {});
    expect(r.status).toBe(201);
    expect(r.body.platformKey).toBe(webKey);
    expect((await call('GET', `/v1/channels/web/users/${encodeURIComponent(webKey)}`)).body.platformKey).toBe(webKey);
  });

  it('validates the body against its schema and the language against the channel', async () => {
    const bad = await call('PUT', '/v1/channels/fb/users/psid-2', { consentStatus: 'Subscribed', nickname: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/consentStatus', '/nickname']);

    const lang = await call('PUT', '/v1/channels/fb/users/psid-2', { language: 'fr' });
    expect(lang.status).toBe(400);
    expect(lang.body.errors).toEqual([{ pointer: '/language', code: 'E_LANGUAGE_NOT_CONFIGURED', message: 'The channel has no language fr; its languages are en' }]);
    expect((await call('GET', '/v1/channels/fb/users/psid-2')).status).toBe(404);

    const ok = await call('PUT', '/v1/channels/fb/users/psid-2', { language: 'EN-us' });
    expect(ok.status).toBe(201);
    expect(ok.body.language).toBe('en-US');
  });
});

describe('scopes', () => {
  it('a service key may read but not write; no key is 401', async () => {
    const put = await call('PUT', '/v1/channels/sms/users/+14155550001', { name: 'x' }, { key: SERVICE });
    expect(put.status).toBe(403);
    expect(put.body.errors[0].code).toBe('E_FORBIDDEN');
    expect((await call('POST', '/v1/channels/sms/users:import', [], { key: SERVICE })).status).toBe(403);
    expect((await call('GET', '/v1/channels/sms/users/+14155550001/consent-history', undefined, { key: SERVICE })).status).toBe(200);
    for (const [method, path] of [
      ['GET', '/v1/channels/sms/users/+14155550001'],
      ['PUT', '/v1/channels/sms/users/+14155550001'],
      ['POST', '/v1/channels/sms/users:import'],
      ['GET', '/v1/channels/sms/users/+14155550001/consent-history'],
    ] as const) {
      const r = await call(method, path, method === 'GET' ? undefined : method === 'PUT' ? {} : [], { key: null });
      expect(r.status, `${method} ${path}`).toBe(401);
    }
  });
});

describe('consent history', () => {
  it('records the first message, a STOP keyword and then an API change, oldest first, each with its cause', async () => {
    now = T0;
    const first = await call('POST', '/v1/channels/sms/inbound', { from: '+14155550100', text: 'Hello' }, { key: SERVICE });
    expect(first.status).toBe(200);
    now = T0 + 1000;
    const stop = await call('POST', '/v1/channels/sms/inbound', { from: '+14155550100', text: 'STOP' }, { key: SERVICE });
    expect(stop.body.messagingUser.consentStatus).toBe('OptedOut');
    now = T0 + 2000;
    const put = await call('PUT', '/v1/channels/sms/users/+14155550100', { consentStatus: 'ExplicitlyOptedIn' });
    expect(put.status).toBe(200);
    expect(put.body.lastInboundAt).toBe('2026-11-21T10:00:01.000Z');

    const r = await call('GET', '/v1/channels/sms/users/+14155550100/consent-history', undefined, { key: SERVICE });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      channelId: 'sms',
      platformKey: '+14155550100',
      entries: [
        { from: null, to: 'ImplicitlyOptedIn', cause: { kind: 'implicit' }, at: '2026-11-21T10:00:00.000Z' },
        { from: 'ImplicitlyOptedIn', to: 'OptedOut', cause: { kind: 'keyword', keyword: 'STOP', keywordKind: 'optOut', language: 'en' }, at: '2026-11-21T10:00:01.000Z' },
        { from: 'OptedOut', to: 'ExplicitlyOptedIn', cause: { kind: 'api', detail: 'key admin' }, at: '2026-11-21T10:00:02.000Z' },
      ],
    });
  });
});

describe('POST /v1/channels/:id/users:import', () => {
  it('JSON: imports the valid rows, reports each invalid one with its pointer, and the invalid ones change nothing', async () => {
    now = T0;
    expect((await call('PUT', '/v1/channels/json/users/+14155550201', { name: 'Existing' })).status).toBe(201);
    expect((await call('PUT', '/v1/channels/json/users/+14155550202', { name: 'Same', consentStatus: 'OptedOut' })).status).toBe(201);
    now = T0 + 5000;
    const r = await call('POST', '/v1/channels/json/users:import', {
      users: [
        { platformKey: '+14155550210', consentStatus: 'ExplicitlyOptedIn', name: 'New One' },
        { platformKey: '+14155550201', consentStatus: 'OptedOut' },
        { platformKey: '+14155550202', name: 'Same' },
        { platformKey: '415-555-0211', consentStatus: 'OptedOut' },
        { platformKey: '+14155550212', consentStatus: 'Opted Out' },
        { platformKey: '+14155550201x' },
        { consentStatus: 'OptedOut' },
        'not a row',
        { platformKey: ' +14155550213 ', language: 'en' },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: 9, imported: 4, created: 2, updated: 1, unchanged: 1 });
    expect(r.body.errors).toEqual([
      { pointer: '/users/3/platformKey', code: 'E_INVALID_PHONE', message: expect.stringContaining('did you mean +14155550211?') },
      { pointer: '/users/4/consentStatus', code: 'E_INVALID_VALUE', message: 'Must be one of "OptedOut", "ImplicitlyOptedIn", "ExplicitlyOptedIn", "DoublyOptedIn"' },
      { pointer: '/users/5/platformKey', code: 'E_INVALID_PHONE', message: expect.any(String) },
      { pointer: '/users/6/platformKey', code: 'E_REQUIRED', message: '"platformKey" is required' },
      { pointer: '/users/7', code: 'E_WRONG_TYPE', message: 'Must be object' },
    ]);
    // Valid rows: created, updated, trimmed; each consent change in the ledger with the import and its row.
    expect((await call('GET', '/v1/channels/json/users/+14155550210')).body).toMatchObject({ consentStatus: 'ExplicitlyOptedIn', name: 'New One' });
    expect((await call('GET', '/v1/channels/json/users/+14155550213')).body).toMatchObject({ consentStatus: 'ImplicitlyOptedIn', language: 'en' });
    expect((await history('json', '+14155550201')).at(-1)).toEqual({ from: 'ImplicitlyOptedIn', to: 'OptedOut', cause: { kind: 'import', detail: '/users/1, key admin' }, at: '2026-11-21T10:00:05.000Z' });
    expect((await history('json', '+14155550202')).length).toBe(1);
    expect((await call('GET', '/v1/channels/json/users/+14155550202')).body.updatedAt).toBe('2026-11-21T10:00:00.000Z');
    // Invalid rows: nothing.
    for (const key of ['+14155550211', '+14155550212']) expect((await call('GET', `/v1/channels/json/users/${key}`)).status).toBe(404);
  });

  it('JSON: takes a bare list too, and rejects other shapes', async () => {
    const r = await call('POST', '/v1/channels/json/users:import', [{ platformKey: '+14155550220' }]);
    expect(r.body).toMatchObject({ rows: 1, imported: 1, created: 1, errors: [] });
    const other = await call('POST', '/v1/channels/json/users:import', { rows: [] });
    expect(other.status).toBe(400);
    expect(other.body.errors[0]).toMatchObject({ pointer: '/rows', code: 'E_UNKNOWN_PROPERTY' });
  });

  it("CSV: our column names or Salesforce's, valid rows imported, invalid rows reported with /rows/<n>/<column> and the line", async () => {
    now = T0 + 10_000;
    const text = [
      'MessagingPlatformKey,MessagingConsentStatus,FirstName,LastName,Locale,attributes.email,MessageType,IsoCountryCode',
      '+14155550301,DoublyOptedIn,Grace,Hopper,en_US,grace@example.com,Text,US',
      '(415) 555-0302,OptedOut,Alan,Turing,,,Text,US',
      '',
      '+14155550303,Maybe,Edsger,,,,Text,US',
      '+14155550304,,,,,,WhatsApp,US',
      '+14155550305,ImplicitlyOptedIn,"Hopper, Jr.",,,,,',
    ].join('\r\n');
    const r = await csv('/v1/channels/csv/users:import', text);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: 5, imported: 2, created: 2, updated: 0, unchanged: 0 });
    expect(r.body.errors).toEqual([
      { pointer: '/rows/2/MessagingPlatformKey', code: 'E_INVALID_PHONE', message: expect.stringContaining('did you mean +14155550302?'), line: 3 },
      { pointer: '/rows/3/MessagingConsentStatus', code: 'E_INVALID_VALUE', message: expect.stringContaining('Must be one of'), line: 5 },
      { pointer: '/rows/4/MessageType', code: 'E_WRONG_CHANNEL', message: 'The row is for WhatsApp users; csv is a SmsLongCode channel', line: 6 },
    ]);
    const grace = await call('GET', '/v1/channels/csv/users/+14155550301');
    expect(grace.body).toMatchObject({ consentStatus: 'DoublyOptedIn', name: 'Grace Hopper', locale: 'en_US', attributes: { email: 'grace@example.com' } });
    expect((await call('GET', '/v1/channels/csv/users/+14155550305')).body.name).toBe('Hopper, Jr.');
    expect(await history('csv', '+14155550301')).toEqual([{ from: null, to: 'DoublyOptedIn', cause: { kind: 'import', detail: '/rows/1, key admin' }, at: '2026-11-21T10:00:10.000Z' }]);
    for (const key of ['+14155550302', '+14155550303', '+14155550304']) expect((await call('GET', `/v1/channels/csv/users/${key}`)).status).toBe(404);

    // Our own header; an empty cell keeps the stored value.
    now = T0 + 20_000;
    const again = await csv('/v1/channels/csv/users:import', 'platformKey,consentStatus,name,locale,language\n+14155550301,OptedOut,,,\n+14155550305,,Someone Else,,\n+14155550306,,,,en\n');
    expect(again.body).toMatchObject({ rows: 3, imported: 3, created: 1, updated: 2, unchanged: 0, errors: [] });
    expect((await call('GET', '/v1/channels/csv/users/+14155550301')).body).toMatchObject({ consentStatus: 'OptedOut', name: 'Grace Hopper' });
    expect((await history('csv', '+14155550301')).map((e) => e.to)).toEqual(['DoublyOptedIn', 'OptedOut']);
  });

  it('CSV: a row for another channel, or with more cells than columns, is reported and changes nothing', async () => {
    const r = await csv('/v1/channels/csv/users:import', 'Messaging Platform Key,Messaging Channel,attributes.crm\n+14155550351,csv,C-1\n+14155550352,other,C-2\n+14155550353,csv,C-3,extra\n');
    expect(r.body).toMatchObject({ rows: 3, imported: 1, created: 1 });
    expect(r.body.errors).toEqual([
      { pointer: '/rows/2/Messaging Channel', code: 'E_WRONG_CHANNEL', message: 'The row is for the channel "other", not csv: import it into that channel', line: 3 },
      { pointer: '/rows/3', code: 'E_EXTRA_CELLS', message: 'The row has 4 cells; the header has 3 columns', line: 4 },
    ]);
    expect((await call('GET', '/v1/channels/csv/users/+14155550351')).body.attributes).toEqual({ crm: 'C-1' });
  });

  it('a platform key in several rows makes all of them invalid (after normalisation), the rest is imported', async () => {
    const r = await csv('/v1/channels/csv/users:import', 'platformKey,consentStatus\n+14155550401,OptedOut\n+14155550402,OptedOut\n +14155550401 ,ExplicitlyOptedIn\n');
    expect(r.body).toMatchObject({ rows: 3, imported: 1, created: 1 });
    expect(r.body.errors).toEqual([
      { pointer: '/rows/1/platformKey', code: 'E_DUPLICATE_KEY', message: expect.stringContaining('+14155550401 is also in /rows/3'), line: 2 },
      { pointer: '/rows/3/platformKey', code: 'E_DUPLICATE_KEY', message: expect.stringContaining('is also in /rows/1'), line: 4 },
    ]);
    expect((await call('GET', '/v1/channels/csv/users/+14155550401')).status).toBe(404);
    expect((await call('GET', '/v1/channels/csv/users/+14155550402')).status).toBe(200);

    const json = await call('POST', '/v1/channels/fb/users:import', [{ platformKey: 'a' }, { platformKey: 'b' }, { platformKey: 'a', name: 'A' }]);
    expect(json.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/users/0/platformKey', '/users/2/platformKey']);
  });

  it('a malformed CSV file is a 400 naming the line, and nothing is imported', async () => {
    const r = await csv('/v1/channels/csv/users:import', 'platformKey,consentStatus\n+14155550501,OptedOut\n"+14155550502,OptedOut\n+14155550503,OptedOut\n');
    expect(r.status).toBe(400);
    expect(r.body.type).toBe('https://parlance.dev/problems/invalid-csv');
    expect(r.body.detail).toBe('The CSV file is malformed at line 3: The quote that opens a field at line 3 is never closed');
    expect(r.body.errors).toEqual([{ pointer: '', code: 'E_INVALID_CSV', message: 'The quote that opens a field at line 3 is never closed', line: 3 }]);
    // Other errors keep csv-parse's message and line.
    const closing = await csv('/v1/channels/csv/users:import', 'platformKey,name\n+14155550504,"Ada"x\n');
    expect(closing.status).toBe(400);
    expect(closing.body.errors).toEqual([{ pointer: '', code: 'E_INVALID_CSV', message: expect.stringContaining('Invalid Closing Quote'), line: 2 }]);
    expect((await call('GET', '/v1/channels/csv/users/+14155550501')).status).toBe(404);
  });

  it('an unknown or missing column is a 400 naming the column', async () => {
    const r = await csv('/v1/channels/csv/users:import', 'platformKey,consentStatu\n+14155550601,OptedOut\n');
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ pointer: '', code: 'E_UNKNOWN_COLUMN', message: expect.stringContaining('Unknown column "consentStatu" (column 2)'), line: 1, column: 2 }]);
    const missing = await csv('/v1/channels/csv/users:import', 'name\nAda\n');
    expect(missing.body.errors[0].code).toBe('E_MISSING_COLUMN');
    const empty = await csv('/v1/channels/csv/users:import', '');
    expect(empty.status).toBe(400);
  });

  it(`more than ${MAX_IMPORT_ROWS} rows is a 413, and ${MAX_IMPORT_ROWS} rows import in one go`, async () => {
    const key = (i: number): string => `+1415555${String(i).padStart(4, '0')}`;
    const rows = Array.from({ length: MAX_IMPORT_ROWS }, (_, i) => ({ platformKey: key(i), consentStatus: i % 2 === 0 ? 'OptedOut' : 'ExplicitlyOptedIn' }));
    const tooMany = await call('POST', '/v1/channels/bulk/users:import', [...rows, { platformKey: '+14155559999' }]);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.errors[0].code).toBe('E_TOO_MANY_ROWS');
    expect((await call('GET', `/v1/channels/bulk/users/${key(0)}`)).status).toBe(404);

    // No clock (the machine may be busy): the import's speed is measured by bench/linking.js (`npm run bench:linking`), not here.
    const r = await call('POST', '/v1/channels/bulk/users:import', rows);
    expect(r.body).toMatchObject({ rows: MAX_IMPORT_ROWS, imported: MAX_IMPORT_ROWS, created: MAX_IMPORT_ROWS, errors: [] });
    expect((await call('GET', `/v1/channels/bulk/users/${key(9999)}`)).body.consentStatus).toBe('ExplicitlyOptedIn');
    const again = await call('POST', '/v1/channels/bulk/users:import', rows.map((row, i) => (i < 10 ? { ...row, consentStatus: 'DoublyOptedIn' } : row)));
    expect(again.body).toMatchObject({ imported: MAX_IMPORT_ROWS, created: 0, updated: 10, unchanged: MAX_IMPORT_ROWS - 10 });
  });

  it('the OpenAPI document lists the user routes', async () => {
    const res = await fetch(`${url}/openapi.json`);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/channels/{id}/users/{platformKey}', '/v1/channels/{id}/users:import', '/v1/channels/{id}/users/{platformKey}/consent-history']));
  });
});

describe('UserService and UserStore', () => {
  it('an import is one transaction: a failure part-way leaves nothing behind', async () => {
    await db.query(`INSERT INTO channels (id, type, settings, version, created_at, updated_at) VALUES ('c', 'SmsLongCode', '{"type":"SmsLongCode"}', 1, now(), now())`);
    const store = new UserStore(db);
    const service = new UserService(db);
    await service.upsert('c', '+14155550701', { consentStatus: 'ImplicitlyOptedIn' }, { kind: 'api' }, T0);
    // The ledger write fails after the users were written.
    const failing: Database = {
      ...db,
      kind: db.kind,
      location: db.location,
      query: (sql, params) => db.query(sql, params),
      close: () => db.close(),
      transaction: (fn) =>
        db.transaction((tx) =>
          fn({
            query: <T>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[] }> => (sql.includes('INSERT INTO consent_ledger') ? Promise.reject(new Error('disk full')) : tx.query<T>(sql, params)),
          } as Queryable),
        ),
    };
    const rows = [
      { platformKey: '+14155550701', fields: { consentStatus: 'OptedOut' as const }, cause: { kind: 'import' as const, detail: 'row 1' } },
      { platformKey: '+14155550702', fields: { name: 'New' }, cause: { kind: 'import' as const, detail: 'row 2' } },
    ];
    await expect(new UserService(failing).importRows('c', rows, T0 + 1)).rejects.toThrow('disk full');
    expect((await store.get('c', '+14155550701'))?.consentStatus).toBe('ImplicitlyOptedIn');
    expect(await store.get('c', '+14155550702')).toBeUndefined();
    expect(await store.history('c', '+14155550701')).toHaveLength(1);

    expect(await service.importRows('c', rows, T0 + 2)).toEqual({ created: 1, updated: 1, unchanged: 0 });
    expect((await store.history('c', '+14155550701'))?.map((e) => e.cause)).toEqual([{ kind: 'api' }, { kind: 'import', detail: 'row 1' }]);
    await expect(service.importRows('c', [rows[1]!, rows[1]!], T0)).rejects.toThrow('appears twice');
  });
});
