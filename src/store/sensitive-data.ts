/**
 * Sensitive data rules, stored per channel type (one row each: the ordered rule list). The rules
 * themselves and their validation are domain code (src/messaging/sensitive-data.ts); this is the
 * repository. Reads are cached for up to 60 seconds per instance ("Updates to sensitive data
 * rules take effect in 60 seconds", G:3715); a write through this instance clears its cache.
 */
import type { SensitiveDataRule } from '../messaging/sensitive-data.js';
import type { Database } from './database.js';

export interface StoredSensitiveDataRules {
  readonly channelType: string;
  readonly rules: readonly SensitiveDataRule[];
  readonly version: number;
  readonly updatedAt: string;
}

interface Row {
  channel_type: string;
  rules: SensitiveDataRule[];
  version: number;
  updated_at: Date | string;
}

const toStored = (r: Row): StoredSensitiveDataRules => ({ channelType: r.channel_type, rules: r.rules, version: Number(r.version), updatedAt: new Date(r.updated_at).toISOString() });

/** How long a read may be reused (G:3715). */
export const SENSITIVE_DATA_CACHE_MS = 60_000;

export class SensitiveDataStore {
  private readonly cache = new Map<string, { at: number; value: StoredSensitiveDataRules | undefined }>();

  constructor(
    private readonly db: Database,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(channelType: string): Promise<StoredSensitiveDataRules | undefined> {
    const { rows } = await this.db.query<Row>('SELECT channel_type, rules, version, updated_at FROM sensitive_data_rules WHERE channel_type = $1', [channelType]);
    return rows[0] === undefined ? undefined : toStored(rows[0]);
  }

  /** The rules for a channel type, read at most once a minute. */
  async cached(channelType: string): Promise<readonly SensitiveDataRule[]> {
    const now = this.clock();
    const hit = this.cache.get(channelType);
    if (hit !== undefined && now - hit.at < SENSITIVE_DATA_CACHE_MS) return hit.value?.rules ?? [];
    const value = await this.get(channelType);
    this.cache.set(channelType, { at: now, value });
    return value?.rules ?? [];
  }

  async list(): Promise<StoredSensitiveDataRules[]> {
    const { rows } = await this.db.query<Row>('SELECT channel_type, rules, version, updated_at FROM sensitive_data_rules ORDER BY channel_type');
    return rows.map(toStored);
  }

  /** Replaces the rules of a channel type (validated by the caller); returns the stored row and whether it was created. */
  async put(channelType: string, rules: readonly SensitiveDataRule[]): Promise<{ stored: StoredSensitiveDataRules; created: boolean }> {
    const at = new Date(this.clock());
    const { rows } = await this.db.query<Row & { created: boolean }>(
      `INSERT INTO sensitive_data_rules (channel_type, rules, version, updated_at) VALUES ($1, $2, 1, $3)
       ON CONFLICT (channel_type) DO UPDATE SET rules = EXCLUDED.rules, version = sensitive_data_rules.version + 1, updated_at = EXCLUDED.updated_at
       RETURNING channel_type, rules, version, updated_at, (xmax = 0) AS created`,
      [channelType, JSON.stringify(rules), at],
    );
    this.cache.delete(channelType);
    const row = rows[0] as Row & { created: boolean };
    return { stored: toStored(row), created: row.created };
  }

  async delete(channelType: string): Promise<boolean> {
    const { rows } = await this.db.query('DELETE FROM sensitive_data_rules WHERE channel_type = $1 RETURNING channel_type', [channelType]);
    this.cache.delete(channelType);
    return rows.length > 0;
  }
}
