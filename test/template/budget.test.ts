/** Templates under a budget: list entries are charged, a used-up budget stops the rendering with E_BUDGET_EXCEEDED. */
import { describe, expect, it } from 'vitest';
import { Budget, compileTemplate } from '../../src/index.js';

const nested = (n: number) => {
  const items = Array.from({ length: n }, (_, i) => ({ Name: `n${i}` }));
  return {
    template: '{!$ListTemplates.A}',
    options: {
      constants: { Items: [{ Name: 'Text' }] },
      listTemplates: [
        { name: 'A', source: '$Constants.Items', template: '{!$ListTemplates.B}' },
        { name: 'B', source: '$Constants.Items', template: '{!$ListTemplates.C}' },
        { name: 'C', source: '$Constants.Items', template: '{!IF($ListItem.IsFirst, "", "")}' },
      ],
    },
    data: { constants: { Items: items } },
  };
};

describe('template budget', () => {
  it('stops list templates nested three deep at the operations budget, located on the list template', () => {
    const t = nested(1000);
    const compiled = compileTemplate(t.template, t.options);
    expect(compiled.ok).toBe(true);
    const r = compiled.render({ ...t.data, budget: { maxOperations: 100_000 } });
    expect(r.ok).toBe(false);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ code: 'E_BUDGET_EXCEEDED', origin: expect.stringMatching(/^\$ListTemplates\.[BC]$/) });
  });

  it('is an error in lenient mode too', () => {
    const t = nested(100);
    const r = compileTemplate(t.template, { ...t.options, strict: false }).render({ ...t.data, budget: { maxOperations: 1000 } });
    expect(r).toMatchObject({ ok: false, errors: [{ code: 'E_BUDGET_EXCEEDED' }] });
  });

  it('renders within the budget', () => {
    const t = nested(5);
    expect(compileTemplate(t.template, t.options).render({ ...t.data, budget: { maxOperations: 10_000 } })).toMatchObject({ ok: true, text: '' });
  });

  it('stops at the first merge field past the budget instead of failing each one', () => {
    const field = '{!LEN(SUBSTITUTE(SUBSTITUTE(LPAD("a",100000,"b"),"b","c"),"c","d"))}';
    const compiled = compileTemplate(field.repeat(400));
    const budget = new Budget({ maxOperations: 50_000 });
    const r = compiled.render({ budget });
    expect(r.ok).toBe(false);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ code: 'E_BUDGET_EXCEEDED', span: { line: 1 } });
    expect(r.errors[0]?.span.column).toBeGreaterThan(1);
  });

  it('takes the text cap from the template options, with the span of the expression', () => {
    const r = compileTemplate('Hi {!LPAD("a", 20, "b")}', { budget: { maxTextLength: 10 } }).render();
    expect(r).toMatchObject({ ok: false, errors: [{ code: 'E_TEXT_TOO_LONG', span: { line: 1, column: 6 } }] });
  });
});
