/**
 * Fuzzing formulas: compileFormula, evaluate and evaluateToWire never throw, whatever the formula
 * and the data; diagnostics have codes and spans; results are typed values or typed errors. Then
 * every formula of the adversarial corpus, as a regression case.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/index.js';
import { FORMULA_CASES } from './corpus.js';
import { check, collecting, params, report } from './config.js';
import { anyFormula, evaluationSettings, FORMULA_FIELDS, formulaRecord } from './generators.js';
import { checkFormula } from './invariants.js';

describe('formula fuzzing', () => {
  afterAll(() => report('formulas'));

  it('any formula over any record compiles to diagnostics or a typed result, never a throw', () => {
    fc.assert(
      fc.property(
        anyFormula,
        formulaRecord,
        evaluationSettings,
        collecting((source, record, s) => {
          checkFormula(
            source,
            { fields: FORMULA_FIELDS, ...(s.scale !== undefined ? { scale: s.scale } : {}), ...(s.returnType !== undefined ? { returnType: s.returnType } : {}) },
            { record, now: s.now, timezone: s.timezone },
          );
        }),
      ),
      params(12_000),
    );
  });
});

describe('formula corpus', () => {
  for (const c of FORMULA_CASES) {
    it(c.name, () => {
      const options = { fields: c.fields ?? FORMULA_FIELDS, ...(c.returnType !== undefined ? { returnType: c.returnType } : {}), ...(c.scale !== undefined ? { scale: c.scale } : {}) };
      const context = { record: c.record ?? {}, now: c.now ?? '2026-11-21T10:00:00Z', ...(c.timezone !== undefined ? { timezone: c.timezone } : {}) };
      const compiled = checkFormula(c.source, options, context);
      if (c.expect?.kind === 'diagnostic') {
        const { spanStart, spanEnd } = c.expect;
        expect(compiled.ok, 'does not compile').toBe(false);
        const located = compiled.diagnostics.filter((d) => d.severity === 'error' && d.span.start >= spanStart - 1 && d.span.end <= spanEnd && d.span.end > d.span.start);
        expect(located.map((d) => `${d.code} ${d.message}`), `an error located on [${spanStart}, ${spanEnd})`).not.toEqual([]);
      }
    });
  }

  it('every corpus formula is also refused or evaluated by a second compile with the same result (no state kept)', () => {
    for (const c of FORMULA_CASES.filter((x) => x.source.length < 2000 && !x.source.includes('1000000'))) {
      const a = compileFormula(c.source, { fields: c.fields ?? FORMULA_FIELDS });
      const b = compileFormula(c.source, { fields: c.fields ?? FORMULA_FIELDS });
      check(a.ok === b.ok && a.diagnostics.length === b.diagnostics.length, 'two compiles disagree', c.source);
    }
  });
});
