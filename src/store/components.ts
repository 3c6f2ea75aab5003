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
 * How long a read of a component's latest version is reused, in milliseconds. Writes through this
 * instance update the cache at once; a write through another instance sharing the database is
 * seen after at most this long.
 */
export const LATEST_CACHE_MS = 1000;

export class ComponentStore {
  /** Latest versions read recently, by name (`undefined`: known not to exist). Monotonic time, not the business clock. */
  private readonly latest = new Map<string, { readonly at: number; readonly component: StoredComponent | undefined }>();

  constructor(private readonly db: Database) {}

  /** The latest version, reusing a read of the last {@link LATEST_CACHE_MS} milliseconds. */
  async getLatest(name: string): Promise<StoredComponent | undefined> {
    const hit = this.latest.get(name);
    const now = performance.now();
    if (hit !== undefined && now - hit.at < LATEST_CACHE_MS) return hit.component;
    const component = await this.get(name);
    this.latest.set(name, { at: now, component });
    if (this.latest.size > 10_000) this.latest.delete(this.latest.keys().next().value as string);
    return component;
  }

  /** Stores a new version; returns it. Names are case-sensitive. */
  async put(name: string, definition: Record<string, unknown>, now: number): Promise<StoredComponent> {
    return this.db.transaction(async (tx) => {
      await lockName(tx, name);
      const version = await nextVersion(tx, name);
      await tx.query('INSERT INTO components (name, version, definition, deleted, created_at) VALUES ($1, $2, $3, false, $4)', [name, version, JSON.stringify(definition), new Date(now)]);
      return { name, version, createdAt: new Date(now).toISOString(), definition };
    }).then((stored) => {
      this.latest.set(name, { at: performance.now(), component: stored });
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
      this.latest.delete(name);
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
