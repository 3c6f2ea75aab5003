/** What enhanced bots may send (G:4868, G:5722-5729), in the outbound decision. */
import { describe, expect, it } from 'vitest';
import { CHANNEL_TYPES } from '../../src/channels/profiles.js';
import { defaultChannelSettings } from '../../src/consent/settings.js';
import { botComponentRefusal } from '../../src/outbound/bots.js';
import { decideOutbound, OutboundReason } from '../../src/outbound/rules.js';

const codes = (channel: Parameters<typeof defaultChannelSettings>[0], agentType: 'Rep' | 'Bot', componentType: string): string[] =>
  decideOutbound({
    settings: defaultChannelSettings(channel),
    platformKey: 'user-1',
    repId: 'bot-1',
    agentType,
    content: { kind: 'component', componentType, dynamicParts: [] },
    user: { consentStatus: 'ImplicitlyOptedIn', lastInboundAt: 0 },
    openSession: undefined,
    now: 60_000,
  }).reasons.map((r) => r.code);

describe('bot rules (G:4868, G:5729)', () => {
  it('G:5729: in enhanced Facebook Messenger and In-App and Web, an enhanced bot sends only enhanced link components', () => {
    for (const channel of ['FacebookEnhanced', 'EmbeddedWeb', 'EmbeddedInApp'] as const) {
      expect(botComponentRefusal(channel, 'EnhancedLink'), channel).toBeUndefined();
      for (const type of ['QuestionStaticOptions', 'QuestionDynamicOptions', 'TimeSelector', 'AutoResponse']) expect(botComponentRefusal(channel, type), `${type} ${channel}`).toContain('G:4868');
    }
  });

  it("G:5729: in enhanced WhatsApp, enhanced bots can't send messaging components of any type", () => {
    expect(botComponentRefusal('WhatsAppEnhanced', 'EnhancedLink')).toContain('G:5729');
  });

  it('G:4867: no component from a bot on a channel without components', () => {
    for (const channel of CHANNEL_TYPES.filter((c) => !['FacebookEnhanced', 'EmbeddedWeb', 'EmbeddedInApp', 'WhatsAppEnhanced'].includes(c))) {
      expect(botComponentRefusal(channel, 'EnhancedLink'), channel).toContain('G:4867');
    }
  });

  it('G:4868: the outbound decision refuses a bot\'s question with BOT_COMPONENT_NOT_ALLOWED, not a rep\'s, and lets a bot\'s enhanced link through', () => {
    expect(codes('FacebookEnhanced', 'Bot', 'QuestionStaticOptions')).toContain(OutboundReason.BotComponentNotAllowed);
    expect(codes('FacebookEnhanced', 'Rep', 'QuestionStaticOptions')).not.toContain(OutboundReason.BotComponentNotAllowed);
    expect(codes('FacebookEnhanced', 'Bot', 'EnhancedLink')).not.toContain(OutboundReason.BotComponentNotAllowed);
    expect(codes('WhatsAppEnhanced', 'Bot', 'EnhancedLink')).toContain(OutboundReason.BotComponentNotAllowed);
  });
});
