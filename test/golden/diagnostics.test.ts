/**
 * Syntax diagnostics goldens: test/golden/diagnostics/<topic>.json. Each case is a formula (see
 * test/helpers/formula-text.ts for the forms), optional parse limits, and the expected diagnostics: code,
 * message and where (1-based line and column, and the [start, end) offsets). A formula with an
 * error has no tree. UPDATE_GOLDEN=1 rewrites `expected` from actual output; review every diff.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FormulaSyntax, type ParseLimits } from '../../src/formula/parser/parse.js';
import { jsonFiles, readJson, UPDATE_GOLDEN, writeJson } from '../helpers/golden.js';
import { formulaText, type FormulaText } from '../helpers/formula-text.js';

interface DiagnosticsCase {
  name?: string;
  formula: FormulaText;
  limits?: ParseLimits;
  expected?: unknown[];
}
interface DiagnosticsFile {
  description?: string;
  cases: DiagnosticsCase[];
}

const syntax = new FormulaSyntax();
const dir = new URL('./diagnostics/', import.meta.url).pathname;

for (const file of jsonFiles(dir)) {
  const golden = readJson<DiagnosticsFile>(file);
  describe(`diagnostics golden ${file.slice(dir.length)}`, () => {
    for (const [i, c] of golden.cases.entries()) {
      const text = formulaText(c.formula);
      it(`${c.name ?? JSON.stringify(text)} [${i}]`, () => {
        const r = syntax.parse(text, c.limits);
        const got = r.diagnostics.map((d) => ({ code: d.code, message: d.message, line: d.span.line, column: d.span.column, start: d.span.start, end: d.span.end }));
        if (UPDATE_GOLDEN) c.expected = got;
        else expect(got).toEqual(c.expected);
        expect(r.ast === null).toBe(r.diagnostics.some((d) => d.severity === 'error'));
      });
    }
    afterAll(() => {
      if (UPDATE_GOLDEN) writeJson(file, golden);
    });
  });
}
