/** Automated responses by trigger: the model, its validation, and how it combines with the older fields (docs/auto-responses.md). */
import { describe, expect, it } from 'vitest';
import { CHANNEL_TYPES } from '../../src/channels/profiles.js';
import { automatedResponseSupport, configuredResponses, findAutomatedResponse, supportsAutoResponseComponents } from '../../src/consent/automated.js';
import { checkResponseComponents, responseComponentNames } from '../../src/consent/automated-validation.js';
import { decideInbound } from '../../src/consent/engine.js';
import { AUTOMATED_RESPONSE_TYPES, defaultChannelSettings, validateChannelSettings, type ChannelSettings } from '../../src/consent/settings.js';
import { supportsAction } from '../../src/sessions/lifecycle.js';

const codes = (r: { errors: readonly { pointer: string; code: string }[] }): string[][] => r.errors.map((e) => [e.pointer, e.code]);
/** The default settings of a channel type, without their default autoResponses. */
const base = (type: Parameters<typeof defaultChannelSettings>[0]): Record<string, unknown> => {
  const { autoResponses: _a, ...rest } = structuredClone(defaultChannelSettings(type));
  return rest as unknown as Record<string, unknown>;
};
const valid = (input: unknown): ChannelSettings => {
  const r = validateChannelSettings(input);
  expect(r.errors).toEqual([]);
  return r.settings as ChannelSettings;
};

describe('the triggers (MessagingChannel automatedResponses/type)', () => {
  it('are the twelve names of the metadata, in its order', () => {
    expect(AUTOMATED_RESPONSE_TYPES).toEqual([
      'InitialResponse', 'AgentEngagedResponse', 'AgentEndEngagementResponse', 'EndUserInactiveResponse', 'EndUserIdleResponse', 'RerouteResponse',
      'OptInPrompt', 'OptInConfirmation', 'DoubleOptInPrompt', 'OptOutConfirmation', 'HelpResponse', 'CustomResponse',
    ]);
  });

  it('auto-response components only on In-App and Web (G:4869, G:4519: not enhanced Facebook Messenger)', () => {
    expect(CHANNEL_TYPES.filter(supportsAutoResponseComponents)).toEqual(['EmbeddedWeb', 'EmbeddedInApp']);
    expect(supportsAutoResponseComponents('FacebookEnhanced')).toBe(false);
  });

  it('inactive, idle and reroute responses exactly where sessions can be marked inactive (G:491, G:6483)', () => {
    for (const channel of CHANNEL_TYPES) {
      for (const t of ['EndUserInactiveResponse', 'EndUserIdleResponse', 'RerouteResponse'] as const) {
        expect(automatedResponseSupport(t, channel).ok, `${t} ${channel}`).toBe(supportsAction('markInactive', channel));
      }
    }
  });

  it('consent responses only where consent applies; the double opt-in prompt on short codes only (G:5235)', () => {
    expect(automatedResponseSupport('OptInPrompt', 'EmbeddedWeb').ok).toBe(false);
    expect(automatedResponseSupport('HelpResponse', 'EmbeddedWeb').ok).toBe(true);
    expect(automatedResponseSupport('DoubleOptInPrompt', 'SmsShortCode').ok).toBe(true);
    expect(automatedResponseSupport('DoubleOptInPrompt', 'SmsLongCode').ok).toBe(false);
  });
});

