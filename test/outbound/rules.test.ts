/**
 * The outbound rules as a pure function (src/outbound/rules.ts): each rule alone, passing and
 * failing, the boundaries of the windows, the order of reasons, and the session plan.
 */
import { describe, expect, it } from 'vitest';
import { CHANNEL_TYPES, type ChannelType } from '../../src/channels/profiles.js';
import { defaultChannelSettings, type ChannelSettings } from '../../src/consent/settings.js';
import { decideOutbound, FACEBOOK_WINDOW_MS, routingOf, WHATSAPP_WINDOW_MS, type OutboundInput } from '../../src/outbound/rules.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-21T10:00:00Z');
const PHONE = '+14155552671';

function input(type: ChannelType, over: Partial<OutboundInput> = {}, settings: Partial<ChannelSettings> = {}): OutboundInput {
  const phone = type.startsWith('Sms') || type.startsWith('WhatsApp');
  return {
    settings: { ...defaultChannelSettings(type, type.startsWith('Sms') ? { country: 'US' } : {}), ...settings },
    platformKey: phone ? PHONE : 'user-1',
    repId: 'rep-a',
    content: { kind: 'freeform' },
    user: { consentStatus: 'ExplicitlyOptedIn', lastInboundAt: NOW - HOUR },
    openSession: undefined,
    now: NOW,
    ...over,
  };
}
const codes = (i: OutboundInput): string[] => decideOutbound(i).reasons.map((r) => r.code);

describe('channel types', () => {
  it('reps can start conversations on every channel type but Enhanced Web Chat', () => {
    expect(CHANNEL_TYPES.filter((t) => codes(input(t)).includes('CHANNEL_NOT_SUPPORTED'))).toEqual(['EmbeddedWeb']);
  });

  it('automatic notifications: standard channels, enhanced WhatsApp, Apple Messages and In-App', () => {
    const sending = CHANNEL_TYPES.filter((t) => !codes(input(t, { automatic: true })).includes('AUTOMATIC_NOT_SUPPORTED'));
    expect(sending.sort()).toEqual(['AppleMessagesEnhanced', 'EmbeddedInApp', 'FacebookStandard', 'SmsLongCode', 'SmsShortCode', 'SmsTollFree', 'WhatsAppEnhanced', 'WhatsAppStandard']);
  });
});

describe('the messaging user and consent', () => {
  it('NO_MESSAGING_USER without a record; enhanced SMS with an attestation creates one, ExplicitlyOptedIn', () => {
    expect(codes(input('FacebookEnhanced', { user: undefined }))).toEqual(['NO_MESSAGING_USER', 'FACEBOOK_WINDOW_CLOSED']);
    const attested = decideOutbound(input('SmsEnhanced', { user: undefined, consentAttested: true }, { consentType: 'ExplicitOptIn' }));
    expect([attested.allowed, attested.createsUser]).toEqual([true, true]);
    expect(decideOutbound(input('SmsEnhanced', { consentAttested: true })).createsUser).toBe(false);
    expect(codes(input('SmsEnhanced', { user: undefined }))).toEqual(['NO_MESSAGING_USER']);
    expect(codes(input('SmsLongCode', { user: undefined, consentAttested: true }))).toEqual(['NO_MESSAGING_USER']);
    expect(codes(input('SmsEnhanced', { user: undefined, consentAttested: true, automatic: true }))).toEqual(['AUTOMATIC_NOT_SUPPORTED', 'NO_MESSAGING_USER']);
  });

  it('CONSENT_NOT_MET below the channel\'s level and when opted out; consent doesn\'t apply to In-App', () => {
    expect(codes(input('WhatsAppEnhanced', { user: { consentStatus: 'ImplicitlyOptedIn', lastInboundAt: NOW } }, { consentType: 'ExplicitOptIn' }))).toEqual(['CONSENT_NOT_MET']);
    expect(codes(input('WhatsAppEnhanced', { user: { consentStatus: 'ExplicitlyOptedIn', lastInboundAt: NOW } }, { consentType: 'ExplicitOptIn' }))).toEqual([]);
    expect(codes(input('SmsShortCode', { user: { consentStatus: 'DoublyOptedIn' } }))).toEqual([]);
    for (const t of ['SmsLongCode', 'FacebookEnhanced', 'LineEnhanced'] as const) expect(codes(input(t, { user: { consentStatus: 'OptedOut', lastInboundAt: NOW } }))).toEqual(['CONSENT_NOT_MET']);
    expect(codes(input('EmbeddedInApp', { user: { consentStatus: 'OptedOut' } }))).toEqual([]);
  });
});

