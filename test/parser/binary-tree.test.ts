/**
 * The binary-operator tree builders without stacks (`buildBinaryTree1`, `buildBinaryTree2`, used
 * by the fast parser and by `buildBinaryTree` for one and two operators) against the general
 * builder with explicit stacks (`buildByStacks`): the same tree, spans and key order for every
 * operator and every pair of operators.
 */
import { describe, expect, it } from 'vitest';
import type { IToken } from '../../src/chevrotain.js';
import { buildNumber, type Expr } from '../../src/formula/ast.js';
import { scanFormula } from '../../src/formula/lexer/scan.js';
import { buildBinaryTree, buildBinaryTree1, buildBinaryTree2, buildByStacks } from '../../src/formula/parser/precedence.js';

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
});
