/** Component validation beyond the goldens: results, warnings, catalogs, and the schema itself. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPONENT_TYPES,
  CONSTANT_TYPES,
  FORMAT_TYPES,
  ObjectCatalog,
  PARAMETER_TYPES,
  componentSchema,
  validateComponent,
  type ComponentProblem,
} from '../../src/index.js';

const Options3 = { type: 'List<Option>', value: [{ Name: 'Cancel my order' }, { Name: 'Change my shipping address' }, { Name: 'Change the delivery date' }] };
const title = { type: 'Literal', value: 'What do you need help with?' };

function staticQuestion(options: unknown, formats: unknown[]): Record<string, unknown> {
  return { name: 'Q', type: 'QuestionStaticOptions', constants: { Options: options }, formats };
}

const codes = (problems: readonly ComponentProblem[]): string[] => problems.map((p) => `${p.code} ${p.pointer}`);

describe('validateComponent', () => {
  it('returns a copy of a valid definition', () => {
    const def = staticQuestion(Options3, [{ type: 'Buttons', title, options: { source: '$Constants.Options' } }]);
    const result = validateComponent(def);
    expect(result).toEqual({ valid: true, errors: [], warnings: [], component: def });
    expect(result.component).not.toBe(def);
  });

  it('rejects documents that are not objects', () => {
    for (const doc of [null, 'Reason_for_Contact', 42, []]) {
      expect(validateComponent(doc)).toMatchObject({ valid: false, errors: [{ pointer: '', code: 'E_NOT_AN_OBJECT' }], warnings: [] });
    }
  });

  it('escapes JSON pointers', () => {
    const def = staticQuestion(Options3, [{ type: 'Buttons', title, options: { source: '$Constants.Options' } }]) as { constants: Record<string, unknown> };
    def.constants['a/b~c'] = { type: 'Text', value: 'x' };
    expect(codes(validateComponent(def).errors)).toEqual(['E_INVALID_NAME /constants/a~1b~0c']);
  });

  it('reports a problem once when both the schema and a semantic rule see it', () => {
    const def = { name: 'A', type: 'AutoResponse', formats: [{ type: 'WebPage', title, url: { type: 'Literal', value: 'example.com' } }] };
    expect(codes(validateComponent(def).errors)).toEqual(['E_INVALID_URL /formats/0/url/value']);
  });

  it('warns when static options can never fit a format', () => {
    const five = { type: 'List<Option>', value: ['a', 'b', 'c', 'd', 'e'].map((Name) => ({ Name })) };
    const r5 = validateComponent(
      staticQuestion(five, [
        { type: 'Buttons', title, options: { source: '$Constants.Options' } },
        { type: 'QuickReplies', title, options: { source: '$Constants.Options' } },
      ]),
    );
    expect(r5.valid).toBe(true);
    expect(codes(r5.warnings)).toEqual(['W_FORMAT_NEVER_FITS /formats/0']);
    expect(r5.warnings[0]?.message).toBe('Buttons shows 1 to 3 options and Options has 5: this format is always skipped');

    const two = { type: 'List<Option>', value: [{ Name: 'Yes' }, { Name: 'No' }] };
    expect(codes(validateComponent(staticQuestion(two, [{ type: 'QuickReplies', title, options: { source: '$Constants.Options' } }])).warnings)).toEqual([
      'W_FORMAT_NEVER_FITS /formats/0',
    ]);
  });

  it('warns when a Card Carousel cannot have a different image per option', () => {
    const carousel = (options: unknown, image?: unknown) =>
      validateComponent(staticQuestion(options, [{ type: 'CardCarousel', title, options: { source: '$Constants.Options', ...(image !== undefined ? { image } : {}) } }])).warnings;
    expect(codes(carousel(Options3))).toEqual(['W_FORMAT_NEVER_FITS /formats/0']);
    const withImages = { type: 'List<Option>', value: ['a', 'b'].map((n) => ({ Name: n, Image: `https://example.com/${n}.png` })) };
    expect(carousel(withImages)).toEqual([]);
    const sameImage = { type: 'List<Option>', value: ['a', 'b'].map((n) => ({ Name: n, Image: 'https://example.com/x.png' })) };
    expect(carousel(sameImage)[0]?.message).toContain('repeats one');
    expect(carousel(withImages, { type: 'Literal', value: 'https://example.com/x.png' })[0]?.message).toContain('gives every option the same image');
    expect(carousel(withImages, { type: 'Formula', formula: 'Image' })).toEqual([]);

    const dynamic = {
      name: 'D',
      type: 'QuestionDynamicOptions',
      parameters: { Cases: { type: 'List<RecordId>', object: 'Case' } },
      formats: [{ type: 'CardCarousel', title, options: { source: '$Parameters.Cases', title: { type: 'Formula', formula: 'Subject' } } }],
    };
    expect(codes(validateComponent(dynamic).warnings)).toEqual(['W_FORMAT_NEVER_FITS /formats/0']);
  });

  it('warns about options customers cannot tell apart, and about unused declarations', () => {
    const def = {
      name: 'Q',
      type: 'QuestionStaticOptions',
      constants: { Options: { type: 'List<Option>', value: [{ Name: 'Yes', Id: 'y' }, { Name: 'yes', Id: 'y2' }, { Name: 'No' }] }, Unused: { type: 'Number', value: '1.50' } },
      parameters: { Session: { type: 'RecordId', object: 'MessagingSession' } },
      listTemplates: [{ name: 'Numbered', source: '$Constants.Options', template: '{!$ListItem.Index}' }],
      formats: [{ type: 'Buttons', title, options: { source: '$Constants.Options' } }],
    };
    const result = validateComponent(def);
    expect(result.valid).toBe(true);
    expect(codes(result.warnings)).toEqual([
      'W_DUPLICATE_OPTION_NAME /constants/Options/value/1/Name',
      'W_UNUSED /constants/Unused',
      'W_UNUSED /parameters/Session',
      'W_UNUSED /listTemplates/0',
    ]);
  });

  it('locates template warnings inside the template', () => {
    const def = staticQuestion(Options3, [
      { type: 'Buttons', title, options: { source: '$Constants.Options' } },
      { type: 'Text', template: 'Hello\n{ $Constants.Options}' },
    ]);
    const result = validateComponent(def);
    expect(result.valid).toBe(true);
    expect(result.warnings).toMatchObject([{ pointer: '/formats/1/template', code: 'W_MERGE_FIELD_NEAR_MISS', line: 2, column: 1 }]);
  });

  it('checks record parameters against the catalog it is given', () => {
    const def = {
      name: 'Delivery_Choice',
      type: 'QuestionDynamicOptions',
      parameters: { Deliveries: { type: 'List<RecordId>', object: 'Delivery__c' } },
      formats: [{ type: 'Buttons', title, options: { source: '$Parameters.Deliveries', title: { type: 'Formula', formula: 'Name & " (" & TEXT(Status__c) & ")"' } } }],
    };
    expect(codes(validateComponent(def).errors)).toEqual(['E_UNKNOWN_OBJECT /parameters/Deliveries/object']);
    const catalog = ObjectCatalog.builtin().withObjects([{ name: 'Delivery__c', fields: { Id: 'Id', Name: 'Text', Status__c: 'Picklist', Eta__c: 'DateTime' } }]);
    expect(validateComponent(def, { catalog })).toMatchObject({ valid: true, errors: [] });
    const wrong = structuredClone(def);
    wrong.formats[0]!.options.title.formula = 'Name & Eta__c';
    expect(validateComponent(wrong, { catalog }).errors).toMatchObject([{ pointer: '/formats/0/options/title/formula', code: 'E_TYPE_MISMATCH', line: 1, column: 8 }]);
  });

  it('lets options formulas read constants and parameters as well as the record', () => {
    const def = {
      name: 'D',
      type: 'QuestionDynamicOptions',
      constants: { Separator: { type: 'Text', value: ' - ' } },
      parameters: { Cases: { type: 'List<RecordId>', object: 'Case' }, Contact: { type: 'RecordId', object: 'Contact' } },
      formats: [
        {
          type: 'Buttons',
          title: { type: 'Formula', formula: '"Hi " & $Parameters.Contact.FirstName' },
          options: { source: '$Parameters.Cases', title: { type: 'Formula', formula: 'CaseNumber & $Constants.Separator & Account.Name' }, id: { type: 'Formula', formula: 'Id' } },
        },
      ],
    };
    expect(validateComponent(def)).toMatchObject({ valid: true, errors: [], warnings: [] });
  });
});

describe('schemas/component.schema.json', () => {
  const schema = componentSchema() as Record<string, unknown> & { $defs: Record<string, Record<string, unknown>> };

  it('is a JSON Schema 2020-12 document with an $id', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['$id']).toBe('https://parlance.dev/schemas/component.schema.json');
  });

  it('names the same types as the TypeScript model', () => {
    const enumOf = (s: unknown): unknown => (s as { enum: unknown }).enum;
    expect(enumOf(schema.$defs['componentType'])).toEqual([...COMPONENT_TYPES]);
    expect(enumOf(schema.$defs['formatType'])).toEqual([...FORMAT_TYPES]);
    expect(enumOf((schema.$defs['constant']?.['properties'] as Record<string, unknown>)['type'])).toEqual([...CONSTANT_TYPES]);
    expect(enumOf((schema.$defs['parameter']?.['properties'] as Record<string, unknown>)['type'])).toEqual([...PARAMETER_TYPES]);
  });

  it('describes every property', () => {
    const undocumented: string[] = [];
    const described = (s: Record<string, unknown>): boolean => {
      if (typeof s['description'] === 'string' && s['description'] !== '') return true;
      const ref = s['$ref'];
      return typeof ref === 'string' && typeof schema.$defs[ref.replace('#/$defs/', '')]?.['description'] === 'string';
    };
    const walk = (s: unknown, path: string): void => {
      if (s === null || typeof s !== 'object') return;
      const props = (s as { properties?: Record<string, Record<string, unknown>> }).properties;
      for (const [name, p] of Object.entries(props ?? {})) {
        // The `if` of an if/then discriminator only tests a property described where it is declared.
        if (!described(p) && !/\/if(\/|$)/.test(path)) undocumented.push(`${path}/properties/${name}`);
      }
      for (const [k, v] of Object.entries(s)) if (k !== 'properties' && typeof v === 'object') walk(v, `${path}/${k}`);
      for (const [k, v] of Object.entries(props ?? {})) walk(v, `${path}/properties/${k}`);
    };
    walk(schema, '#');
    expect(undocumented).toEqual([]);
  });
});

describe('validateComponent on arbitrary input', () => {
  const examplesDir = new URL('../../examples/components/', import.meta.url).pathname;
  const examples = readdirSync(examplesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(examplesDir, f), 'utf8')) as unknown);

  /** Every path to a value inside a JSON document. */
  function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
    const out = [at];
    if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
    return out;
  }

  function replaced(doc: unknown, path: (string | number)[], value: unknown): unknown {
    if (path.length === 0) return value;
    const copy = structuredClone(doc) as Record<string | number, unknown>;
    let cur = copy;
    for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
    cur[path[path.length - 1] as string | number] = value;
    return copy;
  }

  it('never throws, and reports every problem with a pointer into the document', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...examples), fc.nat(), fc.oneof(fc.jsonValue(), fc.constantFrom('$Constants.Title', '$Parameters.Cases', 'Text', 'List<Option>', 'Formula', 'Name &', '{!$ListItem.Index')))
      .map(([doc, n, value]) => {
        const all = paths(doc);
        return replaced(doc, all[n % all.length] as (string | number)[], value);
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.jsonValue()), (doc) => {
        const result = validateComponent(doc);
        expect(result.valid).toBe(result.errors.length === 0);
        for (const p of [...result.errors, ...result.warnings]) {
          expect(p.pointer === '' || p.pointer.startsWith('/')).toBe(true);
          expect(p.code).toMatch(/^[EW]_[A-Z_]+$/);
          expect(p.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400 },
    );
  });
});
