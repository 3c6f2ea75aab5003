/**
 * The embedded store's own vacuum and analyze (src/store/maintenance.ts): the pure decision, the
 * scheduler with a fake database, and the real thing on PGlite, where a statement planned while
 * the tables were empty must not keep scanning them whole once they have grown.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { defaultChannelSettings, validateChannelSettings } from '../../src/consent/settings.js';
import { ChannelStore } from '../../src/store/channels.js';
import { openDatabase, type Database, type OpenOptions } from '../../src/store/database.js';
import { InboundProcessor } from '../../src/services/inbound.js';
import { DEFAULT_MAINTENANCE_POLICY, dueTables, Maintenance, type MaintenanceReport, type TableFigures } from '../../src/store/maintenance.js';
import { migrate } from '../../src/store/migrations.js';

const table = (name: string, figures: Partial<TableFigures>): TableFigures => ({ name, pages: 0, analyzedPages: 0, analyzedRows: -1, xidAge: 10, ...figures });

describe('dueTables', () => {
  it('picks a table with rows that was never analyzed, and leaves an empty one alone', () => {
    expect(dueTables([table('empty', {}), table('filled', { pages: 1 })])).toEqual([{ name: 'filled', reason: 'never-analyzed' }]);
  });

  it('picks a table that grew by more than 10% and at least 8 pages since its last analysis', () => {
    const analyzed = { analyzedPages: 1000, analyzedRows: 50_000 };
    expect(dueTables([table('t', { ...analyzed, pages: 1100 })])).toEqual([]);
    expect(dueTables([table('t', { ...analyzed, pages: 1101 })])).toEqual([{ name: 't', reason: 'grown' }]);
    // Small tables: 10% of 20 pages is 2, but growth must reach 8 pages.
    expect(dueTables([table('s', { analyzedPages: 20, analyzedRows: 900, pages: 28 })])).toEqual([]);
    expect(dueTables([table('s', { analyzedPages: 20, analyzedRows: 900, pages: 29 })])).toEqual([{ name: 's', reason: 'grown' }]);
  });

  it('does not pick a table that shrank or stayed the same', () => {
    expect(dueTables([table('t', { analyzedPages: 50, analyzedRows: 2000, pages: 50 }), table('u', { analyzedPages: 50, analyzedRows: 2000, pages: 10 })])).toEqual([]);
  });

  it('picks a table whose unfrozen transaction ids are older than the freeze age, whatever its size', () => {
    const old = DEFAULT_MAINTENANCE_POLICY.freezeAge + 1;
    expect(dueTables([table('t', { analyzedPages: 50, analyzedRows: 2000, pages: 50, xidAge: old }), table('empty', { xidAge: old })])).toEqual([
      { name: 't', reason: 'freeze' },
      { name: 'empty', reason: 'freeze' },
    ]);
  });

  it('follows the policy it is given', () => {
    const policy = { ...DEFAULT_MAINTENANCE_POLICY, growth: 0.5, minPages: 1 };
    expect(dueTables([table('t', { analyzedPages: 10, analyzedRows: 100, pages: 15 })], policy)).toEqual([]);
    expect(dueTables([table('t', { analyzedPages: 10, analyzedRows: 100, pages: 16 })], policy)).toEqual([{ name: 't', reason: 'grown' }]);
  });
});

/** A database that answers the catalog query with `figures` and records every statement. */
function fakeDatabase(figures: () => TableFigures[]): { statements: string[]; query(sql: string): Promise<{ rows: Record<string, unknown>[] }> } {
  const statements: string[] = [];
  return {
    statements,
    query(sql: string) {
      statements.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
      if (!sql.includes('pg_class')) return Promise.resolve({ rows: [] });
      return Promise.resolve({
        rows: figures().map((f) => ({ name: f.name, pages: String(f.pages), analyzed_pages: f.analyzedPages, analyzed_rows: f.analyzedRows, xid_age: f.xidAge })),
      });
    },
  };
}

describe('Maintenance', () => {
  afterEach(() => vi.restoreAllMocks());

  it('looks at the catalog after every `everyCommits` commits, and vacuums and analyzes only the tables that are due', async () => {
    const fake = fakeDatabase(() => [table('a', { pages: 3 }), table('b', {}), table('c', { analyzedPages: 100, analyzedRows: 1, pages: 200 })]);
    const m = new Maintenance((sql) => fake.query(sql), { ...DEFAULT_MAINTENANCE_POLICY, everyCommits: 3 });
    const reports: MaintenanceReport[] = [];
    m.subscribe((e) => {
      if ('report' in e) reports.push(e.report);
    });
    m.committed();
    m.committed();
    await new Promise((r) => setImmediate(r));
    expect(fake.statements).toEqual([]);
    m.committed();
    await vi.waitFor(() => expect(reports).toHaveLength(1));
    expect(fake.statements).toEqual(['SELECT c.relname AS', 'VACUUM (ANALYZE) "a"', 'VACUUM (ANALYZE) "c"']);
    expect(reports[0]?.tables.map((t) => [t.name, t.reason])).toEqual([
      ['a', 'never-analyzed'],
      ['c', 'grown'],
    ]);
    await m.close();
  });

  it('runs one pass at a time: commits during a pass start none, and run() joins the pass in progress', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let catalogQueries = 0;
    const m = new Maintenance(
      async (sql) => {
        if (sql.includes('pg_class')) {
          catalogQueries++;
          await gate;
        }
        return { rows: [] };
      },
      { ...DEFAULT_MAINTENANCE_POLICY, everyCommits: 1 },
    );
    m.committed();
    for (let i = 0; i < 5; i++) m.committed();
    const joined = m.run();
    release();
    expect(await joined).toEqual({ tables: [], ms: expect.any(Number) });
    expect(catalogQueries).toBe(1);
    await m.run();
    expect(catalogQueries).toBe(2);
    await m.close();
  });

  it('tells its listeners of a failed pass, and warns the process when nobody listens', async () => {
    const m = new Maintenance(() => Promise.reject(new Error('disk full')), DEFAULT_MAINTENANCE_POLICY);
    const errors: string[] = [];
    const unsubscribe = m.subscribe((e) => {
      if ('error' in e) errors.push(e.error.message);
    });
    await expect(m.run()).rejects.toThrow('disk full');
    expect(errors).toEqual(['disk full']);
    unsubscribe();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    await expect(m.run()).rejects.toThrow('disk full');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('maintenance of the embedded store failed: disk full'), 'ParlanceStoreWarning');
    expect(errors).toEqual(['disk full']);
  });

  it('starts nothing once closed, and close waits for the pass in progress', async () => {
    let finished = false;
    let calls = 0;
    // The pass in progress is held at its first query until the test lets it go: no timers.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const m = new Maintenance(
      async (sql) => {
        calls++;
        await gate;
        if (sql.includes('pg_class')) finished = true;
        return { rows: [] };
      },
      { ...DEFAULT_MAINTENANCE_POLICY, everyCommits: 1 },
    );
    m.committed();
    expect(calls).toBe(1);
    let closed = false;
    const closing = m.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(finished).toBe(true);
    finished = false;
    m.committed();
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(1);
    expect(finished).toBe(false);
  });
});

