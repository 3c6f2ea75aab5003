/**
 * The object catalog: the objects (Case, Contact, custom `Delivery__c`…) whose records
 * component parameters reference, with their fields and types. sObject formulas and
 * `$Parameters.P.Field` paths are type-checked against it.
 *
 * Definitions are JSON documents described by `schemas/object.schema.json`; the built-in ones
 * ship in `schemas/objects/`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { ajvModule } from '../lazy-modules.js';
import { distance } from 'fastest-levenshtein';
import { SCALAR_TYPES, type FieldEntry, type RecordType, type ScalarTypeName } from '../formula/types.js';
import { packageRoot } from '../package-files.js';

/**
 * How many relationships a path may follow from the record it starts at, as in Salesforce
 * formulas (`Case.Account.Parent.Owner.Name` follows three). Relationship fields are absent
 * from records this deep, so a longer path is an unknown field.
 */
export const MAX_RELATIONSHIP_DEPTH = 10;

/** One field of an object definition, normalized. */
export interface FieldDefinition {
  /** API name, as declared. */
  readonly name: string;
  readonly type: ScalarTypeName;
  /** Human-readable name; the API name when the definition gives none. */
  readonly label: string;
  readonly description?: string;
  /** For a lookup: the referenced object, as written in the definition. */
  readonly references?: string;
  /** For a lookup: the relationship's name, given or derived (`AccountId` → `Account`, `Order__c` → `Order__r`). */
  readonly relationshipName?: string;
  /** For a picklist: its values. */
  readonly values?: readonly string[];
}

/** An object definition, validated and normalized. Immutable. */
export interface ObjectDefinition {
  readonly name: string;
  readonly label: string;
  readonly description?: string;
  /** In declaration order. */
  readonly fields: readonly FieldDefinition[];
  /** The file it was loaded from, if any. */
  readonly file?: string;
}

/** A problem in an object definition, or in the catalog as a whole. */
export interface CatalogError {
  /**
   * JSON pointer to the offending part: into the definition (`/fields/Subject/type`), or for
   * {@link ObjectCatalog.withObjects} into the array of definitions (`/2/fields/Subject/type`).
   */
  readonly pointer: string;
  readonly message: string;
  /** The file the definition came from, when it came from a file. */
  readonly file?: string;
  /** The object's name, when known. */
  readonly object?: string;
}

/** Thrown when a catalog cannot be built or an object cannot be resolved; lists every problem. */
export class ObjectCatalogError extends Error {
  readonly errors: readonly CatalogError[];

  constructor(summary: string, errors: readonly CatalogError[]) {
    super(`${summary}:\n${errors.map((e) => `  ${formatCatalogError(e)}`).join('\n')}`);
    this.name = 'ObjectCatalogError';
    this.errors = errors;
  }
}

/** `file: /pointer: message`, leaving out the parts that are absent. */
export function formatCatalogError(e: CatalogError): string {
  const where = [e.file, e.pointer === '' ? undefined : e.pointer].filter((p) => p !== undefined).join(': ');
  return where === '' ? e.message : `${where}: ${e.message}`;
}

/** What {@link ObjectCatalog.add} and {@link ObjectCatalog.loadDirectory} report. Nothing is added unless `errors` is empty. */
export interface AddResult {
  readonly errors: readonly CatalogError[];
  /** The objects added, in order. */
  readonly added: readonly ObjectDefinition[];
}

// ---------------------------------------------------------------------------------------------
// Package files

// ---------------------------------------------------------------------------------------------
// Validation

let validatorCache: ValidateFunction | undefined;

/** The compiled object schema, compiled once per process. */
function validator(): ValidateFunction {
  if (validatorCache !== undefined) return validatorCache;
  const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'object.schema.json'), 'utf8')) as object;
  const ajv = new (ajvModule().Ajv2020)({ allErrors: true, verbose: true, strict: true });
  return (validatorCache = ajv.compile(schema));
}

const STANDARD_NAME = '[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*';
const STANDARD_FIELD = new RegExp(`^${STANDARD_NAME}$`);
const CUSTOM_FIELD = new RegExp(`^(?:${STANDARD_NAME}__)?${STANDARD_NAME}__c$`);
const RELATIONSHIP_NAME = new RegExp(`^(?:${STANDARD_NAME}|(?:${STANDARD_NAME}__)?${STANDARD_NAME}__r)$`);
const NAME_RULES = 'API names start with a letter and use letters, digits and single underscores; custom objects and fields end in __c (Delivery__c, Order__c)';
const PICKLISTS: ReadonlySet<string> = new Set(['Picklist', 'MultiPicklist']);

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** Up to three candidates within edit distance 2 (case-insensitive), closest first. */
function suggest(word: string, candidates: readonly string[]): string[] {
  const w = word.toLowerCase();
  return candidates
    .map((c) => ({ c, d: distance(w, c.toLowerCase()) }))
    .filter((x) => x.d <= (w.length <= 3 ? 1 : 2))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => x.c);
}

