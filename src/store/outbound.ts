/**
 * Business-initiated (outbound) messages: the check, and the send, which runs the same rules and,
 * when they allow it, records everything in one transaction: the enhanced-SMS messaging user
 * created on attestation (with its consent ledger entry), the rep's New session (or the
 * automatic notification's Ended one), and the outbound message.
 *
 * Concurrency: a send takes a lock on the recipient (an advisory lock on channel and platform key,
 * then the user's row, which inbound processing also locks), so two reps sending to one customer
 * at once take turns and the second sees the first one's session: SESSION_IN_PROGRESS. The
 * one-open-session-per-user unique index backs this up; a violation of it is reported the same way.
 */
import type { ConsentCause } from '../consent/engine.js';
import type { ConsentStatus } from '../consent/settings.js';
import { decideOutbound, type OutboundContent, type OutboundDecision } from '../outbound/rules.js';
import { SessionEndReason } from '../sessions/lifecycle.js';
import type { StoredChannel } from './channels.js';
import type { Database, Queryable } from './database.js';
import { endSupersededSession, openSessionOf, sessionById, type Session } from './sessions.js';

/** One outbound message, resolved by the route (the component read or validated). */
export interface OutboundMessageInput {
  readonly channel: StoredChannel;
  readonly platformKey: string;
  readonly repId: string;
  readonly content: OutboundContent;
  /** What is stored as the message's content: the request's content, with the component's name and version when stored. */
  readonly record: Readonly<Record<string, unknown>>;
  /** The message text (freeform), or '' for a component. */
  readonly text: string;
  readonly consentAttested: boolean;
  readonly automatic: boolean;
  /** Who sends: a rep (default) or an enhanced bot (the bot rules of the outbound decision). */
  readonly agentType?: 'Rep' | 'Bot';
  /** The API key's label, for the ledger cause of a created user. */
  readonly keyLabel?: string;
}

export interface OutboundCheckResult {
  readonly decision: OutboundDecision;
  /** The user's open session (after expiry), if any. */
  readonly openSession?: Session;
  readonly user?: { readonly consentStatus: ConsentStatus };
}

export type OutboundSendResult =
  | { readonly sent: false; readonly decision: OutboundDecision }
  | {
      readonly sent: true;
      readonly decision: OutboundDecision;
      readonly session: Session;
      readonly sessionCreated: boolean;
      readonly messageId: string;
      readonly messagingUser: { readonly platformKey: string; readonly consentStatus: ConsentStatus; readonly created: boolean };
    };

/** A send lost a race for the customer's one open session (the unique index): report it as SESSION_IN_PROGRESS. */
export class SessionConflictError extends Error {
  constructor() {
    super('Another session for this customer was opened at the same time');
    this.name = 'SessionConflictError';
  }
}

interface UserRow {
  id: string | number;
  consent_status: ConsentStatus;
  last_inbound_at: Date | string | null;
}

const ms = (d: Date | string | null): number | undefined => (d === null ? undefined : new Date(d).getTime());

export class OutboundStore {
  constructor(private readonly db: Database) {}

  /** Runs the rules; changes nothing but the expiry of a session whose time has run out. */
  async check(input: OutboundMessageInput, now: number): Promise<OutboundCheckResult> {
    return this.db.transaction(async (tx) => {
      const user = await this.user(tx, input, false);
      const open = user === undefined ? undefined : await openSessionOf(tx, String(user.id), now);
      const decision = this.decide(input, user, open, now);
      return { decision, ...(open !== undefined ? { openSession: open } : {}), ...(user !== undefined ? { user: { consentStatus: user.consent_status } } : {}) };
    });
  }

