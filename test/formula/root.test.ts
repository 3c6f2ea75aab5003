import { describe, expect, it } from 'vitest';
import { FormulaEngine, internalsOf } from '../../src/formula/formula.js';
import { TIER_UP_RUNS } from '../../src/formula/compile/compile.js';

// A formula's root closure (what templates and components run) charges the budget and runs the
// formula's current code: the closures, counting towards tier-up, then the generated code.
describe("a formula's root closure", () => {
  it(`counts towards tier-up (generated after ${TIER_UP_RUNS} runs) and gives the closures' results throughout`, () => {
    const formula = 'IF(Days > 20, "RED", "GREEN") & TEXT(ROUND(Amount * 1.1, 2))';
    const options = { fields: { Days: 'Number', Amount: 'Currency' } };
    const tiered = internalsOf(new FormulaEngine().compile(formula, options))!;
    const closures = internalsOf(new FormulaEngine({ codegen: 'off' }).compile(formula, options))!;
    for (let i = 0; i < TIER_UP_RUNS * 2; i++) {
      if (i === TIER_UP_RUNS - 1) expect(tiered.generatedSource()).toBeUndefined();
      const context = { record: { Days: i, Amount: i + 0.05 } };
      expect(tiered.closure(tiered.context(context))).toEqual(closures.closure(closures.context(context)));
    }
    expect(tiered.generatedSource()).toBeDefined();
    expect(closures.generatedSource()).toBeUndefined();
  });

  it("runs the generated code at once with codegen: 'always'", () => {
    const f = internalsOf(new FormulaEngine({ codegen: 'always' }).compile('Amount * 2', { fields: { Amount: 'Number' } }))!;
    expect(f.generatedSource()).toBeDefined();
    expect(f.closure(f.context({ record: { Amount: 21 } }))).toEqual(internalsOf(new FormulaEngine({ codegen: 'off' }).compile('42'))!.closure(f.context({})));
  });
});
