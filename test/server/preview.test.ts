/**
 * The preview page's server side and its position mapping (src/server/preview/locate.ts): the
 * page's files are served at / and /preview/…, publicly and outside the OpenAPI document; JSON
 * pointers and diagnostics map to lines and columns of the edited text, through string escapes.
 * The page itself is tested in a browser: test/browser/preview.test.ts.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateComponent } from '../../src/component/validate.js';
import { locateDiagnostic, locatePointer, offsetAt, parseJsonTree, positionAt, rawOffsetInString, replaceValue, type JsonNode } from '../../src/server/preview/locate.js';
import { startServer, type TestServer } from '../helpers/server.js';

const root = (text: string): JsonNode => {
  const r = parseJsonTree(text);
  if (!r.ok) throw new Error(`not JSON: ${r.error.message}`);
  return r.root;
};

describe('parseJsonTree', () => {
  it('accepts exactly what JSON.parse accepts, on a corpus of valid and invalid texts', () => {
    const texts = [
      '{}', '[]', '0', '-0.5e+10', '"a\\u00e9\\n"', 'true', ' null ', '{"a": [1, {"b": "c"}], "a": 2}', '[1, 2, ]', '{"a": 1,}', '{a: 1}', "{'a': 1}", '01', '1.', '.5', '-', '"\t"', '"\\x41"', '"\\u12"',
      '[1 2]', '{"a" 1}', '', '  ', 'tru', 'nulls', '{"a": 1} x', '"\\ud83d\\ude00"', '[[[[]]]]', '{"":""}', '"unterminated', '1e5', '-1E-2', '[1,,2]',
    ];
    for (const text of texts) {
      let expected = true;
      try {
        JSON.parse(text);
      } catch {
        expected = false;
      }
      expect(parseJsonTree(text).ok, text).toBe(expected);
    }
  });

  it('reports a syntax error at its line and column, with a message naming what was expected', () => {
    const text = '{\n  "name": "A",\n  "label": "B"\n  "type": "Text"\n}';
    const r = parseJsonTree(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ line: 4, column: 3 });
    expect(r.error.message).toContain('expected "," or "}" after the value of "label"');
    expect(text.slice(r.error.offset, r.error.offset + 6)).toBe('"type"');
    const trailing = parseJsonTree('[\n  1,\n  2,\n]');
    expect(trailing.ok === false && trailing.error).toMatchObject({ line: 4, column: 1, message: expect.stringContaining('Trailing comma') });
    const lineBreak = parseJsonTree('{"a": "x\ny"}');
    expect(lineBreak.ok === false && lineBreak.error).toMatchObject({ line: 1, column: 9, message: expect.stringContaining('\\n') });
  });

  it('keeps the offsets of values and property names, and the decoded strings', () => {
    const text = '{"a": {"b~c/d": ["x", "y\\"z"]}}';
    const tree = root(text);
    const found = locatePointer(tree, '/a/b~0c~1d/1');
    expect(found?.missing).toEqual([]);
    expect(text.slice(found!.node.offset, found!.node.offset + found!.node.length)).toBe('"y\\"z"');
    expect(found!.node.value).toBe('y"z');
    const property = locatePointer(tree, '/a/b~0c~1d')!.property!;
    expect(text.slice(property.nameOffset, property.nameOffset + property.nameLength)).toBe('"b~c/d"');
  });
});

describe('positions', () => {
  it('positionAt and offsetAt are inverse, with \\n, \\r\\n and \\r line ends', () => {
    const text = 'ab\ncd\r\nef\rgh';
    for (let offset = 0; offset <= text.length; offset++) {
      if (text[offset - 1] === '\r' && text[offset] === '\n') continue; // inside a \r\n
      const { line, column } = positionAt(text, offset);
      expect(offsetAt(text, line, column), `offset ${offset}`).toBe(offset);
    }
    expect(positionAt(text, text.indexOf('g'))).toEqual({ line: 4, column: 1 });
    expect(offsetAt(text, 2, 99)).toBe(text.indexOf('\r'));
  });

  it('maps a position in a decoded string to the text through every kind of escape', () => {
    const decoded = 'A\n"é"\t\\/😀Z';
    const text = `{"t": ${JSON.stringify(decoded).replace('é', '\\u00e9').replace('/', '\\/').replace('😀', '\\ud83d\\ude00')}}`;
    const node = locatePointer(root(text), '/t')!.node;
    expect(node.value).toBe(decoded);
    const rawOf = (inner: number): string => text.slice(rawOffsetInString(text, node, inner));
    expect(rawOf(0).startsWith('A')).toBe(true);
    expect(rawOf(1).startsWith('\\n')).toBe(true);
    expect(rawOf(2).startsWith('\\"')).toBe(true);
    expect(rawOf(3).startsWith('\\u00e9')).toBe(true);
    expect(rawOf(7).startsWith('\\/')).toBe(true);
    expect(rawOf(decoded.indexOf('Z')).startsWith('Z')).toBe(true);
    expect(rawOf(decoded.length).startsWith('"}')).toBe(true);
  });
});

describe('locateDiagnostic', () => {
  const example = readFileSync(new URL('../../examples/components/options-list.json', import.meta.url), 'utf8');

  it('puts the validator\'s formula and template errors on the exact character of the edited text', () => {
    // The seed's Text template with a misspelt constant on its third line, and a broken formula over two lines.
    const text = example
      .replace('{!$ListTemplates.OptionsList}"', '{!$ListTemplates.OptionsList} {!$Constants.Titel}"')
      .replace('"title": { "type": "Constant", "name": "Title" }, "options"', '"title": { "type": "Formula", "formula": "LEN(\\n\\"a\\" +)" }, "options"');
    const result = validateComponent(JSON.parse(text));
    const template = result.errors.find((e) => e.code === 'E_UNKNOWN_FIELD');
    const formula = result.errors.find((e) => e.code === 'E_SYNTAX');
    expect(template).toMatchObject({ pointer: '/formats/2/template', line: 3 });
    expect(formula).toMatchObject({ pointer: '/formats/0/title/formula', line: 2 });
    const tree = root(text);
    const at = locateDiagnostic(text, tree, template!);
    expect(at.precision).toBe('inner');
    expect(text.slice(at.offset, at.offset + 5)).toBe('Titel');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('{!$Constants.Titel}')) + 1;
    expect(at).toMatchObject({ line, column: (lines[line - 1] as string).indexOf('Titel') + 1 });
    const f = locateDiagnostic(text, tree, formula!);
    expect(text.slice(f.offset, f.offset + 1)).toBe(')');
  });

  it('puts unknown properties at their name, values at their first character, missing properties at their parent', () => {
    const text = '{\n  "name": "X",\n  "formats": [\n    { "type": "Buttons", "titel": 1 }\n  ]\n}';
    const tree = root(text);
    expect(locateDiagnostic(text, tree, { pointer: '/formats/0/titel', code: 'E_UNKNOWN_PROPERTY' })).toMatchObject({ line: 4, column: 26, precision: 'name' });
    expect(locateDiagnostic(text, tree, { pointer: '/formats/0/type', code: 'E_INVALID_VALUE' })).toMatchObject({ line: 4, column: 15, precision: 'value' });
    expect(locateDiagnostic(text, tree, { pointer: '/formats/0/title', code: 'E_REQUIRED' })).toMatchObject({ line: 4, column: 5, precision: 'parent', missing: ['title'] });
    expect(locateDiagnostic(text, tree, { pointer: '', code: 'E_REQUIRED' })).toMatchObject({ line: 1, column: 1, precision: 'document' });
    expect(locateDiagnostic(text, tree, { pointer: 'nonsense' })).toMatchObject({ line: 1, column: 1, precision: 'document' });
  });
});

describe('replaceValue', () => {
  it('replaces one value, indented like its line, and keeps the rest of the text as written', () => {
    const text = '{\n  "constants": {\n    "Options": { "type": "List<Option>", "value": [ {"Name": "A"} ] },\n    "Title": {"type": "Text", "value": "Hi"}\n  }\n}';
    const next = replaceValue(text, root(text), '/constants/Options/value', [{ Name: 'A' }, { Name: 'B' }])!;
    expect(JSON.parse(next).constants.Options.value).toEqual([{ Name: 'A' }, { Name: 'B' }]);
    expect(next).toContain('    "Title": {"type": "Text", "value": "Hi"}');
    expect(next).toContain('"value": [\n      {\n        "Name": "A"\n      },');
    expect(replaceValue(text, root(text), '/constants/Nope/value', 1)).toBeUndefined();
  });
});

describe('the preview page routes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves the page at / without a key, with a content security policy', async () => {
    const r = await server.call('GET', '/', undefined, { key: null });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(String(r.body)).toContain('<title>Parlance preview</title>');
    for (const asset of String(r.body).matchAll(/(?:src|href)="(\/preview\/[^"]+)"/g)) {
      expect((await server.call('GET', asset[1] as string, undefined, { key: null })).status, asset[1]).toBe(200);
    }
  });

  it('serves its modules, the compiled one included, as JavaScript', async () => {
    for (const file of ['app.js', 'mockup.js', 'locate.js']) {
      const r = await server.call('GET', `/preview/${file}`, undefined, { key: null });
      expect(r.status, file).toBe(200);
      expect(r.headers.get('content-type'), file).toContain('text/javascript');
    }
    expect(String((await server.call('GET', '/preview/locate.js', undefined, { key: null })).body)).toContain('export function locateDiagnostic');
  });

  it('serves every module the page imports, from app.js down', async () => {
    const seen = new Set<string>();
    const queue = ['app.js'];
    while (queue.length > 0) {
      const file = queue.shift() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const r = await server.call('GET', `/preview/${file}`, undefined, { key: null });
      expect(r.status, file).toBe(200);
      expect(r.headers.get('content-type'), file).toContain('text/javascript');
      // The bundled editor is not read further: its own imports are bundled into it.
      if (file === 'editor.js') continue;
      for (const m of String(r.body).matchAll(/^import [^;]*? from '\.\/([\w-]+\.js)';$/gm)) queue.push(m[1] as string);
    }
    expect([...seen]).toEqual(expect.arrayContaining(['app.js', 'page.js', 'problems.js', 'inputs.js', 'panes.js', 'update.js', 'components.js', 'session.js', 'locate.js', 'editor.js']));
  });

  it('lists the channel types from the profiles', async () => {
    const r = await server.call('GET', '/preview/channels.json', undefined, { key: null });
    expect(r.status).toBe(200);
    expect(r.body.channels).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'FacebookEnhanced', platform: 'messenger' }), expect.objectContaining({ type: 'SmsLongCode', components: [] })]));
  });

  it('serves nothing else: unknown files and path tricks are 404 problems', async () => {
    for (const path of ['/preview/nope.js', '/preview/locate.ts', '/preview/..%2Fapp.ts', '/preview/%2e%2e%2f%2e%2e%2fpackage.json', '/preview/index.html']) {
      const r = await server.call('GET', path, undefined, { key: null });
      expect(r.status, path).toBe(404);
      expect(r.headers.get('content-type'), path).toContain('application/problem+json');
    }
  });

  it('keeps the page out of the OpenAPI document', async () => {
    const doc = (await server.call('GET', '/openapi.json', undefined, { key: null })).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/v1/'))).toEqual([]);
  });
});
