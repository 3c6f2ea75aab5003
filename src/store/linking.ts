/**
 * Channel-object linking in the store (docs/linking.md): linking rules, the records they match
 * (`object_records`), the match keys that make matching an indexed lookup, and the links,
 * suggestions and link history of messaging users.
 *
 * Matching never scans records. For every (object, field, normalizer) that some rule uses, each
 * record's normalized value is kept in `record_match_keys`, indexed by (object, field, normalizer,
 * value): written with the record, and built for every stored record when a rule that needs a new
 * one is saved (in chunks, before the rule is saved, so the rule never runs on incomplete keys). A
 * batch of users is matched by ONE statement for all of their rules: each user's normalized values
 * are joined to the keys, and a record is a candidate for a rule when it matches every condition
 * (the intersection). Record writes and key builds of an object take the object's lock, and a key
 * set is registered before it is built, so a key is never missed.
 *
 * Linking runs on demand (one user, or every unlinked user of a channel) and on inbound messages,
 * inside the inbound group's transaction with a constant number of statements per group
 * ({@link LinkingStore.onInbound}). Active rules are cached per store, refreshed after every rule
 * write here and, on a PostgreSQL server shared by several instances, at least every second.
 */
import { FormulaEngine } from '../formula/formula.js';
import { decideMatches, MAX_CANDIDATES, planMatch, type Decision, type LinkCandidate, type MatchUser } from '../linking/match.js';
import { normalizeValue, type NormalizerName, type NormalizerSpec } from '../linking/normalize.js';
import type { LinkingObjects } from '../linking/objects.js';
import type { RecordWrite } from '../linking/records.js';
import { compileRule, matchSpecs, type CompiledRule, type LinkingRuleDefinition, type MatchSpec } from '../linking/rules.js';
import type { Database, Queryable } from './database.js';

export { MAX_CANDIDATES, type LinkCandidate } from '../linking/match.js';

/** Who made a link: a rule (automatically) or an agent. */
export type LinkedBy = { readonly kind: 'rule'; readonly ruleId: string } | { readonly kind: 'agent'; readonly agent: string; readonly key?: string };

/** A messaging user's link to a record; later messages from the user carry it. */
export interface UserLink {
  readonly object: string;
  readonly recordId: string;
  /** ISO 8601, UTC. */
  readonly linkedAt: string;
  readonly linkedBy: LinkedBy;
}

