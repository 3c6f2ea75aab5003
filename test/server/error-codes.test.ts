/** GET /v1/error-codes and /v1/error-codes/{code} end to end (issue 18 item 6). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('GET /v1/error-codes/{code}', () => {
  it('G:6535 0004 gives its category and the seed\'s meaning', async () => {
    const r = await server.call('GET', '/v1/error-codes/0004', undefined, { key: 'service' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: '0004', category: { id: '0xxx', name: 'service' }, message: "This message timed out. You can't contact this user until they contact you again.", retry: 'after-customer-message', source: 'G:6535' });
  });

  it('G:6525 an unlisted code is 404 E_UNKNOWN_ERROR_CODE naming its category; a malformed one 400', async () => {
    const unknown = await server.call('GET', '/v1/error-codes/2003', undefined, { key: 'service' });
    expect(unknown).toMatchObject({ status: 404, body: { errors: [{ code: 'E_UNKNOWN_ERROR_CODE', pointer: '/params/code' }] } });
    expect(unknown.body.detail).toContain('2xxx');
    const bad = await server.call('GET', '/v1/error-codes/abc', undefined, { key: 'service' });
    expect(bad).toMatchObject({ status: 400, body: { errors: [{ code: 'E_INVALID_ERROR_CODE' }] } });
  });

  it('needs a key', async () => {
    expect((await server.call('GET', '/v1/error-codes/0004', undefined, { key: null })).status).toBe(401);
    expect((await server.call('GET', '/v1/error-codes/0004', undefined, { key: 'preview' })).status).toBe(200);
  });
});

describe('GET /v1/error-codes', () => {
  it('G:6514-6569 lists the four categories and every code', async () => {
    const r = await server.call('GET', '/v1/error-codes', undefined, { key: 'service' });
    expect(r.status).toBe(200);
    expect(r.body.categories.map((c: { id: string }) => c.id)).toEqual(['0xxx', '1xxx', '2xxx', '3xxx']);
    expect(r.body.codes).toHaveLength(20);
    expect(r.body.codes[0]).toMatchObject({ code: '0001', category: { id: '0xxx' } });
  });

  it('is in the OpenAPI document with its schemas', async () => {
    const r = await server.call('GET', '/openapi.json', undefined, { key: null });
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/v1/error-codes', '/v1/error-codes/{code}']));
  });
});
