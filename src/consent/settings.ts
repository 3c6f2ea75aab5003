/**
 * Channel consent settings: consent levels, the consent types each channel type allows, the
 * keywords and automated responses per language, and their validation. Validation collects every
 * problem, each with a JSON pointer into the settings, and never throws. The defaults follow
 * DECISIONS.md "Consent and keywords" and the seed's default texts (SPEC-EXTRACT §8.4).
 */
import { CHANNEL_TYPES, type ChannelType } from '../channels/profiles.js';
import { didYouMean } from '../component/data.js';
import { escapePointer } from '../component/schema.js';
import { normalizeKeyword } from './keywords.js';

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
const STANDARD_SMS: ReadonlySet<ChannelType> = new Set(['SmsLongCode', 'SmsTollFree', 'SmsShortCode']);

const SMS_CHANNELS: ReadonlySet<ChannelType> = new Set(['SmsLongCode', 'SmsTollFree', 'SmsShortCode', 'SmsEnhanced']);

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
  readonly response: string;
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

/** Channel-wide automated responses. In In-App and Web channels they stand for auto-response components. */
export type AutoResponses = Readonly<Partial<Record<AutoResponseKind, string>>>;

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
  /** Where a reply to a business-initiated message is routed (B:14-16). Default `StatusBased`: see {@link capacityModelOf}. */
  readonly capacityModel?: CapacityModel;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Stable codes of settings problems. */
export const ConsentSettingsErrorCode = {
  NotAnObject: 'E_NOT_AN_OBJECT',
  UnknownProperty: 'E_UNKNOWN_PROPERTY',
  MissingProperty: 'E_MISSING_PROPERTY',
  InvalidValue: 'E_INVALID_VALUE',
  UnknownChannel: 'E_UNKNOWN_CHANNEL',
  InvalidCountry: 'E_INVALID_COUNTRY',
  InvalidLanguage: 'E_INVALID_LANGUAGE',
  DuplicateLanguage: 'E_DUPLICATE_LANGUAGE',
  DefaultLanguageNotConfigured: 'E_DEFAULT_LANGUAGE_NOT_CONFIGURED',
  ConsentTypeNotAllowed: 'E_CONSENT_TYPE_NOT_ALLOWED',
  EmptyKeyword: 'E_EMPTY_KEYWORD',
  KeywordHasSpace: 'E_KEYWORD_HAS_SPACE',
  DuplicateKeyword: 'E_DUPLICATE_KEYWORD',
  KeywordNotAllowed: 'E_KEYWORD_NOT_ALLOWED',
  ResponseNotAllowed: 'E_RESPONSE_NOT_ALLOWED',
  MissingKeywords: 'E_MISSING_KEYWORDS',
  MissingResponse: 'E_MISSING_RESPONSE',
  ResponseTooLong: 'E_RESPONSE_TOO_LONG',
  CanadaKeywordMissing: 'E_CANADA_KEYWORD_MISSING',
  CanadaKeywordMisplaced: 'E_CANADA_KEYWORD_MISPLACED',
} as const;

/** Stable codes of settings warnings (valid settings that probably don't do what was meant). */
export const ConsentSettingsWarningCode = {
  DoubleOptInInactive: 'W_DOUBLE_OPT_IN_INACTIVE',
  NoStopKeyword: 'W_NO_STOP_KEYWORD',
} as const;

const C = ConsentSettingsErrorCode;

/** A located problem in channel settings. */
export interface SettingsProblem {
  /** JSON pointer (RFC 6901) into the settings; `""` is the whole document. */
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
  /** Other places the problem involves, such as the first occurrence of a duplicate keyword. */
  readonly related?: readonly string[];
}

/** The outcome of {@link validateChannelSettings}. */
export interface ChannelSettingsValidation {
  readonly valid: boolean;
  readonly errors: readonly SettingsProblem[];
  readonly warnings: readonly SettingsProblem[];
  /** The settings with defaults filled in and language tags canonical; only when valid. */
  readonly settings?: ChannelSettings;
}

/** Options of {@link validateChannelSettings}. */
export interface ValidateChannelSettingsOptions {
  /** Top-level properties the caller keeps next to the settings (such as `id` or `name`): not reported as unknown. */
  readonly extraProperties?: Iterable<string>;
}

/** The top-level properties of channel settings. */
export const CHANNEL_SETTINGS_PROPERTIES: readonly string[] = ['type', 'country', 'consentType', 'stripTrailingPunctuation', 'defaultLanguage', 'languages', 'autoResponses', 'capacityModel'];
const LANGUAGE_PROPERTIES = ['language', 'keywords', 'custom', 'responses'];
const CUSTOM_PROPERTIES = ['keywords', 'response'];

/** Short code automated responses may have at most this many characters (G:3038). */
export const SHORT_CODE_RESPONSE_LIMIT = 160;

const KIND_LABEL: Readonly<Record<KeywordKind, string>> = {
  optIn: 'an opt-in keyword',
  doubleOptIn: 'a double opt-in keyword',
  optOut: 'an opt-out keyword',
  help: 'a help keyword',
  custom: 'a custom keyword',
};

