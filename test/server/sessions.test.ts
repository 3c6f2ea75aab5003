/**
 * The messaging session lifecycle end to end (SPEC-EXTRACT §11), through the real HTTP server:
 * every transition (accept, mark inactive, end, transfer, the customer's messages), every refusal
 * with its code, and the timeouts (Inactive after 30 hours, a rep's New session after 48 hours, or
 * 24 on standard channels) with the movable clock, applied when a session is read and stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type JsonBody, type TestServer } from '../helpers/server.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-21T10:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  for (const [id, type] of [
    ['fb', 'FacebookEnhanced'],
    ['wa', 'WhatsAppEnhanced'],
    ['web', 'EmbeddedWeb'],
    ['inapp', 'EmbeddedInApp'],
    ['sms', 'SmsEnhanced'],
    ['lc', 'SmsLongCode'],
    ['fbstd', 'FacebookStandard'],
  ] as const) {
    const r = await server.call('PUT', `/v1/channels/${id}`, { type, ...(type.startsWith('Sms') ? { country: 'US' } : {}) });
    expect([200, 201]).toContain(r.status);
  }
});
afterAll(async () => {
  await server.close();
});

let counter = 0;
const newNumber = (): string => `+1415555${String(5000 + counter++).padStart(4, '0')}`;
const newKey = (): string => `user-${counter++}`;

async function say(channelId: string, from: string, text: string): Promise<JsonBody> {
  const r = await server.call('POST', `/v1/channels/${channelId}/inbound`, { from, text }, { key: 'service' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}
const get = async (id: string): Promise<JsonBody> => (await server.call('GET', `/v1/sessions/${id}`, undefined, { key: 'service' })).body;
const act = (id: string, action: string, body: Record<string, unknown> = {}) => server.call('POST', `/v1/sessions/${id}/${action}`, body, { key: 'service' });

/** A customer's inquiry on a channel, accepted by `rep`: an Active session. */
async function activeSession(channelId: string, rep = 'rep-ann', key = channelId.startsWith('sms') || channelId === 'lc' || channelId === 'wa' ? newNumber() : newKey()): Promise<{ id: string; key: string }> {
  const inquiry = await say(channelId, key, 'I need help with my order');
  expect(inquiry.session.status).toBe('Waiting');
  const accepted = await act(inquiry.session.id, 'accept', { agentId: rep });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return { id: inquiry.session.id, key };
}

/** The stored row, read behind the API's back. */
async function row(id: string): Promise<Record<string, unknown>> {
  const { rows } = await server.app.parlance.db.query<Record<string, unknown>>('SELECT status, end_reason, ended_at, expires_at, rep_id FROM sessions WHERE id = $1', [id]);
  return rows[0] as Record<string, unknown>;
}

describe('accept (Waiting → Active, G:483)', () => {
  it('a rep accepts a Waiting session: Active, with the rep, using their capacity', async () => {
    server.now = T0;
    const inquiry = await say('fb', newKey(), 'Hello?');
    expect(inquiry.session.status).toBe('Waiting');
    expect(await get(inquiry.session.id)).toMatchObject({ status: 'Waiting', usesRepCapacity: false, origin: 'inbound' });
    server.now = T0 + 60_000;
    const r = await act(inquiry.session.id, 'accept', { agentId: 'rep-ann' });
    expect(r.body).toMatchObject({ id: inquiry.session.id, status: 'Active', repId: 'rep-ann', agentType: 'Rep', usesRepCapacity: true, acceptedAt: iso(T0 + 60_000) });
  });

  it('a bot accepts too', async () => {
    server.now = T0;
    const inquiry = await say('inapp', newKey(), 'Hello?');
    expect((await act(inquiry.session.id, 'accept', { agentId: 'bot-einstein', agentType: 'Bot' })).body).toMatchObject({ status: 'Active', repId: 'bot-einstein', agentType: 'Bot' });
  });

  it('is refused (409 E_INVALID_TRANSITION) from any status but Waiting, and changes nothing', async () => {
    server.now = T0;
    const { id } = await activeSession('fb');
    const again = await act(id, 'accept', { agentId: 'rep-bob' });
    expect(again).toMatchObject({ status: 409, body: { type: 'https://parlance.dev/problems/invalid-transition', errors: [{ code: 'E_INVALID_TRANSITION' }] } });
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(await get(id)).toMatchObject({ status: 'Active', repId: 'rep-ann' });
    const consent = await say('fb', newKey(), 'HELP');
    expect(consent.session.status).toBe('Consent');
    expect((await act(consent.session.id, 'accept', { agentId: 'rep-ann' })).body.errors[0].code).toBe('E_INVALID_TRANSITION');
    const sent = await server.call('POST', '/v1/outbound/send', { channelId: 'sms', platformKey: newNumber(), repId: 'rep-ann', content: { kind: 'freeform' }, consentAttested: true }, { key: 'service' });
    expect((await act(sent.body.session.id, 'accept', { agentId: 'rep-ann' })).body.errors[0].code).toBe('E_INVALID_TRANSITION');
  });
});

