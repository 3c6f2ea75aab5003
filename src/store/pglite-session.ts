/**
 * One PGlite database as the embedded store uses it: plain queries, transactions, and named
 * prepared statements through the wire protocol. It runs wherever PGlite runs: on the caller's
 * thread (src/store/database.ts) or on a thread of its own (src/store/embedded-thread.ts).
 */
import { parse as pgliteParse, PGlite, protocol } from '@electric-sql/pglite';
import type { QueryOptions, Queryable } from './queryable.js';

/** Opens PGlite on a directory (durable commits) or in memory (`memory`). */
export async function openPGlite(target: string): Promise<PGlite> {
  // A commit has reached the file system (the operating system's cache) when the query resolves,
  // so it survives the process being killed. PGlite runs PostgreSQL with fsync off and its Node
  // file system layer has no fsync, so it does not survive an operating-system crash or a power
  // loss: docs/deployment.md says so, and points to a PostgreSQL server for that.
  const db = target === 'memory' ? new PGlite() : new PGlite(target, { relaxedDurability: false });
  try {
    await db.waitReady;
    return db;
  } catch (e) {
    if (!db.closed) await db.close().catch(() => undefined);
    throw e;
  }
}

/** Queries and transactions on one PGlite database. */
export class PGliteSession {
  /** Parameter types of the statements prepared on this connection, by name. */
  private readonly prepared = new Map<string, { readonly sql: string; readonly types: readonly number[] }>();

  constructor(readonly db: PGlite) {}

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<{ rows: T[] }> {
    const r = await this.db.query<T>(sql, params as unknown[]);
    return { rows: r.rows };
  }

  /** Runs `fn` in one transaction (PGlite runs one at a time: concurrent callers queue). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      // Statements sent before the previous one has answered run after it, in the order sent
      // (as on a PostgreSQL connection): a prepared statement takes several protocol calls.
      let last: Promise<unknown> = Promise.resolve();
      const run = async <R>(sql: string, params: readonly unknown[], options: QueryOptions): Promise<{ rows: R[] }> => {
        // Inside the transaction this caller holds PGlite's lock, so protocol messages can go
        // straight to the backend.
        if (options.prepare !== undefined) return this.executePrepared<R>(options.prepare, sql, params);
        const r = await tx.query<R>(sql, params as unknown[]);
        return { rows: r.rows };
      };
      return fn({
        query: <R>(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}) => {
          const next = last.then(
            () => run<R>(sql, params, options),
            () => run<R>(sql, params, options),
          );
          last = next;
          return next;
        },
      });
    });
  }

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
