/**
 * The session lifecycle's pure rules (src/sessions/lifecycle.ts): which transitions each status and
 * channel type allow, what they set, the refusals' codes, and the timeouts to the millisecond.
 */
import { describe, expect, it } from 'vitest';
import { CHANNEL_TYPES, type ChannelType } from '../../src/channels/profiles.js';
import { SESSION_STATUSES, type SessionStatus } from '../../src/consent/engine.js';
import { decideTransition, dueExpiry, expiryOf, newSessionTimeoutMs, SESSION_TIMEOUTS, supportsAction, usesRepCapacity, type TransitionRequest } from '../../src/sessions/lifecycle.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-21T10:00:00Z');

const accept: TransitionRequest = { action: 'accept', agentId: 'rep-b', agentType: 'Rep' };
const inactive: TransitionRequest = { action: 'markInactive', repId: 'rep-a' };
const end: TransitionRequest = { action: 'end', by: 'rep' };
const transfer: TransitionRequest = { action: 'transfer', repId: 'rep-a', target: { kind: 'rep', id: 'rep-c' } };

describe('the transition table', () => {
  const allowedFrom = (request: TransitionRequest, type: ChannelType = 'FacebookEnhanced'): SessionStatus[] =>
    SESSION_STATUSES.filter((status) => decideTransition({ status, repId: 'rep-a' }, type, request, NOW).ok);

  it('accept: Waiting only', () => expect(allowedFrom(accept)).toEqual(['Waiting']));
  it('mark inactive: Active only', () => expect(allowedFrom(inactive)).toEqual(['Active']));
  it('transfer: Active only', () => expect(allowedFrom(transfer)).toEqual(['Active']));
  it('end: every open status', () => expect(allowedFrom(end)).toEqual(['New', 'Waiting', 'Active', 'Consent', 'Inactive']));

  it('closed sessions refuse everything with E_SESSION_CLOSED; other statuses with E_INVALID_TRANSITION', () => {
    for (const status of ['Ended', 'Error'] as const) {
      for (const request of [accept, inactive, end, transfer]) {
        const d = decideTransition({ status, repId: 'rep-a' }, 'FacebookEnhanced', request, NOW);
        expect(d.ok ? undefined : [d.refusal.status, d.refusal.code]).toEqual([409, 'E_SESSION_CLOSED']);
      }
    }
    const d = decideTransition({ status: 'New', repId: 'rep-a' }, 'FacebookEnhanced', accept, NOW);
    expect(d.ok ? undefined : [d.refusal.status, d.refusal.code]).toEqual([409, 'E_INVALID_TRANSITION']);
  });
});

describe('what each transition sets', () => {
  it('accept: Active, the accepting agent replaces the rep, the routing target and expiry are cleared, acceptedAt is now', () => {
    const d = decideTransition({ status: 'Waiting', repId: 'rep-a', routeTo: { kind: 'queue', id: 'q' } }, 'WhatsAppEnhanced', { action: 'accept', agentId: 'bot-1', agentType: 'Bot' }, NOW);
    expect(d).toEqual({ ok: true, next: { status: 'Active', repId: 'bot-1', agentType: 'Bot', routeTo: null, expiresAt: null, acceptedAt: NOW } });
  });

  it('accept of a session transferred to a rep or bot: only by that rep or bot', () => {
    for (const kind of ['rep', 'bot'] as const) {
      const session = { status: 'Waiting' as const, repId: 'rep-a', routeTo: { kind, id: 'target' } };
      const wrong = decideTransition(session, 'EmbeddedWeb', accept, NOW);
      expect(wrong.ok ? undefined : [wrong.refusal.code, wrong.refusal.pointer]).toEqual(['E_NOT_TRANSFER_TARGET', '/agentId']);
      expect(decideTransition(session, 'EmbeddedWeb', { action: 'accept', agentId: 'target', agentType: 'Rep' }, NOW).ok).toBe(true);
    }
  });

  it('B:15 a status-based reply routed back to its rep, refused for another rep, says so and not "transferred" (issue 18 item 8)', () => {
    const session = { status: 'Waiting' as const, repId: 'rep-sam', routeTo: { kind: 'rep' as const, id: 'rep-sam' } };
    const wrong = decideTransition(session, 'SmsLongCode', accept, NOW);
    expect(wrong.ok ? undefined : wrong.refusal.code).toBe('E_NOT_TRANSFER_TARGET');
    const message = wrong.ok ? '' : wrong.refusal.message;
    expect(message).not.toContain('transferred');
    expect(message).toContain('routed back to rep-sam');
    expect(message).toContain('B:15');
    const transferred = decideTransition({ status: 'Waiting', repId: 'rep-a', routeTo: { kind: 'rep', id: 'rep-c' } }, 'EmbeddedWeb', accept, NOW);
    expect(transferred.ok ? '' : transferred.refusal.message).toContain('transferred to the rep rep-c');
  });

  it('mark inactive: Inactive, ending 30 hours later; only by the session\'s rep', () => {
    expect(decideTransition({ status: 'Active', repId: 'rep-a' }, 'FacebookEnhanced', inactive, NOW)).toEqual({ ok: true, next: { status: 'Inactive', repId: 'rep-a', routeTo: null, expiresAt: NOW + 30 * HOUR } });
    const other = decideTransition({ status: 'Active', repId: 'rep-z' }, 'FacebookEnhanced', inactive, NOW);
    expect(other.ok ? undefined : [other.refusal.status, other.refusal.code]).toEqual([409, 'E_NOT_SESSION_REP']);
  });

  it('transfer: Waiting for the target, the rep stays; not to the same rep; only by the session\'s rep', () => {
    expect(decideTransition({ status: 'Active', repId: 'rep-a' }, 'EmbeddedInApp', transfer, NOW)).toEqual({ ok: true, next: { status: 'Waiting', repId: 'rep-a', routeTo: { kind: 'rep', id: 'rep-c' }, expiresAt: null } });
    const self = decideTransition({ status: 'Active', repId: 'rep-a' }, 'EmbeddedInApp', { ...transfer, target: { kind: 'rep', id: 'rep-a' } }, NOW);
    expect(self.ok ? undefined : [self.refusal.status, self.refusal.code]).toEqual([422, 'E_TRANSFER_TO_SELF']);
    const other = decideTransition({ status: 'Active', repId: 'rep-z' }, 'EmbeddedInApp', transfer, NOW);
    expect(other.ok ? undefined : other.refusal.code).toBe('E_NOT_SESSION_REP');
    // A queue named like the rep is not the rep.
    expect(decideTransition({ status: 'Active', repId: 'rep-a' }, 'EmbeddedInApp', { ...transfer, target: { kind: 'queue', id: 'rep-a' } }, NOW).ok).toBe(true);
  });

  it('end: Ended now, by the rep or (Web and In-App) the customer', () => {
    expect(decideTransition({ status: 'Inactive', repId: 'rep-a', expiresAt: NOW + HOUR }, 'FacebookEnhanced', end, NOW)).toEqual({ ok: true, next: { status: 'Ended', repId: 'rep-a', routeTo: null, expiresAt: null, endedAt: NOW, endReason: 'ENDED_BY_REP' } });
    const customer = decideTransition({ status: 'Active' }, 'EmbeddedWeb', { action: 'end', by: 'customer' }, NOW);
    expect(customer.ok ? customer.next.endReason : undefined).toBe('ENDED_BY_CUSTOMER');
  });
});