describe('mark inactive (Active → Inactive, G:6481-6491)', () => {
  it('the rep marks an Active session inactive: it frees their capacity and ends after 30 hours', async () => {
    server.now = T0;
    const { id } = await activeSession('wa');
    server.now = T0 + HOUR;
    const r = await act(id, 'inactive', { repId: 'rep-ann' });
    expect(r.body).toMatchObject({ status: 'Inactive', usesRepCapacity: false, expiresAt: iso(T0 + 31 * HOUR) });
  });

  it('is available in enhanced channels and In-App and Web, not in standard ones (G:6483): 422 E_ACTION_NOT_SUPPORTED', async () => {
    server.now = T0;
    for (const ch of ['fb', 'wa', 'web', 'inapp', 'sms']) {
      const { id } = await activeSession(ch);
      expect([ch, (await act(id, 'inactive', { repId: 'rep-ann' })).status]).toEqual([ch, 200]);
    }
    for (const ch of ['lc', 'fbstd']) {
      const { id } = await activeSession(ch);
      const r = await act(id, 'inactive', { repId: 'rep-ann' });
      expect([ch, r.status, r.body.errors[0].code]).toEqual([ch, 422, 'E_ACTION_NOT_SUPPORTED']);
      expect((await get(id)).status).toBe('Active');
    }
  });

  it('only the rep in the session marks it inactive (409 E_NOT_SESSION_REP), and only when Active (409 E_INVALID_TRANSITION)', async () => {
    server.now = T0;
    const { id } = await activeSession('fb');
    const other = await act(id, 'inactive', { repId: 'rep-bob' });
    expect(other).toMatchObject({ status: 409, body: { errors: [{ code: 'E_NOT_SESSION_REP', pointer: '/repId' }] } });
    const waiting = await say('fb', newKey(), 'Hi');
    expect((await act(waiting.session.id, 'inactive', { repId: 'rep-ann' })).body.errors[0].code).toBe('E_INVALID_TRANSITION');
  });

  it('a customer message reroutes an Inactive session (Inactive → Waiting, G:491)', async () => {
    server.now = T0;
    const { id, key } = await activeSession('fb');
    await act(id, 'inactive', { repId: 'rep-ann' });
    server.now = T0 + 29 * HOUR;
    const back = await say('fb', key, 'Sorry, I was away');
    expect(back).toMatchObject({ route: true, routeReason: 'REROUTED_FROM_INACTIVE', session: { id, status: 'Waiting', created: false } });
    const s = await get(id);
    expect(s.expiresAt).toBeUndefined();
    // Rerouted sessions don't expire: far past the 30 hours it is still Waiting.
    server.now = T0 + 100 * HOUR;
    expect((await get(id)).status).toBe('Waiting');
    expect((await act(id, 'accept', { agentId: 'rep-kim' })).body).toMatchObject({ status: 'Active', repId: 'rep-kim' });
  });
});

