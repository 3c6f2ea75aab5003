/**
 * Business-initiated messaging (CONTRACT.md §4): `POST /v1/outbound/check` runs the outbound rules
 * and lists every failing one; `POST /v1/outbound/send` runs the same rules and, when they allow
 * it, records the send (the New session, the message, the enhanced-SMS user created on
 * attestation) in one transaction. docs/outbound.md has the rules, their codes and the decisions.
 *
 * Request problems (an unknown channel or stored component, an invalid inline component, content
 * that doesn't match its kind) are 4xx problems and change nothing. A rule that fails is not a
 * request problem: the check answers 200 with `allowed: false`; the send answers 409 when the
 * customer is in another rep's session and 422 otherwise, with every reason in `errors[]`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validateComponent } from '../../component/validate.js';
import { fillMessagingTemplate, type MessagingTemplate, type TemplateProblem, type WhatsAppTemplate } from '../../messaging/templates.js';
import { dynamicParts, type DynamicPart } from '../../outbound/dynamic.js';
import { TemplateStore } from '../../store/templates.js';
import { OutboundReason, type OutboundReasonDetail } from '../../outbound/rules.js';
import { OutboundService, SessionConflictError, type OutboundMessageInput } from '../../services/outbound.js';
import type { ServerContext } from '../context.js';
import { badRequest, HttpProblem, notFound, unprocessable } from '../problem.js';
import { ref } from '../schemas.js';

interface OutboundBody {
  readonly channelId: string;
  readonly platformKey: string;
  readonly repId: string;
  readonly content: {
    readonly kind: 'freeform' | 'component';
    readonly component?: string | Record<string, unknown>;
    readonly approvedTemplate?: string;
    readonly text?: string;
    readonly template?: { readonly name: string; readonly values?: Readonly<Record<string, string | null>> };
  };
  readonly consentAttested?: boolean;
  readonly automatic?: boolean;
  readonly agentType?: 'Rep' | 'Bot';
}

const COMPONENT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export function outboundRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const store = new OutboundService(ctx.db);
  const templates = new TemplateStore(ctx.db);
  const validateOptions = ctx.catalog !== undefined ? { catalog: ctx.catalog } : {};

  /** A freeform message from a stored messaging template: read it (404 when absent) and fill its merge fields (G:5055). */
  const fillTemplate = async (content: OutboundBody['content']): Promise<{ name: string; version: number; text?: string; problems: readonly TemplateProblem[] } | undefined> => {
    if (content.template === undefined) return undefined;
    if (content.kind !== 'freeform') throw badRequest('A messaging template is sent as a freeform message', [{ pointer: '/content/template', code: 'E_UNEXPECTED_PROPERTY', message: 'Only for kind "freeform"' }]);
    if (content.text !== undefined) throw badRequest('Send a template or a text, not both: the filled template is the text', [{ pointer: '/content/text', code: 'E_UNEXPECTED_PROPERTY', message: 'Not with "template"' }]);
    const stored = await templates.get<MessagingTemplate>('messaging', content.template.name);
    if (stored === undefined) throw notFound(`No messaging template named ${content.template.name}`, '/content/template/name');
    const r = fillMessagingTemplate(stored.definition, content.template.values ?? {});
    return { name: stored.name, version: stored.version, ...(r.text !== undefined ? { text: r.text } : {}), problems: r.problems };
  };

  /** The request, resolved: the channel read, the component read or validated, its dynamic parts found. */
  const resolve = async (request: FastifyRequest): Promise<OutboundMessageInput> => {
    const body = request.body as OutboundBody;
    const content = body.content;
    if (content.kind === 'freeform' && content.component !== undefined) {
      throw badRequest('Freeform content has no component: send kind "component" to send one', [{ pointer: '/content/component', code: 'E_UNEXPECTED_PROPERTY', message: 'Only for kind "component"' }]);
    }
    if (content.kind === 'component' && content.text !== undefined) {
      throw badRequest('Component content has no text: the component is the message', [{ pointer: '/content/text', code: 'E_UNEXPECTED_PROPERTY', message: 'Only for kind "freeform"' }]);
    }
    if (content.kind === 'component' && content.component === undefined) {
      throw badRequest('Component content needs "component": a stored component\'s name or an inline definition', [{ pointer: '/content/component', code: 'E_REQUIRED', message: '"component" is required for kind "component"' }]);
    }
    const channel = await ctx.channels.get(body.channelId);
    if (channel === undefined) throw notFound(`No channel ${body.channelId}`, '/channelId');
    const filled = await fillTemplate(content);
    const text = filled?.text ?? content.text ?? '';
    const approved = content.approvedTemplate === undefined || content.kind !== 'freeform' ? undefined : await templates.get<WhatsAppTemplate>('whatsapp', content.approvedTemplate);

    let parts: DynamicPart[] = [];
    let storedType: unknown;
    let component: Record<string, unknown> | undefined;
    if (typeof content.component === 'string') {
      if (!COMPONENT_NAME.test(content.component)) {
        throw badRequest(`${JSON.stringify(content.component)} is not a component name`, [{ pointer: '/content/component', code: 'E_INVALID_VALUE', message: 'A component name starts with a letter and has only letters, digits and underscores' }]);
      }
      const stored = await ctx.components.get(content.component);
      if (stored === undefined) throw notFound(`No component named ${content.component}`, '/content/component');
      parts = dynamicParts(stored.definition);
      storedType = stored.definition.type;
      component = { name: stored.name, version: stored.version };
    } else if (content.component !== undefined) {
      const v = validateComponent(content.component, validateOptions);
      if (!v.valid) {
        throw unprocessable(
          `The inline component is invalid (${v.errors.length} ${v.errors.length === 1 ? 'problem' : 'problems'})`,
          v.errors.map((e) => ({ pointer: `/content/component${e.pointer}`, code: e.code, message: e.message, ...(e.line !== undefined ? { line: e.line, column: e.column ?? 1 } : {}) })),
          'invalid-component',
        );
      }
      parts = dynamicParts(content.component).map((p) => ({ pointer: `/content/component${p.pointer}`, message: p.message }));
      component = { inline: content.component };
    }
    return {
      channel,
      platformKey: body.platformKey,
      repId: body.repId,
      content: {
        kind: content.kind,
        ...(content.approvedTemplate !== undefined ? { approvedTemplate: content.approvedTemplate } : {}),
        ...(content.kind === 'component' ? { dynamicParts: parts, componentType: String((typeof content.component === 'string' ? storedType : (content.component as Record<string, unknown>).type) ?? '') } : { text }),
        ...(content.kind === 'freeform' && content.approvedTemplate !== undefined ? { approved: approved === undefined ? null : { name: approved.name, text: approved.definition.text } } : {}),
        ...(filled !== undefined ? { templateProblems: filled.problems } : {}),
      },
      record: {
        kind: content.kind,
        ...(component !== undefined ? { component } : {}),
        ...(content.approvedTemplate !== undefined ? { approvedTemplate: content.approvedTemplate } : {}),
        ...(filled !== undefined ? { template: { name: filled.name, version: filled.version } } : {}),
      },
      text,
      consentAttested: body.consentAttested === true,
      automatic: body.automatic === true,
      ...(body.agentType === 'Bot' ? { agentType: 'Bot' as const } : {}),
      ...(request.apiKey !== undefined ? { keyLabel: request.apiKey } : {}),
    };
  };

  app.post(
    '/outbound/check',
    {
      config: { scopes: ['service'] },
      schema: {
        summary: 'Check a business-initiated message',
        description:
          'Runs the outbound rules (docs/outbound.md) and lists every failing one with its stable code: CHANNEL_NOT_SUPPORTED, AUTOMATIC_NOT_SUPPORTED, PHONE_NOT_E164, NO_MESSAGING_USER, CONSENT_NOT_MET, CHANNEL_COUNTRY_MISSING, SMS_COUNTRY_MISMATCH, WHATSAPP_WINDOW_CLOSED, WHATSAPP_TEMPLATE_REQUIRED, WHATSAPP_DYNAMIC_CONTENT, FACEBOOK_WINDOW_CLOSED, SESSION_IN_PROGRESS, SMS_TOO_LONG (over 840 characters, G:2892), SHORT_CODE_TOO_LONG (over 160 on a short code, G:3038), TEMPLATE_NOT_FOUND, TEMPLATE_MISMATCH (standard WhatsApp, with the position of the first difference, G:2255), TEMPLATE_FIELD_BLANK (G:5055), END_USER_MERGE_FIELD (G:5024), BOT_COMPONENT_NOT_ALLOWED (G:4868, G:5729). For SMS freeform text, gives its encoding and segments (sms). Says how a reply would be routed (the channel\'s capacity model). Changes nothing, except that a session whose time has run out is ended.',
        tags: ['outbound'],
        body: ref('outbound-request'),
        response: { 200: ref('outbound-check-response'), '4xx': ref('problem') },
      },
    },
    async (request) => {
      const input = await resolve(request);
      const r = await store.check(input, ctx.clock());
      return {
        allowed: r.decision.allowed,
        reasons: r.decision.reasons,
        routing: r.decision.routing,
        createsMessagingUser: r.decision.allowed && r.decision.createsUser,
        ...(r.decision.sms !== undefined ? { sms: r.decision.sms } : {}),
        ...(r.openSession !== undefined ? { openSession: r.openSession } : {}),
      };
    },
  );

  app.post(
    '/outbound/send',
    {
      config: { scopes: ['service'] },
      schema: {
        summary: 'Send a business-initiated message',
        description:
          'Runs the same rules as the check. When they allow it, records in one transaction: the messaging user (enhanced SMS with consentAttested, created ExplicitlyOptedIn, ledger cause attestation), the session (New, with the rep; an automatic notification\'s is Ended) and the outbound message. 201 when a session was created, 200 when the message joined the rep\'s own open session. Refused: 409 when the customer is in a live session with another rep (SESSION_IN_PROGRESS), else 422, with every reason in errors[].',
        tags: ['outbound'],
        body: ref('outbound-request'),
        response: { 200: ref('outbound-send-response'), 201: ref('outbound-send-response'), '4xx': ref('problem') },
      },
    },
    async (request, reply) => {
      const input = await resolve(request);
      let r;
      try {
        r = await store.send(input, ctx.clock());
      } catch (e) {
        if (e instanceof SessionConflictError) throw refused([{ code: OutboundReason.SessionInProgress, message: 'Another session for this customer was opened at the same time; a different rep can\'t start a business-initiated conversation until it ends (B:17)', pointer: '/repId' }]);
        throw e;
      }
      if (!r.sent) throw refused(r.decision.reasons);
      return reply.status(r.sessionCreated ? 201 : 200).send({
        allowed: true,
        reasons: [],
        session: r.session,
        sessionCreated: r.sessionCreated,
        messageId: r.messageId,
        messagingUser: r.messagingUser,
        routing: r.decision.routing,
      });
    },
  );
}

/** A refused send: 409 when another rep's session is in the way (B:17), else 422; every reason located. */
function refused(reasons: readonly OutboundReasonDetail[]): HttpProblem {
  const conflict = reasons.some((r) => r.code === OutboundReason.SessionInProgress);
  const detail = `The message can't be sent (${reasons.length} ${reasons.length === 1 ? 'reason' : 'reasons'}): ${reasons.map((r) => r.code).join(', ')}`;
  const errors = reasons.map((r) => ({ pointer: r.pointer, code: r.code, message: r.message }));
  return conflict ? new HttpProblem(409, 'session-in-progress', 'Conflict', detail, errors) : new HttpProblem(422, 'outbound-refused', 'The message can\'t be sent', detail, errors);
}
