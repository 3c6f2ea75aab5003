/**
 * The SQL database behind the server: embedded PostgreSQL (PGlite) by default, needing no setup,
 * or a PostgreSQL server (`postgres://…`), so several server instances can share state. Both run
 * the same SQL and the same migrations. See docs/deployment.md.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as pgliteParse, PGlite, protocol } from '@electric-sql/pglite';
import lockfile from 'proper-lockfile';
import pg from 'pg';
import { DEFAULT_MAINTENANCE_POLICY, Maintenance, type MaintenancePolicy } from './maintenance.js';

/** Options of one query. */
export interface QueryOptions {
  /**
   * Run it as a named prepared statement: parsed and planned once per connection, then only
   * executed. For statements a hot path runs again and again; the name must stand for one SQL text.
   */
  readonly prepare?: string;
}

/** Something queries can run on: the database, or one transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<{ rows: T[] }>;
}

export interface Database extends Queryable {
  readonly kind: 'embedded' | 'postgres';
  /** Where the data lives: a directory, `memory`, or the server URL without its password. */
  readonly location: string;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * The embedded store's own vacuum and analyze (src/store/maintenance.ts), which a PostgreSQL
   * server leaves to its autovacuum. Undefined for a PostgreSQL server, or when turned off.
   */
  readonly maintenance?: Maintenance;
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * Embedded directory only: how long to wait for the directory's lock when another process holds
   * it, in ms. Default 12,000: a little over the time a lock left by a process that died takes to
   * go stale (10 s), so a restart after a crash succeeds; a live holder keeps its lock fresh, and
   * the open then fails.
   */
  readonly lockWaitMs?: number;
  /**
   * Embedded store only: when its tables are vacuumed and analyzed (see src/store/maintenance.ts),
   * or `false` for never. Default {@link DEFAULT_MAINTENANCE_POLICY}.
   */
  readonly maintenance?: Partial<MaintenancePolicy> | false;
}

