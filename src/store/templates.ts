/**
 * Stored messaging templates (`kind` "messaging") and approved WhatsApp templates (`kind`
 * "whatsapp"), by name. Their rules are domain code (src/messaging/templates.ts).
 */
import type { Database } from './database.js';

export type TemplateKind = 'messaging' | 'whatsapp';

export interface StoredTemplate<T> {
  readonly name: string;
  readonly definition: T;
  readonly version: number;
  readonly updatedAt: string;
}

interface Row {
  name: string;
  definition: unknown;
  version: number;
  updated_at: Date | string;
}

const toStored = <T>(r: Row): StoredTemplate<T> => ({ name: r.name, definition: r.definition as T, version: Number(r.version), updatedAt: new Date(r.updated_at).toISOString() });

export class TemplateStore {
  constructor(private readonly db: Database) {}

  async get<T>(kind: TemplateKind, name: string): Promise<StoredTemplate<T> | undefined> {
    const { rows } = await this.db.query<Row>('SELECT name, definition, version, updated_at FROM message_templates WHERE kind = $1 AND name = $2', [kind, name]);
    return rows[0] === undefined ? undefined : toStored<T>(rows[0]);
  }

  async list<T>(kind: TemplateKind): Promise<StoredTemplate<T>[]> {
    const { rows } = await this.db.query<Row>('SELECT name, definition, version, updated_at FROM message_templates WHERE kind = $1 ORDER BY name', [kind]);
    return rows.map((r) => toStored<T>(r));
  }

  async count(kind: TemplateKind): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM message_templates WHERE kind = $1', [kind]);
    return Number(rows[0]?.n ?? 0);
  }

  /** Creates or replaces a template; `limit` caps how many of the kind may exist (checked in the same transaction). */
  async put<T>(kind: TemplateKind, name: string, definition: T, now: number, limit?: number): Promise<{ stored: StoredTemplate<T>; created: boolean } | { limitReached: true }> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`templates:${kind}`]);
      if (limit !== undefined) {
        const { rows } = await tx.query<{ n: number; mine: number }>('SELECT count(*)::int AS n, count(*) FILTER (WHERE name = $2)::int AS mine FROM message_templates WHERE kind = $1', [kind, name]);
        if (Number(rows[0]?.mine ?? 0) === 0 && Number(rows[0]?.n ?? 0) >= limit) return { limitReached: true as const };
      }
      const { rows } = await tx.query<Row & { created: boolean }>(
        `INSERT INTO message_templates (kind, name, definition, version, updated_at) VALUES ($1, $2, $3, 1, $4)
         ON CONFLICT (kind, name) DO UPDATE SET definition = EXCLUDED.definition, version = message_templates.version + 1, updated_at = EXCLUDED.updated_at
         RETURNING name, definition, version, updated_at, (xmax = 0) AS created`,
        [kind, name, JSON.stringify(definition), new Date(now)],
      );
      const row = rows[0] as Row & { created: boolean };
      return { stored: toStored<T>(row), created: row.created };
    });
  }
}
