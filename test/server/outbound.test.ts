/**
 * Business-initiated messaging end to end, through the real HTTP server: one test per sentence of
 * article B ("Considerations for Business-Initiated Messaging", seeds/002, cited as B:<line>), each
 * rule with a passing and a failing case and every failing reason asserted by its code; then the
 * guide's rules for standard channels and automatic notifications, the send's writes, concurrency,
 * and bad requests that change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putChannel, startServer, type JsonBody, type TestServer } from '../helpers/server.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-21T10:00:00Z');

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

let counter = 0;
/** A fresh valid US number per test. */
const newNumber = (): string => `+1415555${String(3000 + counter++).padStart(4, '0')}`;
const newKey = (prefix: string): string => `${prefix}-${counter++}`;

const channel = (id: string, settings: Record<string, unknown>): Promise<void> => putChannel(server, id, settings);

async function say(channelId: string, from: string, text: string): Promise<JsonBody> {
  const r = await server.call('POST', `/v1/channels/${channelId}/inbound`, { from, text }, { key: 'service' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

/** The customer wrote (their last message is now) and their session was then ended: no live session in the way. */
async function wrote(channelId: string, from: string): Promise<void> {
  const r = await say(channelId, from, 'Hi');
  const end = await server.call('POST', `/v1/sessions/${r.session.id}/end`, {}, { key: 'service' });
  expect(end.status, JSON.stringify(end.body)).toBe(200);
}

interface Outbound {
  channelId: string;
  platformKey: string;
  repId?: string;
  content?: Record<string, unknown>;
  consentAttested?: boolean;
  automatic?: boolean;
}
const body = (o: Outbound): Record<string, unknown> => ({ repId: 'rep-ann', content: { kind: 'freeform', text: 'Hi, your order has shipped.' }, ...o });

async function check(o: Outbound): Promise<{ allowed: boolean; reasons: { code: string; message: string; pointer: string }[]; routing: JsonBody; createsMessagingUser: boolean; openSession?: JsonBody }> {
  const r = await server.call('POST', '/v1/outbound/check', body(o), { key: 'service' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}
const codes = async (o: Outbound): Promise<string[]> => (await check(o)).reasons.map((r) => r.code);
const send = (o: Outbound) => server.call('POST', '/v1/outbound/send', body(o), { key: 'service' });

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['messaging_users', 'consent_ledger', 'sessions', 'messages']) {
    const { rows } = await server.app.parlance.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = Number(rows[0]?.n);
  }
  return out;
}

/** A static notification component (constants and literals only). */
const staticLink = {
  name: 'Order_Shipped',
  type: 'EnhancedLink',
  constants: { Title: { type: 'Text', value: 'Your order has shipped' }, Url: { type: 'Url', value: 'https://shop.example.com/orders' }, Image: { type: 'Image', value: 'https://shop.example.com/img/box.png' } },
  formats: [{ type: 'RichLink', title: { type: 'Constant', name: 'Title' }, url: { type: 'Constant', name: 'Url' }, image: { type: 'Constant', name: 'Image' } }, { type: 'Text' }],
};
/** A component with dynamic content: a Case parameter supplied at send time. */
const dynamicLink = {
  name: 'Case_Update',
  type: 'EnhancedLink',
  parameters: { MyCase: { type: 'RecordId', object: 'Case' } },
  formats: [
    {
      type: 'RichLink',
      title: { type: 'Formula', formula: '"Case " & $Parameters.MyCase.CaseNumber' },
      url: { type: 'Literal', value: 'https://help.example.com/cases' },
      image: { type: 'Literal', value: 'https://help.example.com/img/case.png' },
    },
  ],
};

beforeAll(async () => {
  server.now = T0;
  for (const [id, type] of [
    ['wa', 'WhatsAppEnhanced'],
    ['fb', 'FacebookEnhanced'],
    ['sms', 'SmsEnhanced'],
    ['inapp', 'EmbeddedInApp'],
    ['apple', 'AppleMessagesEnhanced'],
    ['line', 'LineEnhanced'],
    ['byo', 'BringYourOwn'],
    ['web', 'EmbeddedWeb'],
    ['lc', 'SmsLongCode'],
    ['fbstd', 'FacebookStandard'],
    ['wastd', 'WhatsAppStandard'],
  ] as const) {
    await channel(id, { type, ...(type.startsWith('Sms') ? { country: 'US' } : {}) });
  }
  await channel('sms-tab', { type: 'SmsEnhanced', country: 'US', capacityModel: 'TabBased' });
  await channel('wa-explicit', { type: 'WhatsAppEnhanced', consentType: 'ExplicitOptIn' });
  await channel('sms-explicit', { type: 'SmsEnhanced', country: 'US', consentType: 'ExplicitOptIn' });
  await channel('lc-nocountry', { type: 'SmsLongCode' });
  expect((await server.call('PUT', '/v1/components/Order_Shipped', staticLink)).status).toBe(200);
  expect((await server.call('PUT', '/v1/components/Case_Update', dynamicLink)).status).toBe(200);
});

describe('article B, general considerations', () => {
  it('B:3 several rules decide whether a rep may start a session: every failing rule is listed, each with its code and pointer', async () => {
    server.now = T0;
    // A WhatsApp customer who never wrote, with a number that isn't E.164: three rules fail at once.
    const r = await check({ channelId: 'wa', platformKey: '4155552671', content: { kind: 'freeform' } });
    expect(r.allowed).toBe(false);
    expect(r.reasons.map((x) => [x.code, x.pointer])).toEqual([
      ['PHONE_NOT_E164', '/platformKey'],
      ['NO_MESSAGING_USER', '/platformKey'],
      ['WHATSAPP_WINDOW_CLOSED', '/content/kind'],
    ]);
    expect(r.reasons[0]?.message).toContain('+14155552671');
    // The same customer, properly identified and recently in touch: allowed, nothing to report.
    const number = newNumber();
    await wrote('wa', number);
    expect(await check({ channelId: 'wa', platformKey: number })).toMatchObject({ allowed: true, reasons: [] });
  });

  it('B:6-8 the rules apply to enhanced In-App, WhatsApp, Messenger, SMS, Apple Messages, LINE and Bring Your Own Channel: reps can start sessions there', async () => {
    server.now = T0;
    for (const id of ['inapp', 'wa', 'fb', 'sms', 'apple', 'line', 'byo']) {
      const key = id === 'wa' || id === 'sms' ? newNumber() : newKey(id);
      await wrote(id, key);
      const r = await check({ channelId: id, platformKey: key });
      expect([id, r.allowed, r.reasons]).toEqual([id, true, []]);
    }
  });

  it('B:9-11 not to Enhanced Web Chat (reps can\'t start conversations there, X:61), and standard Messenger and SMS follow the guide instead', async () => {
    server.now = T0;
    const visitor = newKey('web');
    await wrote('web', visitor);
    const web = await check({ channelId: 'web', platformKey: visitor });
    expect(web.reasons.map((x) => [x.code, x.pointer])).toEqual([['CHANNEL_NOT_SUPPORTED', '/channelId']]);
    // Standard SMS: agent-initiated outbound is available (G:390); its New session waits 24 hours (G:6308), not 48.
    const number = newNumber();
    await wrote('lc', number);
    expect(await codes({ channelId: 'lc', platformKey: number })).toEqual([]);
    const psid = newKey('fbstd');
    await wrote('fbstd', psid);
    expect(await codes({ channelId: 'fbstd', platformKey: psid })).toEqual([]);
    const ok = await send({ channelId: 'lc', platformKey: number, repId: 'rep-std' });
    expect(ok.status).toBe(201);
    expect(Date.parse(ok.body.session.expiresAt) - T0).toBe(24 * HOUR);
  });

  it('B:13 a business-initiated message uses no rep capacity until the customer responds', async () => {
    server.now = T0;
    const number = newNumber();
    const sent = await send({ channelId: 'sms', platformKey: number, consentAttested: true });
    expect(sent.status).toBe(201);
    expect(sent.body.session).toMatchObject({ status: 'New', repId: 'rep-ann', usesRepCapacity: false });
    server.now = T0 + HOUR;
    const reply = await say('sms', number, 'Thanks, when will it arrive?');
    expect(reply.session).toMatchObject({ id: sent.body.session.id, status: 'Waiting' });
    const accepted = await server.call('POST', `/v1/sessions/${sent.body.session.id}/accept`, { agentId: 'rep-ann' }, { key: 'service' });
    expect(accepted.body).toMatchObject({ status: 'Active', usesRepCapacity: true });
  });

  it('B:14 the way a response is routed depends on the capacity model, and the check says which', async () => {
    server.now = T0;
    const status = await check({ channelId: 'sms', platformKey: newNumber(), consentAttested: true });
    expect(status.routing).toMatchObject({ capacityModel: 'StatusBased', reply: 'SameRep' });
    const tab = await check({ channelId: 'sms-tab', platformKey: newNumber(), consentAttested: true });
    expect(tab.routing).toMatchObject({ capacityModel: 'TabBased', reply: 'NewSession' });
    expect(tab.routing.message).toContain('B:16');
  });

  it('B:15 status-based capacity: the response is routed back to the same rep', async () => {
    server.now = T0;
    const number = newNumber();
    const sent = await send({ channelId: 'sms', platformKey: number, repId: 'rep-sam', consentAttested: true });
    server.now = T0 + 2 * HOUR;
    const reply = await say('sms', number, 'Yes please, call me');
    expect(reply).toMatchObject({ route: true, routeReason: 'REPLY_TO_OUTBOUND', routeTo: { kind: 'rep', id: 'rep-sam' }, session: { id: sent.body.session.id, status: 'Waiting', created: false } });
    const session = await server.call('GET', `/v1/sessions/${sent.body.session.id}`, undefined, { key: 'service' });
    expect(session.body).toMatchObject({ status: 'Waiting', repId: 'rep-sam', routeTo: { kind: 'rep', id: 'rep-sam' } });
    expect(session.body.expiresAt).toBeUndefined();
    // Another rep can't take it, and the refusal names the reply routing, not a transfer (issue 18 item 8).
    const other = await server.call('POST', `/v1/sessions/${sent.body.session.id}/accept`, { agentId: 'rep-kim' }, { key: 'service' });
    expect(other).toMatchObject({ status: 409, body: { errors: [{ code: 'E_NOT_TRANSFER_TARGET', pointer: '/agentId' }] } });
    expect(other.body.errors[0].message).toContain('routed back to rep-sam');
    expect(other.body.errors[0].message).not.toContain('transferred');
  });

  it('B:16 tab-based capacity: the response is routed as a new messaging session, and a different rep may pick it up', async () => {
    server.now = T0;
    const number = newNumber();
    const sent = await send({ channelId: 'sms-tab', platformKey: number, repId: 'rep-sam', consentAttested: true });
    server.now = T0 + 2 * HOUR;
    const reply = await say('sms-tab', number, 'Yes please, call me');
    expect(reply).toMatchObject({ route: true, routeReason: 'REPLY_TO_OUTBOUND', closedSessions: [sent.body.session.id], session: { status: 'Waiting', created: true } });
    expect(reply.routeTo).toBeUndefined();
    expect(reply.session.id).not.toBe(sent.body.session.id);
    const old = await server.call('GET', `/v1/sessions/${sent.body.session.id}`, undefined, { key: 'service' });
    expect(old.body).toMatchObject({ status: 'Ended', endReason: 'REPLY_ROUTED_AS_NEW_SESSION', endedAt: new Date(T0 + 2 * HOUR).toISOString() });
    const taken = await server.call('POST', `/v1/sessions/${reply.session.id}/accept`, { agentId: 'rep-kim' }, { key: 'service' });
    expect(taken.body).toMatchObject({ status: 'Active', repId: 'rep-kim', origin: 'inbound' });
  });

  it('B:17 a customer in a live session can\'t receive a business-initiated message from a different rep: that rep gets an error', async () => {
    server.now = T0;
    const psid = newKey('fb');
    const inquiry = await say('fb', psid, 'My order is late');
    await server.call('POST', `/v1/sessions/${inquiry.session.id}/accept`, { agentId: 'rep-ann' }, { key: 'service' });
    const other = await check({ channelId: 'fb', platformKey: psid, repId: 'rep-bob' });
    expect(other.reasons.map((x) => [x.code, x.pointer])).toEqual([['SESSION_IN_PROGRESS', '/repId']]);
    expect(other.openSession).toMatchObject({ id: inquiry.session.id, status: 'Active', repId: 'rep-ann' });
    const refused = await send({ channelId: 'fb', platformKey: psid, repId: 'rep-bob' });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ type: 'https://parlance.dev/problems/session-in-progress', errors: [{ pointer: '/repId', code: 'SESSION_IN_PROGRESS' }] });
    // The rep in the session may write: the message joins the session.
    const own = await send({ channelId: 'fb', platformKey: psid, repId: 'rep-ann' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ sessionCreated: false, session: { id: inquiry.session.id, status: 'Active' } });
    // Once the session ends, another rep may start one.
    await server.call('POST', `/v1/sessions/${inquiry.session.id}/end`, {}, { key: 'service' });
    expect((await send({ channelId: 'fb', platformKey: psid, repId: 'rep-bob' })).status).toBe(201);
  });

  it('B:17 two reps sending at once: exactly one gets the session, the other a conflict', async () => {
    server.now = T0;
    const number = newNumber();
    const [a, b] = await Promise.all([
      send({ channelId: 'sms', platformKey: number, repId: 'rep-one', consentAttested: true }),
      send({ channelId: 'sms', platformKey: number, repId: 'rep-two', consentAttested: true }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.errors.map((e: { code: string }) => e.code)).toEqual(['SESSION_IN_PROGRESS']);
    const { rows } = await server.app.parlance.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM sessions s JOIN messaging_users u ON u.id = s.user_id WHERE u.channel_id = 'sms' AND u.platform_key = $1",
      [number],
    );
    expect(Number(rows[0]?.n)).toBe(1);
  });

  it('B:18 reps can only start a session if the customer has a messaging user record linked to the channel (except enhanced SMS)', async () => {
    server.now = T0;
    const psid = newKey('fb');
    const none = await check({ channelId: 'fb', platformKey: psid });
    expect(none.reasons.map((x) => x.code)).toContain('NO_MESSAGING_USER');
    // A record on another channel doesn't count: it must be linked to the desired channel.
    await say('inapp', psid, 'Hello');
    expect(await codes({ channelId: 'fb', platformKey: psid })).toContain('NO_MESSAGING_USER');
    const refused = await send({ channelId: 'fb', platformKey: psid });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: { code: string }) => e.code)).toContain('NO_MESSAGING_USER');
  });

  it('B:18 messaging user records are created automatically when customers first message you', async () => {
    server.now = T0;
    const psid = newKey('fb');
    expect(await codes({ channelId: 'fb', platformKey: psid })).toContain('NO_MESSAGING_USER');
    await wrote('fb', psid);
    expect(await codes({ channelId: 'fb', platformKey: psid })).toEqual([]);
  });

  it('B:18 without a record, one can be created by an import (Data Loader or a flow) when consent was obtained elsewhere', async () => {
    server.now = T0;
    const key = newKey('inapp');
    expect(await codes({ channelId: 'inapp', platformKey: key })).toEqual(['NO_MESSAGING_USER']);
    const imported = await server.call('POST', '/v1/channels/inapp/users:import', [{ platformKey: key, consentStatus: 'ExplicitlyOptedIn' }]);
    expect(imported.body.created).toBe(1);
    expect(await codes({ channelId: 'inapp', platformKey: key })).toEqual([]);
  });

  it('B:18 the 10-minute delay before a new record is available is a Salesforce latency Parlance doesn\'t reproduce: an imported user can be messaged at once', async () => {
    server.now = T0;
    const key = newKey('apple');
    await server.call('PUT', `/v1/channels/apple/users/${key}`, { consentStatus: 'ImplicitlyOptedIn' });
    expect((await send({ channelId: 'apple', platformKey: key })).status).toBe(201);
  });

  it('B:19 a rep\'s session starts as New and ends when the customer doesn\'t respond or opt out within 48 hours', async () => {
    server.now = T0;
    const number = newNumber();
    const sent = await send({ channelId: 'sms', platformKey: number, consentAttested: true });
    const id = sent.body.session.id;
    expect(sent.body.session).toMatchObject({ status: 'New', origin: 'outbound', expiresAt: new Date(T0 + 48 * HOUR).toISOString() });
    server.now = T0 + 48 * HOUR - 1;
    expect((await server.call('GET', `/v1/sessions/${id}`, undefined, { key: 'service' })).body.status).toBe('New');
    server.now = T0 + 50 * HOUR;
    const ended = await server.call('GET', `/v1/sessions/${id}`, undefined, { key: 'service' });
    expect(ended.body).toMatchObject({ status: 'Ended', endReason: 'NO_RESPONSE_TIMEOUT', endedAt: new Date(T0 + 48 * HOUR).toISOString() });
    // A response within 48 hours keeps it: it is routed, not ended.
    server.now = T0;
    const other = newNumber();
    const second = await send({ channelId: 'sms', platformKey: other, consentAttested: true });
    server.now = T0 + 47 * HOUR;
    expect((await say('sms', other, 'Hi')).session).toMatchObject({ id: second.body.session.id, status: 'Waiting' });
    server.now = T0 + 60 * HOUR;
    expect((await server.call('GET', `/v1/sessions/${second.body.session.id}`, undefined, { key: 'service' })).body.status).toBe('Waiting');
    // An opt-out within 48 hours ends it at once.
    server.now = T0;
    const third = newNumber();
    const s3 = await send({ channelId: 'sms', platformKey: third, consentAttested: true });
    server.now = T0 + HOUR;
    const stop = await say('sms', third, 'STOP');
    expect(stop.closedSessions).toEqual([s3.body.session.id]);
    expect((await server.call('GET', `/v1/sessions/${s3.body.session.id}`, undefined, { key: 'service' })).body).toMatchObject({ status: 'Ended', endReason: 'OPTED_OUT' });
  });
});

