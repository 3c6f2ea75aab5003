/** The language service inside component definitions: formula strings in JSON (escapes!), templates, list templates, validation. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ObjectCatalog } from '../../src/catalog/catalog.js';
import { validateComponent } from '../../src/component/validate.js';
import { decodeJsonString, LanguageService, type LanguageDocument, type TextEdit } from '../../src/language/index.js';

const catalog = ObjectCatalog.builtin();
const service = new LanguageService({ catalog, validateComponent: (d) => validateComponent(d, { catalog }) });
const bare = new LanguageService({ catalog });

function apply(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

const component = (text: string): LanguageDocument => ({ kind: 'component', text });

/** A component whose options formula (over Case records) is `formula`, written as a JSON string. */
function dynamic(formula: string): string {
  return JSON.stringify(
    {
      name: 'Which_Case',
      type: 'QuestionDynamicOptions',
      constants: { Title: { type: 'Text', value: 'Which case?', description: 'The question' } },
      parameters: { Cases: { type: 'List<RecordId>', object: 'Case' } },
      formats: [{ type: 'Buttons', title: { type: 'Constant', name: 'Title' }, options: { source: '$Parameters.Cases', title: { type: 'Formula', formula } } }],
    },
    null,
    2,
  );
}

describe('JSON strings', () => {
  it('decodes escapes and keeps the document offset of every character', () => {
    const text = '"a\\"b\\\\c\\u0041\\n"';
    const d = decodeJsonString(text, 0, text.length);
    expect(d.value).toBe('a"b\\cA\n');
    expect(d.offsets).toEqual([1, 2, 4, 5, 7, 8, 14, 16]);
  });
});

