/**
 * Validation of channel consent settings: collects every problem, each with a JSON pointer into
 * the settings, and never throws (docs/consent.md). The passes: the top-level properties (here),
 * each language (languages.ts), keyword uniqueness across languages (here), and what the channel
 * type and consent type allow and require (channel-rules.ts).
 */
import { CHANNEL_TYPES, type ChannelType } from '../channels/profiles.js';
import { didYouMean } from '../component/data.js';
import { checkAutomatedResponses, checkAutoResponseValue, customResponseLanguages, responseSlots, withAutomatedTexts } from './automated-validation.js';
import { canadaRule, channelRules, shortCodeLimits } from './channel-rules.js';
import { checkChannelGlobals } from './globals.js';
import { checkLanguage, describe, isObject, KIND_LABEL, RESPONSE_LABEL, unknownProperties, type LanguageFacts, type Occurrence } from './languages.js';
import { ConsentSettingsErrorCode, type SettingsProblem } from './problems.js';
import { canonicalLanguage } from './text.js';
import {
  AUTO_RESPONSE_KINDS, CAPACITY_MODELS, CONSENT_TYPES, allowedConsentTypes, defaultConsentType, isChannelType, isStandardChannel, type AutoResponseValue, type CapacityModel, type ChannelSettings, type ConsentType,
} from './model.js';

export { SHORT_CODE_RESPONSE_LIMIT } from './channel-rules.js';

const C = ConsentSettingsErrorCode;

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
export const CHANNEL_SETTINGS_PROPERTIES: readonly string[] = ['type', 'country', 'consentType', 'stripTrailingPunctuation', 'defaultLanguage', 'languages', 'autoResponses', 'automatedResponses', 'capacityModel', 'globals', 'globalValues', 'x-salesforce'];

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
  const type = checkType(input, errors);
  const country = checkCountry(input, errors);
  const consentType = checkConsentType(input, type, errors);
  const effectiveConsent: ConsentType | undefined = type === undefined ? consentType : (consentType ?? defaultConsentType(type));
  const strip = checkStrip(input, errors);
  const capacityModel = checkCapacityModel(input, errors);
  const autoResponses = checkAutoResponses(input, type, errors);
  const globals = checkChannelGlobals(input, errors, warnings);
  const occurrences: Occurrence[] = [];
  const facts = checkLanguages(input, strip, errors, occurrences);
  const defaultFacts = checkDefaultLanguage(input, facts, errors);
  const firstByKeyword = checkUniqueKeywords(occurrences, errors);

  // Automated responses by trigger, and how they combine with the fields above
  const automatedResponses = checkAutomatedResponses(input.automatedResponses, { type, languages: facts.flatMap((f) => (f.tag !== undefined ? [f.tag] : [])), defaultLanguage: defaultFacts?.tag, slots: responseSlots(facts, autoResponses, defaultFacts?.tag) }, errors);
  const ruleFacts = withAutomatedTexts(facts, automatedResponses ?? [], defaultFacts?.tag);
  const ruleDefault = ruleFacts.find((f) => f.index === defaultFacts?.index);

  if (type !== undefined && effectiveConsent !== undefined && ruleDefault !== undefined) {
    channelRules(type, effectiveConsent, ruleFacts, ruleDefault, occurrences, errors, warnings);
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
    ...(automatedResponses !== undefined ? { automatedResponses } : {}),
    ...(capacityModel !== undefined ? { capacityModel } : {}),
    ...globals,
  };
  return { valid: true, errors, warnings, settings };
}

/** `type`: a channel type. */
function checkType(input: Record<string, unknown>, errors: SettingsProblem[]): ChannelType | undefined {
  if (input.type === undefined) errors.push({ pointer: '/type', code: C.MissingProperty, message: `"type" is required: one of ${CHANNEL_TYPES.join(', ')}` });
  else if (!isChannelType(input.type)) {
    const hint = typeof input.type === 'string' ? didYouMean(input.type, CHANNEL_TYPES) : '';
    errors.push({ pointer: '/type', code: C.UnknownChannel, message: `"type" must be a channel type (${CHANNEL_TYPES.join(', ')}); received ${describe(input.type)}.${hint}` });
  } else return input.type;
  return undefined;
}