describe('the Inactive timeout (30 hours, G:6491)', () => {
  it('an Inactive session ends at 30 hours exactly, applied and stored when it is read', async () => {
    server.now = T0;
    const { id } = await activeSession('fb');
    await act(id, 'inactive', { repId: 'rep-ann' });
    server.now = T0 + 30 * HOUR - 1;
    expect((await get(id)).status).toBe('Inactive');
    expect((await row(id)).status).toBe('Inactive');
    server.now = T0 + 45 * HOUR;
    expect(await get(id)).toMatchObject({ status: 'Ended', endReason: 'INACTIVE_TIMEOUT', endedAt: iso(T0 + 30 * HOUR), updatedAt: iso(T0 + 30 * HOUR) });
    // Stored, not only shown: even with the clock turned back, it stays Ended.
    server.now = T0;
    expect(await row(id)).toMatchObject({ status: 'Ended', end_reason: 'INACTIVE_TIMEOUT' });
    expect((await get(id)).status).toBe('Ended');
  });

  it('a customer message after the timeout starts a new session; the old one ended at its expiry', async () => {
    server.now = T0;
    const { id, key } = await activeSession('wa');
    await act(id, 'inactive', { repId: 'rep-ann' });
    server.now = T0 + 31 * HOUR;
    const msg = await say('wa', key, 'Hello again');
    expect(msg).toMatchObject({ route: true, routeReason: 'NEW_INQUIRY', session: { status: 'Waiting', created: true } });
    expect(msg.session.id).not.toBe(id);
    expect(await get(id)).toMatchObject({ status: 'Ended', endReason: 'INACTIVE_TIMEOUT', endedAt: iso(T0 + 30 * HOUR) });
  });

  it('a transition on an expired session is refused (409 E_SESSION_CLOSED) but the expiry is stored', async () => {
    server.now = T0;
    const { id } = await activeSession('fb');
    await act(id, 'inactive', { repId: 'rep-ann' });
    server.now = T0 + 40 * HOUR;
    const r = await act(id, 'end');
    expect(r).toMatchObject({ status: 409, body: { errors: [{ code: 'E_SESSION_CLOSED' }] } });
    expect(await row(id)).toMatchObject({ status: 'Ended', end_reason: 'INACTIVE_TIMEOUT' });
  });
});

describe('the New session timeout (B:19, G:6308)', () => {
  it('a rep\'s New session ends 48 hours after it was sent on an enhanced channel, 24 on a standard one', async () => {
    server.now = T0;
    const enhanced = await server.call('POST', '/v1/outbound/send', { channelId: 'sms', platformKey: newNumber(), repId: 'rep-ann', content: { kind: 'freeform' }, consentAttested: true }, { key: 'service' });
    const key = newNumber();
    await server.call('PUT', `/v1/channels/lc/users/${encodeURIComponent(key)}`, {});
    const standard = await server.call('POST', '/v1/outbound/send', { channelId: 'lc', platformKey: key, repId: 'rep-ann', content: { kind: 'freeform' } }, { key: 'service' });
    expect([enhanced.status, standard.status]).toEqual([201, 201]);
    server.now = T0 + 24 * HOUR;
    expect((await get(enhanced.body.session.id)).status).toBe('New');
    expect(await get(standard.body.session.id)).toMatchObject({ status: 'Ended', endReason: 'NO_RESPONSE_TIMEOUT', endedAt: iso(T0 + 24 * HOUR) });
    server.now = T0 + 48 * HOUR;
    expect(await get(enhanced.body.session.id)).toMatchObject({ status: 'Ended', endReason: 'NO_RESPONSE_TIMEOUT', endedAt: iso(T0 + 48 * HOUR) });
  });

  it('a reply after 48 hours is a new inquiry, routed to any rep; the New session ended at 48 hours', async () => {
    server.now = T0;
    const key = newNumber();
    const sent = await server.call('POST', '/v1/outbound/send', { channelId: 'sms', platformKey: key, repId: 'rep-ann', content: { kind: 'freeform' }, consentAttested: true }, { key: 'service' });
    server.now = T0 + 49 * HOUR;
    const reply = await say('sms', key, 'Sorry for the late answer');
    expect(reply).toMatchObject({ routeReason: 'NEW_INQUIRY', session: { created: true, status: 'Waiting' } });
    expect(reply.routeTo).toBeUndefined();
    expect(await row(sent.body.session.id)).toMatchObject({ status: 'Ended', end_reason: 'NO_RESPONSE_TIMEOUT' });
  });

  it('the outbound check applies the expiry too: the rep who sent can be followed by another rep', async () => {
    server.now = T0;
    const key = newNumber();
    const sent = await server.call('POST', '/v1/outbound/send', { channelId: 'sms', platformKey: key, repId: 'rep-ann', content: { kind: 'freeform' }, consentAttested: true }, { key: 'service' });
    const body = { channelId: 'sms', platformKey: key, repId: 'rep-bob', content: { kind: 'freeform' } };
    expect((await server.call('POST', '/v1/outbound/check', body, { key: 'service' })).body.reasons.map((r: { code: string }) => r.code)).toEqual(['SESSION_IN_PROGRESS']);
    server.now = T0 + 48 * HOUR;
    expect((await server.call('POST', '/v1/outbound/check', body, { key: 'service' })).body).toMatchObject({ allowed: true, reasons: [] });
    expect(await row(sent.body.session.id)).toMatchObject({ status: 'Ended', end_reason: 'NO_RESPONSE_TIMEOUT' });
  });
});

