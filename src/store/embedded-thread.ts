/**
 * The embedded database on a thread of its own (a worker thread), so that PostgreSQL's work
 * (PGlite, WebAssembly) runs beside the server's event loop instead of on it: while one group of
 * statements runs here, the event loop reads, checks and decides the next requests. The store's
 * side is src/store/threaded.ts; this module is what the worker runs ({@link serveDatabase}).
 *
 * Messages, in order on one port (requests carry an id, each is answered once with that id):
 * - `query`: a statement outside any transaction;
 * - `begin` (not answered), then `tx` statements, then `end` (commit or roll back; answered once
 *   the transaction has committed or rolled back): one transaction. Statements of a transaction
 *   that hasn't started yet (PGlite runs one at a time) wait for it, in order;
 * - `close`: closes the database; answered when it is closed.
 */
import type { MessagePort } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import type { Queryable } from './queryable.js';
import { openPGlite, PGliteSession } from './pglite-session.js';

export type ThreadRequest =
  | { readonly id: number; readonly op: 'query'; readonly sql: string; readonly params: readonly unknown[] }
  | { readonly id: number; readonly op: 'begin'; readonly tx: number }
  | { readonly id: number; readonly op: 'tx'; readonly tx: number; readonly sql: string; readonly params: readonly unknown[]; readonly prepare?: string }
  | { readonly id: number; readonly op: 'end'; readonly tx: number; readonly commit: boolean }
  | { readonly id: number; readonly op: 'close' };

/** An error as it crosses threads: its message, name and own fields (PostgreSQL's `code`, `detail`, `constraint`…). */
export interface ThreadError {
  readonly message: string;
  readonly name: string;
  readonly fields: Record<string, string | number | boolean>;
}

export type ThreadReply = { readonly id: number; readonly rows: unknown[] } | { readonly id: number; readonly error: ThreadError };

/** The first message of the thread: open, or why not. */
export type ThreadReady = { readonly ready: true } | { readonly failed: ThreadError };

export function toThreadError(e: unknown): ThreadError {
  const error = e instanceof Error ? e : new Error(String(e));
  const fields: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(error)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
  return { message: error.message, name: error.name, fields };
}

/** The error on the store's side: an Error with the same message, name and fields. */
export function fromThreadError(e: ThreadError): Error {
  const error = Object.assign(new Error(e.message), e.fields);
  error.name = e.name;
  return error;
}

type TxMessage = Extract<ThreadRequest, { op: 'tx' | 'end' }>;

/** The requests of one transaction, in order, as its statements run. */
class TxRequests {
  private readonly queue: TxMessage[] = [];
  private wake: (() => void) | undefined;
  /** Set when the transaction failed to start or to commit: later requests get this error. */
  failed: ThreadError | undefined;

  push(m: TxMessage): void {
    this.queue.push(m);
    this.wake?.();
  }

  async next(): Promise<TxMessage> {
    while (this.queue.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    return this.queue.shift() as TxMessage;
  }

  /** Requests that arrived but were never run. */
  drain(): TxMessage[] {
    return this.queue.splice(0);
  }
}

class Rollback extends Error {}

/** Serves one database on `port` until `close` (see the module comment). */
export async function serveDatabase(port: MessagePort, target: string): Promise<void> {
  let db: PGlite;
  try {
    db = await openPGlite(target);
  } catch (e) {
    port.postMessage({ failed: toThreadError(e) } satisfies ThreadReady);
    return;
  }
  const session = new PGliteSession(db);
  const txs = new Map<number, TxRequests>();
  const reply = (id: number, run: () => Promise<{ rows: unknown[] }>): Promise<void> =>
    run().then(
      (r) => port.postMessage({ id, rows: r.rows } satisfies ThreadReply),
      (e: unknown) => port.postMessage({ id, error: toThreadError(e) } satisfies ThreadReply),
    );

  const begin = (tx: number): void => {
    const requests = new TxRequests();
    txs.set(tx, requests);
    let end: number | undefined;
    const body = async (q: Queryable): Promise<void> => {
      for (;;) {
        const m = await requests.next();
        if (m.op === 'end') {
          end = m.id;
          if (m.commit) return;
          throw new Rollback();
        }
        await reply(m.id, () => q.query(m.sql, m.params, m.prepare !== undefined ? { prepare: m.prepare } : {}));
      }
    };
    void session
      .transaction(body)
      .then(
        () => undefined,
        (e: unknown) => (e instanceof Rollback ? undefined : toThreadError(e)),
      )
      .then((failed) => {
        requests.failed = failed;
        if (end !== undefined) port.postMessage((failed === undefined ? { id: end, rows: [] } : { id: end, error: failed }) satisfies ThreadReply);
        // A transaction that failed before it ended (it could not start): its waiting requests fail alike.
        for (const m of requests.drain()) port.postMessage({ id: m.id, error: failed ?? toThreadError(new Error('The transaction has ended')) } satisfies ThreadReply);
        if (end !== undefined || failed === undefined) txs.delete(tx);
      });
  };

  port.on('message', (m: ThreadRequest) => {
    switch (m.op) {
      case 'query':
        void reply(m.id, () => session.query(m.sql, m.params));
        break;
      case 'begin':
        begin(m.tx);
        break;
      case 'tx':
      case 'end': {
        const requests = txs.get(m.tx);
        if (requests?.failed !== undefined) {
          port.postMessage({ id: m.id, error: requests.failed } satisfies ThreadReply);
          if (m.op === 'end') txs.delete(m.tx);
        } else if (requests === undefined) port.postMessage({ id: m.id, error: toThreadError(new Error(`Internal error: no transaction ${m.tx}`)) } satisfies ThreadReply);
        else requests.push(m);
        break;
      }
      case 'close':
        void reply(m.id, async () => {
          await session.close();
          return { rows: [] };
        }).then(() => port.close());
        break;
    }
  });
  port.postMessage({ ready: true } satisfies ThreadReady);
}
