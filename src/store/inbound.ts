/**
 * Inbound messages. Each message is processed in a transaction that finds or creates the
 * messaging user (locking its row, so concurrent messages for one user serialize), decides with
 * the consent engine, and writes the user, the consent ledger, the session and the message
 * together. A message is acknowledged only after its transaction commits.
 *
 * Messages that arrive while a transaction is in progress form the next group: one transaction,
 * and a handful of statements for the whole group whatever its size (an upsert of every sender, a
 * session update, one write of everything else). The messages are decided one after another in
 * arrival order, so a sender who appears twice in a group sees the effects of their first
 * message, exactly as if each message had its own transaction; all are acknowledged when the
 * group commits (group commit). If the group's transaction fails, every message of the group is
 * retried in a transaction of its own, so one bad message never takes others with it.
 */
import { decideInbound, type InboundDecision, type MessagingUserState, type OpenSessionSummary, type SessionStatus } from '../consent/engine.js';
import type { ConsentStatus } from '../consent/settings.js';
import { dueExpiry, SessionEndReason, type SessionEndReasonCode } from '../sessions/lifecycle.js';
import type { ChannelStore, StoredChannel } from './channels.js';
import type { Database, Queryable } from './database.js';
import type { LinkingStore, UserLink } from './linking.js';

export interface InboundMessage {
  readonly channelId: string;
  /** The sender's platform key (phone number in E.164, page-scoped id…). */
  readonly from: string;
  readonly text: string;
  /** Epoch ms. */
  readonly receivedAt: number;
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
}

interface StateRow {
  user_id: string | number;
  channel_id: string;
  platform_key: string;
  consent_status: ConsentStatus;
  pending_double_opt_in: boolean;
  language: string | null;
  created: boolean;
  /** The user's channel-object link (src/store/linking.ts). */
  link: UserLink | null;
  channel_version: number;
  session_id: string | number | null;
  session_status: SessionStatus | null;
  only_keywords: boolean | null;
  session_rep_id?: string | null;
  session_expires_at?: Date | string | null;
  /** Embedded database: ids for new sessions, taken by the same statement. */
  new_ids?: (string | number)[];
}

/**
 * Creates (or touches) and locks the group's senders, one row each. `created` tells which rows
 * this statement inserted. Parameters: channel ids, platform keys, times (parallel arrays).
 */
const UPSERT_USERS = `
  INSERT INTO messaging_users (channel_id, platform_key, consent_status, created_at, updated_at, last_inbound_at)
  SELECT DISTINCT ON (x.channel_id, x.platform_key) x.channel_id, x.platform_key, 'ImplicitlyOptedIn', x.at, x.at, x.at
  FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS x(channel_id, platform_key, at)
  ORDER BY x.channel_id, x.platform_key, x.at DESC
  ON CONFLICT (channel_id, platform_key) DO UPDATE SET last_inbound_at = GREATEST(messaging_users.last_inbound_at, EXCLUDED.last_inbound_at)
  RETURNING id AS user_id, channel_id, platform_key, consent_status, pending_double_opt_in, language, (xmax = 0) AS created, link`;

/** The open session and the channel version of each user id (parameter: user ids). */
const OPEN_SESSIONS = `
  SELECT u.id AS user_id, s.id AS session_id, s.status AS session_status, s.only_keywords, s.rep_id AS session_rep_id, s.expires_at AS session_expires_at,
    c.version AS channel_version
  FROM messaging_users u JOIN channels c ON c.id = u.channel_id
  LEFT JOIN sessions s ON s.user_id = u.id AND s.status NOT IN ('Ended', 'Error')
  WHERE u.id = ANY($1::bigint[])`;

/**
 * Ids for the group's new sessions, taken before they are written so messages can refer to them:
 * one per message, the most the group can need (the unused ones are gaps in the sequence).
 */
const NEW_IDS = `ARRAY(SELECT nextval(pg_get_serial_sequence('sessions', 'id')) FROM generate_series(1, $4::int))`;
/**
 * On the embedded database transactions run one at a time, so the upsert and the session lookup
 * can be one statement. On PostgreSQL the lookup is a second statement, so that it reads after
 * the users' row locks are granted and sees what the previous holders committed.
 */
