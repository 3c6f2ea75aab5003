/**
 * Channel-object linking's tables (docs/linking.md): linking rules, the records they match
 * (`object_records`), the match keys that make matching an indexed lookup (`record_match_keys`,
 * one set per (object, field, normalizer) in `record_match_specs`), and the links, suggestions
 * and link history of messaging users. Repositories only: each function runs its statements on
 * the transaction handle it is given. Compiling rules, normalising values and deciding matches is
 * the domain's (src/linking/); the use cases that combine them, and own the transactions, are the
 * linking service's (src/services/linking.ts).
 */
import type { LinkedBy, StoredLinkingRule, StoredRecord, UserLink } from '../linking/links.js';
import type { MatchPlan } from '../linking/match.js';
import type { LinkingRuleDefinition } from '../linking/rules.js';
import type { Queryable } from './database.js';

/** A link with its properties in the documented order (jsonb keeps its own key order). */
export function canonicalLink(l: UserLink): UserLink {
  const by = l.linkedBy;
  const linkedBy: LinkedBy = by.kind === 'rule' ? { kind: 'rule', ruleId: by.ruleId } : { kind: 'agent', agent: by.agent, ...(by.key !== undefined ? { key: by.key } : {}) };
  return { object: l.object, recordId: l.recordId, linkedAt: l.linkedAt, linkedBy };
}

const iso = (d: Date | string | number): string => new Date(d).toISOString();

/** A messaging user as linking reads it. */
export interface LinkingUserRow {
  id: string | number;
  channel_id: string;
  platform_key: string;
  name?: string | null;
  locale?: string | null;
  language?: string | null;
  attributes?: Record<string, unknown> | null;
  link?: UserLink | null;
}

/** One (object, field, normalizer key) whose match keys are kept. */
export interface SpecKey {
  readonly object: string;
  readonly field: string;
  readonly normalizer: string;
}

/** Match keys as parallel arrays: a record's normalized value of a field, under a normalizer. */
export interface MatchKeys {
  readonly fields: readonly string[];
  readonly normalizers: readonly string[];
  readonly values: readonly string[];
  readonly ids: readonly string[];
}

const RULE_COLUMNS = 'id, definition, version, created_at, updated_at';

