/**
 * How golden files write formula text: a string; an array of lines (joined with "\n"), for
 * multi-line formulas; or `{repeat, times, before?, after?}`, for inputs too long to write out.
 */
export type FormulaText = string | readonly string[] | { readonly repeat: string; readonly times: number; readonly before?: string; readonly after?: string };

export function formulaText(f: FormulaText): string {
  if (typeof f === 'string') return f;
  if (Array.isArray(f)) return f.join('\n');
  const r = f as Exclude<FormulaText, string | readonly string[]>;
  return `${r.before ?? ''}${r.repeat.repeat(r.times)}${r.after ?? ''}`;
}