describe('the embedded store maintains its own tables', () => {
  const open: Database[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close()));
  });
  // The store loaded with maintenance every 8 commits, shared by the tests that only read it
  // (loading 3,000 messages is most of this file's time).
  let maintained: Promise<Database> | undefined;
  const withMaintenance = (): Promise<Database> => (maintained ??= loaded({ maintenance: { everyCommits: 8 } }, false));
  afterAll(async () => {
    await (await maintained)?.close();
  });

  /** An embedded store with an SMS channel and 3,000 inbound messages from new senders, in groups of 20. */
  async function loaded(options: OpenOptions, closeAfterTest = true): Promise<Database> {
    const db = await openDatabase('memory', options);
    if (closeAfterTest) open.push(db);
    await migrate(db);
    const channels = new ChannelStore(db);
    const { settings } = validateChannelSettings(defaultChannelSettings('SmsLongCode'));
    if (settings === undefined) throw new Error('invalid channel settings');
    await channels.put('sms', settings, Date.UTC(2026, 10, 1));
    const inbound = new InboundProcessor(db, channels);
    let n = 0;
    for (let g = 0; g < 150; g++) {
      await Promise.all(Array.from({ length: 20 }, () => inbound.process({ channelId: 'sms', from: `+1415${2_000_000 + n++}`, text: 'Hello', receivedAt: Date.UTC(2026, 10, 1, 9) + n })));
    }
    await db.maintenance?.run();
    return db;
  }

  /** The plan the inbound lookup would run with now (its generic plan, as inbound uses). */
  async function inboundLookupPlan(db: Database): Promise<string> {
    const rows = await db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`);
      return (await tx.query(`EXPLAIN EXECUTE parlance_inbound_load('{sms}'::text[], '{+14150000000}'::text[], '{2026-11-01T09:00:00Z}'::timestamptz[], 1)`)).rows;
    });
    return rows.map((r) => String(Object.values(r)[0])).join('\n');
  }

  const stats = async (db: Database, name: string): Promise<{ reltuples: number }> =>
    (await db.query<{ reltuples: number }>('SELECT reltuples FROM pg_class WHERE relname = $1', [name])).rows[0] as { reltuples: number };

  it('analyzes the tables as they grow, so the inbound lookup uses the open-session index instead of scanning every session', async () => {
    const db = await withMaintenance();
    const reports: MaintenanceReport[] = [];
    db.maintenance?.subscribe((e) => {
      if ('report' in e) reports.push(e.report);
    });
    expect(Number((await stats(db, 'messaging_users')).reltuples)).toBeGreaterThan(2500);
    expect(Number((await stats(db, 'sessions')).reltuples)).toBeGreaterThan(2500);
    const plan = await inboundLookupPlan(db);
    expect(plan).toContain('Index Scan using sessions_one_open_per_user on sessions');
    expect(plan).not.toContain('Seq Scan on sessions');
    // Nothing is due right after a pass.
    expect((await db.maintenance?.run())?.tables).toEqual([]);
    expect(reports).toEqual([]);
  });

  it('without it (maintenance: false) the tables are never analyzed and the plan made on empty tables scans every session', async () => {
    const db = await loaded({ maintenance: false });
    expect(db.maintenance).toBeUndefined();
    expect(Number((await stats(db, 'sessions')).reltuples)).toBe(-1);
    expect(await inboundLookupPlan(db)).toContain('Seq Scan on sessions');
  });

  it('plans the inbound statements once (generic plans), never once per group', async () => {
    const db = await withMaintenance();
    const { rows } = await db.query<{ name: string; custom_plans: number; generic_plans: number }>(
      `SELECT name, custom_plans, generic_plans FROM pg_prepared_statements WHERE name IN ('parlance_inbound_load', 'parlance_inbound_write') ORDER BY name`,
    );
    expect(rows.map((r) => [r.name, Number(r.custom_plans)])).toEqual([
      ['parlance_inbound_load', 0],
      ['parlance_inbound_write', 0],
    ]);
    expect(rows.every((r) => Number(r.generic_plans) >= 150)).toBe(true);
  });
});
