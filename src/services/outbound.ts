/**
 * The outbound service: business-initiated messages' check, and the send, which runs the same
 * rules (src/outbound/rules.ts) and, when they allow it, records everything in one transaction:
 * the enhanced-SMS messaging user created on attestation (with its consent ledger entry), the
 * rep's New session (or the automatic notification's Ended one), and the outbound message.
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
import type { StoredChannel } from '../store/channels.js';
import type { Database, Queryable } from '../store/database.js';
import { createAttestedUser, insertOutboundMessage, insertOutboundSession, lockRecipient, recipient, touchSession, type RecipientRow } from '../store/outbound.js';
import { endSupersededSession } from '../store/sessions.js';
import { openSessionOf, sessionById, type Session } from './sessions.js';

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

const ms = (d: Date | string | null): number | undefined => (d === null ? undefined : new Date(d).getTime());

export class OutboundService {
  constructor(private readonly db: Database) {}

  /** Runs the rules; changes nothing but the expiry of a session whose time has run out. */
  async check(input: OutboundMessageInput, now: number): Promise<OutboundCheckResult> {
    return this.db.transaction(async (tx) => {
      const user = await recipient(tx, input.channel.id, input.platformKey, false);
      const open = user === undefined ? undefined : await openSessionOf(tx, String(user.id), now);
      const decision = this.decide(input, user, open, now);
      return { decision, ...(open !== undefined ? { openSession: open } : {}), ...(user !== undefined ? { user: { consentStatus: user.consent_status } } : {}) };
    });
  }

  /** Runs the rules and, when they allow it, records the send (see the module comment). */
  async send(input: OutboundMessageInput, now: number): Promise<OutboundSendResult> {
    try {
      return await this.db.transaction(async (tx) => {
        await lockRecipient(tx, input.channel.id, input.platformKey);
        // Twice at most: a user created meanwhile by an inbound message makes the first decision stale.
        for (let attempt = 0; ; attempt++) {
          const sent = await this.trySend(tx, input, now);
          if (sent !== 'retry') return sent;
          if (attempt > 0) throw new Error(`The messaging user ${input.platformKey} on ${input.channel.id} could not be created or found`);
        }
      });
    } catch (e) {
      // PostgreSQL's unique violation: the customer's one open session went to someone else first.
      if ((e as { code?: string }).code === '23505') throw new SessionConflictError();
      throw e;
    }
  }

  /** One attempt of a send; `retry` when the user it would create exists meanwhile. */
  private async trySend(tx: Queryable, input: OutboundMessageInput, now: number): Promise<OutboundSendResult | 'retry'> {
    let user = await recipient(tx, input.channel.id, input.platformKey, true);
    const open = user === undefined ? undefined : await openSessionOf(tx, String(user.id), now);
    const decision = this.decide(input, user, open, now);
    if (!decision.allowed) return { sent: false, decision };
    let created = false;
    if (decision.createsUser) {
      const cause: ConsentCause = { kind: 'attestation', detail: `rep ${input.repId}${input.keyLabel !== undefined ? `, key ${input.keyLabel}` : ''}` };
      user = await createAttestedUser(tx, input.channel.id, input.platformKey, new Date(now), cause);
      if (user === undefined) return 'retry';
      created = true;
    }
    if (user === undefined) throw new Error('Internal error: an allowed send without a messaging user');
    const plan = decision.session;
    let sessionId: string;
    if (plan.action === 'create') {
      if (plan.supersedes !== undefined) await endSupersededSession(tx, plan.supersedes, now, SessionEndReason.SupersededByOutbound);
      sessionId = await insertOutboundSession(tx, {
        userId: user.id,
        channelId: input.channel.id,
        status: plan.status,
        origin: input.automatic ? 'automatic' : 'outbound',
        repId: input.repId,
        agentType: input.automatic ? null : 'Rep',
        at: new Date(now),
        expiresAt: plan.expiresAt === undefined ? null : new Date(plan.expiresAt),
        endReason: SessionEndReason.AutomaticNotification,
      });
    } else {
      sessionId = plan.id;
      await touchSession(tx, sessionId, new Date(now));
    }
    const messageId = await insertOutboundMessage(tx, user.id, sessionId, input.text, new Date(now), input.repId, input.record);
    return {
      sent: true,
      decision,
      session: (await sessionById(tx, sessionId)) as Session,
      sessionCreated: plan.action === 'create',
      messageId,
      messagingUser: { platformKey: input.platformKey, consentStatus: user.consent_status, created },
    };
  }

  private decide(input: OutboundMessageInput, user: RecipientRow | undefined, open: Session | undefined, now: number): OutboundDecision {
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
