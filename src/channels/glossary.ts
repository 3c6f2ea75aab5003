/**
 * The channel list of the newer glossary (seed X, "Enhanced Chat and Messaging Glossary") mapped to
 * Parlance's channel types: each channel the glossary names is either modelled (by one or more
 * channel types) or listed as not modelled, with the reason. docs/channels.md renders this list,
 * so a channel of the glossary can't be silently missing.
 */
import type { ChannelType } from './profiles.js';

/** One channel the glossary names. */
export interface GlossaryChannel {
  /** The glossary's name for it. */
  readonly name: string;
  /** Seed lines naming it. */
  readonly sources: readonly string[];
  /** The channel types that model it; empty when not modelled. */
  readonly modelledAs: readonly ChannelType[];
  /** What the mapping means, or why it isn't modelled. */
  readonly note: string;
}

/**
 * The glossary's channel types ("Facebook Messenger, WhatsApp, Apple Messages for Business, SMS,
 * LINE, Enhanced In-App Chat, Enhanced Web Chat, Bring Your Own Channel, and Bring Your Own
 * Channel for CCaaS", X:27), in its order.
 */
export const GLOSSARY_CHANNELS: readonly GlossaryChannel[] = [
  {
    name: 'Facebook Messenger',
    sources: ['X:27', 'X:42', 'X:44'],
    modelledAs: ['FacebookStandard', 'FacebookEnhanced'],
    note: 'Standard and enhanced. Standard Facebook Messenger was retired on February 14, 2026 (X:44); it stays modelled for the guide\'s rules (G) and for existing data.',
  },
  {
    name: 'WhatsApp',
    sources: ['X:27', 'X:42', 'X:44'],
    modelledAs: ['WhatsAppStandard', 'WhatsAppEnhanced'],
    note: 'Standard and enhanced. Standard WhatsApp was retired on Oct. 22, 2025 (X:44); it stays modelled for the guide\'s rules (G) and for existing data.',
  },
  {
    name: 'Apple Messages for Business',
    sources: ['X:27', 'X:42'],
    modelledAs: ['AppleMessagesEnhanced'],
    note: 'Enhanced only (X:42). Not in the guide\'s component matrix, so it supports no components (text only).',
  },
  {
    name: 'SMS',
    sources: ['X:27', 'X:42', 'X:44', 'G:2644-2666'],
    modelledAs: ['SmsLongCode', 'SmsShortCode', 'SmsTollFree', 'SmsEnhanced'],
    note: 'Standard SMS by number type (long code, short code, toll-free), and enhanced SMS (X:42; the guide says it doesn\'t exist, G:412). Standard SMS was retired on February 14, 2026 (X:44).',
  },
  {
    name: 'LINE',
    sources: ['X:27', 'X:42'],
    modelledAs: ['LineEnhanced'],
    note: 'Enhanced only (X:42). Not in the guide\'s component matrix, so it supports no components (text only).',
  },
  {
    name: 'Enhanced In-App Chat',
    sources: ['X:24', 'X:27'],
    modelledAs: ['EmbeddedInApp'],
    note: 'The guide\'s Messaging for In-App.',
  },
  {
    name: 'Enhanced Web Chat',
    sources: ['X:24', 'X:27'],
    modelledAs: ['EmbeddedWeb'],
    note: 'The guide\'s Messaging for Web. The glossary names versions v1 and v2 (X:24) without a difference in rules, so one channel type models both.',
  },
  {
    name: 'Bring Your Own Channel',
    sources: ['X:27', 'X:36', 'X:42'],
    modelledAs: ['BringYourOwn'],
    note: 'Enhanced (X:42). Not in the guide\'s component matrix, so it supports no components (text only); business-initiated messaging applies (B:8).',
  },
  {
    name: 'Bring Your Own Channel for CCaaS',
    sources: ['X:27', 'X:36', 'X:42'],
    modelledAs: [],
    note:
      'Not modelled. The seeds only name it (X:27, X:42) and say its integration metadata is a Conversation Channel Definition record (X:36): ' +
      'no component support, consent, length, session or outbound rule is given for it, and its conversations are routed by the contact-center (CCaaS) partner, ' +
      'not by rules Parlance could check. Rules invented for it would be guesses; a deployment that needs it can add a profile at run time ' +
      '(`ChannelProfiles.builtin().withChannels({...})`), rendered like Bring Your Own Channel.',
  },
];
