/**
 * What surrounds a cursor in formula text, read from the characters alone: the formula may be
 * half typed (`ROUND($Constants.`), so nothing here needs it to parse.
 */

/** An open call around the cursor: `ROUND(` with the cursor in its second argument has argIndex 1. */
export interface CallFrame {
  /** The function name before `(`, upper-cased; null for a parenthesised expression. */
  readonly name: string | null;
  readonly nameStart: number;
  /** Offset of `(`. */
  readonly open: number;
  argIndex: number;
  /** Offset where the current argument starts (after `(` or the last `,`). */
  argStart: number;
}

export type LexicalState = { readonly state: 'code' } | { readonly state: 'string'; readonly start: number; readonly quote: string } | { readonly state: 'comment' };

export interface CursorScan {
  readonly lexical: LexicalState;
  /** Open calls, outermost first. */
  readonly frames: readonly CallFrame[];
}

const IDENT = /[A-Za-z0-9_]/;

export function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && IDENT.test(c);
}

/** Where the cursor is (code, string, comment) and which calls are open around it. */
export function scanTo(text: string, offset: number): CursorScan {
  const frames: CallFrame[] = [];
  let i = 0;
  while (i < offset) {
    const c = text[i] as string;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      if (j >= offset) return { lexical: { state: 'string', start: i, quote: c }, frames };
      i = j + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0 || end + 2 > offset) return { lexical: { state: 'comment' }, frames };
      i = end + 2;
      continue;
    }
    if (c === '(') {
      const name = identifierBefore(text, i);
      frames.push({ name: name?.name.toUpperCase() ?? null, nameStart: name?.start ?? i, open: i, argIndex: 0, argStart: i + 1 });
    } else if (c === ',') {
      const top = frames[frames.length - 1];
      if (top !== undefined) {
        top.argIndex++;
        top.argStart = i + 1;
      }
    } else if (c === ')') frames.pop();
    i++;
  }
  return { lexical: { state: 'code' }, frames };
}

/** The function name just before `(` at `paren` (white space allowed between), if any. */
function identifierBefore(text: string, paren: number): { name: string; start: number } | undefined {
  let end = paren;
  while (end > 0 && /\s/.test(text[end - 1] as string)) end--;
  let start = end;
  while (start > 0 && isIdentChar(text[start - 1])) start--;
  if (start === end || /[0-9]/.test(text[start] as string)) return undefined;
  const before = text[start - 1];
  if (before === '$' || before === '.') return undefined;
  return { name: text.slice(start, end), start };
}

/** A field path being typed or pointed at: `$Parameters.Case.Acc|`. */
export interface ReferenceAt {
  /** Whether the path starts with a `$` global. */
  readonly global: boolean;
  /** The complete segments before the current one (the global's name first, without `$`). */
  readonly segments: readonly string[];
  /** The current segment's text before the cursor. */
  readonly partial: string;
  /** Span of the current segment (its `$` included for a global), to the end of the identifier. */
  readonly start: number;
  readonly end: number;
}

/** The reference around `offset`; undefined inside a number or after something that is not a name. */
export function referenceAt(text: string, offset: number): ReferenceAt | undefined {
  let start = offset;
  while (start > 0 && isIdentChar(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && isIdentChar(text[end])) end++;
  const partial = text.slice(start, offset);
  const segments: string[] = [];
  let p = start;
  while (text[p - 1] === '.') {
    const segEnd = p - 1;
    let segStart = segEnd;
    while (segStart > 0 && isIdentChar(text[segStart - 1])) segStart--;
    if (segStart === segEnd) return undefined;
    segments.unshift(text.slice(segStart, segEnd));
    p = segStart;
  }
  const global = text[p - 1] === '$';
  if ([...segments, partial].some((s) => /^[0-9]/.test(s))) return undefined;
  if (isIdentChar(text[(global ? p - 1 : p) - 1])) return undefined;
  const ownStart = segments.length === 0 && global ? start - 1 : start;
  return { global, segments, partial, start: ownStart, end };
}

/** The identifier at `offset` (the cursor on or just after it) and whether a `(` follows it. */
export function identifierAt(text: string, offset: number): { start: number; end: number; name: string; call: boolean } | undefined {
  let start = offset;
  while (start > 0 && isIdentChar(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && isIdentChar(text[end])) end++;
  if (start === end) return undefined;
  let after = end;
  while (after < text.length && /\s/.test(text[after] as string)) after++;
  return { start, end, name: text.slice(start, end), call: text[after] === '(' };
}
