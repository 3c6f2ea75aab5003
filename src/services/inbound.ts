/**
 * The inbound service: each inbound message is processed in a transaction that finds or creates
 * the messaging user (locking its row, so concurrent messages for one user serialize), decides
 * with the consent engine (src/consent/engine.ts) and the session lifecycle
 * (src/sessions/lifecycle.ts), links the sender (src/services/linking.ts), and writes the user,
 * the consent ledger, the session and the message together (src/store/inbound.ts). A message is
 * acknowledged only after its transaction commits.
 *
 * Messages that arrive while a transaction is in progress form the next group: one transaction,
 * and a handful of statements for the whole group whatever its size (an upsert of every sender, a
 * session update, one write of everything else). The messages are decided one after another in
 * arrival order, so a sender who appears twice in a group sees the effects of their first
 * message, exactly as if each message had its own transaction; all are acknowledged when the
 * group commits (group commit). If the group's transaction fails, every message of the group is
 * retried in a transaction of its own, so one bad message never takes others with it.
 *
 * A message with the platform's message id is applied once per channel: a copy is answered from
 * the first one's receipt (src/store/receipts.ts).
 */
import { decideInbound, type InboundDecision, type MessagingUserState, type OpenSessionSummary, type SessionStatus } from '../consent/engine.js';
import type { ConsentStatus } from '../consent/settings.js';
import type { UserLink } from '../linking/links.js';
import { dueExpiry, SessionEndReason } from '../sessions/lifecycle.js';
import type { ChannelStore } from '../store/channels.js';
import type { Database, Queryable } from '../store/database.js';
import { loadSenders, newSessionIds, updateSessions, writeGroup, type GroupWrites, type InboundStateRow, type SessionUpdate } from '../store/inbound.js';
import { splitByReceipts, type MessageIdReusedError } from '../store/receipts.js';
import type { LinkingService } from './linking.js';

export interface InboundMessage {
  readonly channelId: string;
  /** The sender's platform key (phone number in E.164, page-scoped id…). */
  readonly from: string;
  readonly text: string;
  /** Epoch ms. */
  readonly receivedAt: number;
  /**
   * The platform's id for the message, unique per channel (src/store/receipts.ts): a message whose
   * id the channel has already seen is not processed again; it gets the first one's result.
   */
  readonly messageId?: string;
  /** A bot answers the channel's new sessions: no conversation acknowledgment (G:5211). */
  readonly botInUse?: boolean;
}

export interface InboundResult {
  readonly messagingUser: { readonly platformKey: string; readonly consentStatus: ConsentStatus; readonly language?: string; readonly created: boolean; readonly link?: UserLink };
  readonly session: { readonly id: string; readonly status: SessionStatus; readonly created: boolean };
  readonly matched: { readonly kind: string; readonly keyword: string; readonly language: string } | null;
  readonly responses: InboundDecision['responses'];
  readonly route: boolean;
  readonly routeReason: string;
  /** Where to route: a reply to a rep's business-initiated session on a status-based channel goes back to that rep (B:15). */
  readonly routeTo?: { readonly kind: 'rep'; readonly id: string };
  readonly closedSessions: readonly string[];
  readonly consentChanges: readonly { readonly from: ConsentStatus | null; readonly to: ConsentStatus }[];
  /** The message's id was seen before on this channel: this is the stored result of its first processing, and nothing was applied now. */
  readonly replayed?: true;
}

/** A session as the group sees it: stored (an id) or new in this group (an index into the new sessions). */
interface SessionRef {
  readonly stored?: string;
  readonly created?: number;
}

type OpenSession = SessionRef & { status: SessionStatus; onlyKeywords: boolean; repId?: string; expiresAt?: number };

/** One sender's state while the group is processed, message by message. */
interface SenderState {
  readonly userId: string;
  readonly channelVersion: number;
  /** The user is new and no message of the group has been decided yet. */
  fresh: boolean;
  consentStatus: ConsentStatus;
  pending: boolean;
  language: string | undefined;
  session: OpenSession | undefined;
  /** The user row changed and must be written. */
  dirty: boolean;
  lastAt: number;
}

interface NewSession {
  readonly userId: string;
  readonly channelId: string;
  readonly createdAt: number;
  status: SessionStatus;
  onlyKeywords: boolean;
  at: number;
}

