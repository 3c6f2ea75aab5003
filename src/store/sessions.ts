/**
 * Stored messaging sessions (SPEC-EXTRACT §11): reading them, and the transitions reps, bots and
 * customers make (accept, mark inactive, end, transfer). There is no background timer: a New or
 * Inactive session whose time has run out is ended when it is read, by whatever reads it (a GET,
 * an outbound check or send, a transition, an inbound message), with its expiry moment as its end,
 * in the same transaction as the read. Every change locks the messaging user's row first, as
 * inbound processing does, so a transition and an inbound message for the same customer never
 * interleave. The rules are the pure functions of `src/sessions/lifecycle.ts`.
 */
import type { ChannelType } from '../channels/profiles.js';
import type { SessionStatus } from '../consent/engine.js';
import { decideTransition, dueExpiry, usesRepCapacity, type RouteTarget, type SessionEndReasonCode, type TransitionRefusal, type TransitionRequest } from '../sessions/lifecycle.js';
import type { Database, Queryable } from './database.js';

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

interface Row {
  id: string | number;
  user_id: string | number;
  channel_id: string;
  channel_type: ChannelType;
  platform_key: string;
  user_language: string | null;
  status: SessionStatus;
  origin: string;
  rep_id: string | null;
  agent_type: 'Rep' | 'Bot' | null;
  route_to: RouteTarget | null;
  only_keywords: boolean;
  created_at: Date | string;
  updated_at: Date | string;
  accepted_at: Date | string | null;
  expires_at: Date | string | null;
  ended_at: Date | string | null;
  end_reason: string | null;
}

const SELECT = `
  SELECT s.id, s.user_id, s.channel_id, c.type AS channel_type, u.platform_key, u.language AS user_language, s.status, s.origin, s.rep_id, s.agent_type, s.route_to,
    s.only_keywords, s.created_at, s.updated_at, s.accepted_at, s.expires_at, s.ended_at, s.end_reason
  FROM sessions s JOIN messaging_users u ON u.id = s.user_id JOIN channels c ON c.id = s.channel_id`;

const iso = (d: Date | string): string => new Date(d).toISOString();
const ms = (d: Date | string | null): number | undefined => (d === null ? undefined : new Date(d).getTime());

