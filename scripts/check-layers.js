#!/usr/bin/env node
/**
 * The dependency rule of docs/architecture.md, checked over the TypeScript imports of src/:
 *
 *   transport (src/server, src/cli)
 *     -> services (src/services)
 *       -> domain (formula, template, component, catalog, channels, render, consent, outbound,
 *                  sessions, linking, language, messaging; and src/index.ts, the engine's entry point)
 *         -> store (src/store)
 *           -> shared (src/json-shape.ts, src/package-files.ts, src/chevrotain.ts and its browser twin, src/lazy-modules.ts)
 *
 * A module may import its own layer and the layers below it, never a layer above (an "upward
 * import"). Within transport, the HTTP server never imports the CLI (the CLI may start the
 * server). One exception: the store may import the domain's *types* (`import type`), as it
 * persists values whose shape the domain defines (erased at run time, they load nothing). And no
 * two modules may import each other, directly or through others (an "import circle"), type
 * imports included.
 *
 * A violation listed in KNOWN below, with its reason, is reported as known, not as a failure; the
 * list is empty. Fixing one makes its entry stale (a note asks to remove it).
 *
 *   node scripts/check-layers.js [--root DIR]
 *
 * Exits 1, printing each new violation with the rule it breaks, when there is any; else 0.
 * Run by `npm test` (scripts/checks.js); test/repo/layers.test.ts shows it failing on a fixture.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** The layers, top first. A file belongs to the first layer with a matching path or folder. */
const LAYERS = [
  { name: 'transport', dirs: ['src/server', 'src/cli'] },
  { name: 'services', files: ['src/testing.ts'], dirs: ['src/services'] },
  {
    name: 'domain',
    files: ['src/index.ts'],
    dirs: ['src/formula', 'src/template', 'src/component', 'src/catalog', 'src/channels', 'src/render', 'src/consent', 'src/outbound', 'src/sessions', 'src/linking', 'src/metadata', 'src/language', 'src/messaging'],
  },
  { name: 'store', dirs: ['src/store'] },
  { name: 'shared', files: ['src/json-shape.ts', 'src/package-files.ts', 'src/chevrotain.ts', 'src/chevrotain-browser.ts', 'src/lazy-modules.ts'] },
];

const RULE = 'Layers, top to bottom: transport (src/server, src/cli) -> services (src/services) -> domain (formula, template, component, catalog, channels, render, consent, outbound, sessions, linking, metadata, language, messaging) -> store (src/store) -> shared. A module imports its own layer or a lower one, never a higher one (the store may import domain types with `import type`); see docs/architecture.md.';
const SERVER_CLI_RULE = 'Within transport, the HTTP server (src/server) never imports the command line (src/cli): what both need is a service (src/services) or domain code; see docs/architecture.md.';
const CIRCLE_RULE = 'No import circles: two modules never import each other, directly or through other modules (type imports included). Move what both need into a module below both.';

/**
 * Accepted violations, each with its reason: none. (The nine store -> domain imports the rule
 * found when it was written went with the use cases' move into src/services/, issue 16.) An
 * upward import is `from -> to`; a circle is `circle: ` and its modules, sorted, space-separated.
 * @type {Map<string, string>}
 */
const KNOWN = new Map([]);

