import {
  EmbeddedActionsParser,
  EOF,
  tokenMatcher,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from 'chevrotain';
import * as ast from '../ast.js';
import type { Expr, PathSegment } from '../ast.js';
import type { Span } from '../source.js';
import * as T from '../lexer/tokens.js';

const TOKEN_LABELS = new Map<TokenType, string>([
  [T.LParen, "'('"],
  [T.RParen, "')'"],
  [T.LBracket, "'['"],
  [T.RBracket, "']'"],
  [T.Comma, "','"],
  [T.Dot, "'.'"],
  [T.Identifier, 'a name'],
  [T.GlobalIdentifier, 'a $ global'],
  [T.NumberLiteral, 'a number'],
  [T.StringLiteral, 'a string'],
  [EOF, 'the end of the formula'],
]);

function label(t: TokenType): string {
  return TOKEN_LABELS.get(t) ?? 'an expression';
}

function shown(token: IToken): string {
  return tokenMatcher(token, EOF) ? 'the end of the formula' : `'${token.image}'`;
}

/** Salesforce-style syntax messages ("Syntax error. Missing ')'"). */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    if (tokenMatcher(actual, EOF)) return `Syntax error. Missing ${label(expected)}`;
    return `Syntax error. Found ${shown(actual)}, expected ${label(expected)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `Syntax error. Extra ${shown(firstRedundant)}`;
  },
  buildNoViableAltMessage({ actual }) {
    const token = actual[0];
    if (token === undefined || tokenMatcher(token, EOF)) return 'Syntax error. Missing an expression at the end of the formula';
    return `Syntax error. Found ${shown(token)}, expected an expression`;
  },
  buildEarlyExitMessage({ actual }) {
    const token = actual[0];
    return token === undefined ? 'Syntax error.' : `Syntax error. Found ${shown(token)}`;
  },
};

function tokenSpan(t: IToken): Span {
  return { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
}

/** The offset just after a closing token, or `fallback` when error recovery inserted it (it has no position). */
function endAfter(close: IToken, fallback: number): number {
  return Number.isNaN(close.startOffset) ? fallback : close.endOffset! + 1;
}

const ESCAPE_VALUES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

/** A problem found while building the tree that is not a chevrotain recognition error. */
export interface ParseProblem {
  readonly code: 'E_DYNAMIC_REFERENCE' | 'E_INVALID_ESCAPE';
  readonly message: string;
  readonly span: Span;
}

/** Canonical decimal text of a number literal: `.5` → `0.5`, `007.50` → `7.5`. */
export function canonicalNumber(image: string): string {
  let [int = '', frac = ''] = image.split('.');
  int = int.replace(/^0+(?=\d)/, '');
  if (int === '') int = '0';
  frac = frac.replace(/0+$/, '');
  return frac === '' ? int : `${int}.${frac}`;
}

/**
 * The formula grammar, loosest binding first (see grammar/formula.ebnf):
 *
 * ```
 * formula        = expression ;
 * expression     = orExpression ;
 * orExpression   = andExpression { "||" andExpression } ;
 * andExpression  = comparison { "&&" comparison } ;
 * comparison     = additive { ComparisonOp additive } ;
 * additive       = multiplicative { ("+" | "-" | "&") multiplicative } ;
 * multiplicative = power { ("*" | "/") power } ;
 * power          = unary { "^" unary } ;
 * unary          = ("+" | "-" | "!") unary | primary ;
 * primary        = literal | "(" expression ")" | call | reference ;
 * ```
 *
 * Every binary level is left-associative. One instance is reused for every parse.
 */
export class FormulaParser extends EmbeddedActionsParser {
  private problems: ParseProblem[] = [];

  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  /** Problems found while building the tree in the last parse. */
  takeProblems(): ParseProblem[] {
    const p = this.problems;
    this.problems = [];
    return p;
  }

  override reset(): void {
    super.reset();
    this.problems = [];
  }

  public formula = this.RULE('formula', (): Expr => this.SUBRULE(this.expression), { recoveryValueFunc: recovered });

  private expression = this.RULE('expression', (): Expr => this.SUBRULE(this.orExpression), { recoveryValueFunc: recovered });

  private orExpression = this.RULE(
    'orExpression',
    (): Expr => {
      let left = this.SUBRULE(this.andExpression);
      this.MANY(() => {
        const op = this.CONSUME(T.OrOp);
        const right = this.SUBRULE2(this.andExpression);
        left = this.ACTION(() => ast.buildBinary('||', left, right, tokenSpan(op)));
      });
      return left;
    },
    { recoveryValueFunc: recovered },
  );

  private andExpression = this.RULE(
    'andExpression',
    (): Expr => {
      let left = this.SUBRULE(this.comparison);
      this.MANY(() => {
        const op = this.CONSUME(T.AndOp);
        const right = this.SUBRULE2(this.comparison);
        left = this.ACTION(() => ast.buildBinary('&&', left, right, tokenSpan(op)));
      });
      return left;
    },
    { recoveryValueFunc: recovered },
  );

  private comparison = this.RULE(
    'comparison',
    (): Expr => {
      let left = this.SUBRULE(this.additive);
      this.MANY(() => {
        const op = this.CONSUME(T.ComparisonOp);
        const right = this.SUBRULE2(this.additive);
        left = this.ACTION(() => ast.buildBinary(comparisonOperator(op), left, right, tokenSpan(op)));
      });
      return left;
    },
    { recoveryValueFunc: recovered },
  );

  private additive = this.RULE(
    'additive',
    (): Expr => {
      let left = this.SUBRULE(this.multiplicative);
      this.MANY(() => {
        const op = this.CONSUME(T.AdditiveOp);
        const right = this.SUBRULE2(this.multiplicative);
        left = this.ACTION(() => ast.buildBinary(op.image as '+' | '-' | '&', left, right, tokenSpan(op)));
      });
      return left;
    },
    { recoveryValueFunc: recovered },
  );

  private multiplicative = this.RULE(
    'multiplicative',
    (): Expr => {
      let left = this.SUBRULE(this.power);
      this.MANY(() => {
        const op = this.CONSUME(T.MultiplicativeOp);
        const right = this.SUBRULE2(this.power);
        left = this.ACTION(() => ast.buildBinary(op.image as '*' | '/', left, right, tokenSpan(op)));
      });
      return left;
    },
    { recoveryValueFunc: recovered },
  );

  private power = this.RULE(
    'power',
    (): Expr => {
      let left = this.SUBRULE(this.unary);
      this.MANY(() => {
        const op = this.CONSUME(T.Caret);
        const right = this.SUBRULE2(this.unary);
        left = this.ACTION(() => ast.buildBinary('^', left, right, tokenSpan(op)));
      });
      return left;
    },
    { recoveryValueFunc: recovered },
  );

  private unary = this.RULE(
    'unary',
    (): Expr =>
      this.OR([
        {
          ALT: () => {
            const op = this.OR2([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }, { ALT: () => this.CONSUME(T.Bang) }]);
            const operand = this.SUBRULE(this.unary);
            return this.ACTION(() => ast.buildUnary(op.image as '+' | '-' | '!', operand, { start: op.startOffset, end: operand.span.end }));
          },
        },
        { ALT: () => this.SUBRULE(this.primary) },
      ]),
    { recoveryValueFunc: recovered },
  );

  private primary = this.RULE(
    'primary',
    (): Expr =>
      this.OR([
        {
          ALT: () => {
            const t = this.CONSUME(T.NumberLiteral);
            return this.ACTION(() => ast.buildNumber(canonicalNumber(t.image), tokenSpan(t)));
          },
        },
        {
          ALT: () => {
            const t = this.CONSUME(T.StringLiteral);
            return this.ACTION(() => ast.buildString(this.decodeString(t), tokenSpan(t)));
          },
        },
        {
          ALT: () => {
            const t = this.CONSUME(T.True);
            return this.ACTION(() => ast.buildBoolean(true, tokenSpan(t)));
          },
        },
        {
          ALT: () => {
            const t = this.CONSUME(T.False);
            return this.ACTION(() => ast.buildBoolean(false, tokenSpan(t)));
          },
        },
        {
          ALT: () => {
            const t = this.CONSUME(T.Null);
            return this.ACTION(() => ast.buildNull(tokenSpan(t)));
          },
        },
        {
          ALT: () => {
            const open = this.CONSUME(T.LParen);
            const inner = this.SUBRULE(this.expression);
            const close = this.CONSUME(T.RParen);
            // The span takes in the parentheses, so an enclosing node's span (`-(1)`, `(a) + b`) is balanced.
            return this.ACTION(() => ({ ...inner, span: { start: open.startOffset, end: endAfter(close, inner.span.end) } }));
          },
        },
        { GATE: () => this.LA(2).tokenType === T.LParen, ALT: () => this.SUBRULE(this.call) },
        { ALT: () => this.SUBRULE(this.reference) },
      ]),
    { recoveryValueFunc: recovered },
  );

  private call = this.RULE(
    'call',
    (): Expr => {
      const name = this.CONSUME(T.Identifier);
      this.CONSUME(T.LParen);
      const args: Expr[] = [];
      this.OPTION(() => {
        args.push(this.SUBRULE(this.expression));
        this.MANY(() => {
          this.CONSUME(T.Comma);
          args.push(this.SUBRULE2(this.expression));
        });
      });
      const close = this.CONSUME(T.RParen);
      return this.ACTION(() => ast.buildCall(name.image, tokenSpan(name), args, { start: name.startOffset, end: close.endOffset! + 1 }));
    },
    { recoveryValueFunc: recovered },
  );

  private reference = this.RULE(
    'reference',
    (): Expr => {
      const root = this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.GlobalIdentifier) }]);
      const segments: IToken[] = [];
      this.MANY(() => {
        this.CONSUME(T.Dot);
        segments.push(this.CONSUME2(T.Identifier));
      });
      // Dynamic references (`x["f"]`) are parsed only to be rejected with a clear error.
      let bracketEnd: number | undefined;
      this.OPTION(() => {
        const open = this.CONSUME(T.LBracket);
        this.SUBRULE(this.expression);
        const close = this.CONSUME(T.RBracket);
        this.ACTION(() => {
          bracketEnd = endAfter(close, open.endOffset! + 1);
          this.problems.push({
            code: 'E_DYNAMIC_REFERENCE',
            message: 'Dynamic references (x["field"]) are not supported in messaging component formulas. Use a field path such as Account.Name',
            span: { start: open.startOffset, end: bracketEnd },
          });
        });
      });
      return this.ACTION(() => {
        const isGlobal = root.tokenType === T.GlobalIdentifier;
        const path: PathSegment[] = isGlobal ? [] : [{ name: root.image, span: tokenSpan(root) }];
        for (const s of segments) path.push({ name: s.image, span: tokenSpan(s) });
        const last = segments.length > 0 ? (segments[segments.length - 1] as IToken) : root;
        return ast.buildReference(isGlobal ? root.image.slice(1) : null, path, {
          start: root.startOffset,
          end: bracketEnd ?? last.endOffset! + 1,
        });
      });
    },
    { recoveryValueFunc: recovered },
  );

  private decodeString(t: IToken): string {
    const body = t.image.slice(1, -1);
    if (!body.includes('\\')) return body;
    return body.replace(/\\([\s\S])/g, (whole, c: string, index: number) => {
      const value = ESCAPE_VALUES[c];
      if (value !== undefined) return value;
      const start = t.startOffset + 1 + index;
      this.problems.push({
        code: 'E_INVALID_ESCAPE',
        message: `Invalid escape sequence '${whole}' in a string. Use \\\\ for a backslash, \\" or \\' for quotes, \\n, \\t or \\r`,
        span: { start, end: start + 2 },
      });
      return c;
    });
  }
}

function recovered(): Expr {
  return ast.buildError({ start: 0, end: 0 });
}

function comparisonOperator(t: IToken): ast.BinaryOperator {
  switch (t.image) {
    case '==':
      return '=';
    case '!=':
      return '<>';
    default:
      return t.image as ast.BinaryOperator;
  }
}

export type { IRecognitionException };
