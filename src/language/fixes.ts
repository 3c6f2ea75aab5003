/**
 * Quick fixes for diagnostics, in text-local offsets: the checker's "Did you mean X, Y?"
 * suggestions (unknown fields, functions and globals), unusual white space, and `{ !` written
 * for `{!` in templates.
 */
import { DiagnosticCode } from '../formula/diagnostics.js';
import type { QuickFix, Span } from './types.js';

interface LocalFix {
  readonly title: string;
  readonly edits: ReadonlyArray<{ readonly span: Span; readonly newText: string }>;
  readonly preferred?: boolean;
}

const SUGGESTING: ReadonlySet<string> = new Set([DiagnosticCode.UnknownField, DiagnosticCode.FunctionNotSupported, DiagnosticCode.UnknownGlobal]);

/** The names of a "Did you mean A, B?" or `Did you mean "A" or "B"?` message. */
export function suggestionsOf(message: string): string[] {
  const m = /Did you mean (.+?)\?/.exec(message);
  if (m === null) return [];
  return (m[1] as string)
    .split(/, | or /)
    .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
    .filter((s) => /^\$?[A-Za-z_][A-Za-z0-9_]*$/.test(s));
}

/** Fixes for a diagnostic at `span` of `text` (local offsets). */
export function localFixes(code: string, message: string, span: Span, text: string): LocalFix[] {
  const found = text.slice(span.start, span.end);
  if (SUGGESTING.has(code)) {
    return suggestionsOf(message)
      .filter((s) => s !== found)
      .map((s, i) => ({ title: `Change '${found}' to '${s}'`, edits: [{ span, newText: s }], ...(i === 0 ? { preferred: true } : {}) }));
  }
  if (code === DiagnosticCode.UnusualWhitespace) return [{ title: 'Replace with a plain space', edits: [{ span, newText: ' ' }], preferred: true }];
  if (code === DiagnosticCode.MergeFieldNearMiss) {
    const fixed = found.replace(/^\{\s*!?\s*/, '{!');
    if (fixed !== found) return [{ title: `Change '${found}' to '${fixed}' (a merge field)`, edits: [{ span, newText: fixed }], preferred: true }];
  }
  return [];
}

/** Maps local fixes into the document. */
export function mapFixes(fixes: readonly LocalFix[], toDoc: (s: Span) => Span, escape: (s: string) => string): QuickFix[] {
  return fixes.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ span: toDoc(e.span), newText: escape(e.newText) })), ...(f.preferred === true ? { preferred: true } : {}) }));
}

/** Codes of component problems whose "Did you mean" names a whole value (a constant, parameter or object name). */
const WHOLE_VALUE: ReadonlySet<string> = new Set(['E_UNKNOWN_CONSTANT', 'E_UNKNOWN_PARAMETER', 'E_UNKNOWN_OBJECT']);

/**
 * Fixes for a component validation problem at a JSON string `value` (`node` is its span, quotes
 * included): the suggested name replaces the value, or, for an unknown field of a path
 * (`Account.Nme`), the segment the message names.
 */
export function valueFixes(code: string, message: string, value: string, node: Span): LocalFix[] {
  const suggestions = suggestionsOf(message);
  if (WHOLE_VALUE.has(code)) {
    return suggestions.map((s, i) => ({ title: `Change '${value}' to '${s}'`, edits: [{ span: node, newText: JSON.stringify(s) }], ...(i === 0 ? { preferred: true } : {}) }));
  }
  const missing = code === DiagnosticCode.UnknownField ? /has no field ([A-Za-z0-9_]+)\./.exec(message)?.[1] : undefined;
  const segments = value.split('.');
  const at = missing === undefined ? -1 : segments.indexOf(missing);
  if (at < 0) return [];
  return suggestions.map((s, i) => {
    const fixed = segments.map((seg, k) => (k === at ? s : seg)).join('.');
    return { title: `Change '${missing}' to '${s}'`, edits: [{ span: node, newText: JSON.stringify(fixed) }], ...(i === 0 ? { preferred: true } : {}) };
  });
}