/** Opens `postgres://…` / `postgresql://…` as a PostgreSQL server, `memory` as a throwaway embedded database, anything else as an embedded database directory (locked for this process until {@link Database.close}). */
export async function openDatabase(target: string, options: OpenOptions = {}): Promise<Database> {
  if (/^postgres(ql)?:\/\//i.test(target)) return PostgresDatabase.open(target);
  const maintenance = options.maintenance === false ? undefined : { ...DEFAULT_MAINTENANCE_POLICY, ...options.maintenance };
  return EmbeddedDatabase.open(target, options.lockWaitMs ?? LOCK_WAIT_MS, maintenance);
}

const LOCK_WAIT_MS = 12_000;

/** How long a lock left by a process that died (kill -9, a crash) keeps others out, in ms. */
const LOCK_STALE_MS = 10_000;

/**
 * Takes the embedded store's directory for this process: PostgreSQL, embedded, has one process per
 * data directory, and two processes writing the same files damage the store. The lock is a
 * directory next to the data (proper-lockfile), refreshed every few seconds; one left by a
 * process that died goes stale after {@link LOCK_STALE_MS}, so a restart after a crash waits for
 * it instead of failing.
 */
async function lockDirectory(dir: string, waitMs: number): Promise<() => Promise<void>> {
  const lockfilePath = join(dir, 'parlance.lock');
  try {
    return await lockfile.lock(dir, {
      lockfilePath,
      realpath: false,
      stale: LOCK_STALE_MS,
      update: LOCK_STALE_MS / 4,
      retries: { retries: Math.ceil(waitMs / 500), factor: 1, minTimeout: 500, maxTimeout: 500 },
      onCompromised: (err) => {
        // Another process may now be writing the same files: stopping is the only safe answer.
        throw new Error(`The lock on the embedded store ${dir} was lost (${err.message}); stopping, so that two processes never write the store at once`);
      },
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'ELOCKED') {
      throw new Error(`The embedded store ${dir} is in use by another process (the lock ${lockfilePath} is held). One process at a time may open an embedded store: stop the other one, use another --db directory, or share a PostgreSQL server between instances (docs/deployment.md).`, { cause: e });
    }
    throw e;
  }
}

class EmbeddedDatabase implements Database {
  readonly kind = 'embedded';
  readonly maintenance: Maintenance | undefined;

  private constructor(
    private readonly db: PGlite,
    readonly location: string,
    /** Releases the directory's lock (none for `memory`). */
    private readonly unlock: (() => Promise<void>) | undefined,
    policy: MaintenancePolicy | undefined,
  ) {
    // PGlite has no autovacuum: the store vacuums and analyzes its own tables every few commits.
    this.maintenance = policy === undefined ? undefined : new Maintenance((sql) => this.db.query(sql), policy);
  }

  static async open(target: string, lockWaitMs: number, policy: MaintenancePolicy | undefined): Promise<EmbeddedDatabase> {
    let unlock: (() => Promise<void>) | undefined;
    if (target !== 'memory') {
      mkdirSync(target, { recursive: true });
      unlock = await lockDirectory(target, lockWaitMs);
    }
    // A commit has reached the file system (the operating system's cache) when the query resolves,
    // so it survives the process being killed. PGlite runs PostgreSQL with fsync off and its Node
    // file system layer has no fsync, so it does not survive an operating-system crash or a power
    // loss: docs/deployment.md says so, and points to a PostgreSQL server for that.
    try {
      const db = target === 'memory' ? new PGlite() : new PGlite(target, { relaxedDurability: false });
      await db.waitReady;
      return new EmbeddedDatabase(db, target, unlock, policy);
    } catch (e) {
      await unlock?.();
      throw e;
    }
  }

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<{ rows: T[] }> {
    // Not counted as a commit for maintenance: outside transactions the stores only read, bar a flag update.
    const r = await this.db.query<T>(sql, params as unknown[]);
    return { rows: r.rows };
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    // PGlite runs one transaction at a time: concurrent callers queue, so they serialize.
    const result = await this.db.transaction(async (tx) =>
      fn({
        query: async <R>(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}) => {
          // Inside the transaction this caller holds PGlite's lock, so protocol messages can go
          // straight to the backend.
          if (options.prepare !== undefined) return this.executePrepared<R>(options.prepare, sql, params);
          const r = await tx.query<R>(sql, params as unknown[]);
          return { rows: r.rows };
        },
      }),
    );
    this.maintenance?.committed();
    return result;
  }

  /** Parameter types of the statements prepared on this connection, by name. */
  private readonly prepared = new Map<string, { readonly sql: string; readonly types: readonly number[] }>();

  /**
   * A named prepared statement, through the wire protocol: Parse and Describe the first time,
   * then Bind, Describe, Execute and Sync in one call. PGlite's `query()` parses and plans every
   * time, which costs more than running the statement.
   */
  private async executePrepared<R>(name: string, sql: string, params: readonly unknown[]): Promise<{ rows: R[] }> {
    const s = protocol.serialize;
    let statement = this.prepared.get(name);
    if (statement === undefined) {
      const { messages } = await this.db.execProtocol(concat(s.parse({ name, text: sql }), s.describe({ type: 'S', name }), s.sync()), { syncToFs: false });
      statement = { sql, types: pgliteParse.parseDescribeStatementResults(messages) };
      this.prepared.set(name, statement);
    } else if (statement.sql !== sql) {
      throw new Error(`Internal error: the prepared statement ${name} stands for another SQL text`);
    }
    const types = statement.types;
    const serializers = this.db.serializers as Record<number, ((v: unknown) => string) | undefined>;
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const serialize = serializers[types[i] as number];
      return serialize !== undefined ? serialize(v) : String(v);
    });
    const { messages } = await this.db.execProtocol(concat(s.bind({ statement: name, values }), s.describe({ type: 'P' }), s.execute({}), s.sync()), { syncToFs: false });
    const [result] = pgliteParse.parseResults(messages, this.db.parsers);
    return { rows: (result?.rows ?? []) as R[] };
  }

  async close(): Promise<void> {
    await this.maintenance?.close();
    if (!this.db.closed) await this.db.close();
    await this.unlock?.();
  }
}

class PostgresDatabase implements Database {
  readonly kind = 'postgres';

  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  static async open(url: string): Promise<PostgresDatabase> {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // Fail at start, not at the first request, when the server can't be reached.
    const client = await pool.connect();
    client.release();
    const shown = new URL(url);
    if (shown.password !== '') shown.password = '***';
    return new PostgresDatabase(pool, shown.toString());
  }

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<{ rows: T[] }> {
    const r = await this.pool.query(sql, params as unknown[]);
    return { rows: r.rows as T[] };
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn({
        async query<R>(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}) {
          // node-postgres prepares a named statement once per connection.
          const r = options.prepare !== undefined ? await client.query({ name: options.prepare, text: sql, values: params as unknown[] }) : await client.query(sql, params as unknown[]);
          return { rows: r.rows as R[] };
        },
      });
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Protocol messages in one buffer, to be sent in one call. */
function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