const UPSERT_USERS_WITH_SESSIONS = `
  WITH u AS (${UPSERT_USERS})
  SELECT u.*, s.id AS session_id, s.status AS session_status, s.only_keywords, s.rep_id AS session_rep_id, s.expires_at AS session_expires_at,
    c.version AS channel_version, ${NEW_IDS} AS new_ids
  FROM u JOIN channels c ON c.id = u.channel_id LEFT JOIN sessions s ON s.user_id = u.user_id AND s.status NOT IN ('Ended', 'Error')`;

/**
 * The group's statements run with generic plans, planned once per connection (and again after
 * their tables are analyzed). Left to choose, PostgreSQL plans them afresh for most executions: a
 * custom plan counts each array parameter's real length, so for small groups it looks cheaper than
 * the generic plan, but planning these statements costs more than running them (1–2 ms per group
 * on the embedded store). Their best plan doesn't depend on the arrays' lengths. For the rest of
 * this transaction only.
 */
const GENERIC_PLANS = `SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`;

const NEW_SESSION_IDS = `SELECT nextval(pg_get_serial_sequence('sessions', 'id')) AS id FROM generate_series(1, $1::int)`;

/**
 * Existing sessions' final states. Run before new sessions are inserted: an ended session frees
 * the user's one open slot. Only New and Inactive sessions keep their expiry; only Waiting ones
 * their routing target (a transfer's, or the rep a reply goes back to).
 */
const UPDATE_SESSIONS = `
  UPDATE sessions s SET status = x.status, only_keywords = x.only_keywords, updated_at = x.at,
    ended_at = CASE WHEN x.status = 'Ended' THEN x.at ELSE s.ended_at END,
    end_reason = CASE WHEN x.status = 'Ended' THEN x.end_reason ELSE s.end_reason END,
    expires_at = CASE WHEN x.status IN ('New', 'Inactive') THEN s.expires_at END,
    route_to = CASE WHEN x.status = 'Waiting' THEN COALESCE(x.route_to, s.route_to) END
  FROM unnest($1::bigint[], $2::text[], $3::boolean[], $4::timestamptz[], $5::text[], $6::jsonb[]) AS x(id, status, only_keywords, at, end_reason, route_to)
  WHERE s.id = x.id`;

/** Everything else the group changes, in one statement. */
const WRITE = `
  WITH
    u AS (
      UPDATE messaging_users m SET consent_status = x.consent_status, pending_double_opt_in = x.pending, language = x.language, updated_at = x.at
      FROM unnest($1::bigint[], $2::text[], $3::boolean[], $4::text[], $5::timestamptz[]) AS x(id, consent_status, pending, language, at)
      WHERE m.id = x.id
      RETURNING 1),
    l AS (
      INSERT INTO consent_ledger (user_id, from_status, to_status, cause, at)
      SELECT * FROM unnest($6::bigint[], $7::text[], $8::text[], $9::jsonb[], $10::timestamptz[])
      RETURNING 1),
    s AS (
      INSERT INTO sessions (id, user_id, channel_id, status, only_keywords, origin, created_at, updated_at, ended_at, end_reason)
      SELECT x.id, x.user_id, x.channel_id, x.status, x.only_keywords, 'inbound', x.created_at, x.at,
        CASE WHEN x.status = 'Ended' THEN x.at END, CASE WHEN x.status = 'Ended' THEN '${SessionEndReason.OptedOut}' END
      FROM unnest($11::bigint[], $12::bigint[], $13::text[], $14::text[], $15::boolean[], $16::timestamptz[], $17::timestamptz[])
        AS x(id, user_id, channel_id, status, only_keywords, created_at, at)
      RETURNING 1),
    m AS (
      INSERT INTO messages (user_id, session_id, direction, text, matched, at)
      SELECT x.user_id, x.session_id, 'inbound', x.text, x.matched, x.at
      FROM unnest($18::bigint[], $19::bigint[], $20::text[], $21::jsonb[], $22::timestamptz[]) AS x(user_id, session_id, text, matched, at)
      RETURNING 1)
  SELECT (SELECT count(*) FROM u) AS users, (SELECT count(*) FROM l) AS ledger, (SELECT count(*) FROM s) AS sessions, (SELECT count(*) FROM m) AS messages`;

/** A session as the group sees it: stored (an id) or new in this group (an index into the new sessions). */
interface SessionRef {
  readonly stored?: string;
  readonly created?: number;
}

