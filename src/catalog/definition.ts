/**
 * Object definitions (schemas/object.schema.json): their normalized shape, and their validation,
 * the schema's errors and the semantic ones (API names, relationships, picklist values), each
 * located by a JSON pointer. The catalog that holds them is src/catalog/catalog.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { ajvModule } from '../lazy-modules.js';
import { distance } from 'fastest-levenshtein';
import { SCALAR_TYPES, type ScalarTypeName } from '../formula/types.js';
import { packageRoot } from '../package-files.js';

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

/** `file: /pointer: message`, leaving out the parts that are absent. */
export function formatCatalogError(e: CatalogError): string {
  const where = [e.file, e.pointer === '' ? undefined : e.pointer].filter((p) => p !== undefined).join(': ');
  return where === '' ? e.message : `${where}: ${e.message}`;
}

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

export function escapePointer(s: string): string {
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
export function validateDefinition(def: unknown, file: string | undefined): { definition?: ObjectDefinition; errors: CatalogError[] } {
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
