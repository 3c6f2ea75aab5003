/**
 * Stored component definitions, versioned: every write stores a new version, a delete stores a
 * tombstone version, and every version stays readable.
 */
import type { Database, Queryable } from './database.js';

export interface StoredComponent {
  readonly name: string;
  readonly version: number;
  readonly createdAt: string;
  readonly definition: Record<string, unknown>;
}

export interface ComponentSummary {
  readonly name: string;
  readonly version: number;
  readonly type: string;
  readonly label?: string;
  readonly createdAt: string;
}

interface Row {
  name: string;
  version: number;
  created_at: Date | string;
  definition: Record<string, unknown> | null;
  deleted: boolean;
}

const iso = (d: Date | string): string => new Date(d).toISOString();

/**
 * The latest versions an embedded store's process has read or written, by name (`undefined`:
 * known not to exist), shared by every {@link ComponentStore} on that database. One process at a
 * time opens an embedded store (src/store/lock.ts), so every write goes through this process and
 * updates the entry when it commits: the cache is never stale, and needs no query.
 */
interface LatestCache {
  readonly entries: Map<string, StoredComponent | undefined>;
  /** Bumped by every committed write: a read that started before a write doesn't cache its result. */
  generation: number;
}

const embeddedCaches = new WeakMap<Database, LatestCache>();

/** Names cached at most; past it the oldest entry goes. */
const MAX_CACHED = 10_000;

function remember(cache: Map<string, StoredComponent | undefined>, name: string, component: StoredComponent | undefined): void {
  cache.delete(name);
  cache.set(name, component);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
}

export class ComponentStore {
  /**
   * Latest versions. On an embedded store: shared, authoritative (see {@link LatestCache}). On a
   * PostgreSQL server, which other instances write too: this instance's last reads, each checked
   * against the stored latest version number on every use (one indexed read of a number, not the
   * definition), so a write acknowledged by any instance is seen by the next read here.
   */
  private readonly latest: LatestCache;

  constructor(private readonly db: Database) {
    let cache = db.kind === 'embedded' ? embeddedCaches.get(db) : undefined;
    if (cache === undefined) {
      cache = { entries: new Map(), generation: 0 };
      if (db.kind === 'embedded') embeddedCaches.set(db, cache);
    }
    this.latest = cache;
  }

  /**
   * The latest version, without a query when it is known for sure: on an embedded store, once
   * read or written by this process; `null` when it must be read ({@link getLatest}).
   */
  cachedLatest(name: string): StoredComponent | undefined | null {
    if (this.db.kind !== 'embedded') return null;
    const entries = this.latest.entries;
    const hit = entries.get(name);
    return hit !== undefined || entries.has(name) ? hit : null;
  }

  /** The latest version (undefined when there is none or the latest is a deletion), never stale (see `latest`). */
  async getLatest(name: string): Promise<StoredComponent | undefined> {
    const known = this.cachedLatest(name);
    if (known !== null) return known;
    const generation = this.latest.generation;
    if (this.db.kind !== 'embedded') {
      const cached = this.latest.entries.get(name);
      const { rows } = await this.db.query<{ version: number; deleted: boolean }>('SELECT version, deleted FROM components WHERE name = $1 ORDER BY version DESC LIMIT 1', [name]);
      const row = rows[0];
      if (row === undefined || row.deleted) return undefined;
      if (cached !== undefined && cached.version === Number(row.version)) return cached;
    }
    const component = await this.get(name);
    if (generation === this.latest.generation) remember(this.latest.entries, name, component);
    return component;
  }

  /** After a committed write of `name`: reads in flight don't cache, the entry holds what was written. */
  private written(name: string, component: StoredComponent | undefined): void {
    this.latest.generation++;
    remember(this.latest.entries, name, component);
  }

  /** Stores a new version; returns it. Names are case-sensitive. */
  async put(name: string, definition: Record<string, unknown>, now: number): Promise<StoredComponent> {
    return this.db.transaction(async (tx) => {
      await lockName(tx, name);
      const version = await nextVersion(tx, name);
      await tx.query('INSERT INTO components (name, version, definition, deleted, created_at) VALUES ($1, $2, $3, false, $4)', [name, version, JSON.stringify(definition), new Date(now)]);
      return { name, version, createdAt: new Date(now).toISOString(), definition };
    }).then((stored) => {
      this.written(name, stored);
      return stored;
    });
  }

  /** The latest version (undefined when there is none or the latest is a deletion), or a given version. */
  async get(name: string, version?: number): Promise<StoredComponent | undefined> {
    const { rows } =
      version === undefined
        ? await this.db.query<Row>('SELECT name, version, created_at, definition, deleted FROM components WHERE name = $1 ORDER BY version DESC LIMIT 1', [name])
        : await this.db.query<Row>('SELECT name, version, created_at, definition, deleted FROM components WHERE name = $1 AND version = $2', [name, version]);
    const row = rows[0];
    if (row === undefined || row.deleted || row.definition === null) return undefined;
    return { name: row.name, version: Number(row.version), createdAt: iso(row.created_at), definition: row.definition };
  }

  /** Deletes by storing a tombstone version. False when there was nothing to delete. */
  async delete(name: string, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await lockName(tx, name);
      const { rows } = await tx.query<{ deleted: boolean }>('SELECT deleted FROM components WHERE name = $1 ORDER BY version DESC LIMIT 1', [name]);
      if (rows[0] === undefined || rows[0].deleted) return false;
      const version = await nextVersion(tx, name);
      await tx.query('INSERT INTO components (name, version, definition, deleted, created_at) VALUES ($1, $2, NULL, true, $3)', [name, version, new Date(now)]);
      return true;
    }).then((deleted) => {
      // False: the latest was a deletion already, or there was none.
      this.written(name, undefined);
      return deleted;
    });
  }

  /** The latest version of every component that isn't deleted, by name. */
  async list(): Promise<ComponentSummary[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT DISTINCT ON (name) name, version, created_at, definition, deleted FROM components ORDER BY name, version DESC`,
    );
    return rows
      .filter((r) => !r.deleted && r.definition !== null)
      .map((r) => {
        const d = r.definition as Record<string, unknown>;
        return { name: r.name, version: Number(r.version), type: String(d.type), ...(typeof d.label === 'string' ? { label: d.label } : {}), createdAt: iso(r.created_at) };
      });
  }
}

/** Serializes writers of one name (puts and deletes): the advisory lock is released at commit. */
async function lockName(tx: Queryable, name: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`component:${name}`]);
}

/** The next version of a name; call with the name's lock held. */
async function nextVersion(tx: Queryable, name: string): Promise<number> {
  const { rows } = await tx.query<{ v: number | null }>('SELECT max(version) AS v FROM components WHERE name = $1', [name]);
  return Number(rows[0]?.v ?? 0) + 1;
}