const RESPONSE_LABEL: Readonly<Record<LanguageResponseKind | AutoResponseKind | 'customResponse', string>> = {
  optInPrompt: 'opt-in prompt',
  optInConfirmation: 'opt-in confirmation',
  doubleOptInPrompt: 'double opt-in prompt',
  optOutConfirmation: 'opt-out confirmation',
  helpResponse: 'help response',
  customResponse: 'custom response',
  conversationAcknowledgment: 'conversation acknowledgment',
  startConversation: 'start conversation message',
  endConversation: 'end conversation message',
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** The canonical form of a BCP 47 tag, or undefined when it isn't one. */
export function canonicalLanguage(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** The primary language subtag of a tag, lower case: `fr` for `fr-CA`. */
export function primaryLanguage(tag: string): string {
  return tag.split('-')[0]!.toLowerCase();
}

/** Characters as the user sees them: Unicode code points, not UTF-16 units. */
export function characterCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** One configured keyword, where it is and what it does. */
interface Occurrence {
  readonly normalized: string;
  readonly keyword: string;
  readonly kind: KeywordKind;
  readonly language: string;
  readonly pointer: string;
}

/** What the language pass found out about one language. */
interface LanguageFacts {
  readonly index: number;
  readonly tag: string | undefined;
  readonly pointer: string;
  readonly settings: LanguageSettings;
  readonly kinds: Set<KeywordKind>;
}

/**
 * Checks channel settings and collects every problem with its JSON pointer: the shape, the consent
 * types the channel type allows (SPEC-EXTRACT §7.2 rows 351-354), keywords unique across kinds and
 * languages after normalisation (DECISIONS.md §15.19), the responses each keyword needs, the
 * 160-character limit of short code responses (G:3038) and the Canadian short code keywords
 * (G:3116). Never throws.
 */
export function validateChannelSettings(input: unknown, options: ValidateChannelSettingsOptions = {}): ChannelSettingsValidation {
  const errors: SettingsProblem[] = [];
  const warnings: SettingsProblem[] = [];
  if (!isObject(input)) {
    errors.push({ pointer: '', code: C.NotAnObject, message: `Channel settings are an object {"type", "consentType"?, "country"?, "defaultLanguage"?, "languages", "autoResponses"?, "stripTrailingPunctuation"?}; received ${describe(input)}` });
    return { valid: false, errors, warnings };
  }
  const known = new Set([...CHANNEL_SETTINGS_PROPERTIES, ...(options.extraProperties ?? [])]);
  unknownProperties(input, '', known, errors);

  // Channel type
  let type: ChannelType | undefined;
  if (input.type === undefined) errors.push({ pointer: '/type', code: C.MissingProperty, message: `"type" is required: one of ${CHANNEL_TYPES.join(', ')}` });
  else if (!isChannelType(input.type)) {
    const hint = typeof input.type === 'string' ? didYouMean(input.type, CHANNEL_TYPES) : '';
    errors.push({ pointer: '/type', code: C.UnknownChannel, message: `"type" must be a channel type (${CHANNEL_TYPES.join(', ')}); received ${describe(input.type)}.${hint}` });
  } else type = input.type;

  // Country
  let country: string | undefined;
  if (input.country !== undefined) {
    if (typeof input.country === 'string' && /^[A-Z]{2}$/.test(input.country)) country = input.country;
    else {
      const hint = typeof input.country === 'string' && /^[A-Za-z]{2}$/.test(input.country) ? ` Write it in upper case: "${input.country.toUpperCase()}".` : '';
      errors.push({ pointer: '/country', code: C.InvalidCountry, message: `"country" must be an ISO 3166-1 alpha-2 code such as "US" or "CA"; received ${describe(input.country)}.${hint}` });
    }
  }

  // Consent type
  let consentType: ConsentType | undefined;
  if (input.consentType !== undefined) {
    if (typeof input.consentType !== 'string' || !(CONSENT_TYPES as readonly string[]).includes(input.consentType)) {
      const hint = typeof input.consentType === 'string' ? didYouMean(input.consentType, CONSENT_TYPES) : '';
      errors.push({ pointer: '/consentType', code: C.InvalidValue, message: `"consentType" must be ${CONSENT_TYPES.join(', ')}; received ${describe(input.consentType)}.${hint}` });
    } else {
      const requested = input.consentType as ConsentType;
      if (type !== undefined) {
        const allowed = allowedConsentTypes(type);
        if (allowed.length === 0 && requested !== 'ImplicitOptIn') {
          errors.push({ pointer: '/consentType', code: C.ConsentTypeNotAllowed, message: `Consent doesn't apply to ${type} channels (SPEC-EXTRACT §7.2 rows 351-354: N/A); leave "consentType" out or use ImplicitOptIn, received ${requested}` });
        } else if (allowed.length > 0 && !allowed.includes(requested)) {
          errors.push({ pointer: '/consentType', code: C.ConsentTypeNotAllowed, message: `${type} channels allow only ${allowed.join(' or ')} (${consentTypeReason(type)}); received ${requested}` });
        } else consentType = requested;
      } else consentType = requested;
    }
  }
  const effectiveConsent: ConsentType | undefined = type === undefined ? consentType : (consentType ?? defaultConsentType(type));

  // Strip trailing punctuation
  let strip = false;
  if (input.stripTrailingPunctuation !== undefined) {
    if (typeof input.stripTrailingPunctuation !== 'boolean') errors.push({ pointer: '/stripTrailingPunctuation', code: C.InvalidValue, message: `"stripTrailingPunctuation" must be true or false; received ${describe(input.stripTrailingPunctuation)}` });
    else strip = input.stripTrailingPunctuation;
  }

  // Capacity model
  let capacityModel: CapacityModel | undefined;
  if (input.capacityModel !== undefined) {
    if (typeof input.capacityModel === 'string' && (CAPACITY_MODELS as readonly string[]).includes(input.capacityModel)) capacityModel = input.capacityModel as CapacityModel;
    else {
      const hint = typeof input.capacityModel === 'string' ? didYouMean(input.capacityModel, CAPACITY_MODELS) : '';
      errors.push({ pointer: '/capacityModel', code: C.InvalidValue, message: `"capacityModel" must be ${CAPACITY_MODELS.join(' or ')} (how Omni-Channel measures rep capacity, B:14-16); received ${describe(input.capacityModel)}.${hint}` });
    }
  }

  // Auto-responses
  let autoResponses: Record<string, string> | undefined;
  if (input.autoResponses !== undefined) {
    if (!isObject(input.autoResponses)) errors.push({ pointer: '/autoResponses', code: C.NotAnObject, message: `"autoResponses" is an object {${AUTO_RESPONSE_KINDS.map((k) => `"${k}"?`).join(', ')}}; received ${describe(input.autoResponses)}` });
    else {
      unknownProperties(input.autoResponses, '/autoResponses', new Set(AUTO_RESPONSE_KINDS), errors);
      autoResponses = {};
      for (const kind of AUTO_RESPONSE_KINDS) {
        const text = checkText(input.autoResponses[kind], `/autoResponses/${kind}`, RESPONSE_LABEL[kind], errors);
        if (text !== undefined) autoResponses[kind] = text;
      }
    }
  }

  // Languages
  const facts: LanguageFacts[] = [];
  const occurrences: Occurrence[] = [];
  if (input.languages === undefined) errors.push({ pointer: '/languages', code: C.MissingProperty, message: `"languages" is required: an array of {"language", "keywords"?, "custom"?, "responses"?}, at least one` });
  else if (!Array.isArray(input.languages) || input.languages.length === 0) {
    errors.push({ pointer: '/languages', code: C.InvalidValue, message: `"languages" must be a non-empty array of {"language", "keywords"?, "custom"?, "responses"?}; received ${Array.isArray(input.languages) ? 'an empty array' : describe(input.languages)}` });
  } else {
    const seenTags = new Map<string, string>();
    input.languages.forEach((raw: unknown, index: number) => {
      const f = checkLanguage(raw, index, strip, errors, occurrences);
      if (f === undefined) return;
      if (f.tag !== undefined) {
        const first = seenTags.get(f.tag);
        if (first !== undefined) errors.push({ pointer: `${f.pointer}/language`, code: C.DuplicateLanguage, message: `The language "${f.tag}" is configured twice (first at ${first}); put all of its keywords and responses in one entry`, related: [first] });
        else seenTags.set(f.tag, `${f.pointer}/language`);
      }
      facts.push(f);
    });
  }

  // Default language
  let defaultFacts: LanguageFacts | undefined;
  if (input.defaultLanguage !== undefined) {
    const tag = typeof input.defaultLanguage === 'string' ? canonicalLanguage(input.defaultLanguage) : undefined;
    if (tag === undefined) errors.push({ pointer: '/defaultLanguage', code: C.InvalidLanguage, message: `"defaultLanguage" must be a BCP 47 language tag such as "en" or "fr-CA"; received ${describe(input.defaultLanguage)}` });
    else {
      defaultFacts = facts.find((f) => f.tag === tag);
      if (defaultFacts === undefined && facts.length > 0) {
        const tags = facts.map((f) => f.tag).filter((t): t is string => t !== undefined);
        errors.push({ pointer: '/defaultLanguage', code: C.DefaultLanguageNotConfigured, message: `The default language "${tag}" isn't one of the configured languages (${tags.join(', ')})` });
      }
    }
  } else defaultFacts = facts[0];

  // Keyword uniqueness, across kinds and languages (DECISIONS.md §15.19)
  const firstByKeyword = new Map<string, Occurrence>();
  for (const o of occurrences) {
    const first = firstByKeyword.get(o.normalized);
    if (first === undefined) {
      firstByKeyword.set(o.normalized, o);
      continue;
    }
    const same = first.kind === o.kind && first.language === o.language;
    const pair = (first.kind === 'optIn' && o.kind === 'doubleOptIn') || (first.kind === 'doubleOptIn' && o.kind === 'optIn') ? ' Opt-in and double opt-in keywords must differ (G:5236).' : '';
    errors.push({
      pointer: o.pointer,
      code: C.DuplicateKeyword,
      message: same
        ? `The keyword "${o.keyword}" is listed twice as ${KIND_LABEL[o.kind]} of "${o.language}": at ${first.pointer} and at ${o.pointer}`
        : `The keyword "${o.keyword}" is configured twice: as ${KIND_LABEL[first.kind]} of "${first.language}" at ${first.pointer} and as ${KIND_LABEL[o.kind]} of "${o.language}" at ${o.pointer}. A keyword may appear only once across all kinds and languages of a channel.${pair}`,
      related: [first.pointer],
    });
  }

  if (type !== undefined && effectiveConsent !== undefined && defaultFacts !== undefined) {
    channelRules(type, effectiveConsent, facts, defaultFacts, occurrences, errors, warnings);
    if (type === 'SmsShortCode') shortCodeLimits(facts, autoResponses, errors);
    if (type === 'SmsShortCode' && country === 'CA') canadaRule(facts, firstByKeyword, strip, errors);
  }

  if (errors.length > 0 || type === undefined || defaultFacts?.tag === undefined) return { valid: false, errors, warnings };
  const settings: ChannelSettings = {
    type,
    ...(country !== undefined ? { country } : {}),
    consentType: effectiveConsent ?? defaultConsentType(type),
    stripTrailingPunctuation: strip,
    defaultLanguage: defaultFacts.tag,
    languages: facts.map((f) => f.settings),
    ...(autoResponses !== undefined ? { autoResponses } : {}),
    ...(capacityModel !== undefined ? { capacityModel } : {}),
  };
  return { valid: true, errors, warnings, settings };
}

function consentTypeReason(type: ChannelType): string {
  if (type === 'SmsShortCode') return 'short codes require explicit opt-in and may require double opt-in: G:3048-3070';
  if (isStandardChannel(type)) return 'standard channels offer only implicit opt-in: SPEC-EXTRACT §7.2 rows 351-353';
  return 'enhanced channels offer implicit or explicit opt-in; double opt-in is not supported in enhanced channels: G:5244, G:3746';
}

function unknownProperties(obj: Record<string, unknown>, base: string, known: ReadonlySet<string>, errors: SettingsProblem[]): void {
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) errors.push({ pointer: `${base}/${escapePointer(key)}`, code: C.UnknownProperty, message: `Unknown property "${key}".${didYouMean(key, known)}` });
  }
}