function toSession(r: Row): Session {
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

/** Ends a session at `at` with `reason`, in place (the row and the stored session). */
async function endSession(q: Queryable, row: Row, at: number, reason: SessionEndReasonCode): Promise<Row> {
  const when = new Date(at);
  await q.query("UPDATE sessions SET status = 'Ended', ended_at = $2, updated_at = $2, end_reason = $3, expires_at = NULL, route_to = NULL WHERE id = $1", [row.id, when, reason]);
  return { ...row, status: 'Ended', ended_at: when, updated_at: when, end_reason: reason, expires_at: null, route_to: null };
}

/** Applies the row's due expiry, if any (persisted). */
async function expire(q: Queryable, row: Row, now: number): Promise<Row> {
  const due = dueExpiry({ status: row.status, ...(row.expires_at !== null ? { expiresAt: ms(row.expires_at) as number } : {}) }, now);
  return due === undefined ? row : endSession(q, row, due.at, due.reason);
}

/** The open session of a messaging user, locked, its due expiry applied; undefined when the user has none open. Call inside a transaction holding the user's row lock. */
export async function openSessionOf(tx: Queryable, userId: string, now: number): Promise<Session | undefined> {
  const { rows } = await tx.query<Row>(`${SELECT} WHERE s.user_id = $1 AND s.status NOT IN ('Ended', 'Error') FOR UPDATE OF s`, [userId]);
  const row = rows[0];
  if (row === undefined) return undefined;
  const after = await expire(tx, row, now);
  return after.status === 'Ended' ? undefined : toSession(after);
}

/** Ends an open session that only held consent keywords, superseded by a business-initiated session. */
export async function endSupersededSession(tx: Queryable, id: string, now: number, reason: SessionEndReasonCode): Promise<void> {
  const when = new Date(now);
  await tx.query("UPDATE sessions SET status = 'Ended', ended_at = $2, updated_at = $2, end_reason = $3, expires_at = NULL, route_to = NULL WHERE id = $1 AND status = 'Consent'", [id, when, reason]);
}

/** A session by id, inside a transaction (after writing it). */
export async function sessionById(q: Queryable, id: string): Promise<Session | undefined> {
  const { rows } = await q.query<Row>(`${SELECT} WHERE s.id = $1`, [id]);
  return rows[0] === undefined ? undefined : toSession(rows[0]);
}

/** A transition's outcome; an allowed one has the messaging user's language (for its automated responses). */
export type TransitionOutcome = { readonly session: Session; readonly language?: string } | { readonly refusal: TransitionRefusal; readonly session: Session };

export class SessionStore {
  constructor(private readonly db: Database) {}

  /** One session, its due expiry applied and stored; undefined when there is no such session. */
  async get(id: string, now: number): Promise<Session | undefined> {
    return this.db.transaction(async (tx) => {
      const row = await this.lock(tx, id);
      return row === undefined ? undefined : toSession(await expire(tx, row, now));
    });
  }

  /**
   * A messaging user's sessions on a channel, newest first, at most `limit`; the open one's due
   * expiry applied and stored. Undefined when there is no such user.
   */
  async listForUser(channelId: string, platformKey: string, now: number, limit: number): Promise<Session[] | undefined> {
    return this.db.transaction(async (tx) => {
      const { rows: users } = await tx.query<{ id: string | number }>('SELECT id FROM messaging_users WHERE channel_id = $1 AND platform_key = $2 FOR UPDATE', [channelId, platformKey]);
      const user = users[0];
      if (user === undefined) return undefined;
      await openSessionOf(tx, String(user.id), now);
      const { rows } = await tx.query<Row>(`${SELECT} WHERE s.user_id = $1 ORDER BY s.id DESC LIMIT $2`, [user.id, limit]);
      return rows.map(toSession);
    });
  }

  /**
   * Applies a transition (lifecycle's `decideTransition`) to a session, after its due expiry.
   * A refusal still stores the expiry it applied. Undefined when there is no such session.
   */
  async transition(id: string, request: TransitionRequest, now: number): Promise<TransitionOutcome | undefined> {
    return this.db.transaction(async (tx) => {
      const locked = await this.lock(tx, id);
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
      const n = decided.next;
      const date = (v: number | null | undefined): Date | null => (v === null || v === undefined ? null : new Date(v));
      await tx.query(
        `UPDATE sessions SET status = $2, rep_id = $3, agent_type = COALESCE($4, agent_type), route_to = $5, expires_at = $6,
           accepted_at = COALESCE($7, accepted_at), ended_at = COALESCE($8, ended_at), end_reason = COALESCE($9, end_reason), updated_at = $10
         WHERE id = $1`,
        [row.id, n.status, n.repId, n.agentType ?? null, n.routeTo === null ? null : JSON.stringify(n.routeTo), date(n.expiresAt), date(n.acceptedAt), date(n.endedAt), n.endReason ?? null, new Date(now)],
      );
      return { session: (await sessionById(tx, id)) as Session, ...(row.user_language !== null ? { language: row.user_language } : {}) };
    });
  }

  /** Locks the session's user row, then the session's; reads the session. */
  private async lock(tx: Queryable, id: string): Promise<Row | undefined> {
    const { rows: owners } = await tx.query<{ user_id: string | number }>('SELECT user_id FROM sessions WHERE id = $1', [id]);
    const owner = owners[0];
    if (owner === undefined) return undefined;
    await tx.query('SELECT id FROM messaging_users WHERE id = $1 FOR UPDATE', [owner.user_id]);
    const { rows } = await tx.query<Row>(`${SELECT} WHERE s.id = $1 FOR UPDATE OF s`, [id]);
    return rows[0];
  }
}
