/**
 * Channel-object linking in the store (the linking service, src/services/linking.ts, over its
 * repository, src/store/linking.ts), on the embedded database and, when
 * PARLANCE_TEST_POSTGRES_URL is set, on a PostgreSQL server (in a schema of its own, dropped at
 * the end): match keys kept with records and rules, batch linking, and linking on inbound groups
 * with a constant number of statements per group.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/component/data.js';
import { defaultChannelSettings, validateChannelSettings } from '../../src/consent/settings.js';
import { LinkingObjects } from '../../src/linking/objects.js';
import { checkRecordWrite, type RecordWrite } from '../../src/linking/records.js';
import { checkRule, type LinkingRuleInput } from '../../src/linking/rules.js';
import { ChannelStore } from '../../src/store/channels.js';
import { openDatabase, type Database, type Queryable, type QueryOptions } from '../../src/store/database.js';
import { InboundProcessor } from '../../src/services/inbound.js';
import { LinkingService } from '../../src/services/linking.js';
import { migrate } from '../../src/store/migrations.js';
import { UserService } from '../../src/services/users.js';
import { UserStore } from '../../src/store/users.js';

const T0 = Date.parse('2026-03-01T09:00:00Z');
const objects = LinkingObjects.from(builtinCatalog());

interface Target {
  readonly name: string;
  readonly url?: string;
}
const TARGETS: Target[] = [{ name: 'the embedded database' }];
const POSTGRES_URL = process.env.PARLANCE_TEST_POSTGRES_URL;
if (POSTGRES_URL !== undefined && POSTGRES_URL !== '') TARGETS.push({ name: 'a PostgreSQL server', url: POSTGRES_URL });

/** `url` with `search_path` set to `schema` through the startup `options`. */
function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  const options = [u.searchParams.get('options'), `-c search_path=${schema}`].filter((o) => o !== null && o !== '').join(' ');
  u.searchParams.delete('options');
  return `${u.toString()}${u.search === '' ? '?' : '&'}options=${encodeURIComponent(options)}`;
}

/** Counts the statements run through a database, by a word they contain. */
class Counting implements Database {
  readonly statements: string[] = [];
  constructor(private readonly inner: Database) {}
  get kind(): Database['kind'] {
    return this.inner.kind;
  }
  get location(): string {
    return this.inner.location;
  }
  query<T>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<{ rows: T[] }> {
    this.statements.push(sql);
    return this.inner.query<T>(sql, params, options);
  }
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.inner.transaction((tx) =>
      fn({
        query: <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) => {
          this.statements.push(sql);
          return tx.query<R>(sql, params, options);
        },
      }),
    );
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  count(word: string): number {
    return this.statements.filter((s) => s.includes(word)).length;
  }
}

const CONTACT = (() => {
  const r = objects.resolve('Contact');
  if (!r.ok) throw new Error(r.message);
  return r.value;
})();

const contact = (id: string, fields: Record<string, unknown>): RecordWrite => {
  const checked = checkRecordWrite(CONTACT, { Id: id, ...fields }, '');
  expect(checked.problems).toEqual([]);
  return checked.record!;
};

