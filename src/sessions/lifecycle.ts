/**
 * The messaging session lifecycle (SPEC-EXTRACT §11): the statuses, the timeouts, and which
 * transitions reps, bots and customers may make. Pure functions: no database, no clock (the
 * caller passes `now`, read from the server's injectable clock). The server reads a session,
 * applies any expiry that is due ({@link dueExpiry}), decides the transition
 * ({@link decideTransition}) and writes the result in one transaction. docs/outbound.md lists the
 * rules and the decisions where the seeds are silent.
 */
import type { ChannelType } from '../channels/profiles.js';
import { isStandardChannel } from '../consent/settings.js';
import type { SessionStatus } from '../consent/engine.js';

const HOUR = 3_600_000;

/** The session timeouts, in milliseconds. */
export const SESSION_TIMEOUTS = {
  /** An Inactive session ends "after approximately 30 hours" (G:6491): Parlance uses 30 hours exactly. */
  inactiveMs: 30 * HOUR,
  /** A rep's New session on an enhanced channel ends when the customer doesn't respond or opt out within 48 hours (B:19). */
  newEnhancedMs: 48 * HOUR,
  /** A rep's New session on a standard channel ends after 24 hours (G:6308: a reply after 24 hours goes to another agent). */
  newStandardMs: 24 * HOUR,
} as const;

/** Why a session ended (the stored `endReason`): stable codes. */
export const SessionEndReason = {
  /** The customer opted out (G:3753). */
  OptedOut: 'OPTED_OUT',
  /** A rep or bot ended it (End Chat, End Session: G:6496-6508). */
  EndedByRep: 'ENDED_BY_REP',
  /** The customer ended it (Web and In-App only, matrix row 310). */
  EndedByCustomer: 'ENDED_BY_CUSTOMER',
  /** Inactive for 30 hours (G:6491). */
  InactiveTimeout: 'INACTIVE_TIMEOUT',
  /** A rep's New session got no response or opt-out in time (B:19, G:6308). */
  NoResponseTimeout: 'NO_RESPONSE_TIMEOUT',
  /** Tab-based capacity: the customer's reply was routed as a new session (B:16). */
  ReplyRoutedAsNewSession: 'REPLY_ROUTED_AS_NEW_SESSION',
  /** A session that held only consent keywords, replaced by a rep's business-initiated session. */
  SupersededByOutbound: 'SUPERSEDED_BY_OUTBOUND',
  /** An automatic notification's session, created Ended (X:56). */
  AutomaticNotification: 'AUTOMATIC_NOTIFICATION',
} as const;
export type SessionEndReasonCode = (typeof SessionEndReason)[keyof typeof SessionEndReason];

/** Stable codes of refused session transitions. */
export const SessionErrorCode = {
  /** The session's status doesn't allow the action (409). */
  InvalidTransition: 'E_INVALID_TRANSITION',
  /** The session has ended (Ended or Error): nothing more can happen to it (409). */
  SessionClosed: 'E_SESSION_CLOSED',
  /** The channel type doesn't offer the action (422). */
  ActionNotSupported: 'E_ACTION_NOT_SUPPORTED',
  /** Only the rep or bot in the session may do this (409). */
  NotSessionRep: 'E_NOT_SESSION_REP',
  /** The session was transferred to another rep or bot, who must accept it (409). */
  NotTransferTarget: 'E_NOT_TRANSFER_TARGET',
  /** A transfer to the rep or bot who already has the session (422). */
  TransferToSelf: 'E_TRANSFER_TO_SELF',
} as const;
export type SessionErrorCodeValue = (typeof SessionErrorCode)[keyof typeof SessionErrorCode];

/** Who a session is being routed or transferred to. */
export interface RouteTarget {
  /** A rep (agent), an enhanced bot, a queue or a flow (G:6448: "another qualified agent, flow, or enhanced bot"). */
  readonly kind: 'rep' | 'bot' | 'queue' | 'flow';
  readonly id: string;
}

/** What the lifecycle needs to know about a stored session. */
export interface SessionState {
  readonly status: SessionStatus;
  /** The rep or bot who has (or last had) the session: who sent the business-initiated message, or accepted it. */
  readonly repId?: string;
  /** Where the session is being routed: a transfer's target, or the rep a reply is routed back to. */
  readonly routeTo?: RouteTarget;
  /** Epoch ms when a New or Inactive session ends by itself. */
  readonly expiresAt?: number;
}

/** A requested transition. */
export type TransitionRequest =
  /** A rep or bot accepts a Waiting session (G:483). */
  | { readonly action: 'accept'; readonly agentId: string; readonly agentType: 'Rep' | 'Bot' }
  /** The rep closes the tab with No Customer Response (G:6481-6491). */
  | { readonly action: 'markInactive'; readonly repId: string }
  /** End Chat / End Session (G:6496-6508), or the customer ends the chat (row 310). */
  | { readonly action: 'end'; readonly by: 'rep' | 'customer' }
  /** The rep transfers an Active session to another rep, flow, bot or queue (G:6448-6477). */
  | { readonly action: 'transfer'; readonly repId: string; readonly target: RouteTarget };

