/**
 * Inbound messages, one transaction each: find or create the messaging user (locking its row, so
 * concurrent messages for one user serialize), decide with the consent engine, and write the user,
 * the consent ledger, the session and the message together. A message is acknowledged only after
 * its transaction commits.
 *
 * Commits are grouped: messages that arrive while a commit is in progress are processed one after
 * another in the next transaction, and all acknowledged when it commits (group commit). Each is
 * processed exactly as it would be alone; if the group's transaction fails, every message of the
 * group is retried in a transaction of its own, so one bad message never takes others with it.
 */
import { decideInbound, type InboundDecision, type MessagingUserState, type OpenSessionSummary, type SessionStatus } from '../consent/engine.js';
import type { ConsentStatus } from '../consent/settings.js';
import type { ChannelStore, StoredChannel } from './channels.js';
import type { Database, Queryable } from './database.js';

export interface InboundMessage {
  readonly channelId: string;
  /** The sender's platform key (phone number in E.164, page-scoped id…). */
  readonly from: string;
  readonly text: string;
  /** Epoch ms. */
  readonly receivedAt: number;
}

export interface InboundResult {
  readonly messagingUser: { readonly platformKey: string; readonly consentStatus: ConsentStatus; readonly language?: string; readonly created: boolean };
  readonly session: { readonly id: string; readonly status: SessionStatus; readonly created: boolean };
  readonly matched: { readonly kind: string; readonly keyword: string; readonly language: string } | null;
  readonly responses: InboundDecision['responses'];
  readonly route: boolean;
  readonly routeReason: string;
  readonly closedSessions: readonly string[];
  readonly consentChanges: readonly { readonly from: ConsentStatus | null; readonly to: ConsentStatus }[];
}

interface StateRow {
  user_id: string | number;
  consent_status: ConsentStatus;
  pending_double_opt_in: boolean;
  language: string | null;
  created: boolean;
  channel_version: number;
  session_id: string | number | null;
  session_status: SessionStatus | null;
  only_keywords: boolean | null;
}

/** The user row is created (or touched) and locked by the upsert; `created` tells which. */
const UPSERT_USER = `
  INSERT INTO messaging_users (channel_id, platform_key, consent_status, created_at, updated_at, last_inbound_at)
  VALUES ($1, $2, 'ImplicitlyOptedIn', $3, $3, $3)
  ON CONFLICT (channel_id, platform_key) DO UPDATE SET last_inbound_at = EXCLUDED.last_inbound_at
  RETURNING id AS user_id, consent_status, pending_double_opt_in, language, (xmax = 0) AS created`;

const OPEN_SESSION = `
  SELECT s.id AS session_id, s.status AS session_status, s.only_keywords, c.version AS channel_version
  FROM channels c LEFT JOIN sessions s ON s.user_id = $1 AND s.status NOT IN ('Ended', 'Error')
  WHERE c.id = $2`;

/**
 * On the embedded database transactions run one at a time, so the upsert and the session lookup
 * can be one statement. On PostgreSQL the lookup is a second statement, so that it reads after
 * the user's row lock is granted and sees what the previous holder committed.
 */
const UPSERT_AND_OPEN_SESSION = `
  WITH u AS (${UPSERT_USER})
  SELECT u.*, s.id AS session_id, s.status AS session_status, s.only_keywords, c.version AS channel_version
  FROM u JOIN channels c ON c.id = $1 LEFT JOIN sessions s ON s.user_id = u.user_id AND s.status NOT IN ('Ended', 'Error')`;

/** Everything the decision changes, in one statement. */
const WRITE = `
  WITH
    u AS (UPDATE messaging_users SET consent_status = $2, pending_double_opt_in = $3, language = $4, updated_at = $5 WHERE id = $1 RETURNING id),
    l AS (
      INSERT INTO consent_ledger (user_id, from_status, to_status, cause, at)
      SELECT $1, c->>'from', c->>'to', c->'cause', $5 FROM jsonb_array_elements($6::jsonb) AS c
      RETURNING id),
    s_new AS (
      INSERT INTO sessions (user_id, channel_id, status, only_keywords, origin, created_at, updated_at, ended_at, end_reason)
      SELECT $1, $7, $8, $9, 'inbound', $5, $5, CASE WHEN $8 = 'Ended' THEN $5::timestamptz END, CASE WHEN $8 = 'Ended' THEN 'OptedOut' END
      WHERE $10::bigint IS NULL
      RETURNING id),
    s_upd AS (
      UPDATE sessions SET status = $8, only_keywords = $9, updated_at = $5,
        ended_at = CASE WHEN $8 = 'Ended' THEN $5::timestamptz ELSE ended_at END,
        end_reason = CASE WHEN $8 = 'Ended' THEN 'OptedOut' ELSE end_reason END
      WHERE id = $10::bigint
      RETURNING id),
    s AS (SELECT id FROM s_new UNION ALL SELECT id FROM s_upd),
    m AS (INSERT INTO messages (user_id, session_id, direction, text, matched, at) SELECT $1, s.id, 'inbound', $11, $12::jsonb, $5 FROM s RETURNING session_id)
  SELECT (SELECT session_id FROM m) AS session_id, (SELECT count(*) FROM l) AS ledger, (SELECT count(*) FROM u) AS users`;

