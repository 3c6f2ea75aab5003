/**
 * Messaging users (SPEC-EXTRACT §10.2) written through the API and imports, and their consent
 * ledger. Every write locks the user's row and records each consent change, with its cause, in
 * the same transaction as the change (DECISIONS.md "The consent ledger"), so the ledger and the
 * users never disagree. An import is one transaction: all of its valid rows or none.
 *
 * A batch of any size takes four statements: insert the new users (`ON CONFLICT DO NOTHING`, so a
 * user created meanwhile by an inbound message is found in the next step), lock and read the
 * existing ones, update the changed ones and append the ledger rows. Rows are locked in platform
 * key order, so concurrent imports can't deadlock one another.
 */
import type { ConsentCause } from '../consent/engine.js';
import type { ConsentStatus } from '../consent/settings.js';
import type { Database, Queryable } from './database.js';
import type { UserLink } from '../linking/links.js';
import { canonicalLink } from './linking.js';

/** The status of a user created without one: what a first inbound message gives (G:3742). */
export const DEFAULT_CONSENT_STATUS: ConsentStatus = 'ImplicitlyOptedIn';

export interface MessagingUser {
  readonly channelId: string;
  readonly platformKey: string;
  readonly consentStatus: ConsentStatus;
  readonly pendingDoubleOptIn: boolean;
  readonly name?: string;
  readonly locale?: string;
  readonly language?: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastInboundAt?: string;
  /** The record the user is linked to (channel-object linking, docs/linking.md); absent when not linked. */
  readonly link?: UserLink;
}

/** What a write sets. A field left out keeps its stored value; `null` clears it. */
export interface UserFields {
  readonly consentStatus?: ConsentStatus;
  readonly name?: string | null;
  readonly locale?: string | null;
  readonly language?: string | null;
  /** Merged into the stored attributes key by key; a key set to `null` is removed. */
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** One row of an import (or one upsert). */
export interface UserWrite {
  readonly platformKey: string;
  readonly fields: UserFields;
  /** Recorded in the ledger when the row changes the consent status. */
  readonly cause: ConsentCause;
}

export interface UpsertResult {
  readonly user: MessagingUser;
  readonly created: boolean;
  /** Something was stored (always true when created). */
  readonly changed: boolean;
}

export interface ImportCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** One consent ledger entry, as the history shows it. */
export interface ConsentHistoryEntry {
  /** `null` when the change created the user. */
  readonly from: ConsentStatus | null;
  readonly to: ConsentStatus;
  readonly cause: ConsentCause;
  /** ISO 8601, UTC. */
  readonly at: string;
}

interface Row {
  id: string | number;
  channel_id: string;
  platform_key: string;
  consent_status: ConsentStatus;
  pending_double_opt_in: boolean;
  name: string | null;
  locale: string | null;
  language: string | null;
  attributes: Record<string, unknown> | null;
  created_at: Date | string;
  updated_at: Date | string;
  last_inbound_at: Date | string | null;
  link: UserLink | null;
}

const COLUMNS = 'id, channel_id, platform_key, consent_status, pending_double_opt_in, name, locale, language, attributes, created_at, updated_at, last_inbound_at, link';

const INSERT_NEW = `
  INSERT INTO messaging_users (channel_id, platform_key, consent_status, name, locale, language, attributes, created_at, updated_at)
  SELECT $1, r.platform_key, r.consent_status, r.name, r.locale, r.language, r.attributes, $2, $2
  FROM jsonb_to_recordset($3::jsonb) AS r(platform_key text, consent_status text, name text, locale text, language text, attributes jsonb)
  ORDER BY r.platform_key
  ON CONFLICT (channel_id, platform_key) DO NOTHING
  RETURNING ${COLUMNS}`;

const LOCK_EXISTING = `
  SELECT ${COLUMNS} FROM messaging_users
  WHERE channel_id = $1 AND platform_key IN (SELECT jsonb_array_elements_text($2::jsonb))
  ORDER BY platform_key
  FOR UPDATE`;

const UPDATE_CHANGED = `
  UPDATE messaging_users m
  SET consent_status = r.consent_status, pending_double_opt_in = r.pending_double_opt_in, name = r.name, locale = r.locale,
      language = r.language, attributes = r.attributes, updated_at = $1
  FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, consent_status text, pending_double_opt_in boolean, name text, locale text, language text, attributes jsonb)
  WHERE m.id = r.id`;

const APPEND_LEDGER = `
  INSERT INTO consent_ledger (user_id, from_status, to_status, cause, at)
  SELECT r.user_id, r.from_status, r.to_status, r.cause, $1
  FROM jsonb_to_recordset($2::jsonb) AS r(ord integer, user_id bigint, from_status text, to_status text, cause jsonb)
  ORDER BY r.ord`;

const iso = (d: Date | string): string => new Date(d).toISOString();

function toUser(r: Row): MessagingUser {
  return {
    channelId: r.channel_id,
    platformKey: r.platform_key,
    consentStatus: r.consent_status,
    pendingDoubleOptIn: r.pending_double_opt_in,
    ...(r.name !== null ? { name: r.name } : {}),
    ...(r.locale !== null ? { locale: r.locale } : {}),
    ...(r.language !== null ? { language: r.language } : {}),
    attributes: r.attributes ?? {},
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    ...(r.last_inbound_at !== null ? { lastInboundAt: iso(r.last_inbound_at) } : {}),
    ...(r.link !== null && r.link !== undefined ? { link: canonicalLink(r.link) } : {}),
  };
}

/** `attributes` merged into `base`: keys set to null are removed. */
function mergeAttributes(base: Readonly<Record<string, unknown>>, patch: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch ?? {})) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** JSON with object keys sorted, so that equal values compare equal however jsonb ordered them. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const pick = <T>(given: T | null | undefined, stored: T | null): T | null => (given === undefined ? stored : given);

