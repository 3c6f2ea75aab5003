/**
 * Inbound messages' rows: the statements a group of inbound messages takes, whatever its size (an
 * upsert and lock of every sender with their open sessions, the sessions' updates, one write of
 * everything else: users, consent ledger, new sessions, messages). Repositories only, on the
 * transaction handle they are given; the use case (deciding each message with the consent engine
 * and the session lifecycle, group commit) is the inbound service's (src/services/inbound.ts).
 */
import type { SessionStatus } from '../consent/engine.js';
import type { ConsentStatus } from '../consent/settings.js';
import type { UserLink } from '../linking/links.js';
import type { SessionEndReasonCode } from '../sessions/lifecycle.js';
import type { Database, Queryable } from './database.js';
import { fingerprint, type ReceiptKey } from './receipts.js';

export interface InboundStateRow {
  user_id: string | number;
  channel_id: string;
  platform_key: string;
  consent_status: ConsentStatus;
  pending_double_opt_in: boolean;
  language: string | null;
  created: boolean;
  /** The user's channel-object link (docs/linking.md). */
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
 * The sessions' id sequence, looked up once per statement (an uncorrelated sub-select runs once),
 * not once per id: the lookup reads the catalogs.
 */
const SESSION_SEQUENCE = `(SELECT pg_get_serial_sequence('sessions', 'id')::regclass)`;
/**
 * Ids for the group's new sessions, taken before they are written so messages can refer to them:
 * one per message, the most the group can need (the unused ones are gaps in the sequence).
 */
const NEW_IDS = `ARRAY(SELECT nextval(${SESSION_SEQUENCE}) FROM generate_series(1, $4::int))`;
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

const NEW_SESSION_IDS = `SELECT nextval(${SESSION_SEQUENCE}) AS id FROM generate_series(1, $1::int)`;

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

/** Everything else the group changes, in one statement: users, ledger, new sessions, messages and the receipts of messages with a platform message id (src/store/receipts.ts). */
const WRITE = `
  WITH
    u AS (
      UPDATE messaging_users m SET consent_status = x.consent_status, pending_double_opt_in = x.pending, language = x.language, updated_at = x.at
      FROM unnest($1::bigint[], $2::text[], $3::boolean[], $4::text[], $5::timestamptz[]) AS x(id, consent_status, pending, language, at)
      WHERE m.id = x.id
      RETURNING 1),
    l AS (
      INSERT INTO consent_ledger (user_id, from_status, to_status, cause, at, platform_message_id)
      SELECT * FROM unnest($6::bigint[], $7::text[], $8::text[], $9::jsonb[], $10::timestamptz[], $24::text[])
      RETURNING 1),
    s AS (
      INSERT INTO sessions (id, user_id, channel_id, status, only_keywords, origin, created_at, updated_at, ended_at, end_reason)
      SELECT x.id, x.user_id, x.channel_id, x.status, x.only_keywords, 'inbound', x.created_at, x.at,
        CASE WHEN x.status = 'Ended' THEN x.at END, CASE WHEN x.status = 'Ended' THEN $23::text END
      FROM unnest($11::bigint[], $12::bigint[], $13::text[], $14::text[], $15::boolean[], $16::timestamptz[], $17::timestamptz[])
        AS x(id, user_id, channel_id, status, only_keywords, created_at, at)
      RETURNING 1),
    m AS (
      INSERT INTO messages (user_id, session_id, direction, text, matched, at, platform_message_id)
      SELECT x.user_id, x.session_id, 'inbound', x.text, x.matched, x.at, x.message_id
      FROM unnest($18::bigint[], $19::bigint[], $20::text[], $21::jsonb[], $22::timestamptz[], $25::text[]) AS x(user_id, session_id, text, matched, at, message_id)
      RETURNING 1),
    r AS (
      INSERT INTO inbound_receipts (channel_id, message_id, user_id, fingerprint, result, at)
      SELECT * FROM unnest($26::text[], $27::text[], $28::bigint[], $29::text[], $30::json[], $31::timestamptz[])
      RETURNING 1)
  SELECT (SELECT count(*) FROM u) AS users, (SELECT count(*) FROM l) AS ledger, (SELECT count(*) FROM s) AS sessions, (SELECT count(*) FROM m) AS messages`;

const iso = (ms: number): string => new Date(ms).toISOString();

/** One message of a group, as the statements take it. */
export interface InboundKey {
  readonly channelId: string;
  readonly from: string;
  readonly receivedAt: number;
}

/**
 * Upserts and locks the group's senders, with their open session and their channel's version, one
 * row each (on the embedded database, with ids for the group's new sessions in `new_ids`).
 */
export async function loadSenders(tx: Queryable, kind: Database['kind'], msgs: readonly InboundKey[]): Promise<InboundStateRow[]> {
  const ids = msgs.map((m) => m.channelId);
  const keys = msgs.map((m) => m.from);
  const times = msgs.map((m) => iso(m.receivedAt));
  // Sent together with the statement after it, not awaited first: a transaction's statements run
  // in the order they are sent (on either store), so the setting applies to it, and the pair
  // costs one round trip (to the embedded store's thread, or the PostgreSQL server), not two.
  const generic = tx.query(GENERIC_PLANS, [], { prepare: 'parlance_generic_plans' });
  if (kind === 'embedded') return (await Promise.all([generic, tx.query<InboundStateRow>(UPSERT_USERS_WITH_SESSIONS, [ids, keys, times, msgs.length], { prepare: 'parlance_inbound_load' })]))[1].rows;
  const users = (await Promise.all([generic, tx.query<InboundStateRow>(UPSERT_USERS, [ids, keys, times], { prepare: 'parlance_inbound_users' })]))[1].rows;
  const sessions = new Map((await tx.query<InboundStateRow>(OPEN_SESSIONS, [users.map((u) => String(u.user_id))], { prepare: 'parlance_inbound_sessions' })).rows.map((r) => [String(r.user_id), r]));
  return users.map((u) => ({ ...u, ...(sessions.get(String(u.user_id)) as InboundStateRow), user_id: u.user_id }));
}

/** `count` ids for new sessions. */
export async function newSessionIds(tx: Queryable, count: number): Promise<string[]> {
  return (await tx.query<{ id: string | number }>(NEW_SESSION_IDS, [count], { prepare: 'parlance_inbound_ids' })).rows.map((r) => String(r.id));
}

/** An existing session's final state in a group. `routeTo`: JSON. */
export interface SessionUpdate {
  readonly status: SessionStatus;
  readonly onlyKeywords: boolean;
  readonly at: number;
  readonly endReason?: SessionEndReasonCode;
  readonly routeTo?: string;
}

/** Writes existing sessions' final states (before new sessions are inserted: see UPDATE_SESSIONS). */
export async function updateSessions(tx: Queryable, updates: ReadonlyMap<string, SessionUpdate>): Promise<void> {
  if (updates.size === 0) return;
  const list = [...updates.entries()];
  await tx.query(
    UPDATE_SESSIONS,
    [list.map(([id]) => id), list.map(([, v]) => v.status), list.map(([, v]) => v.onlyKeywords), list.map(([, v]) => iso(v.at)), list.map(([, v]) => v.endReason ?? null), list.map(([, v]) => v.routeTo ?? null)],
    { prepare: 'parlance_inbound_sessions_update' },
  );
}

/** Everything else a group writes (see WRITE). */
export interface GroupWrites {
  /** Users whose row changed. */
  readonly users: readonly { readonly userId: string; readonly consentStatus: ConsentStatus; readonly pending: boolean; readonly language: string | undefined; readonly lastAt: number }[];
  /** `messageId`: the platform's id of the message that made the change, when it has one. */
  readonly ledger: readonly { readonly userId: string; readonly from: ConsentStatus | null; readonly to: ConsentStatus; readonly cause: unknown; readonly at: number; readonly messageId?: string }[];
  readonly newSessions: readonly { readonly id: string; readonly userId: string; readonly channelId: string; readonly status: SessionStatus; readonly onlyKeywords: boolean; readonly createdAt: number; readonly at: number }[];
  /** `matched`: JSON, or null. */
  readonly messages: readonly { readonly userId: string; readonly sessionId: string; readonly text: string; readonly matched: string | null; readonly at: number; readonly messageId?: string }[];
  /** One per message with a platform message id: its key, the user, and the answer (`result`: JSON). */
  readonly receipts: readonly (ReceiptKey & { readonly messageId: string; readonly userId: string; readonly result: string; readonly receivedAt: number })[];
  /** The end reason of a new session that ends at once (an opt-out). */
  readonly optOutReason: SessionEndReasonCode;
}

/** Writes users, ledger entries, new sessions and messages of a group, in one statement. */
export async function writeGroup(tx: Queryable, w: GroupWrites): Promise<void> {
  const { users: u, ledger, newSessions: s, messages: m, receipts: r } = w;
  await tx.query(
    WRITE,
    [
      u.map((x) => x.userId),
      u.map((x) => x.consentStatus),
      u.map((x) => x.pending),
      u.map((x) => x.language ?? null),
      u.map((x) => iso(x.lastAt)),
      ledger.map((e) => e.userId),
      ledger.map((e) => e.from),
      ledger.map((e) => e.to),
      ledger.map((e) => JSON.stringify(e.cause)),
      ledger.map((e) => iso(e.at)),
      s.map((x) => x.id),
      s.map((x) => x.userId),
      s.map((x) => x.channelId),
      s.map((x) => x.status),
      s.map((x) => x.onlyKeywords),
      s.map((x) => iso(x.createdAt)),
      s.map((x) => iso(x.at)),
      m.map((x) => x.userId),
      m.map((x) => x.sessionId),
      m.map((x) => x.text),
      m.map((x) => x.matched),
      m.map((x) => iso(x.at)),
      w.optOutReason,
      ledger.map((e) => e.messageId ?? null),
      m.map((x) => x.messageId ?? null),
      r.map((x) => x.channelId),
      r.map((x) => x.messageId),
      r.map((x) => x.userId),
      r.map((x) => fingerprint(x)),
      r.map((x) => x.result),
      r.map((x) => iso(x.receivedAt)),
    ],
    { prepare: 'parlance_inbound_write' },
  );
}