describe('which channel types offer which action', () => {
  const offering = (action: 'transfer' | 'markInactive' | 'accept' | 'end', by?: 'rep' | 'customer'): ChannelType[] => CHANNEL_TYPES.filter((t) => supportsAction(action, t, by));

  it('transfer and mark inactive: enhanced channels and In-App and Web (G:6450, G:6483, X:42)', () => {
    const expected = ['SmsEnhanced', 'FacebookEnhanced', 'WhatsAppEnhanced', 'EmbeddedWeb', 'EmbeddedInApp', 'AppleMessagesEnhanced', 'LineEnhanced', 'BringYourOwn'];
    expect(offering('transfer').sort()).toEqual([...expected].sort());
    expect(offering('markInactive').sort()).toEqual([...expected].sort());
  });

  it('accept and end by a rep: everywhere; end by the customer: Web and In-App (row 310)', () => {
    expect(offering('accept')).toEqual([...CHANNEL_TYPES]);
    expect(offering('end')).toEqual([...CHANNEL_TYPES]);
    expect(offering('end', 'customer').sort()).toEqual(['EmbeddedInApp', 'EmbeddedWeb']);
  });

  it('an action the channel doesn\'t offer is a 422 E_ACTION_NOT_SUPPORTED, whatever the status', () => {
    for (const status of SESSION_STATUSES) {
      const d = decideTransition({ status, repId: 'rep-a' }, 'SmsLongCode', inactive, NOW);
      expect(d.ok ? undefined : [d.refusal.status, d.refusal.code]).toEqual([422, 'E_ACTION_NOT_SUPPORTED']);
    }
    const customer = decideTransition({ status: 'Active' }, 'WhatsAppEnhanced', { action: 'end', by: 'customer' }, NOW);
    expect(customer.ok ? undefined : [customer.refusal.code, customer.refusal.pointer]).toEqual(['E_ACTION_NOT_SUPPORTED', '/by']);
  });
});

describe('timeouts', () => {
  it('Inactive: 30 hours; New: 48 hours on enhanced channels, 24 on standard ones; other statuses never expire', () => {
    expect(SESSION_TIMEOUTS.inactiveMs).toBe(30 * HOUR);
    expect(expiryOf('Inactive', 'SmsLongCode', NOW)).toBe(NOW + 30 * HOUR);
    expect(expiryOf('New', 'WhatsAppEnhanced', NOW)).toBe(NOW + 48 * HOUR);
    expect(expiryOf('New', 'SmsLongCode', NOW)).toBe(NOW + 24 * HOUR);
    expect(CHANNEL_TYPES.filter((t) => newSessionTimeoutMs(t) === 24 * HOUR).sort()).toEqual(['FacebookStandard', 'SmsLongCode', 'SmsShortCode', 'SmsTollFree', 'WhatsAppStandard']);
    for (const status of ['Waiting', 'Active', 'Consent', 'Ended', 'Error'] as const) expect(expiryOf(status, 'FacebookEnhanced', NOW)).toBeUndefined();
  });

  it('a session expires at its deadline exactly, and ends at the deadline, not when noticed', () => {
    const at = NOW + 48 * HOUR;
    expect(dueExpiry({ status: 'New', expiresAt: at }, at - 1)).toBeUndefined();
    expect(dueExpiry({ status: 'New', expiresAt: at }, at)).toEqual({ at, reason: 'NO_RESPONSE_TIMEOUT' });
    expect(dueExpiry({ status: 'Inactive', expiresAt: at }, at + 5 * HOUR)).toEqual({ at, reason: 'INACTIVE_TIMEOUT' });
    // A stale expiry on a session that moved on doesn't end it.
    expect(dueExpiry({ status: 'Waiting', expiresAt: at }, at + HOUR)).toBeUndefined();
    expect(dueExpiry({ status: 'New' }, at + HOUR)).toBeUndefined();
  });

  it('only an Active session uses the rep\'s capacity (B:13, G:6491)', () => {
    expect(SESSION_STATUSES.filter(usesRepCapacity)).toEqual(['Active']);
  });
});