describe('article B, enhanced SMS', () => {
  it('B:21-25 a rep can send an initial SMS to a customer without a messaging user record; the record is created when the message is sent', async () => {
    server.now = T0;
    const number = newNumber();
    const before = await check({ channelId: 'sms', platformKey: number, consentAttested: true });
    expect(before).toMatchObject({ allowed: true, createsMessagingUser: true });
    // The check creates nothing.
    expect((await server.call('GET', `/v1/channels/sms/users/${encodeURIComponent(number)}`)).status).toBe(404);
    const sent = await send({ channelId: 'sms', platformKey: number, consentAttested: true });
    expect(sent.status).toBe(201);
    expect(sent.body.messagingUser).toEqual({ platformKey: number, consentStatus: 'ExplicitlyOptedIn', created: true });
    expect((await server.call('GET', `/v1/channels/sms/users/${encodeURIComponent(number)}`)).status).toBe(200);
  });

  it('B:26 "+ New Conversation" is the only path that creates users: other channels still need the record, and so do automatic notifications', async () => {
    server.now = T0;
    expect(await codes({ channelId: 'lc', platformKey: newNumber(), consentAttested: true })).toEqual(['NO_MESSAGING_USER']);
    expect(await codes({ channelId: 'wa', platformKey: newNumber(), consentAttested: true })).toEqual(['NO_MESSAGING_USER', 'WHATSAPP_WINDOW_CLOSED']);
  });

  it('B:27 the rep must check a box saying the customer consented to receive SMS messages', async () => {
    server.now = T0;
    const number = newNumber();
    const unattested = await check({ channelId: 'sms', platformKey: number });
    expect(unattested.reasons.map((x) => x.code)).toEqual(['NO_MESSAGING_USER']);
    expect(unattested.reasons[0]?.message).toContain('consentAttested');
    expect((await send({ channelId: 'sms', platformKey: number })).status).toBe(422);
    expect(await codes({ channelId: 'sms', platformKey: number, consentAttested: true })).toEqual([]);
  });

  it('B:28 the auto-created user is Explicitly Opted In even when the channel\'s consent type is different; the ledger says why', async () => {
    server.now = T0;
    const number = newNumber();
    await send({ channelId: 'sms', platformKey: number, repId: 'rep-zoe', consentAttested: true });
    const user = await server.call('GET', `/v1/channels/sms/users/${encodeURIComponent(number)}`);
    expect(user.body.consentStatus).toBe('ExplicitlyOptedIn');
    expect((await server.call('GET', '/v1/channels/sms')).body.consentType).toBe('ImplicitOptIn');
    const history = await server.call('GET', `/v1/channels/sms/users/${encodeURIComponent(number)}/consent-history`);
    expect(history.body.entries).toEqual([{ from: null, to: 'ExplicitlyOptedIn', cause: { kind: 'attestation', detail: 'rep rep-zoe, key service' }, at: new Date(T0).toISOString() }]);
    // On an explicit opt-in channel the created user meets the level.
    expect(await codes({ channelId: 'sms-explicit', platformKey: newNumber(), consentAttested: true })).toEqual([]);
    // Attesting never overrides a stored status: an opted-out user stays opted out.
    const out = newNumber();
    await say('sms', out, 'STOP');
    const r = await check({ channelId: 'sms', platformKey: out, consentAttested: true });
    expect(r.reasons.map((x) => x.code)).toEqual(['CONSENT_NOT_MET']);
    expect(r.reasons[0]?.message).toContain('never overrides');
  });

  it('B:29 the messaging user\'s phone number must use the E.164 format, such as +12345678900', async () => {
    server.now = T0;
    for (const bad of ['4155552671', '(415) 555-2671', '+1 415 555 2671', '+1415']) {
      const r = await check({ channelId: 'sms', platformKey: bad, consentAttested: true });
      expect([bad, r.reasons.map((x) => x.code)]).toEqual([bad, ['PHONE_NOT_E164']]);
    }
    expect((await check({ channelId: 'sms', platformKey: '4155552671', consentAttested: true })).reasons[0]?.message).toContain('did you mean +14155552671');
    expect(await codes({ channelId: 'sms', platformKey: '+12345678900', consentAttested: true })).toEqual([]);
  });
});