  /** Runs the rules and, when they allow it, records the send (see the module comment). */
  async send(input: OutboundMessageInput, now: number): Promise<OutboundSendResult> {
    try {
      return await this.db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`outbound:${input.channel.id}:${input.platformKey}`]);
        // Twice at most: a user created meanwhile by an inbound message makes the first decision stale.
        for (let attempt = 0; ; attempt++) {
          let user = await this.user(tx, input, true);
          const open = user === undefined ? undefined : await openSessionOf(tx, String(user.id), now);
          const decision = this.decide(input, user, open, now);
          if (!decision.allowed) return { sent: false, decision };
          let created = false;
          if (decision.createsUser) {
            const at = new Date(now);
            const { rows } = await tx.query<UserRow>(
              `INSERT INTO messaging_users (channel_id, platform_key, consent_status, created_at, updated_at) VALUES ($1, $2, 'ExplicitlyOptedIn', $3, $3)
               ON CONFLICT (channel_id, platform_key) DO NOTHING RETURNING id, consent_status, last_inbound_at`,
              [input.channel.id, input.platformKey, at],
            );
            if (rows[0] === undefined) {
              if (attempt > 0) throw new Error(`The messaging user ${input.platformKey} on ${input.channel.id} could not be created or found`);
              continue;
            }
            user = rows[0];
            created = true;
            const cause: ConsentCause = { kind: 'attestation', detail: `rep ${input.repId}${input.keyLabel !== undefined ? `, key ${input.keyLabel}` : ''}` };
            await tx.query('INSERT INTO consent_ledger (user_id, from_status, to_status, cause, at) VALUES ($1, NULL, $2, $3, $4)', [user.id, 'ExplicitlyOptedIn', JSON.stringify(cause), at]);
          }
          if (user === undefined) throw new Error('Internal error: an allowed send without a messaging user');
          const plan = decision.session;
          let sessionId: string;
          if (plan.action === 'create') {
            if (plan.supersedes !== undefined) await endSupersededSession(tx, plan.supersedes, now, SessionEndReason.SupersededByOutbound);
            const at = new Date(now);
            const ended = plan.status === 'Ended';
            const { rows } = await tx.query<{ id: string | number }>(
              `INSERT INTO sessions (user_id, channel_id, status, only_keywords, origin, rep_id, agent_type, created_at, updated_at, expires_at, ended_at, end_reason)
               VALUES ($1, $2, $3, true, $4, $5, $6, $7, $7, $8, $9, $10) RETURNING id`,
              [user.id, input.channel.id, plan.status, input.automatic ? 'automatic' : 'outbound', input.repId, input.automatic ? null : 'Rep', at, plan.expiresAt === undefined ? null : new Date(plan.expiresAt), ended ? at : null, ended ? SessionEndReason.AutomaticNotification : null],
            );
            sessionId = String((rows[0] as { id: string | number }).id);
          } else {
            sessionId = plan.id;
            await tx.query('UPDATE sessions SET updated_at = $2 WHERE id = $1', [sessionId, new Date(now)]);
          }
          const { rows: message } = await tx.query<{ id: string | number }>(
            "INSERT INTO messages (user_id, session_id, direction, text, matched, at, rep_id, content) VALUES ($1, $2, 'outbound', $3, NULL, $4, $5, $6) RETURNING id",
            [user.id, sessionId, input.text, new Date(now), input.repId, JSON.stringify(input.record)],
          );
          return {
            sent: true,
            decision,
            session: (await sessionById(tx, sessionId)) as Session,
            sessionCreated: plan.action === 'create',
            messageId: String((message[0] as { id: string | number }).id),
            messagingUser: { platformKey: input.platformKey, consentStatus: user.consent_status, created },
          };
        }
      });
    } catch (e) {
      // PostgreSQL's unique violation: the customer's one open session went to someone else first.
      if ((e as { code?: string }).code === '23505') throw new SessionConflictError();
      throw e;
    }
  }

  private async user(tx: Queryable, input: OutboundMessageInput, lock: boolean): Promise<UserRow | undefined> {
    const { rows } = await tx.query<UserRow>(`SELECT id, consent_status, last_inbound_at FROM messaging_users WHERE channel_id = $1 AND platform_key = $2${lock ? ' FOR UPDATE' : ''}`, [input.channel.id, input.platformKey]);
    return rows[0];
  }

  private decide(input: OutboundMessageInput, user: UserRow | undefined, open: Session | undefined, now: number): OutboundDecision {
    const last = user === undefined ? undefined : ms(user.last_inbound_at);
    return decideOutbound({
      settings: input.channel.settings,
      platformKey: input.platformKey,
      repId: input.repId,
      content: input.content,
      consentAttested: input.consentAttested,
      automatic: input.automatic,
      ...(input.agentType !== undefined ? { agentType: input.agentType } : {}),
      user: user === undefined ? undefined : { consentStatus: user.consent_status, ...(last !== undefined ? { lastInboundAt: last } : {}) },
      openSession: open === undefined ? undefined : { id: open.id, status: open.status, ...(open.repId !== undefined ? { repId: open.repId } : {}) },
      now,
    });
  }
}