export type SessionAction = TransitionRequest['action'];

/** The session after an allowed transition: the fields to store. `null` clears a field. */
export interface TransitionResult {
  readonly status: SessionStatus;
  readonly repId: string | null;
  /** Set by an accept; absent: unchanged. */
  readonly agentType?: 'Rep' | 'Bot';
  readonly routeTo: RouteTarget | null;
  readonly expiresAt: number | null;
  /** Set when the transition is an accept. */
  readonly acceptedAt?: number;
  readonly endedAt?: number;
  readonly endReason?: SessionEndReasonCode;
}

/** A refused transition: the HTTP status, a stable code, a message, and the request field at fault. */
export interface TransitionRefusal {
  readonly status: 409 | 422;
  readonly code: SessionErrorCodeValue;
  readonly message: string;
  /** JSON pointer into the request body. */
  readonly pointer: string;
}

/** Statuses of a closed session (G:506: "ended with a status of Ended or Error"). */
export const CLOSED_STATUSES: readonly SessionStatus[] = ['Ended', 'Error'];

/** The enhanced-only channel types of the newer documents (X:42), treated like the guide's enhanced channels. */
const NEWER_ENHANCED: ReadonlySet<ChannelType> = new Set(['SmsEnhanced', 'AppleMessagesEnhanced', 'LineEnhanced', 'BringYourOwn']);
/** The channel types the guide names for transfer and mark inactive (G:6450, G:6483), plus the newer enhanced ones. */
const TRANSFER_AND_INACTIVE: ReadonlySet<ChannelType> = new Set(['FacebookEnhanced', 'WhatsAppEnhanced', 'EmbeddedWeb', 'EmbeddedInApp', ...NEWER_ENHANCED]);
/** Channel types where the customer can end the conversation (matrix row 310). */
const CUSTOMER_CAN_END: ReadonlySet<ChannelType> = new Set(['EmbeddedWeb', 'EmbeddedInApp']);

/**
 * Whether the channel type offers an action:
 * - transfer and mark inactive: enhanced Facebook Messenger, enhanced WhatsApp, Messaging for
 *   In-App and Web (G:6450, G:6483), and the enhanced-only channel types of the newer documents
 *   (enhanced SMS, Apple Messages, LINE, Bring Your Own Channel; X:42), whose Inactive status is
 *   "Enhanced + MIAW" (G:491);
 * - accept and end (by a rep): every channel (matrix rows 308, 357, 361);
 * - end by the customer: Web and In-App only (row 310).
 */
export function supportsAction(action: SessionAction, channelType: ChannelType, by: 'rep' | 'customer' = 'rep'): boolean {
  switch (action) {
    case 'transfer':
    case 'markInactive':
      return TRANSFER_AND_INACTIVE.has(channelType);
    case 'end':
      return by === 'rep' || CUSTOMER_CAN_END.has(channelType);
    case 'accept':
      return true;
  }
}

/** How long a rep's New session waits for a response: 48 hours on enhanced channels (B:19), 24 hours on standard ones (G:6308). */
export function newSessionTimeoutMs(channelType: ChannelType): number {
  return isStandardChannel(channelType) ? SESSION_TIMEOUTS.newStandardMs : SESSION_TIMEOUTS.newEnhancedMs;
}

/** When a session that enters `status` at `enteredAt` ends by itself, or undefined when it doesn't (only New and Inactive sessions expire). */
export function expiryOf(status: SessionStatus, channelType: ChannelType, enteredAt: number): number | undefined {
  if (status === 'New') return enteredAt + newSessionTimeoutMs(channelType);
  if (status === 'Inactive') return enteredAt + SESSION_TIMEOUTS.inactiveMs;
  return undefined;
}

/**
 * The expiry that is due at `now`, if any: a New session whose time without a response has run
 * out (`NO_RESPONSE_TIMEOUT`), or an Inactive session after 30 hours (`INACTIVE_TIMEOUT`). The
 * session ends at its expiry moment, not when the expiry is noticed: `at` is `expiresAt`. A
 * session expires at its deadline exactly ("within 48 hours": a reply at 48 h is too late).
 */
export function dueExpiry(session: SessionState, now: number): { readonly at: number; readonly reason: SessionEndReasonCode } | undefined {
  if (session.expiresAt === undefined || now < session.expiresAt) return undefined;
  if (session.status === 'New') return { at: session.expiresAt, reason: SessionEndReason.NoResponseTimeout };
  if (session.status === 'Inactive') return { at: session.expiresAt, reason: SessionEndReason.InactiveTimeout };
  return undefined;
}

/** Whether a session in this status uses the rep's capacity: only while a rep or bot has accepted it (B:13, G:6491). */
export function usesRepCapacity(status: SessionStatus): boolean {
  return status === 'Active';
}