describe('article B, enhanced WhatsApp', () => {
  it('B:31 within 24 hours of the customer\'s last message reps write freeform messages; at 24 hours exactly the window is still open', async () => {
    server.now = T0;
    const number = newNumber();
    await wrote('wa', number);
    server.now = T0 + 24 * HOUR;
    expect(await codes({ channelId: 'wa', platformKey: number })).toEqual([]);
  });

  it('B:31 after 24 hours no freeform messages', async () => {
    server.now = T0;
    const number = newNumber();
    await wrote('wa', number);
    server.now = T0 + 24 * HOUR + 1;
    const r = await check({ channelId: 'wa', platformKey: number });
    expect(r.reasons.map((x) => [x.code, x.pointer])).toEqual([['WHATSAPP_WINDOW_CLOSED', '/content/kind']]);
    // An approved template name doesn't make a freeform message a component (B:31).
    expect(await codes({ channelId: 'wa', platformKey: number, content: { kind: 'freeform', text: 'x', approvedTemplate: 'order_update' } })).toEqual(['WHATSAPP_WINDOW_CLOSED']);
    // The customer writing again reopens the window.
    await wrote('wa', number);
    expect(await codes({ channelId: 'wa', platformKey: number })).toEqual([]);
  });

  it('B:31 after 24 hours a notification component linked to an approved template can be sent', async () => {
    server.now = T0;
    const number = newNumber();
    await wrote('wa', number);
    server.now = T0 + 30 * HOUR;
    expect(await codes({ channelId: 'wa', platformKey: number, content: { kind: 'component', component: 'Order_Shipped', approvedTemplate: 'order_shipped_v2' } })).toEqual([]);
    const inline = { ...staticLink, name: 'Inline_Shipped' };
    const sent = await send({ channelId: 'wa', platformKey: number, content: { kind: 'component', component: inline, approvedTemplate: 'order_shipped_v2' } });
    expect(sent.status).toBe(201);
    const { rows } = await server.app.parlance.db.query<{ content: Record<string, unknown>; rep_id: string; direction: string }>('SELECT content, rep_id, direction FROM messages WHERE id = $1', [sent.body.messageId]);
    expect(rows[0]).toMatchObject({ direction: 'outbound', rep_id: 'rep-ann', content: { kind: 'component', approvedTemplate: 'order_shipped_v2', component: { inline: { name: 'Inline_Shipped' } } } });
  });

  it('B:31 after 24 hours the component must be linked to an approved WhatsApp template', async () => {
    server.now = T0;
    const number = newNumber();
    await wrote('wa', number);
    server.now = T0 + 30 * HOUR;
    const r = await check({ channelId: 'wa', platformKey: number, content: { kind: 'component', component: 'Order_Shipped' } });
    expect(r.reasons.map((x) => [x.code, x.pointer])).toEqual([['WHATSAPP_TEMPLATE_REQUIRED', '/content/approvedTemplate']]);
  });

  it('B:31 after 24 hours the component can\'t contain dynamic content', async () => {
    server.now = T0;
    const number = newNumber();
    await wrote('wa', number);
    server.now = T0 + 30 * HOUR;
    const stored = await check({ channelId: 'wa', platformKey: number, content: { kind: 'component', component: 'Case_Update', approvedTemplate: 'case_update' } });
    expect(stored.reasons.map((x) => [x.code, x.pointer])).toEqual([['WHATSAPP_DYNAMIC_CONTENT', '/content/component']]);
    expect(stored.reasons[0]?.message).toContain('/formats/0/title/formula');
    // Both rules fail together when the dynamic component isn't linked either.
    const inline = await check({ channelId: 'wa', platformKey: number, content: { kind: 'component', component: dynamicLink } });
    expect(inline.reasons.map((x) => x.code)).toEqual(['WHATSAPP_TEMPLATE_REQUIRED', 'WHATSAPP_DYNAMIC_CONTENT']);
    expect(inline.reasons[1]?.message).toContain('/content/component/formats/0/title/formula');
    // Within the window, dynamic content is fine.
    server.now = T0;
    await wrote('wa', number);
    expect(await codes({ channelId: 'wa', platformKey: number, content: { kind: 'component', component: 'Case_Update' } })).toEqual([]);
  });
});

