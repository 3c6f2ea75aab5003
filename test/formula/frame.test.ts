/**
 * The evaluation frame: a compiled formula keeps one runtime context and sets up only what each
 * evaluation gives (src/formula/formula.ts, `enter`). Whatever the order of evaluations, each must
 * answer what a formula evaluated for the first time answers, and a kept context must hold nothing
 * of the last evaluation.
 */
import { describe, expect, it } from 'vitest';
import { Budget, compileFormula, type CompileOptions, type EvaluationContext } from '../../src/index.js';
// A small seeded generator (mulberry32), so a failure can be replayed.
import { rng } from '../differential/random.js';

const SOURCE = 'Name & "|" & TEXT(CURRENCYRATE("EUR")) & "|" & TEXT(TODAY()) & "|" & $Constants.C & "|" & $Parameters.P & "|" & TEXT(LEN(Name))';
const OPTIONS: CompileOptions = { fields: { Name: 'Text' }, constants: { C: 'Text' }, parameters: { P: 'Text' } };
const LIST_SOURCE = 'IF(ISBLANK($ListItem.Value.Name), "none", TEXT($ListItem.Index) & ". " & $ListItem.Value.Name)';
const LIST_OPTIONS: CompileOptions = { listItem: { value: { Name: 'Text' } } };

/** A random evaluation context: every part present or not, valid or not. */
function context(next: () => number): EvaluationContext {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const c: Record<string, unknown> = {};
  const maybe = (key: string, values: readonly unknown[]) => {
    if (next() < 0.5) c[key] = pick(values);
  };
  maybe('record', [{ Name: 'Ada' }, { Name: 'Grace' }, {}, null, { Name: 42 }]);
  maybe('constants', [{ C: 'c1' }, { C: 'c2' }, {}]);
  maybe('parameters', [{ P: 'p1' }, {}]);
  maybe('listItem', [{ index: 1, value: { Name: 'first' }, isFirst: true, isLast: false }, { index: 2, value: {}, isFirst: false, isLast: true }]);
  maybe('now', ['2026-11-21T23:30:00.000Z', '2026-11-22T00:30:00Z', '2026-11-21T10:00:00+02:00', Date.UTC(2026, 0, 2, 12), new Date(Date.UTC(2026, 5, 30, 23)), 'yesterday', () => Date.UTC(2030, 1, 3)]);
  maybe('timezone', ['UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Paris', 'Mars/Olympus']);
  maybe('currencyRates', [{ EUR: '0.92' }, { eur: 0.5 }, { EUR: 'bad' }]);
  maybe('budget', [{ maxOperations: 3 }, { maxTextLength: 5 }, { maxOperations: 1000 }]);
  return c as EvaluationContext;
}

describe('the evaluation frame', () => {
  it('answers every evaluation as a formula evaluated for the first time does, in any order', () => {
    const next = rng(19);
    for (const [source, options] of [
      [SOURCE, OPTIONS],
      [LIST_SOURCE, LIST_OPTIONS],
    ] as const) {
      const kept = compileFormula(source, options);
      for (let i = 0; i < 600; i++) {
        const c = context(next);
        const first = compileFormula(source, options);
        if (i % 2 === 0) expect(kept.evaluateToWire(c), JSON.stringify(c)).toEqual(first.evaluateToWire(c));
        else expect(kept.evaluate(c), JSON.stringify(c)).toEqual(first.evaluate(c));
      }
    }
  });

  it('charges a request budget only in the evaluations given it', () => {
    const f = compileFormula('UPPER(Name) & "!"', { fields: { Name: 'Text' } });
    const budget = new Budget({ maxOperations: 1000 });
    expect(f.evaluateToWire({ record: { Name: 'a' }, budget })).toEqual({ type: 'Text', value: 'A!' });
    const used = budget.operations;
    expect(used).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) expect(f.evaluateToWire({ record: { Name: 'b' } })).toEqual({ type: 'Text', value: 'B!' });
    expect(budget.operations).toBe(used);
    expect(f.evaluateToWire({ record: { Name: 'c' }, budget })).toEqual({ type: 'Text', value: 'C!' });
    expect(budget.operations).toBe(2 * used);
    // A formula compiled with a default budget gets a fresh one per evaluation, never the shared one.
    const bounded = compileFormula('UPPER(Name) & "!"', { fields: { Name: 'Text' }, budget: { maxTextLength: 2 } });
    expect(bounded.evaluateToWire({ record: { Name: 'a' } })).toEqual({ type: 'Text', value: 'A!' });
    expect(bounded.evaluateToWire({ record: { Name: 'ab' } })).toMatchObject({ error: { code: 'E_TEXT_TOO_LONG' } });
  });

  it('keeps no data of the last evaluation in its kept context', () => {
    const f = compileFormula('Name & $Constants.C & TEXT(TODAY()) & TEXT(CURRENCYRATE("EUR"))', { fields: { Name: 'Text' }, constants: { C: 'Text' } });
    const budget = new Budget();
    const record = { Name: 'x' };
    type Kept = { record: object; constants: object; parameters: object; listItem: unknown; now: unknown; budget: Budget; currencyRates: ReadonlyMap<string, unknown> };
    const kept = () => (f as unknown as { kept: Kept }).kept;
    for (const c of [
      { record, constants: { C: 'y' }, now: '2026-11-21T10:00:00Z' },
      { record, now: () => Date.UTC(2026, 0, 1), budget, currencyRates: { EUR: 2 }, timezone: 'Europe/Paris' },
      { record, now: 'bad' },
    ] as EvaluationContext[]) {
      f.evaluateToWire(c);
      const k = kept();
      expect(Object.keys(k.record)).toEqual([]);
      expect(k.record).not.toBe(record);
      expect(Object.keys(k.constants)).toEqual([]);
      expect(k.listItem).toBeUndefined();
      expect(k.now).toBeUndefined();
      expect(k.budget).not.toBe(budget);
      expect(k.currencyRates.size).toBe(0);
    }
  });
});
