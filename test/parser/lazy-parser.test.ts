import { describe, expect, it, vi } from 'vitest';

// Counts the chevrotain parsers built: building one records and analyses the grammar (about 8 ms
// of CPU in a cold process), so FormulaSyntax builds them only when the fast parser gives up.
const built = vi.hoisted(() => ({ plain: 0, recovering: 0 }));
vi.mock('../../src/formula/parser/formula-parser.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/formula/parser/formula-parser.js')>();
  class CountedParser extends original.FormulaParser {
    constructor(...args: ConstructorParameters<typeof original.FormulaParser>) {
      super(...args);
      if (args[0]?.recovery === true) built.recovering++;
      else built.plain++;
    }
  }
  return { ...original, FormulaParser: CountedParser };
});

const { FormulaSyntax } = await import('../../src/formula/parser/parse.js');
const { FormulaEngine } = await import('../../src/formula/formula.js');

describe('chevrotain parsers built on first need', () => {
  it('a new engine and formulas without syntax errors build none; a dynamic reference builds one; a syntax error the recovering one, once', () => {
    built.plain = 0;
    built.recovering = 0;
    const engine = new FormulaEngine();
    expect(engine.compile('IF(Amount > 10, "big", "small") & TEXT(ROUND(Amount * 1.1, 2))', { fields: { Amount: 'Number' } }).ok).toBe(true);
    expect(built).toEqual({ plain: 0, recovering: 0 });

    const syntax = new FormulaSyntax();
    expect(syntax.parse('1 + 2').diagnostics).toEqual([]);
    expect(built).toEqual({ plain: 0, recovering: 0 });
    // A dynamic reference: the fast parser gives up, chevrotain's parser reads it (no syntax error) and reports it.
    expect(syntax.parse('$Setup["x"]').diagnostics).toMatchObject([{ code: 'E_DYNAMIC_REFERENCE' }]);
    expect(built).toEqual({ plain: 1, recovering: 0 });
    // A syntax error: parsed again with recovery to report every error.
    expect(syntax.parse('1 +').diagnostics).toMatchObject([{ code: 'E_SYNTAX', severity: 'error' }]);
    expect(syntax.parse('(1').diagnostics).toMatchObject([{ code: 'E_SYNTAX', severity: 'error' }]);
    expect(built).toEqual({ plain: 1, recovering: 1 });
  });
});
