/**
 * The SQL store (src/store/), run against every configured database: always the embedded one
 * (PGlite, in memory), and a PostgreSQL server when PARLANCE_TEST_POSTGRES_URL is set
 * (`.ci/run` starts one). On PostgreSQL every run works in fresh schemas of its own
 * (`search_path` set through the connection URL's `options`), dropped at the end.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideInbound, type MessagingUserState, type OpenSessionSummary } from '../../src/consent/engine.js';
import { defaultChannelSettings, validateChannelSettings, type ChannelSettings, type ConsentStatus } from '../../src/consent/settings.js';
import { ChannelStore } from '../../src/store/channels.js';
import { ComponentStore } from '../../src/store/components.js';
import { openDatabase, type Database, type Queryable } from '../../src/store/database.js';
import { InboundProcessor, type InboundMessage, type InboundResult } from '../../src/services/inbound.js';
import { MIGRATIONS, migrate, type Migration } from '../../src/store/migrations.js';
import { MessageIdReusedError } from '../../src/store/receipts.js';

interface Target {
  readonly name: string;
  readonly kind: 'embedded' | 'postgres';
  /** The server's URL (PostgreSQL only). */
  readonly url?: string;
  /** Embedded only: PGlite on the test's thread or on a worker thread of its own (as a directory store runs by default). */
  readonly thread?: 'own' | 'caller';
}

const TARGETS: Target[] = [
  { name: 'the embedded database', kind: 'embedded', thread: 'caller' },
  { name: 'the embedded database on its own thread', kind: 'embedded', thread: 'own' },
];
const POSTGRES_URL = process.env.PARLANCE_TEST_POSTGRES_URL;
if (POSTGRES_URL !== undefined && POSTGRES_URL !== '') TARGETS.push({ name: 'a PostgreSQL server', kind: 'postgres', url: POSTGRES_URL });

const T0 = Date.parse('2026-03-01T09:00:00Z');

/** `url` with `search_path` set to `schema` through the startup `options` (which pg passes on from the URL). */
function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  const options = [u.searchParams.get('options'), `-c search_path=${schema}`].filter((o) => o !== null && o !== '').join(' ');
  u.searchParams.delete('options');
  return `${u.toString()}${u.search === '' ? '?' : '&'}options=${encodeURIComponent(options)}`;
}

/** Opens fresh databases for one target and closes (and on PostgreSQL drops) them at the end. */
class Databases {
  private readonly open: Database[] = [];
  private readonly schemas: string[] = [];
  private admin: pg.Client | undefined;

  constructor(private readonly target: Target) {}

  /** A new, empty database, and a way to open more connections to it (separate pools: other server instances). */
  async fresh(): Promise<{ db: Database; connect(): Promise<Database> }> {
    if (this.target.kind === 'embedded') {
      const db = await this.track(openDatabase('memory', { thread: this.target.thread ?? 'caller' }));
      return {
        db,
        connect: () => Promise.reject(new Error('an embedded database has one connection')),
      };
    }
    const base = this.target.url!;
    if (this.admin === undefined) {
      this.admin = new pg.Client({ connectionString: base });
      await this.admin.connect();
    }
    const schema = `parlance_test_${process.pid}_${this.schemas.length + 1}`;
    await this.admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await this.admin.query(`CREATE SCHEMA ${schema}`);
    this.schemas.push(schema);
    const url = withSearchPath(base, schema);
    const connect = (): Promise<Database> => this.track(openDatabase(url));
    return { db: await connect(), connect };
  }

  private async track(opening: Promise<Database>): Promise<Database> {
    const db = await opening;
    this.open.push(db);
    return db;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.map((db) => db.close()));
    if (this.admin !== undefined) {
      for (const schema of this.schemas) await this.admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await this.admin.end();
    }
  }
}

/** Valid settings for a US short code: explicit opt-in, the default keywords (START/YES, STOP, HELP). */
function shortCodeSettings(): ChannelSettings {
  const v = validateChannelSettings(defaultChannelSettings('SmsShortCode', { country: 'US' }));
  expect(v.errors).toEqual([]);
  expect(v.settings).toBeDefined();
  return v.settings!;
}

interface LedgerRow {
  from_status: ConsentStatus | null;
  to_status: ConsentStatus;
  cause: Record<string, unknown>;
}

interface UserRow {
  id: string | number;
  consent_status: ConsentStatus;
  language: string | null;
}

