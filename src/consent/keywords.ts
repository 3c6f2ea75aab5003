/**
 * Keyword normalisation and matching. A keyword matches only when it is the whole message
 * ("STOP please" is not a keyword, G:3768), compared after trimming and Unicode case folding with
 * no locale (DECISIONS.md §15.16).
 */
import { normalizeKeyword } from './normalize.js';
import { consentApplies, consentTypeOf, type ChannelSettings, type KeywordKind } from './settings.js';

export { normalizeKeyword, type NormalizeOptions } from './normalize.js';

/** A message that is exactly one of the channel's keywords. */
export interface KeywordMatch {
  readonly kind: KeywordKind;
  /** The language the keyword is configured in (its responses are in this language). */
  readonly language: string;
  /** The keyword as configured, such as `STOP`. */
  readonly keyword: string;
  /** Where the keyword is configured: `/languages/1/keywords/optOut/0`. */
  readonly pointer: string;
  /** For custom keywords: the group and its response. */
  readonly custom?: { readonly index: number; readonly response?: string };
}

/** Kinds in the order duplicates are resolved (only settings that failed validation have duplicates): an opt-out is never lost. */
const PRECEDENCE: readonly KeywordKind[] = ['optOut', 'help', 'optIn', 'doubleOptIn', 'custom'];

const indexCache = new WeakMap<ChannelSettings, ReadonlyMap<string, KeywordMatch>>();

/**
 * The channel's active keywords by normalised form. Double opt-in keywords are active only when
 * the consent type is `DoubleOptIn`; consent keywords only where consent applies.
 */
export function keywordIndex(settings: ChannelSettings): ReadonlyMap<string, KeywordMatch> {
  const cached = indexCache.get(settings);
  if (cached !== undefined) return cached;
  const options = { stripTrailingPunctuation: settings.stripTrailingPunctuation === true };
  const applies = consentApplies(settings.type);
  const double = consentTypeOf(settings) === 'DoubleOptIn';
  const index = new Map<string, KeywordMatch>();
  const add = (keyword: unknown, match: KeywordMatch): void => {
    if (typeof keyword !== 'string') return;
    const key = normalizeKeyword(keyword, options);
    if (key !== '' && !index.has(key)) index.set(key, match);
  };
  for (const kind of PRECEDENCE) {
    if (kind !== 'help' && kind !== 'custom' && !applies) continue;
    if (kind === 'doubleOptIn' && !double) continue;
    settings.languages.forEach((lang, li) => {
      if (kind === 'custom') {
        (lang.custom ?? []).forEach((group, gi) => {
          group.keywords.forEach((keyword, ki) => add(keyword, { kind, language: lang.language, keyword, pointer: `/languages/${li}/custom/${gi}/keywords/${ki}`, custom: { index: gi, ...(group.response !== undefined ? { response: group.response } : {}) } }));
        });
        return;
      }
      (lang.keywords?.[kind] ?? []).forEach((keyword, ki) => add(keyword, { kind, language: lang.language, keyword, pointer: `/languages/${li}/keywords/${kind}/${ki}` }));
    });
  }
  indexCache.set(settings, index);
  return index;
}

/**
 * The keyword a message is, or undefined. The whole message must be the keyword after
 * {@link normalizeKeyword} with the channel's `stripTrailingPunctuation`: " stop " and "Stop"
 * match STOP, "STOP please" doesn't, and "STOP." only when stripping is on.
 */
export function matchKeyword(settings: ChannelSettings, text: string): KeywordMatch | undefined {
  if (typeof text !== 'string') return undefined;
  const normalized = normalizeKeyword(text, { stripTrailingPunctuation: settings.stripTrailingPunctuation === true });
  if (normalized === '') return undefined;
  return keywordIndex(settings).get(normalized);
}