describe('article B, enhanced Facebook Messenger', () => {
  it('B:33 within seven days of the customer\'s last message reps can message them (seven days exactly included)', async () => {
    server.now = T0;
    const psid = newKey('fb');
    await wrote('fb', psid);
    server.now = T0 + 7 * 24 * HOUR;
    expect(await codes({ channelId: 'fb', platformKey: psid })).toEqual([]);
  });

  it('B:33 after seven days reps can\'t use Send a Message at all, whatever the content', async () => {
    server.now = T0;
    const psid = newKey('fb');
    await say('fb', psid, 'Hi');
    server.now = T0 + 7 * 24 * HOUR + 1;
    expect(await codes({ channelId: 'fb', platformKey: psid, repId: 'rep-x' })).toContain('FACEBOOK_WINDOW_CLOSED');
    const component = await check({ channelId: 'fb', platformKey: psid, content: { kind: 'component', component: 'Order_Shipped', approvedTemplate: 't' } });
    expect(component.reasons.find((x) => x.code === 'FACEBOOK_WINDOW_CLOSED')?.message).toContain('7 days ago');
    // Standard Messenger follows the same Facebook rule (G:2459).
    const std = newKey('fbstd');
    server.now = T0;
    await say('fbstd', std, 'Hi');
    server.now = T0 + 8 * 24 * HOUR;
    expect(await codes({ channelId: 'fbstd', platformKey: std, repId: 'rep-x' })).toEqual(['FACEBOOK_WINDOW_CLOSED', 'SESSION_IN_PROGRESS']);
  });
});