async function userOf(q: Queryable, channelId: string, platformKey: string): Promise<UserRow> {
  const { rows } = await q.query<UserRow>('SELECT id, consent_status, language FROM messaging_users WHERE channel_id = $1 AND platform_key = $2', [channelId, platformKey]);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function ledgerOf(q: Queryable, userId: string | number): Promise<LedgerRow[]> {
  return (await q.query<LedgerRow>('SELECT from_status, to_status, cause FROM consent_ledger WHERE user_id = $1 ORDER BY id', [userId])).rows;
}

/** The user's inbound texts in the order they were processed (each is written under the user's row lock). */
async function textsOf(q: Queryable, userId: string | number): Promise<string[]> {
  return (await q.query<{ text: string }>('SELECT text FROM messages WHERE user_id = $1 ORDER BY id', [userId])).rows.map((r) => r.text);
}

async function openSessionsOf(q: Queryable, userId: string | number): Promise<number> {
  const { rows } = await q.query<{ n: number | string }>("SELECT count(*) AS n FROM sessions WHERE user_id = $1 AND status NOT IN ('Ended', 'Error')", [userId]);
  return Number(rows[0]!.n);
}

/**
 * What processing `texts` one at a time, in this order, gives: the ledger, the final status and the
 * number of sessions. The reference for concurrent runs: whatever order the messages were
 * serialized in, the result must be exactly that of processing them one by one in that order.
 */
function replay(settings: ChannelSettings, texts: readonly string[]): { ledger: { from: ConsentStatus | null; to: ConsentStatus }[]; status: ConsentStatus | undefined; sessions: number } {
  let user: MessagingUserState | undefined;
  let session: OpenSessionSummary | undefined;
  let sessions = 0;
  const ledger: { from: ConsentStatus | null; to: ConsentStatus }[] = [];
  texts.forEach((text, i) => {
    const d = decideInbound({ settings, user, session, text, receivedAt: T0 + i });
    ledger.push(...d.consentChanges.map((c) => ({ from: c.from, to: c.to })));
    user = { consentStatus: d.user.consentStatus, pendingDoubleOptIn: d.user.pendingDoubleOptIn, ...(d.user.language !== undefined ? { language: d.user.language } : {}) };
    if (d.newSession) sessions++;
    session = d.sessionStatus === 'Ended' || d.sessionStatus === 'Error' ? undefined : { id: 'open', status: d.sessionStatus, onlyKeywordsSoFar: d.onlyKeywordsSoFar };
  });
  return { ledger, status: user?.consentStatus, sessions };
}

/**
 * The user's ledger is one chain (the first entry creates the user, each next one starts where
 * the previous ended, the user's status is where the last ended) and is exactly what processing
 * the stored messages one at a time gives: no lost update.
 */
async function expectConsistentUser(q: Queryable, settings: ChannelSettings, channelId: string, platformKey: string, sent: readonly string[]): Promise<void> {
  const user = await userOf(q, channelId, platformKey);
  const ledger = await ledgerOf(q, user.id);
  expect(ledger.length).toBeGreaterThan(0);
  expect(ledger[0]!.from_status).toBeNull();
  for (let i = 1; i < ledger.length; i++) {
    expect(ledger[i]!.from_status, `ledger entry ${i}`).toBe(ledger[i - 1]!.to_status);
    expect(ledger[i]!.to_status, `ledger entry ${i}`).not.toBe(ledger[i]!.from_status);
  }
  expect(user.consent_status).toBe(ledger.at(-1)!.to_status);

  const texts = await textsOf(q, user.id);
  expect([...texts].sort()).toEqual([...sent].sort());
  const expected = replay(settings, texts);
  expect(ledger.map((r) => ({ from: r.from_status, to: r.to_status }))).toEqual(expected.ledger);
  expect(user.consent_status).toBe(expected.status);
  const { rows } = await q.query<{ n: number | string }>('SELECT count(*) AS n FROM sessions WHERE user_id = $1', [user.id]);
  expect(Number(rows[0]!.n)).toBe(expected.sessions);
  expect(await openSessionsOf(q, user.id)).toBeLessThanOrEqual(1);
}

/** A deterministic mix of opt-outs, opt-ins and conversation. */
function mixedTexts(count: number, seed: number, tag: string): string[] {
  let x = seed;
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    const pick = x % 7;
    texts.push(pick < 2 ? 'STOP' : pick < 4 ? 'START' : pick === 4 ? 'stop' : `${tag} message ${i}`);
  }
  return texts;
}

/** The versions of the real migrations, in order. Test migrations use 1002 and up. */
const KNOWN = MIGRATIONS.map((m) => m.version).sort((a, b) => a - b);

const sumChanges = (results: readonly InboundResult[]): number => results.reduce((n, r) => n + r.consentChanges.length, 0);

