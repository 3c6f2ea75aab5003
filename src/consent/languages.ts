/**
 * Channel consent settings validation, the language pass (src/consent/validation.ts): each entry
 * of `languages` (its tag, keyword lists, custom keyword groups and responses), every keyword
 * recorded with where it is for the checks across languages, and the helpers the passes share
 * (labels, value descriptions, unknown properties, response texts).
 */
import { didYouMean } from '../component/data.js';
import { escapePointer } from '../component/schema.js';
import { normalizeKeyword } from './normalize.js';
import { ConsentSettingsErrorCode, type SettingsProblem } from './problems.js';
import { canonicalLanguage } from './text.js';
import { LANGUAGE_RESPONSE_KINDS, LIST_KEYWORD_KINDS, type AutoResponseKind, type CustomKeywords, type KeywordKind, type LanguageResponseKind, type LanguageSettings, type ListKeywordKind } from './model.js';

const C = ConsentSettingsErrorCode;

const LANGUAGE_PROPERTIES = ['language', 'keywords', 'custom', 'responses'];
const CUSTOM_PROPERTIES = ['keywords', 'response'];

export const KIND_LABEL: Readonly<Record<KeywordKind, string>> = {
  optIn: 'an opt-in keyword',
  doubleOptIn: 'a double opt-in keyword',
  optOut: 'an opt-out keyword',
  help: 'a help keyword',
  custom: 'a custom keyword',
};

export const RESPONSE_LABEL: Readonly<Record<LanguageResponseKind | AutoResponseKind | 'customResponse', string>> = {
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

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** One configured keyword, where it is and what it does. */
export interface Occurrence {
  readonly normalized: string;
  readonly keyword: string;
  readonly kind: KeywordKind;
  readonly language: string;
  readonly pointer: string;
}

/** What the language pass found out about one language. */
export interface LanguageFacts {
  readonly index: number;
  readonly tag: string | undefined;
  readonly pointer: string;
  readonly settings: LanguageSettings;
  readonly kinds: Set<KeywordKind>;
}

export function unknownProperties(obj: Record<string, unknown>, base: string, known: ReadonlySet<string>, errors: SettingsProblem[]): void {
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) errors.push({ pointer: `${base}/${escapePointer(key)}`, code: C.UnknownProperty, message: `Unknown property "${key}".${didYouMean(key, known)}` });
  }
}

/** A response text: a non-blank string. */
export function checkText(v: unknown, pointer: string, label: string, errors: SettingsProblem[]): string | undefined {
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

/** One entry of `languages`: its tag, keywords, custom keywords and responses; undefined when it isn't an object. */
export function checkLanguage(raw: unknown, index: number, strip: boolean, errors: SettingsProblem[], occurrences: Occurrence[], customLanguages: ReadonlySet<string>): LanguageFacts | undefined {
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

  const keywords = checkListKeywords(raw, pointer, label, strip, kinds, errors, occurrences);
  const custom = checkCustom(raw, pointer, { tag, label, strip, customLanguages }, kinds, errors, occurrences);
  const responses = checkResponses(raw, pointer, errors);
  const settings: LanguageSettings = { language: tag ?? String(raw.language), keywords, custom, responses };
  return { index, tag, pointer, settings, kinds };
}

/** A language's keyword lists (`keywords`): each keyword checked and recorded; the kinds it has go to `kinds`. */
function checkListKeywords(raw: Record<string, unknown>, pointer: string, label: string, strip: boolean, kinds: Set<KeywordKind>, errors: SettingsProblem[], occurrences: Occurrence[]): Partial<Record<ListKeywordKind, string[]>> {
  const keywords: Partial<Record<ListKeywordKind, string[]>> = {};
  if (raw.keywords === undefined) return keywords;
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
  return keywords;
}

/**
 * A language's custom keyword groups (`custom`), each with its keywords and response (or, without
 * one, the language's CustomResponse in `automatedResponses`: `customLanguages`).
 */
function checkCustom(
  raw: Record<string, unknown>,
  pointer: string,
  language: { readonly tag: string | undefined; readonly label: string; readonly strip: boolean; readonly customLanguages: ReadonlySet<string> },
  kinds: Set<KeywordKind>,
  errors: SettingsProblem[],
  occurrences: Occurrence[],
): CustomKeywords[] {
  const { tag, label, strip, customLanguages } = language;
  const custom: CustomKeywords[] = [];
  if (raw.custom === undefined) return custom;
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
  return custom;
}

/** A language's responses (`responses`). */
function checkResponses(raw: Record<string, unknown>, pointer: string, errors: SettingsProblem[]): Partial<Record<LanguageResponseKind, string>> {
  const responses: Partial<Record<LanguageResponseKind, string>> = {};
  if (raw.responses === undefined) return responses;
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
  return responses;
}
