/** Channels and inbound messages (CONTRACT.md §4). */
import { applySensitiveDataRules } from '../../messaging/sensitive-data.js';
import type { FastifyInstance } from 'fastify';
import { defaultsNotCovered } from '../../consent/automated.js';
import { defaultChannelSettings, isChannelType, type ChannelSettings } from '../../consent/settings.js';
import { AutoResponseSender } from '../../services/auto-responses.js';
import { checkChannelSettings } from '../../services/channels.js';
import type { ServerContext } from '../context.js';
import { DATE_TIME_RULE, parseRequestDateTime } from '../datetime.js';
import { checkE164, usesPhoneNumbers } from '../../channels/phone.js';
import { badRequest, HttpProblem, notFound, unprocessable } from '../problem.js';
import { definition, ref } from '../schemas.js';
import { MessageIdReusedError } from '../../store/receipts.js';

export function channelRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const env = channelEnv(ctx);
  registerSettings(app, ctx, env);
  registerInbound(app, ctx, env);
}

/** What the routes share, built once. */
function channelEnv(ctx: ServerContext) {
  const CHANNEL_ID = definition(ctx.schemas, 'parameters', 'channelPath');
  const sender = new AutoResponseSender((name) => ctx.components.getLatest(name), { ...(ctx.catalog !== undefined ? { catalog: ctx.catalog } : {}), ...(ctx.profiles !== undefined ? { profiles: ctx.profiles } : {}) });
  return { CHANNEL_ID, sender };
}

type ChannelEnv = ReturnType<typeof channelEnv>;