describe('end (→ Ended, G:6496-6508)', () => {
  it('a rep ends an open session in any status; ending it again is refused (409 E_SESSION_CLOSED)', async () => {
    server.now = T0;
    const { id } = await activeSession('fb');
    server.now = T0 + HOUR;
    expect((await act(id, 'end')).body).toMatchObject({ status: 'Ended', endReason: 'ENDED_BY_REP', endedAt: iso(T0 + HOUR), usesRepCapacity: false });
    expect((await act(id, 'end')).body.errors[0].code).toBe('E_SESSION_CLOSED');
    for (const text of ['Hi', 'HELP']) {
      const s = await say('fb', newKey(), text);
      expect((await act(s.session.id, 'end')).body.status).toBe('Ended');
    }
    const { id: inactive } = await activeSession('wa');
    await act(inactive, 'inactive', { repId: 'rep-ann' });
    expect((await act(inactive, 'end')).body.status).toBe('Ended');
  });

  it('a customer ends the chat on Web and In-App only (row 310)', async () => {
    server.now = T0;
    const { id } = await activeSession('web');
    expect((await act(id, 'end', { by: 'customer' })).body).toMatchObject({ status: 'Ended', endReason: 'ENDED_BY_CUSTOMER' });
    const { id: sms } = await activeSession('sms');
    const r = await act(sms, 'end', { by: 'customer' });
    expect(r).toMatchObject({ status: 422, body: { errors: [{ code: 'E_ACTION_NOT_SUPPORTED', pointer: '/by' }] } });
    expect((await get(sms)).status).toBe('Active');
  });

  it('after the session ends, the customer\'s next message starts a new one (G:1293)', async () => {
    server.now = T0;
    const { id, key } = await activeSession('inapp');
    await act(id, 'end');
    const next = await say('inapp', key, 'One more thing');
    expect(next.session).toMatchObject({ created: true, status: 'Waiting' });
  });
});

