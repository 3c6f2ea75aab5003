/**
 * The linking service (docs/linking.md): channel-object linking's use cases, each owning its
 * transactions: saving and deleting rules (and the match keys they need), writing records with
 * their keys, linking one user, every unlinked user of a channel, or the senders of an inbound
 * group, an agent's link, and a user's link state. It compiles rules and normalises values with
 * the domain (src/linking/) and persists through the store's repositories (src/store/linking.ts).
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
 * ({@link LinkingService.onInbound}). Active rules are cached per service, refreshed after every
 * rule write here and, on a PostgreSQL server shared by several instances, at least every second.
 */
import { FormulaEngine } from '../formula/formula.js';
import type { LinkResult, LinkState, RecordWriteCounts, StoredLinkingRule, StoredRecord, UserLink } from '../linking/links.js';
import { decideMatches, MAX_CANDIDATES, planMatch, type Decision, type LinkCandidate, type MatchUser } from '../linking/match.js';
import { normalizeValue, type NormalizerName, type NormalizerSpec } from '../linking/normalize.js';
import type { LinkingObjects } from '../linking/objects.js';
import type { RecordWrite } from '../linking/records.js';
import { compileRule, matchSpecs, type CompiledRule, type LinkingRuleDefinition, type MatchSpec } from '../linking/rules.js';
import type { Database, Queryable } from '../store/database.js';
import * as repo from '../store/linking.js';
import { canonicalLink, type LinkingUserRow, type MatchKeys, type SpecKey } from '../store/linking.js';

export { MAX_CANDIDATES, type LinkCandidate } from '../linking/match.js';
export type { LinkedBy, LinkHistoryEntry, LinkOutcome, LinkResult, LinkState, LinkSuggestion, RecordWriteCounts, StoredLinkingRule, StoredRecord, UserLink } from '../linking/links.js';

/** Records per statement in record writes and key builds. */
const CHUNK = 5000;

/** How long a PostgreSQL server's cached rules are trusted (other instances may write rules). */
const RULE_CACHE_MS = 1000;

const iso = (d: Date | string | number): string => new Date(d).toISOString();

const specId = (s: SpecKey): string => `${s.object}\u0000${s.field}\u0000${s.normalizer}`;

/** The normalizer spec a stored key name stands for (`e164:US`), for a field of `type`. */
function specOf(key: string, type: NormalizerSpec['type']): NormalizerSpec {
  const [normalizer, region] = key.split(':') as [NormalizerName, string | undefined];
  return { normalizer, ...(region !== undefined ? { region } : {}), ...(type !== undefined ? { type } : {}) };
}