describe('consent (G:3739, G:6287)', () => {
  it('the customer\'s consent must meet the channel\'s required level; an opt-out never does', async () => {
    server.now = T0;
    const number = newNumber();
    await say('wa-explicit', number, 'Hi');
    const r = await check({ channelId: 'wa-explicit', platformKey: number, repId: 'rep-x' });
    // The inquiry is held for consent (status Consent): no live session yet.
    expect(r.reasons.map((x) => x.code)).toEqual(['CONSENT_NOT_MET']);
    expect(r.reasons[0]?.message).toContain('requires ExplicitOptIn');
    // YES releases the held inquiry to routing: consent is met, and the customer is now in a live session.
    await say('wa-explicit', number, 'YES');
    expect(await codes({ channelId: 'wa-explicit', platformKey: number, repId: 'rep-x' })).toEqual(['SESSION_IN_PROGRESS']);
    await say('wa-explicit', number, 'STOP');
    const out = await check({ channelId: 'wa-explicit', platformKey: number, repId: 'rep-x' });
    expect(out.reasons.map((x) => x.code)).toEqual(['CONSENT_NOT_MET']);
    expect(out.reasons[0]?.message).toContain('opted out');
  });

  it('In-App channels have no consent: a user record is all it takes', async () => {
    server.now = T0;
    const key = newKey('inapp');
    await server.call('PUT', `/v1/channels/inapp/users/${key}`, {});
    expect(await codes({ channelId: 'inapp', platformKey: key })).toEqual([]);
  });
});

