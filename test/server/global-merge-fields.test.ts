/** Issue 17: global merge fields through the HTTP API, as top-level `$` entries of fields and record. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('POST /v1/formulas/evaluate with global merge fields', () => {
  it('types $User from fields and values it from the record', async () => {
    const body = {
      formula: 'MAX($User.Commission_Percent__c * Price, 100)',
      fields: { $User: { Commission_Percent__c: 'Number' }, Price: 'Number' },
      record: { $User: { Commission_Percent__c: 2 }, Price: 100 },
    };
    const r = await server.call('POST', '/v1/formulas/evaluate', body, { key: 'service' });
    expect(r).toMatchObject({ status: 200, body: { ok: true, type: 'Number', value: '200' } });
  });

  it('an undeclared global is E_UNKNOWN_GLOBAL with its span', async () => {
    const r = await server.call('POST', '/v1/formulas/evaluate', { formula: '$Organization.Name' }, { key: 'service' });
    expect(r).toMatchObject({ status: 200, body: { ok: false, error: { code: 'E_UNKNOWN_GLOBAL', span: { start: 0, end: 13 } } } });
  });
});

describe('POST /v1/render with a component that declares globals', () => {
  it('renders with the request\'s global values', async () => {
    const component = {
      name: 'Greeting',
      type: 'AutoResponse',
      globals: { $User: { FirstName: 'Text' } },
      formats: [{ type: 'Text', template: 'Hello {!$User.FirstName}' }],
    };
    const r = await server.call('POST', '/v1/render', { channel: 'EmbeddedWeb', component, globals: { $User: { FirstName: 'Ada' } } }, { key: 'service' });
    expect(r).toMatchObject({ status: 200, body: { text: 'Hello Ada' } });
  });
});
