/**
 * Automated responses by trigger (`automatedResponses`, the names of Salesforce's
 * `MessagingChannel` metadata), how the older spellings (`autoResponses`,
 * `languages[].responses`, custom keyword responses) map onto them, which channel types support
 * each trigger, and the lookup the decisions use. docs/auto-responses.md.
 */
import type { ChannelType } from '../channels/profiles.js';
import {
  AUTO_RESPONSE_KINDS,
  LANGUAGE_RESPONSE_KINDS,
  allowedConsentTypes,
  consentApplies,
  type AutoResponseKind,
  type AutoResponses,
  type AutomatedResponseType,
  type ChannelSettings,
  type LanguageResponseKind,
} from './model.js';
import { canonicalLanguage, primaryLanguage } from './text.js';

/** The trigger each `autoResponses` field stands for (G:5211-5213). */
export const AUTO_RESPONSE_TYPE: Readonly<Record<AutoResponseKind, AutomatedResponseType>> = {
  conversationAcknowledgment: 'InitialResponse',
  startConversation: 'AgentEngagedResponse',
  endConversation: 'AgentEndEngagementResponse',
};

/** The trigger each `languages[].responses` field stands for (G:5230-5243). */
export const LANGUAGE_RESPONSE_TYPE: Readonly<Record<LanguageResponseKind, AutomatedResponseType>> = {
  optInPrompt: 'OptInPrompt',
  optInConfirmation: 'OptInConfirmation',
  doubleOptInPrompt: 'DoubleOptInPrompt',
  optOutConfirmation: 'OptOutConfirmation',
  helpResponse: 'HelpResponse',
};

/** The `languages[].responses` field of a trigger, when it has one. */
export function languageResponseKindOf(type: AutomatedResponseType): LanguageResponseKind | undefined {
  return LANGUAGE_RESPONSE_KINDS.find((k) => LANGUAGE_RESPONSE_TYPE[k] === type);
}

/** The `autoResponses` field of a trigger, when it has one. */
export function autoResponseKindOf(type: AutomatedResponseType): AutoResponseKind | undefined {
  return AUTO_RESPONSE_KINDS.find((k) => AUTO_RESPONSE_TYPE[k] === type);
}

/**
 * Default `autoResponses` without the triggers that a (raw) `automatedResponses` list configures:
 * a channel stored without `languages` gets the default texts only for the triggers it leaves out.
 */
export function defaultsNotCovered(defaults: AutoResponses | undefined, automated: unknown): AutoResponses | undefined {
  if (defaults === undefined || !Array.isArray(automated)) return defaults;
  const covered = new Set(automated.map((r: unknown) => (r !== null && typeof r === 'object' ? (r as { type?: unknown }).type : undefined)));
  const kept = Object.fromEntries(Object.entries(defaults).filter(([kind]) => !covered.has(AUTO_RESPONSE_TYPE[kind as AutoResponseKind])));
  return Object.keys(kept).length === 0 ? undefined : kept;
}

/** The triggers whose response waits for a time without customer messages (`responseTimeoutInMins`). */
export const TIMEOUT_TYPES: ReadonlySet<AutomatedResponseType> = new Set(['EndUserInactiveResponse', 'EndUserIdleResponse']);

/** The longest `responseTimeoutInMins`: 30 hours, after which an Inactive session has ended anyway (G:6491). */
export const MAX_RESPONSE_TIMEOUT_MINS = 1800;

/** Channel types with auto-response components: Messaging for In-App and Web only (G:4869, matrix row G:335). */
const COMPONENT_CHANNELS: ReadonlySet<ChannelType> = new Set(['EmbeddedWeb', 'EmbeddedInApp']);

/**
 * Channel types whose sessions can be marked Inactive and transferred, so rerouted: enhanced
 * channels and In-App and Web (G:491, G:6450, G:6483). The same set as
 * `supportsAction('markInactive' | 'transfer')` in src/sessions/lifecycle.ts (a test checks it).
 */
const REROUTING_CHANNELS: ReadonlySet<ChannelType> = new Set(['FacebookEnhanced', 'WhatsAppEnhanced', 'EmbeddedWeb', 'EmbeddedInApp', 'SmsEnhanced', 'AppleMessagesEnhanced', 'LineEnhanced', 'BringYourOwn']);

/** Whether a channel type can send auto-response components (In-App and Web only: G:4519, G:4869). */
export function supportsAutoResponseComponents(type: ChannelType): boolean {
  return COMPONENT_CHANNELS.has(type);
}

/**
 * Whether a channel type has a trigger, and why not when it hasn't:
 * - InitialResponse, AgentEngagedResponse, AgentEndEngagementResponse, HelpResponse,
 *   CustomResponse: every channel (G:5210-5213, G:5240-5243);
 * - EndUserInactiveResponse, EndUserIdleResponse, RerouteResponse: where sessions can be marked
 *   inactive and rerouted (enhanced channels and In-App and Web, G:491, G:6483);
 * - OptInPrompt, OptInConfirmation, OptOutConfirmation: where consent applies (not In-App and
 *   Web, SPEC-EXTRACT §7.2 rows 351-354); DoubleOptInPrompt: short codes only (G:5235).
 */
