/**
 * The preview page at `/` (CONTRACT.md §4, docs/preview.md): plain HTML, CSS and ES modules served
 * by the server itself. The definition editor is bundled at build time (esbuild, scripts/build-preview.js). The page calls the /v1 API with the key the user
 * enters; its own files are public. `src/server/preview/` holds the page; its TypeScript module
 * (`locate.ts`) is compiled by the normal build and served from `dist/src/server/preview/`.
 *
 * These routes are not part of the API: they are hidden from the OpenAPI document, like `/docs`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ChannelProfiles } from '../../channels/profiles.js';
import { packagePath } from '../../package-files.js';
import type { ServerContext } from '../context.js';
import { HttpProblem } from '../problem.js';

/** The page's files: name → where it is and its media type. Nothing else is served. */
const FILES: Readonly<Record<string, { readonly dir: 'page' | 'compiled'; readonly type: string }>> = {
  'index.html': { dir: 'page', type: 'text/html; charset=utf-8' },
  'preview.css': { dir: 'page', type: 'text/css; charset=utf-8' },
  'app.js': { dir: 'page', type: 'text/javascript; charset=utf-8' },
  'page.js': { dir: 'page', type: 'text/javascript; charset=utf-8' },
  'problems.js': { dir: 'page', type: 'text/javascript; charset=utf-8' },
  'inputs.js': { dir: 'page', type: 'text/javascript; charset=utf-8' },
  'panes.js': { dir: 'page', type: 'text/javascript; charset=utf-8' },
  'update.js': { dir: 'page', type: 'text/javascript; charset=utf-8' },
  'components.js': { dir: 'page', type: 'text/javascript; charset=utf-8' },
  'session.js': { dir: 'page', type: 'text/javascript; charset=utf-8' },
  'mockup.js': { dir: 'page', type: 'text/javascript; charset=utf-8' },
  'constants-form.js': { dir: 'page', type: 'text/javascript; charset=utf-8' },
  'textarea-editor.js': { dir: 'page', type: 'text/javascript; charset=utf-8' },
  'samples.json': { dir: 'page', type: 'application/json; charset=utf-8' },
  'locate.js': { dir: 'compiled', type: 'text/javascript; charset=utf-8' },
  // The definition editor (CodeMirror 6 and src/language), bundled by scripts/build-preview.js.
  'editor.js': { dir: 'compiled', type: 'text/javascript; charset=utf-8' },
};

/**
 * Images come from the components (any https host); scripts, styles and API calls only from this
 * server. No inline script, no frames. The page (index.html) also allows the style sheets that
 * carry its per-response nonce: the CodeMirror editor adds its own styles at run time, with the
 * nonce the page gives it (`<meta name="csp-nonce">`).
 */
const csp = (nonce?: string): string =>
  `default-src 'none'; script-src 'self'; style-src 'self'${nonce !== undefined ? ` 'nonce-${nonce}'` : ''}; img-src 'self' https: http: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

function filePath(name: string): string {
  const entry = FILES[name];
  if (entry === undefined) throw new Error(`not a preview file: ${name}`);
  return entry.dir === 'page' ? packagePath('src', 'server', 'preview', name) : packagePath('dist', 'src', 'server', 'preview', name);
}

function send(reply: FastifyReply, name: string): FastifyReply {
  const entry = FILES[name];
  const path = filePath(name);
  if (entry === undefined || !existsSync(path)) {
    const hint = entry?.dir === 'compiled' ? ' (it is compiled by `npm run build`)' : '';
    throw new HttpProblem(404, 'not-found', 'Not found', `The preview page's file ${name} is missing${hint}`, [{ pointer: '', code: 'E_NOT_FOUND', message: `No file ${name}` }]);
  }
  let body: Buffer | string = readFileSync(path);
  let nonce: string | undefined;
  if (name === 'index.html') {
    nonce = randomBytes(16).toString('base64');
    body = body.toString('utf8').replaceAll('__CSP_NONCE__', nonce);
  }
  return reply
    .header('content-type', entry.type)
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', csp(nonce))
    .header('referrer-policy', 'no-referrer')
    .send(body);
}

export function previewRoutes(app: FastifyInstance, ctx: Pick<ServerContext, 'profiles'>): void {
  const hidden = { schema: { hide: true } };
  app.get('/', hidden, async (_request, reply) => send(reply, 'index.html'));
  app.get('/preview/:file', hidden, async (request, reply) => {
    const { file } = request.params as { file: string };
    if (!Object.hasOwn(FILES, file) || file === 'index.html') {
      throw new HttpProblem(404, 'not-found', 'Not found', `No preview file ${file}`, [{ pointer: '/params/file', code: 'E_NOT_FOUND', message: `No file ${file}` }]);
    }
    return send(reply, file);
  });
  // The channel types the page offers, from the server's channel profiles (public data: docs/channels.md).
  app.get('/preview/channels.json', hidden, async (_request, reply) => {
    const profiles = ctx.profiles ?? ChannelProfiles.builtin();
    const channels = profiles.all().map((p) => ({ type: p.name, label: p.label, platform: p.platform, components: Object.keys(p.components), formats: p.formats, ...(p.textLimit !== undefined ? { textLimit: p.textLimit } : {}) }));
    return reply.header('cache-control', 'no-cache').send({ channels });
  });
}
