/**
 * Messaging sessions (SPEC-EXTRACT §11, docs/outbound.md#sessions): read one, list a messaging
 * user's, and the transitions: accept (Waiting → Active), mark inactive (Active → Inactive), end
 * (→ Ended) and transfer (Active → Waiting). A New or Inactive session whose time has run out is
 * ended when it is read, so every answer shows the session as it stands at the server's clock.
 * A transition the session's status doesn't allow is a 409 problem with a stable code; one the
 * channel type doesn't offer is a 422; neither changes anything (except an expiry that was due).
 */
import type { FastifyInstance } from 'fastify';
import type { ChannelType } from '../../channels/profiles.js';
import { sessionEventResponses } from '../../sessions/auto-responses.js';
import type { TransitionRefusal, TransitionRequest } from '../../sessions/lifecycle.js';
import { AutoResponseSender } from '../../services/auto-responses.js';
import { SessionService } from '../../services/sessions.js';
import type { ServerContext } from '../context.js';
import { HttpProblem, notFound } from '../problem.js';
import { definition, ref } from '../schemas.js';

/** Default and largest number of sessions in a list. */
const DEFAULT_LIST = 100;

export function sessionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const env = sessionEnv(ctx);
  registerReads(app, ctx, env);
  registerTransitions(app, ctx, env);
}

/** What the routes share, built once. */
function sessionEnv(ctx: ServerContext) {
  const SESSION_ID = definition(ctx.schemas, 'session', 'sessionPath');
  const USER_PARAMS = definition(ctx.schemas, 'parameters', 'userPath');
  const LIST_QUERY = definition(ctx.schemas, 'session', 'listQuery');
  const sessions = new SessionService(ctx.db);
  const sender = new AutoResponseSender((name) => ctx.components.getLatest(name), { ...(ctx.catalog !== undefined ? { catalog: ctx.catalog } : {}), ...(ctx.profiles !== undefined ? { profiles: ctx.profiles } : {}) });
  return { SESSION_ID, USER_PARAMS, LIST_QUERY, sessions, sender };
}

type SessionEnv = ReturnType<typeof sessionEnv>;

/** A session, and a messaging user's sessions. */
function registerReads(app: FastifyInstance, ctx: ServerContext, env: SessionEnv): void {
  const { SESSION_ID, USER_PARAMS, LIST_QUERY, sessions } = env;
  app.get(
    '/sessions/:id',
    {
      config: { scopes: ['admin', 'service'] },
      schema: { summary: 'Read a messaging session', description: 'A New or Inactive session whose time has run out is ended first (NO_RESPONSE_TIMEOUT, INACTIVE_TIMEOUT), with its expiry as endedAt.', tags: ['sessions'], params: SESSION_ID, response: { 200: ref('session'), '4xx': ref('problem') } },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const session = await sessions.get(id, ctx.clock());
      if (session === undefined) throw notFound(`No session ${id}`, '/params/id');
      return session;
    },
  );

  app.get(
    '/channels/:id/users/:platformKey/sessions',
    {
      config: { scopes: ['admin', 'service'] },
      schema: { summary: "A messaging user's sessions", description: 'Newest first, at most `limit` (default 100).', tags: ['sessions', 'users'], params: USER_PARAMS, querystring: LIST_QUERY, response: { 200: ref('session-list'), '4xx': ref('problem') } },
    },
    async (request) => {
      const { id, platformKey } = request.params as { id: string; platformKey: string };
      const { limit } = request.query as { limit?: string };
      const channel = await ctx.channels.get(id);
      if (channel === undefined) throw notFound(`No channel ${id}`, '/params/id');
      const list = await sessions.listForUser(id, platformKey, ctx.clock(), Math.min(1000, limit === undefined ? DEFAULT_LIST : Number(limit)));
      if (list === undefined) throw notFound(`No messaging user ${platformKey} on the channel ${id}`, '/params/platformKey');
      return { channelId: id, platformKey, sessions: list };
    },
  );
}

