/** The registry equals the seed's supported list (SPEC-EXTRACT.md §3.1); everything else is rejected. */
import { describe, expect, it } from 'vitest';
import { compileFormula, createDefaultRegistry } from '../../src/index.js';
import {
  SEED_SUPPORTED_LIST,
  SEED_SYNTAX_ENTRIES,
  SEED_UNSUPPORTED_FUNCTIONS,
  SEED_UNSUPPORTED_REASON,
  seedFunctionNames,
} from '../../src/formula/registry/catalog.js';

const registry = createDefaultRegistry();

describe('registry versus the seed list', () => {
  it('has 71 seed entries, as the guide prints them', () => {
    expect(SEED_SUPPORTED_LIST).toHaveLength(71);
  });

  it('registers exactly the seed functions, no more and no fewer', () => {
    expect(registry.functionNames()).toEqual([...new Set(seedFunctionNames())].sort());
  });

  it.each(seedFunctionNames())('%s is callable (compiles to something other than E_FUNCTION_NOT_SUPPORTED)', (name) => {
    const f = compileFormula(`${name}()`);
    expect(f.diagnostics.map((d) => d.code)).not.toContain('E_FUNCTION_NOT_SUPPORTED');
  });

  it('supports the syntax entries: operators <= and &, TRUE, FALSE, NULL, literals and identifiers', () => {
    expect(Object.keys(SEED_SYNTAX_ENTRIES).every((e) => SEED_SUPPORTED_LIST.includes(e))).toBe(true);
    expect(compileFormula('1 <= 2').evaluateToWire()).toEqual({ type: 'Boolean', value: true });
    expect(compileFormula('"a" & \'b\'').evaluateToWire()).toEqual({ type: 'Text', value: 'ab' });
    expect(compileFormula('IF(true, NULL, .5)').evaluateToWire()).toEqual({ type: 'Number', value: null });
    expect(compileFormula('NOT(False)').evaluateToWire()).toEqual({ type: 'Boolean', value: true });
    expect(compileFormula('X', { fields: { X: 'Text' } }).evaluateToWire({ record: { X: 'y' } })).toEqual({ type: 'Text', value: 'y' });
  });

  it('accepts the seed spelling NULLVAL as a name on the list, implemented as NULLVALUE', () => {
    expect(seedFunctionNames()).toContain('NULLVALUE');
    expect(SEED_SUPPORTED_LIST).toContain('NULLVAL');
  });

  it('G:4703-4775 NULLVAL(x, 1), the seed\'s own spelling, compiles and evaluates as NULLVALUE (issue 18 item 8)', () => {
    const fields = { Amount: 'Number' } as const;
    for (const spelling of ['NULLVAL', 'nullval', 'NullVal']) {
      const f = compileFormula(`${spelling}(Amount, 1)`, { fields });
      expect(f.diagnostics).toEqual([]);
      expect(f.evaluateToWire({ record: { Amount: null } })).toEqual({ type: 'Number', value: '1' });
      expect(f.evaluateToWire({ record: { Amount: 5 } })).toEqual({ type: 'Number', value: '5' });
    }
    // Type errors name the call as written.
    expect(compileFormula('NULLVAL(Amount, "x")', { fields }).diagnostics[0]?.message).toContain('NULLVAL');
    // The alias is no extra function: the registered names stay the seed's implied list.
    expect(registry.functionNames()).not.toContain('NULLVAL');
    expect(registry.aliasNames().get('NULLVAL')).toBe('NULLVALUE');
  });

  it.each(SEED_UNSUPPORTED_FUNCTIONS)('%s is rejected with the seed reason', (name) => {
    const f = compileFormula(`${name}("x")`);
    expect(f.diagnostics).toMatchObject([{ code: 'E_FUNCTION_NOT_SUPPORTED', span: { start: 0, end: name.length } }]);
    expect(f.diagnostics[0]?.message).toContain(SEED_UNSUPPORTED_REASON);
  });

  it.each(['REGEX', 'ISCHANGED', 'VLOOKUP', 'PRIORVALUE', 'ISNEW', 'GETRECORDIDS', 'FOO'])('%s (on neither list) is rejected as outside the set', (name) => {
    const f = compileFormula(`${name}(1)`);
    expect(f.diagnostics).toMatchObject([{ code: 'E_FUNCTION_NOT_SUPPORTED' }]);
    expect(f.diagnostics[0]?.message).toContain('outside the messaging-component function set');
  });

  it('suggests close names', () => {
    expect(compileFormula('BLANKVALU(1, 2)').diagnostics[0]?.message).toContain('Did you mean BLANKVALUE?');
  });

  it('rejects dynamic references (DYNAMIC REF, DYNAMICREF_IDENT)', () => {
    const f = compileFormula('Account["Name"]', { fields: { Account: { Name: 'Text' } } });
    expect(f.diagnostics).toMatchObject([{ code: 'E_DYNAMIC_REFERENCE', span: { start: 7, end: 15 } }]);
  });

  it('is case-insensitive for function names', () => {
    expect(compileFormula('if(true, "a", "b")').evaluateToWire()).toEqual({ type: 'Text', value: 'a' });
  });
});
