/**
 * The HTTP server (CONTRACT.md §4): fastify, with request (and in checked mode response)
 * validation against `schemas/http/`, RFC 9457 problems with JSON pointers, API keys with
 * scopes, structured logs with request ids, an OpenAPI document at `/openapi.json` and a
 * browsable one at `/docs`.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { ObjectCatalog } from '../catalog/catalog.js';
import type { ChannelProfiles } from '../channels/profiles.js';
import { ChannelStore } from '../store/channels.js';
import { ComponentStore } from '../store/components.js';
import { builtinCatalog } from '../component/data.js';
import { LinkingObjects } from '../linking/objects.js';
import { InboundProcessor } from '../services/inbound.js';
import { LinkingService } from '../services/linking.js';
import type { Database } from '../store/database.js';
import { allowed, type KeyRing, type Scope } from './auth.js';
import { parameterTextProblem, registerJsonParser, unsupportedMediaType } from './body.js';
import { fastifyLogOptions } from './logging.js';
import { ajvProblems, HttpProblem, type Problem } from './problem.js';
import { channelRoutes } from './routes/channels.js';
import { componentRoutes } from './routes/components.js';
import { errorCodeRoutes } from './routes/error-codes.js';
import { objectRoutes } from './routes/objects.js';
import { sensitiveDataRoutes } from './routes/sensitive-data.js';
import { templateRoutes } from './routes/templates.js';
import { SensitiveDataStore } from '../store/sensitive-data.js';
import { formulaRoutes } from './routes/formulas.js';
import { linkingRoutes } from './routes/linking.js';
import { outboundRoutes } from './routes/outbound.js';
import { previewRoutes } from './routes/preview.js';
import { sessionRoutes } from './routes/sessions.js';
import { metadataRoutes } from './routes/metadata.js';
import { userRoutes } from './routes/users.js';
import { loadHttpSchemas, type HttpSchemas } from './schemas.js';
import { DEFAULT_LIMITS, type ServerContext, type ServerLimits } from './context.js';

export { DEFAULT_LIMITS, requestBudget, type ServerContext, type ServerLimits } from './context.js';

/**
 * The longest path parameter the router takes, percent-encoded; longer: 414. Fastify's default
 * (100) refused platform keys the schemas allow (256 characters); the schemas check the rest.
 */
const MAX_PARAM_LENGTH = 512;

export interface ServerOptions {
  readonly db: Database;
  readonly keys: KeyRing;
  /** The clock every time-based rule reads (ms since the epoch). Default: the system clock. */
  readonly clock?: () => number;
  readonly limits?: Partial<ServerLimits>;
  /** pino logger options, or false for none. Default: warn level (no line per request; `info`: one line per request), JSON lines. */
  readonly logger?: boolean | Record<string, unknown>;
  /** Validate every response against its schema, and answer 500 when one doesn't match (tests and development). */
  readonly checkResponses?: boolean;
  readonly catalog?: ObjectCatalog;
  readonly profiles?: ChannelProfiles;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scopes that may call the route; absent: the route is public. */
    scopes?: readonly Scope[];
  }
  interface FastifyInstance {
    /** The server's store and clock, for start-up tasks such as loading samples. */
    parlance: { readonly db: Database; readonly clock: () => number; readonly components: ComponentStore; readonly channels: ChannelStore };
  }
  interface FastifyRequest {
    /** The label of the API key that authenticated the request. */
    apiKey?: string;
  }
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const schemas = loadHttpSchemas();
  const app = createFastify(limits, options.logger);
  const ctx = serverContext(options, limits, schemas);

  app.decorate('parlance', { db: ctx.db, clock: ctx.clock, components: ctx.components, channels: ctx.channels });
  // JSON only (imports add CSV), depth and prototype keys checked before anything else reads it.
  registerJsonParser(app, limits.maxJsonDepth);
  for (const doc of schemas.documents.values()) app.addSchema(doc);
  app.setValidatorCompiler(({ schema }) => schemas.validator(schema));
  // Responses are written as they are: the schemas document and (in checked mode) check them,
  // they never silently drop a property.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  await registerOpenApi(app);
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => {
    await options.db.query('SELECT 1');
    return { status: 'ok' };
  });

  registerAuthentication(app, options.keys);

  if (options.checkResponses === true) checkResponses(app, schemas);

  app.setErrorHandler((error: FastifyError | HttpProblem, request, reply) => sendProblem(toProblem(error, request), request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(new HttpProblem(404, 'not-found', 'Not found', `No route ${request.method} ${request.url.split('?')[0] ?? ''}`, [{ pointer: '', code: 'E_NO_ROUTE', message: 'No such route' }]), request, reply),
  );

  await registerApi(app, ctx);
  // The preview page at / (docs/preview.md): public static files, hidden from the OpenAPI document.
  previewRoutes(app, ctx);

  closeWithServer(app, options.db);
  return app;
}