describe.each(TARGETS)('the store on $name', (target) => {
  const databases = new Databases(target);

  afterAll(() => databases.closeAll());

  describe('transactions', () => {
    it("run a transaction's statements in the order they were sent, answered or not, and roll back a failed one entirely", async () => {
      const { db } = await databases.fresh();
      const seen = await db.transaction(async (tx) => {
        // Sent together: the setting, then two prepared reads of it, then a plain one.
        const sent = [
          tx.query("SELECT set_config('parlance.probe', 'first', true)", [], { prepare: 'probe_set' }),
          tx.query<{ v: string }>("SELECT current_setting('parlance.probe') AS v", [], { prepare: 'probe_get' }),
          tx.query("SELECT set_config('parlance.probe', 'second', true)"),
          tx.query<{ v: string }>("SELECT current_setting('parlance.probe') AS v", [], { prepare: 'probe_get' }),
        ] as const;
        const [, a, , b] = await Promise.all(sent);
        return [a.rows[0]?.v, b.rows[0]?.v];
      });
      expect(seen).toEqual(['first', 'second']);
      await db.query('CREATE TABLE probe (n int PRIMARY KEY)');
      const failed = await db
        .transaction(async (tx) => {
          await tx.query('INSERT INTO probe VALUES (1)');
          await tx.query('INSERT INTO probe VALUES (1)');
        })
        .catch((e: unknown) => e as { code?: string });
      expect(failed).toMatchObject({ code: '23505' });
      expect((await db.query('SELECT count(*)::int AS n FROM probe')).rows).toEqual([{ n: 0 }]);
    });
  });

  describe('migrations', () => {
    let db: Database;
    let connect: () => Promise<Database>;
    beforeAll(async () => {
      ({ db, connect } = await databases.fresh());
    });

    it('run once, however many instances start at once (advisory lock)', async () => {
      const other = target.kind === 'postgres' ? await connect() : db;
      const applied = await Promise.all([migrate(db), migrate(other), migrate(db)]);
      expect(applied.map((a) => a.join(',')).sort()).toEqual(['', '', KNOWN.join(',')]);
      const { rows } = await db.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => Number(r.version))).toEqual(KNOWN);
      expect(rows[0]!.name).toBe(MIGRATIONS[0]!.name);
    });

    it('are idempotent: a second migrate applies nothing and changes nothing', async () => {
      const tables = async (): Promise<string[]> =>
        (await db.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1")).rows.map((r) => r.t);
      const before = await tables();
      // Later migrations add tables of their own; these are the first one's.
      expect(before).toEqual(expect.arrayContaining(['channels', 'components', 'consent_ledger', 'messages', 'messaging_users', 'schema_migrations', 'sessions']));
      expect(await migrate(db)).toEqual([]);
      expect(await migrate(db)).toEqual([]);
      expect(await tables()).toEqual(before);
    });

    it('apply only new versions, in order', async () => {
      const later: Migration[] = [
        { version: 1003, name: 'third', sql: 'CREATE TABLE third (id integer);\nCREATE INDEX third_id ON third (id)' },
        { version: 1002, name: 'second', sql: 'CREATE TABLE second (id integer)' },
      ];
      expect(await migrate(db, [...MIGRATIONS, ...later])).toEqual([1002, 1003]);
      expect(await migrate(db, [...MIGRATIONS, ...later])).toEqual([]);
      const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => Number(r.version))).toEqual([...KNOWN, 1002, 1003]);
    });

    it('roll back entirely when one statement fails', async () => {
      const broken: Migration = { version: 1004, name: 'broken', sql: 'CREATE TABLE fourth (id integer);\nSELECT * FROM no_such_table' };
      await expect(migrate(db, [...MIGRATIONS, { version: 1002, name: 'second', sql: '' }, { version: 1003, name: 'third', sql: '' }, broken])).rejects.toThrow(/no_such_table/);
      const { rows } = await db.query<{ n: number | string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'fourth'");
      expect(Number(rows[0]!.n)).toBe(0);
      const versions = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.rows.map((r) => Number(r.version))).toEqual([...KNOWN, 1002, 1003]);
    });

    it('refuse a database that has versions this Parlance does not know (a newer one used it)', async () => {
      // The database now has the real migrations and 1002 and 1003; this version of Parlance knows only the real ones.
      await expect(migrate(db)).rejects.toThrow(/^The database has migrations this version of Parlance doesn't know \((1002, 1003|1003, 1002)\): it was used by a newer version$/);
      await db.query("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')");
      const next: Migration = { version: 1004, name: 'fourth', sql: 'CREATE TABLE fourth (id integer)' };
      await expect(migrate(db, [...MIGRATIONS, { version: 1002, name: 'second', sql: '' }, { version: 1003, name: 'third', sql: '' }, next])).rejects.toThrow(
        /doesn't know \(9999\): it was used by a newer version/,
      );
      // Refused before anything was applied.
      const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => Number(r.version))).toEqual([...KNOWN, 1002, 1003, 9999]);
    });
  });

  describe('stores', () => {
    let db: Database;
    let connect: () => Promise<Database>;
    beforeAll(async () => {
      ({ db, connect } = await databases.fresh());
      expect(await migrate(db)).toEqual(KNOWN);
    });

    describe('ComponentStore', () => {
      const definition = (label: string): Record<string, unknown> => ({ type: 'text', label, text: `Hello ${label}` });

      it('stores a new version on every put; the latest and every version stay readable', async () => {
        const store = new ComponentStore(db);
        const v1 = await store.put('greeting', definition('one'), T0);
        const v2 = await store.put('greeting', definition('two'), T0 + 1000);
        expect([v1.version, v2.version]).toEqual([1, 2]);
        expect(v2.createdAt).toBe(new Date(T0 + 1000).toISOString());
        expect(await store.get('greeting')).toEqual({ name: 'greeting', version: 2, createdAt: new Date(T0 + 1000).toISOString(), definition: definition('two') });
        expect((await store.get('greeting', 1))?.definition).toEqual(definition('one'));
        expect((await store.get('greeting', 2))?.definition).toEqual(definition('two'));
        expect(await store.get('greeting', 3)).toBeUndefined();
        expect(await store.get('Greeting')).toBeUndefined(); // names are case-sensitive
        expect(await store.get('nothing')).toBeUndefined();
      });

      it('deletes with a tombstone: get is undefined, old versions stay readable, a later put comes back', async () => {
        const store = new ComponentStore(db);
        await store.put('farewell', definition('one'), T0);
        await store.put('farewell', definition('two'), T0 + 1);
        expect(await store.delete('farewell', T0 + 2)).toBe(true);
        expect(await store.get('farewell')).toBeUndefined();
        expect(await store.get('farewell', 3)).toBeUndefined(); // the tombstone
        expect((await store.get('farewell', 1))?.definition).toEqual(definition('one'));
        expect((await store.get('farewell', 2))?.definition).toEqual(definition('two'));
        const { rows } = await db.query<{ version: number; deleted: boolean; definition: unknown }>('SELECT version, deleted, definition FROM components WHERE name = $1 ORDER BY version', ['farewell']);
        expect(rows.map((r) => [Number(r.version), r.deleted, r.definition === null])).toEqual([
          [1, false, false],
          [2, false, false],
          [3, true, true],
        ]);
        expect(await store.delete('farewell', T0 + 3)).toBe(false); // already deleted
        expect(await store.delete('never-stored', T0 + 3)).toBe(false);
        const back = await store.put('farewell', definition('three'), T0 + 4);
        expect(back.version).toBe(4);
        expect((await store.get('farewell'))?.definition).toEqual(definition('three'));
      });

      it('lists the latest version of every component that is not deleted', async () => {
        const store = new ComponentStore(db);
        await store.put('list-a', definition('a1'), T0);
        await store.put('list-a', definition('a2'), T0 + 1);
        await store.put('list-b', { type: 'media' }, T0 + 2);
        await store.put('list-gone', definition('gone'), T0 + 3);
        await store.delete('list-gone', T0 + 4);
        const listed = (await store.list()).filter((c) => c.name.startsWith('list-'));
        expect(listed).toEqual([
          { name: 'list-a', version: 2, type: 'text', label: 'a2', createdAt: new Date(T0 + 1).toISOString() },
          { name: 'list-b', version: 1, type: 'media', createdAt: new Date(T0 + 2).toISOString() },
        ]);
      });

      it('gives concurrent puts of one name distinct, consecutive versions', async () => {
        const store = new ComponentStore(db);
        const stored = await Promise.all(Array.from({ length: 30 }, (_, i) => store.put('busy', definition(`v${i}`), T0 + i)));
        expect(stored.map((s) => s.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        expect((await store.get('busy'))?.version).toBe(30);
      });

      // The render routes read the latest version on every request, through a cache (issue 19):
      // it must never serve a version older than a write that was acknowledged, wherever the write
      // went (another store object on this database; on PostgreSQL, another instance).
      it('getLatest sees every acknowledged write at once, made through any store or instance', async () => {
        const reader = new ComponentStore(db);
        const writer = new ComponentStore(target.kind === 'postgres' ? await connect() : db);
        expect(await reader.getLatest('shared')).toBeUndefined();
        await writer.put('shared', definition('one'), T0);
        expect((await reader.getLatest('shared'))?.definition).toEqual(definition('one'));
        expect((await reader.getLatest('shared'))?.version).toBe(1);
        await writer.put('shared', definition('two'), T0 + 1);
        expect((await reader.getLatest('shared'))?.definition).toEqual(definition('two'));
        await writer.delete('shared', T0 + 2);
        expect(await reader.getLatest('shared')).toBeUndefined();
        await writer.put('shared', definition('three'), T0 + 3);
        expect((await reader.getLatest('shared'))?.version).toBe(4);
        // Without a query only on the embedded store, whose one process makes every write.
        expect(reader.cachedLatest('shared')).toEqual(target.kind === 'embedded' ? await reader.get('shared') : null);
      });

      it('does not cache a read that a write overtook: the next getLatest has the write', async () => {
        let gate: () => void = () => {};
        const held = new Promise<void>((resolve) => (gate = resolve));
        // The database, except that reads of a whole row answer only when `gate` is called (after their query ran).
        const slow: Database = Object.assign(Object.create(db) as Database, {
          query: async (sql: string, params?: unknown[]) => {
            const result = await db.query(sql, params as never);
            if (sql.includes('definition')) await held;
            return result;
          },
        });
        const store = new ComponentStore(slow);
        // A read of a name not stored yet, answered after a write of it commits.
        const reading = store.getLatest('overtaken');
        await store.put('overtaken', definition('one'), T0);
        gate();
        expect(await reading).toBeUndefined(); // it read before the write
        expect((await store.getLatest('overtaken'))?.definition).toEqual(definition('one'));
      });

      // A race on PostgreSQL: concurrent deletes of one name must leave one tombstone. ComponentStore
      // takes the name's advisory lock before reading the latest version.
      it('lets only one of several concurrent deletes delete (one tombstone)', async () => {
        const store = new ComponentStore(db);
        for (let round = 0; round < 10; round++) {
          const name = `contested-${round}`;
          await store.put(name, definition(name), T0);
          const deleted = await Promise.all([store.delete(name, T0 + 1), store.delete(name, T0 + 2), store.delete(name, T0 + 3)]);
          expect(deleted.filter(Boolean), `round ${round}`).toHaveLength(1);
          const { rows } = await db.query<{ n: number | string }>('SELECT count(*) AS n FROM components WHERE name = $1 AND deleted', [name]);
          expect(Number(rows[0]!.n), `round ${round}`).toBe(1);
        }
      });
    });

    describe('ChannelStore', () => {
      it('creates, replaces, reads and lists channels', async () => {
        const store = new ChannelStore(db);
        const settings = shortCodeSettings();
        const created = await store.put('store-sc', settings, T0);
        expect('channel' in created && created.created).toBe(true);
        if (!('channel' in created)) return;
        expect(created.channel).toMatchObject({ id: 'store-sc', version: 1, createdAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString() });
        expect(created.channel.settings).toEqual(settings);

        const changed: ChannelSettings = { ...settings, stripTrailingPunctuation: true };
        const replaced = await store.put('store-sc', changed, T0 + 5000);
        expect('channel' in replaced && replaced.created).toBe(false);
        if (!('channel' in replaced)) return;
        expect(replaced.channel).toMatchObject({ id: 'store-sc', version: 2, createdAt: new Date(T0).toISOString(), updatedAt: new Date(T0 + 5000).toISOString() });

        // A fresh store (another instance) reads what was stored.
        const other = new ChannelStore(db);
        expect(await other.get('store-sc')).toEqual(replaced.channel);
        expect(await other.get('no-such-channel')).toBeUndefined();
        await other.put('store-lc', validateChannelSettings(defaultChannelSettings('SmsLongCode')).settings!, T0);
        const listed = (await other.list()).filter((c) => c.id.startsWith('store-'));
        expect(listed.map((c) => [c.id, c.settings.type, c.version])).toEqual([
          ['store-lc', 'SmsLongCode', 1],
          ['store-sc', 'SmsShortCode', 2],
        ]);
      });

      it("refuses to change a channel's type and keeps the stored settings", async () => {
        const store = new ChannelStore(db);
        await store.put('store-typed', shortCodeSettings(), T0);
        const longCode = validateChannelSettings(defaultChannelSettings('SmsLongCode')).settings!;
        expect(await store.put('store-typed', longCode, T0 + 1)).toEqual({ typeChange: 'SmsShortCode' });
        const stored = await new ChannelStore(db).get('store-typed');
        expect(stored?.version).toBe(1);
        expect(stored?.settings.type).toBe('SmsShortCode');
      });

      it('reads a channel again when the cached version is stale (another instance changed it)', async () => {
        const a = new ChannelStore(db);
        const b = new ChannelStore(db);
        await a.put('store-cached', shortCodeSettings(), T0);
        expect((await a.cached('store-cached'))?.version).toBe(1);
        await b.put('store-cached', { ...shortCodeSettings(), stripTrailingPunctuation: true }, T0 + 1);
        expect((await a.cached('store-cached', 1))?.version).toBe(1);
        const fresh = await a.cached('store-cached', 2);
        expect(fresh?.version).toBe(2);
        expect(fresh?.settings.stripTrailingPunctuation).toBe(true);
      });

      // A race on PostgreSQL: two puts creating one new channel at once (there is no row to lock yet).
      // ChannelStore takes the id's advisory lock before reading.
      it('lets concurrent puts create a new channel: one creates, the others replace', async () => {
        const settings = shortCodeSettings();
        for (let round = 0; round < 10; round++) {
          const id = `store-race-${round}`;
          const stores = [new ChannelStore(db), new ChannelStore(db), new ChannelStore(db)];
          const results = await Promise.all(stores.map((s, i) => s.put(id, settings, T0 + i)));
          expect(results.map((r) => 'channel' in r && r.created).filter(Boolean), `round ${round}`).toHaveLength(1);
          expect((await stores[0]!.get(id))?.version, `round ${round}`).toBe(3);
        }
      });
    });

    describe('InboundProcessor', () => {
      let channels: ChannelStore;
      let settings: ChannelSettings;
      beforeAll(() => {
        channels = new ChannelStore(db);
        settings = shortCodeSettings();
      });

      async function newChannel(id: string): Promise<void> {
        const r = await channels.put(id, settings, T0);
        expect('channel' in r && r.created).toBe(true);
      }

      it('takes a short-code user through explicit opt-in, opt-out and back, with the ledger written alongside', async () => {
        await newChannel('in-flow');
        const inbound = new InboundProcessor(db, channels);
        const from = '+15550100001';
        let at = T0;
        const send = (text: string): Promise<InboundResult> => inbound.process({ channelId: 'in-flow', from, text, receivedAt: (at += 60_000) });
        const kinds = (r: InboundResult): string[] => r.responses.map((x) => x.kind);

        // A first message: implicit consent isn't enough on a short code, so the session is held and the user asked to opt in.
        const hello = await send('Hello, is this the pharmacy?');
        expect(hello.messagingUser).toEqual({ platformKey: from, consentStatus: 'ImplicitlyOptedIn', created: true });
        expect(hello.session).toMatchObject({ status: 'Consent', created: true });
        expect(hello).toMatchObject({ route: false, routeReason: 'CONSENT_REQUIRED', matched: null, consentChanges: [{ from: null, to: 'ImplicitlyOptedIn' }] });
        expect(kinds(hello)).toEqual(['optInPrompt']);

        // YES: explicit opt-in; the held inquiry goes to routing in the same session.
        const yes = await send('yes');
        expect(yes.messagingUser).toEqual({ platformKey: from, consentStatus: 'ExplicitlyOptedIn', language: 'en', created: false });
        expect(yes.session).toEqual({ id: hello.session.id, status: 'Waiting', created: false });
        expect(yes).toMatchObject({ route: true, routeReason: 'CONSENT_GIVEN', matched: { kind: 'optIn', keyword: 'YES', language: 'en' }, consentChanges: [{ from: 'ImplicitlyOptedIn', to: 'ExplicitlyOptedIn' }] });
        expect(kinds(yes)).toEqual(['optInConfirmation', 'conversationAcknowledgment']);

        const more = await send('I need a refill');
        expect(more.session).toEqual({ id: hello.session.id, status: 'Waiting', created: false });
        expect(more).toMatchObject({ route: false, routeReason: 'ALREADY_ROUTED', consentChanges: [], responses: [] });

        // STOP: opted out, and the open session ends.
        const stop = await send('STOP');
        expect(stop.messagingUser.consentStatus).toBe('OptedOut');
        expect(stop.session).toEqual({ id: hello.session.id, status: 'Ended', created: false });
        expect(stop).toMatchObject({ closedSessions: [hello.session.id], routeReason: 'SESSION_ENDED', consentChanges: [{ from: 'ExplicitlyOptedIn', to: 'OptedOut' }] });
        expect(kinds(stop)).toEqual(['optOutConfirmation']);

        // After an opt-out: a new session, held, until START.
        const again = await send('hello?');
        expect(again.session).toMatchObject({ status: 'Consent', created: true });
        expect(again.session.id).not.toBe(hello.session.id);
        expect(again).toMatchObject({ route: false, routeReason: 'OPTED_OUT', consentChanges: [] });
        expect(kinds(again)).toEqual(['optInPrompt']);
        const start = await send('START');
        expect(start.session).toEqual({ id: again.session.id, status: 'Waiting', created: false });
        expect(start.consentChanges).toEqual([{ from: 'OptedOut', to: 'ExplicitlyOptedIn' }]);

        // The database: the user, the ledger with causes, the sessions and every message.
        const user = await userOf(db, 'in-flow', from);
        expect(user.consent_status).toBe('ExplicitlyOptedIn');
        expect(user.language).toBe('en');
        const ledger = await ledgerOf(db, user.id);
        expect(ledger).toEqual([
          { from_status: null, to_status: 'ImplicitlyOptedIn', cause: { kind: 'implicit' } },
          { from_status: 'ImplicitlyOptedIn', to_status: 'ExplicitlyOptedIn', cause: { kind: 'keyword', keyword: 'YES', keywordKind: 'optIn', language: 'en' } },
          { from_status: 'ExplicitlyOptedIn', to_status: 'OptedOut', cause: { kind: 'keyword', keyword: 'STOP', keywordKind: 'optOut', language: 'en' } },
          { from_status: 'OptedOut', to_status: 'ExplicitlyOptedIn', cause: { kind: 'keyword', keyword: 'START', keywordKind: 'optIn', language: 'en' } },
        ]);
        const sessions = await db.query<{ id: string | number; status: string; end_reason: string | null; ended: boolean }>(
          'SELECT id, status, end_reason, ended_at IS NOT NULL AS ended FROM sessions WHERE user_id = $1 ORDER BY id',
          [user.id],
        );
        expect(sessions.rows.map((s) => ({ ...s, id: String(s.id) }))).toEqual([
          { id: hello.session.id, status: 'Ended', end_reason: 'OPTED_OUT', ended: true },
          { id: again.session.id, status: 'Waiting', end_reason: null, ended: false },
        ]);
        const messages = await db.query<{ text: string; session_id: string | number; direction: string; matched: unknown }>(
          'SELECT text, session_id, direction, matched FROM messages WHERE user_id = $1 ORDER BY id',
          [user.id],
        );
        expect(messages.rows.map((m) => [m.text, String(m.session_id), m.direction, m.matched === null ? null : (m.matched as { keyword: string }).keyword])).toEqual([
          ['Hello, is this the pharmacy?', hello.session.id, 'inbound', null],
          ['yes', hello.session.id, 'inbound', 'YES'],
          ['I need a refill', hello.session.id, 'inbound', null],
          ['STOP', hello.session.id, 'inbound', 'STOP'],
          ['hello?', again.session.id, 'inbound', null],
          ['START', again.session.id, 'inbound', 'START'],
        ]);
      });

      it('keeps at most one open session per user (partial unique index)', async () => {
        await newChannel('in-one-session');
        const inbound = new InboundProcessor(db, channels);
        const from = '+15550100002';
        const first = await inbound.process({ channelId: 'in-one-session', from, text: 'START', receivedAt: T0 });
        const second = await inbound.process({ channelId: 'in-one-session', from, text: 'Anyone there?', receivedAt: T0 + 1 });
        expect(second.session.id).toBe(first.session.id);
        const user = await userOf(db, 'in-one-session', from);
        expect(await openSessionsOf(db, user.id)).toBe(1);

        const rollback = new Error('rollback');
        const insert = (tx: Queryable, status: string): Promise<unknown> =>
          tx.query("INSERT INTO sessions (user_id, channel_id, status, origin, created_at, updated_at) VALUES ($1, 'in-one-session', $2, 'test', now(), now())", [user.id, status]);
        // A second open session is refused by the database itself…
        for (const status of ['Waiting', 'Consent', 'New', 'Active', 'Inactive']) {
          await expect(db.transaction((tx) => insert(tx, status))).rejects.toMatchObject({ code: '23505' });
        }
        // …while closed ones may pile up.
        await expect(
          db.transaction(async (tx) => {
            await insert(tx, 'Ended');
            await insert(tx, 'Error');
            throw rollback;
          }),
        ).rejects.toBe(rollback);
        expect(await openSessionsOf(db, user.id)).toBe(1);
      });

      it('ends the open session on STOP; the next message opens a new one', async () => {
        await newChannel('in-stop');
        const inbound = new InboundProcessor(db, channels);
        const from = '+15550100003';
        const opened = await inbound.process({ channelId: 'in-stop', from, text: 'START', receivedAt: T0 });
        await inbound.process({ channelId: 'in-stop', from, text: 'Where is my order?', receivedAt: T0 + 1 });
        const user = await userOf(db, 'in-stop', from);
        expect(await openSessionsOf(db, user.id)).toBe(1);
        const stop = await inbound.process({ channelId: 'in-stop', from, text: 'stop', receivedAt: T0 + 2 });
        expect(stop.closedSessions).toEqual([opened.session.id]);
        expect(await openSessionsOf(db, user.id)).toBe(0);
        const { rows } = await db.query<{ status: string; end_reason: string }>('SELECT status, end_reason FROM sessions WHERE id = $1', [opened.session.id]);
        expect(rows).toEqual([{ status: 'Ended', end_reason: 'OPTED_OUT' }]);
        const next = await inbound.process({ channelId: 'in-stop', from, text: 'hi', receivedAt: T0 + 3 });
        expect(next.session.created).toBe(true);
        expect(next.session.id).not.toBe(opened.session.id);
        expect(await openSessionsOf(db, user.id)).toBe(1);
      });

      it('fails only the bad message of a group (unknown channel); the others commit', async () => {
        await newChannel('in-group');
        const inbound = new InboundProcessor(db, channels);
        const messages: InboundMessage[] = Array.from({ length: 12 }, (_, i) => ({ channelId: i === 5 ? 'in-no-such-channel' : 'in-group', from: `+1555010${String(i).padStart(4, '0')}`, text: `message ${i}`, receivedAt: T0 + i }));
        const settled = await Promise.allSettled(messages.map((m) => inbound.process(m)));
        expect(settled.map((s) => s.status)).toEqual(messages.map((_, i) => (i === 5 ? 'rejected' : 'fulfilled')));
        const { rows } = await db.query<{ n: number | string }>("SELECT count(*) AS n FROM messages m JOIN messaging_users u ON u.id = m.user_id WHERE u.channel_id = 'in-group'");
        expect(Number(rows[0]!.n)).toBe(11);
      });

      it('starts a group once as many messages are queued as the last cycle had in flight (commit delay); one sender at a time never waits', async () => {
        await newChannel('in-delay');
        let transactions = 0;
        const counting: Database = {
          kind: db.kind,
          location: db.location,
          query: (sql, params, options) => db.query(sql, params, options),
          transaction: (fn) => (transactions++, db.transaction(fn)),
          close: () => Promise.resolve(),
        };
        // A delay no test waits out: a group that waited for its timer would time the test out.
        const inbound = new InboundProcessor(counting, new ChannelStore(counting), 256, undefined, 600_000);
        const msg = (i: number): InboundMessage => ({ channelId: 'in-delay', from: `+1555030${String(i).padStart(4, '0')}`, text: 'hi', receivedAt: T0 + i });
        const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
        for (let i = 0; i < 3; i++) await inbound.process(msg(i));
        expect(transactions).toBe(3);
        const four = await Promise.all([3, 4, 5, 6].map((i) => inbound.process(msg(i))));
        expect(transactions).toBe(4);
        expect(four.every((r) => r.messagingUser.created)).toBe(true);
        // Four were in flight: a message that comes alone waits for three more, and the four commit together.
        const first = inbound.process(msg(7));
        await turn();
        await turn();
        expect(transactions).toBe(4);
        const rest = [8, 9, 10].map((i) => inbound.process(msg(i)));
        const results = await Promise.all([first, ...rest]);
        expect(transactions).toBe(5);
        expect(results.map((r) => r.messagingUser.platformKey)).toEqual([7, 8, 9, 10].map((i) => msg(i).from));
        const { rows } = await db.query<{ n: number | string }>("SELECT count(*) AS n FROM messages m JOIN messaging_users u ON u.id = m.user_id WHERE u.channel_id = 'in-delay'");
        expect(Number(rows[0]!.n)).toBe(11);
      });

      it.each([256, 4])('keeps one consistent ledger chain under 200 concurrent messages from one user (groups of at most %i)', async (maxGroup) => {
        const channelId = `in-one-user-${maxGroup}`;
        await newChannel(channelId);
        const inbound = new InboundProcessor(db, channels, maxGroup);
        const from = '+15550200001';
        const texts = mixedTexts(200, maxGroup, 'one user');
        const results = await Promise.all(texts.map((text, i) => inbound.process({ channelId, from, text, receivedAt: T0 + i })));
        expect(results).toHaveLength(200);
        expect(results.filter((r) => r.messagingUser.created)).toHaveLength(1);
        await expectConsistentUser(db, settings, channelId, from, texts);
        // Every acknowledged change is in the ledger, and nothing else.
        const user = await userOf(db, channelId, from);
        expect((await ledgerOf(db, user.id)).length).toBe(sumChanges(results));
        expect((await ledgerOf(db, user.id)).length).toBeGreaterThan(10);
      });

      it('acknowledges and stores 500 concurrent messages from 50 users', async () => {
        const channelId = 'in-many-users';
        await newChannel(channelId);
        const inbound = new InboundProcessor(db, channels);
        const users = Array.from({ length: 50 }, (_, u) => `+1555030${String(u).padStart(4, '0')}`);
        const sent = new Map(users.map((from, u) => [from, mixedTexts(10, u + 1, from)]));
        // Interleaved: every user's first message, then every user's second…
        const messages: InboundMessage[] = [];
        for (let i = 0; i < 10; i++) users.forEach((from) => messages.push({ channelId, from, text: sent.get(from)![i]!, receivedAt: T0 + messages.length }));
        const results = await Promise.all(messages.map((m) => inbound.process(m)));
        expect(results).toHaveLength(500);
        expect(results.filter((r) => r.messagingUser.created)).toHaveLength(50);
        const { rows } = await db.query<{ n: number | string }>('SELECT count(*) AS n FROM messages m JOIN messaging_users u ON u.id = m.user_id WHERE u.channel_id = $1', [channelId]);
        expect(Number(rows[0]!.n)).toBe(500);
        for (const from of users) await expectConsistentUser(db, settings, channelId, from, sent.get(from)!);
        const ledger = await db.query<{ n: number | string }>('SELECT count(*) AS n FROM consent_ledger l JOIN messaging_users u ON u.id = l.user_id WHERE u.channel_id = $1', [channelId]);
        expect(Number(ledger.rows[0]!.n)).toBe(sumChanges(results));
      });

      it('applies a message with a message id once: a retry gets the stored result, a reused id with another text is refused', async () => {
        const channelId = 'in-idempotent';
        await newChannel(channelId);
        await newChannel('in-idempotent-2');
        const inbound = new InboundProcessor(db, channels);
        const from = '+15550500001';
        const count = async (table: string, messageId: string): Promise<number> =>
          Number((await db.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${table} WHERE platform_message_id = $1`, [messageId])).rows[0]!.n);

        const first = await inbound.process({ channelId, from, text: 'START', receivedAt: T0, messageId: 'wamid.1' });
        expect(first.replayed).toBeUndefined();
        expect(first.consentChanges).toEqual([{ from: null, to: 'ExplicitlyOptedIn' }]);
        // A retry, later: the first result, nothing written.
        const retry = await inbound.process({ channelId, from, text: 'START', receivedAt: T0 + 60_000, messageId: 'wamid.1' });
        expect(retry).toEqual({ ...first, replayed: true });
        expect(await count('messages', 'wamid.1')).toBe(1);
        expect(await count('consent_ledger', 'wamid.1')).toBe(1);
        // The same id with another text, or from another sender: a conflict, nothing written.
        await expect(inbound.process({ channelId, from, text: 'STOP', receivedAt: T0 + 1, messageId: 'wamid.1' })).rejects.toBeInstanceOf(MessageIdReusedError);
        await expect(inbound.process({ channelId, from: '+15550500002', text: 'START', receivedAt: T0 + 1, messageId: 'wamid.1' })).rejects.toMatchObject({ code: 'E_MESSAGE_ID_REUSED' });
        expect(await count('messages', 'wamid.1')).toBe(1);
        // The same id on another channel is another message.
        const other = await inbound.process({ channelId: 'in-idempotent-2', from, text: 'START', receivedAt: T0 + 2, messageId: 'wamid.1' });
        expect(other.replayed).toBeUndefined();
        expect(await count('messages', 'wamid.1')).toBe(2);

        // Copies in flight at once (one group, or several): one is applied, every copy gets its result.
        const texts = mixedTexts(40, 7, 'copies');
        const sent = texts.flatMap((text, i) => [0, 1, 2].map(() => ({ channelId, from, text, receivedAt: T0 + 1000 + i, messageId: `copy-${i}` })));
        const results = await Promise.all(sent.map((m) => inbound.process(m)));
        for (let i = 0; i < texts.length; i++) {
          const copies = results.slice(3 * i, 3 * i + 3);
          expect(copies.filter((r) => r.replayed === undefined), `copy-${i}`).toHaveLength(1);
          const { replayed: _, ...applied } = copies.find((r) => r.replayed === undefined)!;
          for (const r of copies) expect({ ...r, replayed: undefined }).toEqual({ ...applied, replayed: undefined });
          expect(await count('messages', `copy-${i}`)).toBe(1);
        }
        await expectConsistentUser(db, settings, channelId, from, ['START', ...texts]);
        const user = await userOf(db, channelId, from);
        expect((await ledgerOf(db, user.id)).length).toBe(sumChanges([first, ...results.filter((r) => r.replayed === undefined)]));
        // Two copies with different texts in one group: the first is applied, the other refused.
        const clash = await Promise.allSettled([
          inbound.process({ channelId, from, text: 'hello', receivedAt: T0 + 5000, messageId: 'clash' }),
          inbound.process({ channelId, from, text: 'STOP', receivedAt: T0 + 5000, messageId: 'clash' }),
        ]);
        expect(clash.map((c) => c.status)).toEqual(['fulfilled', 'rejected']);
        expect(await count('messages', 'clash')).toBe(1);
      });

      it.runIf(target.kind === 'postgres')('applies each message id once when two instances get copies at the same time', async () => {
        const channelId = 'in-idempotent-two';
        await newChannel(channelId);
        const second = await connect();
        const instances = [new InboundProcessor(db, new ChannelStore(db), 4), new InboundProcessor(second, new ChannelStore(second), 4)];
        const users = Array.from({ length: 10 }, (_, u) => `+1555060${String(u).padStart(4, '0')}`);
        const sent = new Map(users.map((f, u) => [f, mixedTexts(8, 300 + u, f)]));
        const all: Promise<InboundResult>[] = [];
        for (let i = 0; i < 8; i++) {
          users.forEach((f) => {
            const m = { channelId, from: f, text: sent.get(f)![i]!, receivedAt: T0 + all.length, messageId: `${f}-${i}` };
            all.push(instances[0]!.process(m), instances[1]!.process(m));
          });
        }
        const results = await Promise.all(all);
        for (let k = 0; k < results.length; k += 2) {
          const [a, b] = [results[k]!, results[k + 1]!];
          expect([a.replayed, b.replayed].filter((r) => r === true)).toHaveLength(1);
          expect({ ...a, replayed: undefined }).toEqual({ ...b, replayed: undefined });
        }
        const dup = await db.query('SELECT platform_message_id FROM messages WHERE platform_message_id LIKE $1 GROUP BY platform_message_id HAVING count(*) > 1', ['+1555060%']);
        expect(dup.rows).toEqual([]);
        for (const f of users) await expectConsistentUser(second, settings, channelId, f, sent.get(f)!);
        const ledger = await db.query<{ n: number | string }>('SELECT count(*) AS n FROM consent_ledger l JOIN messaging_users u ON u.id = l.user_id WHERE u.channel_id = $1', [channelId]);
        expect(Number(ledger.rows[0]!.n)).toBe(sumChanges(results.filter((r) => r.replayed === undefined)));
      });

      it.runIf(target.kind === 'postgres')('keeps the chain consistent with two server instances (two connection pools) on one user', async () => {
        const channelId = 'in-two-instances';
        await newChannel(channelId);
        const second = await connect();
        const instances = [new InboundProcessor(db, new ChannelStore(db), 8), new InboundProcessor(second, new ChannelStore(second))];
        const from = '+15550400001';
        const texts = mixedTexts(200, 42, 'two instances');
        const results = await Promise.all(texts.map((text, i) => instances[i % 2]!.process({ channelId, from, text, receivedAt: T0 + i })));
        expect(results).toHaveLength(200);
        expect(results.filter((r) => r.messagingUser.created)).toHaveLength(1);
        await expectConsistentUser(db, settings, channelId, from, texts);
        const user = await userOf(second, channelId, from);
        expect((await ledgerOf(second, user.id)).length).toBe(sumChanges(results));

        // And many users through both at once.
        const users = Array.from({ length: 20 }, (_, u) => `+1555040${String(u + 100).padStart(4, '0')}`);
        const sent = new Map(users.map((f, u) => [f, mixedTexts(10, 1000 + u, f)]));
        const all: Promise<InboundResult>[] = [];
        for (let i = 0; i < 10; i++) users.forEach((f, u) => all.push(instances[(i + u) % 2]!.process({ channelId, from: f, text: sent.get(f)![i]!, receivedAt: T0 + all.length })));
        expect(await Promise.all(all)).toHaveLength(200);
        for (const f of users) await expectConsistentUser(second, settings, channelId, f, sent.get(f)!);
      });
    });
  });
});
