/** Every example in examples/components is a valid component, and together they cover every component type. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPONENT_TYPES, compileTemplate, textTemplateInput, validateComponent, type ComponentDefinition } from '../../src/index.js';
import { readJson } from '../helpers/golden.js';

const dir = new URL('../../examples/components/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

function load(file: string): ComponentDefinition {
  const result = validateComponent(readJson(join(dir, file)));
  expect(result.errors).toEqual([]);
  return result.component as ComponentDefinition;
}

/** Sample send-time parameter values for the examples. */
const PARAMETERS: Record<string, Record<string, unknown>> = {
  'case-follow-up.json': { MyCaseParam: { Id: '500000000000001AAA', CaseNumber: '00001006', Subject: 'Generator assembly instructions unclear' } },
  'open-cases.json': {
    Cases: [
      { Id: '500000000000001AAA', CaseNumber: '00001006', Subject: 'Generator assembly instructions unclear', Priority: 'High' },
      { Id: '500000000000002AAA', CaseNumber: '00001007', Subject: 'Replacement part missing', Priority: 'High' },
    ],
  },
  'pick-location.json': { Locations: [{ Id: '131000000000001AAA', Name: 'Downtown' }, { Id: '131000000000002AAA', Name: 'Airport' }] },
  'appointment-time.json': {
    Slots: [
      { start: '2026-11-21T10:00:00.000Z', end: '2026-11-21T11:00:00.000Z', label: 'Sat, Nov 21, 10:00 AM – 11:00 AM' },
      { start: '2026-11-21T12:00:00.000Z', end: '2026-11-21T13:00:00.000Z', label: 'Sat, Nov 21, 12:00 PM – 1:00 PM' },
    ],
  },
};

const EXPECTED_TEXT: Record<string, string> = {
  'options-list.json': 'What do you need help with?\nSelect an option:\n1. Cancel my order\n2. Change my shipping address\n3. Change the delivery date',
  'case-follow-up.json': 'Your reference number for this case is:\n00001006.\nThe subject of your case is: "Generator assembly instructions unclear"',
  'open-cases.json':
    'Which case are you contacting us about?\nSelect an option:\n1. 00001006 - Generator assembly instructions unclear\n2. 00001007 - Replacement part missing',
  'pick-location.json': 'Which store would you like to visit?\nSelect an option:\n1. Downtown\n2. Airport',
  'appointment-time.json': 'When would you like us to call you?\nSelect an option:\n1. Sat, Nov 21, 10:00 AM – 11:00 AM\n2. Sat, Nov 21, 12:00 PM – 1:00 PM',
  'home-page-link.json': 'Visit our help center\nhttps://help.example.com/',
  'welcome-terms.json': 'Welcome! By chatting with us you agree to our terms.\nhttps://www.example.com/legal/terms',
  'start-conversation.json': 'Hello, how can I help you today?',
  'end-conversation-survey.json': 'Thanks again for contacting us. We appreciate your business.\nhttps://www.example.com/survey',
};

describe('examples/components', () => {
  it('has an example of every component type', () => {
    const types = new Set(files.map((f) => load(f).type));
    expect([...types].sort()).toEqual([...COMPONENT_TYPES].sort());
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  for (const file of files) {
    it(`${file} is valid, without warnings`, () => {
      const result = validateComponent(readJson(join(dir, file)));
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
      expect(result.valid).toBe(true);
    });

    it(`${file} renders its Text version`, () => {
      const input = textTemplateInput(load(file));
      const compiled = compileTemplate(input.source, input.options);
      expect(compiled.diagnostics).toEqual([]);
      const result = compiled.render({ constants: input.constants, parameters: PARAMETERS[file] ?? {} });
      expect(result.errors).toEqual([]);
      expect(result.text).toBe(EXPECTED_TEXT[file]);
    });
  }

  it('the seed components are in canonical form', () => {
    const seed = load('options-list.json');
    const text = seed.formats?.find((f) => f.type === 'Text');
    // G:4634-4636 verbatim.
    expect(text).toEqual({ type: 'Text', template: '{!$Constants.Title}{!BR()}\nSelect an option:{!BR()}\n{!$ListTemplates.OptionsList}' });
    // G:4642 verbatim.
    expect(seed.listTemplates?.[0]?.template).toBe('{!$ListItem.Index}. {!$ListItem.Value.Name}{!IF(NOT($ListItem.IsLast),BR(),"")}');
    const followUp = load('case-follow-up.json');
    expect(followUp.parameters?.['MyCaseParam']).toMatchObject({ type: 'RecordId', object: 'Case' });
    const dynamic = load('open-cases.json');
    const buttons = dynamic.formats?.[0];
    expect(buttons?.type === 'Buttons' && buttons.options.title).toEqual({ type: 'Formula', formula: 'CaseNumber & " - " & Subject' });
  });
});