const keyOf = (channelId: string, platformKey: string): string => `${channelId}\u0000${platformKey}`;

/** Each sender's state, from the rows the group's first statement returned. */
function sendersOf(rows: readonly InboundStateRow[]): Map<string, SenderState> {
  const senders = new Map<string, SenderState>();
  for (const r of rows) {
    senders.set(keyOf(r.channel_id, r.platform_key), {
      userId: String(r.user_id),
      channelVersion: Number(r.channel_version),
      fresh: r.created,
      consentStatus: r.consent_status,
      pending: r.pending_double_opt_in,
      language: r.language ?? undefined,
      session:
        r.session_id === null || r.session_id === undefined
          ? undefined
          : {
              stored: String(r.session_id),
              status: r.session_status as SessionStatus,
              onlyKeywords: r.only_keywords === true,
              ...(typeof r.session_rep_id === 'string' ? { repId: r.session_rep_id } : {}),
              ...(r.session_expires_at !== null && r.session_expires_at !== undefined ? { expiresAt: new Date(r.session_expires_at).getTime() } : {}),
            },
      dirty: false,
      lastAt: 0,
    });
  }
  return senders;
}

/**
 * What a group decides, message by message, before anything is written: the sessions it creates
 * and updates, the ledger entries, the messages and each message's result.
 */
class GroupPlan {
  readonly newSessions: NewSession[] = [];
  readonly updatedSessions = new Map<string, SessionUpdate>();
  readonly ledger: GroupWrites['ledger'][number][] = [];
  readonly messages: { userId: string; session: SessionRef; text: string; matched: string | null; at: number; messageId?: string }[] = [];
  readonly pending: { result: Omit<InboundResult, 'session' | 'closedSessions'>; session: SessionRef; status: SessionStatus; created: boolean; closed: SessionRef[] }[] = [];

  constructor(private readonly links: ReadonlyMap<string, UserLink>) {}

  /** Records a stored session's new state; a routing target set earlier in the group is kept. */
  private setStored(id: string, v: SessionUpdate): void {
    const routeTo = v.routeTo ?? this.updatedSessions.get(id)?.routeTo;
    this.updatedSessions.set(id, { ...v, ...(routeTo !== undefined ? { routeTo } : {}) });
  }

  /**
   * A New or Inactive session whose time ran out ended at that moment (B:19, G:6308, G:6491): it
   * ends now, with its expiry as its end, and the message starts a new session.
   */
  private expireOpen(st: SenderState, receivedAt: number): OpenSession | undefined {
    const open = st.session;
    if (open?.stored === undefined || open.expiresAt === undefined) return open;
    const due = dueExpiry({ status: open.status, expiresAt: open.expiresAt }, receivedAt);
    if (due === undefined) return open;
    this.setStored(open.stored, { status: 'Ended', onlyKeywords: open.onlyKeywords, at: due.at, endReason: due.reason });
    st.session = undefined;
    return undefined;
  }

  /** Applies the decision to the sender's user state; the ledger gets its consent changes. */
  private applyUser(st: SenderState, decision: InboundDecision, receivedAt: number, messageId: string | undefined): void {
    const d = decision.user;
    // A new user's row was inserted with the defaults (ImplicitlyOptedIn, no language): it is written
    // again only when the decision differs from them, which saves an UPDATE per new sender.
    if (d.consentStatus !== st.consentStatus || d.pendingDoubleOptIn !== st.pending || (d.language ?? undefined) !== st.language) st.dirty = true;
    st.fresh = false;
    st.consentStatus = d.consentStatus;
    st.pending = d.pendingDoubleOptIn;
    st.language = d.language;
    st.lastAt = Math.max(st.lastAt, receivedAt);
    for (const c of decision.consentChanges) this.ledger.push({ userId: st.userId, from: c.from, to: c.to, cause: c.cause, at: receivedAt, ...(messageId !== undefined ? { messageId } : {}) });
  }

