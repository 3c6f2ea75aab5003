/**
 * The language service can be bundled for a browser: nothing it loads at run time imports a Node
 * module, except src/chevrotain.ts, whose browser twin (src/chevrotain-browser.ts) exports the same.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/** The run-time imports of a file (type-only imports load nothing). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const node of source.statements) {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      if (ts.isImportDeclaration(node)) {
        const clause = node.importClause;
        const named = clause?.namedBindings;
        const typeOnly = clause !== undefined && (clause.isTypeOnly || (clause.name === undefined && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)));
        if (typeOnly) continue;
      } else if (node.isTypeOnly) continue;
      out.push(node.moduleSpecifier.text);
    }
  }
  return out;
}

/** Every module src/language/index.ts loads at run time: relative files, and packages by file. */
function graph(): { files: string[]; packages: Map<string, string[]> } {
  const files: string[] = [];
  const packages = new Map<string, string[]>();
  const queue = [join(root, 'src/language/index.ts')];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.includes(file)) continue;
    files.push(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) queue.push(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.set(spec, [...(packages.get(spec) ?? []), relative(root, file)]);
    }
  }
  return { files: files.map((f) => relative(root, f)), packages };
}

describe('the language service in a browser bundle', () => {
  it('loads no Node module except through src/chevrotain.ts', () => {
    const { files, packages } = graph();
    expect(files).toContain('src/formula/typecheck/typecheck.ts');
    const node = [...packages].filter(([spec]) => spec.startsWith('node:') || ['fs', 'path', 'url', 'module'].includes(spec));
    expect(node.flatMap(([, from]) => from).filter((f) => f !== 'src/chevrotain.ts')).toEqual([]);
    // Nothing that reads files: the catalog and the component schema are given, not loaded.
    expect(files.filter((f) => ['src/catalog/catalog.ts', 'src/component/schema.ts', 'src/component/validate.ts', 'src/package-files.ts'].includes(f))).toEqual([]);
  });

  it('src/chevrotain-browser.ts exports what src/chevrotain.ts exports', async () => {
    const node = await import('../../src/chevrotain.js');
    const browser = await import('../../src/chevrotain-browser.js');
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
  });
});

describe('catalogOfDefinitions', () => {
  it('types records as the object catalog does, from its definitions sent as JSON', async () => {
    const { ObjectCatalog, MAX_RELATIONSHIP_DEPTH } = await import('../../src/catalog/catalog.js');
    const { catalogOfDefinitions, RELATIONSHIP_DEPTH } = await import('../../src/language/catalog-view.js');
    expect(RELATIONSHIP_DEPTH).toBe(MAX_RELATIONSHIP_DEPTH);
    const catalog = ObjectCatalog.builtin();
    const sent = JSON.parse(JSON.stringify(catalog.names().map((n) => catalog.get(n))));
    const view = catalogOfDefinitions(sent);
    expect(view.names()).toEqual(catalog.names());
    const shape = (t: import('../../src/formula/types.js').RecordType | undefined, depth: number): unknown =>
      t === undefined
        ? undefined
        : Object.fromEntries(
            [...t.fields.values()].map((f) => [f.name, typeof f.type === 'string' ? f.type : f.type.kind === 'record' ? (depth > 0 ? shape(f.type, depth - 1) : f.type.object) : 'list']),
          );
    for (const name of catalog.names()) expect(shape(view.recordType(name), 1), name).toEqual(shape(catalog.recordType(name), 1));
    expect(view.get('case')?.fields.find((f) => f.name === 'Status')?.values).toEqual(['New', 'Working', 'Escalated', 'Closed']);
  });
});
