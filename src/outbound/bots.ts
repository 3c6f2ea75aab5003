/**
 * What enhanced bots may send (G:4868, G:5722-5729): in enhanced Facebook Messenger and
 * Messaging for In-App and Web, only enhanced link components; in enhanced WhatsApp, no component
 * of any type. Other component types, and auto-responses (sent by the channel, not by the bot),
 * aren't the bot's to send. A pure rule, used by the outbound decision (rules.ts).
 */
import type { ChannelType } from '../channels/profiles.js';

/** Channel types where a bot may send enhanced link components (G:5729). */
const ENHANCED_LINK_CHANNELS: ReadonlySet<ChannelType> = new Set(['FacebookEnhanced', 'EmbeddedWeb', 'EmbeddedInApp']);

/**
 * Why a bot may not send a component of `componentType` on `channel`, or undefined when it may:
 * - enhanced WhatsApp: "enhanced bots can't send messaging components of any type" (G:5729);
 * - enhanced Facebook Messenger and In-App and Web: only enhanced links (G:4868, G:5729);
 * - any other channel type: messaging components aren't supported there at all (G:4867).
 */
export function botComponentRefusal(channel: ChannelType, componentType: string | undefined): string | undefined {
  if (channel === 'WhatsAppEnhanced') return "In enhanced WhatsApp channels, enhanced bots can't send messaging components of any type (G:5729); send text";
  if (!ENHANCED_LINK_CHANNELS.has(channel)) return `Messaging components are supported only in enhanced Facebook Messenger and Messaging for In-App and Web channels (G:4867); a bot on a ${channel} channel sends text`;
  if (componentType !== 'EnhancedLink') return `Enhanced bots can send messaging components only of the enhanced link type (G:4868, G:5729); this component is ${componentType === undefined ? 'of an unknown type' : `a ${componentType}`}`;
  return undefined;
}
