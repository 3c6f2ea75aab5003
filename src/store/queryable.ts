/** What the store's repositories run statements on: the database or one transaction (src/store/database.ts). */

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
