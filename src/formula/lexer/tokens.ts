import { createToken, Lexer, type TokenType } from 'chevrotain';

// Order is important: chevrotain tries patterns in this order and takes the first match.
// Whitespace first and skipped (most common); comments and strings before operators that
// share their first character; keywords before Identifier (with `longer_alt`); two-character
// operators before their one-character prefixes.

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
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

// Operator families are abstract categories, so the grammar consumes the family and the
// builder branches on the concrete token.
export const OrOp = createToken({ name: 'OrOp', pattern: /\|\|/ });
export const AndOp = createToken({ name: 'AndOp', pattern: /&&/ });
export const ComparisonOp = createToken({ name: 'ComparisonOp', pattern: Lexer.NA });
export const EqualEqual = createToken({ name: 'EqualEqual', pattern: /==/, categories: ComparisonOp });
export const BangEqual = createToken({ name: 'BangEqual', pattern: /!=/, categories: ComparisonOp });
export const LessGreater = createToken({ name: 'LessGreater', pattern: /<>/, categories: ComparisonOp });
export const LessEqual = createToken({ name: 'LessEqual', pattern: /<=/, categories: ComparisonOp });
export const GreaterEqual = createToken({ name: 'GreaterEqual', pattern: />=/, categories: ComparisonOp });
export const Equal = createToken({ name: 'Equal', pattern: /=/, categories: ComparisonOp });
export const Less = createToken({ name: 'Less', pattern: /</, categories: ComparisonOp });
export const Greater = createToken({ name: 'Greater', pattern: />/, categories: ComparisonOp });
export const AdditiveOp = createToken({ name: 'AdditiveOp', pattern: Lexer.NA });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, categories: AdditiveOp });
export const Minus = createToken({ name: 'Minus', pattern: /-/, categories: AdditiveOp });
export const Ampersand = createToken({ name: 'Ampersand', pattern: /&/, categories: AdditiveOp });
export const MultiplicativeOp = createToken({ name: 'MultiplicativeOp', pattern: Lexer.NA });
export const Star = createToken({ name: 'Star', pattern: /\*/, categories: MultiplicativeOp });
export const Slash = createToken({ name: 'Slash', pattern: /\//, categories: MultiplicativeOp });
export const Caret = createToken({ name: 'Caret', pattern: /\^/ });
export const Bang = createToken({ name: 'Bang', pattern: /!/ });

export const Dot = createToken({ name: 'Dot', pattern: /\./ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/ });

export const allTokens: TokenType[] = [
  WhiteSpace,
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
  ComparisonOp,
  Plus,
  Minus,
  Ampersand,
  AdditiveOp,
  Star,
  Slash,
  MultiplicativeOp,
  Caret,
  Bang,
  Dot,
  Comma,
  LParen,
  RParen,
  LBracket,
  RBracket,
];

/** Builds the formula lexer. `ensureOptimizations` makes a pattern that defeats the first-character optimization a hard error. */
export function createFormulaLexer(): Lexer {
  return new Lexer(allTokens, { ensureOptimizations: true, positionTracking: 'full' });
}
