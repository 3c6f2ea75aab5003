/**
 * The SQL database behind the server: embedded PostgreSQL (PGlite) by default, needing no setup,
 * or a PostgreSQL server (`postgres://…`), so several server instances can share state. Both run
 * the same SQL and the same migrations. See docs/deployment.md.
 */
import { mkdirSync } from 'node:fs';
import { parse as pgliteParse, PGlite, protocol } from '@electric-sql/pglite';
import pg from 'pg';

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
  close(): Promise<void>;
}

/** Opens `postgres://…` / `postgresql://…` as a PostgreSQL server, `memory` as a throwaway embedded database, anything else as an embedded database directory. */
export async function openDatabase(target: string): Promise<Database> {
  if (/^postgres(ql)?:\/\//i.test(target)) return PostgresDatabase.open(target);
  return EmbeddedDatabase.open(target);
}

class EmbeddedDatabase implements Database {
  readonly kind = 'embedded';

  private constructor(
    private readonly db: PGlite,
    readonly location: string,
  ) {}

  static async open(target: string): Promise<EmbeddedDatabase> {
    if (target !== 'memory') mkdirSync(target, { recursive: true });
    // A commit has reached the file system (the operating system's cache) when the query resolves,
    // so it survives the process being killed. PGlite runs PostgreSQL with fsync off and its Node
    // file system layer has no fsync, so it does not survive an operating-system crash or a power
    // loss: docs/deployment.md says so, and points to a PostgreSQL server for that.
    const db = target === 'memory' ? new PGlite() : new PGlite(target, { relaxedDurability: false });
    await db.waitReady;
    return new EmbeddedDatabase(db, target);
  }

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<{ rows: T[] }> {
    const r = await this.db.query<T>(sql, params as unknown[]);
    return { rows: r.rows };
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    // PGlite runs one transaction at a time: concurrent callers queue, so they serialize.
    return this.db.transaction(async (tx) =>
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
    if (!this.db.closed) await this.db.close();
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