/** Every .ts file under `dir`, as paths relative to `root` with forward slashes. */
function sourceFiles(root, dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(join(root, d), { withFileTypes: true })) {
      const path = `${d}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}

/** The layer of a file, or undefined. */
function layerOf(file) {
  for (const [rank, layer] of LAYERS.entries()) {
    if ((layer.files ?? []).includes(file) || (layer.dirs ?? []).some((d) => file.startsWith(`${d}/`))) return { ...layer, rank };
  }
  return undefined;
}

/** The relative imports of a file: `{ specifier, typeOnly }`, from import and export declarations and `import()` calls. */
function importsOf(text, file) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const found = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      let typeOnly;
      if (ts.isImportDeclaration(node)) {
        const clause = node.importClause;
        const named = clause?.namedBindings;
        typeOnly =
          clause !== undefined &&
          (clause.isTypeOnly ||
            (clause.name === undefined && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)));
      } else {
        const clause = node.exportClause;
        typeOnly = node.isTypeOnly || (clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly));
      }
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] !== undefined && ts.isStringLiteral(node.arguments[0])) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((i) => i.specifier.startsWith('.'));
}

/** Strongly connected components of more than one file (or a file importing itself): the import circles. */
function circles(graph) {
  let index = 0;
  const state = new Map();
  const stack = [];
  const out = [];
  const connect = (v) => {
    const s = { index, low: index, onStack: true };
    index++;
    state.set(v, s);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      const t = state.get(w);
      if (t === undefined) {
        connect(w);
        s.low = Math.min(s.low, state.get(w).low);
      } else if (t.onStack) s.low = Math.min(s.low, t.index);
    }
    if (s.low === s.index) {
      const members = [];
      let w;
      do {
        w = stack.pop();
        state.get(w).onStack = false;
        members.push(w);
      } while (w !== v);
      if (members.length > 1 || (graph.get(v) ?? new Set()).has(v)) out.push(members.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!state.has(v)) connect(v);
  return out;
}

/** One path around a circle, for the message: `a -> b -> a`. */
function cyclePath(graph, members) {
  const inside = new Set(members);
  const start = members[0];
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== undefined && u !== start; u = previous.get(u)) path.splice(1, 0, u);
        return [...path, start].join(' -> ');
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return members.join(' -> ');
}

/**
 * Checks the layering of `root`'s src/. Returns `{ violations, known, stale }`: new violations
 * (each a message naming the rule), the known ones found, and KNOWN entries no longer found.
 */
export function checkLayers(root) {
  const files = sourceFiles(root, 'src');
  const violations = [];
  const found = new Set();
  const reported = new Set();
  const graph = new Map();
  for (const file of files) {
    const from = layerOf(file);
    if (from === undefined) {
      violations.push(`${file} is in no layer: put it in one of the layers' folders, or add it to LAYERS in scripts/check-layers.js.\n  Rule: ${RULE}`);
      continue;
    }
    const edges = new Set();
    graph.set(file, edges);
    for (const { specifier, typeOnly } of importsOf(readFileSync(join(root, file), 'utf8'), file)) {
      const target = relative(root, resolve(root, dirname(file), specifier)).split('\\').join('/').replace(/\.js$/, '.ts');
      if (!target.startsWith('src/')) continue;
      edges.add(target);
      if (file.startsWith('src/server/') && target.startsWith('src/cli/')) {
        violations.push(`Server imports the CLI: ${file} imports ${specifier} (${target}).\n  Rule: ${SERVER_CLI_RULE}`);
        continue;
      }
      const to = layerOf(target);
      if (to === undefined || to.rank >= from.rank) continue;
      if (typeOnly && from.name === 'store' && to.name === 'domain') continue;
      const key = `${file} -> ${target}`;
      if (found.has(key) || reported.has(key)) continue;
      if (KNOWN.has(key)) {
        found.add(key);
        continue;
      }
      reported.add(key);
      violations.push(`Upward import: ${file} (${from.name}) imports ${specifier} (${target}, ${to.name}).\n  Rule: ${RULE}`);
    }
  }
  for (const members of circles(graph)) {
    const key = `circle: ${members.join(' ')}`;
    if (KNOWN.has(key)) {
      found.add(key);
      continue;
    }
    violations.push(`Import circle: ${cyclePath(graph, members)}${members.length > 2 ? ` (${members.length} modules: ${members.join(', ')})` : ''}.\n  Rule: ${CIRCLE_RULE}`);
  }
  return { violations, known: [...found], stale: [...KNOWN.keys()].filter((k) => !found.has(k)) };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const at = process.argv.indexOf('--root');
  const root = resolve(at >= 0 ? process.argv[at + 1] ?? '.' : new URL('..', import.meta.url).pathname);
  const { violations, known, stale } = checkLayers(root);
  for (const s of stale) process.stdout.write(`Note: the known violation "${s}" is gone: remove it from KNOWN in scripts/check-layers.js.\n`);
  if (violations.length > 0) {
    process.stderr.write(`${violations.join('\n')}\n${violations.length} layering violation(s); ${known.length} known ones are listed in scripts/check-layers.js.\n`);
    process.exit(1);
  }
  process.stdout.write(`Layers: no new upward import or import circle (${known.length} known violations listed in scripts/check-layers.js).\n`);
}
