/**
 * The SQL database behind the server: embedded PostgreSQL (PGlite) by default, needing no setup,
 * or a PostgreSQL server (`postgres://…`), so several server instances can share state. Both run
 * the same SQL and the same migrations. See docs/deployment.md.
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { acquireStoreLock, StoreLockedError, type LockOptions } from './lock.js';
import { DEFAULT_MAINTENANCE_POLICY, Maintenance, type MaintenancePolicy } from './maintenance.js';
import { openPGlite, PGliteSession } from './pglite-session.js';
import type { Queryable, QueryOptions } from './queryable.js';
import { DatabaseThread } from './threaded.js';

export type { Queryable, QueryOptions } from './queryable.js';

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
   * it, in ms. Default 12,000. A lock whose owner provably died on this host is taken over at once;
   * one whose owner can't be checked (another host) waits until it is stale (10 s), which this
   * default covers; a live holder keeps its lock, and the open then fails.
   */
  readonly lockWaitMs?: number;
  /**
   * Embedded directory only: called if the directory's lock is lost while the store is open (its
   * lock file removed or taken over by another process, which can only happen when this process's
   * liveness can't be checked: another host). Default: throws, which stops the process.
   */
  readonly onLockLost?: (error: Error) => void;
  /** Embedded directory only, for tests: the lock's stale time, refresh period and environment (src/store/lock.ts). */
  readonly lock?: Pick<LockOptions, 'staleMs' | 'refreshMs' | 'env'>;
  /**
   * Embedded store only: when its tables are vacuumed and analyzed (see src/store/maintenance.ts),
   * or `false` for never. Default {@link DEFAULT_MAINTENANCE_POLICY}.
   */
  readonly maintenance?: Partial<MaintenancePolicy> | false;
  /**
   * Embedded store only: where PGlite runs. `own` (the default for a directory): on a worker
   * thread of its own, so that the database's work runs beside the event loop, not on it;
   * `caller` (the default for `memory`): on the thread that opens it.
   */
  readonly thread?: 'own' | 'caller';
}

/** Opens `postgres://…` / `postgresql://…` as a PostgreSQL server, `memory` as a throwaway embedded database, anything else as an embedded database directory (locked for this process until {@link Database.close}). */
export async function openDatabase(target: string, options: OpenOptions = {}): Promise<Database> {
  if (/^postgres(ql)?:\/\//i.test(target)) return PostgresDatabase.open(target);
  const maintenance = options.maintenance === false ? undefined : { ...DEFAULT_MAINTENANCE_POLICY, ...options.maintenance };
  return EmbeddedDatabase.open(target, options.lockWaitMs ?? LOCK_WAIT_MS, maintenance, options);
}

const LOCK_WAIT_MS = 12_000;

/**
 * Takes the embedded store's directory for this process (src/store/lock.ts): a lock whose owner
 * provably died (`kill -9`, a crash) is taken over at once; one whose owner runs is never taken,
 * however busy that owner is.
 */
async function lockDirectory(dir: string, waitMs: number, options: OpenOptions): Promise<() => Promise<void>> {
  const onLost =
    options.onLockLost ??
    ((err: Error) => {
      // Another process may now be writing the same files: stopping is the only safe answer.
      process.nextTick(() => {
        throw new Error(`The lock on the embedded store ${dir} was lost (${err.message}); stopping, so that two processes never write the store at once`);
      });
    });
  try {
    const lock = await acquireStoreLock(dir, { waitMs, onLost, ...options.lock });
    return lock.release;
  } catch (e) {
    if (e instanceof StoreLockedError) {
      throw new Error(`The embedded store ${dir} is in use by another process (${e.message}). One process at a time may open an embedded store: stop the other one, use another --db directory, or share a PostgreSQL server between instances (docs/deployment.md).`, { cause: e });
    }
    throw e;
  }
}

/**
 * The store is private to the user that runs it, whatever the umask: the directory 0700, every
 * file in it 0600. PGlite writes the files of a new store with mode 0666 (less the umask), and
 * PostgreSQL creates its own later files 0600, a few (pg_internal.init) with the umask; this runs
 * when the store opens and when it closes, and the 0700 directory keeps out other users in between.
 */
export function makeStorePrivate(dir: string): void {
  if (process.platform === 'win32') return;
  const visit = (path: string, directory: boolean): void => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st === undefined) return; // removed meanwhile
    const wanted = directory ? 0o700 : 0o600;
    if ((st.mode & 0o777) !== wanted) chmodSync(path, wanted);
    if (!directory) return;
    for (const e of readdirSync(path, { withFileTypes: true })) {
      if (e.isDirectory() || e.isFile()) visit(join(path, e.name), e.isDirectory());
    }
  };
  visit(dir, true);
}

/** Where the embedded database runs: on this thread ({@link PGliteSession}) or on its own ({@link DatabaseThread}). */
type EmbeddedEngine = Pick<PGliteSession, 'query' | 'transaction' | 'close'>;

class EmbeddedDatabase implements Database {
  readonly kind = 'embedded';
  readonly maintenance: Maintenance | undefined;

  private constructor(
    private readonly db: EmbeddedEngine,
    readonly location: string,
    /** Releases the directory's lock (none for `memory`). */
    private readonly unlock: (() => Promise<void>) | undefined,
    policy: MaintenancePolicy | undefined,
  ) {
    // PGlite has no autovacuum: the store vacuums and analyzes its own tables every few commits.
    this.maintenance = policy === undefined ? undefined : new Maintenance((sql) => this.db.query(sql, []), policy);
  }

  static async open(target: string, lockWaitMs: number, policy: MaintenancePolicy | undefined, options: OpenOptions): Promise<EmbeddedDatabase> {
    let unlock: (() => Promise<void>) | undefined;
    if (target !== 'memory') {
      mkdirSync(target, { recursive: true, mode: 0o700 });
      unlock = await lockDirectory(target, lockWaitMs, options);
    }
    try {
      // Before PGlite writes a file: an existing directory may have been made with the umask.
      if (target !== 'memory' && process.platform !== 'win32') chmodSync(target, 0o700);
      const own = (options.thread ?? (target === 'memory' ? 'caller' : 'own')) === 'own';
      const db = own ? await DatabaseThread.open(target) : new PGliteSession(await openPGlite(target));
      if (target !== 'memory') makeStorePrivate(target);
      return new EmbeddedDatabase(db, target, unlock, policy);
    } catch (e) {
      await unlock?.();
      throw e;
    }
  }

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<{ rows: T[] }> {
    // Not counted as a commit for maintenance: outside transactions the stores only read, bar a flag update.
    return this.db.query<T>(sql, params);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    // PGlite runs one transaction at a time: concurrent callers queue, so they serialize.
    const result = await this.db.transaction(fn);
    this.maintenance?.committed();
    return result;
  }

  async close(): Promise<void> {
    await this.maintenance?.close();
    await this.db.close();
    if (this.unlock !== undefined) {
      try {
        makeStorePrivate(this.location);
      } finally {
        await this.unlock();
      }
    }
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
