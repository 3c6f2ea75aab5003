import type { ILexingResult, IToken, TokenType } from '../../chevrotain.js';
import * as T from './tokens.js';

/**
 * A hand-written scanner for the formula tokens (tokens.ts), which produces exactly what
 * chevrotain's lexer built from `allTokens` with `positionTracking: 'onlyOffset'` produces: the
 * same tokens (type, image, start offset), the same groups (`unusualWhitespace`, `errors`) and the
 * same lexing errors (offset, length, message). The parser stays chevrotain's and reads these
 * tokens. chevrotain's lexer tries each candidate regular expression in order for every token;
 * this reads the characters once (compile 1.16× faster with it, bench/README.md, "Compile (third
 * round)"). test/parser/scan.test.ts checks it against chevrotain's lexer on every kind of token
 * and error and on random text.
 *
 * chevrotain's rules, reproduced here: the first pattern in `allTokens` order that matches wins
 * (not the longest), except that `TRUE`, `FALSE` and `NULL` give way to a longer Identifier
 * (`longer_alt`); white space and comments are skipped; on a character no pattern matches, the
 * error runs to the next offset where some pattern matches (its "resync" point).
 */

type ILexingError = ILexingResult['errors'][number];

/** Character classes of ASCII code units. */
const enum C {
  Error = 0,
  Space = 1,
  Letter = 2,
  Digit = 3,
  Single = 4,
  Other = 5,
}

const ASCII = new Uint8Array(128);
for (const c of ' \t\r\n\f\v') ASCII[c.charCodeAt(0)] = C.Space;
for (let c = 65; c <= 90; c++) ASCII[c] = C.Letter;
for (let c = 97; c <= 122; c++) ASCII[c] = C.Letter;
ASCII[95] = C.Letter; // _
for (let c = 48; c <= 57; c++) ASCII[c] = C.Digit;
for (const c of '+-*^,()[]') ASCII[c.charCodeAt(0)] = C.Single;
for (const c of '/"\'.$|&=!<>') ASCII[c.charCodeAt(0)] = C.Other;

/** The token of each one-character token (`+` … `]`), by code unit. */
const SINGLE: Array<TokenType | undefined> = [];
SINGLE[43] = T.Plus;
SINGLE[45] = T.Minus;
SINGLE[42] = T.Star;
SINGLE[94] = T.Caret;
SINGLE[44] = T.Comma;
SINGLE[40] = T.LParen;
SINGLE[41] = T.RParen;
SINGLE[91] = T.LBracket;
SINGLE[93] = T.RBracket;

/** UnusualWhiteSpace's characters (tokens.ts). */
function isUnusualSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200d) || c === 0x202f || c === 0x205f || c === 0x2060 || c === 0x3000 || c === 0xfeff;
}

/** `c` may be -1 (past the end: see `at`). */
function isIdentifierPart(c: number): boolean {
  return c >= 0 && c < 128 && (ASCII[c] === C.Letter || ASCII[c] === C.Digit);
}

function isIdentifierStart(c: number): boolean {
  return c >= 0 && c < 128 && ASCII[c] === C.Letter;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The code unit at `i`, or -1 past the end. Reading past the end with `charCodeAt` gives NaN,
 * which V8's optimized code treats as an out-of-bounds access and deoptimizes on (the scanner was
 * optimized three times in a cold process for it; bench/README.md, "Cold compile").
 */
function at(text: string, i: number): number {
  return i < text.length ? text.charCodeAt(i) : -1;
}

/** The end of a run of digits from `i`. */
function digitsEnd(text: string, i: number): number {
  while (isDigit(at(text, i))) i++;
  return i;
}

/** The end of a quoted string opened at `start` (`"(?:[^"\\]|\\[\s\S])*"`), or -1 when it is not closed. */
function quotedEnd(text: string, start: number, quote: number): number {
  const length = text.length;
  let i = start + 1;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === quote) return i + 1;
    if (c === 92 /* \ */) {
      if (i + 1 >= length) return -1;
      i += 2;
    } else i++;
  }
  return -1;
}

/** The end of an unterminated string (`["'](?:[^\\]|\\[\s\S])*`): the end of the text, or a last lone backslash. */
function unterminatedEnd(text: string, start: number): number {
  const length = text.length;
  let i = start + 1;
  while (i < length) {
    if (text.charCodeAt(i) === 92) {
      if (i + 1 >= length) return i;
      i += 2;
    } else i++;
  }
  return i;
}

/** Whether some token's pattern matches at `i` (chevrotain's resync test after an unexpected character). */
function tokenStartsAt(text: string, i: number): boolean {
  if (i >= text.length) return false;
  const c = text.charCodeAt(i);
  if (c >= 128) return isUnusualSpace(c);
  const kind = ASCII[c] as C;
  if (kind !== C.Error) return c === 36 /* $ */ ? isIdentifierStart(at(text, i + 1)) : c === 124 /* | */ ? at(text, i + 1) === 124 : true;
  return false;
}

function token(image: string, startOffset: number, tokenType: TokenType): IToken {
  return { image, startOffset, tokenTypeIdx: tokenType.tokenTypeIdx as number, tokenType };
}

/** Whether `text` at `i` holds `word` (upper-case ASCII letters) in any letter case. */
function wordAt(text: string, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if ((at(text, i + k) & ~32) !== word.charCodeAt(k)) return false;
  return true;
}

