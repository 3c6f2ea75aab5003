/**
 * The object catalog: the objects (Case, Contact, custom `Delivery__c`…) whose records
 * component parameters reference, with their fields and types. sObject formulas and
 * `$Parameters.P.Field` paths are type-checked against it.
 *
 * Definitions are JSON documents described by `schemas/object.schema.json`; the built-in ones
 * ship in `schemas/objects/`. Their shape and validation are in definition.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FieldEntry, RecordType } from '../formula/types.js';
import { packageRoot } from '../package-files.js';
import { escapePointer, formatCatalogError, validateDefinition, type CatalogError, type ObjectDefinition } from './definition.js';

export { formatCatalogError, type CatalogError, type FieldDefinition, type ObjectDefinition } from './definition.js';

/**
 * How many relationships a path may follow from the record it starts at, as in Salesforce
 * formulas (`Case.Account.Parent.Owner.Name` follows three). Relationship fields are absent
 * from records this deep, so a longer path is an unknown field.
 */
export const MAX_RELATIONSHIP_DEPTH = 10;

/** Thrown when a catalog cannot be built or an object cannot be resolved; lists every problem. */
export class ObjectCatalogError extends Error {
  readonly errors: readonly CatalogError[];

  constructor(summary: string, errors: readonly CatalogError[]) {
    super(`${summary}:\n${errors.map((e) => `  ${formatCatalogError(e)}`).join('\n')}`);
    this.name = 'ObjectCatalogError';
    this.errors = errors;
  }
}

/** What {@link ObjectCatalog.add} and {@link ObjectCatalog.loadDirectory} report. Nothing is added unless `errors` is empty. */
export interface AddResult {
  readonly errors: readonly CatalogError[];
  /** The objects added, in order. */
  readonly added: readonly ObjectDefinition[];
}

// ---------------------------------------------------------------------------------------------
// Record types

/** A record type whose fields are computed on first access, so cyclic relationships cost nothing until used. */
class LazyRecordType implements RecordType {
  readonly kind = 'record' as const;
  readonly object: string;
  readonly #build: () => ReadonlyMap<string, FieldEntry>;
  #fields: ReadonlyMap<string, FieldEntry> | undefined;

  constructor(object: string, build: () => ReadonlyMap<string, FieldEntry>) {
    this.object = object;
    this.#build = build;
  }

  get fields(): ReadonlyMap<string, FieldEntry> {
    return (this.#fields ??= this.#build());
  }
}

let builtinCache: readonly ObjectDefinition[] | undefined;

/**
 * A set of object definitions. Each catalog is its own instance: {@link ObjectCatalog.builtin}
 * returns a fresh catalog every call, so adding objects to one never affects another. Objects
 * can be added but not replaced or removed, so record types handed out stay valid.
 */
export class ObjectCatalog {
  readonly #objects = new Map<string, ObjectDefinition>();
  /** `depth:lowercased name` → record type. */
  readonly #types = new Map<string, LazyRecordType>();
  /** Objects whose every reachable reference is known to resolve. */
  readonly #resolved = new Set<string>();

  private constructor() {}

  /** A catalog with no objects. */
  static empty(): ObjectCatalog {
    return new ObjectCatalog();
  }

  /** The directory of the shipped object definitions (`schemas/objects`). */
  static builtinDirectory(): string {
    return join(packageRoot(), 'schemas', 'objects');
  }

  /**
   * A new catalog of the shipped standard objects (Case, Contact, Lead, Account, Opportunity,
   * Location, User, MessagingSession, MessagingEndUser, Product2, WorkOrder, ServiceAppointment).
   * The files are read and validated once per process; each call returns a new catalog.
   */
  static builtin(): ObjectCatalog {
    if (builtinCache === undefined) {
      const staging = new ObjectCatalog();
      const { errors, added } = staging.#loadFiles(ObjectCatalog.builtinDirectory());
      if (errors.length > 0) throw new ObjectCatalogError('The built-in object definitions are invalid', errors);
      builtinCache = Object.freeze([...added]);
    }
    const catalog = new ObjectCatalog();
    for (const def of builtinCache) catalog.#objects.set(def.name.toLowerCase(), def);
    return catalog;
  }

