/** Sensitive data rules end to end (issue 18 item 5): stored per channel type, validated at write, applied to inbound messages. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putChannel, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await putChannel(server, 'sms', { type: 'SmsLongCode', country: 'US' });
  await putChannel(server, 'wa', { type: 'WhatsAppEnhanced' });
});
afterAll(async () => {
  await server.close();
});

const card = { name: 'Card', pattern: '\\b\\d{16}\\b', action: 'replace', replacement: '****', roles: ['Visitor'], priority: 1 };
const put = (type: string, rules: unknown[]) => server.call('PUT', `/v1/sensitive-data-rules/${type}`, { rules });

describe('PUT /v1/sensitive-data-rules/{channelType}', () => {
  it('G:3695 refused on Web with the seed\'s reason (422 E_SENSITIVE_DATA_NOT_SUPPORTED)', async () => {
    const r = await put('EmbeddedWeb', [card]);
    expect(r).toMatchObject({ status: 422, body: { errors: [{ code: 'E_SENSITIVE_DATA_NOT_SUPPORTED' }] } });
    expect(r.body.detail).toContain('only in standard Messaging channels');
    expect((await put('WhatsAppEnhanced', [card])).status).toBe(422);
    expect((await put('NoSuchType', [card])).status).toBe(404);
  });

  it('G:3699 validates each pattern at write with a clear, located error', async () => {
    const r = await put('SmsLongCode', [card, { ...card, name: 'Bad', pattern: '(a)\\1' }]);
    expect(r).toMatchObject({ status: 422, body: { errors: [{ pointer: '/rules/1/pattern', code: 'E_INVALID_PATTERN' }] } });
    expect(r.body.errors[0].message).toContain('RE2');
  });

  it('stores, reads, replaces and deletes', async () => {
    const created = await put('SmsTollFree', [card]);
    expect(created).toMatchObject({ status: 201, body: { channelType: 'SmsTollFree', version: 1, rules: [card] } });
    expect((await put('SmsTollFree', [card])).body.version).toBe(2);
    expect((await server.call('GET', '/v1/sensitive-data-rules/SmsTollFree', undefined, { key: 'service' })).body.rules).toEqual([card]);
    expect((await server.call('GET', '/v1/sensitive-data-rules', undefined, { key: 'service' })).body.channelTypes.map((t: { channelType: string }) => t.channelType)).toContain('SmsTollFree');
    expect((await server.call('DELETE', '/v1/sensitive-data-rules/SmsTollFree')).status).toBe(204);
    expect((await server.call('GET', '/v1/sensitive-data-rules/SmsTollFree', undefined, { key: 'service' })).status).toBe(404);
  });
});

describe('applied to inbound messages', () => {
  it('G:3676, G:3705 a card number in an inbound message on a standard SMS channel is masked before it is stored', async () => {
    expect((await put('SmsLongCode', [card])).status).toBeLessThan(300);
    const r = await server.call('POST', '/v1/channels/sms/inbound', { from: '+14155550111', text: 'My card is 4111111111111111' }, { key: 'service' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.sensitiveData).toEqual({ text: 'My card is ****', blocked: [{ rule: 'Card', matches: 1, event: 'Sensitive data blocked (Visitor)' }] });
    const { rows } = await server.app.parlance.db.query<{ text: string }>("SELECT text FROM messages WHERE direction = 'inbound' ORDER BY id DESC LIMIT 1");
    expect(rows[0]?.text).toBe('My card is ****');
  });

  it('a message the rules don\'t change has no sensitiveData', async () => {
    const r = await server.call('POST', '/v1/channels/sms/inbound', { from: '+14155550112', text: 'Hello' }, { key: 'service' });
    expect(r.body.sensitiveData).toBeUndefined();
  });

  it('(a+)+$ on a long inbound message can\'t stall the server', async () => {
    expect((await put('SmsShortCode', [{ name: 'Evil', pattern: '(a+)+$', action: 'remove', roles: ['Visitor'], priority: 1 }])).status).toBeLessThan(300);
    await putChannel(server, 'sc', { type: 'SmsShortCode', country: 'US' });
    const text = `${'a'.repeat(5000)}!`;
    const r = await server.call('POST', '/v1/sensitive-data-rules/SmsShortCode/test', { text }, { key: 'service' });
    expect(r).toMatchObject({ status: 200, body: { text, blocked: [] } });
  });
});

describe('POST /v1/sensitive-data-rules/{channelType}/test', () => {
  it('G:3702 tries rules on the seed\'s test input', async () => {
    const ssn = { name: 'SSN', pattern: '\\d{3}-\\d{2}-\\d{4}', action: 'replace', replacement: 'XXX-XX-XXXX', roles: ['Agent', 'Supervisor', 'Visitor'], priority: 1 };
    const r = await server.call('POST', '/v1/sensitive-data-rules/FacebookStandard/test', { text: 'SSN 123-45-6789', author: 'Agent', rules: [ssn] }, { key: 'service' });
    expect(r.body).toEqual({ text: 'SSN XXX-XX-XXXX', blocked: [{ rule: 'SSN', matches: 1, event: 'Sensitive data blocked (Agent)' }] });
  });
});
