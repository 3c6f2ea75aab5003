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
  plugins: [browserChevrotain],
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
if (process.argv.includes('--verbose')) console.log(`preview editor bundle: ${outfile} (${Math.round(bytes / 1024)} KiB)`);