/** One sender's state while the group is processed, message by message. */
interface SenderState {
  readonly userId: string;
  readonly channelVersion: number;
  /** The user is new and no message of the group has been decided yet. */
  fresh: boolean;
  consentStatus: ConsentStatus;
  pending: boolean;
  language: string | undefined;
  session: (SessionRef & { status: SessionStatus; onlyKeywords: boolean; repId?: string; expiresAt?: number }) | undefined;
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
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Processes a group of messages inside one transaction: a handful of statements for the whole
 * group, whatever its size. Messages are decided in arrival order; a sender who appears twice
 * sees the first message's effects.
 */
async function processGroup(tx: Queryable, db: Database, channels: ChannelStore, msgs: readonly InboundMessage[], linking?: LinkingStore): Promise<InboundResult[]> {
  const ids = msgs.map((m) => m.channelId);
  const keys = msgs.map((m) => m.from);
  const times = msgs.map((m) => iso(m.receivedAt));
  await tx.query(GENERIC_PLANS, [], { prepare: 'parlance_generic_plans' });
  let rows: StateRow[];
  if (db.kind === 'embedded') {
    rows = (await tx.query<StateRow>(UPSERT_USERS_WITH_SESSIONS, [ids, keys, times, msgs.length], { prepare: 'parlance_inbound_load' })).rows;
  } else {
    const users = (await tx.query<StateRow>(UPSERT_USERS, [ids, keys, times], { prepare: 'parlance_inbound_users' })).rows;
    const sessions = new Map((await tx.query<StateRow>(OPEN_SESSIONS, [users.map((u) => String(u.user_id))], { prepare: 'parlance_inbound_sessions' })).rows.map((r) => [String(r.user_id), r]));
    rows = users.map((u) => ({ ...u, ...(sessions.get(String(u.user_id)) as StateRow), user_id: u.user_id }));
  }
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
  // Channel-object linking of the senders who aren't linked yet: a few statements for the whole group, none when no channel has an active rule.
  const links: ReadonlyMap<string, UserLink> = linking === undefined ? new Map() : await linking.onInbound(tx, rows, msgs);
  const newSessions: NewSession[] = [];
  const updatedSessions = new Map<string, { status: SessionStatus; onlyKeywords: boolean; at: number; endReason?: SessionEndReasonCode; routeTo?: string }>();
  const ledger: { userId: string; from: ConsentStatus | null; to: ConsentStatus; cause: unknown; at: number }[] = [];
  const messages: { userId: string; session: SessionRef; text: string; matched: string | null; at: number }[] = [];
  const pending: { result: Omit<InboundResult, 'session' | 'closedSessions'>; session: SessionRef; status: SessionStatus; created: boolean; closed: SessionRef[] }[] = [];
  const setStored = (id: string, v: { status: SessionStatus; onlyKeywords: boolean; at: number; endReason?: SessionEndReasonCode; routeTo?: string }): void => {
    const routeTo = v.routeTo ?? updatedSessions.get(id)?.routeTo;
    updatedSessions.set(id, { ...v, ...(routeTo !== undefined ? { routeTo } : {}) });
  };

  for (const msg of msgs) {
    const st = senders.get(keyOf(msg.channelId, msg.from));
    if (st === undefined) throw new Error(`The channel ${msg.channelId} does not exist`);
    const channel: StoredChannel | undefined = await channels.cached(msg.channelId, st.channelVersion, tx);
    if (channel === undefined) throw new Error(`The channel ${msg.channelId} does not exist`);
    const user: MessagingUserState | undefined = st.fresh ? undefined : { consentStatus: st.consentStatus, pendingDoubleOptIn: st.pending, ...(st.language !== undefined ? { language: st.language } : {}) };
    let open = st.session;
    // A New or Inactive session whose time ran out ended at that moment (B:19, G:6308, G:6491): it
    // ends now, with its expiry as its end, and the message starts a new session.
    if (open?.stored !== undefined && open.expiresAt !== undefined) {
      const due = dueExpiry({ status: open.status, expiresAt: open.expiresAt }, msg.receivedAt);
      if (due !== undefined) {
        setStored(open.stored, { status: 'Ended', onlyKeywords: open.onlyKeywords, at: due.at, endReason: due.reason });
        open = st.session = undefined;
      }
    }
    const session: OpenSessionSummary | undefined =
      open === undefined ? undefined : { id: open.stored ?? `new:${String(open.created)}`, status: open.status, onlyKeywordsSoFar: open.onlyKeywords };
    const decision = decideInbound({ settings: channel.settings, user, session, text: msg.text, receivedAt: msg.receivedAt, ...(msg.botInUse === true ? { botInUse: true } : {}) });
    const d = decision.user;
    // A new user's row was inserted with the defaults (ImplicitlyOptedIn, no language): it is written
    // again only when the decision differs from them, which saves an UPDATE per new sender.
    if (d.consentStatus !== st.consentStatus || d.pendingDoubleOptIn !== st.pending || (d.language ?? undefined) !== st.language) st.dirty = true;
    st.fresh = false;
    st.consentStatus = d.consentStatus;
    st.pending = d.pendingDoubleOptIn;
    st.language = d.language;
    st.lastAt = Math.max(st.lastAt, msg.receivedAt);
    for (const c of decision.consentChanges) ledger.push({ userId: st.userId, from: c.from, to: c.to, cause: c.cause, at: msg.receivedAt });
    let ref: SessionRef;
    const closed: SessionRef[] = [];
    // Tab-based capacity: a reply to a rep's New session ends it and is routed as a new session (B:16).
    const replaced = decision.replyRouting === 'NewSession' && open?.stored !== undefined ? open : undefined;
    // Status-based capacity: the reply goes back to the rep who sent the message (B:15).
    const routeTo = decision.replyRouting === 'SameRep' && open?.repId !== undefined ? { kind: 'rep' as const, id: open.repId } : undefined;
    if (open === undefined || replaced !== undefined) {
      if (replaced?.stored !== undefined) {
        setStored(replaced.stored, { status: 'Ended', onlyKeywords: replaced.onlyKeywords, at: msg.receivedAt, endReason: SessionEndReason.ReplyRoutedAsNewSession });
        closed.push({ stored: replaced.stored });
      }
      ref = { created: newSessions.length };
      newSessions.push({ userId: st.userId, channelId: msg.channelId, createdAt: msg.receivedAt, status: decision.sessionStatus, onlyKeywords: decision.onlyKeywordsSoFar, at: msg.receivedAt });
    } else {
      ref = open.stored !== undefined ? { stored: open.stored } : { created: open.created as number };
      const endReason = decision.sessionStatus === 'Ended' ? { endReason: SessionEndReason.OptedOut } : {};
      if (open.stored !== undefined) setStored(open.stored, { status: decision.sessionStatus, onlyKeywords: decision.onlyKeywordsSoFar, at: msg.receivedAt, ...endReason, ...(routeTo !== undefined ? { routeTo: JSON.stringify(routeTo) } : {}) });
      else Object.assign(newSessions[open.created as number] as NewSession, { status: decision.sessionStatus, onlyKeywords: decision.onlyKeywordsSoFar, at: msg.receivedAt });
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
    const matched = decision.matched === null ? null : { kind: decision.matched.kind, keyword: decision.matched.keyword, language: decision.matched.language };
    messages.push({ userId: st.userId, session: ref, text: msg.text, matched: matched === null ? null : JSON.stringify(matched), at: msg.receivedAt });
    pending.push({
      result: {
        messagingUser: { platformKey: msg.from, consentStatus: d.consentStatus, ...(d.language !== undefined ? { language: d.language } : {}), created: d.created, ...(links.has(st.userId) ? { link: links.get(st.userId) } : {}) },
        matched,
        responses: decision.responses,
        route: decision.route,
        routeReason: decision.routeReason,
        ...(routeTo !== undefined ? { routeTo } : {}),
        consentChanges: decision.consentChanges.map((c) => ({ from: c.from, to: c.to })),
      },
      session: ref,
      status: decision.sessionStatus,
      created: open === undefined || replaced !== undefined,
      closed,
    });
  }

  const taken = rows[0]?.new_ids;
  const newIds =
    newSessions.length === 0
      ? []
      : taken !== undefined
        ? taken.map(String)
        : (await tx.query<{ id: string | number }>(NEW_SESSION_IDS, [newSessions.length], { prepare: 'parlance_inbound_ids' })).rows.map((r) => String(r.id));
  const idOf = (ref: SessionRef): string => ref.stored ?? (newIds[ref.created as number] as string);
  if (updatedSessions.size > 0) {
    const list = [...updatedSessions.entries()];
    await tx.query(
      UPDATE_SESSIONS,
      [list.map(([id]) => id), list.map(([, v]) => v.status), list.map(([, v]) => v.onlyKeywords), list.map(([, v]) => iso(v.at)), list.map(([, v]) => v.endReason ?? null), list.map(([, v]) => v.routeTo ?? null)],
      { prepare: 'parlance_inbound_sessions_update' },
    );
  }
  const dirty = [...senders.values()].filter((x) => x.dirty);
  await tx.query(WRITE, [
    dirty.map((x) => x.userId),
    dirty.map((x) => x.consentStatus),
    dirty.map((x) => x.pending),
    dirty.map((x) => x.language ?? null),
    dirty.map((x) => iso(x.lastAt)),
    ledger.map((e) => e.userId),
    ledger.map((e) => e.from),
    ledger.map((e) => e.to),
    ledger.map((e) => JSON.stringify(e.cause)),
    ledger.map((e) => iso(e.at)),
    newSessions.map((_, i) => newIds[i]),
    newSessions.map((x) => x.userId),
    newSessions.map((x) => x.channelId),
    newSessions.map((x) => x.status),
    newSessions.map((x) => x.onlyKeywords),
    newSessions.map((x) => iso(x.createdAt)),
    newSessions.map((x) => iso(x.at)),
    messages.map((x) => x.userId),
    messages.map((x) => idOf(x.session)),
    messages.map((x) => x.text),
    messages.map((x) => x.matched),
    messages.map((x) => iso(x.at)),
  ], { prepare: 'parlance_inbound_write' });
  return pending.map((p) => ({ ...p.result, session: { id: idOf(p.session), status: p.status, created: p.created }, closedSessions: p.closed.map(idOf) }));
}

interface Job {
  readonly msg: InboundMessage;
  resolve(r: InboundResult): void;
  reject(e: unknown): void;
}

/** Serializes inbound processing per store with group commit (see the module comment). */
export class InboundProcessor {
  private queue: Job[] = [];
  private running = 0;
  private scheduled = false;
  private readonly workers: number;

  constructor(
    private readonly db: Database,
    private readonly channels: ChannelStore,
    /** Most messages per group. */
    private readonly maxGroup = 256,
    /** Channel-object linking, run for each group's senders. */
    private readonly linking?: LinkingStore,
  ) {
    // The embedded database runs one transaction at a time; a server takes a few in parallel.
    this.workers = db.kind === 'embedded' ? 1 : 4;
  }

  /** Resolves after the message's transaction has committed. */
  process(msg: InboundMessage): Promise<InboundResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ msg, resolve, reject });
      this.pump();
    });
  }

  /**
   * Starts groups on the next turn of the event loop, not now. The embedded database answers
   * through promises that settle without waiting for I/O, so a transaction started now would run
   * to its end before the server reads the requests already waiting on its sockets; started after
   * them, it takes them all in one group.
   */
  private pump(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.running < this.workers && this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroup);
        this.running++;
        void this.runGroup(group).finally(() => {
          this.running--;
          this.pump();
        });
      }
    });
  }

  private async runGroup(group: Job[]): Promise<void> {
    if (group.length > 1) {
      try {
        const results = await this.db.transaction((tx) => processGroup(tx, this.db, this.channels, group.map((j) => j.msg), this.linking));
        group.forEach((job, i) => job.resolve(results[i] as InboundResult));
        return;
      } catch {
        // Fall through: each message alone, so only the failing one fails.
      }
    }
    for (const job of group) {
      try {
        job.resolve(await this.withRetry(job.msg));
      } catch (e) {
        job.reject(e);
      }
    }
  }

  /** One message in its own transaction, retried when PostgreSQL reports a conflict (unique violation, serialization failure, deadlock). */
  private async withRetry(msg: InboundMessage): Promise<InboundResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.db.transaction((tx) => processGroup(tx, this.db, this.channels, [msg], this.linking)))[0] as InboundResult;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (attempt >= 5 || (code !== '23505' && code !== '40001' && code !== '40P01')) throw e;
      }
    }
  }
}
