/** Dynamic content in a component (src/outbound/dynamic.ts): what makes a component's content depend on the send. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dynamicParts } from '../../src/outbound/dynamic.js';

const example = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../examples/components/${name}`, import.meta.url), 'utf8'));
const pointers = (definition: unknown): string[] => dynamicParts(definition).map((p) => p.pointer);

const link = (formats: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'L', type: 'EnhancedLink', ...extra, formats });
const literal = (value: string) => ({ type: 'Literal', value });

describe('dynamicParts', () => {
  it('static components: constants, literals, constant options and list templates over constants', () => {
    expect(pointers(example('home-page-link.json'))).toEqual([]);
    expect(pointers(example('options-list.json'))).toEqual([]);
    expect(pointers(example('welcome-terms.json'))).toEqual([]);
    expect(pointers(link([{ type: 'Media', title: { type: 'Formula', formula: 'UPPER("sale") & " " & TEXT(2026)' }, url: literal('https://x.example.com'), image: literal('https://x.example.com/a.png') }]))).toEqual([]);
  });

  it('parameter bindings, formulas and templates that read $Parameters', () => {
    const parts = dynamicParts(example('case-follow-up.json'));
    expect(parts.map((p) => p.pointer)).toEqual(['/formats/0/title/formula', '/formats/0/url/formula', '/formats/1/title', '/formats/1/url/formula', '/formats/2/template']);
    expect(parts[0]?.message).toContain('$Parameters.MyCaseParam.CaseNumber');
    expect(parts[2]?.message).toContain('MyCaseParam.Subject');
    expect(parts[4]?.message).toContain('{!$Parameters.MyCaseParam.CaseNumber}');
  });

  it('dynamic options and time slots: options from $Parameters', () => {
    expect(pointers(example('open-cases.json'))).toEqual(['/formats/0/options/source', '/formats/1/options/source', '/formats/2/options/source']);
    expect(pointers(example('appointment-time.json'))).toEqual(['/formats/0/options/source', '/formats/1/options/source']);
  });

  it('list templates over parameters, or reading them', () => {
    const q = {
      name: 'Q',
      type: 'QuestionStaticOptions',
      constants: { T: { type: 'Text', value: 'Pick' } },
      parameters: { Who: { type: 'Text' } },
      listTemplates: [
        { name: 'A', source: '$Parameters.Cases', template: '{!$ListItem.Value.Name}' },
        { name: 'B', source: '$Constants.Options', template: '{!$ListItem.Value.Name} for {!$Parameters.Who}' },
      ],
      formats: [{ type: 'Text', template: '{!$Constants.T}' }],
    };
    expect(pointers(q)).toEqual(['/listTemplates/0/source', '/listTemplates/1/template']);
  });

  it('the time of sending: NOW(), TODAY(), TIMENOW() (any case)', () => {
    for (const f of ['TEXT(NOW())', 'TEXT(today())', 'IF(TIMENOW() > TIMEVALUE("12:00:00"), "pm", "am")']) {
      const parts = dynamicParts(link([{ type: 'Text', template: `Sent {!${f}}` }]));
      expect([f, parts.length, parts[0]?.message]).toEqual([f, 1, expect.stringMatching(/calls (NOW|TODAY|TIMENOW)\(\)/)]);
    }
  });

  it('an unused parameter declaration is not dynamic content; an unparsable formula counts as dynamic', () => {
    expect(pointers(link([{ type: 'Text', template: 'Hello' }], { parameters: { Unused: { type: 'Text' } } }))).toEqual([]);
    expect(pointers(link([{ type: 'Media', title: { type: 'Formula', formula: '1 +' }, url: literal('https://x.example.com'), image: literal('https://x.example.com/a.png') }]))).toEqual(['/formats/0/title/formula']);
  });

  it('never throws on odd input', () => {
    for (const v of [null, 1, 'x', [], { formats: 'no' }, { formats: [null, 1, { options: 'x' }] }, { listTemplates: [null] }]) expect(dynamicParts(v)).toEqual([]);
  });
});