  /**
   * Applies the decision to the sessions: a new session, or the open one's new state. Returns the
   * message's session, the sessions it closed, whether it created one, and the sender's open
   * session afterwards.
   */
  private applySession(st: SenderState, msg: InboundMessage, open: OpenSession | undefined, decision: InboundDecision): { ref: SessionRef; closed: SessionRef[]; created: boolean; routeTo?: { kind: 'rep'; id: string } } {
    const closed: SessionRef[] = [];
    // Tab-based capacity: a reply to a rep's New session ends it and is routed as a new session (B:16).
    const replaced = decision.replyRouting === 'NewSession' && open?.stored !== undefined ? open : undefined;
    // Status-based capacity: the reply goes back to the rep who sent the message (B:15).
    const routeTo = decision.replyRouting === 'SameRep' && open?.repId !== undefined ? { kind: 'rep' as const, id: open.repId } : undefined;
    let ref: SessionRef;
    if (open === undefined || replaced !== undefined) {
      if (replaced?.stored !== undefined) {
        this.setStored(replaced.stored, { status: 'Ended', onlyKeywords: replaced.onlyKeywords, at: msg.receivedAt, endReason: SessionEndReason.ReplyRoutedAsNewSession });
        closed.push({ stored: replaced.stored });
      }
      ref = { created: this.newSessions.length };
      this.newSessions.push({ userId: st.userId, channelId: msg.channelId, createdAt: msg.receivedAt, status: decision.sessionStatus, onlyKeywords: decision.onlyKeywordsSoFar, at: msg.receivedAt });
    } else {
      ref = open.stored !== undefined ? { stored: open.stored } : { created: open.created as number };
      const endReason = decision.sessionStatus === 'Ended' ? { endReason: SessionEndReason.OptedOut } : {};
      if (open.stored !== undefined) this.setStored(open.stored, { status: decision.sessionStatus, onlyKeywords: decision.onlyKeywordsSoFar, at: msg.receivedAt, ...endReason, ...(routeTo !== undefined ? { routeTo: JSON.stringify(routeTo) } : {}) });
      else Object.assign(this.newSessions[open.created as number] as NewSession, { status: decision.sessionStatus, onlyKeywords: decision.onlyKeywordsSoFar, at: msg.receivedAt });
    }
    if (decision.closeOpenSessions && open !== undefined) closed.push(ref);
    const ended = decision.sessionStatus === 'Ended' || decision.sessionStatus === 'Error';
    const kept = replaced === undefined && open !== undefined && (decision.sessionStatus === 'New' || decision.sessionStatus === 'Inactive') ? open.expiresAt : undefined;
    st.session = ended
      ? undefined
      : {
          ...ref,
          status: decision.sessionStatus,
          onlyKeywords: decision.onlyKeywordsSoFar,
          ...(replaced === undefined && open?.repId !== undefined ? { repId: open.repId } : {}),
          ...(kept !== undefined ? { expiresAt: kept } : {}),
        };
    return { ref, closed, created: open === undefined || replaced !== undefined, ...(routeTo !== undefined ? { routeTo } : {}) };
  }

  /** Decides one message of the group (the sender's state reflects the group's earlier messages). */
  decide(msg: InboundMessage, st: SenderState, settings: Parameters<typeof decideInbound>[0]['settings']): void {
    const user: MessagingUserState | undefined = st.fresh ? undefined : { consentStatus: st.consentStatus, pendingDoubleOptIn: st.pending, ...(st.language !== undefined ? { language: st.language } : {}) };
    const open = this.expireOpen(st, msg.receivedAt);
    const session: OpenSessionSummary | undefined =
      open === undefined ? undefined : { id: open.stored ?? `new:${String(open.created)}`, status: open.status, onlyKeywordsSoFar: open.onlyKeywords };
    const decision = decideInbound({ settings, user, session, text: msg.text, receivedAt: msg.receivedAt, ...(msg.botInUse === true ? { botInUse: true } : {}) });
    this.applyUser(st, decision, msg.receivedAt, msg.messageId);
    const { ref, closed, created, routeTo } = this.applySession(st, msg, open, decision);
    const d = decision.user;
    const matched = decision.matched === null ? null : { kind: decision.matched.kind, keyword: decision.matched.keyword, language: decision.matched.language };
    this.messages.push({ userId: st.userId, session: ref, text: msg.text, matched: matched === null ? null : JSON.stringify(matched), at: msg.receivedAt, ...(msg.messageId !== undefined ? { messageId: msg.messageId } : {}) });
    const link = this.links.get(st.userId);
    this.pending.push({
      result: {
        messagingUser: { platformKey: msg.from, consentStatus: d.consentStatus, ...(d.language !== undefined ? { language: d.language } : {}), created: d.created, ...(link !== undefined ? { link } : {}) },
        matched,
        responses: decision.responses,
        route: decision.route,
        routeReason: decision.routeReason,
        ...(routeTo !== undefined ? { routeTo } : {}),
        consentChanges: decision.consentChanges.map((c) => ({ from: c.from, to: c.to })),
      },
      session: ref,
      status: decision.sessionStatus,
      created,
      closed,
    });
  }
}