/** The fastify instance with the server's options: body limit, request ids, router limits, framework errors as problems. */
function createFastify(limits: ServerLimits, logger: ServerOptions['logger']): FastifyInstance {
  return Fastify({
    ...fastifyLogOptions(logger),
    bodyLimit: limits.bodyLimit,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    forceCloseConnections: 'idle',
    ajv: { customOptions: { strict: false } },
    // A malformed percent-encoding or an over-long path parameter is refused by the router, before
    // any hook: answer it as a problem too.
    frameworkErrors: (error, request, reply) => sendProblem(toProblem(error, request), request, reply),
  });
}

/** The API key check, for every route with scopes (a public route has none), and the parameter text check, for every route. */
function registerAuthentication(app: FastifyInstance, keys: ServerOptions['keys']): void {
  app.decorateRequest('apiKey', undefined);
  // A callback hook, not an async one: it runs on every request, and a promise per request costs
  // measurable time on the render route (bench/README.md "Server").
  // One hook for both checks every request gets (a hook stage costs per request, bench/README.md
  // "Server"): the API key, then path and query parameters with text the store can't hold (%00),
  // refused before the body is read and before any route reads them.
  app.addHook('onRequest', (request, reply, done) => {
    // Every response carries its request id (the caller's x-request-id, or a new UUID).
    reply.header('x-request-id', request.id);
    const scopes = request.routeOptions.config.scopes;
    // A route without scopes is public: /openapi.json, /docs, /healthz.
    done((scopes === undefined ? undefined : authenticate(request, scopes, keys)) ?? parameterTextProblem(request));
  });
}

/** The API's routes, under /v1. */
async function registerApi(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(async (v1) => {
    formulaRoutes(v1, ctx);
    componentRoutes(v1, ctx);
    channelRoutes(v1, ctx);
    userRoutes(v1, ctx);
    linkingRoutes(v1, ctx);
    outboundRoutes(v1, ctx);
    sessionRoutes(v1, ctx);
    metadataRoutes(v1, ctx);
    errorCodeRoutes(v1, ctx);
    objectRoutes(v1, ctx);
    sensitiveDataRoutes(v1, ctx);
    templateRoutes(v1, ctx);
  }, { prefix: '/v1' });
}

/** The store's maintenance events in the server's log, and the store closed with the server. */
function closeWithServer(app: FastifyInstance, db: ServerOptions['db']): void {
  // The embedded store's vacuum and analyze runs (src/store/maintenance.ts), in the server's log.
  const unsubscribe = db.maintenance?.subscribe((event) => {
    if ('error' in event) app.log.warn({ err: event.error }, 'store maintenance failed');
    else app.log.info({ tables: event.report.tables, ms: event.report.ms }, 'store maintenance: vacuumed and analyzed');
  });

  app.addHook('onClose', async () => {
    await db.close();
    unsubscribe?.();
  });
}

/** What the route modules share: the store, the services, the limits and schemas. */
function serverContext(options: ServerOptions, limits: ServerLimits, schemas: HttpSchemas): ServerContext {
  const channels = new ChannelStore(options.db);
  const linking = new LinkingService(options.db, LinkingObjects.from(options.catalog ?? builtinCatalog()));
  return {
    db: options.db,
    clock: options.clock ?? Date.now,
    limits,
    schemas,
    components: new ComponentStore(options.db),
    channels,
    sensitiveData: new SensitiveDataStore(options.db, options.clock ?? Date.now),
    inbound: new InboundProcessor(options.db, channels, undefined, linking),
    linking,
    ...(options.catalog !== undefined ? { catalog: options.catalog } : {}),
    ...(options.profiles !== undefined ? { profiles: options.profiles } : {}),
  };
}

/** The OpenAPI document (`/openapi.json`, `/docs`), built from the routes' schemas. */
async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Parlance API',
        version: '1',
        description: 'Formulas, templates, messaging components and their rendering per channel, consent and keywords. Errors are RFC 9457 problems. See docs/http-api.md.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>` (or the `X-API-Key` header).' } } },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String((json as { title?: string }).title ?? `schema${i}`).replace(/[^A-Za-z0-9]/g, '') },
  });
}

