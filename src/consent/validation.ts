/**
 * Validation of channel consent settings: collects every problem, each with a JSON pointer into
 * the settings, and never throws (docs/consent.md).
 */
import { CHANNEL_TYPES, type ChannelType } from '../channels/profiles.js';
import { didYouMean } from '../component/data.js';
import { escapePointer } from '../component/schema.js';
import { checkAutomatedResponses, checkAutoResponseValue, customResponseLanguages, responseSlots, withAutomatedTexts } from './automated-validation.js';
import { normalizeKeyword } from './normalize.js';
import { ConsentSettingsErrorCode, ConsentSettingsWarningCode, type SettingsProblem } from './problems.js';
import { canonicalLanguage, characterCount, primaryLanguage } from './text.js';
import {
  AUTO_RESPONSE_KINDS, CAPACITY_MODELS, CONSENT_TYPES, LANGUAGE_RESPONSE_KINDS, LIST_KEYWORD_KINDS, SMS_CHANNELS, STANDARD_SMS, allowedConsentTypes, consentApplies, defaultConsentType, isChannelType, isStandardChannel, type AutoResponseKind, type AutoResponseValue, type CapacityModel, type ChannelSettings, type ConsentType, type CustomKeywords, type KeywordKind, type LanguageResponseKind, type LanguageSettings, type ListKeywordKind,
} from './model.js';

// ---------------------------------------------------------------------------------------------
// Validation

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
export const CHANNEL_SETTINGS_PROPERTIES: readonly string[] = ['type', 'country', 'consentType', 'stripTrailingPunctuation', 'defaultLanguage', 'languages', 'autoResponses', 'automatedResponses', 'capacityModel', 'x-salesforce'];
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
  let autoResponses: Record<string, AutoResponseValue> | undefined;
  if (input.autoResponses !== undefined) {
    if (!isObject(input.autoResponses)) errors.push({ pointer: '/autoResponses', code: C.NotAnObject, message: `"autoResponses" is an object {${AUTO_RESPONSE_KINDS.map((k) => `"${k}"?`).join(', ')}}; received ${describe(input.autoResponses)}` });
    else {
      unknownProperties(input.autoResponses, '/autoResponses', new Set(AUTO_RESPONSE_KINDS), errors);
      autoResponses = {};
      for (const kind of AUTO_RESPONSE_KINDS) {
        const value = checkAutoResponseValue(input.autoResponses[kind], kind, type, RESPONSE_LABEL[kind], errors);
        if (value !== undefined) autoResponses[kind] = value;
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

function checkLanguage(raw: unknown, index: number, strip: boolean, errors: SettingsProblem[], occurrences: Occurrence[], customLanguages: ReadonlySet<string>): LanguageFacts | undefined {
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
        // Without its own response, the group is answered by the language's CustomResponse.
        if (g.response === undefined && (tag === undefined || !customLanguages.has(tag))) {
          errors.push({ pointer: `${at}/response`, code: C.MissingResponse, message: 'A custom keyword group needs its "response" (the text sent when a customer sends one of its keywords), or its language needs a CustomResponse in "automatedResponses"' });
        }
        const response = checkText(g.response, `${at}/response`, RESPONSE_LABEL.customResponse, errors);
        if (response !== undefined) custom.push({ keywords: kept, response });
        else if (g.response === undefined) custom.push({ keywords: kept });
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

function shortCodeLimits(facts: readonly LanguageFacts[], autoResponses: Record<string, AutoResponseValue> | undefined, errors: SettingsProblem[]): void {
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
  if (autoResponses !== undefined) {
    for (const kind of AUTO_RESPONSE_KINDS) {
      const v = autoResponses[kind];
      check(typeof v === 'string' ? v : undefined, `/autoResponses/${kind}`, RESPONSE_LABEL[kind]);
    }
  }
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