describe('automatedResponses at write (G:4505-4516)', () => {
  it('G:4513: In-App and Web fields take an auto-response component, in autoResponses or automatedResponses', () => {
    const s = valid({
      ...base('EmbeddedInApp'),
      autoResponses: { conversationAcknowledgment: { component: 'Welcome_Terms' } },
      automatedResponses: [{ type: 'AgentEngagedResponse', component: 'Welcome_Terms' }, { type: 'AgentEndEngagementResponse', text: 'Bye' }],
    });
    expect(s.autoResponses?.conversationAcknowledgment).toEqual({ component: 'Welcome_Terms' });
    expect(responseComponentNames(s)).toEqual(['Welcome_Terms']);
    expect(findAutomatedResponse(s, 'InitialResponse', undefined)).toMatchObject({ component: 'Welcome_Terms', pointer: '/autoResponses/conversationAcknowledgment' });
    expect(findAutomatedResponse(s, 'AgentEngagedResponse', 'en')).toMatchObject({ component: 'Welcome_Terms', pointer: '/automatedResponses/0' });
  });

  it('G:4519: an auto-response component is refused on enhanced Facebook Messenger, and on every other non In-App and Web channel', () => {
    const fb = validateChannelSettings({ ...base('FacebookEnhanced'), autoResponses: { endConversation: { component: 'Bye' } }, automatedResponses: [{ type: 'AgentEngagedResponse', component: 'Hi' }] });
    expect(codes(fb)).toEqual([['/autoResponses/endConversation/component', 'E_COMPONENT_NOT_SUPPORTED'], ['/automatedResponses/0/component', 'E_COMPONENT_NOT_SUPPORTED']]);
    expect(fb.errors[0]!.message).toContain('G:4519');
    const sms = validateChannelSettings({ ...base('SmsLongCode'), automatedResponses: [{ type: 'AgentEngagedResponse', component: 'Hi' }] });
    expect(codes(sms)).toEqual([['/automatedResponses/0/component', 'E_COMPONENT_NOT_SUPPORTED']]);
    expect(sms.errors[0]!.message).toContain('G:4869');
  });

  it('exactly one of text and component', () => {
    const r = validateChannelSettings({ ...base('EmbeddedWeb'), automatedResponses: [{ type: 'InitialResponse' }, { type: 'InitialResponse', text: 'a', component: 'b' }, { type: 'InitialResponse', text: ' ' }] });
    expect(codes(r)).toEqual([['/automatedResponses/0', 'E_TEXT_OR_COMPONENT'], ['/automatedResponses/1', 'E_TEXT_OR_COMPONENT'], ['/automatedResponses/2/text', 'E_INVALID_VALUE']]);
  });

  it('an unknown trigger, property or language is refused with its pointer', () => {
    const r = validateChannelSettings({ ...base('EmbeddedWeb'), automatedResponses: [{ type: 'InitialReponse', text: 'a' }, { type: 'HelpResponse', text: 'a', language: 'de' }, { type: 'HelpResponse', text: 'a', colour: 1 }] });
    expect(codes(r)).toEqual([['/automatedResponses/0/type', 'E_INVALID_VALUE'], ['/automatedResponses/1/language', 'E_LANGUAGE_NOT_CONFIGURED'], ['/automatedResponses/2/colour', 'E_UNKNOWN_PROPERTY']]);
    expect(r.errors[0]!.message).toContain('Did you mean "InitialResponse"?');
  });

  it('a trigger the channel type lacks is refused (§8.4: consent responses not on In-App and Web; G:6483: no reroute on standard channels)', () => {
    const web = validateChannelSettings({ ...base('EmbeddedWeb'), automatedResponses: [{ type: 'OptInPrompt', text: 'Reply YES' }] });
    expect(codes(web)).toEqual([['/automatedResponses/0/type', 'E_RESPONSE_NOT_ALLOWED']]);
    const sms = validateChannelSettings({ ...base('SmsLongCode'), automatedResponses: [{ type: 'RerouteResponse', text: 'One moment' }] });
    expect(codes(sms)).toEqual([['/automatedResponses/0/type', 'E_RESPONSE_NOT_ALLOWED']]);
  });

  it('responseTimeoutInMins only on the inactive and idle responses, 1 to 1800 minutes', () => {
    const ok = valid({ ...base('WhatsAppEnhanced'), automatedResponses: [{ type: 'EndUserIdleResponse', text: 'Still there?', responseTimeoutInMins: 15 }] });
    expect(ok.automatedResponses).toEqual([{ type: 'EndUserIdleResponse', text: 'Still there?', responseTimeoutInMins: 15 }]);
    const r = validateChannelSettings({ ...base('WhatsAppEnhanced'), automatedResponses: [{ type: 'InitialResponse', text: 'Hi', responseTimeoutInMins: 5 }, { type: 'EndUserInactiveResponse', text: 'Bye', responseTimeoutInMins: 0 }] });
    expect(codes(r)).toEqual([['/automatedResponses/0/responseTimeoutInMins', 'E_INVALID_VALUE'], ['/automatedResponses/1/responseTimeoutInMins', 'E_INVALID_VALUE']]);
  });

  it('G:3038: short code automated responses have at most 160 characters', () => {
    const r = validateChannelSettings({ ...base('SmsShortCode'), automatedResponses: [{ type: 'AgentEndEngagementResponse', text: 'x'.repeat(161) }] });
    expect(codes(r)).toContainEqual(['/automatedResponses/0/text', 'E_RESPONSE_TOO_LONG']);
  });
});

