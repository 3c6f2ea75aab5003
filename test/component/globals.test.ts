/**
 * Issue 17: a component declares the Salesforce globals its formulas and templates read
 * (`globals`, typed like record fields); each render request gives their values. An unknown
 * global or a missing member is a located problem with suggestions.
 */
import { describe, expect, it } from 'vitest';
import { validateComponent } from '../../src/component/validate.js';
import { renderComponent, type RenderOutcome, type RenderResult } from '../../src/render/render.js';

function question(extra: Record<string, unknown>, title: Record<string, unknown>, optionTitle?: Record<string, unknown>): Record<string, unknown> {
  return {
    name: 'Greeting',
    type: 'QuestionStaticOptions',
    constants: { Options: { type: 'List<Option>', value: [{ Name: 'Yes' }, { Name: 'No' }] } },
    ...extra,
    formats: [
      { type: 'Buttons', title, options: { source: '$Constants.Options', ...(optionTitle !== undefined ? { title: optionTitle } : {}) } },
      { type: 'Text', template: '{!$Label.Greeting}, {!$User.FirstName}!' },
    ],
  };
}

const globals = { $User: { FirstName: 'Text', Commission_Percent__c: 'Number' }, $Label: { Greeting: 'Text' } };
const title = { type: 'Formula', formula: '$Label.Greeting & ", " & $User.FirstName' };

function ok(outcome: RenderOutcome): RenderResult {
  if (!outcome.ok) throw new Error(`render failed: ${JSON.stringify(outcome.error, null, 2)}`);
  return outcome.result;
}

describe('component globals', () => {
  it('declared globals type-check in Formula bindings, option bindings and templates', () => {
    const r = validateComponent(question({ globals }, title, { type: 'Formula', formula: 'Name & " (" & TEXT($User.Commission_Percent__c) & ")"' }));
    expect(r.errors).toEqual([]);
  });

  it('the render request gives their values: bindings, options and the Text version read them', () => {
    const def = question({ globals }, title, { type: 'Formula', formula: 'Name & " " & TEXT($User.Commission_Percent__c)' });
    const request = { channel: 'EmbeddedWeb', globals: { $User: { FirstName: 'Ada', Commission_Percent__c: '2' }, $Label: { Greeting: 'Hello' } } };
    const r = ok(renderComponent(def, request));
    expect(r.content).toMatchObject({ title: 'Hello, Ada', options: [{ title: 'Yes 2' }, { title: 'No 2' }] });
    expect(r.text).toContain('Hello, Ada!');
  });

  it('an undeclared global is E_UNKNOWN_GLOBAL at the formula, saying how to declare it', () => {
    const r = validateComponent(question({ globals: { $Label: { Greeting: 'Text' } } }, { type: 'Formula', formula: '$User.FirstName' }));
    expect(r.errors).toEqual([
      expect.objectContaining({ pointer: '/formats/0/title/formula', code: 'E_UNKNOWN_GLOBAL', line: 1, column: 1 }),
      expect.objectContaining({ pointer: '/formats/1/template', code: 'E_UNKNOWN_GLOBAL', line: 1, column: 23 }),
    ]);
    expect(r.errors[0]?.message).toContain('declare it in the component\'s "globals", such as {"$User": {"FirstName": "Text"}}');
  });

  it('a missing member is E_UNKNOWN_FIELD at the member, with a suggestion', () => {
    const r = validateComponent(question({ globals }, { type: 'Formula', formula: '$User.FristName' }));
    expect(r.errors).toEqual([expect.objectContaining({ pointer: '/formats/0/title/formula', code: 'E_UNKNOWN_FIELD', column: 7 })]);
    expect(r.errors[0]?.message).toContain('FirstName');
  });

  it('a misspelt or undeclarable global in the declaration is E_UNKNOWN_GLOBAL at its pointer, listing the declarable ones', () => {
    const r = validateComponent(question({ globals: { ...globals, $Usr: { A: 'Text' }, $Constants: { A: 'Text' } } }, title));
    expect(r.errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/globals/$Usr', 'E_UNKNOWN_GLOBAL'],
      ['/globals/$Constants', 'E_UNKNOWN_GLOBAL'],
    ]);
    expect(r.errors[0]?.message).toContain('$User');
  });

  it('a member type that does not exist is E_INVALID_VALUE', () => {
    const r = validateComponent(question({ globals: { $User: { FirstName: 'Txt' } } }, title));
    expect(r.errors[0]).toMatchObject({ pointer: '/globals/$User/FirstName', code: 'E_INVALID_VALUE' });
  });

  it('a request global the component does not declare is refused, with a suggestion', () => {
    const out = renderComponent(question({ globals }, title), { channel: 'EmbeddedWeb', globals: { $Usr: { FirstName: 'Ada' } } });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.errors).toEqual([expect.objectContaining({ pointer: '/globals/$Usr', code: 'E_UNKNOWN_PROPERTY', message: expect.stringContaining('$User') })]);
  });
});
