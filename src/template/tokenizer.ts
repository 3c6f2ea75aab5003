import { DiagnosticCode, type DiagnosticBag } from '../formula/diagnostics.js';

/** How line breaks in template source are treated (DECISIONS.md "Formula templates"). */
export type LineBreakMode = 'br' | 'preserve';

/** A piece of a formula template: literal text, or a `{!expression}` merge field. */
export type Segment =
  | { readonly kind: 'text'; readonly text: string; readonly start: number; readonly end: number }
  | {
      readonly kind: 'merge';
      /** The expression between `{!` and `}`. */
      readonly expression: string;
      /** Offset of the expression's first character in the template. */
      readonly expressionStart: number;
      /** Offsets of the whole merge field, braces included. */
      readonly start: number;
      readonly end: number;
    };

const NEAR_MISS = /^\{[ \t]+!|^\{[ \t]*\$/;

/**
 * Splits a template into literal text and merge fields. A `}` inside a string literal or a
 * comment does not close a merge field. `{ !…}` and `{ $…}` stay literal text, with a warning.
 */
export function tokenizeTemplate(source: string, lineBreaks: LineBreakMode, bag: DiagnosticBag): Segment[] {
  const segments: Segment[] = [];
  let textStart = 0;
  let i = 0;
  const pushText = (end: number) => {
    if (end <= textStart) return;
    let text = source.slice(textStart, end);
    text = lineBreaks === 'br' ? text.replace(/\r\n|\r|\n/g, '') : text.replace(/\r\n?/g, '\n');
    if (text !== '') segments.push({ kind: 'text', text, start: textStart, end });
  };
  while (i < source.length) {
    const open = source.indexOf('{', i);
    if (open < 0) break;
    if (source.charCodeAt(open + 1) !== 33 /* ! */) {
      const near = NEAR_MISS.exec(source.slice(open, open + 40));
      if (near !== null) {
        const shown = near[0].replace(/\s+/g, ' ');
        bag.warning(
          DiagnosticCode.MergeFieldNearMiss,
          `"${shown}" looks like a merge field; did you mean "{!"? It is output as literal text`,
          { start: open, end: open + near[0].length },
        );
      }
      i = open + 1;
      continue;
    }
    const close = findClose(source, open + 2);
    if (close < 0) {
      bag.error(DiagnosticCode.UnterminatedMergeField, 'Merge field is not closed: add }', { start: open, end: Math.min(source.length, open + 2) });
      i = open + 2;
      continue;
    }
    pushText(open);
    const expression = source.slice(open + 2, close);
    if (expression.trim() === '') {
      bag.error(DiagnosticCode.EmptyMergeField, 'Merge field is empty: write an expression between {! and }', { start: open, end: close + 1 });
    } else {
      segments.push({ kind: 'merge', expression, expressionStart: open + 2, start: open, end: close + 1 });
    }
    i = close + 1;
    textStart = i;
  }
  pushText(source.length);
  return segments;
}

/** The offset of the `}` closing a merge field whose expression starts at `from`, or -1. */
export function findClose(s: string, from: number): number {
  let i = from;
  while (i < s.length) {
    const c = s[i];
    if (c === '}') return i;
    if (c === '"' || c === "'") {
      i++;
      while (i < s.length && s[i] !== c) i += s[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      if (end < 0) return -1;
      i = end + 2;
    } else {
      i++;
    }
  }
  return -1;
}