/** Checked mode: every response is checked against its route's schema (a mismatch is a 500 problem). */
function checkResponses(app: FastifyInstance, schemas: HttpSchemas): void {
  app.addHook('preSerialization', async (request, reply, payload) => {
    if (reply.getHeader('content-type')?.toString().includes('problem+json') === true) return payload;
    const responses = (request.routeOptions.schema?.response ?? {}) as Record<string, unknown>;
    const schema = responses[String(reply.statusCode)] ?? responses[`${String(reply.statusCode)[0]}xx`];
    if (schema === undefined) return payload;
    const validate = schemas.validator(schema);
    if (!validate(payload)) {
      request.log.error({ errors: validate.errors }, 'response does not match its schema');
      throw new HttpProblem(500, 'response-schema', 'Internal error', `The response of ${request.method} ${request.routeOptions.url} does not match its schema`, ajvProblems(validate.errors ?? []));
    }
    return payload;
  });
}

const BEARER = /^Bearer\s+/i;

/** The secret of an `Authorization: Bearer <key>` header; `Bearer` and one space, the common form, need no regular expression. */
function bearerSecret(header: string): string {
  const rest = header.charCodeAt(6) === 32 && header.charCodeAt(7) > 32 ? header.slice(7) : header.replace(BEARER, '');
  return rest.trim();
}

/** The problem that refuses the request, or undefined when its API key may call the route; sets `request.apiKey`. */
function authenticate(request: FastifyRequest, scopes: readonly Scope[], keys: KeyRing): HttpProblem | undefined {
  const header = request.headers.authorization;
  const secret = typeof header === 'string' && BEARER.test(header) ? bearerSecret(header) : typeof request.headers['x-api-key'] === 'string' ? request.headers['x-api-key'] : undefined;
  if (secret === undefined || secret === '') {
    return new HttpProblem(401, 'unauthorized', 'Authentication required', 'Send an API key: "Authorization: Bearer <key>" or "X-API-Key: <key>"', [{ pointer: '', code: 'E_UNAUTHORIZED', message: 'No API key' }]);
  }
  const key = keys.find(secret);
  if (key === undefined) return new HttpProblem(401, 'unauthorized', 'Authentication required', 'The API key is not valid', [{ pointer: '', code: 'E_UNAUTHORIZED', message: 'Unknown API key' }]);
  request.apiKey = key.label;
  if (!allowed(key.scopes, scopes)) {
    return new HttpProblem(403, 'forbidden', 'Forbidden', `The key "${key.label}" (${key.scopes.join(', ')}) may not call ${request.method} ${request.routeOptions.url}: it needs ${scopes.join(' or ')}`, [
      { pointer: '', code: 'E_FORBIDDEN', message: `Needs the scope ${scopes.join(' or ')}` },
    ]);
  }
  return undefined;
}

function toProblem(error: FastifyError | HttpProblem, request: FastifyRequest): HttpProblem {
  if (error instanceof HttpProblem) return error;
  const e = error as FastifyError & { validation?: unknown; validationContext?: string };
  if (Array.isArray(e.validation)) {
    const where = e.validationContext === 'body' ? '' : `/${e.validationContext ?? ''}`;
    const errors = ajvProblems(e.validation as never, where === '' ? '' : where);
    return new HttpProblem(400, 'invalid-request', 'The request is invalid', `The request ${e.validationContext ?? 'body'} does not match its schema (${errors.length} ${errors.length === 1 ? 'problem' : 'problems'})`, errors);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpProblem(400, 'invalid-json', 'The body is not valid JSON', e.message, [{ pointer: '', code: 'E_INVALID_JSON', message: e.message }]);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpProblem(413, 'body-too-large', 'The body is too large', e.message, [{ pointer: '', code: 'E_BODY_TOO_LARGE', message: e.message }]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType(request);
    case 'FST_ERR_BAD_URL':
      return new HttpProblem(400, 'invalid-url', 'The URL is not valid', `${e.message}: a path segment has a malformed percent-encoding`, [{ pointer: '', code: 'E_INVALID_URL', message: 'Malformed percent-encoding in the path' }]);
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new HttpProblem(414, 'parameter-too-long', 'A path parameter is too long', `A path parameter is longer than ${MAX_PARAM_LENGTH} characters`, [{ pointer: '', code: 'E_PARAMETER_TOO_LONG', message: `At most ${MAX_PARAM_LENGTH} characters per path parameter` }]);
  }
  if (e.name === 'SyntaxError') return new HttpProblem(400, 'invalid-json', 'The body is not valid JSON', e.message, [{ pointer: '', code: 'E_INVALID_JSON', message: e.message }]);
  const status = typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
  if (status === 500) request.log.error({ err: e }, 'unhandled error');
  return new HttpProblem(status, status === 500 ? 'internal' : 'request-error', status === 500 ? 'Internal error' : 'Request error', status === 500 ? 'The server failed to handle the request; the request id is in the logs' : e.message);
}

function sendProblem(problem: HttpProblem, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body: Problem = problem.toProblem(request.url, String(request.id));
  // Also for problems answered before any hook ran (a malformed path).
  return reply.status(problem.status).header('x-request-id', request.id).type('application/problem+json').send(body);
}