describe('phone numbers', () => {
  it('PHONE_NOT_E164 on SMS and WhatsApp only', () => {
    expect(codes(input('SmsEnhanced', { platformKey: '4155552671' }))).toEqual(['PHONE_NOT_E164']);
    expect(codes(input('WhatsAppEnhanced', { platformKey: '+1 415 555 2671' }))).toEqual(['PHONE_NOT_E164']);
    expect(codes(input('LineEnhanced', { platformKey: '4155552671' }))).toEqual([]);
  });

  it('automatic SMS: the recipient\'s country must be the channel\'s', () => {
    expect(codes(input('SmsTollFree', { automatic: true }))).toEqual([]);
    expect(codes(input('SmsTollFree', { automatic: true, platformKey: '+14165550123' }))).toEqual(['SMS_COUNTRY_MISMATCH']);
    expect(codes(input('SmsTollFree', { automatic: true, platformKey: '+442071838750' }))).toEqual(['SMS_COUNTRY_MISMATCH']);
    expect(codes(input('SmsTollFree', { automatic: true, platformKey: '+14165550123' }, { country: 'CA' }))).toEqual([]);
    const { country: _c, ...noCountry } = defaultChannelSettings('SmsLongCode');
    expect(codes({ ...input('SmsLongCode', { automatic: true }), settings: noCountry })).toEqual(['CHANNEL_COUNTRY_MISSING']);
    // Not for a rep's message.
    expect(codes(input('SmsTollFree', { platformKey: '+14165550123' }))).toEqual([]);
  });
});

describe('messaging windows', () => {
  const wa = (since: number | undefined, content: OutboundInput['content'], type: ChannelType = 'WhatsAppEnhanced'): string[] =>
    codes(input(type, { content, user: { consentStatus: 'ImplicitlyOptedIn', ...(since !== undefined ? { lastInboundAt: NOW - since } : {}) } }));
  const dynamic = [{ pointer: '/formats/0/title', message: 'takes the parameter X' }];

  it('WhatsApp: freeform up to 24 hours exactly; afterwards only a static component linked to an approved template', () => {
    expect(WHATSAPP_WINDOW_MS).toBe(24 * HOUR);
    expect(wa(WHATSAPP_WINDOW_MS, { kind: 'freeform' })).toEqual([]);
    expect(wa(WHATSAPP_WINDOW_MS + 1, { kind: 'freeform' })).toEqual(['WHATSAPP_WINDOW_CLOSED']);
    expect(wa(undefined, { kind: 'freeform' })).toEqual(['WHATSAPP_WINDOW_CLOSED']);
    expect(wa(WHATSAPP_WINDOW_MS + 1, { kind: 'freeform', approvedTemplate: 't' })).toEqual(['WHATSAPP_WINDOW_CLOSED']);
    expect(wa(WHATSAPP_WINDOW_MS + 1, { kind: 'component', dynamicParts: [] })).toEqual(['WHATSAPP_TEMPLATE_REQUIRED']);
    expect(wa(WHATSAPP_WINDOW_MS + 1, { kind: 'component', approvedTemplate: '  ', dynamicParts: [] })).toEqual(['WHATSAPP_TEMPLATE_REQUIRED']);
    expect(wa(WHATSAPP_WINDOW_MS + 1, { kind: 'component', approvedTemplate: 't', dynamicParts: dynamic })).toEqual(['WHATSAPP_DYNAMIC_CONTENT']);
    expect(wa(WHATSAPP_WINDOW_MS + 1, { kind: 'component', dynamicParts: dynamic })).toEqual(['WHATSAPP_TEMPLATE_REQUIRED', 'WHATSAPP_DYNAMIC_CONTENT']);
    expect(wa(WHATSAPP_WINDOW_MS + 1, { kind: 'component', approvedTemplate: 't', dynamicParts: [] })).toEqual([]);
    expect(wa(HOUR, { kind: 'component', dynamicParts: dynamic })).toEqual([]);
  });

  it('standard WhatsApp: after 24 hours an approved template, merge fields allowed (G:2175, G:2255)', () => {
    expect(wa(30 * HOUR, { kind: 'freeform' }, 'WhatsAppStandard')).toEqual(['WHATSAPP_WINDOW_CLOSED']);
    expect(wa(30 * HOUR, { kind: 'freeform', approvedTemplate: 'shipping_update' }, 'WhatsAppStandard')).toEqual([]);
    expect(wa(30 * HOUR, { kind: 'component', approvedTemplate: 't', dynamicParts: dynamic }, 'WhatsAppStandard')).toEqual([]);
  });

  it('Facebook Messenger: anything up to seven days exactly, nothing afterwards', () => {
    expect(FACEBOOK_WINDOW_MS).toBe(7 * 24 * HOUR);
    for (const type of ['FacebookEnhanced', 'FacebookStandard'] as const) {
      const fb = (since: number | undefined): string[] => codes(input(type, { user: { consentStatus: 'ImplicitlyOptedIn', ...(since !== undefined ? { lastInboundAt: NOW - since } : {}) } }));
      expect(fb(FACEBOOK_WINDOW_MS)).toEqual([]);
      expect(fb(FACEBOOK_WINDOW_MS + 1)).toEqual(['FACEBOOK_WINDOW_CLOSED']);
      expect(fb(undefined)).toEqual(['FACEBOOK_WINDOW_CLOSED']);
    }
    expect(decideOutbound(input('FacebookEnhanced', { user: { consentStatus: 'ImplicitlyOptedIn', lastInboundAt: NOW - 8.5 * 24 * HOUR } })).reasons[0]?.message).toContain('8.5 days ago');
  });
});