describe('automatic notifications (G:390, G:4886-4894, X:56, X:61)', () => {
  it('SMS: only to recipients in the channel\'s country', async () => {
    server.now = T0;
    const us = newNumber();
    const canada = '+14165550123';
    await server.call('PUT', `/v1/channels/lc/users/${encodeURIComponent(us)}`, {});
    await server.call('PUT', `/v1/channels/lc/users/${encodeURIComponent(canada)}`, {});
    expect(await codes({ channelId: 'lc', platformKey: us, automatic: true })).toEqual([]);
    const r = await check({ channelId: 'lc', platformKey: canada, automatic: true });
    expect(r.reasons.map((x) => [x.code, x.pointer])).toEqual([['SMS_COUNTRY_MISMATCH', '/platformKey']]);
    expect(r.reasons[0]?.message).toContain('is in CA');
    // A rep's own message isn't an automatic notification: the country rule doesn't apply.
    expect(await codes({ channelId: 'lc', platformKey: canada })).toEqual([]);
    await server.call('PUT', `/v1/channels/lc-nocountry/users/${encodeURIComponent(us)}`, {});
    expect(await codes({ channelId: 'lc-nocountry', platformKey: us, automatic: true })).toEqual(['CHANNEL_COUNTRY_MISSING']);
  });

  it('are refused where they aren\'t sent (enhanced Messenger, enhanced SMS), and create an Ended session elsewhere, next to a live one', async () => {
    server.now = T0;
    const psid = newKey('fb');
    await say('fb', psid, 'Hi');
    expect((await check({ channelId: 'fb', platformKey: psid, automatic: true })).reasons.map((x) => [x.code, x.pointer])).toEqual([['AUTOMATIC_NOT_SUPPORTED', '/automatic']]);
    const number = newNumber();
    const live = await say('lc', number, 'Where is my parcel?');
    const sent = await send({ channelId: 'lc', platformKey: number, repId: 'flow-shipping', automatic: true });
    expect(sent.status).toBe(201);
    expect(sent.body.session).toMatchObject({ status: 'Ended', origin: 'automatic', endReason: 'AUTOMATIC_NOTIFICATION', usesRepCapacity: false });
    expect(sent.body.routing.reply).toBe('NewSession');
    expect((await server.call('GET', `/v1/sessions/${live.session.id}`, undefined, { key: 'service' })).body.status).toBe('Waiting');
  });
});

