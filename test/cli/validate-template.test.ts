/**
 * End-to-end tests of `parlance validate` and `parlance template` through the real binary
 * (bin/parlance.js → dist/): run `npx tsc -p tsconfig.build.json` first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/parlance.js', import.meta.url).pathname;
const examples = new URL('../../examples/components/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'parlance-cli-'));

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

const broken = {
  name: 'Reason for Contact',
  type: 'QuestionStaticOptions',
  constants: { Title: { type: 'Text', value: 'What do you need help with?' }, Options: { type: 'List<Option>', value: [{ Name: 'Cancel my order' }] } },
  formats: [
    { type: 'Buttons', title: { type: 'Constant', name: 'Titel' }, options: { source: '$Constants.Options' } },
    { type: 'Media', title: { type: 'Constant', name: 'Title' }, url: { type: 'Literal', value: 'https://example.com' }, image: { type: 'Literal', value: 'https://example.com/a.png' } },
    { type: 'Text', template: '{!$Constants.Title}{!BR()}\n{!$Constants.Optons}' },
  ],
};

describe('parlance validate', () => {
  it('accepts every example and exits 0', () => {
    const files = readdirSync(examples).filter((f) => f.endsWith('.json')).map((f) => join(examples, f));
    const r = run(['validate', ...files]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, -1)).toEqual(files.map((f) => `${f}: valid`));
    expect(lines.at(-1)).toBe(`${files.length} files: ${files.length} valid, 0 invalid (0 errors, 0 warnings)`);
  });

  it('prints every problem with its pointer (and line and column inside templates), and exits 1', () => {
    const path = file('broken.json', broken);
    const r = run(['validate', path]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${path}: /name: E_INVALID_NAME "Reason for Contact" is not a valid name: use letters, digits and single underscores, start with a letter, do not end with an underscore, at most 80 characters`,
      `${path}: /formats/0/title/name: E_UNKNOWN_CONSTANT There is no constant named Titel. Did you mean "Title"? Declared constants: Title, Options`,
      `${path}: /formats/1/type: E_FORMAT_NOT_ALLOWED A QuestionStaticOptions component cannot use the Media format. Allowed formats: Buttons, CardCarousel, QuickReplies, Text`,
      `${path}: /formats/2/template (line 2, column 14): E_UNKNOWN_FIELD Constant Optons does not exist. Did you mean Options?`,
      '1 file: 0 valid, 1 invalid (4 errors, 0 warnings)',
    ]);
  });

  it('prints JSON with --json', () => {
    const good = join(examples, 'options-list.json');
    const bad = file('broken2.json', broken);
    const r = run(['validate', '--json', good, bad]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.valid).toBe(false);
    expect(out.files[0]).toEqual({ file: good, valid: true, errors: [], warnings: [] });
    expect(out.files[1].errors).toHaveLength(4);
    expect(out.files[1].errors[3]).toEqual({
      pointer: '/formats/2/template',
      code: 'E_UNKNOWN_FIELD',
      message: 'Constant Optons does not exist. Did you mean Options?',
      line: 2,
      column: 14,
    });
  });

  it('reports unreadable files and invalid JSON, with the line and column of the syntax error', () => {
    const json = file('not-json.json', '{\n  "name": "X",\n  "type": }\n');
    const r = run(['validate', '--json', json, join(dir, 'missing.json')]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.files[0].errors[0]).toMatchObject({ pointer: '', code: 'E_INVALID_JSON', line: 3, column: 11 });
    expect(out.files[1].errors[0]).toMatchObject({ pointer: '', code: 'E_READ_FILE' });
  });

  it('reports warnings without failing', () => {
    const def = JSON.parse(JSON.stringify(broken));
    def.name = 'Reason_for_Contact';
    def.formats = [{ type: 'Buttons', title: { type: 'Constant', name: 'Title' }, options: { source: '$Constants.Options' } }];
    def.constants.Unused = { type: 'Text', value: 'x' };
    const path = file('warn.json', def);
    const r = run(['validate', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${path}: /constants/Unused: W_UNUSED The constant Unused is not used by any format, formula or template\n${path}: valid (1 warning)\n1 file: 1 valid, 0 invalid (0 errors, 1 warning)\n`);
  });

  it('loads extra objects with --objects', () => {
    const objects = join(dir, 'objects');
    const def = {
      name: 'Delivery_Choice',
      type: 'QuestionDynamicOptions',
      parameters: { Deliveries: { type: 'List<RecordId>', object: 'Delivery__c' } },
      formats: [{ type: 'Buttons', title: { type: 'Literal', value: 'Which delivery?' }, options: { source: '$Parameters.Deliveries', title: { type: 'Formula', formula: 'Name' } } }],
    };
    const path = file('delivery.json', def);
    expect(run(['validate', path]).code).toBe(1);
    spawnSync('mkdir', ['-p', objects]);
    writeFileSync(join(objects, 'Delivery__c.json'), JSON.stringify({ name: 'Delivery__c', fields: { Id: 'Id', Name: 'Text' } }));
    expect(run(['validate', '--objects', objects, path])).toMatchObject({ code: 0 });
  });

  it('exits 2 on usage errors', () => {
    expect(run(['validate']).code).toBe(2);
    expect(run(['validate', '--nope', 'x.json']).code).toBe(2);
  });
});

describe('parlance template', () => {
  const seedTemplate = '{!$Constants.Title}{!BR()}\nSelect an option:{!BR()}\n{!$ListTemplates.OptionsList}';
  const constants = {
    Title: 'What do you need help with?',
    Options: [{ Name: 'Cancel my order' }, { Name: 'Change my shipping address', Subtitle: 'before it ships' }, { Name: 'Change the delivery date' }],
  };
  const listTemplates = [{ name: 'OptionsList', source: '$Constants.Options', template: '{!$ListItem.Index}. {!$ListItem.Value.Name}{!IF(NOT($ListItem.IsLast),BR(),"")}' }];

  it('renders the seed OptionsList example exactly (G:4652-4656)', () => {
    const t = file('options.txt', seedTemplate);
    const r = run(['template', t, '--constants', JSON.stringify(constants), '--list-templates', `@${file('lists.json', listTemplates)}`]);
    expect(r).toEqual({
      code: 0,
      stdout: 'What do you need help with?\nSelect an option:\n1. Cancel my order\n2. Change my shipping address\n3. Change the delivery date',
      stderr: '',
    });
  });

  it('reads the template from stdin and infers list item fields from every entry', () => {
    const r = run(['template', '-', '--constants', JSON.stringify(constants)], '{!$Constants.Title}: {!$Constants.Title}');
    expect(r).toMatchObject({ code: 0, stdout: 'What do you need help with?: What do you need help with?' });
    const subtitle = [{ name: 'L', source: '$Constants.Options', template: '{!$ListItem.Value.Subtitle}' }];
    expect(run(['template', '-', '--constants', JSON.stringify(constants), '--list-templates', JSON.stringify(subtitle)], '[{!$ListTemplates.L}]').stdout).toBe('[before it ships]');
  });

  it('takes parameters with declared types, the clock and the line-break mode', () => {
    const r = run(
      ['template', '-', '--parameters', '{"Due":"2026-11-30","Case":{"CaseNumber":"00001006"}}', '--parameter-types', '{"Due":"Date","Case":{"CaseNumber":"Text"}}', '--line-breaks', 'preserve', '--now', '2026-11-21T10:00:00Z'],
      'Case {!$Parameters.Case.CaseNumber}\nis due in {!$Parameters.Due - TODAY()} days',
    );
    expect(r).toMatchObject({ code: 0, stdout: 'Case 00001006\nis due in 9 days' });
  });

  it('reports located errors on stderr and exits 1', () => {
    const t = file('bad.txt', 'Hello\n{!$Constants.Titel}');
    const r = run(['template', t, '--constants', '{"Title":"x"}']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `${t}:2:14: E_UNKNOWN_FIELD Constant Titel does not exist. Did you mean Title?\n` });
    const lists = [{ name: 'L', source: '$Constants.Title', template: '{!$ListItem.Index}' }];
    const l = run(['template', '-', '--constants', '{"Title":"x"}', '--list-templates', JSON.stringify(lists)], '{!$ListTemplates.L}');
    expect(l.code).toBe(1);
    expect(l.stderr).toBe('--list-templates /0/source: E_INVALID_LIST_SOURCE The source of list template L, $Constants.Title, is Text, not a list\n');
  });

  it('renders unknown references as blank with --lenient, warning on stderr', () => {
    const r = run(['template', '-', '--lenient'], 'Hi {!$Parameters.Name}!');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Hi !');
    expect(r.stderr).toMatch(/^<stdin>:1:18: W_UNKNOWN_REFERENCE_BLANK /);
  });

  it('prints JSON with --json', () => {
    const ok = run(['template', '-', '--json', '--constants', '{"Title":"x"}'], '{!$Constants.Title}');
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, text: 'x', errors: [], warnings: [] });
    const bad = run(['template', '-', '--json'], '{!1/0}');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).errors[0]).toMatchObject({ code: 'E_DIVISION_BY_ZERO', span: { line: 1, column: 3 } });
  });

  it('rejects bad option JSON with exit 1 and bad usage with exit 2', () => {
    expect(run(['template', '-', '--constants', '{nope'], 'x')).toMatchObject({ code: 1, stderr: expect.stringContaining('--constants: E_INVALID_OPTION') });
    expect(run(['template', '-', '--list-templates', '{}'], 'x').code).toBe(1);
    expect(run(['template']).code).toBe(2);
    expect(run(['template', '-', '--line-breaks', 'keep'], 'x').code).toBe(2);
  });
});