/** A response text: a non-blank string. */
function checkText(v: unknown, pointer: string, label: string, errors: SettingsProblem[]): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') {
    errors.push({ pointer, code: C.InvalidValue, message: `The ${label} must be non-blank text (leave the property out to not configure it); received ${describe(v)}` });
    return undefined;
  }
  return v;
}

function checkKeyword(v: unknown, pointer: string, kind: KeywordKind, language: string, strip: boolean, errors: SettingsProblem[], occurrences: Occurrence[]): string | undefined {
  if (typeof v !== 'string') {
    errors.push({ pointer, code: C.InvalidValue, message: `A keyword is a string; received ${describe(v)}` });
    return undefined;
  }
  const normalized = normalizeKeyword(v, { stripTrailingPunctuation: strip });
  if (normalized === '') {
    const why = strip && v.trim() !== '' ? ' once trailing punctuation is stripped (stripTrailingPunctuation is on)' : '';
    errors.push({ pointer, code: C.EmptyKeyword, message: `The keyword ${JSON.stringify(v)} is empty${why}` });
    return undefined;
  }
  if (/\s/u.test(normalized)) {
    errors.push({ pointer, code: C.KeywordHasSpace, message: `The keyword ${JSON.stringify(v)} has a space in it. Keywords are single words: only single-word messages trigger them (PLATFORM-FACTS §4; write OPTOUT, not OPT OUT)` });
    return undefined;
  }
  occurrences.push({ normalized, keyword: v, kind, language, pointer });
  return v;
}