export function automatedResponseSupport(type: AutomatedResponseType, channel: ChannelType): { readonly ok: true } | { readonly ok: false; readonly reason: string } {
  switch (type) {
    case 'EndUserInactiveResponse':
    case 'EndUserIdleResponse':
    case 'RerouteResponse':
      return REROUTING_CHANNELS.has(channel) ? { ok: true } : { ok: false, reason: `${channel} sessions are never marked inactive or rerouted: that is only in enhanced channels and Messaging for In-App and Web (G:491, G:6483)` };
    case 'OptInPrompt':
    case 'OptInConfirmation':
    case 'OptOutConfirmation':
      return consentApplies(channel) ? { ok: true } : { ok: false, reason: `consent doesn't apply to ${channel} channels (SPEC-EXTRACT §7.2 rows 351-354)` };
    case 'DoubleOptInPrompt':
      return allowedConsentTypes(channel).includes('DoubleOptIn') ? { ok: true } : { ok: false, reason: `double opt-in is only for short codes; ${channel} channels don't offer it (G:5235, G:3746)` };
    default:
      return { ok: true };
  }
}

/** An automated response as configured, from `automatedResponses` or an older field, its language resolved. */
export interface ConfiguredResponse {
  readonly type: AutomatedResponseType;
  /** The configured language tag (channel-wide fields: the default language). */
  readonly language: string;
  readonly text?: string;
  readonly component?: string;
  readonly responseTimeoutInMins?: number;
  /** Where it is configured: `/automatedResponses/2`, `/autoResponses/endConversation`, `/languages/0/responses/helpResponse`. */
  readonly pointer: string;
}

const cache = new WeakMap<ChannelSettings, readonly ConfiguredResponse[]>();

/**
 * Every automated response of (validated) settings, in one list: `autoResponses` (in the default
 * language), each language's `responses`, then `automatedResponses`. Custom keyword groups keep
 * their own responses; a language's `CustomResponse` answers its groups that have none.
 */
export function configuredResponses(settings: ChannelSettings): readonly ConfiguredResponse[] {
  const hit = cache.get(settings);
  if (hit !== undefined) return hit;
  const out: ConfiguredResponse[] = [];
  const auto = settings.autoResponses ?? {};
  for (const kind of AUTO_RESPONSE_KINDS) {
    const v = auto[kind];
    if (v === undefined) continue;
    const body = typeof v === 'string' ? { text: v } : { component: v.component };
    out.push({ type: AUTO_RESPONSE_TYPE[kind], language: settings.defaultLanguage, ...body, pointer: `/autoResponses/${kind}` });
  }
  settings.languages.forEach((lang, li) => {
    for (const kind of LANGUAGE_RESPONSE_KINDS) {
      const text = lang.responses?.[kind];
      if (text !== undefined) out.push({ type: LANGUAGE_RESPONSE_TYPE[kind], language: lang.language, text, pointer: `/languages/${li}/responses/${kind}` });
    }
  });
  (settings.automatedResponses ?? []).forEach((r, i) => {
    out.push({
      type: r.type,
      language: r.language ?? settings.defaultLanguage,
      ...(r.text !== undefined ? { text: r.text } : {}),
      ...(r.component !== undefined ? { component: r.component } : {}),
      ...(r.responseTimeoutInMins !== undefined ? { responseTimeoutInMins: r.responseTimeoutInMins } : {}),
      pointer: `/automatedResponses/${i}`,
    });
  });
  cache.set(settings, out);
  return out;
}

/** Whether two language tags name the same configured language (canonical, then primary subtag). */
function sameLanguage(a: string, b: string): boolean {
  const ca = canonicalLanguage(a);
  const cb = canonicalLanguage(b);
  return ca !== undefined && ca === cb;
}

/**
 * The response of a trigger in a language: the entry in `language` (exact tag, else the same
 * primary language), else the default language's, else undefined (nothing is sent).
 */
export function findAutomatedResponse(settings: ChannelSettings, type: AutomatedResponseType, language: string | undefined): ConfiguredResponse | undefined {
  const all = configuredResponses(settings).filter((r) => r.type === type);
  if (all.length === 0) return undefined;
  if (language !== undefined) {
    const exact = all.find((r) => sameLanguage(r.language, language));
    if (exact !== undefined) return exact;
    const canonical = canonicalLanguage(language);
    const primary = canonical === undefined ? undefined : all.find((r) => primaryLanguage(r.language) === primaryLanguage(canonical));
    if (primary !== undefined) return primary;
  }
  return all.find((r) => sameLanguage(r.language, settings.defaultLanguage));
}
