import {
  EmbeddedActionsParser,
  EOF,
  tokenMatcher,
  type IOrAlt,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from '../../chevrotain.js';
import * as ast from '../ast.js';
import type { Expr, PathSegment } from '../ast.js';
import type { Span } from '../source.js';
import * as T from '../lexer/tokens.js';
import { DispatchingLookahead } from './lookahead.js';
import { buildBinaryTree } from './precedence.js';
import { tokenEnd, tokenSpan } from './token-span.js';

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

/** The offset just after a closing token, or `fallback` when error recovery inserted it (it has no position). */
function endAfter(close: IToken, fallback: number): number {
  return Number.isNaN(close.startOffset) ? fallback : tokenEnd(close);
}

const ESCAPE_VALUES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

/** Two tokens tell a call (`name(`) from a reference; nothing else needs more than one. */
const MAX_LOOKAHEAD = 2;

/** A problem found while building the tree that is not a chevrotain recognition error. */
export interface ParseProblem {
  readonly code: 'E_DYNAMIC_REFERENCE' | 'E_INVALID_ESCAPE';
  readonly message: string;
  readonly span: Span;
}

/**
 * What a rule returns while chevrotain records the grammar (`RECORDING_PHASE`, in
 * performSelfAnalysis), as `ACTION` returns then. The rules test `RECORDING_PHASE` instead of
 * wrapping each action in `this.ACTION(() => …)`: the same behaviour, without a closure per action.
 */
const RECORDED = undefined as unknown as Expr;

const NO_PROBLEMS: readonly ParseProblem[] = Object.freeze([]);

/** Canonical decimal text of a number literal: `.5` → `0.5`, `007.50` → `7.5`. */
export function canonicalNumber(image: string): string {
  // A NumberLiteral is digits, digits "." digits, or "." digits (see the token).
  const dot = image.indexOf('.');
  const intEnd = dot < 0 ? image.length : dot;
  let start = 0;
  while (start < intEnd - 1 && image.charCodeAt(start) === 48 /* 0 */) start++; // leading zeros, keeping one digit
  if (dot < 0) return start === 0 ? image : image.slice(start);
  const int = intEnd === 0 ? '0' : image.slice(start, intEnd);
  let end = image.length;
  while (end > dot + 1 && image.charCodeAt(end - 1) === 48) end--; // trailing zeros of the fraction
  return end === dot + 1 ? int : `${int}.${image.slice(dot + 1, end)}`;
}

/**
 * The formula grammar (see grammar/formula.ebnf):
 *
 * ```
 * formula    = expression ;
 * expression = operand { BinaryOperator operand } ;
 * operand    = ("+" | "-" | "!") operand | literal | "(" expression ")" | call | reference ;
 * ```
 *
 * `expression` reads its operands and binary operators as a flat list, and an action builds the
 * tree by precedence (precedence.ts: `||` < `&&` < comparisons < `+ - &` < `* /` < `^`, every
 * level left-associative). Prefix operators bind tighter than any binary one. One rule for all
 * binary levels, rather than a rule per level, costs chevrotain one rule invocation per operand
 * instead of one per level. One instance is reused for every parse.
 */
export class FormulaParser extends EmbeddedActionsParser {
  private problems: ParseProblem[] = [];
  // The alternatives of each OR, built on first use and reused (chevrotain's recommended
  // optimization): they close over nothing but `this`.
  private operandAlternatives: IOrAlt<Expr>[] | undefined;
  private prefixAlternatives: IOrAlt<IToken>[] | undefined;
  private referenceRootAlternatives: IOrAlt<IToken>[] | undefined;

  /**
   * With `recovery` (the default), the parser recovers from syntax errors (inserting or skipping
   * tokens) and reports every error it finds; without, it stops at the first one, which is
   * cheaper. Both build the same tree from a formula without syntax errors. `validate` runs
   * chevrotain's grammar validations (tests).
   */
  constructor(options: { readonly recovery?: boolean; readonly validate?: boolean } = {}) {
    super(T.allTokens, {
      recoveryEnabled: options.recovery ?? true,
      // chevrotain's grammar validations (ambiguities, left recursion…) check the grammar, which
      // is fixed: test/parser/properties.test.ts builds the parser with them and expects no error.
      // Skipped otherwise, they are about a third of building a parser (a cold start's cost).
      skipValidations: options.validate !== true,
      maxLookahead: MAX_LOOKAHEAD,
      lookaheadStrategy: new DispatchingLookahead({ maxLookahead: MAX_LOOKAHEAD }),
      errorMessageProvider: messages,
    });
    this.performSelfAnalysis();
  }

  /** Problems found while building the tree in the last parse. */
  takeProblems(): readonly ParseProblem[] {
    const p = this.problems;
    if (p.length === 0) return NO_PROBLEMS;
    this.problems = [];
    return p;
  }

  override reset(): void {
    super.reset();
    if (this.problems.length > 0) this.problems = [];
  }

  public formula = this.RULE('formula', (): Expr => this.SUBRULE(this.expression), { recoveryValueFunc: recovered });

  private expression = this.RULE(
    'expression',
    (): Expr => {
      const first = this.SUBRULE(this.operand);
      let operands: Expr[] | undefined;
      let operators: IToken[] | undefined;
      this.MANY(() => {
        const op = this.CONSUME(T.BinaryOperator);
        const right = this.SUBRULE2(this.operand);
        if (!this.RECORDING_PHASE) {
          (operands ??= [first]).push(right);
          (operators ??= []).push(op);
        }
      });
      return this.RECORDING_PHASE ? RECORDED : (operands === undefined || operators === undefined ? first : buildBinaryTree(operands, operators));
    },
    { recoveryValueFunc: recovered },
  );

  private operand = this.RULE('operand', (): Expr => this.OR((this.operandAlternatives ??= this.operandForms())), { recoveryValueFunc: recovered });

  /** The alternatives of `operand`: a prefix operator and its operand, a literal, a parenthesized expression, a call or a reference. */
  private operandForms(): IOrAlt<Expr>[] {
    return [
      {
        ALT: () => {
          const op = this.OR2((this.prefixAlternatives ??= [{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }, { ALT: () => this.CONSUME(T.Bang) }]));
          const operand = this.SUBRULE(this.operand);
          return this.RECORDING_PHASE ? RECORDED : ast.buildUnary(op.image as '+' | '-' | '!', operand, { start: op.startOffset, end: operand.span.end });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.NumberLiteral);
          return this.RECORDING_PHASE ? RECORDED : ast.buildNumber(canonicalNumber(t.image), tokenSpan(t));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.StringLiteral);
          return this.RECORDING_PHASE ? RECORDED : ast.buildString(this.decodeString(t), tokenSpan(t));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.True);
          return this.RECORDING_PHASE ? RECORDED : ast.buildBoolean(true, tokenSpan(t));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.False);
          return this.RECORDING_PHASE ? RECORDED : ast.buildBoolean(false, tokenSpan(t));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Null);
          return this.RECORDING_PHASE ? RECORDED : ast.buildNull(tokenSpan(t));
        },
      },
      {
        ALT: () => {
          const open = this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.expression);
          const close = this.CONSUME(T.RParen);
          // The span takes in the parentheses, so an enclosing node's span (`-(1)`, `(a) + b`) is balanced.
          return this.RECORDING_PHASE ? RECORDED : ({ ...inner, span: { start: open.startOffset, end: endAfter(close, inner.span.end) } });
        },
      },
      // A name followed by "(" is a call (two tokens of lookahead), otherwise a reference.
      { ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.SUBRULE(this.reference) },
    ];
  }

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
      return this.RECORDING_PHASE ? RECORDED : ast.buildCall(name.image, tokenSpan(name), args, { start: name.startOffset, end: tokenEnd(close) });
    },
    { recoveryValueFunc: recovered },
  );

  private reference = this.RULE(
    'reference',
    (): Expr => {
      const root = this.OR((this.referenceRootAlternatives ??= [{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.GlobalIdentifier) }]));
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
        if (!this.RECORDING_PHASE) {
          bracketEnd = endAfter(close, tokenEnd(open));
          this.problems.push({
            code: 'E_DYNAMIC_REFERENCE',
            message: 'Dynamic references (x["field"]) are not supported in messaging component formulas. Use a field path such as Account.Name',
            span: { start: open.startOffset, end: bracketEnd },
          });
        }
      });
      if (this.RECORDING_PHASE) return RECORDED;
      const isGlobal = root.tokenType === T.GlobalIdentifier;
      const path: PathSegment[] = isGlobal ? [] : [{ name: root.image, span: tokenSpan(root) }];
      for (const s of segments) path.push({ name: s.image, span: tokenSpan(s) });
      const last = segments.length > 0 ? (segments[segments.length - 1] as IToken) : root;
      return ast.buildReference(isGlobal ? root.image.slice(1) : null, path, {
        start: root.startOffset,
        end: bracketEnd ?? tokenEnd(last),
      });
    },
    { recoveryValueFunc: recovered },
  );

  private decodeString(t: IToken): string {
    return decodeStringToken(t, this.problems);
  }
}

/** The value of a string literal token; an invalid escape is kept as its character and reported in `problems`. */
export function decodeStringToken(t: IToken, problems: ParseProblem[]): string {
  const body = t.image.slice(1, -1);
  if (!body.includes('\\')) return body;
  return body.replace(/\\([\s\S])/g, (whole, c: string, index: number) => {
    const value = ESCAPE_VALUES[c];
    if (value !== undefined) return value;
    const start = t.startOffset + 1 + index;
    problems.push({
      code: 'E_INVALID_ESCAPE',
      message: `Invalid escape sequence '${whole}' in a string. Use \\\\ for a backslash, \\" or \\' for quotes, \\n, \\t or \\r`,
      span: { start, end: start + 2 },
    });
    return c;
  });
}

function recovered(): Expr {
  return ast.buildError({ start: 0, end: 0 });
}

export type { IRecognitionException };