for (const target of TARGETS) {
  describe(`linking on ${target.name}`, () => {
    let db: Database;
    let admin: pg.Client | undefined;
    const schema = `parlance_linking_${process.pid}`;
    let channels: ChannelStore;
    let linking: LinkingService;

    beforeAll(async () => {
      if (target.url === undefined) db = await openDatabase('memory');
      else {
        admin = new pg.Client({ connectionString: target.url });
        await admin.connect();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.query(`CREATE SCHEMA ${schema}`);
        db = await openDatabase(withSearchPath(target.url, schema));
      }
      await migrate(db);
      channels = new ChannelStore(db);
      linking = new LinkingService(db, objects);
      for (const [id, country] of [
        ['sms', 'US'],
        ['sms-2', 'US'],
      ] as const) {
        const v = validateChannelSettings(defaultChannelSettings('SmsLongCode', { country }));
        await channels.put(id, v.settings!, T0);
      }
    });

    afterAll(async () => {
      await db.close();
      if (admin !== undefined) {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      }
    });

    const saveRule = async (id: string, input: LinkingRuleInput): Promise<void> => {
      const checked = checkRule(input, await channels.get(input.channelId), objects, linking.engine);
      expect(checked.problems).toEqual([]);
      await linking.putRule(id, checked.definition!, T0);
    };
    const keyCount = async (field: string): Promise<number> =>
      Number((await db.query<{ n: string | number }>("SELECT count(*) AS n FROM record_match_keys WHERE object = 'Contact' AND field = $1", [field])).rows[0]!.n);

    it('keeps match keys for the (field, normalizer) pairs rules use: built when a rule needs them, dropped when none does', async () => {
      expect(await linking.putRecords('Contact', [contact('c1', { MobilePhone: '(415) 555-2671', Email: 'A@x.example' }), contact('c2', { MobilePhone: 'none' }), contact('c3', { Email: 'c@x.example' })], T0)).toEqual({
        created: 3,
        updated: 0,
        unchanged: 0,
      });
      expect(await keyCount('MobilePhone')).toBe(0);
      await saveRule('phones', { channelId: 'sms', object: 'Contact', name: 'p', mode: 'auto', active: true, conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }] });
      // c2's "none" is no phone number: no key. c3 has no phone.
      expect(await keyCount('MobilePhone')).toBe(1);
      const { rows } = await db.query<{ normalizer: string; value: string; record_id: string }>("SELECT normalizer, value, record_id FROM record_match_keys WHERE field = 'MobilePhone'");
      expect(rows).toEqual([{ normalizer: 'e164:US', value: '+14155552671', record_id: 'c1' }]);
      await saveRule('emails', { channelId: 'sms-2', object: 'Contact', name: 'e', mode: 'suggest', active: true, conditions: [{ user: 'attributes.email', field: 'Email', normalizer: 'email' }] });
      expect(await keyCount('Email')).toBe(2);
      // Record writes keep them: a change replaces the record's keys, an unchanged record is left alone.
      expect(await linking.putRecords('Contact', [contact('c1', { MobilePhone: '(415) 555-2672', Email: 'A@x.example' }), contact('c3', { Email: 'c@x.example' }), contact('c4', { MobilePhone: '+1 415 555 2673' })], T0 + 1)).toEqual({
        created: 1,
        updated: 1,
        unchanged: 1,
      });
      const phones = await db.query<{ value: string; record_id: string }>("SELECT value, record_id FROM record_match_keys WHERE field = 'MobilePhone' ORDER BY record_id");
      expect(phones.rows).toEqual([
        { value: '+14155552672', record_id: 'c1' },
        { value: '+14155552673', record_id: 'c4' },
      ]);
      expect(await linking.deleteRule('emails')).toBe(true);
      expect(await keyCount('Email')).toBe(0);
      expect(await keyCount('MobilePhone')).toBe(2);
    });

    it('finishes an interrupted key build when a rule needs it again', async () => {
      await linking.putRecords('Contact', [contact('h1', { HomePhone: '415 555 8001' }), contact('h2', { HomePhone: '415 555 8002' })], T0);
      // As if a build had registered the spec and written one chunk's keys (one of them stale), then stopped.
      await db.query("INSERT INTO record_match_specs (object, field, normalizer, ready) VALUES ('Contact', 'HomePhone', 'e164:US', false)");
      await db.query("INSERT INTO record_match_keys (object, field, normalizer, value, record_id) VALUES ('Contact', 'HomePhone', 'e164:US', '+14155559999', 'h1')");
      await saveRule('homes', { channelId: 'sms-2', object: 'Contact', name: 'h', mode: 'auto', active: false, conditions: [{ user: 'platformKey', field: 'HomePhone', normalizer: 'e164' }] });
      const { rows } = await db.query<{ value: string; record_id: string }>("SELECT value, record_id FROM record_match_keys WHERE field = 'HomePhone' ORDER BY record_id");
      expect(rows).toEqual([
        { value: '+14155558001', record_id: 'h1' },
        { value: '+14155558002', record_id: 'h2' },
      ]);
      const spec = await db.query<{ ready: boolean }>("SELECT ready FROM record_match_specs WHERE field = 'HomePhone'");
      expect(spec.rows).toEqual([{ ready: true }]);
      expect(await linking.deleteRule('homes')).toBe(true);
      expect(await keyCount('HomePhone')).toBe(0);
    });

    it('links every unlinked user of a channel in batches: one match and one write statement per batch', async () => {
      const users = new UserService(db);
      const records: RecordWrite[] = [];
      for (let i = 0; i < 120; i++) records.push(contact(`b${String(i).padStart(3, '0')}`, { MobilePhone: `+1628555${String(1000 + (i % 100)).padStart(4, '0')}` }));
      await linking.putRecords('Contact', records, T0);
      // Numbers 1000-1019 belong to two contacts each, 1020-1099 to one; 2000-2009 to none.
      const keys = [...Array.from({ length: 100 }, (_, i) => `+1628555${1000 + i}`), ...Array.from({ length: 10 }, (_, i) => `+1628555${2000 + i}`)];
      await users.importRows('sms', keys.map((k) => ({ platformKey: k, fields: {}, cause: { kind: 'import' } })), T0);
      const counting = new Counting(db);
      const store = new LinkingService(counting, objects);
      const counts = await store.linkChannel('sms', T0, 40);
      expect(counts).toEqual({ users: 110, linked: 80, suggested: 20, none: 10 });
      const batches = Math.ceil(110 / 40);
      expect(counting.count('record_match_keys')).toBe(batches);
      expect(counting.count('INSERT INTO linking_suggestions')).toBe(batches);
      const linked = await db.query<{ n: string | number }>("SELECT count(*) AS n FROM messaging_users WHERE channel_id = 'sms' AND link->>'object' = 'Contact'");
      expect(Number(linked.rows[0]!.n)).toBe(80);
      // A second run only looks at the users still unlinked.
      expect(await store.linkChannel('sms', T0, 40)).toEqual({ users: 30, linked: 0, suggested: 20, none: 10 });
    });

    it('links the senders of an inbound group with a constant number of statements, whatever the group size', async () => {
      const counting = new Counting(db);
      const store = new LinkingService(counting, objects);
      const processor = new InboundProcessor(counting, new ChannelStore(counting), 256, store);
      const senders = Array.from({ length: 60 }, (_, i) => `+1628555${1040 + i}`);
      const results = await Promise.all(senders.map((from, i) => processor.process({ channelId: 'sms-2', from, text: 'hi', receivedAt: T0 + i })));
      // No active rule on sms-2 (its rule was deleted): no linking statement at all.
      expect(counting.count('record_match_keys')).toBe(0);
      expect(results.every((r) => r.messagingUser.link === undefined)).toBe(true);
      await saveRule('phones-2', { channelId: 'sms-2', object: 'Contact', name: 'p', mode: 'auto', active: true, conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }] });
      store.invalidate();
      const again = await Promise.all(senders.map((from, i) => processor.process({ channelId: 'sms-2', from, text: 'hello', receivedAt: T0 + 100 + i })));
      const groups = counting.count('RETURNING id AS user_id');
      expect(counting.count('record_match_keys')).toBeLessThanOrEqual(groups);
      expect(again.map((r) => r.messagingUser.link?.recordId)).toEqual(senders.map((s) => `b${String(Number(s.slice(-4)) - 1000).padStart(3, '0')}`));
      expect(new Set(again.map((r) => r.messagingUser.link?.linkedAt))).toEqual(new Set(again.map((_, i) => new Date(T0 + 100 + i).toISOString())));
      // Linked senders are not matched again.
      const before = counting.count('record_match_keys');
      const third = await Promise.all(senders.map((from, i) => processor.process({ channelId: 'sms-2', from, text: 'again', receivedAt: T0 + 200 + i })));
      expect(counting.count('record_match_keys')).toBe(before);
      expect(third.map((r) => r.messagingUser.link?.recordId)).toEqual(again.map((r) => r.messagingUser.link?.recordId));
    });

    it("never overrides an agent's link", async () => {
      await linking.putRecords('Contact', [contact('agent-pick', { LastName: 'Pick' })], T0);
      const users = new UserService(db);
      const read = new UserStore(db);
      await users.upsert('sms-2', '+16285551099', {}, { kind: 'api' }, T0);
      const byAgent = await linking.linkByAgent('sms-2', '+16285551099', 'Contact', 'agent-pick', 'sam', undefined, T0);
      expect(byAgent).toMatchObject({ outcome: 'linked', link: { recordId: 'agent-pick' } });
      expect(await linking.linkUser('sms-2', '+16285551099', T0)).toMatchObject({ outcome: 'linked', alreadyLinked: true, link: { recordId: 'agent-pick' } });
      expect(await linking.linkChannel('sms-2', T0)).toMatchObject({ linked: 0 });
      expect((await read.get('sms-2', '+16285551099'))?.link).toMatchObject({ recordId: 'agent-pick', linkedBy: { kind: 'agent', agent: 'sam' } });
    });
  });
}
