/**
 * The capacity model (B:14-16): the channel setting, and how the inbound decision routes a reply
 * to a rep's business-initiated (New) session.
 */
import { describe, expect, it } from 'vitest';
import { decideInbound, type OpenSessionSummary } from '../../src/consent/engine.js';
import { capacityModelOf, defaultChannelSettings, validateChannelSettings, type ChannelSettings } from '../../src/consent/settings.js';

const NOW = Date.parse('2026-11-21T10:00:00Z');
const user = { consentStatus: 'ImplicitlyOptedIn' as const };
const newSession: OpenSessionSummary = { id: '5', status: 'New', onlyKeywordsSoFar: true };
const decide = (settings: ChannelSettings, text: string, session: OpenSessionSummary | null = newSession) => decideInbound({ settings, user, session: session ?? undefined, text, receivedAt: NOW });

describe('the capacityModel setting', () => {
  it('is StatusBased or TabBased, StatusBased when left out, and kept when given', () => {
    const base = defaultChannelSettings('SmsEnhanced');
    expect(capacityModelOf(base)).toBe('StatusBased');
    const v = validateChannelSettings({ ...base, capacityModel: 'TabBased' });
    expect(v.valid).toBe(true);
    expect(v.settings?.capacityModel).toBe('TabBased');
    expect(validateChannelSettings(base).settings?.capacityModel).toBeUndefined();
  });

  it('anything else is an error with its pointer and a suggestion', () => {
    const v = validateChannelSettings({ ...defaultChannelSettings('SmsEnhanced'), capacityModel: 'TabBase' });
    expect(v.errors).toEqual([expect.objectContaining({ pointer: '/capacityModel', code: 'E_INVALID_VALUE', message: expect.stringContaining('TabBased') })]);
    expect(validateChannelSettings({ ...defaultChannelSettings('SmsEnhanced'), capacityModel: 3 }).errors[0]?.pointer).toBe('/capacityModel');
  });
});

describe('a reply to a rep\'s New session', () => {
  it('status-based: routed, and the session stays (Waiting) with the same rep', () => {
    const d = decide(defaultChannelSettings('SmsEnhanced'), 'Yes, call me');
    expect(d).toMatchObject({ sessionStatus: 'Waiting', route: true, routeReason: 'REPLY_TO_OUTBOUND', replyRouting: 'SameRep', newSession: false });
  });

  it('tab-based: routed as a new session', () => {
    const d = decide({ ...defaultChannelSettings('SmsEnhanced'), capacityModel: 'TabBased' }, 'Yes, call me');
    expect(d).toMatchObject({ sessionStatus: 'Waiting', route: true, routeReason: 'REPLY_TO_OUTBOUND', replyRouting: 'NewSession' });
    // No conversation acknowledgment: it answers a rep's message.
    expect(d.responses).toEqual([]);
  });

  it('only for a routed reply to a New session: not for keywords, other statuses or a new inquiry', () => {
    const tab: ChannelSettings = { ...defaultChannelSettings('SmsEnhanced'), capacityModel: 'TabBased' };
    expect(decide(tab, 'HELP').replyRouting).toBeUndefined();
    expect(decide(tab, 'Hello', { id: '5', status: 'Inactive', onlyKeywordsSoFar: false })).toMatchObject({ routeReason: 'REROUTED_FROM_INACTIVE' });
    expect(decide(tab, 'Hello', { id: '5', status: 'Inactive', onlyKeywordsSoFar: false }).replyRouting).toBeUndefined();
    expect(decide(tab, 'Hello', null).replyRouting).toBeUndefined();
    expect(decide(tab, 'STOP').replyRouting).toBeUndefined();
  });
});
