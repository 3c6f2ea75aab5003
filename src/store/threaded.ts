/**
 * The store's side of an embedded database that runs on a thread of its own
 * (src/store/embedded-thread.ts): statements are sent to the thread and their rows come back;
 * a transaction's statements carry its number. A commit is answered only after PGlite has
 * committed it, so durability is the same as on the caller's thread.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Queryable, QueryOptions } from './queryable.js';
import { fromThreadError, toThreadError, type ThreadReady, type ThreadReply, type ThreadRequest } from './embedded-thread.js';

/** A request before it gets its id. */
type Unnumbered = ThreadRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

type Pending = { resolve(rows: unknown[]): void; reject(e: Error): void };

/**
 * What the worker runs: it imports the thread module (compiled JavaScript, or TypeScript through
 * tsx when the store itself runs from its sources, as in the tests) and serves the database.
 */
const BOOT = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx !== undefined) (await import(workerData.tsx)).register();
  const m = await import(workerData.module);
  await m.serveDatabase(parentPort, workerData.target);
})().catch((e) => parentPort.postMessage({ failed: { message: String(e && e.stack || e), name: 'Error', fields: {} } }));
`;

function threadModule(): { module: string; tsx?: string } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { module: new URL('./embedded-thread.js', here).href };
  // tsx's ES module entry (its `import` export), beside the CommonJS one `require` resolves.
  const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return { module: new URL('./embedded-thread.ts', here).href, tsx };
}

/** An embedded database (PGlite) served by a worker thread. */
export class DatabaseThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private nextTx = 1;
  private ended: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: ThreadReply) => {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in m) p.reject(fromThreadError(m.error));
      else p.resolve(m.rows);
    });
    const fail = (e: Error): void => {
      this.ended ??= e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', (e) => fail(new Error(`The embedded database's thread failed: ${e.message}`, { cause: e })));
    worker.on('exit', () => fail(new Error("The embedded database's thread has stopped")));
  }

  /** Starts a thread and opens `target` (a directory, or `memory`) there. */
  static async open(target: string): Promise<DatabaseThread> {
    const worker = new Worker(BOOT, { eval: true, workerData: { ...threadModule(), target } });
    const listeners: { event: string; listener: (arg: ThreadReady & Error & number) => void }[] = [];
    const ready = await new Promise<ThreadReady>((resolve, reject) => {
      listeners.push(
        { event: 'message', listener: resolve },
        { event: 'error', listener: reject },
        { event: 'exit', listener: (code: number) => reject(new Error(`The embedded database's thread stopped while opening (exit code ${code})`)) },
      );
      for (const l of listeners) worker.once(l.event, l.listener);
    }).finally(() => {
      for (const l of listeners) worker.off(l.event, l.listener);
    });
    if ('failed' in ready) {
      await worker.terminate();
      throw fromThreadError(ready.failed);
    }
    const thread = new DatabaseThread(worker);
    worker.unref();
    return thread;
  }

  private call(request: Unnumbered): Promise<unknown[]> {
    if (this.ended !== undefined) return Promise.reject(this.ended);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // While an answer is awaited the thread keeps the process alive; idle, it does not.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  async query<T>(sql: string, params: readonly unknown[]): Promise<{ rows: T[] }> {
    return { rows: (await this.call({ op: 'query', sql, params })) as T[] };
  }

  /** Runs `fn` in one transaction on the thread: committed when it resolves, rolled back when it throws. */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    if (this.ended !== undefined) throw this.ended;
    const tx = this.nextTx++;
    this.worker.postMessage({ id: 0, op: 'begin', tx } satisfies ThreadRequest);
    let result: T;
    try {
      result = await fn({
        query: async <R>(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}) => ({
          rows: (await this.call({ op: 'tx', tx, sql, params, ...(options.prepare !== undefined ? { prepare: options.prepare } : {}) })) as R[],
        }),
      });
    } catch (e) {
      await this.call({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw e;
    }
    await this.call({ op: 'end', tx, commit: true });
    return result;
  }

  async close(): Promise<void> {
    if (this.ended === undefined) {
      try {
        await this.call({ op: 'close' });
      } catch (e) {
        if (this.ended === undefined) throw new Error(`Closing the embedded database failed: ${toThreadError(e).message}`, { cause: e });
      }
    }
    await this.worker.terminate();
  }
}