function checkLanguage(raw: unknown, index: number, strip: boolean, errors: SettingsProblem[], occurrences: Occurrence[]): LanguageFacts | undefined {
  const pointer = `/languages/${index}`;
  if (!isObject(raw)) {
    errors.push({ pointer, code: C.NotAnObject, message: `A language is an object {"language", "keywords"?, "custom"?, "responses"?}; received ${describe(raw)}` });
    return undefined;
  }
  unknownProperties(raw, pointer, new Set(LANGUAGE_PROPERTIES), errors);
  let tag: string | undefined;
  if (raw.language === undefined) errors.push({ pointer: `${pointer}/language`, code: C.MissingProperty, message: `"language" is required: a BCP 47 language tag such as "en" or "fr-CA"` });
  else {
    tag = typeof raw.language === 'string' ? canonicalLanguage(raw.language) : undefined;
    if (tag === undefined) errors.push({ pointer: `${pointer}/language`, code: C.InvalidLanguage, message: `"language" must be a BCP 47 language tag such as "en" or "fr-CA"; received ${describe(raw.language)}` });
  }
  const label = tag ?? `#${index}`;
  const kinds = new Set<KeywordKind>();

  const keywords: Partial<Record<ListKeywordKind, string[]>> = {};
  if (raw.keywords !== undefined) {
    if (!isObject(raw.keywords)) errors.push({ pointer: `${pointer}/keywords`, code: C.NotAnObject, message: `"keywords" is an object of kind → keywords, with kinds ${LIST_KEYWORD_KINDS.join(', ')}; received ${describe(raw.keywords)}` });
    else {
      const known = new Set<string>(LIST_KEYWORD_KINDS);
      for (const key of Object.keys(raw.keywords)) {
        if (known.has(key)) continue;
        const hint = key === 'custom' ? ' Custom keywords go in "custom": [{"keywords": [...], "response": "..."}] next to "keywords".' : didYouMean(key, known);
        errors.push({ pointer: `${pointer}/keywords/${escapePointer(key)}`, code: C.UnknownProperty, message: `Unknown keyword kind "${key}".${hint}` });
      }
      for (const kind of LIST_KEYWORD_KINDS) {
        const list = raw.keywords[kind];
        if (list === undefined) continue;
        const at = `${pointer}/keywords/${kind}`;
        if (!Array.isArray(list)) {
          errors.push({ pointer: at, code: C.InvalidValue, message: `Keywords are an array of strings; received ${describe(list)}` });
          continue;
        }
        const kept: string[] = [];
        list.forEach((k: unknown, i: number) => {
          const ok = checkKeyword(k, `${at}/${i}`, kind, label, strip, errors, occurrences);
          if (ok !== undefined) kept.push(ok);
        });
        keywords[kind] = kept;
        if (list.length > 0) kinds.add(kind);
      }
    }
  }

  const custom: CustomKeywords[] = [];
  if (raw.custom !== undefined) {
    if (!Array.isArray(raw.custom)) errors.push({ pointer: `${pointer}/custom`, code: C.InvalidValue, message: `"custom" is an array of {"keywords": [...], "response": "..."}; received ${describe(raw.custom)}` });
    else {
      raw.custom.forEach((g: unknown, gi: number) => {
        const at = `${pointer}/custom/${gi}`;
        if (!isObject(g)) {
          errors.push({ pointer: at, code: C.NotAnObject, message: `A custom keyword group is {"keywords": [...], "response": "..."}; received ${describe(g)}` });
          return;
        }
        unknownProperties(g, at, new Set(CUSTOM_PROPERTIES), errors);
        const kept: string[] = [];
        if (!Array.isArray(g.keywords) || g.keywords.length === 0) errors.push({ pointer: `${at}/keywords`, code: C.MissingKeywords, message: `A custom keyword group needs a non-empty array of keywords; received ${describe(g.keywords)}` });
        else g.keywords.forEach((k: unknown, i: number) => {
          const ok = checkKeyword(k, `${at}/keywords/${i}`, 'custom', label, strip, errors, occurrences);
          if (ok !== undefined) kept.push(ok);
        });
        if (g.response === undefined) errors.push({ pointer: `${at}/response`, code: C.MissingResponse, message: 'A custom keyword group needs its "response": the text sent when a customer sends one of its keywords' });
        const response = checkText(g.response, `${at}/response`, RESPONSE_LABEL.customResponse, errors);
        if (response !== undefined) custom.push({ keywords: kept, response });
        kinds.add('custom');
      });
    }
  }

  const responses: Partial<Record<LanguageResponseKind, string>> = {};
  if (raw.responses !== undefined) {
    if (!isObject(raw.responses)) errors.push({ pointer: `${pointer}/responses`, code: C.NotAnObject, message: `"responses" is an object with ${LANGUAGE_RESPONSE_KINDS.join(', ')}; received ${describe(raw.responses)}` });
    else {
      const known = new Set<string>(LANGUAGE_RESPONSE_KINDS);
      for (const key of Object.keys(raw.responses)) {
        if (known.has(key)) continue;
        const hint = key === 'customResponse' ? ' Custom responses go with their keywords: "custom": [{"keywords": [...], "response": "..."}].' : didYouMean(key, known);
        errors.push({ pointer: `${pointer}/responses/${escapePointer(key)}`, code: C.UnknownProperty, message: `Unknown response "${key}".${hint}` });
      }
      for (const kind of LANGUAGE_RESPONSE_KINDS) {
        const text = checkText(raw.responses[kind], `${pointer}/responses/${kind}`, RESPONSE_LABEL[kind], errors);
        if (text !== undefined) responses[kind] = text;
      }
    }
  }

  const settings: LanguageSettings = { language: tag ?? String(raw.language), keywords, custom, responses };
  return { index, tag, pointer, settings, kinds };
}