/** The keyword token of an identifier-shaped image (`TRUE`, `false`, `Null`), if it is one. */
function keyword(text: string, start: number, end: number): TokenType | undefined {
  const length = end - start;
  // Letters only reach here (an identifier), so clearing bit 5 upper-cases exactly: `_` and digits never match a letter.
  if (length === 4) return wordAt(text, start, 'TRUE') ? T.True : wordAt(text, start, 'NULL') ? T.Null : undefined;
  if (length === 5) return wordAt(text, start, 'FALSE') ? T.False : undefined;
  return undefined;
}

/** The token type `other` matched (undefined for a skipped comment): a variable rather than a result object, so nothing is allocated per token. */
let otherType: TokenType | undefined;

/**
 * The token at `i` of a character that is not white space, a letter, a digit or a one-character
 * token: strings, comments, `.`, `$`, and the operators with a two-character form. Returns the
 * end of the match and sets `otherType`, or returns -1 when no pattern matches.
 */
function other(text: string, i: number, c: number): number {
  const next = at(text, i + 1);
  switch (c) {
    case 47 /* / */: {
      if (next !== 42 /* * */) return matched(T.Slash, i + 1);
      const close = text.indexOf('*/', i + 2);
      return close < 0 ? matched(T.UnterminatedComment, text.length) : matched(undefined, close + 2);
    }
    case 34 /* " */:
    case 39 /* ' */: {
      const end = quotedEnd(text, i, c);
      if (end >= 0) return matched(c === 34 ? T.DoubleQuotedString : T.SingleQuotedString, end);
      return matched(T.UnterminatedString, unterminatedEnd(text, i));
    }
    case 46 /* . */:
      return isDigit(next) ? matched(T.NumberLiteral, digitsEnd(text, i + 1)) : matched(T.Dot, i + 1);
    case 36 /* $ */: {
      if (!isIdentifierStart(next)) return -1;
      let end = i + 2;
      while (isIdentifierPart(at(text, end))) end++;
      return matched(T.GlobalIdentifier, end);
    }
    case 124 /* | */:
      return next === 124 ? matched(T.OrOp, i + 2) : -1;
    case 38 /* & */:
      return next === 38 ? matched(T.AndOp, i + 2) : matched(T.Ampersand, i + 1);
    case 61 /* = */:
      return next === 61 ? matched(T.EqualEqual, i + 2) : matched(T.Equal, i + 1);
    case 33 /* ! */:
      return next === 61 ? matched(T.BangEqual, i + 2) : matched(T.Bang, i + 1);
    case 60 /* < */:
      return next === 62 ? matched(T.LessGreater, i + 2) : next === 61 ? matched(T.LessEqual, i + 2) : matched(T.Less, i + 1);
    case 62 /* > */:
      return next === 61 ? matched(T.GreaterEqual, i + 2) : matched(T.Greater, i + 1);
    default:
      return -1;
  }
}

function matched(type: TokenType | undefined, end: number): number {
  otherType = type;
  return end;
}

/** chevrotain's default message for unexpected characters (kept so the result is the same). */
function unexpected(text: string, offset: number, length: number): ILexingError {
  return {
    offset,
    line: undefined,
    column: undefined,
    length,
    message: `unexpected character: ->${text.charAt(offset)}<- at offset: ${offset}, skipped ${length} characters.`,
  };
}

/** Tokenizes a formula as chevrotain's lexer from `createFormulaLexer()` does (see above). */
export function scanFormula(text: string): ILexingResult {
  const tokens: IToken[] = [];
  const unusual: IToken[] = [];
  const errorTokens: IToken[] = [];
  const errors: ILexingError[] = [];
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    const kind = c < 128 ? (ASCII[c] as C) : isUnusualSpace(c) ? C.Space : C.Error;
    if (kind === C.Space) {
      if (c >= 128) {
        unusual.push(token(text[i] as string, i, T.UnusualWhiteSpace));
        i++;
      } else {
        i++;
        while (i < length) {
          const s = text.charCodeAt(i);
          if (s >= 128 || ASCII[s] !== C.Space) break;
          i++;
        }
      }
    } else if (kind === C.Letter) {
      let end = i + 1;
      while (end < length && isIdentifierPart(text.charCodeAt(end))) end++;
      tokens.push(token(text.slice(i, end), i, keyword(text, i, end) ?? T.Identifier));
      i = end;
    } else if (kind === C.Digit) {
      let end = digitsEnd(text, i + 1);
      if (at(text, end) === 46 && isDigit(at(text, end + 1))) end = digitsEnd(text, end + 2);
      tokens.push(token(text.slice(i, end), i, T.NumberLiteral));
      i = end;
    } else if (kind === C.Single) {
      tokens.push(token(text[i] as string, i, SINGLE[c] as TokenType));
      i++;
    } else {
      const end = kind === C.Other ? other(text, i, c) : -1;
      if (end < 0) {
        const start = i;
        do i++;
        while (i < length && !tokenStartsAt(text, i));
        errors.push(unexpected(text, start, i - start));
        continue;
      }
      const type = otherType;
      if (type !== undefined) {
        const t = token(text.slice(i, end), i, type);
        if (type === T.UnterminatedComment || type === T.UnterminatedString) errorTokens.push(t);
        else tokens.push(t);
      }
      i = end;
    }
  }
  // The group names written out (a computed key builds the object on a slow path); checked against the token's group below.
  return { tokens, groups: { unusualWhitespace: unusual, errors: errorTokens }, errors };
}

// The group name the result above spells out.
const _group: 'unusualWhitespace' = T.UNUSUAL_WHITESPACE_GROUP;
void _group;
