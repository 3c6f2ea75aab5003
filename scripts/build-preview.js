/**
 * Bundles the preview page's editor (src/server/preview/editor/index.js: CodeMirror 6 and the
 * formula language service) with esbuild into dist/src/server/preview/editor.js, which the server
 * serves as /preview/editor.js (docs/preview.md). Run by `npm run build` and `prepare`, after tsc.
 * src/chevrotain.ts loads chevrotain's single-file build with Node's module API; the bundle uses
 * src/chevrotain-browser.ts instead (see its comment).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = resolve(root, 'dist', 'src', 'server', 'preview', 'editor.js');

/** `…/chevrotain.js` (the TypeScript sources' import of src/chevrotain.ts) → src/chevrotain-browser.ts. */
const browserChevrotain = {
  name: 'browser-chevrotain',
  setup(b) {
    b.onResolve({ filter: /\/chevrotain\.js$/ }, (args) => ({ path: resolve(args.resolveDir, args.path.replace(/\.js$/, '-browser.ts')) }));
  },
};

/**
 * Two modules of codemirror-json-schema are replaced in the bundle (its JSON mode is all the
 * definition editor uses): utils/markdown.js → src/server/preview/editor/schema-markdown.js (the
 * library's module bundles markdown-it and starts a shiki highlighter when imported; the schema's
 * texts only need `code` spans), and the JSON5 and YAML parsers → schema-other-modes.js (they
 * bring the json5 and yaml packages). docs/preview.md "How it is served" has the sizes.
 */
const schemaTrim = {
  name: 'schema-trim',
  setup(b) {
    const editorDir = resolve(root, 'src', 'server', 'preview', 'editor');
    const inLibrary = (args) => /[\\/]codemirror-json-schema[\\/]/.test(args.importer);
    b.onResolve({ filter: /\/utils\/markdown(\.js)?$/ }, (args) => (inLibrary(args) ? { path: resolve(editorDir, 'schema-markdown.js') } : undefined));
    b.onResolve({ filter: /\/(json5|yaml)-parser(\.js)?$/ }, (args) => (inLibrary(args) ? { path: resolve(editorDir, 'schema-other-modes.js') } : undefined));
  },
};

mkdirSync(dirname(outfile), { recursive: true });
const result = await build({
  entryPoints: [resolve(root, 'src', 'server', 'preview', 'editor', 'index.js')],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
  plugins: [browserChevrotain, schemaTrim],
  metafile: true,
});
// Two copies of a CodeMirror core package in one bundle break the editor (instanceof checks fail):
// refuse to write such a bundle, naming the copies (npm dedupe, or align the versions, fixes it).
for (const pkg of ['@codemirror/state', '@codemirror/view', '@codemirror/language', '@lezer/common']) {
  const copies = new Set(Object.keys(result.metafile.inputs).flatMap((f) => {
    const at = f.lastIndexOf(`node_modules/${pkg}/`);
    return at < 0 ? [] : [f.slice(0, at + `node_modules/${pkg}`.length)];
  }));
  if (copies.size > 1) throw new Error(`The preview editor bundle has ${copies.size} copies of ${pkg}: ${[...copies].join(', ')}`);
}
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
if (process.argv.includes('--verbose')) console.log(`preview editor bundle: ${outfile} (${Math.round(bytes / 1024)} KiB)`);