  /**
   * Validates one definition (a parsed JSON document) and adds it. Reports every problem, with
   * JSON pointers into the definition; on any problem nothing is added. A `references` to an
   * object that is not (yet) in the catalog is not a problem here: it is reported when an object
   * that reaches it is resolved ({@link recordType}, {@link check}).
   */
  add(def: unknown, options: { readonly file?: string } = {}): AddResult {
    const { definition, errors } = validateDefinition(def, options.file);
    if (definition === undefined) return { errors, added: [] };
    const clash = this.#duplicate(definition, new Map());
    if (clash !== undefined) return { errors: [clash], added: [] };
    this.#objects.set(definition.name.toLowerCase(), definition);
    return { errors: [], added: [definition] };
  }

  /**
   * A new catalog with this one's objects and `defs`. Throws an {@link ObjectCatalogError}
   * listing every problem (pointers are into the `defs` array: `/1/fields/Subject/type`).
   */
  withObjects(defs: Iterable<unknown>): ObjectCatalog {
    const next = this.#copy();
    const errors: CatalogError[] = [];
    const staged = new Map<string, ObjectDefinition>();
    let i = 0;
    for (const def of defs) {
      const result = validateDefinition(def, undefined);
      for (const e of result.errors) errors.push({ ...e, pointer: `/${i}${e.pointer}` });
      if (result.definition !== undefined) {
        const clash = next.#duplicate(result.definition, staged);
        if (clash !== undefined) errors.push({ ...clash, pointer: `/${i}${clash.pointer}` });
        else staged.set(result.definition.name.toLowerCase(), result.definition);
      }
      i++;
    }
    if (errors.length > 0) throw new ObjectCatalogError('Invalid object definitions', errors);
    for (const [key, def] of staged) next.#objects.set(key, def);
    return next;
  }

  /**
   * Adds every `*.json` file of a directory (not recursive), one object per file. Errors name
   * their file. All or nothing: if any file has a problem, no object is added.
   */
  loadDirectory(dir: string): AddResult {
    return this.#loadFiles(resolve(dir));
  }

  /** An object by API name, case-insensitively. */
  get(name: string): ObjectDefinition | undefined {
    return this.#objects.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.#objects.has(name.toLowerCase());
  }