interface RuleRow {
  id: string;
  definition: LinkingRuleDefinition;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

/** A stored rule, its properties in the documented order (jsonb keeps its own key order). */
function toRule(r: RuleRow): StoredLinkingRule {
  const d = r.definition;
  return {
    id: r.id,
    channelId: d.channelId,
    object: d.object,
    name: d.name,
    ...(d.description !== undefined ? { description: d.description } : {}),
    mode: d.mode,
    active: d.active,
    priority: d.priority,
    conditions: d.conditions.map((c) => ({ user: c.user, field: c.field, normalizer: c.normalizer, ...(c.region !== undefined ? { region: c.region } : {}) })),
    ...(d.filter !== undefined ? { filter: d.filter } : {}),
    version: Number(r.version),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

const LOAD_USERS = 'SELECT id, name, locale, language, attributes FROM messaging_users WHERE id = ANY($1::bigint[])';

/**
 * Candidates of every (user, rule) pair of a batch, in one statement. `$1`…`$8` are one row per
 * condition of a (user, rule) pair: the user, the rule (an index), its object, the condition (an
 * index), the field, the normalizer key, the user's normalized value and the rule's number of
 * conditions. A record matches a rule when it matches all of the rule's conditions. With `$9`,
 * users with suggestions awaiting review are left out. At most `$10` candidates per pair.
 */
const MATCH = `
  WITH x AS (
    SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::int[])
      AS x(user_id, rule, object, cond, field, normalizer, value, conditions)
    WHERE NOT $9::boolean OR NOT EXISTS (SELECT 1 FROM linking_suggestions s WHERE s.user_id = x.user_id)),
  m AS (
    SELECT x.user_id, x.rule, x.object, k.record_id, row_number() OVER (PARTITION BY x.user_id, x.rule ORDER BY k.record_id) AS n
    FROM x JOIN record_match_keys k ON k.object = x.object AND k.field = x.field AND k.normalizer = x.normalizer AND k.value = x.value
    GROUP BY x.user_id, x.rule, x.object, k.record_id
    HAVING count(DISTINCT x.cond) = max(x.conditions))
  SELECT m.user_id, m.rule, m.record_id, o.fields
  FROM m JOIN object_records o ON o.object = m.object AND o.id = m.record_id
  WHERE m.n <= $10
  ORDER BY m.user_id, m.rule, m.record_id`;

/**
 * The outcome of a batch, in one statement: links (only where the user is still unlinked), the
 * users' suggestions replaced, and a history entry per link made.
 */
const APPLY = `
  WITH
    l AS (
      UPDATE messaging_users m SET link = x.link, updated_at = x.at
      FROM unnest($1::bigint[], $2::jsonb[], $3::timestamptz[]) AS x(id, link, at)
      WHERE m.id = x.id AND m.link IS NULL
      RETURNING m.id, x.link, x.at),
    d AS (DELETE FROM linking_suggestions WHERE user_id = ANY($4::bigint[]) RETURNING 1),
    s AS (
      INSERT INTO linking_suggestions (user_id, rule_id, object, record_id, created_at)
      SELECT * FROM unnest($5::bigint[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
      RETURNING 1),
    e AS (
      INSERT INTO linking_events (user_id, action, object, record_id, by, at)
      SELECT l.id, 'linked', l.link->>'object', l.link->>'recordId', l.link->'linkedBy', l.at FROM l
      RETURNING 1)
  SELECT (SELECT count(*) FROM l) AS linked, (SELECT count(*) FROM d) AS cleared, (SELECT count(*) FROM s) AS suggested, (SELECT count(*) FROM e) AS events`;

/** Records as one JSON array of `{i: id, f: fields}` (cheaper to pass than a jsonb[] parameter). */
const UPSERT_RECORDS = `
  INSERT INTO object_records (object, id, fields, created_at, updated_at)
  SELECT $1, x->>'i', x->'f', $3, $3 FROM jsonb_array_elements($2::jsonb) AS x
  ON CONFLICT (object, id) DO UPDATE SET fields = EXCLUDED.fields, updated_at = EXCLUDED.updated_at
  WHERE object_records.fields IS DISTINCT FROM EXCLUDED.fields
  RETURNING id, (xmax = 0) AS created`;

const INSERT_KEYS = `
  INSERT INTO record_match_keys (object, field, normalizer, value, record_id)
  SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])`;

const USER_COLUMNS = 'id, channel_id, platform_key, name, locale, language, attributes, link';

// ---------------------------------------------------------------------------------------------
// Locks

/** Serializes rule writes (and the key sets they keep). */
export async function lockRules(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['linking:rules']);
}

/** Serializes record writes and key builds of one object. */
export async function lockObject(tx: Queryable, object: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`linking:object:${object}`]);
}

// ---------------------------------------------------------------------------------------------
// Rules

/** Creates or replaces a rule (its version bumped). */
export async function upsertRule(tx: Queryable, id: string, definition: LinkingRuleDefinition, at: Date): Promise<{ rule: StoredLinkingRule; created: boolean }> {
  const { rows } = await tx.query<RuleRow & { created: boolean }>(
    `INSERT INTO linking_rules (id, channel_id, object, active, priority, definition, version, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)
     ON CONFLICT (id) DO UPDATE SET channel_id = EXCLUDED.channel_id, object = EXCLUDED.object, active = EXCLUDED.active, priority = EXCLUDED.priority,
       definition = EXCLUDED.definition, version = linking_rules.version + 1, updated_at = EXCLUDED.updated_at
     RETURNING ${RULE_COLUMNS}, (xmax = 0) AS created`,
    [id, definition.channelId, definition.object, definition.active, definition.priority, JSON.stringify(definition), at],
  );
  const row = rows[0] as RuleRow & { created: boolean };
  return { rule: toRule(row), created: row.created };
}

