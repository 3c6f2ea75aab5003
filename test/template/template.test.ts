import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/index.js';

const codes = (t: ReturnType<typeof compileTemplate>) => t.diagnostics.map((d) => [d.code, d.span.line, d.span.column, d.origin ?? null]);

describe('merge-field tokenizer', () => {
  it('does not close a merge field on a } inside a string or a comment', () => {
    expect(compileTemplate('[{!"}" & \'}\'}] [{! /* } */ "x"}]').render().text).toBe('[}}] [x]');
  });

  it('allows spaces after {! and before }', () => {
    expect(compileTemplate('{!  "a"  }').render().text).toBe('a');
  });

  it('reports an unterminated merge field and an empty one, with positions', () => {
    const t = compileTemplate('ok\n{! "a" \nand more');
    expect(t.ok).toBe(false);
    expect(codes(t)).toEqual([
      ['E_UNTERMINATED_MERGE_FIELD', 2, 1, null],
    ]);
    expect(codes(compileTemplate('x {!   } y'))).toEqual([['E_EMPTY_MERGE_FIELD', 1, 3, null]]);
  });

  it('warns about near misses and keeps them as text', () => {
    const t = compileTemplate('a { !BR() } b {$Constants.X} c { $Parameters.P}');
    expect(codes(t).map((c) => c[0])).toEqual(['W_MERGE_FIELD_NEAR_MISS', 'W_MERGE_FIELD_NEAR_MISS', 'W_MERGE_FIELD_NEAR_MISS']);
    expect(t.render().text).toBe('a { !BR() } b {$Constants.X} c { $Parameters.P}');
    expect(compileTemplate('{"json": true}').diagnostics).toEqual([]);
  });

  it('drops source line breaks in br mode and keeps them in preserve mode', () => {
    const src = 'a\r\nb\nc{!BR()}d';
    expect(compileTemplate(src).render().text).toBe('abc\nd');
    expect(compileTemplate(src, { lineBreaks: 'preserve' }).render().text).toBe('a\nb\nc\nd');
  });
});

describe('formula templates', () => {
  it('reports formula errors at their line and column in the template', () => {
    const t = compileTemplate('Hello\n  {!UPPER($Constants.Titel)} and {!IF(1, "a", "b")}', { constants: { Title: 'Text' } });
    expect(codes(t)).toEqual([
      ['E_UNKNOWN_FIELD', 2, 22, null],
      ['E_TYPE_MISMATCH', 2, 39, null],
    ]);
    expect(t.diagnostics[0]?.message).toBe('Constant Titel does not exist. Did you mean Title?');
  });

  it('renders every type of value', () => {
    const t = compileTemplate('{!$Parameters.N}|{!$Parameters.D}|{!$Parameters.B}|{!$Parameters.P}|{!$Parameters.Missing}', {
      parameters: { N: 'Number', D: 'Date', B: 'Boolean', P: 'Percent', Missing: 'Text' },
    });
    expect(t.render({ parameters: { N: '1357.950', D: '2026-11-21', B: true, P: 50 } }).text).toBe('1357.95|2026-11-21|true|50|');
  });

  it('lists what it reads', () => {
    const t = compileTemplate('{!$Constants.Title} {!$Parameters.Case.Subject} {!$ListTemplates.L}', {
      constants: { Title: 'Text', Items: ['Text'] },
      parameters: { Case: { Subject: 'Text' } },
      listTemplates: [{ name: 'L', source: '$Constants.Items', template: '{!$ListItem.Value}' }],
    });
    expect(t.dependencies).toEqual(['$Constants.Items', '$Constants.Title', '$ListTemplates.L', '$Parameters.Case.Subject']);
  });

  it('strict mode fails on runtime errors and locates them; lenient mode renders blank with a warning', () => {
    const src = 'x{!$Parameters.A / $Parameters.B}y';
    const options = { parameters: { A: 'Number', B: 'Number' } };
    const strict = compileTemplate(src, options).render({ parameters: { A: 1, B: 0 } });
    expect(strict).toMatchObject({ ok: false, text: 'xy', errors: [{ code: 'E_DIVISION_BY_ZERO', span: { start: 3, end: 32, line: 1, column: 4 } }] });
    const lenient = compileTemplate(src, { ...options, strict: false }).render({ parameters: { A: 1, B: 0 } });
    expect(lenient).toMatchObject({ ok: true, text: 'xy', errors: [], warnings: [{ code: 'E_DIVISION_BY_ZERO' }] });
  });

  it('rejects bad input data with a clear error', () => {
    const t = compileTemplate('{!$Parameters.N}', { parameters: { N: 'Number' } });
    expect(t.render({ parameters: { N: 'twelve' } }).errors).toMatchObject([{ code: 'E_INVALID_INPUT', message: 'Invalid input for $Parameters.N: expected a JSON number or a decimal string, received "twelve"' }]);
    expect(t.render({ timezone: 'Nowhere/Land' }).errors).toMatchObject([{ code: 'E_INVALID_INPUT' }]);
  });
});