const ACTION_LABEL: Readonly<Record<SessionAction, string>> = { accept: 'accepted', markInactive: 'marked inactive', end: 'ended', transfer: 'transferred' };
const ALLOWED_FROM: Readonly<Record<SessionAction, readonly SessionStatus[]>> = {
  accept: ['Waiting'],
  markInactive: ['Active'],
  end: ['New', 'Waiting', 'Active', 'Consent', 'Inactive'],
  transfer: ['Active'],
};
const WHY_NOT: Readonly<Record<SessionAction, string>> = {
  accept: 'only a Waiting session can be accepted (G:483)',
  markInactive: 'only an Active session can be marked inactive (G:6481-6489)',
  end: 'only an open session can be ended',
  transfer: 'only an Active session can be transferred (G:6452)',
};

/**
 * Decides a transition on a session whose due expiry has already been applied. Never throws.
 * - accept: Waiting → Active. The accepting rep or bot replaces the session's rep (a transfer's
 *   original rep "is removed from the conversation", G:6476). A session transferred to a rep or
 *   bot can be accepted only by that rep or bot.
 * - markInactive: Active → Inactive, by the session's rep, on the channel types of
 *   {@link supportsAction}; the session then ends after 30 hours.
 * - end: any open status → Ended (`ENDED_BY_REP`, or `ENDED_BY_CUSTOMER` on Web and In-App).
 * - transfer: Active → Waiting, by the session's rep, with a target; the original rep stays until
 *   the target accepts. A transfer can't be cancelled (G:6477).
 */
export function decideTransition(session: SessionState, channelType: ChannelType, request: TransitionRequest, now: number): { readonly ok: true; readonly next: TransitionResult } | { readonly ok: false; readonly refusal: TransitionRefusal } {
  const refuse = (status: 409 | 422, code: SessionErrorCodeValue, message: string, pointer = ''): { ok: false; refusal: TransitionRefusal } => ({ ok: false, refusal: { status, code, message, pointer } });
  const action = request.action;
  const by = request.action === 'end' ? request.by : 'rep';
  if (!supportsAction(action, channelType, by)) {
    const why =
      action === 'end'
        ? `customers can end the conversation only in Messaging for In-App and Web (matrix row 310); ${channelType} sessions are ended by a rep`
        : `${action === 'transfer' ? 'transfer' : 'marking a session inactive'} is available only in enhanced channels and Messaging for In-App and Web (${action === 'transfer' ? 'G:6450' : 'G:6483'}); ${channelType} is a standard channel`;
    return refuse(422, SessionErrorCode.ActionNotSupported, `A ${channelType} session can't be ${ACTION_LABEL[action]}: ${why}`, action === 'end' ? '/by' : '');
  }
  if (CLOSED_STATUSES.includes(session.status)) {
    return refuse(409, SessionErrorCode.SessionClosed, `The session has status ${session.status}: it can't be ${ACTION_LABEL[action]}. A new message starts a new session`);
  }
  if (!ALLOWED_FROM[action].includes(session.status)) {
    return refuse(409, SessionErrorCode.InvalidTransition, `The session has status ${session.status}: ${WHY_NOT[action]}`);
  }
  const repId = session.repId ?? null;
  switch (request.action) {
    case 'accept': {
      const target = session.routeTo;
      if (target !== undefined && (target.kind === 'rep' || target.kind === 'bot') && target.id !== request.agentId) {
        // A target that is the session's own rep is a status-based reply routed back to the rep who
        // sent the business-initiated message (B:15), not a transfer: a transfer to oneself is refused.
        const why =
          target.id === session.repId
            ? `The customer's reply is routed back to ${target.id}, who sent the business-initiated message (status-based capacity, B:15); only they can accept it`
            : `The session was transferred to the ${target.kind} ${target.id}; only they can accept it (G:6476)`;
        return refuse(409, SessionErrorCode.NotTransferTarget, why, '/agentId');
      }
      return { ok: true, next: { status: 'Active', repId: request.agentId, agentType: request.agentType, routeTo: null, expiresAt: null, acceptedAt: now } };
    }
    case 'markInactive':
      if (session.repId !== undefined && session.repId !== request.repId) {
        return refuse(409, SessionErrorCode.NotSessionRep, `The session is with ${session.repId}; only they can mark it inactive`, '/repId');
      }
      return { ok: true, next: { status: 'Inactive', repId, routeTo: null, expiresAt: expiryOf('Inactive', channelType, now) as number } };
    case 'transfer':
      if (session.repId !== undefined && session.repId !== request.repId) {
        return refuse(409, SessionErrorCode.NotSessionRep, `The session is with ${session.repId}; only they can transfer it`, '/repId');
      }
      if ((request.target.kind === 'rep' || request.target.kind === 'bot') && request.target.id === session.repId) {
        return refuse(422, SessionErrorCode.TransferToSelf, `The session is already with ${request.target.id}: transfer it to another rep, bot, flow or queue`, '/target/id');
      }
      return { ok: true, next: { status: 'Waiting', repId, routeTo: request.target, expiresAt: null } };
    case 'end':
      return {
        ok: true,
        next: { status: 'Ended', repId, routeTo: null, expiresAt: null, endedAt: now, endReason: request.by === 'customer' ? SessionEndReason.EndedByCustomer : SessionEndReason.EndedByRep },
      };
  }
}