export async function getRule(q: Queryable, id: string): Promise<StoredLinkingRule | undefined> {
  const { rows } = await q.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM linking_rules WHERE id = $1`, [id]);
  return rows[0] === undefined ? undefined : toRule(rows[0]);
}

/** Rules in the order they are tried: by channel, priority, id. */
export async function listRules(q: Queryable, channelId?: string): Promise<StoredLinkingRule[]> {
  const { rows } =
    channelId === undefined
      ? await q.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM linking_rules ORDER BY channel_id, priority, id`)
      : await q.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM linking_rules WHERE channel_id = $1 ORDER BY priority, id`, [channelId]);
  return rows.map(toRule);
}

/** Deletes a rule and the suggestions it made (links it made stay). False when there was none. */
export async function deleteRule(tx: Queryable, id: string): Promise<boolean> {
  const { rows } = await tx.query<{ id: string }>('DELETE FROM linking_rules WHERE id = $1 RETURNING id', [id]);
  if (rows.length === 0) return false;
  await tx.query('DELETE FROM linking_suggestions WHERE rule_id = $1', [id]);
  return true;
}

/** The definitions of the active rules (`active`) or of every rule, by channel, priority, id. */
export async function ruleDefinitions(q: Queryable, which: 'active' | 'all'): Promise<{ id: string; definition: LinkingRuleDefinition }[]> {
  const sql = which === 'active' ? 'SELECT id, definition FROM linking_rules WHERE active ORDER BY channel_id, priority, id' : 'SELECT id, definition FROM linking_rules';
  return (await q.query<{ id: string; definition: LinkingRuleDefinition }>(sql)).rows;
}

// ---------------------------------------------------------------------------------------------
// Match keys

/** The key sets that are complete. */
export async function readySpecs(tx: Queryable): Promise<SpecKey[]> {
  return (await tx.query<SpecKey>('SELECT object, field, normalizer FROM record_match_specs WHERE ready')).rows;
}

/** Registers a key set (record writes keep its keys from then on); true when it is complete already. */
export async function registerSpec(tx: Queryable, spec: SpecKey): Promise<boolean> {
  const { rows } = await tx.query<{ ready: boolean }>(
    `INSERT INTO record_match_specs (object, field, normalizer, ready) VALUES ($1, $2, $3, false)
     ON CONFLICT (object, field, normalizer) DO UPDATE SET ready = record_match_specs.ready RETURNING ready`,
    [spec.object, spec.field, spec.normalizer],
  );
  return rows[0]?.ready === true;
}

/** The next `limit` records of the spec's object (by Id, after `after`) that have its field, with the field's value. */
export async function recordValues(tx: Queryable, spec: SpecKey, after: string, limit: number): Promise<{ id: string; value: unknown }[]> {
  const { rows } = await tx.query<{ id: string; value: unknown }>('SELECT id, fields -> $2 AS value FROM object_records WHERE object = $1 AND id > $3 AND fields ? $2 ORDER BY id LIMIT $4', [
    spec.object,
    spec.field,
    after,
    limit,
  ]);
  return rows;
}

/** Replaces the spec's keys of the records `ids` by `keys`. */
export async function replaceSpecKeys(tx: Queryable, spec: SpecKey, ids: readonly string[], keys: MatchKeys): Promise<void> {
  await tx.query('DELETE FROM record_match_keys WHERE object = $1 AND field = $2 AND normalizer = $3 AND record_id = ANY($4::text[])', [spec.object, spec.field, spec.normalizer, ids]);
  await insertKeys(tx, spec.object, keys);
}

export async function markSpecReady(q: Queryable, spec: SpecKey): Promise<void> {
  await q.query('UPDATE record_match_specs SET ready = true WHERE object = $1 AND field = $2 AND normalizer = $3', [spec.object, spec.field, spec.normalizer]);
}

/** Drops a key set and its keys (the caller holds the object's lock). */
export async function dropSpec(tx: Queryable, s: SpecKey): Promise<void> {
  await tx.query('DELETE FROM record_match_specs WHERE object = $1 AND field = $2 AND normalizer = $3', [s.object, s.field, s.normalizer]);
  await tx.query('DELETE FROM record_match_keys WHERE object = $1 AND field = $2 AND normalizer = $3', [s.object, s.field, s.normalizer]);
}

/** The key sets of one object (complete or being built). */
export async function specsOfObject(tx: Queryable, object: string): Promise<{ field: string; normalizer: string }[]> {
  return (await tx.query<{ field: string; normalizer: string }>('SELECT field, normalizer FROM record_match_specs WHERE object = $1', [object])).rows;
}

export async function insertKeys(tx: Queryable, object: string, keys: MatchKeys): Promise<void> {
  if (keys.ids.length > 0) await tx.query(INSERT_KEYS, [object, keys.fields, keys.normalizers, keys.values, keys.ids]);
}

export async function deleteRecordKeys(tx: Queryable, object: string, ids: readonly string[]): Promise<void> {
  await tx.query('DELETE FROM record_match_keys WHERE object = $1 AND record_id = ANY($2::text[])', [object, ids]);
}

// ---------------------------------------------------------------------------------------------
// Records

/** Creates or replaces records (one statement); returns those that changed, and whether each is new. */
export async function upsertRecords(tx: Queryable, object: string, records: readonly { readonly id: string; readonly fields: unknown }[], at: Date): Promise<{ id: string; created: boolean }[]> {
  return (await tx.query<{ id: string; created: boolean }>(UPSERT_RECORDS, [object, JSON.stringify(records.map((r) => ({ i: r.id, f: r.fields }))), at])).rows;
}

export async function getRecord(q: Queryable, object: string, id: string): Promise<StoredRecord | undefined> {
  const { rows } = await q.query<{ fields: Record<string, unknown>; created_at: Date | string; updated_at: Date | string }>('SELECT fields, created_at, updated_at FROM object_records WHERE object = $1 AND id = $2', [object, id]);
  const r = rows[0];
  return r === undefined ? undefined : { object, id, fields: r.fields, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) };
}

// ---------------------------------------------------------------------------------------------
// Users, matching and links

/** The stored values (name, locale, language, attributes) of users. */
export async function userValues(tx: Queryable, ids: readonly string[]): Promise<LinkingUserRow[]> {
  return (await tx.query<LinkingUserRow>(LOAD_USERS, [ids], { prepare: 'parlance_linking_users' })).rows;
}

/** Locks and reads one messaging user. */
export async function lockUser(tx: Queryable, channelId: string, platformKey: string): Promise<LinkingUserRow | undefined> {
  const { rows } = await tx.query<LinkingUserRow>(`SELECT ${USER_COLUMNS} FROM messaging_users WHERE channel_id = $1 AND platform_key = $2 FOR UPDATE`, [channelId, platformKey]);
  return rows[0];
}

/** Locks and reads the next `limit` unlinked users of a channel, by id, after `after`. */
export async function lockUnlinkedUsers(tx: Queryable, channelId: string, after: string, limit: number): Promise<LinkingUserRow[]> {
  const { rows } = await tx.query<LinkingUserRow>(`SELECT ${USER_COLUMNS} FROM messaging_users WHERE channel_id = $1 AND link IS NULL AND id > $2 ORDER BY id LIMIT $3 FOR UPDATE`, [channelId, after, limit]);
  return rows;
}

/** The candidate records of a planned batch (see MATCH), at most `limit` per (user, rule). */
export async function matchCandidates(
  tx: Queryable,
  p: MatchPlan['parameters'],
  skipPending: boolean,
  limit: number,
): Promise<{ user_id: string | number; rule: number; record_id: string; fields: Record<string, unknown> }[]> {
  const { rows } = await tx.query<{ user_id: string | number; rule: number; record_id: string; fields: Record<string, unknown> }>(
    MATCH,
    [p.users, p.rules, p.objects, p.conds, p.fields, p.normalizers, p.values, p.counts, skipPending, limit],
    { prepare: 'parlance_linking_match' },
  );
  return rows;
}

/** A batch's links and suggestions, as parallel arrays. */
export interface LinkWrites {
  readonly links: { readonly ids: readonly string[]; readonly links: readonly string[]; readonly at: readonly string[] };
  /** Users whose suggestions are replaced (even with none). */
  readonly replace: readonly string[];
  readonly suggestions: { readonly users: readonly string[]; readonly rules: readonly string[]; readonly objects: readonly string[]; readonly records: readonly string[]; readonly at: readonly string[] };
}

/** Writes a batch's outcome (one statement, see APPLY); returns how many links were made. */
export async function applyLinks(tx: Queryable, w: LinkWrites): Promise<number> {
  const { links: l, suggestions: s } = w;
  const { rows } = await tx.query<{ linked: string | number }>(APPLY, [l.ids, l.links, l.at, w.replace, s.users, s.rules, s.objects, s.records, s.at], { prepare: 'parlance_linking_apply' });
  return Number(rows[0]?.linked ?? 0);
}

/** The current links of users (null: unlinked). */
export async function linksOf(tx: Queryable, ids: readonly string[]): Promise<{ id: string | number; link: UserLink | null }[]> {
  return (await tx.query<{ id: string | number; link: UserLink | null }>('SELECT id, link FROM messaging_users WHERE id = ANY($1::bigint[])', [ids])).rows;
}

/** An agent's link: replaces the user's link, clears the suggestions, records the link history entry. */
export async function writeAgentLink(tx: Queryable, userId: string, link: UserLink, at: Date, previous: UserLink | null): Promise<void> {
  await tx.query(
    `WITH u AS (UPDATE messaging_users SET link = $2, updated_at = $3 WHERE id = $1 RETURNING id),
          d AS (DELETE FROM linking_suggestions WHERE user_id = $1 RETURNING 1)
     INSERT INTO linking_events (user_id, action, object, record_id, by, previous, at) SELECT u.id, 'linked', $4::text, $5::text, $6::jsonb, $7::jsonb, $3::timestamptz FROM u`,
    [userId, JSON.stringify(link), at, link.object, link.recordId, JSON.stringify(link.linkedBy), previous === null ? null : JSON.stringify(previous)],
  );
}

/** A user's id and link, by channel and platform key. */
export async function userLinkOf(q: Queryable, channelId: string, platformKey: string): Promise<{ id: string | number; link: UserLink | null } | undefined> {
  const { rows } = await q.query<{ id: string | number; link: UserLink | null }>('SELECT id, link FROM messaging_users WHERE channel_id = $1 AND platform_key = $2', [channelId, platformKey]);
  return rows[0];
}

/** A user's suggestions awaiting review, with the records' fields (null when the record is gone), oldest first. */
export async function suggestionsOf(q: Queryable, userId: string | number): Promise<{ rule_id: string; object: string; record_id: string; fields: Record<string, unknown> | null; created_at: Date | string }[]> {
  const { rows } = await q.query<{ rule_id: string; object: string; record_id: string; fields: Record<string, unknown> | null; created_at: Date | string }>(
    `SELECT s.rule_id, s.object, s.record_id, o.fields, s.created_at FROM linking_suggestions s
     LEFT JOIN object_records o ON o.object = s.object AND o.id = s.record_id
     WHERE s.user_id = $1 ORDER BY s.id`,
    [userId],
  );
  return rows;
}

/** A user's link history, oldest first. */
export async function linkEventsOf(q: Queryable, userId: string | number): Promise<{ action: 'linked'; object: string; record_id: string; by: LinkedBy; previous: UserLink | null; at: Date | string }[]> {
  const { rows } = await q.query<{ action: 'linked'; object: string; record_id: string; by: LinkedBy; previous: UserLink | null; at: Date | string }>(
    'SELECT action, object, record_id, by, previous, at FROM linking_events WHERE user_id = $1 ORDER BY id',
    [userId],
  );
  return rows;
}
