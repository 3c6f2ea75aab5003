import type { IToken, TokenType } from '../../chevrotain.js';
import * as ast from '../ast.js';
import type { Expr, PathSegment } from '../ast.js';
import * as T from '../lexer/tokens.js';
import { canonicalNumber, decodeStringToken, type ParseProblem } from './formula-parser.js';
import { buildBinaryTree1, buildBinaryTree2, buildRange, PrecedenceStacks } from './precedence.js';
import { tokenEnd, tokenSpan } from './token-span.js';

/** Thrown (one shared value) when the text leaves the path this parser takes. */
const GIVE_UP: unique symbol = Symbol('give up');

/** The BinaryOperator category's members, by tokenTypeIdx. */
const BINARY: boolean[] = [];
for (const t of T.allTokens) if (t.CATEGORIES?.includes(T.BinaryOperator) === true) BINARY[t.tokenTypeIdx as number] = true;

/**
 * A recursive-descent reading of the grammar of FormulaParser (formula-parser.ts) for formulas
 * without syntax errors, the common case: the same rules, the same choices (a name followed by
 * `(` is a call), the same tree built by the same builders, without chevrotain's per-rule cost.
 * It gives up (returns `undefined`) at the first token that is not what it expects and at a
 * dynamic reference (`x["f"]`); the caller then parses with FormulaParser, which reports the
 * errors. So whenever this returns a tree, FormulaParser accepts the formula and builds the same
 * tree with the same problems (test/parser/fast-parse.test.ts compares them on random texts).
 */
export class FastParser {
  private tokens: readonly IToken[] = [];
  private pos = 0;
  private problems: ParseProblem[] = [];
  /**
   * Shared stacks for the operands, operators and arguments being read, with their tops (reset
   * per parse; entries above the top are stale, overwritten by later parses, and never read).
   */
  private readonly exprs: Expr[] = [];
  private exprTop = 0;
  private readonly ops: IToken[] = [];
  private opTop = 0;
  /** Where chains of three or more operators are built (this parser's own). */
  private readonly stacks = new PrecedenceStacks();

  /** The tree of `tokens`, with its problems (invalid escapes) pushed to `problems`; `undefined` to give up. */
  parse(tokens: readonly IToken[], problems: ParseProblem[]): Expr | undefined {
    this.tokens = tokens;
    this.pos = 0;
    this.problems = problems;
    try {
      const tree = this.expression();
      return this.pos === tokens.length ? tree : undefined;
    } catch (e) {
      // Too deep for the stack: FormulaParser reports it (the same RangeError, caught there).
      if (e === GIVE_UP || e instanceof RangeError) return undefined;
      throw e;
    } finally {
      this.tokens = [];
      this.exprTop = 0;
      this.opTop = 0;
    }
  }

  private next(type: TokenType): IToken {
    const t = this.tokens[this.pos];
    if (t === undefined || t.tokenType !== type) throw GIVE_UP;
    this.pos++;
    return t;
  }

  private expression(): Expr {
    const first = this.operand();
    const t = this.tokens[this.pos];
    if (t === undefined || BINARY[t.tokenTypeIdx] !== true) return first;
    this.pos++;
    const second = this.operand();
    const next = this.tokens[this.pos];
    if (next === undefined || BINARY[next.tokenTypeIdx] !== true) return buildBinaryTree1(first, t, second);
    this.pos++;
    const third = this.operand();
    const after = this.tokens[this.pos];
    // Two operators (`Amount * 1.1 + 5`): the tree without arrays.
    if (after === undefined || BINARY[after.tokenTypeIdx] !== true) return buildBinaryTree2(first, t, second, next, third);
    // Longer chains: operands and operators gathered on the shared stacks, then copied at their exact length.
    const base = this.exprTop;
    const opBase = this.opTop;
    this.exprs[this.exprTop++] = first;
    this.exprs[this.exprTop++] = second;
    this.exprs[this.exprTop++] = third;
    this.ops[this.opTop++] = t;
    this.ops[this.opTop++] = next;
    for (let op: IToken | undefined = after; op !== undefined && BINARY[op.tokenTypeIdx] === true; op = this.tokens[this.pos]) {
      this.pos++;
      this.ops[this.opTop++] = op;
      const operand = this.operand();
      this.exprs[this.exprTop++] = operand;
    }
    // Built from the shared stacks in place (nothing copied out).
    const tree = buildRange(this.exprs, base, this.ops, opBase, this.opTop - opBase, this.stacks);
    this.exprTop = base;
    this.opTop = opBase;
    return tree;
  }