/** What the channel type and consent type allow and require. */
function channelRules(
  type: ChannelType,
  consent: ConsentType,
  facts: readonly LanguageFacts[],
  def: LanguageFacts,
  occurrences: readonly Occurrence[],
  errors: SettingsProblem[],
  warnings: SettingsProblem[],
): void {
  const applies = consentApplies(type);
  const doubleAllowed = allowedConsentTypes(type).includes('DoubleOptIn');
  const defaultTag = def.tag ?? '';

  for (const f of facts) {
    const lang = f.tag ?? `#${f.index}`;
    const kw = f.settings.keywords ?? {};
    const rs = f.settings.responses ?? {};
    // Kinds the channel type doesn't have
    for (const kind of ['optIn', 'doubleOptIn', 'optOut'] as const) {
      if ((kw[kind]?.length ?? 0) === 0) continue;
      if (!applies) errors.push({ pointer: `${f.pointer}/keywords/${kind}`, code: C.KeywordNotAllowed, message: `${type} channels have no consent keywords: consent and opt-out don't apply to Messaging for In-App and Web (SPEC-EXTRACT §7.2 rows 351-354). Use help or custom keywords` });
      else if (kind === 'doubleOptIn' && !doubleAllowed) errors.push({ pointer: `${f.pointer}/keywords/doubleOptIn`, code: C.KeywordNotAllowed, message: `Double opt-in keywords are only for short codes; ${type} channels don't offer double opt-in (SPEC-EXTRACT §7.2 row 353, G:5236)` });
    }
    for (const kind of ['optInPrompt', 'optInConfirmation', 'doubleOptInPrompt', 'optOutConfirmation'] as const) {
      if (rs[kind] === undefined) continue;
      if (!applies) errors.push({ pointer: `${f.pointer}/responses/${kind}`, code: C.ResponseNotAllowed, message: `${type} channels have no ${RESPONSE_LABEL[kind]}: consent doesn't apply to Messaging for In-App and Web (SPEC-EXTRACT §7.2 rows 351-354)` });
      else if (kind === 'doubleOptInPrompt' && !doubleAllowed) errors.push({ pointer: `${f.pointer}/responses/doubleOptInPrompt`, code: C.ResponseNotAllowed, message: `A double opt-in prompt is only for short codes; ${type} channels don't offer double opt-in (G:5235)` });
    }
    if (!applies) continue;
    // A keyword's own response, in the keyword's language
    const need = (kind: ListKeywordKind, response: LanguageResponseKind, why: string): void => {
      if ((kw[kind]?.length ?? 0) > 0 && rs[response] === undefined) {
        errors.push({ pointer: `${f.pointer}/responses/${response}`, code: C.MissingResponse, message: `"${lang}" has ${KIND_LABEL[kind].replace(/^an? /, '')}s, so it needs its ${RESPONSE_LABEL[response]} in "${lang}": ${why}` });
      }
    };
    need('optOut', 'optOutConfirmation', 'every opt-out is confirmed, in the keyword\'s language (G:5234, G:3116)');
    need('help', 'helpResponse', 'a help keyword is answered with the help response, in the keyword\'s language (G:3094, G:3116)');
    if (consent === 'DoubleOptIn') need('doubleOptIn', 'optInConfirmation', 'the double opt-in keyword completes the opt-in and is confirmed (G:3746-3752)');
    else need('optIn', 'optInConfirmation', 'an opt-in keyword is confirmed (G:3062)');
    if (consent !== 'DoubleOptIn' && (kw.doubleOptIn?.length ?? 0) > 0 && doubleAllowed) {
      warnings.push({ pointer: `${f.pointer}/keywords/doubleOptIn`, code: ConsentSettingsWarningCode.DoubleOptInInactive, message: `Double opt-in keywords only take effect when "consentType" is DoubleOptIn (the "Require Double Opt-In" setting, G:3070); with ${consent} they are ignored` });
    }
  }
  if (!applies) return;

  const any = (kind: KeywordKind): boolean => occurrences.some((o) => o.kind === kind);
  const missingKeywords = (kind: ListKeywordKind, why: string): void => {
    if (!any(kind)) errors.push({ pointer: `${def.pointer}/keywords/${kind}`, code: C.MissingKeywords, message: `${type} channels with ${consent} need at least one ${KIND_LABEL[kind].replace(/^an? /, '')}: ${why}` });
  };
  const missingDefault = (response: LanguageResponseKind, why: string): void => {
    const pointer = `${def.pointer}/responses/${response}`;
    if (errors.some((e) => e.pointer === pointer && e.code === C.MissingResponse)) return;
    if (def.settings.responses?.[response] === undefined) errors.push({ pointer, code: C.MissingResponse, message: `The default language "${defaultTag}" needs the ${RESPONSE_LABEL[response]}: ${why}` });
  };
  missingKeywords('optOut', 'customers must be able to opt out (G:5233 "Required: Yes", G:3080)');
  if (consent === 'ExplicitOptIn' || consent === 'DoubleOptIn') {
    missingKeywords('optIn', 'customers opt in by sending one (G:5244, G:3062)');
    missingDefault('optInPrompt', 'customers who haven\'t opted in are asked to (G:3054, G:5230)');
  }
  if (consent === 'DoubleOptIn') {
    missingKeywords('doubleOptIn', 'customers confirm their opt-in by sending one (G:3070)');
    missingDefault('doubleOptInPrompt', 'customers who sent an opt-in keyword are asked to confirm (G:3070, G:5235)');
  }
  if (type === 'SmsShortCode') missingKeywords('help', 'short codes must answer help keywords (G:3094)');
  if (STANDARD_SMS.has(type)) missingDefault('optInConfirmation', 'SMS channels confirm every opt-in (G:5232 "Required: SMS and short codes only")');
  if (SMS_CHANNELS.has(type) && any('optOut') && !occurrences.some((o) => o.kind === 'optOut' && o.normalized === 'stop')) {
    warnings.push({ pointer: `${def.pointer}/keywords/optOut`, code: ConsentSettingsWarningCode.NoStopKeyword, message: 'No opt-out keyword is STOP. Carriers and providers expect STOP on every SMS number (PLATFORM-FACTS §4: it can\'t be removed in Twilio Advanced Opt-Out)' });
  }
}