/**
 * Processes a group of messages inside one transaction: a handful of statements for the whole
 * group, whatever its size. Messages are decided in arrival order; a sender who appears twice
 * sees the first message's effects.
 */
async function decideGroup(tx: Queryable, db: Database, channels: ChannelStore, msgs: readonly InboundMessage[], linking?: LinkingService): Promise<InboundResult[]> {
  const rows = await loadSenders(tx, db.kind, msgs);
  const senders = sendersOf(rows);
  // Channel-object linking of the senders who aren't linked yet: a few statements for the whole group, none when no channel has an active rule.
  const links: ReadonlyMap<string, UserLink> = linking === undefined ? new Map() : await linking.onInbound(tx, rows, msgs);
  const plan = new GroupPlan(links);
  for (const msg of msgs) {
    const st = senders.get(keyOf(msg.channelId, msg.from));
    if (st === undefined) throw new Error(`The channel ${msg.channelId} does not exist`);
    const channel = await channels.cached(msg.channelId, st.channelVersion, tx);
    if (channel === undefined) throw new Error(`The channel ${msg.channelId} does not exist`);
    plan.decide(msg, st, channel.settings);
  }
  const taken = rows[0]?.new_ids;
  const newIds = plan.newSessions.length === 0 ? [] : taken !== undefined ? taken.map(String) : await newSessionIds(tx, plan.newSessions.length);
  const idOf = (ref: SessionRef): string => ref.stored ?? (newIds[ref.created as number] as string);
  await updateSessions(tx, plan.updatedSessions);
  const results: InboundResult[] = plan.pending.map((p) => ({ ...p.result, session: { id: idOf(p.session), status: p.status, created: p.created }, closedSessions: p.closed.map(idOf) }));
  await writeGroup(tx, {
    users: [...senders.values()].filter((x) => x.dirty),
    ledger: plan.ledger,
    newSessions: plan.newSessions.map((x, i) => ({ ...x, id: newIds[i] as string })),
    messages: plan.messages.map((x) => ({ ...x, sessionId: idOf(x.session) })),
    optOutReason: SessionEndReason.OptedOut,
    // One message, one entry of plan.messages, in order.
    receipts: msgs.flatMap((m, i) =>
      m.messageId === undefined ? [] : [{ ...m, messageId: m.messageId, userId: (plan.messages[i] as { userId: string }).userId, result: JSON.stringify(results[i]) }],
    ),
  });
  return results;
}

/**
 * Processes a group of messages inside one transaction, except those whose message id the channel
 * has already seen (src/store/receipts.ts): they get the stored result, or a conflict.
 */
async function processGroup(tx: Queryable, db: Database, channels: ChannelStore, msgs: readonly InboundMessage[], linking?: LinkingService): Promise<(InboundResult | MessageIdReusedError)[]> {
  const split = await splitByReceipts<InboundResult>(tx, msgs);
  const done = split.todo.length === 0 ? [] : await decideGroup(tx, db, channels, split.todo.map((i) => msgs[i] as InboundMessage), linking);
  const out: (InboundResult | MessageIdReusedError)[] = new Array(msgs.length);
  split.todo.forEach((i, k) => (out[i] = done[k] as InboundResult));
  for (const [i, a] of split.answered) out[i] = 'error' in a ? a.error : { ...('result' in a ? a.result : (out[a.sameAs] as InboundResult)), replayed: true };
  return out;
}

/** Embedded store: the longest a group waits for more messages (see InboundProcessor), in ms. */
const DEFAULT_GROUP_DELAY_MS = 2;

const settle = (job: Job, outcome: InboundResult | MessageIdReusedError): void => (outcome instanceof Error ? job.reject(outcome) : job.resolve(outcome));

interface Job {
  readonly msg: InboundMessage;
  resolve(r: InboundResult): void;
  reject(e: unknown): void;
}

