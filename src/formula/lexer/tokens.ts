import { createToken, Lexer, type ILexingResult, type TokenType } from '../../chevrotain.js';

// Order is important: chevrotain tries patterns in this order and takes the first match.
// Whitespace first and skipped (most common); comments and strings before operators that
// share their first character; keywords before Identifier (with `longer_alt`); two-character
// operators before their one-character prefixes.

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED });
/**
 * Unicode space separators other than U+0020 (\p{Zs}: U+00A0, U+1680, U+2000–U+200A, U+202F, U+205F,
 * U+3000) and the invisible U+200B–U+200D, U+2060 and U+FEFF, which formulas copied from web pages
 * carry. Outside string literals each one is white space, reported with a warning
 * (W_UNUSUAL_WHITESPACE) that points at it; inside a string literal it is kept as it is.
 */
export const UNUSUAL_WHITESPACE_GROUP = 'unusualWhitespace';
export const UnusualWhiteSpace = createToken({
  name: 'UnusualWhiteSpace',
  pattern: /[\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]/,
  group: UNUSUAL_WHITESPACE_GROUP,
});
export const Comment = createToken({ name: 'Comment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED, line_breaks: true });
/** An unterminated comment: kept out of the parser's stream and reported as a diagnostic. */
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, group: 'errors', line_breaks: true });

export const StringLiteral = createToken({ name: 'StringLiteral', pattern: Lexer.NA });
export const DoubleQuotedString = createToken({
  name: 'DoubleQuotedString',
  pattern: /"(?:[^"\\]|\\[\s\S])*"/,
  categories: StringLiteral,
  line_breaks: true,
});
export const SingleQuotedString = createToken({
  name: 'SingleQuotedString',
  pattern: /'(?:[^'\\]|\\[\s\S])*'/,
  categories: StringLiteral,
  line_breaks: true,
});
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /["'](?:[^\\]|\\[\s\S])*/,
  group: 'errors',
  line_breaks: true,
});

export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /\d+(?:\.\d+)?|\.\d+/ });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });
export const GlobalIdentifier = createToken({ name: 'GlobalIdentifier', pattern: /\$[A-Za-z_][A-Za-z0-9_]*/ });
export const True = createToken({ name: 'True', pattern: /TRUE/i, longer_alt: Identifier });
export const False = createToken({ name: 'False', pattern: /FALSE/i, longer_alt: Identifier });
export const Null = createToken({ name: 'Null', pattern: /NULL/i, longer_alt: Identifier });

// Every binary operator is in the abstract BinaryOperator category: the grammar consumes
// the category, and the parser builds the tree by precedence from the concrete tokens
// (src/formula/parser/precedence.ts has the precedence table).
export const BinaryOperator = createToken({ name: 'BinaryOperator', pattern: Lexer.NA });
export const OrOp = createToken({ name: 'OrOp', pattern: /\|\|/, categories: BinaryOperator });
export const AndOp = createToken({ name: 'AndOp', pattern: /&&/, categories: BinaryOperator });
export const EqualEqual = createToken({ name: 'EqualEqual', pattern: /==/, categories: BinaryOperator });
export const BangEqual = createToken({ name: 'BangEqual', pattern: /!=/, categories: BinaryOperator });
export const LessGreater = createToken({ name: 'LessGreater', pattern: /<>/, categories: BinaryOperator });
export const LessEqual = createToken({ name: 'LessEqual', pattern: /<=/, categories: BinaryOperator });
export const GreaterEqual = createToken({ name: 'GreaterEqual', pattern: />=/, categories: BinaryOperator });
export const Equal = createToken({ name: 'Equal', pattern: /=/, categories: BinaryOperator });
export const Less = createToken({ name: 'Less', pattern: /</, categories: BinaryOperator });
export const Greater = createToken({ name: 'Greater', pattern: />/, categories: BinaryOperator });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, categories: BinaryOperator });
export const Minus = createToken({ name: 'Minus', pattern: /-/, categories: BinaryOperator });
export const Ampersand = createToken({ name: 'Ampersand', pattern: /&/, categories: BinaryOperator });
export const Star = createToken({ name: 'Star', pattern: /\*/, categories: BinaryOperator });
export const Slash = createToken({ name: 'Slash', pattern: /\//, categories: BinaryOperator });
export const Caret = createToken({ name: 'Caret', pattern: /\^/, categories: BinaryOperator });
export const Bang = createToken({ name: 'Bang', pattern: /!/ });

export const Dot = createToken({ name: 'Dot', pattern: /\./ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/ });

export const allTokens: TokenType[] = [
  WhiteSpace,
  UnusualWhiteSpace,
  Comment,
  UnterminatedComment,
  DoubleQuotedString,
  SingleQuotedString,
  UnterminatedString,
  StringLiteral,
  NumberLiteral,
  True,
  False,
  Null,
  GlobalIdentifier,
  Identifier,
  OrOp,
  AndOp,
  EqualEqual,
  BangEqual,
  LessGreater,
  LessEqual,
  GreaterEqual,
  Equal,
  Less,
  Greater,
  Plus,
  Minus,
  Ampersand,
  Star,
  Slash,
  Caret,
  BinaryOperator,
  Bang,
  Dot,
  Comma,
  LParen,
  RParen,
  LBracket,
  RBracket,
];

/**
 * Builds the formula lexer. `ensureOptimizations` makes a pattern that defeats the first-character
 * optimization a hard error. Tokens carry start offsets only (`onlyOffset`): the parser computes
 * ends from the image, and diagnostics get lines and columns from SourceText.
 */
export function createFormulaLexer(): Lexer {
  return new Lexer(allTokens, { ensureOptimizations: true, positionTracking: 'onlyOffset' });
}

/** The method chevrotain's `Lexer.tokenize` delegates to (chevrotain 11; not in its typings). */
interface LexerInternals {
  readonly defaultMode?: unknown;
  readonly tokenizeInternal?: unknown;
}

/**
 * `lexer.tokenize(text)`, without its per-call check for lexer definition errors. That check
 * uses lodash's `isEmpty`, which costs as much as lexing a short formula (about 8% of
 * compileFormula, measured). A lexer from createFormulaLexer cannot have definition errors:
 * chevrotain's constructor throws on them. So this calls what `tokenize` delegates to,
 * `tokenizeInternal(text, defaultMode)`, and falls back to `tokenize` if a chevrotain version
 * lacks it.
 */
export function tokenizeFormula(lexer: Lexer, text: string): ILexingResult {
  const internals = lexer as unknown as LexerInternals;
  if (typeof internals.tokenizeInternal !== 'function' || typeof internals.defaultMode !== 'string') return lexer.tokenize(text);
  return (internals.tokenizeInternal as (text: string, mode: string) => ILexingResult).call(lexer, text, internals.defaultMode);
}
