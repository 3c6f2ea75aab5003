/** Language tags and character counts, as the consent settings and their validation read them. */

/**
 * Tags already made canonical (`null`: not a tag). `Intl.getCanonicalLocales` costs a few µs, and
 * every inbound message compares the channel's configured languages; bounded, since tags can come
 * from requests.
 */
const canonicalTags = new Map<string, string | null>();
const CANONICAL_TAGS_MAX = 512;

/** The canonical form of a BCP 47 tag, or undefined when it isn't one. */
export function canonicalLanguage(tag: string): string | undefined {
  const hit = canonicalTags.get(tag);
  if (hit !== undefined) return hit ?? undefined;
  let canonical: string | null;
  try {
    canonical = Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    canonical = null;
  }
  if (canonicalTags.size >= CANONICAL_TAGS_MAX) canonicalTags.clear();
  canonicalTags.set(tag, canonical);
  return canonical ?? undefined;
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
