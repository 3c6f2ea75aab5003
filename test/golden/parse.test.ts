/**
 * Parser goldens: test/golden/parse/<topic>.json. Each case is a formula that must parse without
 * diagnostics; `expected` holds the fully parenthesized print() and the tree. The tree is compared
 * without spans unless the case sets `"spans": true`, in which case every span must match too.
 * UPDATE_GOLDEN=1 rewrites `expected` from actual output; review every diff.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { print, withoutSpans } from '../../src/formula/ast.js';
import { FormulaSyntax } from '../../src/formula/parser/parse.js';
import { jsonFiles, readJson, UPDATE_GOLDEN, writeJson } from '../helpers/golden.js';
import { formulaText, type FormulaText } from '../helpers/formula-text.js';

interface ParseCase {
  name?: string;
  formula: FormulaText;
  spans?: boolean;
  expected?: { printed: string; ast: unknown };
}
interface ParseFile {
  description?: string;
  cases: ParseCase[];
}

const syntax = new FormulaSyntax();
const dir = new URL('./parse/', import.meta.url).pathname;

for (const file of jsonFiles(dir)) {
  const golden = readJson<ParseFile>(file);
  describe(`parse golden ${file.slice(dir.length)}`, () => {
    for (const [i, c] of golden.cases.entries()) {
      const text = formulaText(c.formula);
      it(`${c.name ?? text} [${i}]`, () => {
        const r = syntax.parse(text);
        expect(r.diagnostics).toEqual([]);
        if (r.ast === null) throw new Error('no tree');
        const got = { printed: print(r.ast), ast: c.spans === true ? r.ast : withoutSpans(r.ast) };
        if (UPDATE_GOLDEN) c.expected = got;
        else expect(got).toEqual(c.expected);
        // The printed form parses back to the same tree.
        expect(withoutSpans(syntax.parse(got.printed).ast as never)).toEqual(withoutSpans(r.ast));
      });
    }
    afterAll(() => {
      if (UPDATE_GOLDEN) writeJson(file, golden);
    });
  });
}
