/**
 * Channels: their settings (validated before they are stored) and a per-process cache of them,
 * checked against the stored version so several instances sharing a database stay in step.
 */
import type { ChannelSettings } from '../consent/settings.js';
import type { Database, Queryable } from './database.js';

export interface StoredChannel {
  readonly id: string;
  readonly version: number;
  readonly settings: ChannelSettings;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface Row {
  id: string;
  version: number;
  settings: ChannelSettings;
  created_at: Date | string;
  updated_at: Date | string;
}

const iso = (d: Date | string): string => new Date(d).toISOString();
const toChannel = (r: Row): StoredChannel => ({ id: r.id, version: Number(r.version), settings: r.settings, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) });

export class ChannelStore {
  private readonly cache = new Map<string, StoredChannel>();

  constructor(private readonly db: Database) {}

  /** Creates or replaces a channel's (validated) settings. A channel's type never changes (G:412). */
  async put(id: string, settings: ChannelSettings, now: number): Promise<{ channel: StoredChannel; created: boolean } | { typeChange: string }> {
    return this.db.transaction(async (tx) => {
      // Serializes writers of one id, including two creating it at once (there is no row to lock yet).
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`channel:${id}`]);
      const { rows } = await tx.query<Row>('SELECT id, version, settings, created_at, updated_at FROM channels WHERE id = $1', [id]);
      const current = rows[0];
      if (current !== undefined && current.settings.type !== settings.type) return { typeChange: current.settings.type };
      const at = new Date(now);
      const { rows: saved } =
        current === undefined
          ? await tx.query<Row>('INSERT INTO channels (id, type, settings, version, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $4) RETURNING id, version, settings, created_at, updated_at', [id, settings.type, JSON.stringify(settings), at])
          : await tx.query<Row>('UPDATE channels SET settings = $2, version = version + 1, updated_at = $3 WHERE id = $1 RETURNING id, version, settings, created_at, updated_at', [id, JSON.stringify(settings), at]);
      const channel = toChannel(saved[0] as Row);
      this.cache.set(id, channel);
      return { channel, created: current === undefined };
    });
  }

  async get(id: string, q: Queryable = this.db): Promise<StoredChannel | undefined> {
    const { rows } = await q.query<Row>('SELECT id, version, settings, created_at, updated_at FROM channels WHERE id = $1', [id]);
    const row = rows[0];
    if (row === undefined) {
      this.cache.delete(id);
      return undefined;
    }
    const channel = toChannel(row);
    this.cache.set(id, channel);
    return channel;
  }

  /** The cached channel when its version is `version` (or any version when not given); else read again. */
  async cached(id: string, version?: number, q: Queryable = this.db): Promise<StoredChannel | undefined> {
    const hit = this.cache.get(id);
    if (hit !== undefined && (version === undefined || hit.version === version)) return hit;
    return this.get(id, q);
  }

  async list(): Promise<StoredChannel[]> {
    const { rows } = await this.db.query<Row>('SELECT id, version, settings, created_at, updated_at FROM channels ORDER BY id');
    return rows.map(toChannel);
  }
}
