/** The Text version: a Text format's own template, or the one generated from the component (G:4582). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onListItem } from '../../src/component/text.js';
import { compileTemplate, textTemplateInput, textTemplateOf, validateComponent, type ComponentDefinition } from '../../src/index.js';
import { readJson } from '../helpers/golden.js';

const examples = new URL('../../examples/components/', import.meta.url).pathname;
const SEED_TEMPLATE = '{!$Constants.Title}{!BR()}\nSelect an option:{!BR()}\n{!$ListTemplates.OptionsList}';
const SEED_ITEM = '{!$ListItem.Index}. {!$ListItem.Value.Name}{!IF(NOT($ListItem.IsLast),BR(),"")}';
const SEED_OUTPUT = 'What do you need help with?\nSelect an option:\n1. Cancel my order\n2. Change my shipping address\n3. Change the delivery date';

function valid(def: unknown): ComponentDefinition {
  const result = validateComponent(def);
  expect(result.errors).toEqual([]);
  return result.component as ComponentDefinition;
}

function render(component: ComponentDefinition, parameters: Record<string, unknown> = {}): string {
  const input = textTemplateInput(component);
  const compiled = compileTemplate(input.source, input.options);
  expect(compiled.diagnostics).toEqual([]);
  const result = compiled.render({ constants: input.constants, parameters });
  expect(result.errors).toEqual([]);
  return result.text;
}

const seed = readJson<ComponentDefinition & { formats: unknown[] }>(join(examples, 'options-list.json'));

describe('generated Text version', () => {
  it('reproduces the seed OptionsList template and its five-line output (G:4631-4656)', () => {
    const { listTemplates: _lt, ...rest } = seed;
    const component = valid({ ...rest, formats: seed.formats.filter((f) => (f as { type: string }).type !== 'Text') });
    const text = textTemplateOf(component);
    expect(text.generated).toBe(true);
    expect(text.source).toBe(SEED_TEMPLATE);
    expect(text.listTemplates).toEqual([{ name: 'OptionsList', source: '$Constants.Options', template: SEED_ITEM }]);
    expect(render(component)).toBe(SEED_OUTPUT);
  });

  it('renames its list template when the component already has one of that name', () => {
    const component = valid({ ...seed, formats: seed.formats.filter((f) => (f as { type: string }).type !== 'Text') });
    const text = textTemplateOf(component);
    expect(text.source).toContain('{!$ListTemplates.OptionsList2}');
    expect(text.listTemplates.map((l) => l.name)).toEqual(['OptionsList', 'OptionsList2']);
    expect(render(component)).toBe(SEED_OUTPUT);
  });

  it("uses the Text format's own template when it has one, with its line-break mode", () => {
    const own = textTemplateOf(valid(seed));
    expect(own).toEqual({ source: SEED_TEMPLATE, lineBreaks: 'br', listTemplates: [{ name: 'OptionsList', source: '$Constants.Options', template: SEED_ITEM }], generated: false });
    const formats = [...seed.formats.slice(0, 2), { type: 'Text', template: '{!$Constants.Title}\nPick one.', lineBreaks: 'preserve' }];
    const component = valid({ ...seed, listTemplates: undefined, formats });
    expect(textTemplateOf(component)).toMatchObject({ generated: false, lineBreaks: 'preserve' });
    expect(render(component)).toBe('What do you need help with?\nPick one.');
  });

  it('generates the Text version where a Text format without a template sits', () => {
    const formats = [...seed.formats.slice(0, 2), { type: 'Text' }];
    const { listTemplates: _lt, ...rest } = seed;
    const component = valid({ ...rest, formats });
    expect(textTemplateOf(component).generated).toBe(true);
    expect(render(component)).toBe(SEED_OUTPUT);
  });

  it('takes the title and option titles from the first options format, evaluating option formulas per entry', () => {
    const component = valid({
      name: 'Q',
      type: 'QuestionStaticOptions',
      constants: {
        Options: { type: 'List<Option>', value: [{ Name: 'Cancel', Subtitle: 'my order' }, { Name: 'Change', Subtitle: 'the address' }] },
      },
      formats: [
        {
          type: 'Buttons',
          title: { type: 'Literal', value: 'Pick {one}\nplease' },
          options: { source: '$Constants.Options', title: { type: 'Formula', formula: 'Name & " " & Subtitle /* Name */' } },
        },
        { type: 'QuickReplies', title: { type: 'Literal', value: 'ignored' }, options: { source: '$Constants.Options' } },
      ],
    });
    const text = textTemplateOf(component);
    expect(text.source.startsWith('{!"Pick {one}\\nplease"}{!BR()}')).toBe(true);
    expect(text.listTemplates[0]?.template).toBe('{!$ListItem.Index}. {!$ListItem.Value.Name & " " & $ListItem.Value.Subtitle /* Name */}{!IF(NOT($ListItem.IsLast),BR(),"")}');
    expect(render(component)).toBe('Pick {one}\nplease\nSelect an option:\n1. Cancel my order\n2. Change the address');
  });

  it('lists time slots by the label the renderer fills in, or by an option formula over the slot', () => {
    const slots = [
      { start: '2026-11-21T10:00:00.000Z', end: '2026-11-21T11:00:00.000Z', label: '10:00 AM' },
      { start: '2026-11-21T12:00:00.000Z', end: '2026-11-21T13:00:00.000Z', label: '12:00 PM' },
    ];
    const def = {
      name: 'T',
      type: 'TimeSelector',
      parameters: { Slots: { type: 'List<TimeSlot>' } },
      formats: [{ type: 'QuickReplies', title: { type: 'Literal', value: 'When?' }, options: { source: '$Parameters.Slots' } }],
    };
    expect(render(valid(def), { Slots: slots })).toBe('When?\nSelect an option:\n1. 10:00 AM\n2. 12:00 PM');
    const withFormula = structuredClone(def) as unknown as { formats: [{ options: Record<string, unknown> }] };
    withFormula.formats[0].options['title'] = { type: 'Formula', formula: 'TEXT(start) & " to " & TEXT(end)' };
    expect(render(valid(withFormula), { Slots: slots })).toBe(
      'When?\nSelect an option:\n1. 2026-11-21 10:00:00Z to 2026-11-21 11:00:00Z\n2. 2026-11-21 12:00:00Z to 2026-11-21 13:00:00Z',
    );
  });

  it('lists dynamic options with the seed sObject formula (G:4680-4686)', () => {
    const component = valid(readJson(join(examples, 'open-cases.json')));
    const text = render(component, { Cases: [{ CaseNumber: '00001006', Subject: 'Generator assembly instructions unclear' }] });
    expect(text.split('\n')[2]).toBe('1. 00001006 - Generator assembly instructions unclear');
  });

  it('shows an enhanced link as title and URL, from the first link format', () => {
    const component = valid({
      name: 'L',
      type: 'EnhancedLink',
      parameters: { Order: { type: 'RecordId', object: 'Opportunity' } },
      formats: [
        {
          type: 'RichLink',
          title: { type: 'Parameter', name: 'Order', field: 'Name' },
          url: { type: 'Formula', formula: '"https://shop.example.com/orders/" & $Parameters.Order.Id' },
          image: { type: 'Literal', value: 'https://shop.example.com/logo.png' },
        },
        { type: 'Media', title: { type: 'Literal', value: 'ignored' }, url: { type: 'Literal', value: 'https://x.example.com' }, image: { type: 'Literal', value: 'https://x.example.com/a.png' } },
      ],
    });
    expect(textTemplateOf(component).source).toBe('{!$Parameters.Order.Name}{!BR()}\n{!"https://shop.example.com/orders/" & $Parameters.Order.Id}');
    expect(render(component, { Order: { Id: '006000000000001AAA', Name: 'Order 42' } })).toBe('Order 42\nhttps://shop.example.com/orders/006000000000001AAA');
  });

  it('shows an auto-response as its intro text (or title) and URL', () => {
    const def = {
      name: 'A',
      type: 'AutoResponse',
      formats: [{ type: 'WebPage', title: { type: 'Literal', value: 'Take our survey' }, url: { type: 'Literal', value: 'https://survey.example.com/s/1' }, display: 'Popup' }],
    };
    expect(render(valid(def))).toBe('Take our survey\nhttps://survey.example.com/s/1');
  });
});

describe('onListItem', () => {
  it('prefixes bare field references only', () => {
    expect(onListItem('CaseNumber & " - " & Subject')).toBe('$ListItem.Value.CaseNumber & " - " & $ListItem.Value.Subject');
    expect(onListItem('IF(ISBLANK(Account.Name), $Constants.Fallback, Account.Name) /* Name */')).toBe(
      'IF(ISBLANK($ListItem.Value.Account.Name), $Constants.Fallback, $ListItem.Value.Account.Name) /* Name */',
    );
    expect(onListItem('"Name"')).toBe('"Name"');
  });

  it('leaves a formula that does not parse as it is', () => {
    expect(onListItem('Name &')).toBe('Name &');
  });
});
