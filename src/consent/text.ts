/** Language tags and character counts, as the consent settings and their validation read them. */

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
