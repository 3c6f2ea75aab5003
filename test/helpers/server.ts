/** A real Parlance HTTP server on a random loopback port, for end-to-end tests. */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { ObjectCatalog } from '../../src/catalog/catalog.js';
import { buildServer, type ServerLimits } from '../../src/server/app.js';
import { KeyRing, parseKeys } from '../../src/server/auth.js';
import { openDatabase } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';

export const KEYS = { admin: 'admin-key-0123456789abcdef', service: 'service-key-0123456789abcdef', preview: 'preview-key-0123456789abcdef' } as const;

/**
 * A parsed JSON response body. Tests read nested fields freely and let the assertions check
 * them, so the body is deliberately untyped here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type JsonBody = any;

export interface TestServer {
  readonly url: string;
  readonly app: FastifyInstance;
  /** Calls the server: JSON in, status and parsed body out. */
  call(method: string, path: string, body?: unknown, options?: { key?: keyof typeof KEYS | null; headers?: Record<string, string>; raw?: string }): Promise<{ status: number; body: JsonBody; headers: Headers }>;
  /** The clock the server reads; tests move it. */
  now: number;
  close(): Promise<void>;
}

export async function startServer(options: { db?: string; limits?: Partial<ServerLimits>; now?: number; catalog?: ObjectCatalog } = {}): Promise<TestServer> {
  const db = await openDatabase(options.db ?? 'memory');
  await migrate(db);
  const keys = new KeyRing(parseKeys(`admin admin ${KEYS.admin};service service ${KEYS.service};preview preview ${KEYS.preview}`, 'test'));
  const state = { now: options.now ?? Date.parse('2026-11-21T10:00:00Z') };
  // A generous time budget: tests never depend on machine load (a test of the budget gives its own).
  const limits = { evaluationBudgetMs: 60_000, ...options.limits };
  const app = await buildServer({ db, keys, logger: false, checkResponses: true, clock: () => state.now, limits, ...(options.catalog !== undefined ? { catalog: options.catalog } : {}) });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const server: TestServer = {
    url,
    app,
    get now() {
      return state.now;
    },
    set now(v: number) {
      state.now = v;
    },
    async call(method, path, body, o = {}) {
      const key = o.key === undefined ? 'admin' : o.key;
      const headers: Record<string, string> = { ...(key !== null ? { authorization: `Bearer ${KEYS[key]}` } : {}), ...o.headers };
      let payload: string | undefined = o.raw;
      if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
      if (payload !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${url}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    close: () => app.close(),
  };
  return server;
}

/** Creates or replaces the channel `id` with the admin key, and fails the test unless the server took it (200 or 201). */
export async function putChannel(server: TestServer, id: string, settings: Record<string, unknown>): Promise<void> {
  const r = await server.call('PUT', `/v1/channels/${id}`, settings);
  expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
}
