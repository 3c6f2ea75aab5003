/**
 * Business-initiated (outbound) messages' rows: the recipient's lock and row, the enhanced-SMS
 * messaging user created on attestation (with its consent ledger entry), the session a send
 * opens, and the outbound message. Repositories only, on the transaction handle they are given;
 * the check and the send (the rules, the session plan, the transaction) are the outbound
 * service's (src/services/outbound.ts).
 */
import type { ConsentCause } from '../consent/engine.js';
import type { ConsentStatus } from '../consent/settings.js';
import type { SessionEndReasonCode } from '../sessions/lifecycle.js';
import type { Queryable } from './database.js';

/** A recipient as the outbound rules read it. */
export interface RecipientRow {
  id: string | number;
  consent_status: ConsentStatus;
  last_inbound_at: Date | string | null;
}

/** Takes the recipient's lock (channel and platform key), held to the end of the transaction. */
export async function lockRecipient(tx: Queryable, channelId: string, platformKey: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`outbound:${channelId}:${platformKey}`]);
}

/** The recipient's row (locked with `lock`), or undefined when there is no such messaging user. */
export async function recipient(tx: Queryable, channelId: string, platformKey: string, lock: boolean): Promise<RecipientRow | undefined> {
  const { rows } = await tx.query<RecipientRow>(`SELECT id, consent_status, last_inbound_at FROM messaging_users WHERE channel_id = $1 AND platform_key = $2${lock ? ' FOR UPDATE' : ''}`, [channelId, platformKey]);
  return rows[0];
}

/**
 * Creates an explicitly opted-in messaging user and its consent ledger entry (`cause`);
 * undefined when the user exists already (created meanwhile).
 */
export async function createAttestedUser(tx: Queryable, channelId: string, platformKey: string, at: Date, cause: ConsentCause): Promise<RecipientRow | undefined> {
  const { rows } = await tx.query<RecipientRow>(
    `INSERT INTO messaging_users (channel_id, platform_key, consent_status, created_at, updated_at) VALUES ($1, $2, 'ExplicitlyOptedIn', $3, $3)
     ON CONFLICT (channel_id, platform_key) DO NOTHING RETURNING id, consent_status, last_inbound_at`,
    [channelId, platformKey, at],
  );
  const user = rows[0];
  if (user === undefined) return undefined;
  await tx.query('INSERT INTO consent_ledger (user_id, from_status, to_status, cause, at) VALUES ($1, NULL, $2, $3, $4)', [user.id, 'ExplicitlyOptedIn', JSON.stringify(cause), at]);
  return user;
}

/** A session a send opens: a rep's (New), or an automatic notification's (Ended, with its reason). */
export interface OutboundSessionRow {
  readonly userId: string | number;
  readonly channelId: string;
  readonly status: string;
  readonly origin: 'outbound' | 'automatic';
  readonly repId: string;
  readonly agentType: 'Rep' | null;
  readonly at: Date;
  readonly expiresAt: Date | null;
  readonly endReason: SessionEndReasonCode | null;
}

/** Inserts the session; its id. */
export async function insertOutboundSession(tx: Queryable, s: OutboundSessionRow): Promise<string> {
  const ended = s.status === 'Ended';
  const { rows } = await tx.query<{ id: string | number }>(
    `INSERT INTO sessions (user_id, channel_id, status, only_keywords, origin, rep_id, agent_type, created_at, updated_at, expires_at, ended_at, end_reason)
     VALUES ($1, $2, $3, true, $4, $5, $6, $7, $7, $8, $9, $10) RETURNING id`,
    [s.userId, s.channelId, s.status, s.origin, s.repId, s.agentType, s.at, s.expiresAt, ended ? s.at : null, ended ? s.endReason : null],
  );
  return String((rows[0] as { id: string | number }).id);
}

/** Marks an open session as just used. */
export async function touchSession(tx: Queryable, id: string, at: Date): Promise<void> {
  await tx.query('UPDATE sessions SET updated_at = $2 WHERE id = $1', [id, at]);
}

/** Inserts an outbound message; its id. */
export async function insertOutboundMessage(tx: Queryable, userId: string | number, sessionId: string, text: string, at: Date, repId: string, content: unknown): Promise<string> {
  const { rows } = await tx.query<{ id: string | number }>(
    "INSERT INTO messages (user_id, session_id, direction, text, matched, at, rep_id, content) VALUES ($1, $2, 'outbound', $3, NULL, $4, $5, $6) RETURNING id",
    [userId, sessionId, text, at, repId, JSON.stringify(content)],
  );
  return String((rows[0] as { id: string | number }).id);
}
