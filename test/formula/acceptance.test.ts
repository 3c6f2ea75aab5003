import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/index.js';

const wire = (formula: string, options = {}, context = {}) => {
  const f = compileFormula(formula, options);
  expect(f.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return f.evaluateToWire(context);
};

describe('issue 2 acceptance', () => {
  it('adds decimals exactly', () => {
    expect(wire('0.1 + 0.2')).toEqual({ type: 'Number', value: '0.3' });
  });

  it('evaluates the README example', () => {
    expect(wire('IF(Days > 20, "RED", "GREEN")', { fields: { Days: 'Number' } }, { record: { Days: 21 } })).toEqual({ type: 'Text', value: 'RED' });
  });

  it('parses 1 + 2 & "x" as (1 + 2) & "x", which is a type error', () => {
    const f = compileFormula('1 + 2 & "x"');
    expect(f.ok).toBe(false);
    expect(f.diagnostics).toMatchObject([
      { code: 'E_TYPE_MISMATCH', message: "Incorrect parameter type for operator '&'. Expected Text, received Number", span: { start: 0, end: 5, line: 1, column: 1 } },
    ]);
    expect(wire('"x" & TEXT(1 + 2)')).toEqual({ type: 'Text', value: 'x3' });
  });

  it('warns that ISNULL of text is always false', () => {
    const f = compileFormula('ISNULL(Name)', { fields: { Name: 'Text' } });
    expect(f.ok).toBe(true);
    expect(f.diagnostics).toMatchObject([{ code: 'W_ALWAYS_FALSE', severity: 'warning' }]);
  });
});