export interface StoredLinkingRule extends LinkingRuleDefinition {
  readonly id: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface StoredRecord {
  readonly object: string;
  readonly id: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}


export type LinkOutcome = 'linked' | 'suggested' | 'none';

/** What a linking run (or an agent's link) did for one user. */
export interface LinkResult {
  readonly outcome: LinkOutcome;
  /** `linked`: the linked record; `suggested`: the candidates, by Id; `none`: empty. */
  readonly records: readonly LinkCandidate[];
  readonly link?: UserLink;
  /** The rule that linked or suggested. */
  readonly ruleId?: string;
  /** The rule's conditions matched more than {@link MAX_CANDIDATES} records: only the first ones (by Id) are suggested. */
  readonly truncated?: boolean;
  /** The user was linked already: no rule ran (or the agent's link was already the link). */
  readonly alreadyLinked?: boolean;
}

export interface LinkSuggestion extends LinkCandidate {
  readonly ruleId: string;
  readonly suggestedAt: string;
}

export interface LinkHistoryEntry {
  readonly action: 'linked';
  readonly object: string;
  readonly recordId: string;
  readonly by: LinkedBy;
  /** The link this one replaced (agents may relink a linked user). */
  readonly previous?: UserLink;
  readonly at: string;
}

/** A user's link, the suggestions awaiting review and every link made, oldest first. */
export interface LinkState {
  readonly link: UserLink | null;
  readonly suggestions: readonly LinkSuggestion[];
  readonly history: readonly LinkHistoryEntry[];
}

export interface RecordWriteCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** A link with its properties in the documented order (jsonb keeps its own key order). */
export function canonicalLink(l: UserLink): UserLink {
  const by = l.linkedBy;
  const linkedBy: LinkedBy = by.kind === 'rule' ? { kind: 'rule', ruleId: by.ruleId } : { kind: 'agent', agent: by.agent, ...(by.key !== undefined ? { key: by.key } : {}) };
  return { object: l.object, recordId: l.recordId, linkedAt: l.linkedAt, linkedBy };
}


/** Records per statement in record writes and key builds. */
const CHUNK = 5000;

/** How long a PostgreSQL server's cached rules are trusted (other instances may write rules). */
const RULE_CACHE_MS = 1000;

const iso = (d: Date | string | number): string => new Date(d).toISOString();

interface UserRow {
  id: string | number;
  channel_id: string;
  platform_key: string;
  name?: string | null;
  locale?: string | null;
  language?: string | null;
  attributes?: Record<string, unknown> | null;
  link?: UserLink | null;
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

const specId = (s: { readonly object: string; readonly field: string; readonly normalizer: string }): string => `${s.object}\u0000${s.field}\u0000${s.normalizer}`;

/** The normalizer spec a stored key name stands for (`e164:US`), for a field of `type`. */
function specOf(key: string, type: NormalizerSpec['type']): NormalizerSpec {
  const [normalizer, region] = key.split(':') as [NormalizerName, string | undefined];
  return { normalizer, ...(region !== undefined ? { region } : {}), ...(type !== undefined ? { type } : {}) };
}

/** The keys of `records` for `specs`, as parallel arrays. */
function keysOf(records: readonly { id: string; fields: Readonly<Record<string, unknown>> }[], specs: readonly MatchSpec[]): { fields: string[]; normalizers: string[]; values: string[]; ids: string[] } {
  const out = { fields: [] as string[], normalizers: [] as string[], values: [] as string[], ids: [] as string[] };
  for (const r of records) {
    for (const s of specs) {
      const value = normalizeValue(s.spec, r.fields[s.field]);
      if (value === undefined) continue;
      out.fields.push(s.field);
      out.normalizers.push(s.normalizer);
      out.values.push(value);
      out.ids.push(r.id);
    }
  }
  return out;
}

function* chunks<T>(list: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

export class LinkingStore {
  #cache: { readonly byChannel: ReadonlyMap<string, readonly CompiledRule[]>; readonly at: number } | undefined;
  /** Bumped by every rule write, so a load that raced with one isn't cached. */
  #generation = 0;

  constructor(
    private readonly db: Database,
    readonly objects: LinkingObjects,
    readonly engine: FormulaEngine = new FormulaEngine(),
  ) {}

  // -------------------------------------------------------------------------------------------
  // Rules

  /**
   * Creates or replaces a (checked) rule. The match keys it needs that aren't built yet are built
   * first, from the stored records, a chunk per transaction (so inbound messages and record writes
   * go on meanwhile); then the rule is saved, in a transaction that checks its keys are complete,
   * and keys no rule needs any more are dropped.
   */
  async putRule(id: string, definition: LinkingRuleDefinition, now: number): Promise<{ rule: StoredLinkingRule; created: boolean }> {
    const compiled = compileRule(id, definition, this.objects, this.engine);
    if (compiled === undefined) throw new Error(`Internal error: the linking rule ${id} was checked but doesn't compile`);
    const needed = matchSpecs([compiled]);
    try {
      // A rule deleted meanwhile may drop a key set this rule needs: build again (rarely more than once).
      for (let attempt = 1; ; attempt++) {
        for (const spec of needed) await this.#buildKeys(spec);
        const saved = await this.db.transaction(async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['linking:rules']);
          const { rows: ready } = await tx.query<{ object: string; field: string; normalizer: string }>('SELECT object, field, normalizer FROM record_match_specs WHERE ready');
          const have = new Set(ready.map(specId));
          if (needed.some((s) => !have.has(specId(s)))) return undefined;
          const at = new Date(now);
          const { rows } = await tx.query<RuleRow & { created: boolean }>(
            `INSERT INTO linking_rules (id, channel_id, object, active, priority, definition, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)
             ON CONFLICT (id) DO UPDATE SET channel_id = EXCLUDED.channel_id, object = EXCLUDED.object, active = EXCLUDED.active, priority = EXCLUDED.priority,
               definition = EXCLUDED.definition, version = linking_rules.version + 1, updated_at = EXCLUDED.updated_at
             RETURNING ${RULE_COLUMNS}, (xmax = 0) AS created`,
            [id, definition.channelId, definition.object, definition.active, definition.priority, JSON.stringify(definition), at],
          );
          await this.#dropUnusedKeys(tx);
          const row = rows[0] as RuleRow & { created: boolean };
          return { rule: toRule(row), created: row.created };
        });
        if (saved !== undefined) return saved;
        if (attempt >= 5) throw new Error(`The match keys of the linking rule ${id} were dropped while they were built, ${attempt} times`);
      }
    } finally {
      this.invalidate();
    }
  }

