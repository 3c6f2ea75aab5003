/**
 * An object catalog for the language service from object definitions already validated and
 * normalized (what `ObjectCatalog.get` returns, sent as JSON): for a browser, which cannot load
 * src/catalog/catalog.ts (it reads files). Relationships are typed as `ObjectCatalog.recordType`
 * types them; a reference to an object that is not given is left out instead of failing.
 */
import type { FieldEntry, RecordType } from '../formula/types.js';
import type { CatalogView } from './types.js';
import type { ObjectDefinition } from '../catalog/catalog.js';

/** MAX_RELATIONSHIP_DEPTH of src/catalog/catalog.ts (a test keeps them equal; importing it would load file I/O). */
export const RELATIONSHIP_DEPTH = 10;

/** A record type whose fields are built on first access, so cyclic relationships cost nothing until used. */
class LazyRecord implements RecordType {
  readonly kind = 'record' as const;
  #fields: ReadonlyMap<string, FieldEntry> | undefined;

  constructor(
    readonly object: string,
    private readonly build: () => ReadonlyMap<string, FieldEntry>,
  ) {}

  get fields(): ReadonlyMap<string, FieldEntry> {
    return (this.#fields ??= this.build());
  }
}

export function catalogOfDefinitions(definitions: readonly ObjectDefinition[]): CatalogView {
  const byName = new Map(definitions.map((d) => [d.name.toLowerCase(), d]));
  const types = new Map<string, LazyRecord>();
  const typeAt = (key: string, depth: number): LazyRecord => {
    const cacheKey = `${depth}:${key}`;
    const cached = types.get(cacheKey);
    if (cached !== undefined) return cached;
    const def = byName.get(key) as ObjectDefinition;
    const type = new LazyRecord(def.name, () => {
      const map = new Map<string, FieldEntry>();
      for (const f of def.fields) map.set(f.name.toLowerCase(), { name: f.name, type: f.type });
      if (depth < RELATIONSHIP_DEPTH) {
        for (const f of def.fields) {
          if (f.references === undefined || f.relationshipName === undefined || !byName.has(f.references.toLowerCase())) continue;
          map.set(f.relationshipName.toLowerCase(), { name: f.relationshipName, type: typeAt(f.references.toLowerCase(), depth + 1) });
        }
      }
      return map;
    });
    types.set(cacheKey, type);
    return type;
  };
  return {
    get: (name) => byName.get(name.toLowerCase()),
    names: () => [...byName.values()].map((d) => d.name).sort((a, b) => a.localeCompare(b, 'en')),
    recordType: (name) => (byName.has(name.toLowerCase()) ? typeAt(name.toLowerCase(), 0) : undefined),
  };
}
