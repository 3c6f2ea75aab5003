/** The evaluation budget (runtime/budget.ts): text cap, operations, time, one budget shared by many evaluations. */
import { describe, expect, it } from 'vitest';
import { Budget, compileFormula, DEFAULT_MAX_TEXT_LENGTH, type EvaluationResult } from '../../src/index.js';

const error = (r: EvaluationResult) => (r.ok ? undefined : r.error);

describe('the text cap', () => {
  it('defaults to the longest Salesforce text field, 131,072 characters', () => {
    expect(DEFAULT_MAX_TEXT_LENGTH).toBe(131_072);
    expect(compileFormula('LEN(LPAD("a", 131072, "b"))').evaluate()).toMatchObject({ ok: true, value: 131072 });
    expect(error(compileFormula('LEN(LPAD("a", 131073, "b"))').evaluate())).toMatchObject({ code: 'E_TEXT_TOO_LONG', span: { start: 4, end: 26 } });
  });

  it('locates the expression that would exceed it: LPAD, RPAD, SUBSTITUTE, & and UPPER', () => {
    const budget = { maxTextLength: 10 };
    const at = (source: string) => error(compileFormula(source, { budget }).evaluate());
    expect(at('LEN(RPAD("a", 11))')).toMatchObject({ code: 'E_TEXT_TOO_LONG', message: 'Text result is too long (11 characters). Maximum is 10', span: { start: 4, end: 17 } });
    expect(at('"x" & SUBSTITUTE("aaaaaa", "a", "bb")')).toMatchObject({ code: 'E_TEXT_TOO_LONG', span: { start: 6, end: 37 } });
    expect(at('"123456" & "789" & "01"')).toMatchObject({ code: 'E_TEXT_TOO_LONG', message: 'Text result is too long (11 characters). Maximum is 10', span: { start: 0, end: 23 } });
    expect(at('UPPER("ßßßßßß")')).toMatchObject({ code: 'E_TEXT_TOO_LONG', span: { start: 0, end: 15 } });
    expect(compileFormula('"123456" & "7890"', { budget }).evaluate()).toMatchObject({ ok: true, value: '1234567890' });
  });

  it('is an option of each evaluation, overriding the compile-time default', () => {
    const f = compileFormula('LPAD("a", 20, "b")', { budget: { maxTextLength: 10 } });
    expect(error(f.evaluate())).toMatchObject({ code: 'E_TEXT_TOO_LONG' });
    expect(f.evaluate({ budget: { maxTextLength: 20 } })).toMatchObject({ ok: true });
  });
});

describe('the operations budget', () => {
  it('counts the nodes of every evaluation and fails past the limit, located on the whole formula', () => {
    const f = compileFormula('1 + 2 * 3');
    expect(f.evaluate({ budget: { maxOperations: 5 } })).toMatchObject({ ok: true, value: 7 });
    expect(error(f.evaluate({ budget: { maxOperations: 4 } }))).toMatchObject({ code: 'E_BUDGET_EXCEEDED', span: { start: 0, end: 9 } });
  });

  it('is shared: one Budget object bounds many evaluations as a whole, and stays exceeded', () => {
    const budget = new Budget({ maxOperations: 10 });
    const f = compileFormula('1 + 2');
    const results = Array.from({ length: 5 }, () => f.evaluateToWire({ budget }));
    expect(results.map((r) => ('error' in r ? r.error.code : r.value))).toEqual(['3', '3', '3', 'E_BUDGET_EXCEEDED', 'E_BUDGET_EXCEEDED']);
    expect(budget.exhausted()).toBe(true);
  });

  it('charges text by its length, so building big texts runs out of operations', () => {
    const source = 'LEN(SUBSTITUTE(SUBSTITUTE(LPAD("a",100000,"b"),"b","c"),"c","d"))';
    const budget = new Budget({ maxOperations: 20_000 });
    const outcomes = Array.from({ length: 10 }, () => compileFormula(source).evaluateToWire({ budget }));
    expect(outcomes[0]).toEqual({ type: 'Number', value: '100000' });
    expect(outcomes.at(-1)).toMatchObject({ error: { code: 'E_BUDGET_EXCEEDED' } });
  });
});

describe('the time budget', () => {
  it('reads an injected clock inside the evaluator and fails past the deadline', () => {
    let now = 0;
    const budget = new Budget({ timeoutMs: 100, clock: () => now });
    const f = compileFormula('LEN(LPAD("a", 100000, "b"))');
    expect(f.evaluateToWire({ budget })).toEqual({ type: 'Number', value: '100000' });
    now = 100;
    expect(f.evaluateToWire({ budget })).toMatchObject({ error: { code: 'E_BUDGET_EXCEEDED', message: 'Evaluation took longer than its budget of 100 ms' } });
    // Once exceeded, every charge fails, even a small one.
    expect(compileFormula('1').evaluateToWire({ budget })).toMatchObject({ error: { code: 'E_BUDGET_EXCEEDED' } });
  });

  it('is checked every few thousand operations, not only between evaluations', () => {
    let reads = 0;
    const budget = new Budget({
      timeoutMs: 50,
      clock: () => {
        reads++;
        return reads > 3 ? 1_000 : 0;
      },
    });
    // One evaluation that builds a lot of text: the deadline is seen inside it.
    const r = compileFormula('LEN(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(LPAD("a",130000,"b"),"b","c"),"c","d"),"d","e"))').evaluateToWire({ budget });
    expect(r).toMatchObject({ error: { code: 'E_BUDGET_EXCEEDED' } });
  });
});
