/**
 * Automated responses end to end, through the real HTTP server (docs/auto-responses.md): the
 * sample In-App channel bound to auto-response components (the acceptance of issue 18), every
 * session trigger, the write-time component checks, and `botInUse` on inbound messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSamples } from '../../src/server/samples.js';
import { startServer, type JsonBody, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await loadSamples(server.app);
});
afterAll(async () => {
  await server.close();
});

let counter = 0;
const newKey = (): string => `auto-user-${counter++}`;
const say = async (channelId: string, from: string, text: string, extra: Record<string, unknown> = {}): Promise<JsonBody> => {
  const r = await server.call('POST', `/v1/channels/${channelId}/inbound`, { from, text, ...extra }, { key: 'service' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const act = async (id: string, action: string, body: Record<string, unknown> = {}): Promise<JsonBody> => {
  const r = await server.call('POST', `/v1/sessions/${id}/${action}`, body, { key: 'service' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const put = (id: string, body: Record<string, unknown>) => server.call('PUT', `/v1/channels/${id}`, body);

describe('the sample In-App channel bound to auto-response components (G:4505-4516)', () => {
  it('G:4513: the first message gets the Conversation Acknowledgment component rendered, agents see a placeholder (G:4520)', async () => {
    const first = await say('in-app-components', newKey(), 'Where is my order?');
    expect(first.route).toBe(true);
    expect(first.responses).toHaveLength(1);
    const ack = first.responses[0];
    expect(ack).toMatchObject({ type: 'InitialResponse', kind: 'conversationAcknowledgment', trigger: 'inbound', component: 'Welcome_Terms', transcript: '[Auto-response]' });
    expect(ack.render).toMatchObject({ channel: 'EmbeddedInApp', format: 'WebPage', content: { type: 'WebPage', title: 'Terms and Conditions', url: 'https://www.example.com/legal/terms' } });
    expect(ack.text).toBe('Welcome! By chatting with us you agree to our terms.\nhttps://www.example.com/legal/terms');
  });

  it('G:5212 + G:5213: accepting returns the Start Conversation render; ending returns the End Conversation render', async () => {
    const first = await say('in-app-components', newKey(), 'Hi');
    const accepted = await act(first.session.id, 'accept', { agentId: 'rep-ann' });
    expect(accepted.status).toBe('Active');
    expect(accepted.responses).toEqual([
      expect.objectContaining({ type: 'AgentEngagedResponse', kind: 'startConversation', trigger: 'accept', component: 'Start_Conversation', text: 'Hello, how can I help you today?', transcript: '[Auto-response]' }),
    ]);
    expect(accepted.responses[0].render).toMatchObject({ format: 'Text', content: { type: 'Text', text: 'Hello, how can I help you today?' } });
    const ended = await act(first.session.id, 'end', {});
    expect(ended.status).toBe('Ended');
    expect(ended.responses).toHaveLength(1);
    expect(ended.responses[0]).toMatchObject({ type: 'AgentEndEngagementResponse', trigger: 'end', component: 'End_Conversation_Survey', transcript: '[Auto-response]' });
    expect(ended.responses[0].render).toMatchObject({ format: 'WebPage', content: { text: 'Thanks again for contacting us. We appreciate your business.', title: 'Tell us how we did', url: 'https://www.example.com/survey' } });
  });

  it('G:5213: the customer ending the chat gets the End Conversation response too', async () => {
    const first = await say('in-app-components', newKey(), 'Hi');
    await act(first.session.id, 'accept', { agentId: 'rep-ann' });
    const ended = await act(first.session.id, 'end', { by: 'customer' });
    expect(ended.responses.map((r: JsonBody) => r.type)).toEqual(['AgentEndEngagementResponse']);
  });
});

describe('session triggers on text channels (SPEC-EXTRACT §14.1)', () => {
  beforeAll(async () => {
    const r = await put('wa-auto', {
      type: 'WhatsAppEnhanced',
      autoResponses: { startConversation: 'Hello, how can I help you today?', endConversation: 'Thanks again for contacting us.' },
      automatedResponses: [
        { type: 'EndUserInactiveResponse', text: 'We will keep your conversation open.' },
        { type: 'RerouteResponse', text: 'Connecting you with someone else.' },
      ],
    });
    expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
  });

  it('G:5212: a rep accepting sends Start Conversation; a bot accepting sends nothing (a bot is not an agent joining)', async () => {
    const rep = await say('wa-auto', '+14155550601', 'Hi');
    expect((await act(rep.session.id, 'accept', { agentId: 'rep-ann' })).responses).toEqual([
      { kind: 'startConversation', type: 'AgentEngagedResponse', trigger: 'accept', language: 'en', text: 'Hello, how can I help you today?', transcript: 'Hello, how can I help you today?' },
    ]);
    const bot = await say('wa-auto', '+14155550602', 'Hi');
    expect((await act(bot.session.id, 'accept', { agentId: 'bot-1', agentType: 'Bot' })).responses).toEqual([]);
  });

  it('G:491 + G:6448: marking inactive, rerouting by a customer message and transferring send their responses', async () => {
    const s = await say('wa-auto', '+14155550603', 'Hi');
    await act(s.session.id, 'accept', { agentId: 'rep-ann' });
    const inactive = await act(s.session.id, 'inactive', { repId: 'rep-ann' });
    expect(inactive.responses.map((r: JsonBody) => [r.type, r.trigger, r.text])).toEqual([['EndUserInactiveResponse', 'markInactive', 'We will keep your conversation open.']]);
    const back = await say('wa-auto', '+14155550603', 'I am back');
    expect(back.routeReason).toBe('REROUTED_FROM_INACTIVE');
    expect(back.responses.map((r: JsonBody) => [r.type, r.trigger])).toEqual([['RerouteResponse', 'inbound']]);
    await act(s.session.id, 'accept', { agentId: 'rep-bob' });
    const moved = await act(s.session.id, 'transfer', { repId: 'rep-bob', target: { kind: 'queue', id: 'billing' } });
    expect(moved.responses.map((r: JsonBody) => [r.type, r.trigger])).toEqual([['RerouteResponse', 'transfer']]);
  });
});

describe('write-time checks of components (G:4513, G:4519)', () => {
  it('a component that is not stored, or not an auto-response, is refused with its pointer', async () => {
    const r = await put('in-app-bad', { type: 'EmbeddedInApp', autoResponses: { startConversation: { component: 'No_Such' } }, automatedResponses: [{ type: 'AgentEndEngagementResponse', component: 'Home_Page_Link' }] });
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: JsonBody) => [e.pointer, e.code])).toEqual([
      ['/autoResponses/startConversation/component', 'E_COMPONENT_NOT_FOUND'],
      ['/automatedResponses/0/component', 'E_NOT_AN_AUTO_RESPONSE'],
    ]);
  });

  it('G:4519: an auto-response component on enhanced Facebook Messenger is refused with the reason', async () => {
    const r = await put('fb-auto', { type: 'FacebookEnhanced', autoResponses: { startConversation: { component: 'Start_Conversation' } } });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([expect.objectContaining({ pointer: '/autoResponses/startConversation/component', code: 'E_COMPONENT_NOT_SUPPORTED' })]);
    expect(r.body.errors[0].message).toContain("aren't supported in enhanced Facebook Messenger");
  });

  it('the stored channel reads back as written, automatedResponses included', async () => {
    const body = { type: 'EmbeddedWeb', automatedResponses: [{ type: 'InitialResponse', component: 'Welcome_Terms' }, { type: 'AgentEngagedResponse', text: 'Hi there' }] };
    expect((await put('web-auto', body)).status).toBe(201);
    const got = await server.call('GET', '/v1/channels/web-auto');
    expect(got.body.automatedResponses).toEqual(body.automatedResponses);
  });
});

describe('bots on inbound messages (G:5211)', () => {
  it('botInUse is accepted and disables the Conversation Acknowledgment', async () => {
    const withBot = await say('in-app-components', newKey(), 'Hi', { botInUse: true });
    expect(withBot.route).toBe(true);
    expect(withBot.responses).toEqual([]);
    const without = await say('in-app-components', newKey(), 'Hi', { botInUse: false });
    expect(without.responses.map((r: JsonBody) => r.type)).toEqual(['InitialResponse']);
  });
});

describe('bots on outbound messages (G:4868, G:5729)', () => {
  const check = (body: Record<string, unknown>) => server.call('POST', '/v1/outbound/check', body, { key: 'service' });

  it('G:4868: agentType Bot is accepted; a bot\'s question is refused with BOT_COMPONENT_NOT_ALLOWED, its enhanced link is not', async () => {
    const key = newKey();
    await say('facebook-enhanced', key, 'Hi');
    const question = await check({ channelId: 'facebook-enhanced', platformKey: key, repId: 'bot-1', agentType: 'Bot', content: { kind: 'component', component: 'Reason_for_Contact' } });
    expect(question.status, JSON.stringify(question.body)).toBe(200);
    expect(question.body.reasons.map((r: JsonBody) => r.code)).toContain('BOT_COMPONENT_NOT_ALLOWED');
    const link = await check({ channelId: 'facebook-enhanced', platformKey: key, repId: 'bot-1', agentType: 'Bot', content: { kind: 'component', component: 'Home_Page_Link' } });
    expect(link.body.reasons.map((r: JsonBody) => r.code)).not.toContain('BOT_COMPONENT_NOT_ALLOWED');
  });

  it("G:5729: on enhanced WhatsApp a bot can't send even an enhanced link", async () => {
    const r = await check({ channelId: 'wa-auto', platformKey: '+14155550699', repId: 'bot-1', agentType: 'Bot', content: { kind: 'component', component: 'Home_Page_Link' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.reasons).toContainEqual(expect.objectContaining({ code: 'BOT_COMPONENT_NOT_ALLOWED', pointer: '/content/component' }));
  });
});
