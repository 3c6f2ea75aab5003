/**
 * The consent model: consent levels, the consent types each channel type allows, and the shape of
 * a channel's consent settings (keywords and automated responses per language). Validation is
 * validation.ts, the defaults defaults.ts; settings.ts re-exports all three.
 */
import type { ChannelType } from '../channels/profiles.js';

// ---------------------------------------------------------------------------------------------
// Consent levels

/**
 * A messaging user's consent level on one channel, loosest last: `OptedOut` < `ImplicitlyOptedIn`
 * < `ExplicitlyOptedIn` < `DoublyOptedIn` (DECISIONS.md §15.15). The values are Salesforce's API
 * values (SPEC-EXTRACT §8.1).
 */
export const CONSENT_STATUSES = ['OptedOut', 'ImplicitlyOptedIn', 'ExplicitlyOptedIn', 'DoublyOptedIn'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** The level of consent a channel requires before it may message a user (the Consent Type field, G:5244). */
export const CONSENT_TYPES = ['ImplicitOptIn', 'ExplicitOptIn', 'DoubleOptIn'] as const;
export type ConsentType = (typeof CONSENT_TYPES)[number];

const REQUIRED_STATUS: Readonly<Record<ConsentType, ConsentStatus>> = {
  ImplicitOptIn: 'ImplicitlyOptedIn',
  ExplicitOptIn: 'ExplicitlyOptedIn',
  DoubleOptIn: 'DoublyOptedIn',
};

/** The consent status a channel's consent type requires: `ExplicitOptIn` → `ExplicitlyOptedIn`. */
export function requiredStatus(consentType: ConsentType): ConsentStatus {
  return REQUIRED_STATUS[consentType];
}

/** The position of a status in the consent order: 0 for `OptedOut` up to 3 for `DoublyOptedIn`. */
export function consentRank(status: ConsentStatus): number {
  return CONSENT_STATUSES.indexOf(status);
}

/**
 * Whether a user with `status` may receive messages on a channel that requires `required` (a
 * status, or a channel consent type): the status is at least the required level, and `OptedOut`
 * never meets any level (DECISIONS.md §15.15, G:3739).
 */
export function meets(status: ConsentStatus, required: ConsentStatus | ConsentType): boolean {
  if (status === 'OptedOut') return false;
  const level = (CONSENT_TYPES as readonly string[]).includes(required) ? REQUIRED_STATUS[required as ConsentType] : (required as ConsentStatus);
  const rank = consentRank(status);
  return rank >= 0 && rank >= consentRank(level);
}

// ---------------------------------------------------------------------------------------------
// Channel types and consent

/**
 * The consent types each channel type allows (SPEC-EXTRACT §7.2 rows 351-353, §8.2), first the
 * default. Short codes require explicit opt-in and may require double opt-in (G:3048-3070).
 * Enhanced channels offer implicit or explicit (G:5244; double opt-in is "not supported in
 * enhanced channels", G:3746); Apple Messages, LINE and Bring Your Own Channel are enhanced-only
 * channels of the newer documents (X:42) and are treated alike. Messaging for In-App and Web has no
 * consent (N/A in rows 351-354): the list is empty.
 */
const CONSENT_TYPES_BY_CHANNEL: Readonly<Record<ChannelType, readonly ConsentType[]>> = {
  SmsLongCode: ['ImplicitOptIn'],
  SmsTollFree: ['ImplicitOptIn'],
  SmsShortCode: ['ExplicitOptIn', 'DoubleOptIn'],
  SmsEnhanced: ['ImplicitOptIn', 'ExplicitOptIn'],
  FacebookStandard: ['ImplicitOptIn'],
  FacebookEnhanced: ['ImplicitOptIn', 'ExplicitOptIn'],
  WhatsAppStandard: ['ImplicitOptIn'],
  WhatsAppEnhanced: ['ImplicitOptIn', 'ExplicitOptIn'],
  EmbeddedWeb: [],
  EmbeddedInApp: [],
  AppleMessagesEnhanced: ['ImplicitOptIn', 'ExplicitOptIn'],
  LineEnhanced: ['ImplicitOptIn', 'ExplicitOptIn'],
  BringYourOwn: ['ImplicitOptIn', 'ExplicitOptIn'],
};

/** Standard (not enhanced) channel types: they send an opt-in confirmation on implicit opt-in (G:3742). */
const STANDARD_CHANNELS: ReadonlySet<ChannelType> = new Set(['SmsLongCode', 'SmsTollFree', 'SmsShortCode', 'FacebookStandard', 'WhatsAppStandard']);

/** SMS channel types whose opt-in confirmation is required ("SMS and short codes only", G:5232). */
export const STANDARD_SMS: ReadonlySet<ChannelType> = new Set(['SmsLongCode', 'SmsTollFree', 'SmsShortCode']);

export const SMS_CHANNELS: ReadonlySet<ChannelType> = new Set(['SmsLongCode', 'SmsTollFree', 'SmsShortCode', 'SmsEnhanced']);

/** Whether `name` is a channel type of CONTRACT.md §3. */
export function isChannelType(name: unknown): name is ChannelType {
  return typeof name === 'string' && Object.hasOwn(CONSENT_TYPES_BY_CHANNEL, name);
}

/** The consent types a channel type allows; empty where consent doesn't apply (In-App and Web). */
export function allowedConsentTypes(type: ChannelType): readonly ConsentType[] {
  return CONSENT_TYPES_BY_CHANNEL[type];
}

/** Whether customers give and revoke consent on this channel type (false for In-App and Web, rows 351-354). */
export function consentApplies(type: ChannelType): boolean {
  return CONSENT_TYPES_BY_CHANNEL[type].length > 0;
}

/** The consent type a channel gets when its settings leave it out: explicit for short codes, else implicit. */
export function defaultConsentType(type: ChannelType): ConsentType {
  return CONSENT_TYPES_BY_CHANNEL[type][0] ?? 'ImplicitOptIn';
}

/** The consent type of a settings object, its default filled in. */
export function consentTypeOf(settings: Pick<ChannelSettings, 'type' | 'consentType'>): ConsentType {
  return settings.consentType ?? defaultConsentType(settings.type);
}

/**
 * How the service channel measures a rep's capacity in Omni-Channel, which decides where a
 * customer's reply to a business-initiated message goes (B:14-16): `StatusBased` routes it back to
 * the rep who sent the message; `TabBased` routes it as a new messaging session that a different
 * rep may pick up. The default is `StatusBased`. See docs/outbound.md.
 */
export const CAPACITY_MODELS = ['StatusBased', 'TabBased'] as const;
export type CapacityModel = (typeof CAPACITY_MODELS)[number];

/** The capacity model of a settings object, its default (`StatusBased`) filled in. */
export function capacityModelOf(settings: Pick<ChannelSettings, 'capacityModel'>): CapacityModel {
  return settings.capacityModel ?? 'StatusBased';
}

/** Whether the channel type is a standard (not enhanced) channel. */
export function isStandardChannel(type: ChannelType): boolean {
  return STANDARD_CHANNELS.has(type);
}

/**
 * Whether an opt-out ends the user's open sessions on this channel type: everywhere except
 * standard Facebook Messenger, where "conversations don't end after a customer sends a stop
 * keyword" (G:2461, DECISIONS.md §15.14).
 */
export function optOutClosesSessions(type: ChannelType): boolean {
  return type !== 'FacebookStandard';
}

// ---------------------------------------------------------------------------------------------
// Settings model

/** What a keyword does. Custom keywords carry their own response. */
export const KEYWORD_KINDS = ['optIn', 'doubleOptIn', 'optOut', 'help', 'custom'] as const;
export type KeywordKind = (typeof KEYWORD_KINDS)[number];

/** The keyword kinds configured as plain lists (custom keywords come in groups with a response). */
export const LIST_KEYWORD_KINDS = ['optIn', 'doubleOptIn', 'optOut', 'help'] as const;
export type ListKeywordKind = (typeof LIST_KEYWORD_KINDS)[number];

/** The per-language automated responses (custom responses live with their keywords). */
export const LANGUAGE_RESPONSE_KINDS = ['optInPrompt', 'optInConfirmation', 'doubleOptInPrompt', 'optOutConfirmation', 'helpResponse'] as const;
export type LanguageResponseKind = (typeof LANGUAGE_RESPONSE_KINDS)[number];

/** The channel-wide automated responses (G:5210-5213). */
export const AUTO_RESPONSE_KINDS = ['conversationAcknowledgment', 'startConversation', 'endConversation'] as const;
export type AutoResponseKind = (typeof AUTO_RESPONSE_KINDS)[number];

/** Custom keywords that share one response (G:5242-5243: "company-specific information, or … country-specific regulations"). */
export interface CustomKeywords {
  readonly keywords: readonly string[];
  /**
   * The response to these keywords. Absent: the language's `CustomResponse` automated response
   * (`automatedResponses`), which is then required (docs/auto-responses.md).
   */
  readonly response?: string;
}

/** The keywords and responses of one language. */
export interface LanguageSettings {
  /** A BCP 47 language tag such as `en`, `fr` or `fr-CA`. */
  readonly language: string;
  /** Keywords per kind. A keyword is matched against the whole message (see `normalizeKeyword`). */
  readonly keywords?: Readonly<Partial<Record<ListKeywordKind, readonly string[]>>>;
  /** Custom keywords, each group with its own response. */
  readonly custom?: readonly CustomKeywords[];
  /**
   * Responses in this language. A keyword's own response (opt-out confirmation, help response,
   * opt-in confirmation) must exist in the keyword's language; the prompts fall back to the
   * default language's.
   */
  readonly responses?: Readonly<Partial<Record<LanguageResponseKind, string>>>;
}

/**
 * A channel-wide automated response: a text, or `{component}`, the name of a stored
 * auto-response component (Messaging for In-App and Web only, G:4513).
 */
export type AutoResponseValue = string | { readonly component: string };

/** Channel-wide automated responses: text, or an auto-response component on In-App and Web (G:4513). */
export type AutoResponses = Readonly<Partial<Record<AutoResponseKind, AutoResponseValue>>>;

/**
 * The triggers of automated responses, with the names of Salesforce's `MessagingChannel`
 * metadata (`automatedResponses/type`), so that an import of the metadata maps one to one.
 * docs/auto-responses.md gives each one's trigger and the channels that support it.
 */
export const AUTOMATED_RESPONSE_TYPES = [
  'InitialResponse',
  'AgentEngagedResponse',
  'AgentEndEngagementResponse',
  'EndUserInactiveResponse',
  'EndUserIdleResponse',
  'RerouteResponse',
  'OptInPrompt',
  'OptInConfirmation',
  'DoubleOptInPrompt',
  'OptOutConfirmation',
  'HelpResponse',
  'CustomResponse',
] as const;
export type AutomatedResponseType = (typeof AUTOMATED_RESPONSE_TYPES)[number];

/**
 * One automated response (the metadata's `automatedResponses` entry): exactly one of `text` (the
 * metadata's `TextResponse`) or `component` (`MessageDefinition`: the name of a stored
 * auto-response component, its latest version at send time).
 */
export interface AutomatedResponse {
  readonly type: AutomatedResponseType;
  /** A configured language (BCP 47). Absent: the channel's default language. */
  readonly language?: string;
  readonly text?: string;
  /** The name of a stored component of type `AutoResponse` (In-App and Web channels only, G:4519, G:4869). */
  readonly component?: string;
  /** `EndUserInactiveResponse` and `EndUserIdleResponse` only: minutes without a customer message, 1 to 1800. */
  readonly responseTimeoutInMins?: number;
}

/** A channel's consent and keyword settings (CONTRACT.md §4 `PUT /v1/channels/{id}`). */
export interface ChannelSettings {
  readonly type: ChannelType;
  /** ISO 3166-1 alpha-2 country of the channel's number, such as `US` or `CA`. */
  readonly country?: string;
  /** The consent the channel requires. Default: `ExplicitOptIn` on short codes, else `ImplicitOptIn`. */
  readonly consentType?: ConsentType;
  /** Strip trailing punctuation before matching keywords (`STOP.` matches `STOP`). Default false (DECISIONS.md §15.16). */
  readonly stripTrailingPunctuation?: boolean;
  /** The language of responses when nothing tells the user's language. Default: the first language. */
  readonly defaultLanguage: string;
  readonly languages: readonly LanguageSettings[];
  readonly autoResponses?: AutoResponses;
  /**
   * Automated responses by trigger and language (docs/auto-responses.md). `autoResponses` and
   * `languages[].responses` are equivalent spellings of some of them; the same trigger and
   * language configured in both places is an error.
   */
  readonly automatedResponses?: readonly AutomatedResponse[];
  /** Where a reply to a business-initiated message is routed (B:14-16). Default `StatusBased`: see {@link capacityModelOf}. */
  readonly capacityModel?: CapacityModel;
  /**
   * Salesforce globals the channel's auto-response components may read, with their members' types,
   * as a component declares them: `{"$Organization": {"Name": "Text"}}` (docs/auto-responses.md#globals).
   * A component rendered for the channel sees these merged with its own `globals`.
   */
  readonly globals?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The values of the declared globals, given to every auto-response component the channel renders: `{"$Organization": {"Name": "Acme"}}`. */
  readonly globalValues?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}