/** Channels' settings: create or replace, read, list. */
function registerSettings(app: FastifyInstance, ctx: ServerContext, env: ChannelEnv): void {
  const { CHANNEL_ID } = env;
  app.put(
    '/channels/:id',
    {
      config: { scopes: ['admin'] },
      schema: {
        summary: 'Create or replace a channel',
        description:
          'Consent and keyword settings (docs/consent.md) and automated responses (docs/auto-responses.md): a component an automated response names must be a stored auto-response component. `globals` and `globalValues`: the global merge fields the channel\'s auto-response components read, and their values (docs/auto-responses.md#globals); a component must agree with the channel on their types. Without `languages`, the default keywords and texts for the channel type are used. Every problem is reported with its pointer (422), and nothing is stored. A channel\'s type never changes.',
        tags: ['channels'],
        params: CHANNEL_ID,
        body: ref('channel-settings'),
        response: { 200: ref('channel'), 201: ref('channel'), '4xx': ref('problem') },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as Record<string, unknown>;
      const input = body.languages === undefined && isChannelType(body.type) ? withDefaultsFor(body) : body;
      const v = await checkChannelSettings(input, (name) => ctx.components.get(name));
      if (!v.valid || v.settings === undefined) {
        throw unprocessable(`The channel settings are invalid (${v.errors.length} ${v.errors.length === 1 ? 'problem' : 'problems'})`, v.errors.map((e) => ({ pointer: e.pointer, code: e.code, message: e.message })), 'invalid-channel');
      }
      const saved = await ctx.channels.put(id, v.settings, ctx.clock());
      if ('typeChange' in saved) {
        throw new HttpProblem(409, 'channel-type-change', 'Conflict', `The channel ${id} is a ${saved.typeChange} channel; a channel's type can't change (G:412). Create a new channel instead.`, [
          { pointer: '/type', code: 'E_TYPE_CHANGE', message: `Must stay ${saved.typeChange}` },
        ]);
      }
      return reply.status(saved.created ? 201 : 200).send({ id, version: saved.channel.version, ...saved.channel.settings, warnings: v.warnings.map((w) => ({ pointer: w.pointer, code: w.code, message: w.message })) });
    },
  );

  app.get(
    '/channels/:id',
    { config: { scopes: ['admin', 'service'] }, schema: { summary: 'Read a channel', tags: ['channels'], params: CHANNEL_ID, response: { 200: ref('channel'), '4xx': ref('problem') } } },
    async (request) => {
      const { id } = request.params as { id: string };
      const channel = await ctx.channels.get(id);
      if (channel === undefined) throw notFound(`No channel ${id}`);
      return { id, version: channel.version, ...channel.settings };
    },
  );

  app.get(
    '/channels',
    { config: { scopes: ['admin', 'service'] }, schema: { summary: 'List channels', tags: ['channels'], response: { 200: ref('channel-list'), '4xx': ref('problem') } } },
    async () => ({ channels: (await ctx.channels.list()).map((c) => ({ id: c.id, version: c.version, ...c.settings })) }),
  );
}

/** `POST /v1/channels/{id}/inbound`: an inbound message processed. */
function registerInbound(app: FastifyInstance, ctx: ServerContext, env: ChannelEnv): void {
  const { CHANNEL_ID, sender } = env;
  app.post(
    '/channels/:id/inbound',
    {
      config: { scopes: ['service'] },
      schema: {
        summary: 'Process an inbound message',
        description:
          'Finds or creates the messaging user, matches keywords, applies the consent rules and answers with the automated responses to send, in order, each with its trigger (an auto-response component rendered for the channel, docs/auto-responses.md), and whether to route the session (docs/consent.md). `botInUse`: a bot answers, so no conversation acknowledgment (G:5211). One transaction per message; the answer comes after it commits. With `messageId` (the platform\'s id for the message, unique per channel) a retry is idempotent: a message whose id the channel has already seen is not applied again, and gets the first answer with the header `Idempotent-Replayed: true`; the same id with another sender or text is refused (409 `message-id-reused`).',
        tags: ['consent'],
        params: CHANNEL_ID,
        body: ref('inbound-request'),
        response: { 200: ref('inbound-response'), '4xx': ref('problem') },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as { from: string; text: string; receivedAt?: string; messageId?: string; botInUse?: boolean };
      const channel = await ctx.channels.cached(id);
      if (channel === undefined) throw notFound(`No channel ${id}`, '');
      let from = body.from.trim();
      if (usesPhoneNumbers(channel.settings.type)) {
        const checked = checkE164(from, channel.settings.country);
        if ('problem' in checked) throw badRequest(`The sender is not a valid phone number`, [{ pointer: '/from', code: 'E_INVALID_PHONE', message: checked.problem }]);
        from = checked.number;
      }
      // The schema checked the format (years 1700-4000, a real day, an offset): parse it the same way.
      const receivedAt = body.receivedAt !== undefined ? parseRequestDateTime(body.receivedAt) : ctx.clock();
      if (receivedAt === undefined) throw badRequest('"receivedAt" is not a valid date-time', [{ pointer: '/receivedAt', code: 'E_INVALID_DATETIME', message: `Expected ${DATE_TIME_RULE}` }]);
      // Sensitive data rules enforced on the customer (G:3705): the text is masked before it is stored or shown.
      const rules = await ctx.sensitiveData.cached(channel.settings.type);
      const masked = rules.length > 0 ? applySensitiveDataRules(body.text, rules, 'Visitor') : undefined;
      const text = masked !== undefined && masked.hits.length > 0 ? masked.text : body.text;
      try {
        const { replayed, ...result } = await ctx.inbound.process({
          channelId: id,
          from,
          text,
          receivedAt,
          ...(body.messageId !== undefined ? { messageId: body.messageId } : {}),
          ...(body.botInUse === true ? { botInUse: true } : {}),
        });
        if (replayed === true) void reply.header('idempotent-replayed', 'true');
        // Component responses (In-App and Web) are rendered for the channel, after the message's transaction committed.
        const answered = { ...result, responses: await sender.send(result.responses, 'inbound', channel.settings.type, ctx.clock(), channel.settings) };
        return masked !== undefined && masked.hits.length > 0 ? { ...answered, sensitiveData: { text: masked.text, blocked: masked.hits } } : answered;
      } catch (e) {
        if (e instanceof MessageIdReusedError) {
          throw new HttpProblem(409, 'message-id-reused', 'Conflict', e.message, [{ pointer: '/messageId', code: e.code, message: 'Already used on this channel by a message with another sender or text' }]);
        }
        throw e;
      }
    },
  );
}

/** The body with the channel type's default languages, and the default auto-responses of the triggers it leaves out. */
function withDefaultsFor(body: Record<string, unknown>): Record<string, unknown> {
  const { autoResponses, ...defaults } = withDefaults(body);
  const auto = defaultsNotCovered(autoResponses, body.automatedResponses);
  return { ...defaults, ...(auto !== undefined ? { autoResponses: auto } : {}), ...body, languages: defaults.languages };
}

function withDefaults(body: Record<string, unknown>): ChannelSettings {
  const type = body.type as Parameters<typeof defaultChannelSettings>[0];
  const options = {
    ...(typeof body.consentType === 'string' ? { consentType: body.consentType as ChannelSettings['consentType'] & string } : {}),
    ...(typeof body.country === 'string' ? { country: body.country } : {}),
  };
  try {
    return defaultChannelSettings(type, options);
  } catch {
    return defaultChannelSettings(type);
  }
}