/** `country`: an ISO 3166-1 alpha-2 code. */
function checkCountry(input: Record<string, unknown>, errors: SettingsProblem[]): string | undefined {
  if (input.country === undefined) return undefined;
  if (typeof input.country === 'string' && /^[A-Z]{2}$/.test(input.country)) return input.country;
  const hint = typeof input.country === 'string' && /^[A-Za-z]{2}$/.test(input.country) ? ` Write it in upper case: "${input.country.toUpperCase()}".` : '';
  errors.push({ pointer: '/country', code: C.InvalidCountry, message: `"country" must be an ISO 3166-1 alpha-2 code such as "US" or "CA"; received ${describe(input.country)}.${hint}` });
  return undefined;
}

/** `consentType`: one the channel type allows. */
function checkConsentType(input: Record<string, unknown>, type: ChannelType | undefined, errors: SettingsProblem[]): ConsentType | undefined {
  if (input.consentType === undefined) return undefined;
  if (typeof input.consentType !== 'string' || !(CONSENT_TYPES as readonly string[]).includes(input.consentType)) {
    const hint = typeof input.consentType === 'string' ? didYouMean(input.consentType, CONSENT_TYPES) : '';
    errors.push({ pointer: '/consentType', code: C.InvalidValue, message: `"consentType" must be ${CONSENT_TYPES.join(', ')}; received ${describe(input.consentType)}.${hint}` });
    return undefined;
  }
  const requested = input.consentType as ConsentType;
  if (type === undefined) return requested;
  const allowed = allowedConsentTypes(type);
  if (allowed.length === 0 && requested !== 'ImplicitOptIn') {
    errors.push({ pointer: '/consentType', code: C.ConsentTypeNotAllowed, message: `Consent doesn't apply to ${type} channels (SPEC-EXTRACT §7.2 rows 351-354: N/A); leave "consentType" out or use ImplicitOptIn, received ${requested}` });
    return undefined;
  }
  if (allowed.length > 0 && !allowed.includes(requested)) {
    errors.push({ pointer: '/consentType', code: C.ConsentTypeNotAllowed, message: `${type} channels allow only ${allowed.join(' or ')} (${consentTypeReason(type)}); received ${requested}` });
    return undefined;
  }
  return requested;
}

/** `stripTrailingPunctuation`: a boolean (default false). */
function checkStrip(input: Record<string, unknown>, errors: SettingsProblem[]): boolean {
  if (input.stripTrailingPunctuation === undefined) return false;
  if (typeof input.stripTrailingPunctuation === 'boolean') return input.stripTrailingPunctuation;
  errors.push({ pointer: '/stripTrailingPunctuation', code: C.InvalidValue, message: `"stripTrailingPunctuation" must be true or false; received ${describe(input.stripTrailingPunctuation)}` });
  return false;
}

/** `capacityModel`: how Omni-Channel measures rep capacity. */
function checkCapacityModel(input: Record<string, unknown>, errors: SettingsProblem[]): CapacityModel | undefined {
  if (input.capacityModel === undefined) return undefined;
  if (typeof input.capacityModel === 'string' && (CAPACITY_MODELS as readonly string[]).includes(input.capacityModel)) return input.capacityModel as CapacityModel;
  const hint = typeof input.capacityModel === 'string' ? didYouMean(input.capacityModel, CAPACITY_MODELS) : '';
  errors.push({ pointer: '/capacityModel', code: C.InvalidValue, message: `"capacityModel" must be ${CAPACITY_MODELS.join(' or ')} (how Omni-Channel measures rep capacity, B:14-16); received ${describe(input.capacityModel)}.${hint}` });
  return undefined;
}

