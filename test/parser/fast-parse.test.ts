/**
 * FastParser (src/formula/parser/fast-parse.ts) against chevrotain's FormulaParser without error
 * recovery, on the scanner's tokens: whenever FastParser returns a tree, FormulaParser accepts the
 * same tokens and builds the same tree (same nodes, spans and key order) with the same problems;
 * FastParser gives up only where FormulaParser finds a syntax error or a dynamic reference. Every
 * diagnostic and tree of `parse` rests on this.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanFormula } from '../../src/formula/lexer/scan.js';
import { FastParser } from '../../src/formula/parser/fast-parse.js';
import { FormulaParser, type ParseProblem } from '../../src/formula/parser/formula-parser.js';
import { anyText, FRAGMENTS, fragmentText, noisy } from './generators.js';

const fast = new FastParser();
const slow = new FormulaParser({ recovery: false });

/** Compares both parsers on `text`; true when FastParser read it. */
function same(text: string): boolean {
  const tokens = scanFormula(text).tokens;
  if (tokens.length === 0) return false;
  const problems: ParseProblem[] = [];
  const tree = fast.parse(tokens, problems);
  slow.input = tokens;
  let slowTree: unknown;
  try {
    slowTree = slow.formula();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    expect(tree, JSON.stringify(text)).toBeUndefined();
    slow.takeProblems();
    return false;
  }
  const errors = slow.errors;
  const slowProblems = slow.takeProblems();
  if (tree === undefined) {
    // Gave up: a syntax error, or a dynamic reference (reported as a problem).
    expect(errors.length > 0 || slowProblems.some((p) => p.code === 'E_DYNAMIC_REFERENCE'), JSON.stringify(text)).toBe(true);
    return false;
  }
  expect(errors, JSON.stringify(text)).toEqual([]);
  expect(JSON.stringify(tree), JSON.stringify(text)).toBe(JSON.stringify(slowTree));
  expect(tree, JSON.stringify(text)).toEqual(slowTree);
  expect(problems, JSON.stringify(text)).toEqual([...slowProblems]);
  return true;
}

describe('FastParser builds what FormulaParser builds', () => {
  it('on hand-picked formulas, reading every valid one', () => {
    const valid = [
      '1', '.5', '007.50', '"a"', "'b'", '"a\\nb"', '"\\q"', 'TRUE', 'false', 'Null', 'a', 'Account.Owner.Name', '$User.Email', '$Constants',
      'F()', 'f(1)', 'IF(a > 1, "x", \'y\') & TEXT(ROUND(b * 1.1, 2))', '-(1)', '(a) + b', '--!+a', '1 + 2 * 3 ^ 4 - 5 / 6 & 7',
      'a || b && c = d == e <> f != g < h <= i > j >= k', '((((1))))', 'CASE(x, 1, "a", 2, "b", "c")', 'a.b.c + F(G(H()))',
    ];
    for (const text of valid) expect(same(text), text).toBe(true);
    const invalid = ['', '(', ')', '1 +', 'F(', 'F(1,)', 'F(,1)', 'a.', 'a.1', 'x["f"]', 'a b', '1 2', '$', '+', 'F(1) (', '.', '[1]', 'a..b'];
    for (const text of invalid) expect(same(text), text).toBe(false);
  });

  it('on every pair of fragments', () => {
    for (const a of FRAGMENTS) for (const b of FRAGMENTS) same(a + b);
  });

  it('on random text and valid formulas (which it reads unless they hold a dynamic reference)', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fragmentText(40)), (text) => {
        same(text);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(noisy(), (text) => {
        expect(same(text), JSON.stringify(text)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
