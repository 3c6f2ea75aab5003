/** Automated responses at session events and how a response is sent (src/sessions/auto-responses.ts; SPEC-EXTRACT §14.1, G:4505-4520). */
import { describe, expect, it } from 'vitest';
import { decideInbound } from '../../src/consent/engine.js';
import { validateChannelSettings, type ChannelSettings } from '../../src/consent/settings.js';
import { compileComponent } from '../../src/render/render.js';
import { sendAutoResponse, sessionEventResponses, TRANSCRIPT_PLACEHOLDER } from '../../src/sessions/auto-responses.js';

const settingsOf = (input: Record<string, unknown>): ChannelSettings => {
  const v = validateChannelSettings({ defaultLanguage: 'en', languages: [{ language: 'en' }, { language: 'fr' }], ...input });
  expect(v.errors).toEqual([]);
  return v.settings as ChannelSettings;
};
const web = settingsOf({
  type: 'EmbeddedWeb',
  autoResponses: { conversationAcknowledgment: { component: 'Welcome' }, startConversation: 'Hello', endConversation: 'Bye' },
  automatedResponses: [
    { type: 'AgentEngagedResponse', language: 'fr', text: 'Bonjour' },
    { type: 'EndUserInactiveResponse', text: 'See you later' },
    { type: 'RerouteResponse', text: 'Transferring you' },
  ],
});
const welcome = { name: 'Welcome', type: 'AutoResponse', formats: [{ type: 'Text', template: 'Welcome!' }] };

describe('session events (§14.1)', () => {
  it('G:5212: accept by a rep sends Start Conversation in the user\'s language; by a bot nothing', () => {
    expect(sessionEventResponses({ settings: web, action: 'accept', agentType: 'Rep', language: 'fr' })).toEqual([{ kind: 'startConversation', type: 'AgentEngagedResponse', language: 'fr', text: 'Bonjour' }]);
    expect(sessionEventResponses({ settings: web, action: 'accept', agentType: 'Rep' })).toEqual([{ kind: 'startConversation', type: 'AgentEngagedResponse', language: 'en', text: 'Hello' }]);
    expect(sessionEventResponses({ settings: web, action: 'accept', agentType: 'Bot' })).toEqual([]);
  });

  it('G:5213: end sends End Conversation; G:6483 mark inactive the inactive response; G:6448 transfer the reroute response', () => {
    expect(sessionEventResponses({ settings: web, action: 'end' }).map((r) => r.text)).toEqual(['Bye']);
    expect(sessionEventResponses({ settings: web, action: 'markInactive' }).map((r) => r.type)).toEqual(['EndUserInactiveResponse']);
    expect(sessionEventResponses({ settings: web, action: 'transfer' }).map((r) => r.type)).toEqual(['RerouteResponse']);
  });

  it('nothing configured, nothing sent', () => {
    expect(sessionEventResponses({ settings: settingsOf({ type: 'EmbeddedWeb' }), action: 'end' })).toEqual([]);
  });
});

describe('inbound (G:5211, G:491)', () => {
  it('G:4513: the conversation acknowledgment can be a component; G:5211: not while a bot is in use', () => {
    const d = decideInbound({ settings: web, user: undefined, session: undefined, text: 'Hi', receivedAt: 0 });
    expect(d.responses).toEqual([{ kind: 'conversationAcknowledgment', type: 'InitialResponse', language: 'en', text: '', component: 'Welcome' }]);
    expect(decideInbound({ settings: web, user: undefined, session: undefined, text: 'Hi', receivedAt: 0, botInUse: true }).responses).toEqual([]);
  });

  it('G:491: a message after the session was marked inactive reroutes it, with the reroute response', () => {
    const d = decideInbound({ settings: web, user: { consentStatus: 'ImplicitlyOptedIn' }, session: { id: '1', status: 'Inactive', onlyKeywordsSoFar: false }, text: 'Back', receivedAt: 0 });
    expect(d.routeReason).toBe('REROUTED_FROM_INACTIVE');
    expect(d.responses.map((r) => [r.type, r.text])).toEqual([['RerouteResponse', 'Transferring you']]);
  });
});

describe('sending (G:4520)', () => {
  const [ack] = decideInbound({ settings: web, user: undefined, session: undefined, text: 'Hi', receivedAt: 0 }).responses;

  it('G:4520: a component is rendered for the channel, and agents see a placeholder', () => {
    const sent = sendAutoResponse(ack!, 'inbound', 'EmbeddedWeb', { version: 3, compiled: compileComponent(welcome) }, 0);
    expect(sent).toMatchObject({ trigger: 'inbound', text: 'Welcome!', component: 'Welcome', componentVersion: 3, transcript: TRANSCRIPT_PLACEHOLDER });
    expect(sent.render?.content).toEqual({ type: 'Text', text: 'Welcome!' });
    expect(sent.error).toBeUndefined();
  });

  it('a text response is sent as it is, and agents see it', () => {
    const [bye] = sessionEventResponses({ settings: web, action: 'end' });
    expect(sendAutoResponse(bye!, 'end', 'EmbeddedWeb', undefined, 0)).toEqual({ kind: 'endConversation', type: 'AgentEndEngagementResponse', language: 'en', text: 'Bye', trigger: 'end', transcript: 'Bye' });
  });

  it('a deleted component, or one that is not an auto-response, gives an error value, never an exception', () => {
    expect(sendAutoResponse(ack!, 'inbound', 'EmbeddedWeb', undefined, 0).error?.code).toBe('E_COMPONENT_NOT_FOUND');
    const link = { name: 'Welcome', type: 'EnhancedLink', constants: { Title: { type: 'Text', value: 'Help' }, Url: { type: 'Url', value: 'https://help.example.com/' } } };
    const wrong = sendAutoResponse(ack!, 'inbound', 'EmbeddedWeb', { version: 4, compiled: compileComponent(link) }, 0);
    expect(wrong.error?.code).toBe('E_INVALID_COMPONENT');
    expect(wrong.render).toBeUndefined();
  });
});
