/**
 * The hand-written scanner (src/formula/lexer/scan.ts) against chevrotain's lexer built from the
 * same tokens (createFormulaLexer): the same tokens, groups and errors on every kind of token, on
 * every lexing error, and on random text. The parser reads the scanner's tokens, so a difference
 * here would change a diagnostic or a span.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ILexingResult, IToken } from '../../src/chevrotain.js';
import { scanFormula } from '../../src/formula/lexer/scan.js';
import * as T from '../../src/formula/lexer/tokens.js';
import { anyText, FRAGMENTS, fragmentText, noisy } from './generators.js';

const lexer = T.createFormulaLexer();

const shape = (t: IToken) => [t.tokenType.name, t.tokenTypeIdx, t.image, t.startOffset, Object.keys(t).join(',')];
function comparable(r: ILexingResult) {
  return {
    tokens: r.tokens.map(shape),
    groups: Object.fromEntries(Object.entries(r.groups).map(([k, v]) => [k, v.map(shape)])),
    errors: r.errors,
  };
}
function same(text: string): void {
  expect(comparable(scanFormula(text)), JSON.stringify(text)).toEqual(comparable(lexer.tokenize(text)));
}

describe('scanFormula is chevrotain’s formula lexer', () => {
  it('on every token and near-token', () => {
    const cases = [
      '', ' ', '\t\r\n\f\v', 'a', '_', '_1', 'a1_b', 'TRUE', 'true', 'TrUe', 'TRUEX', 'true1', 'true_', 'FALSE', 'false', 'falsey', 'NULL', 'null', 'nul', 'NULLx',
      'tru', 'fals', 'T', 'é', 'aé', 'trueé', 'ſ', 'K', '0', '007', '1.5', '1.', '1..2', '1.2.3', '.5', '.', '..5', '.a', '1.a', '1e5',
      '"x"', '"x', '"x\\', '"x\\"', '"x\\""', "'x'", "'x", "'x\\'", "'x\\''", '"a\'b"', '\'a"b\'', '"\\q"', '"\n"', '"', "'", '\\', '"\\',
      '/', '/*', '/**/', '/*/', '/* a */ b', '/* a', '/* a * / b', '/*/*/', '//', '*/', '$', '$a', '$_', '$1', '$$a', '$ a', '$Constants.X',
      '|', '||', '|||', '| |', '&', '&&', '&&&', '=', '==', '===', '!', '!=', '!==', '<', '<>', '<=', '<<', '<>=', '>', '>=', '>>', '=>',
      '+', '-', '*', '^', ',', '(', ')', '[', ']', '#', '@', '~', '%', '?', ':', ';', '{', '}', '`', '@@a', '@ @', '#$|a', '$|', '|$a',
      '😀', 'a😀b', '\ud800', '\udc00a', '\u00a0', '\u200b\ufeff', 'a\u3000b', '\u2028', '\u0085', '"\u00a0"', 'x\u00a0\u00a0y', '\u00a0@',
      'IF(a > 1, "x", \'y\') & TEXT(ROUND(b * 1.1, 2))', 'a.b.c', 'Account.Owner.Name', 'x["f"]', '1+-2', '!!a', 'a||b&&c',
    ];
    for (const text of cases) same(text);
  });

  it('on every pair of fragments', () => {
    for (const a of FRAGMENTS) for (const b of FRAGMENTS) same(a + b);
  });

  it('on random text', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fragmentText(40), noisy()), (text) => {
        same(text);
      }),
      { numRuns: 3000 },
    );
  });
});
