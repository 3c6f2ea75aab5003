/**
 * Keyword normalisation and matching. A keyword matches only when it is the whole message
 * ("STOP please" is not a keyword, G:3768), compared after trimming and Unicode case folding with
 * no locale (DECISIONS.md §15.16).
 */
import { consentApplies, consentTypeOf, type ChannelSettings, type KeywordKind } from './settings.js';

/** Options of {@link normalizeKeyword}. */
export interface NormalizeOptions {
  /** Also strip trailing punctuation (`STOP.`, `stop!!`). Default false (DECISIONS.md §15.16). */
  readonly stripTrailingPunctuation?: boolean;
}

/** Whitespace, plus the invisible format characters phones and keyboards leave at the edges (zero-width space, joiners, word joiner, BOM). */
const EDGE = /^[\s\u200B-\u200D\u2060\uFEFF]$/u;
const LEADING_EDGE = /^[\s\u200B-\u200D\u2060\uFEFF]+/u;
const PUNCTUATION = /^\p{P}$/u;

/**
 * The form keywords and messages are compared in:
 * 1. Unicode case folding with no locale: NFC, then upper case and lower case (repeated until
 *    stable), then NFC again. This is full case folding for practical purposes (`ẞ` and `ß`
 *    become `ss`, `ﬁ` becomes `fi`, word-final ς and σ compare equal) and, unlike
 *    `toLocaleLowerCase`, doesn't depend on the server's locale (no Turkish dotless-i
 *    surprises). Accents are kept: ARRÊT and ARRET are different keywords unless both are
 *    configured. Compatibility forms are not folded: fullwidth ＳＴＯＰ isn't STOP.
 * 2. Whitespace and invisible format characters trimmed at both ends.
 * 3. With `stripTrailingPunctuation`, trailing Unicode punctuation (and whitespace between it)
 *    stripped as well: `STOP.` and `stop !` become `stop`. Leading punctuation is kept.
 *
 * Idempotent: normalising a normalised text changes nothing. Linear in the text's length.
 */
export function normalizeKeyword(text: string, options: NormalizeOptions = {}): string {
  const folded = caseFold(text.normalize('NFC')).normalize('NFC');
  const strip = options.stripTrailingPunctuation === true;
  let end = folded.length;
  while (end > 0) {
    let start = end - 1;
    const unit = folded.charCodeAt(start);
    if (unit >= 0xdc00 && unit <= 0xdfff && start > 0) {
      const high = folded.charCodeAt(start - 1);
      if (high >= 0xd800 && high <= 0xdbff) start--;
    }
    const ch = folded.slice(start, end);
    if (!EDGE.test(ch) && !(strip && PUNCTUATION.test(ch))) break;
    end = start;
  }
  return folded.slice(0, end).replace(LEADING_EDGE, '');
}

/**
 * Upper then lower case, repeated until nothing changes (at most a few rounds): one round maps
 * capital sharp s ẞ to ß, the next ß to ss.
 */
function caseFold(text: string): string {
  let current = text;
  for (let round = 0; round < 4; round++) {
    const next = current.toUpperCase().toLowerCase();
    if (next === current) break;
    current = next;
  }
  return current;
}

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
  readonly custom?: { readonly index: number; readonly response: string };
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
          group.keywords.forEach((keyword, ki) => add(keyword, { kind, language: lang.language, keyword, pointer: `/languages/${li}/custom/${gi}/keywords/${ki}`, custom: { index: gi, response: group.response } }));
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
