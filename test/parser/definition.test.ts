/**
 * The parsers Parlance uses skip chevrotain's grammar validations (they check a fixed grammar, and
 * cost about a third of building a parser: a cold start's cost). This builds the same parser with
 * them, in both modes: chevrotain throws on any definition error (an ambiguity, left recursion, a
 * lookahead conflict).
 */
import { describe, expect, it } from 'vitest';
import { FormulaParser } from '../../src/formula/parser/formula-parser.js';

describe('formula grammar definition', () => {
  it('passes chevrotain’s grammar validations, with and without error recovery', () => {
    for (const recovery of [false, true]) {
      const parser = new FormulaParser({ recovery, validate: true });
      expect((parser as unknown as { definitionErrors: unknown[] }).definitionErrors).toEqual([]);
    }
  });

  it('validation is on only when asked', () => {
    const config = (p: FormulaParser) => (p as unknown as { skipValidations: boolean }).skipValidations;
    expect(config(new FormulaParser({ validate: true }))).toBe(false);
    expect(config(new FormulaParser())).toBe(true);
  });
});
