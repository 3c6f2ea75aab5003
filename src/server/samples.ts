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
import type { ChannelStore } from '../store/channels.js';
import type { ComponentStore } from '../store/components.js';
import { checkChannelSettings } from '../services/channels.js';

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** Stores the sample components that are missing or changed. Returns their names. */
export async function loadSampleComponents(store: ComponentStore, now: number): Promise<string[]> {
  const stored: string[] = [];
  for (const file of jsonFiles(packagePath('examples', 'components'))) {
    const { $schema: _schema, ...definition } = read(file);
    const result = validateComponent(definition);
    if (!result.valid) throw new Error(`The sample ${file} is invalid: ${result.errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`);
    const name = String(definition.name);
    const current = await store.get(name);
    if (current !== undefined && JSON.stringify(current.definition) === JSON.stringify(definition)) continue;
    await store.put(name, definition, now);
    stored.push(name);
  }
  return stored;
}

/** Stores the sample channels (one of each type) that are missing or changed, after the sample components they name. Returns their ids. */
export async function loadSampleChannels(store: ChannelStore, now: number, components?: ComponentStore): Promise<string[]> {
  const stored: string[] = [];
  for (const file of jsonFiles(packagePath('examples', 'channels'))) {
    const { id, ...input } = read(file);
    const v = await checkChannelSettings(input, async (name) => components?.get(name));
    if (!v.valid || v.settings === undefined) throw new Error(`The sample ${file} is invalid: ${v.errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`);
    const current = await store.get(String(id));
    if (current !== undefined && JSON.stringify(current.settings) === JSON.stringify(v.settings)) continue;
    const saved = await store.put(String(id), v.settings, now);
    if ('typeChange' in saved) throw new Error(`The sample channel ${String(id)} exists with another type (${saved.typeChange})`);
    stored.push(String(id));
  }
  return stored;
}

/** Loads every kind of sample data through the server's own stores. */
export async function loadSamples(app: FastifyInstance): Promise<{ components: string[]; channels: string[] }> {
  const { components, channels, clock } = app.parlance;
  return { components: await loadSampleComponents(components, clock()), channels: await loadSampleChannels(channels, clock(), components) };
}
