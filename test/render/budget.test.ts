/** Component render under a budget: one budget for the whole render, a clear outcome, never a throw. */
import { describe, expect, it } from 'vitest';
import { Budget, compileComponent, validateComponent } from '../../src/index.js';

const heavy = 'LPAD("a", 100000, "b") & LPAD("a", 30000, "c")';

function question(optionTitle: string, names = ['Red', 'Green', 'Blue']): Record<string, unknown> {
  return {
    name: 'Q',
    type: 'QuestionStaticOptions',
    constants: { Title: { type: 'Text', value: 'Pick one' }, Options: { type: 'List<Option>', value: names.map((n) => ({ Name: n })) } },
    formats: [{ type: 'Buttons', title: { type: 'Constant', name: 'Title' }, options: { source: '$Constants.Options', title: { type: 'Formula', formula: optionTitle } } }],
  };
}

describe('component render budget', () => {
  it('fails the render with E_BUDGET_EXCEEDED, located in the formula, when the budget runs out', () => {
    const c = compileComponent(question(`LEFT(${heavy}, 10)`));
    expect(c.ok).toBe(true);
    // The Text version (rendered first) lists the option titles: it runs out there.
    const outcome = c.render({ channel: 'EmbeddedWeb' }, { budget: { maxOperations: 3000 } });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'E_BUDGET_EXCEEDED', errors: [{ code: 'E_BUDGET_EXCEEDED', line: 1 }] } });
  });

  it('shares one Budget object between renders', () => {
    const c = compileComponent(question(`LEFT(${heavy}, 3)`));
    const budget = new Budget({ maxOperations: 40_000 });
    const outcomes = Array.from({ length: 6 }, () => c.render({ channel: 'EmbeddedWeb' }, { budget }));
    expect(outcomes[0]?.ok).toBe(true);
    expect(outcomes.at(-1)).toMatchObject({ ok: false, error: { code: 'E_BUDGET_EXCEEDED' } });
  });

  it('takes default limits from the compile options; an over-long text is located in the formula', () => {
    const c = compileComponent(question(heavy), { budget: { maxTextLength: 1000 } });
    const failed = c.render({ channel: 'EmbeddedWeb' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'E_TEXT_FAILED' } });
    if (!failed.ok) expect(failed.error.errors[0]).toMatchObject({ code: 'E_TEXT_TOO_LONG', line: 1, column: 23, message: expect.stringContaining('Maximum is 1000') });
  });

  it('refuses a component with an out-of-range number literal at validation, with a pointer', () => {
    const v = validateComponent(question(`TEXT(${'9'.repeat(1002)})`));
    expect(v.valid).toBe(false);
    expect(v.errors).toContainEqual(expect.objectContaining({ pointer: '/formats/0/options/title/formula', code: 'E_NUMBER_OUT_OF_RANGE' }));
  });
});