/** What one write did to its user. */
export interface UserWriteOutcome {
  readonly user: MessagingUser;
  readonly created: boolean;
  readonly changed: boolean;
}

/**
 * Applies writes (distinct platform keys) inside the caller's transaction, each consent change with
 * its ledger entry; outcomes in the order of `writes`. The transaction is the caller's
 * (`UserService` in src/services/users.ts).
 */
export async function applyWrites(tx: Queryable, channelId: string, writes: readonly UserWrite[], now: number): Promise<UserWriteOutcome[]> {
  const seen = new Set<string>();
  for (const w of writes) {
    if (seen.has(w.platformKey)) throw new Error(`The platform key ${w.platformKey} appears twice in one batch`);
    seen.add(w.platformKey);
  }
  if (writes.length === 0) return [];
  const at = new Date(now);
  const atIso = at.toISOString();

  // 1. New users, created with their final values.
  const fresh = writes.map((w) => ({
    platform_key: w.platformKey,
    consent_status: w.fields.consentStatus ?? DEFAULT_CONSENT_STATUS,
    name: w.fields.name ?? null,
    locale: w.fields.locale ?? null,
    language: w.fields.language ?? null,
    attributes: mergeAttributes({}, w.fields.attributes),
  }));
  const { rows: inserted } = await tx.query<Row>(INSERT_NEW, [channelId, at, JSON.stringify(fresh)]);
  const createdRows = new Map(inserted.map((r) => [r.platform_key, r]));

  // 2. Everyone else exists (committed, or created earlier in this transaction): lock and read them.
  const others = writes.filter((w) => !createdRows.has(w.platformKey)).map((w) => w.platformKey);
  const existing = new Map<string, Row>();
  if (others.length > 0) {
    const { rows } = await tx.query<Row>(LOCK_EXISTING, [channelId, JSON.stringify(others)]);
    for (const r of rows) existing.set(r.platform_key, r);
  }

  // 3. Work out what changes.
  const updates: Record<string, unknown>[] = [];
  const ledger: Record<string, unknown>[] = [];
  const outcomes: UserWriteOutcome[] = writes.map((w, ord) => {
    const created = createdRows.get(w.platformKey);
    if (created !== undefined) {
      ledger.push({ ord, user_id: created.id, from_status: null, to_status: created.consent_status, cause: w.cause });
      return { user: toUser(created), created: true, changed: true };
    }
    const row = existing.get(w.platformKey);
    if (row === undefined) throw new Error(`The messaging user ${w.platformKey} on ${channelId} was neither created nor found`);
    const f = w.fields;
    const status = f.consentStatus ?? row.consent_status;
    const statusChanged = status !== row.consent_status;
    const next: Row = {
      ...row,
      consent_status: status,
      // A status set through the API or an import ends a pending double opt-in: the operator's word wins over the keyword flow.
      pending_double_opt_in: statusChanged ? false : row.pending_double_opt_in,
      name: pick(f.name, row.name),
      locale: pick(f.locale, row.locale),
      language: pick(f.language, row.language),
      attributes: mergeAttributes(row.attributes ?? {}, f.attributes),
    };
    const changed =
      statusChanged || next.name !== row.name || next.locale !== row.locale || next.language !== row.language || canonicalJson(next.attributes) !== canonicalJson(row.attributes ?? {});
    if (!changed) return { user: toUser(row), created: false, changed: false };
    updates.push({
      id: row.id,
      consent_status: next.consent_status,
      pending_double_opt_in: next.pending_double_opt_in,
      name: next.name,
      locale: next.locale,
      language: next.language,
      attributes: next.attributes,
    });
    if (statusChanged) ledger.push({ ord, user_id: row.id, from_status: row.consent_status, to_status: status, cause: w.cause });
    return { user: toUser({ ...next, updated_at: atIso }), created: false, changed: true };
  });

  // 4. Write the changes and their ledger entries.
  if (updates.length > 0) await tx.query(UPDATE_CHANGED, [at, JSON.stringify(updates)]);
  if (ledger.length > 0) await tx.query(APPEND_LEDGER, [at, JSON.stringify(ledger)]);
  return outcomes;
}

export class UserStore {
  constructor(private readonly db: Database) {}

  async get(channelId: string, platformKey: string, q: Queryable = this.db): Promise<MessagingUser | undefined> {
    const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM messaging_users WHERE channel_id = $1 AND platform_key = $2`, [channelId, platformKey]);
    return rows[0] === undefined ? undefined : toUser(rows[0]);
  }

  /** The user's consent ledger in the order the changes were made (oldest first); undefined when there is no such user. */
  async history(channelId: string, platformKey: string): Promise<ConsentHistoryEntry[] | undefined> {
    const { rows } = await this.db.query<{ user_id: string | number; from_status: ConsentStatus | null; to_status: ConsentStatus | null; cause: ConsentCause | null; at: Date | string | null }>(
      `SELECT u.id AS user_id, l.from_status, l.to_status, l.cause, l.at
       FROM messaging_users u LEFT JOIN consent_ledger l ON l.user_id = u.id
       WHERE u.channel_id = $1 AND u.platform_key = $2
       ORDER BY l.id`,
      [channelId, platformKey],
    );
    if (rows.length === 0) return undefined;
    return rows.filter((r) => r.to_status !== null).map((r) => ({ from: r.from_status, to: r.to_status as ConsentStatus, cause: r.cause as ConsentCause, at: iso(r.at as Date | string) }));
  }
}