describe('component documents', () => {
  it('the examples have no problems', () => {
    for (const name of ['open-cases', 'options-list', 'appointment-time', 'case-follow-up']) {
      const text = readFileSync(`examples/components/${name}.json`, 'utf8');
      const errors = service.diagnostics(component(text)).filter((d) => d.severity === 'error');
      expect(errors, name).toEqual([]);
    }
  });

  it('places a formula problem at its characters in the JSON text, after escapes', () => {
    const text = dynamic('CaseNumber & " - " & Subjct');
    const d = service.diagnostics(component(text));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: 'E_UNKNOWN_FIELD', pointer: '/formats/0/options/title/formula' });
    expect(text.slice(d[0]?.span.start, d[0]?.span.end)).toBe('Subjct');
    // The fix is applied to the JSON text and clears the problem.
    const fixed = apply(text, d[0]?.fixes[0]?.edits ?? []);
    expect(JSON.parse(fixed).formats[0].options.title.formula).toBe('CaseNumber & " - " & Subject');
    expect(service.diagnostics(component(fixed))).toEqual([]);
  });

  it('completes the option record fields, and escapes inserted picklist values', () => {
    let text = dynamic('Subj');
    let at = text.indexOf('Subj"') + 4;
    let r = service.completions(component(text), at);
    expect(r.items.some((i) => i.label === 'Subject' && i.kind === 'field')).toBe(true);
    expect(text.slice(r.replace.start, r.replace.end)).toBe('Subj');
    text = dynamic('IF(ISPICKVAL(Status, ""), "a", "b")');
    at = text.indexOf('\\"\\"') + 2;
    r = service.completions(component(text), at);
    expect(r.items.map((i) => i.label)).toEqual(['New', 'Working', 'Escalated', 'Closed']);
  });

  it('escapes inserted text for the formula string and for JSON', () => {
    const things = catalog.withObjects([{ name: 'Thing__c', fields: { Mood__c: { type: 'Picklist', values: ['Say "hi"', 'Plain'] } } }]);
    const own = new LanguageService({ catalog: things });
    const text = dynamic('IF(ISPICKVAL(Mood__c, ""), "a", "b")').replace('"Case"', '"Thing__c"');
    const at = text.indexOf('\\"\\"') + 2;
    const r = own.completions(component(text), at);
    expect(r.items.map((i) => i.label)).toEqual(['Say "hi"', 'Plain']);
    const fixed = apply(text, [{ span: r.replace, newText: r.items[0]?.insertText ?? '' }]);
    expect(JSON.parse(fixed).formats[0].options.title.formula).toBe('IF(ISPICKVAL(Mood__c, "Say \\"hi\\""), "a", "b")');
    expect(own.diagnostics(component(fixed)).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('hovers constants with their declaration, inside a Text template', () => {
    const text = JSON.stringify({ name: 'X', type: 'AutoResponse', constants: { Title: { type: 'Text', value: 'Hi', description: 'The greeting' } }, formats: [{ type: 'Text', template: 'Say {!$Constants.Title}' }] });
    const at = text.indexOf('Title}') + 2;
    const h = service.hover(component(text), at);
    expect(h?.contents).toContain('`$Constants.Title`: **Text**');
    expect(h?.contents).toContain('The greeting');
    expect(text.slice(h?.span.start, h?.span.end)).toBe('Title');
  });

  it('completes $Constants and $ListTemplates in templates, and $ListItem in list templates', () => {
    const text = readFileSync('examples/components/options-list.json', 'utf8');
    let at = text.indexOf('{!$ListTemplates.OptionsList}') + '{!$ListTemplates.'.length;
    let r = service.completions(component(text), at);
    expect(r.items.map((i) => i.label)).toEqual(['OptionsList']);
    at = text.indexOf('{!$ListItem.Value.Name}') + '{!$ListItem.Value.'.length;
    r = service.completions(component(text), at);
    expect(r.items.map((i) => i.label)).toEqual(['Name', 'Subtitle', 'Image', 'Id']);
    at = text.indexOf('{!$Constants.Title}') + '{!$Constants.'.length;
    r = service.completions(component(text), at);
    expect(r.items.map((i) => i.label)).toEqual(['Title', 'Options']);
  });

  it('reports problems inside list templates at their place', () => {
    const text = readFileSync('examples/components/options-list.json', 'utf8').replace('$ListItem.Value.Name', '$ListItem.Value.Nam');
    const d = service.diagnostics(component(text)).filter((x) => x.severity === 'error');
    expect(d).toHaveLength(1);
    expect(text.slice(d[0]?.span.start, d[0]?.span.end)).toBe('Nam');
    expect(d[0]?.pointer).toBe('/listTemplates/0/template');
  });

  it('reports JSON syntax errors, and validation problems at the value their pointer names', () => {
    const broken = service.diagnostics(component('{"name": "X", "type": }'));
    expect(broken[0]).toMatchObject({ code: 'E_INVALID_JSON' });
    const text = JSON.stringify({ name: 'X', type: 'AutoResponse', formats: [{ type: 'Buttons' }] }, null, 2);
    const d = service.diagnostics(component(text));
    const notAllowed = d.find((x) => x.code === 'E_FORMAT_NOT_ALLOWED');
    expect(notAllowed?.pointer).toBe('/formats/0/type');
    expect(text.slice(notAllowed?.span.start, notAllowed?.span.end)).toBe('"Buttons"');
    // Without a validator only formulas, templates and JSON syntax are checked.
    expect(bare.diagnostics(component(text))).toEqual([]);
  });

  it('fixes misspelled names that validation reports, in the JSON value', () => {
    const text = JSON.stringify(
      {
        name: 'X',
        type: 'QuestionDynamicOptions',
        constants: { Title: { type: 'Text', value: 'Which?' } },
        parameters: { Cases: { type: 'List<RecordId>', object: 'Cse' }, C: { type: 'RecordId', object: 'Case' } },
        formats: [{ type: 'Buttons', title: { type: 'Constant', name: 'Titel' }, options: { source: '$Parameters.Cases', title: { type: 'Parameter', name: 'C', field: 'Account.Nme' } } }],
      },
      null,
      2,
    );
    const d = service.diagnostics(component(text));
    const fix = (code: string) => d.find((x) => x.code === code)?.fixes[0];
    expect(fix('E_UNKNOWN_CONSTANT')?.title).toBe("Change 'Titel' to 'Title'");
    expect(fix('E_UNKNOWN_OBJECT')?.title).toBe("Change 'Cse' to 'Case'");
    expect(fix('E_UNKNOWN_FIELD')?.title).toBe("Change 'Nme' to 'Name'");
    const fixed = apply(text, ['E_UNKNOWN_CONSTANT', 'E_UNKNOWN_OBJECT', 'E_UNKNOWN_FIELD'].flatMap((c) => fix(c)?.edits ?? []));
    expect(JSON.parse(fixed).formats[0].options.title.field).toBe('Account.Name');
    expect(service.diagnostics(component(fixed)).filter((x) => x.severity === 'error')).toEqual([]);
  });

  it('tells which formula or template holds an offset', () => {
    const text = dynamic('CaseNumber & " - " & Subject');
    const at = text.indexOf('Subject');
    const f = service.formulaAt(component(text), at);
    expect(f).toMatchObject({ kind: 'formula', text: 'CaseNumber & " - " & Subject', pointer: '/formats/0/options/title/formula' });
    expect(text.slice(f?.span.start, f?.span.end)).toBe('CaseNumber & \\" - \\" & Subject');
    expect(service.formulaAt(component(text), text.indexOf('"name"'))).toBeUndefined();
  });

  it('offers nothing outside formula strings', () => {
    const text = dynamic('Subject');
    expect(service.completions(component(text), text.indexOf('"name"') + 2).items).toEqual([]);
    expect(service.hover(component(text), text.indexOf('"name"') + 2)).toBeUndefined();
  });
});

describe('names in component JSON', () => {
  const text = JSON.stringify(
    {
      name: 'Which_Case',
      type: 'QuestionDynamicOptions',
      constants: { Title: { type: 'Text', value: 'Which case?' } },
      parameters: { Cases: { type: 'List<RecordId>', object: 'Case' }, Current: { type: 'RecordId', object: 'Case' } },
      listTemplates: [{ name: 'L', source: '$Parameters.Ca', template: '{!$ListItem.Index}' }],
      formats: [
        { type: 'Buttons', title: { type: 'Constant', name: 'Ti' }, options: { source: '', title: { type: 'Parameter', name: 'Current', field: 'Account.Na' } } },
      ],
    },
    null,
    2,
  );
  const doc = component(text);

  it('completes binding names from the declarations', () => {
    const at = text.indexOf('"Ti"') + 3;
    const r = service.completions(doc, at);
    expect(r.items.map((i) => i.label)).toEqual(['Title']);
    expect(text.slice(r.replace.start, r.replace.end)).toBe('Ti');
  });

  it('completes a Parameter binding field path on its object', () => {
    const at = text.indexOf('Account.Na') + 'Account.Na'.length;
    const r = service.completions(doc, at);
    expect(r.items.some((i) => i.label === 'Name' && i.kind === 'field')).toBe(true);
    expect(r.items.some((i) => i.label === 'Owner' && i.kind === 'relationship')).toBe(true);
    expect(text.slice(r.replace.start, r.replace.end)).toBe('Na');
  });

  it('hovers a binding name or a list source with its declaration', () => {
    const named = service.hover(doc, text.indexOf('"Current"', text.indexOf('"Parameter"')) + 2);
    expect(named?.contents).toBe('`$Parameters.Current`: **Case record**\n\nDeclared as RecordId of Case.');
    const source = service.hover(doc, text.indexOf('$Parameters.Ca"') + 3);
    expect(source).toBeUndefined(); // Ca is not declared
    const withSource = dynamic('Subject');
    const h = service.hover(component(withSource), withSource.indexOf('$Parameters.Cases') + 3);
    expect(h?.contents).toContain('`$Parameters.Cases`: **List<Case record>**');
  });

  it('completes list sources with the list constants and parameters', () => {
    const r = service.completions(doc, text.indexOf('"source": ""') + '"source": "'.length);
    expect(r.items.map((i) => i.label)).toEqual(['$Parameters.Cases']);
    const l = service.completions(doc, text.indexOf('$Parameters.Ca"') + 5);
    expect(l.items.map((i) => i.label)).toEqual(['$Parameters.Cases']);
    expect(text.slice(l.replace.start, l.replace.end)).toBe('$Parameters.Ca');
  });
});
