/**
 * Keyword normalisation: the form keywords and messages are compared in (DECISIONS.md §15.16).
 * Its own module, below both the settings (which check keywords) and the matching (keywords.ts),
 * so that neither imports the other in a circle.
 */
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