function didYouMean(word: string, candidates: readonly string[]): string {
  const close = suggest(word, candidates);
  return close.length > 0 ? ` Did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '';
}

/** Turns one ajv error into a located, readable one; undefined for errors that only echo another. */
function translate(e: ErrorObject): CatalogError | undefined {
  const at = e.instancePath;
  const params = e.params as Record<string, unknown>;
  const data: unknown = e.data;
  if (e.keyword === 'if' || e.keyword === 'propertyNames') return undefined;
  if (e.propertyName !== undefined) {
    return { pointer: `${at}/${escapePointer(e.propertyName)}`, message: `"${e.propertyName}" is not a valid field name. ${NAME_RULES}` };
  }
  switch (e.keyword) {
    case 'required': {
      const missing = String(params['missingProperty']);
      const hint =
        missing === 'fields'
          ? ': an object definition lists its fields, such as {"Name": "Text"}'
          : missing === 'name'
            ? ': the object\'s API name, such as "Case" or "Delivery__c"'
            : missing === 'type'
              ? `: one of ${SCALAR_TYPES.join(', ')}`
              : '';
      return { pointer: `${at}/${escapePointer(missing)}`, message: `Missing "${missing}"${hint}` };
    }
    case 'additionalProperties': {
      const extra = String(params['additionalProperty']);
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        pointer: `${at}/${escapePointer(extra)}`,
        message: `Unknown property "${extra}".${didYouMean(extra, allowed)} Allowed here: ${allowed.join(', ')}`,
      };
    }
    case 'enum': {
      const exact = typeof data === 'string' ? SCALAR_TYPES.find((t) => t.toLowerCase() === data.toLowerCase()) : undefined;
      const hint = exact !== undefined ? ` Did you mean "${exact}"? (type names are case-sensitive)` : typeof data === 'string' ? didYouMean(data, SCALAR_TYPES) : '';
      return { pointer: at, message: `Unknown type ${JSON.stringify(data)}.${hint} Expected one of ${SCALAR_TYPES.join(', ')}` };
    }
    case 'pattern': {
      const what = /\/relationshipName$/.test(at)
        ? 'a valid relationship name. Relationship names follow the API-name rules; custom relationships end in __r (Order__r)'
        : at === '/name' || /\/references$/.test(at)
          ? `a valid object name. ${NAME_RULES}`
          : `valid. ${NAME_RULES}`;
      return { pointer: at, message: `${JSON.stringify(data)} is not ${what}` };
    }
    case 'type': {
      const expected = String(params['type']);
      if (/^\/fields\/[^/]+$/.test(at)) {
        return { pointer: at, message: `A field is a type name ("Text") or an object ({"type": "Id", "references": "Account"}), not ${jsonType(data)}` };
      }
      return { pointer: at, message: `Expected ${expected === 'object' ? 'an object' : expected === 'array' ? 'an array' : `a ${expected}`}, not ${jsonType(data)}` };
    }
    case 'minProperties':
      return { pointer: at, message: 'An object needs at least one field' };
    case 'minLength':
      return { pointer: at, message: 'Must not be empty' };
    case 'minItems':
      return { pointer: at, message: 'List at least one value' };
    case 'uniqueItems': {
      const j = Number(params['j']);
      const i = Number(params['i']);
      const list = Array.isArray(data) ? (data as unknown[]) : [];
      return { pointer: `${at}/${Math.max(i, j)}`, message: `${JSON.stringify(list[Math.max(i, j)])} is listed twice` };
    }
    default:
      return { pointer: at, message: e.message ?? `Invalid (${e.keyword})` };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The default relationship name of a lookup field: `AccountId` → `Account`, `Order__c` → `Order__r`. */
function defaultRelationshipName(field: string): string | undefined {
  if (CUSTOM_FIELD.test(field)) return `${field.slice(0, -3)}__r`;
  const m = /^(.+)Id$/.exec(field);
  return m !== null && STANDARD_FIELD.test(m[1] as string) ? m[1] : undefined;
}

/**
 * The checks a JSON schema cannot express: case-insensitive duplicates, options that only fit
 * some types, and relationship names (derivable, custom-ness, no clash with other names).
 * Written defensively: shapes the schema already rejected are skipped.
 */
function semanticErrors(def: unknown): CatalogError[] {
  const errors: CatalogError[] = [];
  if (!isObject(def) || !isObject(def['fields'])) return errors;
  const fields = def['fields'];
  const byLower = new Map<string, string>();
  for (const name of Object.keys(fields)) {
    const previous = byLower.get(name.toLowerCase());
    if (previous !== undefined) {
      errors.push({ pointer: `/fields/${escapePointer(name)}`, message: `Field "${name}" is declared twice (names are case-insensitive; see "${previous}")` });
    } else {
      byLower.set(name.toLowerCase(), name);
    }
  }
  const relationships = new Map<string, string>();
  for (const [name, value] of Object.entries(fields)) {
    if (!isObject(value)) continue;
    const at = `/fields/${escapePointer(name)}`;
    const type = typeof value['type'] === 'string' ? value['type'] : undefined;
    const known = type !== undefined && (SCALAR_TYPES as readonly string[]).includes(type);
    const references = typeof value['references'] === 'string' ? value['references'] : undefined;
    const given = typeof value['relationshipName'] === 'string' ? value['relationshipName'] : undefined;
    const validGiven = given === undefined || RELATIONSHIP_NAME.test(given);
    if (value['values'] !== undefined && known && !PICKLISTS.has(type)) {
      errors.push({ pointer: `${at}/values`, message: `"values" only apply to Picklist and MultiPicklist fields; ${name} is ${type}` });
    }
    if (given !== undefined && value['references'] === undefined) {
      errors.push({ pointer: `${at}/relationshipName`, message: `"relationshipName" only applies to a lookup: add "references" with the object ${name} points to` });
    }
    if (references === undefined || !validGiven) continue;
    if (known && type !== 'Id') {
      errors.push({ pointer: `${at}/references`, message: `Only Id fields can reference another object; ${name} is ${type}. Use "type": "Id"` });
    }
    const custom = CUSTOM_FIELD.test(name);
    if (given !== undefined && custom && !given.endsWith('__r')) {
      errors.push({ pointer: `${at}/relationshipName`, message: `${name} is a custom field, so its relationship is custom too and must end in __r (such as ${defaultRelationshipName(name)})` });
    } else if (given !== undefined && !custom && given.endsWith('__r')) {
      errors.push({ pointer: `${at}/relationshipName`, message: `Only custom fields (ending in __c) have relationships ending in __r; ${name} is a standard field` });
    }
    const relationship = given ?? defaultRelationshipName(name);
    if (relationship === undefined) {
      errors.push({
        pointer: at,
        message: `${name} references ${references} but has no relationship name: only lookups named ...Id or ...__c get one by default. Add "relationshipName"`,
      });
      continue;
    }
    const relAt = given !== undefined ? `${at}/relationshipName` : at;
    const clashField = byLower.get(relationship.toLowerCase());
    const clashRel = relationships.get(relationship.toLowerCase());
    if (clashField !== undefined) {
      errors.push({ pointer: relAt, message: `The relationship "${relationship}" of ${name} has the same name as the field "${clashField}" (names are case-insensitive). Set another "relationshipName"` });
    } else if (clashRel !== undefined) {
      errors.push({ pointer: relAt, message: `The relationship "${relationship}" of ${name} has the same name as the relationship of ${clashRel}. Set another "relationshipName"` });
    } else {
      relationships.set(relationship.toLowerCase(), name);
    }
  }
  return errors;
}

interface RawField {
  readonly type: ScalarTypeName;
  readonly label?: string;
  readonly description?: string;
  readonly references?: string;
  readonly relationshipName?: string;
  readonly values?: readonly string[];
}

interface RawObject {
  readonly name: string;
  readonly label?: string;
  readonly description?: string;
  readonly fields: Readonly<Record<string, ScalarTypeName | RawField>>;
}

/** A valid definition (already checked) as an immutable ObjectDefinition. */
function normalize(raw: RawObject, file: string | undefined): ObjectDefinition {
  const fields: FieldDefinition[] = Object.entries(raw.fields).map(([name, spec]) => {
    const f: RawField = typeof spec === 'string' ? { type: spec } : spec;
    const relationshipName = f.references !== undefined ? (f.relationshipName ?? defaultRelationshipName(name)) : undefined;
    return Object.freeze({
      name,
      type: f.type,
      label: f.label ?? name,
      ...(f.description !== undefined ? { description: f.description } : {}),
      ...(f.references !== undefined ? { references: f.references, relationshipName } : {}),
      ...(f.values !== undefined ? { values: Object.freeze([...f.values]) } : {}),
    } as FieldDefinition);
  });
  return Object.freeze({
    name: raw.name,
    label: raw.label ?? raw.name,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    fields: Object.freeze(fields),
    ...(file !== undefined ? { file } : {}),
  });
}

/** Validates one definition: every schema error and every semantic error, located. */
function validateDefinition(def: unknown, file: string | undefined): { definition?: ObjectDefinition; errors: CatalogError[] } {
  const validate = validator();
  const errors: CatalogError[] = [];
  const seen = new Set<string>();
  const object = isObject(def) && typeof def['name'] === 'string' ? def['name'] : undefined;
  const push = (e: CatalogError): void => {
    const key = `${e.pointer}\u0000${e.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    errors.push({ ...e, ...(file !== undefined ? { file } : {}), ...(object !== undefined ? { object } : {}) });
  };
  if (!isObject(def)) {
    push({ pointer: '', message: `An object definition must be a JSON object, not ${jsonType(def)}` });
    return { errors };
  }
  if (!validate(def)) {
    for (const e of validate.errors ?? []) {
      const t = translate(e);
      if (t !== undefined) push(t);
    }
  }
  for (const e of semanticErrors(def)) push(e);
  if (errors.length > 0) return { errors: errors.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0)) };
  return { definition: normalize(def as unknown as RawObject, file), errors };
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