describe('sessions the send creates or joins', () => {
  it('a session holding only consent keywords is replaced by the rep\'s New session', async () => {
    server.now = T0;
    const number = newNumber();
    const help = await say('wa', number, 'HELP');
    expect(help.session.status).toBe('Consent');
    const sent = await send({ channelId: 'wa', platformKey: number });
    expect(sent.status).toBe(201);
    expect(sent.body.session.id).not.toBe(help.session.id);
    expect((await server.call('GET', `/v1/sessions/${help.session.id}`, undefined, { key: 'service' })).body).toMatchObject({ status: 'Ended', endReason: 'SUPERSEDED_BY_OUTBOUND' });
  });

  it('a rep can send several messages before the customer responds: they join the New session', async () => {
    server.now = T0;
    const number = newNumber();
    const first = await send({ channelId: 'sms', platformKey: number, consentAttested: true });
    server.now = T0 + HOUR;
    const second = await send({ channelId: 'sms', platformKey: number, consentAttested: true, content: { kind: 'freeform', text: 'Also: your invoice is ready.' } });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ sessionCreated: false, messagingUser: { created: false }, session: { id: first.body.session.id, status: 'New', expiresAt: first.body.session.expiresAt } });
    const { rows } = await server.app.parlance.db.query<{ text: string }>("SELECT text FROM messages WHERE session_id = $1 AND direction = 'outbound' ORDER BY id", [first.body.session.id]);
    expect(rows.map((r) => r.text)).toEqual(['Hi, your order has shipped.', 'Also: your invoice is ready.']);
  });
});

