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
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TemplateStore } from '../../store/templates.js';
import { OutboundReason, type OutboundReasonDetail } from '../../outbound/rules.js';
import { OutboundService, SessionConflictError, type OutboundMessageInput } from '../../services/outbound.js';
import { OutboundRequestError, prepareOutbound, type OutboundRequest, type OutboundRequestDeps } from '../../services/outbound-request.js';
import type { ServerContext } from '../context.js';
import { badRequest, HttpProblem, notFound, unprocessable } from '../problem.js';
import { ref } from '../schemas.js';

export function outboundRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const service = new OutboundService(ctx.db);
  const deps: OutboundRequestDeps = { channels: ctx.channels, components: ctx.components, templates: new TemplateStore(ctx.db), ...(ctx.catalog !== undefined ? { catalog: ctx.catalog } : {}) };
  const resolve = (request: FastifyRequest): Promise<OutboundMessageInput> => resolveRequest(deps, request);
  registerCheck(app, (request) => checkHandler(service, ctx, resolve, request));
  registerSend(app, (request, reply) => sendHandler(service, ctx, resolve, request, reply));
}

type Resolve = (request: FastifyRequest) => Promise<OutboundMessageInput>;

/** The request, prepared by the service; its request problems answered as 400, 404 or 422 problems. */
async function resolveRequest(deps: OutboundRequestDeps, request: FastifyRequest): Promise<OutboundMessageInput> {
  try {
    return await prepareOutbound(deps, request.body as OutboundRequest, request.apiKey);
  } catch (e) {
    if (!(e instanceof OutboundRequestError)) throw e;
    if (e.kind === 'not-found') throw notFound(e.detail, e.errors[0]?.pointer ?? '');
    if (e.kind === 'invalid-component') throw unprocessable(e.detail, e.errors, 'invalid-component');
    throw badRequest(e.detail, e.errors);
  }
}

/** `POST /v1/outbound/check`: the rules' decision, changing nothing. */
function registerCheck(app: FastifyInstance, handler: (request: FastifyRequest) => Promise<unknown>): void {
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
    handler,
  );
}

/** `POST /v1/outbound/send`: the rules run and, when they allow it, the send recorded. */
function registerSend(app: FastifyInstance, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>): void {
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
    handler,
  );
}

async function checkHandler(service: OutboundService, ctx: ServerContext, resolve: Resolve, request: FastifyRequest): Promise<unknown> {
  const input = await resolve(request);
  const r = await service.check(input, ctx.clock());
  return {
    allowed: r.decision.allowed,
    reasons: r.decision.reasons,
    routing: r.decision.routing,
    createsMessagingUser: r.decision.allowed && r.decision.createsUser,
    ...(r.decision.sms !== undefined ? { sms: r.decision.sms } : {}),
    ...(r.openSession !== undefined ? { openSession: r.openSession } : {}),
  };
}

async function sendHandler(service: OutboundService, ctx: ServerContext, resolve: Resolve, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const input = await resolve(request);
  let r;
  try {
    r = await service.send(input, ctx.clock());
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
}

/** A refused send: 409 when another rep's session is in the way (B:17), else 422; every reason located. */
function refused(reasons: readonly OutboundReasonDetail[]): HttpProblem {
  const conflict = reasons.some((r) => r.code === OutboundReason.SessionInProgress);
  const detail = `The message can't be sent (${reasons.length} ${reasons.length === 1 ? 'reason' : 'reasons'}): ${reasons.map((r) => r.code).join(', ')}`;
  const errors = reasons.map((r) => ({ pointer: r.pointer, code: r.code, message: r.message }));
  return conflict ? new HttpProblem(409, 'session-in-progress', 'Conflict', detail, errors) : new HttpProblem(422, 'outbound-refused', 'The message can\'t be sent', detail, errors);
}
