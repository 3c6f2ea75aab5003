/**
 * Sensitive data rules (docs/sensitive-data.md): stored per channel type, standard channels only;
 * each rule's pattern validated when written. The rules are domain code
 * (src/messaging/sensitive-data.ts); inbound messages are masked in routes/channels.ts.
 */
import type { FastifyInstance } from 'fastify';
import { isChannelType } from '../../consent/settings.js';
import type { ChannelType } from '../../channels/profiles.js';
import { applySensitiveDataRules, validateSensitiveDataRules, type SensitiveDataRole, type SensitiveDataRule } from '../../messaging/sensitive-data.js';
import type { ServerContext } from '../context.js';
import { badRequest, notFound, unprocessable } from '../problem.js';
import { definition, ref } from '../schemas.js';

const SCHEMA = 'https://parlance.dev/schemas/http/sensitive-data-rules.schema.json';
const def = (name: string): { $ref: string } => ({ $ref: `${SCHEMA}#/$defs/${name}` });

export function sensitiveDataRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const env = sensitiveDataEnv(ctx);
  registerRules(app, ctx, env);
  registerTest(app, ctx, env);
}

/** What the routes share, built once. */
function sensitiveDataEnv(ctx: ServerContext) {
  const TYPE = definition(ctx.schemas, 'sensitive-data-rules', 'typePath');

  /** The path's channel type, known, and standard (G:3695); else a 404 or a 422 with the seed's reason. */
  const channelType = (raw: string, write: boolean): ChannelType => {
    if (!isChannelType(raw)) throw notFound(`No channel type ${raw}`, '/params/channelType');
    if (write) {
      const problems = validateSensitiveDataRules(raw, []);
      if (problems.length > 0) throw unprocessable(problems[0]?.message ?? '', problems.map((p) => ({ ...p, pointer: '/params/channelType' })), 'sensitive-data-not-supported');
    }
    return raw;
  };
  return { TYPE, channelType };
}

type SensitiveDataEnv = ReturnType<typeof sensitiveDataEnv>;

/** Stored rules: list, read, set, delete. */
function registerRules(app: FastifyInstance, ctx: ServerContext, env: SensitiveDataEnv): void {
  const { TYPE, channelType } = env;
  app.get(
    '/sensitive-data-rules',
    { config: { scopes: ['admin', 'service'] }, schema: { summary: 'List sensitive data rules', description: 'Every channel type with stored rules.', tags: ['sensitive-data'], response: { 200: def('list'), '4xx': ref('problem') } } },
    async () => ({ channelTypes: await ctx.sensitiveData.list() }),
  );

  app.get(
    '/sensitive-data-rules/:channelType',
    { config: { scopes: ['admin', 'service'] }, schema: { summary: "A channel type's sensitive data rules", tags: ['sensitive-data'], params: TYPE, response: { 200: ref('sensitive-data-rules'), '4xx': ref('problem') } } },
    async (request) => {
      const type = channelType((request.params as { channelType: string }).channelType, false);
      const stored = await ctx.sensitiveData.get(type);
      if (stored === undefined) throw notFound(`No sensitive data rules for ${type}`, '/params/channelType');
      return stored;
    },
  );

  app.put(
    '/sensitive-data-rules/:channelType',
    {
      config: { scopes: ['admin'] },
      schema: {
        summary: "Set a channel type's sensitive data rules",
        description:
          'Standard channels only (G:3695): other channel types answer 422 E_SENSITIVE_DATA_NOT_SUPPORTED with the seed\'s reason. Every pattern is compiled when written: 422 E_INVALID_PATTERN (not a JavaScript regex, or a backreference or lookaround RE2 can\'t run), E_PATTERN_MATCHES_EMPTY, E_REPLACEMENT, E_ROLES, E_DUPLICATE_NAME. 201 when created, 200 when replaced.',
        tags: ['sensitive-data'],
        params: TYPE,
        body: def('request'),
        response: { 200: ref('sensitive-data-rules'), 201: ref('sensitive-data-rules'), '4xx': ref('problem') },
      },
    },
    async (request, reply) => {
      const type = channelType((request.params as { channelType: string }).channelType, true);
      const rules = (request.body as { rules: SensitiveDataRule[] }).rules;
      const problems = validateSensitiveDataRules(type, rules);
      if (problems.length > 0) throw unprocessable(`The rules are invalid (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'})`, problems, 'invalid-sensitive-data-rules');
      const { stored, created } = await ctx.sensitiveData.put(type, rules);
      return reply.status(created ? 201 : 200).send(stored);
    },
  );

  app.delete(
    '/sensitive-data-rules/:channelType',
    { config: { scopes: ['admin'] }, schema: { summary: "Delete a channel type's sensitive data rules", tags: ['sensitive-data'], params: TYPE, response: { '4xx': ref('problem') } } },
    async (request, reply) => {
      const type = channelType((request.params as { channelType: string }).channelType, false);
      if (!(await ctx.sensitiveData.delete(type))) throw notFound(`No sensitive data rules for ${type}`, '/params/channelType');
      return reply.status(204).send();
    },
  );
}

/** `POST /v1/sensitive-data-rules/{channelType}/test`: rules tried on a text. */
function registerTest(app: FastifyInstance, ctx: ServerContext, env: SensitiveDataEnv): void {
  const { TYPE, channelType } = env;
  app.post(
    '/sensitive-data-rules/:channelType/test',
    {
      config: { scopes: ['admin', 'service'] },
      schema: {
        summary: 'Try sensitive data rules on a text',
        description: 'Applies the stored rules (or the rules in the body, validated the same way) to a text written by author (default Visitor) and answers the text as they leave it, with the rules that fired (G:3702).',
        tags: ['sensitive-data'],
        params: TYPE,
        body: def('testRequest'),
        response: { 200: def('result'), '4xx': ref('problem') },
      },
    },
    async (request) => {
      const type = channelType((request.params as { channelType: string }).channelType, true);
      const body = request.body as { text: string; author?: SensitiveDataRole; rules?: SensitiveDataRule[] };
      if (body.rules !== undefined) {
        const problems = validateSensitiveDataRules(type, body.rules);
        if (problems.length > 0) throw badRequest(`The rules are invalid (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'})`, problems, 'invalid-sensitive-data-rules');
      }
      const rules = body.rules ?? (await ctx.sensitiveData.get(type))?.rules ?? [];
      const r = applySensitiveDataRules(body.text, rules, body.author ?? 'Visitor');
      return { text: r.text, blocked: r.hits };
    },
  );
}