describe('transfer (Active → Waiting, G:6448-6477)', () => {
  it('the rep transfers to another rep; the original rep stays until the target accepts, then is removed', async () => {
    server.now = T0;
    const { id } = await activeSession('fb', 'rep-ann');
    const t = await act(id, 'transfer', { repId: 'rep-ann', target: { kind: 'rep', id: 'rep-kim' } });
    expect(t.body).toMatchObject({ status: 'Waiting', repId: 'rep-ann', routeTo: { kind: 'rep', id: 'rep-kim' }, usesRepCapacity: false });
    const wrong = await act(id, 'accept', { agentId: 'rep-bob' });
    expect(wrong).toMatchObject({ status: 409, body: { errors: [{ code: 'E_NOT_TRANSFER_TARGET', pointer: '/agentId' }] } });
    const accepted = await act(id, 'accept', { agentId: 'rep-kim' });
    expect(accepted.body).toMatchObject({ status: 'Active', repId: 'rep-kim' });
    expect(accepted.body.routeTo).toBeUndefined();
  });

  it('a transfer to a queue or flow may be accepted by anyone; a customer message meanwhile keeps the target', async () => {
    server.now = T0;
    const { id, key } = await activeSession('wa');
    await act(id, 'transfer', { repId: 'rep-ann', target: { kind: 'queue', id: 'billing' } });
    const msg = await say('wa', key, 'Hello?');
    expect(msg).toMatchObject({ route: false, routeReason: 'ALREADY_ROUTED', session: { id, status: 'Waiting' } });
    expect((await get(id)).routeTo).toEqual({ kind: 'queue', id: 'billing' });
    expect((await act(id, 'accept', { agentId: 'rep-any' })).body).toMatchObject({ status: 'Active', repId: 'rep-any' });
  });

  it('is refused: on standard channels (422), by another rep (409), to the same rep (422), when not Active (409), and can\'t be cancelled', async () => {
    server.now = T0;
    const { id: std } = await activeSession('lc');
    expect((await act(std, 'transfer', { repId: 'rep-ann', target: { kind: 'rep', id: 'rep-kim' } })).body.errors[0].code).toBe('E_ACTION_NOT_SUPPORTED');
    const { id } = await activeSession('fb');
    expect((await act(id, 'transfer', { repId: 'rep-bob', target: { kind: 'rep', id: 'rep-kim' } })).body.errors[0].code).toBe('E_NOT_SESSION_REP');
    const self = await act(id, 'transfer', { repId: 'rep-ann', target: { kind: 'rep', id: 'rep-ann' } });
    expect(self).toMatchObject({ status: 422, body: { errors: [{ code: 'E_TRANSFER_TO_SELF', pointer: '/target/id' }] } });
    await act(id, 'transfer', { repId: 'rep-ann', target: { kind: 'rep', id: 'rep-kim' } });
    // Waiting now: transferring again (or back) is refused, the first transfer stands.
    expect((await act(id, 'transfer', { repId: 'rep-ann', target: { kind: 'rep', id: 'rep-bob' } })).body.errors[0].code).toBe('E_INVALID_TRANSITION');
    expect((await get(id)).routeTo).toEqual({ kind: 'rep', id: 'rep-kim' });
    const bad = await act(id, 'transfer', { repId: 'rep-ann', target: { kind: 'person', id: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/target/kind');
  });
});

describe('opt-out (G:3753)', () => {
  it('ends the open session, whatever its status, with OPTED_OUT', async () => {
    server.now = T0;
    const { id, key } = await activeSession('sms');
    const stop = await say('sms', key, 'STOP');
    expect(stop.closedSessions).toEqual([id]);
    expect(await get(id)).toMatchObject({ status: 'Ended', endReason: 'OPTED_OUT' });
  });
});

describe('reading sessions', () => {
  it('GET /v1/sessions/{id}: 404 for an unknown id, 400 for a malformed one, 403 without the scope', async () => {
    expect((await server.call('GET', '/v1/sessions/999999', undefined, { key: 'service' })).body).toMatchObject({ status: 404, errors: [{ pointer: '/params/id' }] });
    expect((await server.call('GET', '/v1/sessions/abc', undefined, { key: 'service' })).status).toBe(400);
    expect((await server.call('GET', '/v1/sessions/1', undefined, { key: 'preview' })).status).toBe(403);
    expect((await server.call('POST', '/v1/sessions/1/accept', { agentId: 'x' }, { key: 'preview' })).status).toBe(403);
    expect((await server.call('POST', '/v1/sessions/999999/end', {}, { key: 'service' })).status).toBe(404);
  });

  it('a user\'s sessions, newest first, with the open one\'s expiry applied', async () => {
    server.now = T0;
    const { id: first, key } = await activeSession('fb');
    await act(first, 'end');
    const second = await say('fb', key, 'Back again');
    await act(second.session.id, 'accept', { agentId: 'rep-ann' });
    await act(second.session.id, 'inactive', { repId: 'rep-ann' });
    server.now = T0 + 31 * HOUR;
    const list = await server.call('GET', `/v1/channels/fb/users/${key}/sessions`, undefined, { key: 'service' });
    expect(list.status).toBe(200);
    expect(list.body.sessions.map((s: { id: string; status: string; endReason: string }) => [s.id, s.status, s.endReason])).toEqual([
      [second.session.id, 'Ended', 'INACTIVE_TIMEOUT'],
      [first, 'Ended', 'ENDED_BY_REP'],
    ]);
    const one = await server.call('GET', `/v1/channels/fb/users/${key}/sessions?limit=1`, undefined, { key: 'service' });
    expect(one.body.sessions.map((s: { id: string }) => s.id)).toEqual([second.session.id]);
    expect((await server.call('GET', `/v1/channels/fb/users/nobody/sessions`, undefined, { key: 'service' })).body).toMatchObject({ status: 404, errors: [{ pointer: '/params/platformKey' }] });
    expect((await server.call('GET', `/v1/channels/nope/users/${key}/sessions`, undefined, { key: 'service' })).status).toBe(404);
    expect((await server.call('GET', `/v1/channels/fb/users/${key}/sessions?limit=0`, undefined, { key: 'service' })).status).toBe(400);
  });
});
