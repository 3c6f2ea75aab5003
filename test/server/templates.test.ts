/** Messaging templates and approved WhatsApp templates end to end (issue 18 item 3). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putChannel, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await putChannel(server, 'wastd', { type: 'WhatsAppStandard' });
  await putChannel(server, 'sms', { type: 'SmsLongCode', country: 'US' });
});
afterAll(async () => {
  await server.close();
});

const approved = { type: 'SHIPPING_UPDATE', language: 'en_US', text: 'Hi {{1}}, your order {{2}} has shipped.' };
const check = (channelId: string, platformKey: string, content: Record<string, unknown>) => server.call('POST', '/v1/outbound/check', { channelId, platformKey, repId: 'rep-ann', content }, { key: 'service' });

describe('approved WhatsApp templates', () => {
  it('G:2304-2320 stored with a notification type; another type is refused', async () => {
    expect((await server.call('PUT', '/v1/whatsapp-templates/order_shipped', approved)).status).toBe(201);
    expect((await server.call('GET', '/v1/whatsapp-templates/order_shipped', undefined, { key: 'service' })).body).toMatchObject({ name: 'order_shipped', version: 1, definition: approved });
    const bad = await server.call('PUT', '/v1/whatsapp-templates/promo', { ...approved, type: 'MARKETING' });
    expect(bad).toMatchObject({ status: 422, body: { errors: [{ code: 'E_WHATSAPP_TEMPLATE_TYPE', pointer: '/type' }] } });
  });

  it('G:2255 a standard WhatsApp message with a changed word is refused with TEMPLATE_MISMATCH and the position; the exact text passes', async () => {
    const number = '+14155550201';
    expect((await server.call('POST', '/v1/channels/wastd/inbound', { from: number, text: 'Hello' }, { key: 'service' })).status).toBe(200);
    const end = await server.call('GET', `/v1/channels/wastd/users/${encodeURIComponent(number)}/sessions`, undefined, { key: 'service' });
    await server.call('POST', `/v1/sessions/${end.body.sessions[0].id}/end`, {}, { key: 'service' });
    const ok = await check('wastd', number, { kind: 'freeform', approvedTemplate: 'order_shipped', text: 'Hi Ann, your order 1234 has shipped.' });
    expect(ok.body).toMatchObject({ allowed: true, reasons: [] });
    const text = 'Hi Ann, your order 1234 was shipped.';
    const changed = await check('wastd', number, { kind: 'freeform', approvedTemplate: 'order_shipped', text });
    expect(changed.body.allowed).toBe(false);
    expect(changed.body.reasons).toEqual([expect.objectContaining({ code: 'TEMPLATE_MISMATCH', pointer: '/content/text', position: text.indexOf('was') })]);
    expect(changed.body.reasons[0].message).toContain('G:2255');
    const sent = await server.call('POST', '/v1/outbound/send', { channelId: 'wastd', platformKey: number, repId: 'rep-ann', content: { kind: 'freeform', approvedTemplate: 'order_shipped', text } }, { key: 'service' });
    expect(sent).toMatchObject({ status: 422, body: { errors: [{ code: 'TEMPLATE_MISMATCH' }] } });
  });

  it('G:2255 an approved template that isn\'t stored is TEMPLATE_NOT_FOUND on standard WhatsApp', async () => {
    const r = await check('wastd', '+14155550202', { kind: 'freeform', approvedTemplate: 'nope', text: 'Hi' });
    expect(r.body.reasons.map((x: { code: string }) => x.code)).toContain('TEMPLATE_NOT_FOUND');
  });
});

describe('messaging templates', () => {
  it('G:5024 a Messaging End User merge field is refused at write', async () => {
    const r = await server.call('PUT', '/v1/messaging-templates/Greeting', { message: 'Hi {!MessagingEndUser.Name}' });
    expect(r).toMatchObject({ status: 422, body: { errors: [{ code: 'END_USER_MERGE_FIELD', pointer: '/message' }] } });
  });

  it('G:5055 a blank merge field at send time refuses the message; filled, it is the text', async () => {
    const put = await server.call('PUT', '/v1/messaging-templates/Case_Resolved', { message: 'Your case {!Case.CaseNumber} has been resolved.', channels: ['SMS'] });
    expect(put).toMatchObject({ status: 201, body: { definition: { channels: ['SMS'] } } });
    const blank = await check('sms', '+14155550203', { kind: 'freeform', template: { name: 'Case_Resolved', values: { 'Case.CaseNumber': '' } } });
    expect(blank.body.reasons).toContainEqual(expect.objectContaining({ code: 'TEMPLATE_FIELD_BLANK', pointer: '/content/template/values/Case.CaseNumber' }));
    const filled = await check('sms', '+14155550203', { kind: 'freeform', template: { name: 'Case_Resolved', values: { 'Case.CaseNumber': '00001234' } } });
    expect(filled.body.reasons.map((x: { code: string }) => x.code)).not.toContain('TEMPLATE_FIELD_BLANK');
    expect(filled.body.sms).toMatchObject({ characters: 'Your case 00001234 has been resolved.'.length });
    expect((await check('sms', '+14155550203', { kind: 'freeform', template: { name: 'Missing' } })).status).toBe(404);
    expect((await server.call('GET', '/v1/messaging-templates', undefined, { key: 'service' })).body.templates.map((t: { name: string }) => t.name)).toEqual(['Case_Resolved']);
  });
});
