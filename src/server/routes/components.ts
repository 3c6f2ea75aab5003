/**
 * Components: validation, versioned storage, and rendering per channel (CONTRACT.md §4), through
 * the validation and render services (src/services/validate.ts, src/services/render.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { RenderOutcome } from '../../render/types.js';
import { RenderService, renderInline } from '../../services/render.js';
import { validateDefinition } from '../../services/validate.js';
import { requestBudget, type ServerContext } from '../context.js';
import { badRequest, notFound, unprocessable, type ProblemError } from '../problem.js';
import { definition, ref } from '../schemas.js';

function located(errors: readonly { pointer: string; code: string; message: string; line?: number; column?: number }[], prefix: string): ProblemError[] {
  return errors.map((e) => ({ pointer: `${prefix}${e.pointer}`, code: e.code, message: e.message, ...(e.line !== undefined ? { line: e.line, column: e.column ?? 1 } : {}) }));
}

/** The render outcome as a response: the result, or a 422 problem locating every error in the request body. */
function answer(outcome: RenderOutcome, componentPrefix: string): unknown {
  if (outcome.ok) return outcome.result;
  const e = outcome.error;
  const prefix = e.code === 'E_INVALID_COMPONENT' || e.code === 'E_TEXT_FAILED' || e.code === 'E_TEXT_TOO_LONG' ? componentPrefix : '';
  const slug = e.code.replace(/^E_/, '').toLowerCase().replace(/_/g, '-');
  throw unprocessable(e.message, located(e.errors, prefix), slug);
}

/** The render request of a render route's body: without `version`, with `now` (the server's clock when the body has none). */
function withoutVersion(body: Record<string, unknown>, now: number): Record<string, unknown> {
  const { version: _version, ...request } = body;
  return { ...request, now: request.now ?? now };
}

export function componentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const env = componentEnv(ctx);
  registerStorage(app, ctx, env);
  registerRendering(app, ctx, env);
}

/** What the routes share, built once. */
function componentEnv(ctx: ServerContext) {
  const NAME = definition(ctx.schemas, 'parameters', 'componentPath');
  const VERSION = definition(ctx.schemas, 'parameters', 'componentQuery');
  const options = { ...(ctx.catalog !== undefined ? { catalog: ctx.catalog } : {}), ...(ctx.profiles !== undefined ? { profiles: ctx.profiles } : {}) };
  const renderer = new RenderService(ctx.components, options);
  return { NAME, VERSION, options, renderer };
}

type ComponentEnv = ReturnType<typeof componentEnv>;