describe('sessions', () => {
  it('a new New session expiring 48 hours (enhanced) or 24 hours (standard) later; an automatic notification\'s is Ended', () => {
    expect(decideOutbound(input('LineEnhanced')).session).toEqual({ action: 'create', status: 'New', expiresAt: NOW + 48 * HOUR });
    expect(decideOutbound(input('SmsShortCode')).session).toEqual({ action: 'create', status: 'New', expiresAt: NOW + 24 * HOUR });
    expect(decideOutbound(input('SmsShortCode', { automatic: true, openSession: { id: '9', status: 'Active', repId: 'rep-z' } }))).toMatchObject({ allowed: true, session: { action: 'create', status: 'Ended' } });
  });

  it('SESSION_IN_PROGRESS for a live session with another rep (or none); the rep\'s own session is joined; a Consent session is superseded', () => {
    for (const status of ['New', 'Waiting', 'Active', 'Inactive'] as const) {
      expect(codes(input('LineEnhanced', { openSession: { id: '7', status, repId: 'rep-z' } }))).toEqual(['SESSION_IN_PROGRESS']);
      expect(decideOutbound(input('LineEnhanced', { openSession: { id: '7', status, repId: 'rep-a' } }))).toMatchObject({ allowed: true, session: { action: 'join', id: '7' } });
    }
    const waiting = decideOutbound(input('LineEnhanced', { openSession: { id: '7', status: 'Waiting' } }));
    expect(waiting.reasons.map((r) => [r.code, r.pointer])).toEqual([['SESSION_IN_PROGRESS', '/repId']]);
    expect(waiting.reasons[0]?.message).toContain('waiting for a rep');
    expect(decideOutbound(input('LineEnhanced', { openSession: { id: '7', status: 'Consent' } }))).toMatchObject({ allowed: true, session: { action: 'create', status: 'New', supersedes: '7' } });
  });
});

