/** Number literals outside the range the runtime represents are compile diagnostics, never a crash. */
import { describe, expect, it } from 'vitest';
import { compileFormula, compileTemplate } from '../../src/index.js';

describe('number literal range', () => {
  it('refuses a literal with more than 34 digits before the point, with its span', () => {
    const source = `1 + ${'9'.repeat(1002)}`;
    const f = compileFormula(source);
    expect(f.ok).toBe(false);
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]).toMatchObject({ code: 'E_NUMBER_OUT_OF_RANGE', severity: 'error', span: { start: 4, end: 1006, line: 1, column: 5 } });
    expect(f.evaluate()).toMatchObject({ ok: false, error: { code: 'E_NUMBER_OUT_OF_RANGE' } });
    expect(f.evaluateToWire()).toMatchObject({ error: { code: 'E_NUMBER_OUT_OF_RANGE' } });
  });

  it('accepts 34 digits, leading zeros and long fractions', () => {
    expect(compileFormula('9'.repeat(34)).evaluateToWire()).toEqual({ type: 'Number', value: '9'.repeat(34) });
    expect(compileFormula(`000${'1'.repeat(34)}.5`).ok).toBe(true);
    expect(compileFormula(`0.${'1'.repeat(200)}`).ok).toBe(true);
    expect(compileFormula('1'.repeat(35)).diagnostics[0]).toMatchObject({ code: 'E_NUMBER_OUT_OF_RANGE', span: { start: 0, end: 35 } });
  });

  it('is a template diagnostic located in the template', () => {
    const t = compileTemplate(`Total: {!${'9'.repeat(40)}}`);
    expect(t.ok).toBe(false);
    expect(t.diagnostics[0]).toMatchObject({ code: 'E_NUMBER_OUT_OF_RANGE', span: { line: 1, column: 10 } });
  });

  it('overflowing arithmetic is a typed runtime error', () => {
    const big = '9'.repeat(34);
    const r = compileFormula(Array.from({ length: 40 }, () => big).join(' * ')).evaluateToWire();
    expect(r).toMatchObject({ error: { code: 'E_NUMBER_OUT_OF_RANGE' } });
  });
});