describe('how automatedResponses combines with autoResponses and languages[].responses', () => {
  it('the same trigger and language in both places is an error with both pointers', () => {
    const s = base('SmsLongCode');
    const r = validateChannelSettings({
      ...s,
      autoResponses: { startConversation: 'Hello' },
      automatedResponses: [
        { type: 'AgentEngagedResponse', text: 'Hi' },
        { type: 'OptOutConfirmation', language: 'en', text: 'Bye' },
        { type: 'CustomResponse', text: 'Info' },
        { type: 'CustomResponse', language: 'en', text: 'Info again' },
      ],
    });
    expect(codes(r)).toEqual([
      ['/automatedResponses/0', 'E_AUTOMATED_RESPONSE_CONFLICT'],
      ['/automatedResponses/1', 'E_AUTOMATED_RESPONSE_CONFLICT'],
      ['/automatedResponses/3', 'E_AUTOMATED_RESPONSE_CONFLICT'],
    ]);
    expect(r.errors.map((e) => e.related)).toEqual([['/autoResponses/startConversation'], ['/languages/0/responses/optOutConfirmation'], ['/automatedResponses/2']]);
  });

  it('a required response may be configured in automatedResponses (G:5234: opt-out confirmation)', () => {
    const s = base('SmsLongCode');
    const langs = s.languages as Array<Record<string, unknown>>;
    const { optOutConfirmation: _o, ...rest } = langs[0]!.responses as Record<string, string>;
    const without = { ...s, languages: [{ ...langs[0], responses: rest }] };
    expect(codes(validateChannelSettings(without))).toContainEqual(['/languages/0/responses/optOutConfirmation', 'E_MISSING_RESPONSE']);
    const settings = valid({ ...without, automatedResponses: [{ type: 'OptOutConfirmation', text: 'You are out.' }] });
    const d = decideInbound({ settings, user: undefined, session: undefined, text: 'STOP', receivedAt: 0 });
    expect(d.responses.map((x) => [x.type, x.text])).toContainEqual(['OptOutConfirmation', 'You are out.']);
  });

  it('G:5243: a custom keyword group without its own response is answered by its language\'s CustomResponse', () => {
    const s = base('SmsLongCode');
    const langs = s.languages as Array<Record<string, unknown>>;
    const input = { ...s, languages: [{ ...langs[0], custom: [{ keywords: ['HOURS'] }] }] };
    expect(codes(validateChannelSettings(input))).toEqual([['/languages/0/custom/0/response', 'E_MISSING_RESPONSE']]);
    const settings = valid({ ...input, automatedResponses: [{ type: 'CustomResponse', text: 'Open 9-5.' }] });
    const d = decideInbound({ settings, user: { consentStatus: 'ImplicitlyOptedIn' }, session: undefined, text: 'hours', receivedAt: 0 });
    expect(d.responses).toEqual([{ kind: 'customResponse', type: 'CustomResponse', language: 'en', text: 'Open 9-5.' }]);
    const conflict = validateChannelSettings({ ...s, languages: [{ ...langs[0], custom: [{ keywords: ['HOURS'], response: 'Own' }] }], automatedResponses: [{ type: 'CustomResponse', text: 'Open 9-5.' }] });
    expect(codes(conflict)).toEqual([['/automatedResponses/0', 'E_AUTOMATED_RESPONSE_CONFLICT']]);
  });

  it('configuredResponses lists the older fields first, then automatedResponses, with languages resolved', () => {
    const s = valid({ ...base('EmbeddedWeb'), autoResponses: { endConversation: 'Bye' }, automatedResponses: [{ type: 'InitialResponse', text: 'Hi' }] });
    expect(configuredResponses(s).map((r) => [r.type, r.language, r.pointer])).toEqual([
      ['AgentEndEngagementResponse', 'en', '/autoResponses/endConversation'],
      ['InitialResponse', 'en', '/automatedResponses/0'],
    ]);
  });

  it('a response is found in the user\'s language, else the same primary language, else the default language', () => {
    const s = valid({
      ...base('EmbeddedWeb'),
      languages: [{ language: 'en' }, { language: 'fr' }],
      automatedResponses: [{ type: 'AgentEngagedResponse', text: 'Hello' }, { type: 'AgentEngagedResponse', language: 'fr', text: 'Bonjour' }],
    });
    expect(findAutomatedResponse(s, 'AgentEngagedResponse', 'fr')?.text).toBe('Bonjour');
    expect(findAutomatedResponse(s, 'AgentEngagedResponse', 'fr-CA')?.text).toBe('Bonjour');
    expect(findAutomatedResponse(s, 'AgentEngagedResponse', 'de')?.text).toBe('Hello');
    expect(findAutomatedResponse(s, 'RerouteResponse', 'en')).toBeUndefined();
  });
});

describe('components at write (checkResponseComponents)', () => {
  it('G:4513: the component exists and is an auto-response component', () => {
    const s = valid({ ...base('EmbeddedInApp'), automatedResponses: [{ type: 'InitialResponse', component: 'Missing' }, { type: 'AgentEngagedResponse', component: 'Home_Link' }, { type: 'AgentEndEngagementResponse', component: 'Bye' }] });
    const problems = checkResponseComponents(s, new Map([['Missing', undefined], ['Home_Link', { type: 'EnhancedLink' }], ['Bye', { type: 'AutoResponse' }]]));
    expect(problems.map((p) => [p.pointer, p.code])).toEqual([['/automatedResponses/0/component', 'E_COMPONENT_NOT_FOUND'], ['/automatedResponses/1/component', 'E_NOT_AN_AUTO_RESPONSE']]);
  });
});