describe('every reason, in order, with pointers', () => {
  it('lists every failing rule at once', () => {
    const d = decideOutbound(input('WhatsAppEnhanced', { platformKey: '4155552671', user: { consentStatus: 'OptedOut', lastInboundAt: NOW - 30 * HOUR }, content: { kind: 'component', dynamicParts: [{ pointer: '/x', message: 'y' }] }, openSession: { id: '1', status: 'Active', repId: 'rep-z' } }));
    expect(d.allowed).toBe(false);
    expect(d.reasons.map((r) => [r.code, r.pointer])).toEqual([
      ['PHONE_NOT_E164', '/platformKey'],
      ['CONSENT_NOT_MET', '/platformKey'],
      ['WHATSAPP_TEMPLATE_REQUIRED', '/content/approvedTemplate'],
      ['WHATSAPP_DYNAMIC_CONTENT', '/content/component'],
      ['SESSION_IN_PROGRESS', '/repId'],
    ]);
  });
});

describe('routing of a reply (B:13-16)', () => {
  it('follows the capacity model; StatusBased by default', () => {
    expect(routingOf(defaultChannelSettings('SmsEnhanced'))).toMatchObject({ capacityModel: 'StatusBased', reply: 'SameRep' });
    expect(routingOf({ ...defaultChannelSettings('SmsEnhanced'), capacityModel: 'TabBased' })).toMatchObject({ capacityModel: 'TabBased', reply: 'NewSession' });
    expect(routingOf(defaultChannelSettings('SmsLongCode')).message).toContain('24 hours');
    expect(routingOf(defaultChannelSettings('SmsEnhanced'), true).reply).toBe('NewSession');
  });
});

describe('length and template rules (issue 18 items 3 and 7)', () => {
  it('G:2892 an SMS freeform text over 840 characters is refused, with its segments; G:3038 over 160 on a short code', () => {
    const d = decideOutbound(input('SmsLongCode', { content: { kind: 'freeform', text: 'a'.repeat(919) } }));
    expect(d.reasons.map((r) => [r.code, r.pointer])).toEqual([['SMS_TOO_LONG', '/content/text']]);
    expect(d.sms).toMatchObject({ characters: 919, encoding: 'GSM-7' });
    expect(codes(input('SmsShortCode', { content: { kind: 'freeform', text: 'a'.repeat(161) } }))).toEqual(['SHORT_CODE_TOO_LONG']);
    expect(decideOutbound(input('WhatsAppStandard', { content: { kind: 'freeform', text: 'a'.repeat(919) } })).sms).toBeUndefined();
  });

  it('G:2255 standard WhatsApp: a freeform message under an approved template must match it; the position of the first difference is given', () => {
    const approved = { name: 'order_shipped', text: 'Your order {{1}} has shipped.' };
    const ok = input('WhatsAppStandard', { content: { kind: 'freeform', approvedTemplate: 'order_shipped', approved, text: 'Your order 12 has shipped.' } });
    expect(codes(ok)).toEqual([]);
    const changed = decideOutbound(input('WhatsAppStandard', { content: { kind: 'freeform', approvedTemplate: 'order_shipped', approved, text: 'Your order 12 was shipped.' } }));
    expect(changed.reasons).toEqual([expect.objectContaining({ code: 'TEMPLATE_MISMATCH', pointer: '/content/text', position: 14 })]);
    expect(codes(input('WhatsAppStandard', { content: { kind: 'freeform', approvedTemplate: 'gone', approved: null, text: 'x' } }))).toEqual(['TEMPLATE_NOT_FOUND']);
    // Enhanced WhatsApp links components to templates (B:31): no text comparison there.
    expect(codes(input('WhatsAppEnhanced', { content: { kind: 'freeform', approvedTemplate: 'order_shipped', approved, text: 'Your order 12 was shipped.' } }))).toEqual([]);
  });

  it('G:5055, G:5024 a messaging template\'s problems are reasons', () => {
    const problems = [
      { pointer: '/content/template/values/Case.CaseNumber', code: 'TEMPLATE_FIELD_BLANK', message: 'blank' },
      { pointer: '/content/template', code: 'END_USER_MERGE_FIELD', message: 'end user' },
    ];
    expect(codes(input('SmsLongCode', { content: { kind: 'freeform', text: '', templateProblems: problems } }))).toEqual(['TEMPLATE_FIELD_BLANK', 'END_USER_MERGE_FIELD']);
  });
});