  private operand(): Expr {
    const t = this.tokens[this.pos];
    if (t === undefined) throw GIVE_UP;
    const type = t.tokenType;
    if (type === T.Identifier) {
      if (this.tokens[this.pos + 1]?.tokenType === T.LParen) return this.call(t);
      return this.reference(t);
    }
    this.pos++;
    switch (type) {
      case T.NumberLiteral:
        return ast.buildNumber(canonicalNumber(t.image), tokenSpan(t));
      case T.DoubleQuotedString:
      case T.SingleQuotedString:
        return ast.buildString(decodeStringToken(t, this.problems), tokenSpan(t));
      case T.GlobalIdentifier:
        this.pos--;
        return this.reference(t);
      case T.Plus:
      case T.Minus:
      case T.Bang: {
        const operand = this.operand();
        return ast.buildUnary(t.image as '+' | '-' | '!', operand, { start: t.startOffset, end: operand.span.end });
      }
      case T.True:
        return ast.buildBoolean(true, tokenSpan(t));
      case T.False:
        return ast.buildBoolean(false, tokenSpan(t));
      case T.Null:
        return ast.buildNull(tokenSpan(t));
      case T.LParen: {
        const inner = this.expression();
        const close = this.next(T.RParen);
        const span = { start: t.startOffset, end: tokenEnd(close) };
        // A parenthesised operation (the common case) rebuilt with its keys in order, as the
        // spread below would: a spread over nodes of many shapes runs in V8's runtime.
        if (inner.kind === 'Binary') return { kind: 'Binary', op: inner.op, left: inner.left, right: inner.right, opSpan: inner.opSpan, span };
        return { ...inner, span };
      }
      default:
        throw GIVE_UP;
    }
  }

  private call(name: IToken): Expr {
    this.pos += 2; // the name and "("
    let args: Expr[] = []; // an empty literal has no backing store
    if (this.tokens[this.pos]?.tokenType !== T.RParen) {
      const first = this.expression();
      if (this.tokens[this.pos]?.tokenType !== T.Comma) args = [first];
      else {
        // The arguments gathered on the shared stack, then copied at their exact length.
        const base = this.exprTop;
        this.exprs[this.exprTop++] = first;
        while (this.tokens[this.pos]?.tokenType === T.Comma) {
          this.pos++;
          const arg = this.expression();
          this.exprs[this.exprTop++] = arg;
        }
        args = this.exprs.slice(base, this.exprTop);
        this.exprTop = base;
      }
    }
    const close = this.next(T.RParen);
    return ast.buildCall(name.image, tokenSpan(name), args, { start: name.startOffset, end: tokenEnd(close) });
  }

  private reference(root: IToken): Expr {
    this.pos++;
    const isGlobal = root.tokenType === T.GlobalIdentifier;
    const path: PathSegment[] = isGlobal ? [] : [{ name: root.image, span: tokenSpan(root) }];
    let last = root;
    while (this.tokens[this.pos]?.tokenType === T.Dot) {
      this.pos++;
      last = this.next(T.Identifier);
      path.push({ name: last.image, span: tokenSpan(last) });
    }
    // A dynamic reference is left to FormulaParser, which reports it.
    if (this.tokens[this.pos]?.tokenType === T.LBracket) throw GIVE_UP;
    return ast.buildReference(isGlobal ? root.image.slice(1) : null, path, { start: root.startOffset, end: tokenEnd(last) });
  }
}