function shortCodeLimits(facts: readonly LanguageFacts[], autoResponses: Record<string, string> | undefined, errors: SettingsProblem[]): void {
  const check = (text: string | undefined, pointer: string, label: string): void => {
    if (text === undefined) return;
    const n = characterCount(text);
    if (n > SHORT_CODE_RESPONSE_LIMIT) errors.push({ pointer, code: C.ResponseTooLong, message: `The ${label} has ${n} characters; short code automated responses may have at most ${SHORT_CODE_RESPONSE_LIMIT} (G:3038)` });
  };
  for (const f of facts) {
    const lang = f.tag ?? `#${f.index}`;
    for (const kind of LANGUAGE_RESPONSE_KINDS) check(f.settings.responses?.[kind], `${f.pointer}/responses/${kind}`, `${RESPONSE_LABEL[kind]} of "${lang}"`);
    f.settings.custom?.forEach((g, i) => check(g.response, `${f.pointer}/custom/${i}/response`, `custom response of "${lang}"`));
  }
  if (autoResponses !== undefined) for (const kind of AUTO_RESPONSE_KINDS) check(autoResponses[kind], `/autoResponses/${kind}`, RESPONSE_LABEL[kind]);
}

/** The five mandatory keywords of Canadian short codes, with the kind and language each needs (G:3116). */
const CANADA_KEYWORDS: readonly { readonly keyword: string; readonly kinds: readonly KeywordKind[]; readonly language: 'en' | 'fr' }[] = [
  { keyword: 'HELP', kinds: ['help'], language: 'en' },
  { keyword: 'INFO', kinds: ['help', 'custom'], language: 'en' },
  { keyword: 'STOP', kinds: ['optOut'], language: 'en' },
  { keyword: 'AIDE', kinds: ['help'], language: 'fr' },
  { keyword: 'ARRET', kinds: ['optOut'], language: 'fr' },
];

