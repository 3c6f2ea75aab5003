import { describe, expect, it, vi } from 'vitest';
import { FormulaEngine, FormulaSyntax } from '../../src/index.js';
import { FormulaParser } from '../../src/formula/parser/formula-parser.js';

// Building a chevrotain parser records and analyses the grammar (about 8 ms of CPU in a cold
// process), so FormulaSyntax builds its parsers only when the fast parser gives up. Each parser
// runs `performSelfAnalysis` once, from its constructor: counted here (no module mock: the suite
// shares its module cache between files).
describe('chevrotain parsers built on first need', () => {
  it('a new engine and formulas without syntax errors build none; a dynamic reference builds one; a syntax error the recovering one, once', () => {
    // `performSelfAnalysis` is protected in chevrotain's types.
    const analysis = vi.spyOn(FormulaParser.prototype as unknown as { performSelfAnalysis(): void }, 'performSelfAnalysis');
    const built = () => {
      const parsers = analysis.mock.contexts as unknown as Array<{ recoveryEnabled: boolean }>;
      return { plain: parsers.filter((p) => !p.recoveryEnabled).length, recovering: parsers.filter((p) => p.recoveryEnabled).length };
    };
    try {
      const engine = new FormulaEngine();
      expect(engine.compile('IF(Amount > 10, "big", "small") & TEXT(ROUND(Amount * 1.1, 2))', { fields: { Amount: 'Number' } }).ok).toBe(true);
      expect(built()).toEqual({ plain: 0, recovering: 0 });

      const syntax = new FormulaSyntax();
      expect(syntax.parse('1 + 2').diagnostics).toEqual([]);
      expect(built()).toEqual({ plain: 0, recovering: 0 });
      // A dynamic reference: the fast parser gives up; chevrotain's parser reads it (no syntax error) and reports it.
      expect(syntax.parse('$Setup["x"]').diagnostics).toMatchObject([{ code: 'E_DYNAMIC_REFERENCE' }]);
      expect(built()).toEqual({ plain: 1, recovering: 0 });
      // A syntax error: parsed again with recovery, to report every error.
      expect(syntax.parse('1 +').diagnostics).toMatchObject([{ code: 'E_SYNTAX', severity: 'error' }]);
      expect(syntax.parse('(1').diagnostics).toMatchObject([{ code: 'E_SYNTAX', severity: 'error' }]);
      expect(built()).toEqual({ plain: 1, recovering: 1 });
    } finally {
      analysis.mockRestore();
    }
  });
});
