/**
 * The session service (SPEC-EXTRACT §11): reading sessions, and the transitions reps, bots and
 * customers make (accept, mark inactive, end, transfer). There is no background timer: a New or
 * Inactive session whose time has run out is ended when it is read, by whatever reads it (a GET,
 * an outbound check or send, a transition, an inbound message), with its expiry moment as its end,
 * in the same transaction as the read. Every change locks the messaging user's row first, as
 * inbound processing does, so a transition and an inbound message for the same customer never
 * interleave. The rules are the pure functions of `src/sessions/lifecycle.ts`; the rows are the
 * store's (`src/store/sessions.ts`).
 */
import type { SessionStatus } from '../consent/engine.js';
import { decideTransition, dueExpiry, usesRepCapacity, type RouteTarget, type TransitionRefusal, type TransitionRequest } from '../sessions/lifecycle.js';
import type { Database, Queryable } from '../store/database.js';
import { endSessionRow, lockOpenSessionRow, lockSessionRow, lockUserId, sessionRowById, sessionRowsOfUser, writeSessionState, type SessionRow } from '../store/sessions.js';

/** A session as the API shows it. */
export interface Session {
  readonly id: string;
  readonly channelId: string;
  readonly platformKey: string;
  readonly status: SessionStatus;
  /** `inbound`: the customer's first message; `outbound`: a rep's business-initiated message; `automatic`: an automatic notification. */
  readonly origin: string;
  /** The rep or bot who has (or last had) the session. */
  readonly repId?: string;
  readonly agentType?: 'Rep' | 'Bot';
  /** Where the session is being routed: a transfer's target, or the rep a reply goes back to. */
  readonly routeTo?: RouteTarget;
  /** Every inbound message of the session so far was a keyword. */
  readonly onlyKeywords: boolean;
  /** Whether the session uses its rep's capacity (only while Active: B:13, G:6491). */
  readonly usesRepCapacity: boolean;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly acceptedAt?: string;
  /** When a New or Inactive session ends by itself. */
  readonly expiresAt?: string;
  readonly endedAt?: string;
  readonly endReason?: string;
}

const iso = (d: Date | string): string => new Date(d).toISOString();
const ms = (d: Date | string | null): number | undefined => (d === null ? undefined : new Date(d).getTime());

function toSession(r: SessionRow): Session {
  return {
    id: String(r.id),
    channelId: r.channel_id,
    platformKey: r.platform_key,
    status: r.status,
    origin: r.origin,
    ...(r.rep_id !== null ? { repId: r.rep_id } : {}),
    ...(r.agent_type !== null ? { agentType: r.agent_type } : {}),
    ...(r.route_to !== null ? { routeTo: r.route_to } : {}),
    onlyKeywords: r.only_keywords,
    usesRepCapacity: usesRepCapacity(r.status),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    ...(r.accepted_at !== null ? { acceptedAt: iso(r.accepted_at) } : {}),
    ...(r.expires_at !== null ? { expiresAt: iso(r.expires_at) } : {}),
    ...(r.ended_at !== null ? { endedAt: iso(r.ended_at) } : {}),
    ...(r.end_reason !== null ? { endReason: r.end_reason } : {}),
  };
}

/** Applies the row's due expiry, if any (persisted). */
async function expire(q: Queryable, row: SessionRow, now: number): Promise<SessionRow> {
  const due = dueExpiry({ status: row.status, ...(row.expires_at !== null ? { expiresAt: ms(row.expires_at) as number } : {}) }, now);
  return due === undefined ? row : endSessionRow(q, row, due.at, due.reason);
}

/** The open session of a messaging user, locked, its due expiry applied; undefined when the user has none open. Call inside a transaction holding the user's row lock. */
export async function openSessionOf(tx: Queryable, userId: string, now: number): Promise<Session | undefined> {
  const row = await lockOpenSessionRow(tx, userId);
  if (row === undefined) return undefined;
  const after = await expire(tx, row, now);
  return after.status === 'Ended' ? undefined : toSession(after);
}

/** A session by id, inside a transaction (after writing it). */
export async function sessionById(q: Queryable, id: string): Promise<Session | undefined> {
  const row = await sessionRowById(q, id);
  return row === undefined ? undefined : toSession(row);
}

/** A transition's outcome; an allowed one has the messaging user's language (for its automated responses). */
export type TransitionOutcome = { readonly session: Session; readonly language?: string } | { readonly refusal: TransitionRefusal; readonly session: Session };

export class SessionService {
  constructor(private readonly db: Database) {}

  /** One session, its due expiry applied and stored; undefined when there is no such session. */
  async get(id: string, now: number): Promise<Session | undefined> {
    return this.db.transaction(async (tx) => {
      const row = await lockSessionRow(tx, id);
      return row === undefined ? undefined : toSession(await expire(tx, row, now));
    });
  }

  /**
   * A messaging user's sessions on a channel, newest first, at most `limit`; the open one's due
   * expiry applied and stored. Undefined when there is no such user.
   */
  async listForUser(channelId: string, platformKey: string, now: number, limit: number): Promise<Session[] | undefined> {
    return this.db.transaction(async (tx) => {
      const userId = await lockUserId(tx, channelId, platformKey);
      if (userId === undefined) return undefined;
      await openSessionOf(tx, userId, now);
      return (await sessionRowsOfUser(tx, userId, limit)).map(toSession);
    });
  }

  /**
   * Applies a transition (lifecycle's `decideTransition`) to a session, after its due expiry.
   * A refusal still stores the expiry it applied. Undefined when there is no such session.
   */
  async transition(id: string, request: TransitionRequest, now: number): Promise<TransitionOutcome | undefined> {
    return this.db.transaction(async (tx) => {
      const locked = await lockSessionRow(tx, id);
      if (locked === undefined) return undefined;
      const row = await expire(tx, locked, now);
      const state = {
        status: row.status,
        ...(row.rep_id !== null ? { repId: row.rep_id } : {}),
        ...(row.route_to !== null ? { routeTo: row.route_to } : {}),
        ...(row.expires_at !== null ? { expiresAt: ms(row.expires_at) as number } : {}),
      };
      const decided = decideTransition(state, row.channel_type, request, now);
      if (!decided.ok) return { refusal: decided.refusal, session: toSession(row) };
      await writeSessionState(tx, row.id, decided.next, now);
      return { session: (await sessionById(tx, id)) as Session, ...(row.user_language !== null ? { language: row.user_language } : {}) };
    });
  }
}
