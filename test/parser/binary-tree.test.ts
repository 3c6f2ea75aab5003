/**
 * The binary-operator tree builders without stacks (`buildBinaryTree1`, `buildBinaryTree2`, used
 * by the fast parser and by `buildBinaryTree` for one and two operators) against the general
 * builder with explicit stacks (`buildByStacks`): the same tree, spans and key order for every
 * operator and every pair of operators.
 */
import { describe, expect, it } from 'vitest';
import type { IToken } from '../../src/chevrotain.js';
import { buildBinary, buildNumber, type Expr } from '../../src/formula/ast.js';
import { scanFormula } from '../../src/formula/lexer/scan.js';
import { BINARY_LEVELS, buildBinaryTree, buildBinaryTree1, buildBinaryTree2, buildByStacks, buildRange, PrecedenceStacks } from '../../src/formula/parser/precedence.js';
import { tokenSpan } from '../../src/formula/parser/token-span.js';

const SPELLINGS = ['||', '&&', '==', '!=', '<>', '<=', '>=', '=', '<', '>', '+', '-', '&', '*', '/', '^'];

/** The operands (number literals) and operator tokens of `1 op 2 op 3 …`. */
function split(text: string): { operands: Expr[]; operators: IToken[] } {
  const operands: Expr[] = [];
  const operators: IToken[] = [];
  for (const t of scanFormula(text).tokens) {
    if (t.tokenType.name === 'NumberLiteral') operands.push(buildNumber(t.image, { start: t.startOffset, end: t.startOffset + t.image.length }));
    else operators.push(t);
  }
  return { operands, operators };
}

/**
 * A reference builder written differently: recursive descent over BINARY_LEVELS, one function
 * call per level, every level left-associative (as the table says).
 */
function reference(operands: readonly Expr[], operators: readonly IToken[]): Expr {
  let pos = 0;
  let op = 0;
  const levelOf = (t: IToken): { level: number; op: string } => {
    for (const [level, l] of BINARY_LEVELS.entries()) for (const [token, spelled] of l.operators) if (token === t.tokenType) return { level, op: spelled };
    throw new Error(`not a binary operator: ${t.image}`);
  };
  const read = (level: number): Expr => {
    if (level === BINARY_LEVELS.length) return operands[pos++] as Expr;
    let left = read(level + 1);
    while (op < operators.length && levelOf(operators[op] as IToken).level === level) {
      const t = operators[op++] as IToken;
      const right = read(level + 1);
      left = buildBinary(levelOf(t).op as never, left, right, tokenSpan(t));
    }
    return left;
  };
  return read(0);
}

/** The tree as JSON (key order included). */
const shape = (e: Expr): string => JSON.stringify(e);

describe('binary trees without stacks', () => {
  it('builds one operator as the stack builder does', () => {
    for (const op of SPELLINGS) {
      const { operands, operators } = split(`1 ${op} 2`);
      expect(operators).toHaveLength(1);
      const expected = shape(buildByStacks(operands, operators));
      expect(shape(buildBinaryTree1(operands[0] as Expr, operators[0] as IToken, operands[1] as Expr)), op).toBe(expected);
      expect(shape(buildBinaryTree(operands, operators)), op).toBe(expected);
    }
  });

  it('builds every pair of operators as the stack builder does', () => {
    let leftFirst = 0;
    let rightFirst = 0;
    for (const a of SPELLINGS) {
      for (const b of SPELLINGS) {
        const text = `1 ${a} 22 ${b} 333`;
        const { operands, operators } = split(text);
        expect(operators, text).toHaveLength(2);
        const reference = buildByStacks(operands, operators);
        const expected = shape(reference);
        const [x, y, z] = operands as [Expr, Expr, Expr];
        expect(shape(buildBinaryTree2(x, operators[0] as IToken, y, operators[1] as IToken, z)), text).toBe(expected);
        expect(shape(buildBinaryTree(operands, operators)), text).toBe(expected);
        if (reference.kind === 'Binary' && reference.left.kind === 'Binary') leftFirst++;
        else rightFirst++;
      }
    }
    // Both shapes occur (`1 + 2 * 3` groups to the right), so both branches are compared.
    expect(leftFirst).toBeGreaterThan(0);
    expect(rightFirst).toBeGreaterThan(0);
  });

  it('builds chains of three and four operators as the reference does, from arrays and from a range of stacks', () => {
    expect(BINARY_LEVELS.every((l) => l.associativity === 'left')).toBe(true);
    const ops = ['||', '&&', '=', '<>', '<', '+', '-', '&', '*', '/', '^'];
    let chains = 0;
    // One set of stacks for every chain, as a parser keeps: stale entries of longer chains must not be read.
    const stacks = new PrecedenceStacks();
    for (const a of ops) {
      for (const b of ops) {
        for (const c of ops) {
          for (const d of [undefined, '+', '*', '^', '=']) {
            const text = `1 ${a} 22 ${b} 333 ${c} 4444${d === undefined ? '' : ` ${d} 5`}`;
            const { operands, operators } = split(text);
            const expected = shape(reference(operands, operators));
            expect(shape(buildBinaryTree(operands, operators)), text).toBe(expected);
            // A range in the middle of longer stacks (entries on either side are not read).
            const padded = [buildNumber('9', { start: 0, end: 1 }), ...operands, buildNumber('8', { start: 0, end: 1 })];
            const paddedOps = [...split('1 + 2').operators, ...operators, ...split('1 * 2').operators];
            expect(shape(buildRange(padded, 1, paddedOps, 1, operators.length, stacks)), text).toBe(expected);
            chains++;
          }
        }
      }
    }
    expect(chains).toBe(ops.length ** 3 * 5);
  });

  it('the pairs agree with the reference too', () => {
    for (const a of SPELLINGS) {
      for (const b of SPELLINGS) {
        const { operands, operators } = split(`1 ${a} 22 ${b} 333`);
        expect(shape(buildBinaryTree(operands, operators))).toBe(shape(reference(operands, operators)));
      }
    }
  });
});