/** Serializes inbound processing per database with group commit (see the module comment). */
export class InboundProcessor {
  private queue: Job[] = [];
  private running = 0;
  private scheduled = false;
  private readonly workers: number;
  /** Messages accepted and not answered yet (queued or in a running group). */
  private inFlight = 0;
  /** The most messages in flight since the last group started, and in the cycle before it. */
  private cyclePeak = 0;
  private expected = 0;
  /** Set while a group's start waits for more messages (see {@link InboundProcessor.groupDelayMs}). */
  private waiting: ReturnType<typeof setTimeout> | undefined;
  private skipWait = false;

  constructor(
    private readonly db: Database,
    private readonly channels: ChannelStore,
    /** Most messages per group. */
    private readonly maxGroup = 256,
    /** Channel-object linking, run for each group's senders. */
    private readonly linking?: LinkingService,
    /**
     * Embedded store: how long a group may wait for more messages when fewer are queued than were
     * in flight in the previous cycle, in ms (a commit delay, like PostgreSQL's `commit_delay`).
     * Each group costs a few statements and a commit whatever its size, so with many senders at
     * once one group of 16 costs much less than two of 8; with one sender at a time nothing
     * waits. 0: never wait.
     */
    private readonly groupDelayMs = db.kind === 'embedded' ? DEFAULT_GROUP_DELAY_MS : 0,
  ) {
    // The embedded database runs one transaction at a time; a server takes a few in parallel.
    this.workers = db.kind === 'embedded' ? 1 : 4;
  }

  /** Resolves after the message's transaction has committed. */
  process(msg: InboundMessage): Promise<InboundResult> {
    return new Promise((resolve, reject) => {
      this.inFlight++;
      if (this.inFlight > this.cyclePeak) this.cyclePeak = this.inFlight;
      const done = (): void => void this.inFlight--;
      this.queue.push({ msg, resolve: (r) => (done(), resolve(r)), reject: (e) => (done(), reject(e)) });
      if (this.waiting !== undefined && this.queue.length >= this.target()) {
        // The group it waited for is complete: start it on the next turn.
        clearTimeout(this.waiting);
        this.waiting = undefined;
        this.skipWait = true;
      }
      this.pump();
    });
  }

  /** How many queued messages a group waits for: as many as were in flight in the last cycle. */
  private target(): number {
    return Math.min(this.expected, this.maxGroup);
  }

  /**
   * Starts groups on the next turn of the event loop, not now. The embedded database answers
   * through promises that settle without waiting for I/O, so a transaction started now would run
   * to its end before the server reads the requests already waiting on its sockets; started after
   * them, it takes them all in one group.
   */
  private pump(): void {
    if (this.scheduled || this.waiting !== undefined) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    const skip = this.skipWait;
    this.skipWait = false;
    if (!skip && this.groupDelayMs > 0 && this.running === 0 && this.queue.length > 0 && this.queue.length < this.target()) {
      // Fewer messages than the last cycle had in flight: the others are likely on their way.
      this.waiting = setTimeout(() => {
        this.waiting = undefined;
        this.skipWait = true;
        this.start();
      }, this.groupDelayMs);
      return;
    }
    while (this.running < this.workers && this.queue.length > 0) {
      const group = this.queue.splice(0, this.maxGroup);
      this.expected = this.cyclePeak;
      this.cyclePeak = this.inFlight;
      this.running++;
      void this.runGroup(group).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async runGroup(group: Job[]): Promise<void> {
    if (group.length > 1) {
      try {
        const results = await this.db.transaction((tx) =>
          processGroup(
            tx,
            this.db,
            this.channels,
            group.map((j) => j.msg),
            this.linking,
          ),
        );
        group.forEach((job, i) => settle(job, results[i] as InboundResult | MessageIdReusedError));
        return;
      } catch {
        // Fall through: each message alone, so only the failing one fails.
      }
    }
    for (const job of group) {
      try {
        settle(job, await this.withRetry(job.msg));
      } catch (e) {
        job.reject(e);
      }
    }
  }

  /** One message in its own transaction, retried when PostgreSQL reports a conflict (unique violation, serialization failure, deadlock). */
  private async withRetry(msg: InboundMessage): Promise<InboundResult | MessageIdReusedError> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.db.transaction((tx) => processGroup(tx, this.db, this.channels, [msg], this.linking)))[0] as InboundResult | MessageIdReusedError;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (attempt >= 5 || (code !== '23505' && code !== '40001' && code !== '40P01')) throw e;
      }
    }
  }
}
