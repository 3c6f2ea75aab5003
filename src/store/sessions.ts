/**
 * Stored messaging sessions (SPEC-EXTRACT §11): the repository that reads, locks and writes
 * `sessions` rows, on the transaction handle it is given. Deciding transitions and expiries is
 * the domain's (src/sessions/lifecycle.ts); the use cases (read with expiry applied, transition)
 * are the session service's (src/services/sessions.ts).
 */
import type { ChannelType } from '../channels/profiles.js';
import type { SessionStatus } from '../consent/engine.js';
import type { TransitionResult, RouteTarget, SessionEndReasonCode } from '../sessions/lifecycle.js';
import type { Queryable } from './database.js';

export interface SessionRow {
  id: string | number;
  user_id: string | number;
  channel_id: string;
  channel_type: ChannelType;
  platform_key: string;
  /** The messaging user's language (for automated responses). */
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

/** Ends a session at `at` with `reason`, in place (the row and the stored session). */
export async function endSessionRow(q: Queryable, row: SessionRow, at: number, reason: SessionEndReasonCode): Promise<SessionRow> {
  const when = new Date(at);
  await q.query("UPDATE sessions SET status = 'Ended', ended_at = $2, updated_at = $2, end_reason = $3, expires_at = NULL, route_to = NULL WHERE id = $1", [row.id, when, reason]);
  return { ...row, status: 'Ended', ended_at: when, updated_at: when, end_reason: reason, expires_at: null, route_to: null };
}

/** The open session row of a messaging user, locked; undefined when the user has none open. Call inside a transaction holding the user's row lock. */
export async function lockOpenSessionRow(tx: Queryable, userId: string): Promise<SessionRow | undefined> {
  const { rows } = await tx.query<SessionRow>(`${SELECT} WHERE s.user_id = $1 AND s.status NOT IN ('Ended', 'Error') FOR UPDATE OF s`, [userId]);
  return rows[0];
}

/** Ends an open session that only held consent keywords, superseded by a business-initiated session. */
export async function endSupersededSession(tx: Queryable, id: string, now: number, reason: SessionEndReasonCode): Promise<void> {
  const when = new Date(now);
  await tx.query("UPDATE sessions SET status = 'Ended', ended_at = $2, updated_at = $2, end_reason = $3, expires_at = NULL, route_to = NULL WHERE id = $1 AND status = 'Consent'", [id, when, reason]);
}

/** A session row by id, inside a transaction (after writing it). */
export async function sessionRowById(q: Queryable, id: string): Promise<SessionRow | undefined> {
  const { rows } = await q.query<SessionRow>(`${SELECT} WHERE s.id = $1`, [id]);
  return rows[0];
}

/** Locks the session's user row, then the session's; reads the session. */
export async function lockSessionRow(tx: Queryable, id: string): Promise<SessionRow | undefined> {
  const { rows: owners } = await tx.query<{ user_id: string | number }>('SELECT user_id FROM sessions WHERE id = $1', [id]);
  const owner = owners[0];
  if (owner === undefined) return undefined;
  await tx.query('SELECT id FROM messaging_users WHERE id = $1 FOR UPDATE', [owner.user_id]);
  const { rows } = await tx.query<SessionRow>(`${SELECT} WHERE s.id = $1 FOR UPDATE OF s`, [id]);
  return rows[0];
}

/** Locks a messaging user by channel and platform key; its id, or undefined when there is no such user. */
export async function lockUserId(tx: Queryable, channelId: string, platformKey: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ id: string | number }>('SELECT id FROM messaging_users WHERE channel_id = $1 AND platform_key = $2 FOR UPDATE', [channelId, platformKey]);
  return rows[0] === undefined ? undefined : String(rows[0].id);
}

/** A user's session rows, newest first, at most `limit`. */
export async function sessionRowsOfUser(tx: Queryable, userId: string, limit: number): Promise<SessionRow[]> {
  return (await tx.query<SessionRow>(`${SELECT} WHERE s.user_id = $1 ORDER BY s.id DESC LIMIT $2`, [userId, limit])).rows;
}

/** Writes a session's next state (a transition's). */
export async function writeSessionState(tx: Queryable, id: string | number, n: TransitionResult, now: number): Promise<void> {
  const date = (v: number | null | undefined): Date | null => (v === null || v === undefined ? null : new Date(v));
  await tx.query(
    `UPDATE sessions SET status = $2, rep_id = $3, agent_type = COALESCE($4, agent_type), route_to = $5, expires_at = $6,
       accepted_at = COALESCE($7, accepted_at), ended_at = COALESCE($8, ended_at), end_reason = COALESCE($9, end_reason), updated_at = $10
     WHERE id = $1`,
    [id, n.status, n.repId, n.agentType ?? null, n.routeTo === null ? null : JSON.stringify(n.routeTo), date(n.expiresAt), date(n.acceptedAt), date(n.endedAt), n.endReason ?? null, new Date(now)],
  );
}
