/**
 * The messaging error codes (docs/error-codes.md): `GET /v1/error-codes` lists them,
 * `GET /v1/error-codes/{code}` describes one, so a backend can map a send failure's code to its
 * category, meaning, suggested action and retry advice. The catalog is data
 * (schemas/messaging/error-codes.json); the lookup is src/errors/error-codes.ts.
 */
import type { FastifyInstance } from 'fastify';
import { describeErrorCode, errorCodeCatalog, ErrorCodeLookupCode, listErrorCodes } from '../../messaging/error-codes.js';
import type { ServerContext } from '../context.js';
import { badRequest, HttpProblem } from '../problem.js';
import { definition, ref } from '../schemas.js';

export function errorCodeRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const CODE = definition(ctx.schemas, 'error-code', 'codePath');

  app.get(
    '/error-codes',
    {
      config: { scopes: ['admin', 'service', 'preview'] },
      schema: { summary: 'List the messaging error codes', description: 'Every code of the seed (G:6514-6569) with its category, message, meaning, suggested action and retry advice.', tags: ['error-codes'], response: { 200: ref('error-code-list'), '4xx': ref('problem') } },
    },
    async () => {
      const catalog = errorCodeCatalog();
      return { ...(catalog.appliesTo !== undefined ? { appliesTo: catalog.appliesTo } : {}), categories: catalog.categories, codes: listErrorCodes(catalog) };
    },
  );

  app.get(
    '/error-codes/:code',
    {
      config: { scopes: ['admin', 'service', 'preview'] },
      schema: {
        summary: 'Describe a messaging error code',
        description: 'The category (by the first digit, G:6525), the seed\'s message, meaning, suggested action and retry advice of a code such as 0004. 404 E_UNKNOWN_ERROR_CODE for a code the seed doesn\'t list (the message names its category); 400 E_INVALID_ERROR_CODE for anything but one to four digits.',
        tags: ['error-codes'],
        params: CODE,
        response: { 200: ref('error-code'), '4xx': ref('problem') },
      },
    },
    async (request) => {
      const { code } = request.params as { code: string };
      const r = describeErrorCode(code);
      if (r.found) return r.info;
      if (r.code === ErrorCodeLookupCode.Invalid) throw badRequest(r.message, [{ pointer: '/params/code', code: r.code, message: r.message }]);
      throw new HttpProblem(404, 'unknown-error-code', 'Not found', r.message, [{ pointer: '/params/code', code: r.code, message: r.message }]);
    },
  );
}
