/** SMS length end to end (issue 18 item 7): the render routes and the outbound check refuse what SMS doesn't send, and give the segments. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putChannel, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await putChannel(server, 'lc', { type: 'SmsLongCode', country: 'US' });
  await putChannel(server, 'sc', { type: 'SmsShortCode', country: 'US' });
  await putChannel(server, 'wa', { type: 'WhatsAppStandard' });
});
afterAll(async () => {
  await server.close();
});

/** A Text-only component whose text is `text`. */
const textComponent = (text: string) => ({
  name: 'Notice',
  type: 'EnhancedLink',
  constants: { T: { type: 'Text', value: text }, U: { type: 'Url', value: 'https://x.example.com/' }, I: { type: 'Image', value: 'https://x.example.com/i.png' } },
  formats: [{ type: 'RichLink', title: { type: 'Constant', name: 'T' }, url: { type: 'Constant', name: 'U' }, image: { type: 'Constant', name: 'I' } }, { type: 'Text', template: '{!$Constants.T}' }],
});
const render = (channel: string, text: string) => server.call('POST', '/v1/render', { component: textComponent(text), channel, fallback: 'text' }, { key: 'service' });
const check = (channelId: string, text: string) =>
  server.call('POST', '/v1/outbound/check', { channelId, platformKey: '+14155550123', repId: 'rep-ann', content: { kind: 'freeform', text } }, { key: 'service' });

describe('POST /v1/render on SMS', () => {
  it('G:2892, G:6212 a 919-character SMS is refused with the seed\'s reason (422 E_TEXT_TOO_LONG)', async () => {
    const r = await render('SmsLongCode', 'a'.repeat(919));
    expect(r.status).toBe(422);
    expect(r.body.errors[0]).toMatchObject({ code: 'E_TEXT_TOO_LONG' });
    expect(r.body.detail).toContain("Messages over 840 characters aren't sent (G:2892, G:6212)");
  });

  it('G:2902 a 161-character GSM-7 text is 2 segments; a 71-character UCS-2 text is 2 segments', async () => {
    const gsm = await render('SmsLongCode', 'a'.repeat(161));
    expect(gsm.status, JSON.stringify(gsm.body)).toBe(200);
    expect(gsm.body.sms).toEqual({ encoding: 'GSM-7', characters: 161, units: 161, segments: 2, perSegment: 153, unitsLeft: 145 });
    expect(gsm.body.payload.messages).toEqual([{ body: 'a'.repeat(161) }]);
    const ucs = await render('SmsTollFree', 'ж'.repeat(71));
    expect(ucs.body.sms).toMatchObject({ encoding: 'UCS-2', segments: 2, perSegment: 67 });
  });

  it('G:3038, G:3348 a short code refuses more than 160 characters', async () => {
    expect((await render('SmsShortCode', 'a'.repeat(160))).status).toBe(200);
    const r = await render('SmsShortCode', 'a'.repeat(161));
    expect(r.status).toBe(422);
    expect(r.body.detail).toContain('limited to 160 characters');
  });
});

describe('POST /v1/outbound/check and send on SMS', () => {
  it('G:2892, G:6212 a 919-character freeform SMS is refused with SMS_TOO_LONG at /content/text', async () => {
    const r = await check('lc', 'a'.repeat(919));
    expect(r.status).toBe(200);
    expect(r.body.allowed).toBe(false);
    const reason = r.body.reasons.find((x: { code: string }) => x.code === 'SMS_TOO_LONG');
    expect(reason).toMatchObject({ pointer: '/content/text' });
    expect(reason.message).toContain("Messages over 840 characters aren't sent");
    expect(r.body.sms).toMatchObject({ characters: 919, segments: 7 });
    const sent = await server.call('POST', '/v1/outbound/send', { channelId: 'lc', platformKey: '+14155550123', repId: 'rep-ann', content: { kind: 'freeform', text: 'a'.repeat(919) } }, { key: 'service' });
    expect(sent.status).toBe(422);
    expect(sent.body.errors.map((e: { code: string }) => e.code)).toContain('SMS_TOO_LONG');
  });

  it('G:3038 161 characters on a short code: SHORT_CODE_TOO_LONG; 160 passes the length rules', async () => {
    const r = await check('sc', 'a'.repeat(161));
    expect(r.body.reasons.map((x: { code: string }) => x.code)).toContain('SHORT_CODE_TOO_LONG');
    const fits = await check('sc', 'a'.repeat(160));
    expect(fits.body.reasons.map((x: { code: string }) => x.code)).not.toContain('SHORT_CODE_TOO_LONG');
    expect(fits.body.sms).toMatchObject({ segments: 1, unitsLeft: 0 });
  });

  it('gives no SMS segments on other channels', async () => {
    const r = await check('wa', 'a'.repeat(919));
    expect(r.body.sms).toBeUndefined();
    expect(r.body.reasons.map((x: { code: string }) => x.code)).not.toContain('SMS_TOO_LONG');
  });
});
