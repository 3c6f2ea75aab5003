/**
 * Messaging templates and approved WhatsApp templates (docs/templates.md, "Messaging templates"):
 * stored by name, validated when written. The rules are domain code (src/messaging/templates.ts);
 * the outbound check applies them when a message is sent.
 */
import type { FastifyInstance } from 'fastify';
import { TemplateCode, validateMessagingTemplate, validateWhatsAppTemplate, WHATSAPP_TEMPLATE_LIMIT, type MessagingTemplate, type WhatsAppTemplate } from '../../messaging/templates.js';
import { TemplateStore, type TemplateKind } from '../../store/templates.js';
import type { ServerContext } from '../context.js';
import { notFound, unprocessable } from '../problem.js';
import { definition, ref } from '../schemas.js';

const SCHEMA = 'https://parlance.dev/schemas/http/message-template.schema.json';
const def = (name: string): { $ref: string } => ({ $ref: `${SCHEMA}#/$defs/${name}` });

export function templateRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const NAME = definition(ctx.schemas, 'message-template', 'namePath');
  const store = new TemplateStore(ctx.db);

  const routes = (path: string, kind: TemplateKind, label: string, body: string, validate: (name: string, b: Record<string, unknown>) => { problems: readonly { pointer: string; code: string; message: string }[]; value: unknown }, limit?: number): void => {
    app.get(`/${path}`, { config: { scopes: ['admin', 'service'] }, schema: { summary: `List ${label}s`, tags: ['templates'], response: { 200: def('list'), '4xx': ref('problem') } } }, async () => ({ templates: await store.list(kind) }));
    app.get(
      `/${path}/:name`,
      { config: { scopes: ['admin', 'service'] }, schema: { summary: `Read a ${label}`, tags: ['templates'], params: NAME, response: { 200: ref('message-template'), '4xx': ref('problem') } } },
      async (request) => {
        const { name } = request.params as { name: string };
        const stored = await store.get(kind, name);
        if (stored === undefined) throw notFound(`No ${label} named ${name}`, '/params/name');
        return stored;
      },
    );
    app.put(
      `/${path}/:name`,
      {
        config: { scopes: ['admin'] },
        schema: { summary: `Create or replace a ${label}`, tags: ['templates'], params: NAME, body: def(body), response: { 200: ref('message-template'), 201: ref('message-template'), '4xx': ref('problem') } },
      },
      async (request, reply) => {
        const { name } = request.params as { name: string };
        const { problems, value } = validate(name, request.body as Record<string, unknown>);
        if (problems.length > 0) throw unprocessable(`The ${label} is invalid (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'})`, problems, 'invalid-template');
        const r = await store.put(kind, name, value, ctx.clock(), limit);
        if ('limitReached' in r) {
          const message = `At most ${WHATSAPP_TEMPLATE_LIMIT} templates for one WhatsApp Business Account (G:2251, G:2137)`;
          throw unprocessable(message, [{ pointer: '', code: TemplateCode.Limit, message }], 'template-limit');
        }
        return reply.status(r.created ? 201 : 200).send(r.stored);
      },
    );
  };

  routes('messaging-templates', 'messaging', 'messaging template', 'messaging', (_name, b) => {
    const value: MessagingTemplate = { ...(b as unknown as MessagingTemplate), channels: (b.channels as MessagingTemplate['channels'] | undefined) ?? ['All'] };
    return { problems: validateMessagingTemplate(value), value };
  });
  routes(
    'whatsapp-templates',
    'whatsapp',
    'approved WhatsApp template',
    'whatsapp',
    (name, b) => {
      const value = b as unknown as Omit<WhatsAppTemplate, 'name'>;
      return { problems: validateWhatsAppTemplate({ ...value, name }), value };
    },
    WHATSAPP_TEMPLATE_LIMIT,
  );
}
