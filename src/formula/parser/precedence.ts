/**
 * Binary operator precedence, as data, and the tree builder that applies it.
 *
 * The grammar reads a flat `operand { BinaryOperator operand }` list in one rule (one chevrotain
 * rule invocation per operand instead of one per precedence level); `buildBinaryTree` then
 * builds the tree from that list by precedence climbing. The same table documents the
 * precedence in the generated grammar (grammar/formula.ebnf).
 */
import type { IToken, TokenType } from '../../chevrotain.js';
import { buildBinary, type BinaryOperator, type Expr } from '../ast.js';
import * as T from '../lexer/tokens.js';
import { tokenSpan } from './token-span.js';

export type Associativity = 'left' | 'right';

/** One precedence level: its operators (token → the operator it spells) and associativity. */
export interface BinaryLevel {
  /** A name for the level, shown in the generated grammar. */
  readonly name: string;
  readonly operators: ReadonlyArray<readonly [TokenType, BinaryOperator]>;
  readonly associativity: Associativity;
}

/**
 * The binary levels, loosest binding first (DECISIONS.md §15.4, sformula's grammar): `||` <
 * `&&` < comparisons (one level) < `+ - &` < `* /` < `^`. Every level is left-associative, so
 * `2 ^ 3 ^ 2` is `(2 ^ 3) ^ 2`. Prefix operators (`+ - !`) bind tighter than any of these;
 * they are parsed by the `unary` rule, so `-2 ^ 2` is `(-2) ^ 2`.
 */
export const BINARY_LEVELS: readonly BinaryLevel[] = [
  { name: 'or', operators: [[T.OrOp, '||']], associativity: 'left' },
  { name: 'and', operators: [[T.AndOp, '&&']], associativity: 'left' },
  {
    name: 'comparison',
    operators: [
      [T.EqualEqual, '='],
      [T.BangEqual, '<>'],
      [T.LessGreater, '<>'],
      [T.LessEqual, '<='],
      [T.GreaterEqual, '>='],
      [T.Equal, '='],
      [T.Less, '<'],
      [T.Greater, '>'],
    ],
    associativity: 'left',
  },
  {
    name: 'additive',
    operators: [
      [T.Plus, '+'],
      [T.Minus, '-'],
      [T.Ampersand, '&'],
    ],
    associativity: 'left',
  },
  {
    name: 'multiplicative',
    operators: [
      [T.Star, '*'],
      [T.Slash, '/'],
    ],
    associativity: 'left',
  },
  { name: 'power', operators: [[T.Caret, '^']], associativity: 'left' },
];

interface OperatorInfo {
  readonly op: BinaryOperator;
  /** 0 = loosest. */
  readonly level: number;
  readonly left: boolean;
}

const OPERATORS = new Map<TokenType, OperatorInfo>();
for (const [level, l] of BINARY_LEVELS.entries()) {
  for (const [token, op] of l.operators) {
    if (OPERATORS.has(token)) throw new Error(`precedence: token ${token.name} is in two levels`);
    OPERATORS.set(token, { op, level, left: l.associativity === 'left' });
  }
}
// The grammar consumes the BinaryOperator category: the table must cover exactly its members.
for (const token of T.allTokens) {
  const member = token.CATEGORIES?.includes(T.BinaryOperator) === true;
  if (member !== OPERATORS.has(token)) {
    throw new Error(`precedence: token ${token.name} ${member ? 'is a BinaryOperator but has no precedence level' : 'has a precedence level but is not a BinaryOperator'}`);
  }
}

/**
 * Builds the tree of `operands[0] operators[0] operands[1] … operands[n]` by precedence
 * (operator-precedence parsing with explicit stacks, so nothing recurses). `operands` has one
 * more element than `operators`. Spans are those the operators' own nodes would get:
 * `opSpan` is the operator token, `span` runs from the left operand to the right one.
 */
export function buildBinaryTree(operands: readonly Expr[], operators: readonly IToken[]): Expr {
  if (operators.length === 1) return buildBinaryTree1(operands[0] as Expr, operators[0] as IToken, operands[1] as Expr);
  if (operators.length === 2) return buildBinaryTree2(operands[0] as Expr, operators[0] as IToken, operands[1] as Expr, operators[1] as IToken, operands[2] as Expr);
  return buildByStacks(operands, operators);
}