  /** The API names of every object, sorted. */
  names(): string[] {
    return [...this.#objects.values()].map((d) => d.name).sort((a, b) => a.localeCompare(b, 'en'));
  }

  /**
   * References that do not resolve: every `references` naming an object missing from the
   * catalog, among the objects reachable from `name` through relationships (or among all
   * objects, without `name`). Empty when everything resolves.
   */
  check(name?: string): CatalogError[] {
    const start = name === undefined ? [...this.#objects.keys()] : [name.toLowerCase()];
    const errors: CatalogError[] = [];
    const visited = new Set<string>();
    const queue = start.filter((k) => this.#objects.has(k));
    while (queue.length > 0) {
      const key = queue.pop() as string;
      if (visited.has(key)) continue;
      visited.add(key);
      const def = this.#objects.get(key) as ObjectDefinition;
      for (const f of def.fields) {
        if (f.references === undefined) continue;
        const target = f.references.toLowerCase();
        if (this.#objects.has(target)) {
          queue.push(target);
          continue;
        }
        errors.push({
          pointer: `/fields/${escapePointer(f.name)}/references`,
          message: `${def.name}.${f.name} references the object "${f.references}", which is not in the catalog. Add a definition of ${f.references}, or remove "references" to keep ${f.name} a plain Id`,
          object: def.name,
          ...(def.file !== undefined ? { file: def.file } : {}),
        });
      }
    }
    if (errors.length === 0) for (const k of visited) this.#resolved.add(k);
    return errors;
  }

  /**
   * The formula type of a record of `name`: its fields by type, and for each lookup also its
   * relationship as a nested record type (`Account.Name`, `Owner.Name`, `Account.Parent.Name`).
   * Nested types are built lazily, so cycles are fine; paths follow at most
   * {@link MAX_RELATIONSHIP_DEPTH} relationships. Undefined for an unknown object. Throws an
   * {@link ObjectCatalogError} when a reachable `references` names a missing object.
   */
  recordType(name: string): RecordType | undefined {
    const def = this.get(name);
    if (def === undefined) return undefined;
    const key = def.name.toLowerCase();
    if (!this.#resolved.has(key)) {
      const errors = this.check(def.name);
      if (errors.length > 0) throw new ObjectCatalogError(`Cannot resolve object ${def.name}`, errors);
    }
    return this.#typeAt(key, 0);
  }

  #typeAt(key: string, depth: number): LazyRecordType {
    const cacheKey = `${depth}:${key}`;
    const cached = this.#types.get(cacheKey);
    if (cached !== undefined) return cached;
    const def = this.#objects.get(key) as ObjectDefinition;
    const type = new LazyRecordType(def.name, () => {
      const map = new Map<string, FieldEntry>();
      for (const f of def.fields) map.set(f.name.toLowerCase(), { name: f.name, type: f.type });
      if (depth < MAX_RELATIONSHIP_DEPTH) {
        for (const f of def.fields) {
          if (f.references === undefined || f.relationshipName === undefined) continue;
          map.set(f.relationshipName.toLowerCase(), { name: f.relationshipName, type: this.#typeAt(f.references.toLowerCase(), depth + 1) });
        }
      }
      return map;
    });
    this.#types.set(cacheKey, type);
    return type;
  }

  #copy(): ObjectCatalog {
    const next = new ObjectCatalog();
    for (const [k, v] of this.#objects) next.#objects.set(k, v);
    return next;
  }

  /** An error if `def`'s name is taken, in this catalog or among `staged`. */
  #duplicate(def: ObjectDefinition, staged: ReadonlyMap<string, ObjectDefinition>): CatalogError | undefined {
    const key = def.name.toLowerCase();
    const existing = this.#objects.get(key) ?? staged.get(key);
    if (existing === undefined) return undefined;
    const from = existing.file !== undefined ? ` (from ${existing.file})` : '';
    return {
      pointer: '/name',
      message: `The object "${def.name}" is already in the catalog${from}. Object names are case-insensitive; objects cannot be redefined`,
      object: def.name,
      ...(def.file !== undefined ? { file: def.file } : {}),
    };
  }

  #loadFiles(dir: string): AddResult {
    let entries: string[];
    try {
      entries = readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isFile() && d.name.toLowerCase().endsWith('.json'))
        .map((d) => d.name)
        .sort();
    } catch (e) {
      return { errors: [{ pointer: '', file: dir, message: `Cannot read the directory: ${(e as Error).message}` }], added: [] };
    }
    const errors: CatalogError[] = [];
    const staged = new Map<string, ObjectDefinition>();
    for (const entry of entries) {
      const file = join(dir, entry);
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        errors.push({ pointer: '', file, message: e instanceof SyntaxError ? `Invalid JSON: ${e.message}` : `Cannot read the file: ${(e as Error).message}` });
        continue;
      }
      const result = validateDefinition(json, file);
      errors.push(...result.errors);
      if (result.definition === undefined) continue;
      const clash = this.#duplicate(result.definition, staged);
      if (clash !== undefined) errors.push(clash);
      else staged.set(result.definition.name.toLowerCase(), result.definition);
    }
    if (errors.length > 0) return { errors, added: [] };
    for (const [key, def] of staged) this.#objects.set(key, def);
    return { errors: [], added: [...staged.values()] };
  }
}