  async getRule(id: string): Promise<StoredLinkingRule | undefined> {
    const { rows } = await this.db.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM linking_rules WHERE id = $1`, [id]);
    return rows[0] === undefined ? undefined : toRule(rows[0]);
  }

  /** Rules in the order they are tried: by channel, priority, id. */
  async listRules(channelId?: string): Promise<StoredLinkingRule[]> {
    const { rows } =
      channelId === undefined
        ? await this.db.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM linking_rules ORDER BY channel_id, priority, id`)
        : await this.db.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM linking_rules WHERE channel_id = $1 ORDER BY priority, id`, [channelId]);
    return rows.map(toRule);
  }

  /** Deletes a rule and the suggestions it made (links it made stay). False when there was none. */
  async deleteRule(id: string): Promise<boolean> {
    try {
      return await this.db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['linking:rules']);
        const { rows } = await tx.query<{ id: string }>('DELETE FROM linking_rules WHERE id = $1 RETURNING id', [id]);
        if (rows.length === 0) return false;
        await tx.query('DELETE FROM linking_suggestions WHERE rule_id = $1', [id]);
        await this.#dropUnusedKeys(tx);
        return true;
      });
    } finally {
      this.invalidate();
    }
  }

  /** Forgets the cached rules. */
  invalidate(): void {
    this.#generation++;
    this.#cache = undefined;
  }

  /** The active rules by channel, in the order they are tried (cached). */
  async activeRules(q: Queryable = this.db): Promise<ReadonlyMap<string, readonly CompiledRule[]>> {
    const cache = this.#cache;
    if (cache !== undefined && (this.db.kind === 'embedded' || performance.now() - cache.at < RULE_CACHE_MS)) return cache.byChannel;
    const generation = this.#generation;
    const { rows } = await q.query<{ id: string; definition: LinkingRuleDefinition }>('SELECT id, definition FROM linking_rules WHERE active ORDER BY channel_id, priority, id');
    const byChannel = new Map<string, CompiledRule[]>();
    for (const r of rows) {
      const compiled = compileRule(r.id, r.definition, this.objects, this.engine);
      if (compiled === undefined) continue;
      const list = byChannel.get(r.definition.channelId) ?? [];
      list.push(compiled);
      byChannel.set(r.definition.channelId, list);
    }
    if (generation === this.#generation) this.#cache = { byChannel, at: performance.now() };
    return byChannel;
  }

  /**
   * Builds the keys of one (object, field, normalizer) from the stored records, unless they are
   * built already. The spec is registered first (so record writes keep its keys from then on),
   * then the records are read in Id order, a chunk per transaction under the object's lock, and
   * each chunk's keys are replaced; the spec is marked ready at the end. Idempotent, so a build
   * that was interrupted is simply done again.
   */
  async #buildKeys(spec: MatchSpec): Promise<void> {
    const lock = `linking:object:${spec.object}`;
    const ready = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
      const { rows } = await tx.query<{ ready: boolean }>(
        `INSERT INTO record_match_specs (object, field, normalizer, ready) VALUES ($1, $2, $3, false)
         ON CONFLICT (object, field, normalizer) DO UPDATE SET ready = record_match_specs.ready RETURNING ready`,
        [spec.object, spec.field, spec.normalizer],
      );
      return rows[0]?.ready === true;
    });
    if (ready) return;
    let after = '';
    for (;;) {
      const done = await this.db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
        const { rows } = await tx.query<{ id: string; value: unknown }>(
          'SELECT id, fields -> $2 AS value FROM object_records WHERE object = $1 AND id > $3 AND fields ? $2 ORDER BY id LIMIT $4',
          [spec.object, spec.field, after, CHUNK * 2],
        );
        if (rows.length === 0) return true;
        after = (rows[rows.length - 1] as { id: string }).id;
        const ids = rows.map((r) => r.id);
        await tx.query('DELETE FROM record_match_keys WHERE object = $1 AND field = $2 AND normalizer = $3 AND record_id = ANY($4::text[])', [spec.object, spec.field, spec.normalizer, ids]);
        const keys = keysOf(
          rows.map((r) => ({ id: r.id, fields: { [spec.field]: r.value } })),
          [spec],
        );
        if (keys.ids.length > 0) await tx.query(INSERT_KEYS, [spec.object, keys.fields, keys.normalizers, keys.values, keys.ids]);
        return rows.length < CHUNK * 2;
      });
      if (done) break;
    }
    await this.db.query('UPDATE record_match_specs SET ready = true WHERE object = $1 AND field = $2 AND normalizer = $3', [spec.object, spec.field, spec.normalizer]);
  }

  /** Drops the keys of every built (object, field, normalizer) that no stored rule needs. */
  async #dropUnusedKeys(tx: Queryable): Promise<void> {
    const { rows: rules } = await tx.query<{ id: string; definition: LinkingRuleDefinition }>('SELECT id, definition FROM linking_rules');
    const compiled = rules.map((r) => compileRule(r.id, r.definition, this.objects, this.engine)).filter((r): r is CompiledRule => r !== undefined);
    const want = new Set(matchSpecs(compiled).map(specId));
    // Specs still being built belong to a rule not saved yet: its save drops or keeps them.
    const { rows: existing } = await tx.query<{ object: string; field: string; normalizer: string }>('SELECT object, field, normalizer FROM record_match_specs WHERE ready');
    const dropped = existing.filter((s) => !want.has(specId(s)));
    for (const object of [...new Set(dropped.map((s) => s.object))].sort()) await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`linking:object:${object}`]);
    for (const s of dropped) {
      await tx.query('DELETE FROM record_match_specs WHERE object = $1 AND field = $2 AND normalizer = $3', [s.object, s.field, s.normalizer]);
      await tx.query('DELETE FROM record_match_keys WHERE object = $1 AND field = $2 AND normalizer = $3', [s.object, s.field, s.normalizer]);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Records

  /**
   * Creates or replaces (checked) records of one object, in one transaction, with their match
   * keys. Idempotent: a record written again with the same fields is unchanged. Ids must be distinct.
   */
  async putRecords(object: string, records: readonly RecordWrite[], now: number): Promise<RecordWriteCounts> {
    const seen = new Set<string>();
    for (const r of records) {
      if (seen.has(r.id)) throw new Error(`The record ${object} ${r.id} appears twice in one batch`);
      seen.add(r.id);
    }
    if (records.length === 0) return { created: 0, updated: 0, unchanged: 0 };
    return this.db.transaction((tx) => this.#writeRecords(tx, object, records, now));
  }

  async #writeRecords(tx: Queryable, object: string, records: readonly RecordWrite[], now: number): Promise<RecordWriteCounts> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`linking:object:${object}`]);
    const fieldTypes = this.objects.resolve(object);
    const { rows: specRows } = await tx.query<{ field: string; normalizer: string }>('SELECT field, normalizer FROM record_match_specs WHERE object = $1', [object]);
    const specs: MatchSpec[] = specRows.map((s) => ({
      object,
      field: s.field,
      normalizer: s.normalizer,
      spec: specOf(s.normalizer, fieldTypes.ok ? fieldTypes.value.fields.get(s.field.toLowerCase())?.type : undefined),
    }));
    const at = new Date(now);
    let created = 0;
    let updated = 0;
    for (const chunk of chunks(records, CHUNK)) {
      const { rows } = await tx.query<{ id: string; created: boolean }>(UPSERT_RECORDS, [object, JSON.stringify(chunk.map((r) => ({ i: r.id, f: r.fields }))), at]);
      if (rows.length === 0) continue;
      const changed = new Set(rows.map((r) => r.id));
      const replaced = rows.filter((r) => !r.created).map((r) => r.id);
      created += rows.length - replaced.length;
      updated += replaced.length;
      if (specs.length === 0) continue;
      if (replaced.length > 0) await tx.query('DELETE FROM record_match_keys WHERE object = $1 AND record_id = ANY($2::text[])', [object, replaced]);
      const keys = keysOf(
        chunk.filter((r) => changed.has(r.id)),
        specs,
      );
      if (keys.ids.length > 0) await tx.query(INSERT_KEYS, [object, keys.fields, keys.normalizers, keys.values, keys.ids]);
    }
    return { created, updated, unchanged: records.length - created - updated };
  }

  /** Creates or replaces one (checked) record. */
  async putRecord(object: string, record: RecordWrite, now: number): Promise<{ record: StoredRecord; created: boolean }> {
    return this.db.transaction(async (tx) => {
      const counts = await this.#writeRecords(tx, object, [record], now);
      const stored = await this.getRecord(object, record.id, tx);
      if (stored === undefined) throw new Error(`Internal error: the record ${object} ${record.id} was written but can't be read`);
      return { record: stored, created: counts.created === 1 };
    });
  }

  async getRecord(object: string, id: string, q: Queryable = this.db): Promise<StoredRecord | undefined> {
    const { rows } = await q.query<{ fields: Record<string, unknown>; created_at: Date | string; updated_at: Date | string }>('SELECT fields, created_at, updated_at FROM object_records WHERE object = $1 AND id = $2', [object, id]);
    const r = rows[0];
    return r === undefined ? undefined : { object, id, fields: r.fields, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) };
  }

  // -------------------------------------------------------------------------------------------
  // Matching

  /**
   * Decides every user of a batch: each user's rules (their channel's active rules, in order) are
   * matched in one statement, and the first rule with candidates that pass its filter decides:
   * linked when the rule is `auto` and there is exactly one, suggested otherwise. Users for whom
   * no rule has a candidate are absent from the result.
   */
  async #match(tx: Queryable, users: readonly MatchUser[], rules: ReadonlyMap<string, readonly CompiledRule[]>, options: { readonly skipPending: boolean; readonly now: (userId: string) => number }): Promise<Map<string, Decision>> {
    const plan = planMatch(users, rules);
    const p = plan.parameters;
    if (p.users.length === 0) return new Map();
    const { rows } = await tx.query<{ user_id: string | number; rule: number; record_id: string; fields: Record<string, unknown> }>(
      MATCH,
      [p.users, p.rules, p.objects, p.conds, p.fields, p.normalizers, p.values, p.counts, options.skipPending, MAX_CANDIDATES + 1],
      { prepare: 'parlance_linking_match' },
    );
    return decideMatches(users, rules, plan, rows, options.now);
  }

  /** Writes the decisions (one statement); `replace`: users whose suggestions are replaced (even with none). */
  async #apply(tx: Queryable, decisions: ReadonlyMap<string, Decision>, replace: readonly string[], at: (userId: string) => number): Promise<Map<string, UserLink>> {
    const links = new Map<string, UserLink>();
    const l = { ids: [] as string[], links: [] as string[], at: [] as string[] };
    const s = { users: [] as string[], rules: [] as string[], objects: [] as string[], records: [] as string[], at: [] as string[] };
    for (const [userId, d] of decisions) {
      const when = iso(at(userId));
      if (d.outcome === 'linked') {
        const c = d.candidates[0] as LinkCandidate;
        const link: UserLink = { object: c.object, recordId: c.id, linkedAt: when, linkedBy: { kind: 'rule', ruleId: d.rule.id } };
        links.set(userId, link);
        l.ids.push(userId);
        l.links.push(JSON.stringify(link));
        l.at.push(when);
      } else {
        for (const c of d.candidates) {
          s.users.push(userId);
          s.rules.push(d.rule.id);
          s.objects.push(c.object);
          s.records.push(c.id);
          s.at.push(when);
        }
      }
    }
    if (l.ids.length === 0 && s.users.length === 0 && replace.length === 0) return links;
    const { rows } = await tx.query<{ linked: string | number }>(APPLY, [l.ids, l.links, l.at, replace, s.users, s.rules, s.objects, s.records, s.at], { prepare: 'parlance_linking_apply' });
    // A user linked meanwhile (by an agent, in a transaction this one waited for) keeps that link.
    if (Number(rows[0]?.linked ?? 0) !== l.ids.length) {
      const { rows: current } = await tx.query<{ id: string | number; link: UserLink | null }>('SELECT id, link FROM messaging_users WHERE id = ANY($1::bigint[])', [l.ids]);
      for (const r of current) if (r.link !== null) links.set(String(r.id), canonicalLink(r.link));
    }
    return links;
  }

  /**
   * Linking for the senders of an inbound group, inside the group's transaction: only senders who
   * aren't linked, on channels with an active rule, and without suggestions awaiting review. At
   * most three statements for the whole group (the users' stored values when a rule reads more
   * than the platform key, the match, the writes), none when no sender qualifies. Returns every
   * sender's link, earlier or made now, by user id.
   */
  async onInbound(
    tx: Queryable,
    senders: readonly { readonly user_id: string | number; readonly channel_id: string; readonly platform_key: string; readonly link?: UserLink | null }[],
    messages: readonly { readonly channelId: string; readonly from: string; readonly receivedAt: number }[],
  ): Promise<ReadonlyMap<string, UserLink>> {
    const links = new Map<string, UserLink>();
    for (const s of senders) if (s.link !== null && s.link !== undefined) links.set(String(s.user_id), canonicalLink(s.link));
    const rules = await this.activeRules(tx);
    if (rules.size === 0) return links;
    const candidates = senders.filter((s) => (s.link === null || s.link === undefined) && rules.has(s.channel_id));
    if (candidates.length === 0) return links;
    const first = new Map<string, number>();
    for (const m of messages) {
      const k = `${m.channelId}\u0000${m.from}`;
      if (!first.has(k)) first.set(k, m.receivedAt);
    }
    const at = new Map(candidates.map((s) => [String(s.user_id), first.get(`${s.channel_id}\u0000${s.platform_key}`) ?? 0]));
    let users: MatchUser[] = candidates.map((s) => ({ id: String(s.user_id), channelId: s.channel_id, platformKey: s.platform_key }));
    if (candidates.some((s) => rules.get(s.channel_id)?.some((r) => r.readsUserFields) === true)) users = await this.#withStoredValues(tx, users);
    const time = (id: string): number => at.get(id) ?? 0;
    const decisions = await this.#match(tx, users, rules, { skipPending: true, now: time });
    if (decisions.size === 0) return links;
    for (const [id, link] of await this.#apply(tx, decisions, [...decisions.keys()], time)) links.set(id, link);
    return links;
  }

  async #withStoredValues(tx: Queryable, users: readonly MatchUser[]): Promise<MatchUser[]> {
    const { rows } = await tx.query<UserRow>(LOAD_USERS, [users.map((u) => u.id)], { prepare: 'parlance_linking_users' });
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    return users.map((u) => {
      const r = byId.get(u.id);
      return r === undefined ? u : { ...u, name: r.name ?? null, locale: r.locale ?? null, language: r.language ?? null, attributes: r.attributes ?? null };
    });
  }

  /**
   * Runs the channel's active rules for one user, now (`POST …/link`). A linked user stays linked
   * (`alreadyLinked`). Otherwise the user's suggestions are replaced by this run's: none when
   * nothing matches. Undefined when there is no such user.
   */
  async linkUser(channelId: string, platformKey: string, now: number): Promise<LinkResult | undefined> {
    return this.db.transaction(async (tx) => {
      const user = await this.#lockUser(tx, channelId, platformKey);
      if (user === undefined) return undefined;
      if (user.link !== null && user.link !== undefined) return { outcome: 'linked', records: await this.#records(tx, [user.link]), link: canonicalLink(user.link), alreadyLinked: true };
      const rules = await this.activeRules(tx);
      const id = String(user.id);
      const decisions = await this.#match(tx, [toMatchUser(user)], rules, { skipPending: false, now: () => now });
      const links = await this.#apply(tx, decisions, [id], () => now);
      const d = decisions.get(id);
      if (d === undefined) return { outcome: 'none', records: [] };
      const link = links.get(id);
      return {
        outcome: d.outcome,
        records: d.candidates,
        ...(link !== undefined ? { link } : {}),
        ruleId: d.rule.id,
        ...(d.truncated ? { truncated: true } : {}),
      };
    });
  }

  /**
   * Runs the channel's active rules for every user of the channel who isn't linked, `batch` users
   * per transaction (three statements each), replacing their suggestions. For a backfill after
   * rules or records change, and the benchmark.
   */
  async linkChannel(channelId: string, now: number, batch = 1000): Promise<{ users: number; linked: number; suggested: number; none: number }> {
    const counts = { users: 0, linked: 0, suggested: 0, none: 0 };
    let after = '0';
    for (;;) {
      const done = await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<UserRow>(
          'SELECT id, channel_id, platform_key, name, locale, language, attributes, link FROM messaging_users WHERE channel_id = $1 AND link IS NULL AND id > $2 ORDER BY id LIMIT $3 FOR UPDATE',
          [channelId, after, batch],
        );
        if (rows.length === 0) return true;
        after = String(rows[rows.length - 1]?.id);
        const users = rows.map(toMatchUser);
        const rules = await this.activeRules(tx);
        const decisions = await this.#match(tx, users, rules, { skipPending: false, now: () => now });
        await this.#apply(tx, decisions, users.map((u) => u.id), () => now);
        counts.users += users.length;
        for (const d of decisions.values()) counts[d.outcome]++;
        counts.none += users.length - decisions.size;
        return rows.length < batch;
      });
      if (done) return counts;
    }
  }

  /**
   * An agent links the user to a record (after reviewing suggestions, or one they found or
   * created). It replaces any link, clears the suggestions and is recorded in the link history
   * with the agent and the API key. `user`: no such user; `record`: no such record.
   */
  async linkByAgent(channelId: string, platformKey: string, object: string, recordId: string, agent: string, key: string | undefined, now: number): Promise<LinkResult | 'user' | 'record'> {
    return this.db.transaction(async (tx) => {
      const user = await this.#lockUser(tx, channelId, platformKey);
      if (user === undefined) return 'user';
      const record = await this.getRecord(object, recordId, tx);
      if (record === undefined) return 'record';
      const records = [{ object, id: recordId, fields: record.fields }];
      const current = user.link === null || user.link === undefined ? null : canonicalLink(user.link);
      if (current !== null && current.object === object && current.recordId === recordId) return { outcome: 'linked', records, link: current, alreadyLinked: true };
      const at = new Date(now);
      const link: UserLink = { object, recordId, linkedAt: at.toISOString(), linkedBy: { kind: 'agent', agent, ...(key !== undefined ? { key } : {}) } };
      await tx.query(
        `WITH u AS (UPDATE messaging_users SET link = $2, updated_at = $3 WHERE id = $1 RETURNING id),
              d AS (DELETE FROM linking_suggestions WHERE user_id = $1 RETURNING 1)
         INSERT INTO linking_events (user_id, action, object, record_id, by, previous, at) SELECT u.id, 'linked', $4::text, $5::text, $6::jsonb, $7::jsonb, $3::timestamptz FROM u`,
        [String(user.id), JSON.stringify(link), at, object, recordId, JSON.stringify(link.linkedBy), current === null ? null : JSON.stringify(current)],
      );
      return { outcome: 'linked', records, link };
    });
  }

  /** The user's link, suggestions and link history; undefined when there is no such user. */
  async state(channelId: string, platformKey: string): Promise<LinkState | undefined> {
    const { rows } = await this.db.query<{ id: string | number; link: UserLink | null }>('SELECT id, link FROM messaging_users WHERE channel_id = $1 AND platform_key = $2', [channelId, platformKey]);
    const user = rows[0];
    if (user === undefined) return undefined;
    const { rows: suggestions } = await this.db.query<{ rule_id: string; object: string; record_id: string; fields: Record<string, unknown> | null; created_at: Date | string }>(
      `SELECT s.rule_id, s.object, s.record_id, o.fields, s.created_at FROM linking_suggestions s
       LEFT JOIN object_records o ON o.object = s.object AND o.id = s.record_id
       WHERE s.user_id = $1 ORDER BY s.id`,
      [user.id],
    );
    const { rows: events } = await this.db.query<{ action: 'linked'; object: string; record_id: string; by: LinkedBy; previous: UserLink | null; at: Date | string }>(
      'SELECT action, object, record_id, by, previous, at FROM linking_events WHERE user_id = $1 ORDER BY id',
      [user.id],
    );
    return {
      link: user.link === null ? null : canonicalLink(user.link),
      suggestions: suggestions.map((s) => ({ ruleId: s.rule_id, object: s.object, id: s.record_id, fields: s.fields ?? {}, suggestedAt: iso(s.created_at) })),
      history: events.map((e) => ({ action: e.action, object: e.object, recordId: e.record_id, by: canonicalLink({ object: '', recordId: '', linkedAt: '', linkedBy: e.by }).linkedBy, ...(e.previous !== null ? { previous: canonicalLink(e.previous) } : {}), at: iso(e.at) })),
    };
  }

  async #lockUser(tx: Queryable, channelId: string, platformKey: string): Promise<UserRow | undefined> {
    const { rows } = await tx.query<UserRow>('SELECT id, channel_id, platform_key, name, locale, language, attributes, link FROM messaging_users WHERE channel_id = $1 AND platform_key = $2 FOR UPDATE', [channelId, platformKey]);
    return rows[0];
  }

  /** The linked records' fields ({} when the record is gone). */
  async #records(tx: Queryable, links: readonly UserLink[]): Promise<LinkCandidate[]> {
    const out: LinkCandidate[] = [];
    for (const l of links) out.push({ object: l.object, id: l.recordId, fields: (await this.getRecord(l.object, l.recordId, tx))?.fields ?? {} });
    return out;
  }
}

function toMatchUser(r: UserRow): MatchUser {
  return { id: String(r.id), channelId: r.channel_id, platformKey: r.platform_key, name: r.name ?? null, locale: r.locale ?? null, language: r.language ?? null, attributes: r.attributes ?? null };
}