/** `a t b`: one binary node. */
export function buildBinaryTree1(a: Expr, t: IToken, b: Expr): Expr {
  return buildBinary(infoOf(t).op, a, b, tokenSpan(t));
}

/**
 * `a t1 b t2 c`, the tree `buildByStacks` builds, without its stacks (formulas such as
 * `Amount * 1.1 + 5` are mostly such chains): `t1` is reduced first when it binds at least as
 * tightly as `t2` (tighter, or the same level and `t2` left-associative), else `t2` is.
 */
export function buildBinaryTree2(a: Expr, t1: IToken, b: Expr, t2: IToken, c: Expr): Expr {
  const i1 = infoOf(t1);
  const i2 = infoOf(t2);
  if (i1.level > i2.level || (i1.level === i2.level && i2.left)) {
    const left = buildBinary(i1.op, a, b, tokenSpan(t1));
    return buildBinary(i2.op, left, c, tokenSpan(t2));
  }
  const right = buildBinary(i2.op, b, c, tokenSpan(t2));
  return buildBinary(i1.op, a, right, tokenSpan(t1));
}

/**
 * The general builder (any number of operators), with stacks of its own. Exported for the test
 * that checks `buildBinaryTree2` against it.
 * @internal
 */
export function buildByStacks(operands: readonly Expr[], operators: readonly IToken[]): Expr {
  return buildRange(operands, 0, operators, 0, operators.length, new PrecedenceStacks());
}

/**
 * The stacks `buildRange` works on, kept by their owner (the fast parser keeps one, so no array
 * is allocated per chain). Reset per call: entries above the tops are stale and never read;
 * building is synchronous and never re-entered.
 * @internal
 */
export class PrecedenceStacks {
  readonly values: Expr[] = [];
  readonly pending: OperatorInfo[] = [];
  readonly tokens: IToken[] = [];
}

/**
 * The tree of `operands[base] operators[opBase] … ` with `count` operators (and `count + 1`
 * operands), by operator-precedence parsing with explicit stacks, so nothing recurses. The fast
 * parser passes its own operand and operator stacks, without copying them out.
 */
export function buildRange(operands: readonly Expr[], base: number, operators: readonly IToken[], opBase: number, count: number, stacks: PrecedenceStacks): Expr {
  const VALUES = stacks.values;
  const PENDING = stacks.pending;
  const PENDING_TOKENS = stacks.tokens;
  let values = 0;
  let pending = 0;
  // Slots of the last parse are overwritten from the first; nothing above the tops is read.
  VALUES[values++] = operands[base] as Expr;
  for (let i = 0; i <= count; i++) {
    const token = i < count ? (operators[opBase + i] as IToken) : undefined;
    const info = token === undefined ? undefined : infoOf(token);
    // Reduce every pending operator that binds at least as tightly (all of them at the end).
    while (pending > 0) {
      const top = PENDING[pending - 1] as OperatorInfo;
      if (info !== undefined && (top.level < info.level || (top.level === info.level && !info.left))) break;
      pending--;
      const right = VALUES[--values] as Expr;
      const left = VALUES[--values] as Expr;
      VALUES[values++] = buildBinary(top.op, left, right, tokenSpan(PENDING_TOKENS[pending] as IToken));
    }
    if (token === undefined || info === undefined) break;
    PENDING[pending] = info;
    PENDING_TOKENS[pending++] = token;
    VALUES[values++] = operands[base + i + 1] as Expr;
  }
  return VALUES[0] as Expr;
}

/** OPERATORS by tokenTypeIdx (an array read instead of a Map lookup per operator). */
const BY_INDEX: Array<OperatorInfo | undefined> = [];
for (const [token, info] of OPERATORS) BY_INDEX[token.tokenTypeIdx as number] = info;

function infoOf(token: IToken): OperatorInfo {
  const info = BY_INDEX[token.tokenTypeIdx];
  if (info === undefined) throw new Error(`precedence: ${token.tokenType.name} is not a binary operator`);
  return info;
}