/** Processes one message inside a transaction. */
async function processOne(tx: Queryable, db: Database, channels: ChannelStore, msg: InboundMessage): Promise<InboundResult> {
  const at = new Date(msg.receivedAt);
  let state: StateRow;
  if (db.kind === 'embedded') {
    const { rows } = await tx.query<StateRow>(UPSERT_AND_OPEN_SESSION, [msg.channelId, msg.from, at]);
    state = rows[0] as StateRow;
  } else {
    const { rows } = await tx.query<StateRow>(UPSERT_USER, [msg.channelId, msg.from, at]);
    const user = rows[0] as StateRow;
    const { rows: sessions } = await tx.query<StateRow>(OPEN_SESSION, [user.user_id, msg.channelId]);
    state = { ...user, ...(sessions[0] as StateRow) };
  }
  if (state === undefined) throw new Error(`The channel ${msg.channelId} does not exist`);
  const channel: StoredChannel | undefined = await channels.cached(msg.channelId, Number(state.channel_version), tx);
  if (channel === undefined) throw new Error(`The channel ${msg.channelId} does not exist`);
  const user: MessagingUserState | undefined = state.created
    ? undefined
    : { consentStatus: state.consent_status, pendingDoubleOptIn: state.pending_double_opt_in, ...(state.language !== null ? { language: state.language } : {}) };
  const session: OpenSessionSummary | undefined =
    state.session_id === null || state.session_id === undefined ? undefined : { id: String(state.session_id), status: state.session_status as SessionStatus, onlyKeywordsSoFar: state.only_keywords === true };
  const decision = decideInbound({ settings: channel.settings, user, session, text: msg.text, receivedAt: msg.receivedAt });
  const changes = decision.consentChanges.map((c) => ({ from: c.from, to: c.to, cause: c.cause }));
  const matched = decision.matched === null ? null : { kind: decision.matched.kind, keyword: decision.matched.keyword, language: decision.matched.language };
  const { rows: written } = await tx.query<{ session_id: string | number }>(WRITE, [
    state.user_id,
    decision.user.consentStatus,
    decision.user.pendingDoubleOptIn,
    decision.user.language ?? null,
    at,
    JSON.stringify(changes),
    msg.channelId,
    decision.sessionStatus,
    decision.onlyKeywordsSoFar,
    session === undefined ? null : session.id,
    msg.text,
    matched === null ? null : JSON.stringify(matched),
  ]);
  const sessionId = String(written[0]?.session_id);
  const closed = decision.closeOpenSessions && session !== undefined ? [session.id] : [];
  return {
    messagingUser: { platformKey: msg.from, consentStatus: decision.user.consentStatus, ...(decision.user.language !== undefined ? { language: decision.user.language } : {}), created: decision.user.created },
    session: { id: sessionId, status: decision.sessionStatus, created: session === undefined },
    matched,
    responses: decision.responses,
    route: decision.route,
    routeReason: decision.routeReason,
    closedSessions: closed,
    consentChanges: decision.consentChanges.map((c) => ({ from: c.from, to: c.to })),
  };
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
  private readonly workers: number;

  constructor(
    private readonly db: Database,
    private readonly channels: ChannelStore,
    /** Most messages per group. */
    private readonly maxGroup = 256,
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

  private pump(): void {
    while (this.running < this.workers && this.queue.length > 0) {
      const group = this.queue.splice(0, this.maxGroup);
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
        const results = await this.db.transaction(async (tx) => {
          const out: InboundResult[] = [];
          for (const job of group) out.push(await processOne(tx, this.db, this.channels, job.msg));
          return out;
        });
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
        return await this.db.transaction((tx) => processOne(tx, this.db, this.channels, msg));
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (attempt >= 5 || (code !== '23505' && code !== '40001' && code !== '40P01')) throw e;
      }
    }
  }
}