/** The keys of `records` for `specs`, as parallel arrays. */
function keysOf(records: readonly { id: string; fields: Readonly<Record<string, unknown>> }[], specs: readonly MatchSpec[]): MatchKeys {
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

function toMatchUser(r: LinkingUserRow): MatchUser {
  return { id: String(r.id), channelId: r.channel_id, platformKey: r.platform_key, name: r.name ?? null, locale: r.locale ?? null, language: r.language ?? null, attributes: r.attributes ?? null };
}

/** The writes of a batch's decisions, as the store takes them; `replace`: users whose suggestions are replaced (even with none). */
function linkWrites(decisions: ReadonlyMap<string, Decision>, replace: readonly string[], at: (userId: string) => number): { writes: repo.LinkWrites; links: Map<string, UserLink> } {
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
  return { writes: { links: l, replace, suggestions: s }, links };
}

export class LinkingService {
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
          await repo.lockRules(tx);
          const have = new Set((await repo.readySpecs(tx)).map(specId));
          if (needed.some((s) => !have.has(specId(s)))) return undefined;
          const result = await repo.upsertRule(tx, id, definition, new Date(now));
          await this.#dropUnusedKeys(tx);
          return result;
        });
        if (saved !== undefined) return saved;
        if (attempt >= 5) throw new Error(`The match keys of the linking rule ${id} were dropped while they were built, ${attempt} times`);
      }
    } finally {
      this.invalidate();
    }
  }

  getRule(id: string): Promise<StoredLinkingRule | undefined> {
    return repo.getRule(this.db, id);
  }

  /** Rules in the order they are tried: by channel, priority, id. */
  listRules(channelId?: string): Promise<StoredLinkingRule[]> {
    return repo.listRules(this.db, channelId);
  }

  /** Deletes a rule and the suggestions it made (links it made stay). False when there was none. */
  async deleteRule(id: string): Promise<boolean> {
    try {
      return await this.db.transaction(async (tx) => {
        await repo.lockRules(tx);
        if (!(await repo.deleteRule(tx, id))) return false;
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
    const byChannel = new Map<string, CompiledRule[]>();
    for (const r of await repo.ruleDefinitions(q, 'active')) {
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
    const ready = await this.db.transaction(async (tx) => {
      await repo.lockObject(tx, spec.object);
      return repo.registerSpec(tx, spec);
    });
    if (ready) return;
    let after = '';
    for (;;) {
      const done = await this.db.transaction(async (tx) => {
        await repo.lockObject(tx, spec.object);
        const rows = await repo.recordValues(tx, spec, after, CHUNK * 2);
        if (rows.length === 0) return true;
        after = (rows[rows.length - 1] as { id: string }).id;
        const keys = keysOf(
          rows.map((r) => ({ id: r.id, fields: { [spec.field]: r.value } })),
          [spec],
        );
        await repo.replaceSpecKeys(
          tx,
          spec,
          rows.map((r) => r.id),
          keys,
        );
        return rows.length < CHUNK * 2;
      });
      if (done) break;
    }
    await repo.markSpecReady(this.db, spec);
  }

  /** Drops the keys of every built (object, field, normalizer) that no stored rule needs. */
  async #dropUnusedKeys(tx: Queryable): Promise<void> {
    const compiled = (await repo.ruleDefinitions(tx, 'all')).map((r) => compileRule(r.id, r.definition, this.objects, this.engine)).filter((r): r is CompiledRule => r !== undefined);
    const want = new Set(matchSpecs(compiled).map(specId));
    // Specs still being built belong to a rule not saved yet: its save drops or keeps them.
    const dropped = (await repo.readySpecs(tx)).filter((s) => !want.has(specId(s)));
    for (const object of [...new Set(dropped.map((s) => s.object))].sort()) await repo.lockObject(tx, object);
    for (const s of dropped) await repo.dropSpec(tx, s);
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
    await repo.lockObject(tx, object);
    const fieldTypes = this.objects.resolve(object);
    const specs: MatchSpec[] = (await repo.specsOfObject(tx, object)).map((s) => ({
      object,
      field: s.field,
      normalizer: s.normalizer,
      spec: specOf(s.normalizer, fieldTypes.ok ? fieldTypes.value.fields.get(s.field.toLowerCase())?.type : undefined),
    }));
    const at = new Date(now);
    let created = 0;
    let updated = 0;
    for (const chunk of chunks(records, CHUNK)) {
      const rows = await repo.upsertRecords(tx, object, chunk, at);
      if (rows.length === 0) continue;
      const changed = new Set(rows.map((r) => r.id));
      const replaced = rows.filter((r) => !r.created).map((r) => r.id);
      created += rows.length - replaced.length;
      updated += replaced.length;
      if (specs.length === 0) continue;
      if (replaced.length > 0) await repo.deleteRecordKeys(tx, object, replaced);
      await repo.insertKeys(
        tx,
        object,
        keysOf(
          chunk.filter((r) => changed.has(r.id)),
          specs,
        ),
      );
    }
    return { created, updated, unchanged: records.length - created - updated };
  }

  /** Creates or replaces one (checked) record. */
  async putRecord(object: string, record: RecordWrite, now: number): Promise<{ record: StoredRecord; created: boolean }> {
    return this.db.transaction(async (tx) => {
      const counts = await this.#writeRecords(tx, object, [record], now);
      const stored = await repo.getRecord(tx, object, record.id);
      if (stored === undefined) throw new Error(`Internal error: the record ${object} ${record.id} was written but can't be read`);
      return { record: stored, created: counts.created === 1 };
    });
  }

  getRecord(object: string, id: string, q: Queryable = this.db): Promise<StoredRecord | undefined> {
    return repo.getRecord(q, object, id);
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
    if (plan.parameters.users.length === 0) return new Map();
    const rows = await repo.matchCandidates(tx, plan.parameters, options.skipPending, MAX_CANDIDATES + 1);
    return decideMatches(users, rules, plan, rows, options.now);
  }

  /** Writes the decisions (one statement); `replace`: users whose suggestions are replaced (even with none). */
  async #apply(tx: Queryable, decisions: ReadonlyMap<string, Decision>, replace: readonly string[], at: (userId: string) => number): Promise<Map<string, UserLink>> {
    const { writes, links } = linkWrites(decisions, replace, at);
    if (writes.links.ids.length === 0 && writes.suggestions.users.length === 0 && replace.length === 0) return links;
    const linked = await repo.applyLinks(tx, writes);
    // A user linked meanwhile (by an agent, in a transaction this one waited for) keeps that link.
    if (linked !== writes.links.ids.length) {
      for (const r of await repo.linksOf(tx, writes.links.ids)) if (r.link !== null) links.set(String(r.id), canonicalLink(r.link));
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
    const byId = new Map((await repo.userValues(
      tx,
      users.map((u) => u.id),
    )).map((r) => [String(r.id), r]));
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
      const user = await repo.lockUser(tx, channelId, platformKey);
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
        const rows = await repo.lockUnlinkedUsers(tx, channelId, after, batch);
        if (rows.length === 0) return true;
        after = String(rows[rows.length - 1]?.id);
        const users = rows.map(toMatchUser);
        const rules = await this.activeRules(tx);
        const decisions = await this.#match(tx, users, rules, { skipPending: false, now: () => now });
        await this.#apply(
          tx,
          decisions,
          users.map((u) => u.id),
          () => now,
        );
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
      const user = await repo.lockUser(tx, channelId, platformKey);
      if (user === undefined) return 'user';
      const record = await repo.getRecord(tx, object, recordId);
      if (record === undefined) return 'record';
      const records = [{ object, id: recordId, fields: record.fields }];
      const current = user.link === null || user.link === undefined ? null : canonicalLink(user.link);
      if (current !== null && current.object === object && current.recordId === recordId) return { outcome: 'linked', records, link: current, alreadyLinked: true };
      const at = new Date(now);
      const link: UserLink = { object, recordId, linkedAt: at.toISOString(), linkedBy: { kind: 'agent', agent, ...(key !== undefined ? { key } : {}) } };
      await repo.writeAgentLink(tx, String(user.id), link, at, current);
      return { outcome: 'linked', records, link };
    });
  }

  /** The user's link, suggestions and link history; undefined when there is no such user. */
  async state(channelId: string, platformKey: string): Promise<LinkState | undefined> {
    const user = await repo.userLinkOf(this.db, channelId, platformKey);
    if (user === undefined) return undefined;
    const suggestions = await repo.suggestionsOf(this.db, user.id);
    const events = await repo.linkEventsOf(this.db, user.id);
    return {
      link: user.link === null ? null : canonicalLink(user.link),
      suggestions: suggestions.map((s) => ({ ruleId: s.rule_id, object: s.object, id: s.record_id, fields: s.fields ?? {}, suggestedAt: iso(s.created_at) })),
      history: events.map((e) => ({ action: e.action, object: e.object, recordId: e.record_id, by: canonicalLink({ object: '', recordId: '', linkedAt: '', linkedBy: e.by }).linkedBy, ...(e.previous !== null ? { previous: canonicalLink(e.previous) } : {}), at: iso(e.at) })),
    };
  }

  /** The linked records' fields ({} when the record is gone). */
  async #records(tx: Queryable, links: readonly UserLink[]): Promise<LinkCandidate[]> {
    const out: LinkCandidate[] = [];
    for (const l of links) out.push({ object: l.object, id: l.recordId, fields: (await repo.getRecord(tx, l.object, l.recordId))?.fields ?? {} });
    return out;
  }
}