const LANGUAGE_NAME = { en: 'English', fr: 'French' } as const;

function canadaRule(facts: readonly LanguageFacts[], byKeyword: ReadonlyMap<string, Occurrence>, strip: boolean, errors: SettingsProblem[]): void {
  for (const rule of CANADA_KEYWORDS) {
    const norm = normalizeKeyword(rule.keyword, { stripTrailingPunctuation: strip });
    const found = byKeyword.get(norm);
    const name = LANGUAGE_NAME[rule.language];
    const kindText = rule.kinds.map((k) => KIND_LABEL[k]).join(' or ');
    const target = facts.find((f) => f.tag !== undefined && primaryLanguage(f.tag) === rule.language);
    const where = target === undefined ? undefined : `${target.pointer}/keywords/${rule.kinds[0]}`;
    if (found === undefined) {
      const accented = rule.keyword === 'ARRET' && byKeyword.has(normalizeKeyword('ARRÊT', { stripTrailingPunctuation: strip })) ? ' ARRÊT is configured, but ARRET (without the accent) is a different keyword: add it too.' : '';
      const fix = target === undefined
        ? `no ${name} language is configured: add a language "${rule.language}" with ${rule.keyword} as ${kindText} and its response in ${name}`
        : `add ${rule.keyword} as ${kindText} of "${target.tag}" (${where})`;
      errors.push({ pointer: where ?? '/languages', code: C.CanadaKeywordMissing, message: `A Canadian short code (country CA) must answer ${rule.keyword} with an automated ${name} response (G:3116): ${fix}.${accented}` });
      continue;
    }
    const langOk = primaryLanguage(found.language) === rule.language;
    const kindOk = rule.kinds.includes(found.kind);
    if (!langOk || !kindOk) {
      const need = [kindOk ? '' : `as ${kindText}`, langOk ? '' : `in a ${name} language, so that its response is in ${name}`].filter((s) => s !== '').join(' ');
      errors.push({ pointer: found.pointer, code: C.CanadaKeywordMisplaced, message: `${rule.keyword} is ${KIND_LABEL[found.kind]} of "${found.language}"; a Canadian short code needs it ${need} (G:3116)`, related: where !== undefined && where !== found.pointer ? [where] : [] });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Defaults

/** Options of {@link defaultChannelSettings}. */
export interface DefaultSettingsOptions {
  /** Default `ExplicitOptIn` on short codes, else `ImplicitOptIn`. */
  readonly consentType?: ConsentType;
  /** ISO 3166-1 alpha-2. `CA` on a short code gives {@link canadianShortCodeDefaults}. */
  readonly country?: string;
  readonly stripTrailingPunctuation?: boolean;
}

/** The default keywords (DECISIONS.md §15.19). YES is an opt-in keyword, so the double opt-in defaults are CONFIRM and Y. */
export const DEFAULT_KEYWORDS: Readonly<Record<ListKeywordKind, readonly string[]>> = {
  optOut: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'],
  optIn: ['START', 'YES', 'UNSTOP'],
  doubleOptIn: ['CONFIRM', 'Y'],
  help: ['HELP', 'INFO'],
};

/**
 * The default English texts. The opt-in and opt-out confirmations are the seed's defaults
 * (G:5232, G:5234), the prompt and the auto-responses its examples (G:3744, G:5211-5213). The
 * double opt-in prompt is the seed's (G:3750) with the default double opt-in keyword; the help
 * response is generic because the seed's has placeholders ([Campaign Name]…) to fill in.
 */
export const DEFAULT_TEXTS = {
  optInPrompt: 'Thanks for connecting with us! To opt in to receiving messages, respond Yes.',
  optInConfirmation: 'Thanks for opting in and allowing us to send you messages.',
  doubleOptInPrompt: 'To confirm your response, respond Confirm.',
  optOutConfirmation: "You've opted out of receiving messages from us, so we won't contact you again.",
  helpResponse: 'Reply with your question and someone will help you. Reply STOP to opt out.',
  conversationAcknowledgment: 'Thanks for your message. An agent will be with you shortly. Just so you know, we record and track conversations to help improve your experience.',
  startConversation: 'Hello, how can I help you today?',
  endConversation: 'Thanks again for contacting us. We appreciate your business.',
} as const;

/** Canadian French keywords and texts for {@link canadianShortCodeDefaults}. ARRÊT is added next to the mandatory ARRET. */
export const FRENCH_DEFAULTS = {
  keywords: { optOut: ['ARRET', 'ARRÊT'], optIn: ['OUI'], doubleOptIn: ['CONFIRMER'], help: ['AIDE'] },
  texts: {
    optInPrompt: 'Merci de nous avoir écrit! Pour accepter de recevoir nos messages, répondez Oui.',
    optInConfirmation: "Merci d'avoir accepté de recevoir nos messages.",
    doubleOptInPrompt: 'Pour confirmer votre réponse, répondez Confirmer.',
    optOutConfirmation: 'Vous ne recevrez plus de messages de notre part. Nous ne vous contacterons plus.',
    helpResponse: "Répondez avec votre question et quelqu'un vous aidera. Répondez ARRET pour ne plus recevoir de messages.",
  },
} as const;

function englishLanguage(type: ChannelType, consent: ConsentType): LanguageSettings {
  if (!consentApplies(type)) return { language: 'en', keywords: {}, custom: [], responses: {} };
  const double = consent === 'DoubleOptIn';
  return {
    language: 'en',
    keywords: {
      optIn: [...DEFAULT_KEYWORDS.optIn],
      ...(double ? { doubleOptIn: [...DEFAULT_KEYWORDS.doubleOptIn] } : {}),
      optOut: [...DEFAULT_KEYWORDS.optOut],
      help: [...DEFAULT_KEYWORDS.help],
    },
    custom: [],
    responses: {
      optInPrompt: DEFAULT_TEXTS.optInPrompt,
      optInConfirmation: DEFAULT_TEXTS.optInConfirmation,
      ...(double ? { doubleOptInPrompt: DEFAULT_TEXTS.doubleOptInPrompt } : {}),
      optOutConfirmation: DEFAULT_TEXTS.optOutConfirmation,
      helpResponse: DEFAULT_TEXTS.helpResponse,
    },
  };
}

/**
 * Default settings for a channel type, valid as they are: one English language with the default
 * keywords and texts. In-App and Web channels get no keywords (consent doesn't apply, and a help
 * keyword would keep a chat's first "help" from reaching an agent). A short code in Canada gets
 * {@link canadianShortCodeDefaults}.
 */
export function defaultChannelSettings(type: ChannelType, options: DefaultSettingsOptions = {}): ChannelSettings {
  if (type === 'SmsShortCode' && options.country === 'CA') return canadianShortCodeDefaults(options);
  const consentType = options.consentType ?? defaultConsentType(type);
  return {
    type,
    ...(options.country !== undefined ? { country: options.country } : {}),
    consentType,
    stripTrailingPunctuation: options.stripTrailingPunctuation ?? false,
    defaultLanguage: 'en',
    languages: [englishLanguage(type, consentType)],
    autoResponses: {
      conversationAcknowledgment: DEFAULT_TEXTS.conversationAcknowledgment,
      startConversation: DEFAULT_TEXTS.startConversation,
      endConversation: DEFAULT_TEXTS.endConversation,
    },
  };
}

/**
 * Default settings for a Canadian short code (G:3116): English (`en`, the default language) with
 * HELP, INFO and STOP among the defaults, and French (`fr`) with ARRET (and ARRÊT) to opt out,
 * AIDE for help, OUI to opt in and French responses. All responses fit in 160 characters.
 */
export function canadianShortCodeDefaults(options: Omit<DefaultSettingsOptions, 'country'> = {}): ChannelSettings {
  const consentType = options.consentType ?? 'ExplicitOptIn';
  const double = consentType === 'DoubleOptIn';
  const fr = FRENCH_DEFAULTS;
  const french: LanguageSettings = {
    language: 'fr',
    keywords: {
      optIn: [...fr.keywords.optIn],
      ...(double ? { doubleOptIn: [...fr.keywords.doubleOptIn] } : {}),
      optOut: [...fr.keywords.optOut],
      help: [...fr.keywords.help],
    },
    custom: [],
    responses: {
      optInPrompt: fr.texts.optInPrompt,
      optInConfirmation: fr.texts.optInConfirmation,
      ...(double ? { doubleOptInPrompt: fr.texts.doubleOptInPrompt } : {}),
      optOutConfirmation: fr.texts.optOutConfirmation,
      helpResponse: fr.texts.helpResponse,
    },
  };
  return {
    type: 'SmsShortCode',
    country: 'CA',
    consentType,
    stripTrailingPunctuation: options.stripTrailingPunctuation ?? false,
    defaultLanguage: 'en',
    languages: [englishLanguage('SmsShortCode', consentType), french],
    autoResponses: {
      conversationAcknowledgment: DEFAULT_TEXTS.conversationAcknowledgment,
      startConversation: DEFAULT_TEXTS.startConversation,
      endConversation: DEFAULT_TEXTS.endConversation,
    },
  };
}