describe('list templates', () => {
  const constants = { Title: 'Text', Options: [{ Name: 'Text' }], Tags: ['Text'] };

  it('gives $ListItem Index (1-based), Value, IsFirst and IsLast, plus constants and parameters', () => {
    const t = compileTemplate('{!$ListTemplates.L}', {
      constants,
      parameters: { Sep: 'Text' },
      listTemplates: [{ name: 'L', source: '$Constants.Options', template: '{!IF($ListItem.IsFirst, "[", "")}{!$ListItem.Index}:{!$ListItem.Value.Name}{!IF($ListItem.IsLast, "]", $Parameters.Sep)}' }],
    });
    expect(t.render({ constants: { Options: [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }] }, parameters: { Sep: ', ' } }).text).toBe('[1:a, 2:b, 3:c]');
    expect(t.render({ constants: { Options: [] } }).text).toBe('');
    expect(t.render({}).text).toBe('');
  });

  it('nests list templates', () => {
    const t = compileTemplate('{!$ListTemplates.Outer}', {
      constants,
      listTemplates: [
        { name: 'Outer', source: '$Constants.Options', template: '{!$ListItem.Value.Name}({!$ListTemplates.Inner}) ' },
        { name: 'Inner', source: '$Constants.Tags', template: '{!$ListItem.Value}' },
      ],
    });
    expect(t.render({ constants: { Options: [{ Name: 'a' }, { Name: 'b' }], Tags: ['x', 'y'] } }).text).toBe('a(xy) b(xy) ');
  });

  it('keeps the outer entry after a nested list has rendered, and renders the same data the same way twice', () => {
    const t = compileTemplate('{!$ListTemplates.Outer}', {
      constants,
      listTemplates: [
        { name: 'Outer', source: '$Constants.Options', template: '({!$ListTemplates.Inner}){!$ListItem.Index}{!$ListItem.Value.Name}{!IF($ListItem.IsLast, ".", ",")}' },
        { name: 'Inner', source: '$Constants.Tags', template: '{!$ListItem.Index}{!$ListItem.Value}{!IF($ListItem.IsFirst, "<", "")}' },
      ],
    });
    const data = { constants: { Options: [{ Name: 'a' }, { Name: 'b' }], Tags: ['x', 'y'] } };
    expect(t.render(data).text).toBe('(1x<2y)1a,(1x<2y)2b.');
    expect(t.render(data).text).toBe('(1x<2y)1a,(1x<2y)2b.');
  });

  it('rejects cycles at compile time, naming the chain', () => {
    const t = compileTemplate('{!$ListTemplates.A}', {
      constants,
      listTemplates: [
        { name: 'A', source: '$Constants.Tags', template: '{!$ListTemplates.B}' },
        { name: 'B', source: '$Constants.Tags', template: 'x{!$ListTemplates.A}' },
        { name: 'Self', source: '$Constants.Tags', template: '{!$ListTemplates.Self}' },
      ],
    });
    expect(t.ok).toBe(false);
    expect(t.diagnostics.map((d) => [d.code, d.message, d.origin])).toEqual([
      ['E_LIST_TEMPLATE_CYCLE', 'List templates may not reference themselves, directly or through other list templates: A → B → A', '$ListTemplates.B'],
      ['E_LIST_TEMPLATE_CYCLE', 'List templates may not reference themselves, directly or through other list templates: Self → Self', '$ListTemplates.Self'],
    ]);
  });

  it('reports unknown list templates and bad sources', () => {
    expect(compileTemplate('{!$ListTemplates.Nope}').diagnostics).toMatchObject([{ code: 'E_UNKNOWN_LIST_TEMPLATE', span: { column: 1 } }]);
    const t = compileTemplate('', {
      constants,
      listTemplates: [
        { name: 'A', source: '$Constants.Title', template: '' },
        { name: 'B', source: '$Constants.Nope', template: '' },
        { name: 'C', source: 'Options', template: '' },
      ],
    });
    expect(t.diagnostics.map((d) => [d.code, d.origin])).toEqual([
      ['E_INVALID_LIST_SOURCE', '$ListTemplates.A.source'],
      ['E_INVALID_LIST_SOURCE', '$ListTemplates.B.source'],
      ['E_INVALID_LIST_SOURCE', '$ListTemplates.C.source'],
    ]);
    expect(t.diagnostics[0]?.message).toBe('The source of list template A, $Constants.Title, is Text, not a list');
  });

  it('reports errors inside an item template at their position in it', () => {
    const t = compileTemplate('{!$ListTemplates.L}', { constants, listTemplates: [{ name: 'L', source: '$Constants.Options', template: 'x {!$ListItem.Value.Nam}' }] });
    expect(codes(t)).toEqual([['E_UNKNOWN_FIELD', 1, 21, '$ListTemplates.L']]);
    expect(compileTemplate('{!$ListItem.Index}').diagnostics).toMatchObject([{ code: 'E_UNKNOWN_GLOBAL' }]);
  });

  it('bounds the item count and the output size', () => {
    const options = { constants, listTemplates: [{ name: 'L', source: '$Constants.Tags', template: '{!$ListItem.Value}' }] };
    const tags = Array.from({ length: 11 }, () => 'abcdefghij');
    expect(compileTemplate('{!$ListTemplates.L}', { ...options, maxItems: 10 }).render({ constants: { Tags: tags } }).errors).toMatchObject([{ code: 'E_LIST_TOO_LONG' }]);
    const big = compileTemplate('{!$ListTemplates.L}', { ...options, maxOutputLength: 50 }).render({ constants: { Tags: tags } });
    expect(big.errors).toMatchObject([{ code: 'E_OUTPUT_TOO_LARGE' }]);
    expect(big.text.length).toBeLessThanOrEqual(50);
  });

  it('counts list output once against the output size, and keeps the text before the overflow', () => {
    const options = { constants, listTemplates: [{ name: 'L', source: '$Constants.Tags', template: '{!$ListItem.Value}' }] };
    const data = { constants: { Tags: ['abcdefghij', 'abcdefghij', 'abcdefghij'] } };
    const fits = compileTemplate('[{!$ListTemplates.L}]', { ...options, maxOutputLength: 32 }).render(data);
    expect(fits).toMatchObject({ ok: true, text: `[${'abcdefghij'.repeat(3)}]`, errors: [] });
    const over = compileTemplate('[{!$ListTemplates.L}]', { ...options, maxOutputLength: 31 }).render(data);
    expect(over).toMatchObject({ ok: false, text: `[${'abcdefghij'.repeat(3)}`, errors: [{ code: 'E_OUTPUT_TOO_LARGE' }] });
    const inList = compileTemplate('[{!$ListTemplates.L}]', { ...options, maxOutputLength: 25 }).render(data);
    expect(inList).toMatchObject({ ok: false, text: `[${'abcdefghij'.repeat(2)}`, errors: [{ code: 'E_OUTPUT_TOO_LARGE' }] });
  });
});