/** Validation and versioned storage: validate, list, store, read, delete. */
function registerStorage(app: FastifyInstance, ctx: ServerContext, env: ComponentEnv): void {
  const { NAME, VERSION, options } = env;
  app.post(
    '/components/validate',
    {
      config: { scopes: ['admin', 'service', 'preview'] },
      schema: { summary: 'Validate a component definition', tags: ['components'], body: ref('component-definition'), response: { 200: ref('component-validation'), '4xx': ref('problem') } },
    },
    async (request) => {
      return validateDefinition(request.body, options);
    },
  );

  app.get(
    '/components',
    { config: { scopes: ['admin', 'service', 'preview'] }, schema: { summary: 'List stored components (latest versions)', tags: ['components'], response: { 200: ref('component-list'), '4xx': ref('problem') } } },
    async () => ({ components: await ctx.components.list() }),
  );

  app.put(
    '/components/:name',
    {
      config: { scopes: ['admin'] },
      schema: {
        summary: 'Store a new version of a component',
        description: 'The definition is validated first (docs/components.md); an invalid one answers 422 with every problem located in the body, and nothing is stored.',
        tags: ['components'],
        params: NAME,
        body: ref('component-definition'),
        response: { 200: ref('stored-component'), '4xx': ref('problem') },
      },
    },
    async (request) => {
      const { name } = request.params as { name: string };
      const body = request.body as Record<string, unknown>;
      if (body.name !== undefined && body.name !== name) {
        throw badRequest(`The definition's name "${String(body.name)}" differs from the name in the path "${name}"`, [{ pointer: '/name', code: 'E_NAME_MISMATCH', message: `Must be "${name}", as in the path` }]);
      }
      const definition = { ...body, name };
      const r = validateDefinition(definition, options);
      if (!r.valid) throw unprocessable(`The component definition is invalid (${r.errors.length} ${r.errors.length === 1 ? 'problem' : 'problems'})`, located(r.errors, ''), 'invalid-component');
      const stored = await ctx.components.put(name, definition, ctx.clock());
      return { ...stored, warnings: r.warnings };
    },
  );

  app.get(
    '/components/:name',
    {
      config: { scopes: ['admin', 'service', 'preview'] },
      schema: { summary: 'Read a stored component', tags: ['components'], params: NAME, querystring: VERSION, response: { 200: ref('stored-component'), '4xx': ref('problem') } },
    },
    async (request) => {
      const { name } = request.params as { name: string };
      const { version } = request.query as { version?: string };
      const stored = await ctx.components.get(name, version === undefined ? undefined : Number(version));
      if (stored === undefined) throw notFound(version === undefined ? `No component named ${name}` : `No version ${version} of the component ${name}`);
      return stored;
    },
  );

  app.delete(
    '/components/:name',
    { config: { scopes: ['admin'] }, schema: { summary: 'Delete a component (its versions stay readable by number)', tags: ['components'], params: NAME, response: { '4xx': ref('problem') } } },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      if (!(await ctx.components.delete(name, ctx.clock()))) throw notFound(`No component named ${name}`);
      return reply.status(204).send();
    },
  );
}

/** Rendering, of a stored component or an inline one. */
function registerRendering(app: FastifyInstance, ctx: ServerContext, env: ComponentEnv): void {
  const { NAME, options, renderer } = env;
  app.post(
    '/components/:name/render',
    {
      config: { scopes: ['service', 'preview'] },
      schema: {
        summary: 'Render a stored component for a channel',
        description: 'See docs/rendering.md. A request the renderer refuses (unsupported channel, bad parameters) answers 422 with every problem located in the body.',
        tags: ['render'],
        params: NAME,
        body: ref('render-request'),
        response: { 200: ref('render-result'), '4xx': ref('problem') },
      },
    },
    // Not async: with the component known (the common case) the render answers without a promise.
    (request) => {
      const { name } = request.params as { name: string };
      const body = request.body as { version?: number; now?: unknown } & Record<string, unknown>;
      const version = body.version;
      // The body is the render request as it is when it names no version and gives `now` (no copy per request).
      const renderRequest = version === undefined && body.now !== undefined ? body : withoutVersion(body, ctx.clock());
      const outcome = renderer.renderStored(name, version, renderRequest, { budget: requestBudget(ctx.limits) });
      const found = (o: RenderOutcome | undefined): unknown => {
        if (o === undefined) throw notFound(version === undefined ? `No component named ${name}` : `No version ${version} of the component ${name}`, version === undefined ? '' : '/version');
        return answer(o, '');
      };
      return outcome instanceof Promise ? outcome.then(found) : found(outcome);
    },
  );

  app.post(
    '/render',
    {
      config: { scopes: ['service', 'preview'] },
      schema: { summary: 'Render an inline component for a channel', tags: ['render'], body: ref('render-inline-request'), response: { 200: ref('render-result'), '4xx': ref('problem') } },
    },
    async (request) => {
      const { component, ...renderRequest } = request.body as { component: unknown } & Record<string, unknown>;
      return answer(renderInline(component, { ...renderRequest, now: renderRequest.now ?? ctx.clock() }, options, { budget: requestBudget(ctx.limits) }), '/component');
    },
  );
}