describe('bad requests change nothing', () => {
  it('are 4xx problems with pointers, and a refused send writes nothing', async () => {
    server.now = T0;
    const before = await counts();
    const unknown = await server.call('POST', '/v1/outbound/check', body({ channelId: 'nope', platformKey: 'x' }), { key: 'service' });
    expect(unknown).toMatchObject({ status: 404, body: { errors: [{ pointer: '/channelId', code: 'E_NOT_FOUND' }] } });
    const noComponent = await server.call('POST', '/v1/outbound/check', body({ channelId: 'wa', platformKey: '+14155550000', content: { kind: 'component' } }), { key: 'service' });
    expect(noComponent).toMatchObject({ status: 400, body: { errors: [{ pointer: '/content/component', code: 'E_REQUIRED' }] } });
    const stray = await server.call('POST', '/v1/outbound/check', body({ channelId: 'wa', platformKey: '+14155550000', content: { kind: 'freeform', component: 'Order_Shipped' } }), { key: 'service' });
    expect(stray).toMatchObject({ status: 400, body: { errors: [{ pointer: '/content/component', code: 'E_UNEXPECTED_PROPERTY' }] } });
    const missing = await server.call('POST', '/v1/outbound/send', body({ channelId: 'wa', platformKey: '+14155550000', content: { kind: 'component', component: 'No_Such' } }), { key: 'service' });
    expect(missing).toMatchObject({ status: 404, body: { errors: [{ pointer: '/content/component' }] } });
    const invalid = await server.call('POST', '/v1/outbound/send', body({ channelId: 'wa', platformKey: '+14155550000', content: { kind: 'component', component: { name: 'X', type: 'Nope' } } }), { key: 'service' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors[0].pointer).toBe('/content/component/type');
    const schema = await server.call('POST', '/v1/outbound/check', { channelId: 'wa', platformKey: 'x', content: { kind: 'sms' } }, { key: 'service' });
    expect(schema.status).toBe(400);
    expect(schema.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/repId', '/content/kind']));
    const refused = await send({ channelId: 'web', platformKey: 'visitor-x' });
    expect(refused).toMatchObject({ status: 422, body: { type: 'https://parlance.dev/problems/outbound-refused' } });
    expect(refused.body.errors.map((e: { code: string }) => e.code)).toEqual(['CHANNEL_NOT_SUPPORTED', 'NO_MESSAGING_USER']);
    expect(await counts()).toEqual(before);
  });

  it('need the service scope', async () => {
    const r = await server.call('POST', '/v1/outbound/check', body({ channelId: 'wa', platformKey: '+14155550000' }), { key: 'preview' });
    expect(r.status).toBe(403);
    expect((await server.call('POST', '/v1/outbound/send', body({ channelId: 'wa', platformKey: '+14155550000' }), { key: null })).status).toBe(401);
  });
});