/** `autoResponses`: the channel's automated texts (or components). */
function checkAutoResponses(input: Record<string, unknown>, type: ChannelType | undefined, errors: SettingsProblem[]): Record<string, AutoResponseValue> | undefined {
  if (input.autoResponses === undefined) return undefined;
  if (!isObject(input.autoResponses)) {
    errors.push({ pointer: '/autoResponses', code: C.NotAnObject, message: `"autoResponses" is an object {${AUTO_RESPONSE_KINDS.map((k) => `"${k}"?`).join(', ')}}; received ${describe(input.autoResponses)}` });
    return undefined;
  }
  unknownProperties(input.autoResponses, '/autoResponses', new Set(AUTO_RESPONSE_KINDS), errors);
  const autoResponses: Record<string, AutoResponseValue> = {};
  for (const kind of AUTO_RESPONSE_KINDS) {
    const value = checkAutoResponseValue(input.autoResponses[kind], kind, type, RESPONSE_LABEL[kind], errors);
    if (value !== undefined) autoResponses[kind] = value;
  }
  return autoResponses;
}

/** `languages`: a non-empty array, each language once; the keywords found go to `occurrences`. */
function checkLanguages(input: Record<string, unknown>, strip: boolean, errors: SettingsProblem[], occurrences: Occurrence[]): LanguageFacts[] {
  const facts: LanguageFacts[] = [];
  if (input.languages === undefined) errors.push({ pointer: '/languages', code: C.MissingProperty, message: `"languages" is required: an array of {"language", "keywords"?, "custom"?, "responses"?}, at least one` });
  else if (!Array.isArray(input.languages) || input.languages.length === 0) {
    errors.push({ pointer: '/languages', code: C.InvalidValue, message: `"languages" must be a non-empty array of {"language", "keywords"?, "custom"?, "responses"?}; received ${Array.isArray(input.languages) ? 'an empty array' : describe(input.languages)}` });
  } else {
    const seenTags = new Map<string, string>();
    const customLanguages = customResponseLanguages(input);
    input.languages.forEach((raw: unknown, index: number) => {
      const f = checkLanguage(raw, index, strip, errors, occurrences, customLanguages);
      if (f === undefined) return;
      if (f.tag !== undefined) {
        const first = seenTags.get(f.tag);
        if (first !== undefined) errors.push({ pointer: `${f.pointer}/language`, code: C.DuplicateLanguage, message: `The language "${f.tag}" is configured twice (first at ${first}); put all of its keywords and responses in one entry`, related: [first] });
        else seenTags.set(f.tag, `${f.pointer}/language`);
      }
      facts.push(f);
    });
  }
  return facts;
}

/** `defaultLanguage`: one of the configured languages (default: the first). */
function checkDefaultLanguage(input: Record<string, unknown>, facts: readonly LanguageFacts[], errors: SettingsProblem[]): LanguageFacts | undefined {
  if (input.defaultLanguage === undefined) return facts[0];
  const tag = typeof input.defaultLanguage === 'string' ? canonicalLanguage(input.defaultLanguage) : undefined;
  if (tag === undefined) {
    errors.push({ pointer: '/defaultLanguage', code: C.InvalidLanguage, message: `"defaultLanguage" must be a BCP 47 language tag such as "en" or "fr-CA"; received ${describe(input.defaultLanguage)}` });
    return undefined;
  }
  const found = facts.find((f) => f.tag === tag);
  if (found === undefined && facts.length > 0) {
    const tags = facts.map((f) => f.tag).filter((t): t is string => t !== undefined);
    errors.push({ pointer: '/defaultLanguage', code: C.DefaultLanguageNotConfigured, message: `The default language "${tag}" isn't one of the configured languages (${tags.join(', ')})` });
  }
  return found;
}

/** Keyword uniqueness, across kinds and languages (DECISIONS.md §15.19). Returns each keyword's first occurrence. */
function checkUniqueKeywords(occurrences: readonly Occurrence[], errors: SettingsProblem[]): Map<string, Occurrence> {
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
  return firstByKeyword;
}

function consentTypeReason(type: ChannelType): string {
  if (type === 'SmsShortCode') return 'short codes require explicit opt-in and may require double opt-in: G:3048-3070';
  if (isStandardChannel(type)) return 'standard channels offer only implicit opt-in: SPEC-EXTRACT §7.2 rows 351-353';
  return 'enhanced channels offer implicit or explicit opt-in; double opt-in is not supported in enhanced channels: G:5244, G:3746';
}