/** The transitions: accept, inactive, end, transfer, each sending its automated responses. */
function registerTransitions(app: FastifyInstance, ctx: ServerContext, env: SessionEnv): void {
  const { SESSION_ID, sessions, sender } = env;
  const transition = (path: string, summary: string, description: string, body: string, toRequest: (b: Record<string, unknown>) => TransitionRequest): void => {
    app.post(
      `/sessions/:id/${path}`,
      {
        config: { scopes: ['service'] },
        schema: { summary, description, tags: ['sessions'], params: SESSION_ID, body: ref(body), response: { 200: ref('session'), '4xx': ref('problem') } },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        const now = ctx.clock();
        const transition = toRequest(request.body as Record<string, unknown>);
        const outcome = await sessions.transition(id, transition, now);
        if (outcome === undefined) throw notFound(`No session ${id}`, '/params/id');
        if ('refusal' in outcome) throw refusalProblem(outcome.refusal, id);
        // The automated responses the transition sends (docs/auto-responses.md), after the transition committed.
        const channel = await ctx.channels.cached(outcome.session.channelId);
        if (channel === undefined) return { ...outcome.session, responses: [] };
        const due = sessionEventResponses({
          settings: channel.settings,
          action: transition.action,
          ...('language' in outcome && outcome.language !== undefined ? { language: outcome.language } : {}),
          ...(transition.action === 'accept' ? { agentType: transition.agentType } : {}),
        });
        return { ...outcome.session, responses: await sender.send(due, transition.action, channel.settings.type as ChannelType, now, channel.settings) };
      },
    );
  };

  transition('accept', 'Accept a session', 'Waiting → Active, with the accepting rep or bot, who replaces the session\'s rep (a transfer\'s original rep leaves, G:6476). A session transferred to a rep or bot can be accepted only by them. 409 E_INVALID_TRANSITION from any other status. `responses`: the Start Conversation response (AgentEngagedResponse) when a rep accepts, rendered when it is a component (docs/auto-responses.md).', 'session-accept-request', (b) => ({
    action: 'accept',
    agentId: String(b.agentId),
    agentType: b.agentType === 'Bot' ? 'Bot' : 'Rep',
  }));
  transition('inactive', 'Mark a session inactive', 'Active → Inactive, by the session\'s rep (No Customer Response, G:6481-6489); it ends after 30 hours (INACTIVE_TIMEOUT), and a customer message reroutes it (Waiting). Only on enhanced channels and In-App and Web (G:6483): 422 E_ACTION_NOT_SUPPORTED elsewhere.', 'session-inactive-request', (b) => ({
    action: 'markInactive',
    repId: String(b.repId),
  }));
  transition('end', 'End a session', 'Any open status → Ended (ENDED_BY_REP; ENDED_BY_CUSTOMER with "by": "customer", Web and In-App only). 409 E_SESSION_CLOSED when it has already ended. `responses`: the End Conversation response (AgentEndEngagementResponse), rendered when it is a component (docs/auto-responses.md).', 'session-end-request', (b) => ({
    action: 'end',
    by: b.by === 'customer' ? 'customer' : 'rep',
  }));
  transition('transfer', 'Transfer a session', 'Active → Waiting for the target (a rep, bot, queue or flow), by the session\'s rep; the rep stays until the target accepts, and a transfer can\'t be cancelled (G:6448-6477). Only on enhanced channels and In-App and Web (G:6450).', 'session-transfer-request', (b) => ({
    action: 'transfer',
    repId: String(b.repId),
    target: b.target as { kind: 'rep' | 'bot' | 'queue' | 'flow'; id: string },
  }));
}

function refusalProblem(r: TransitionRefusal, id: string): HttpProblem {
  const slug = r.code.replace(/^E_/, '').toLowerCase().replace(/_/g, '-');
  return new HttpProblem(r.status, slug, r.status === 409 ? 'Conflict' : 'The request could not be processed', `Session ${id}: ${r.message}`, [{ pointer: r.pointer, code: r.code, message: r.message }]);
}
