import { distance } from 'fastest-levenshtein';
/** The scalar data types of the formula language. */
export const SCALAR_TYPES = ['Number', 'Currency', 'Percent', 'Text', 'Boolean', 'Date', 'DateTime', 'Time', 'Geolocation', 'Picklist', 'MultiPicklist', 'Id'] as const;
export type ScalarTypeName = (typeof SCALAR_TYPES)[number];

/** A field of a record type: its declared name (case preserved) and type. */
export interface FieldEntry {
  readonly name: string;
  readonly type: FormulaType;
}

/** A record (an object's fields, or a relationship). Field names are matched case-insensitively. */
export interface RecordType {
  readonly kind: 'record';
  /** The object's API name, when known (`Case`, `Contact`). */
  readonly object?: string;
  /** Keyed by lower-cased field name. */
  readonly fields: ReadonlyMap<string, FieldEntry>;
}

/** A list (list constants and list parameters, the sources of list templates). */
export interface ListType {
  readonly kind: 'list';
  readonly element: FormulaType;
}

/**
 * A formula type: a scalar, `Null` (the type of the `NULL` literal, which fits anywhere),
 * a record or a list. `Unknown` marks an expression that already has an error, so one
 * mistake does not cascade into many diagnostics.
 */
export type FormulaType = ScalarTypeName | 'Null' | 'Unknown' | RecordType | ListType;

/**
 * How callers describe types on the wire: a scalar type name, an object of field → spec for
 * a record or relationship (`{"Account": {"Name": "Text"}}`), or a one-element array for a list
 * (`[{"Name": "Text"}]`).
 */
export type TypeSpec = ScalarTypeName | { readonly [field: string]: TypeSpec } | readonly [TypeSpec];

export const NUMERIC_TYPES: ReadonlySet<string> = new Set(['Number', 'Currency', 'Percent']);

export function isScalar(t: FormulaType): t is ScalarTypeName {
  return typeof t === 'string' && t !== 'Null' && t !== 'Unknown';
}

export function isNumeric(t: FormulaType): boolean {
  // Compared directly (three interned strings) rather than looked up in NUMERIC_TYPES: the type checker asks for every argument.
  return t === 'Number' || t === 'Currency' || t === 'Percent';
}

export function typeName(t: FormulaType): string {
  if (typeof t === 'string') return t;
  if (t.kind === 'list') return `List<${typeName(t.element)}>`;
  return t.object !== undefined ? `${t.object} record` : 'Record';
}

export function recordType(fields: Iterable<FieldEntry>, object?: string): RecordType {
  const map = new Map<string, FieldEntry>();
  for (const f of fields) map.set(f.name.toLowerCase(), f);
  return object === undefined ? { kind: 'record', fields: map } : { kind: 'record', object, fields: map };
}

export const EMPTY_RECORD: RecordType = recordType([]);

/** A problem in a type spec, with the JSON pointer of the offending part. */
export interface TypeSpecError {
  readonly pointer: string;
  readonly message: string;
}

const SCALAR_BY_LOWER = new Map<string, ScalarTypeName>(SCALAR_TYPES.map((t) => [t.toLowerCase(), t]));

const SCALAR_EXACT = new Map<string, ScalarTypeName>(SCALAR_TYPES.map((t) => [t, t]));

/** Parses a scalar type name, case-insensitively. */
export function parseScalarTypeName(name: string): ScalarTypeName | undefined {
  return SCALAR_EXACT.get(name) ?? SCALAR_BY_LOWER.get(name.toLowerCase());
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Turns a wire type spec into a formula type, collecting every problem with its JSON pointer. */
export function parseTypeSpec(spec: unknown, pointer = '', errors: TypeSpecError[] = []): FormulaType {
  if (typeof spec === 'string') {
    const t = parseScalarTypeName(spec);
    if (t === undefined) errors.push({ pointer, message: `Unknown type '${spec}'. Expected one of ${SCALAR_TYPES.join(', ')}` });
    return t ?? 'Unknown';
  }
  if (Array.isArray(spec)) {
    if (spec.length !== 1) {
      errors.push({ pointer, message: 'A list type is written as an array with exactly one element type, for example ["Text"]' });
      return 'Unknown';
    }
    return { kind: 'list', element: parseTypeSpec(spec[0], `${pointer}/0`, errors) };
  }
  if (spec !== null && typeof spec === 'object') {
    if (isBuiltType(spec)) return spec;
    return parseRecordSpec(spec as Record<string, unknown>, pointer, errors);
  }
  errors.push({ pointer, message: `A type must be a type name, an object of fields or a one-element array, not ${spec === null ? 'null' : typeof spec}` });
  return 'Unknown';
}

/** An already built record or list type (from the object catalog), passed through as is. */
function isBuiltType(spec: object): spec is RecordType | ListType {
  const t = spec as { kind?: unknown; fields?: unknown; element?: unknown };
  return (t.kind === 'record' && t.fields instanceof Map) || (t.kind === 'list' && t.element !== undefined);
}

/**
 * Whether `name` is a field name, `/^[A-Za-z_][A-Za-z0-9_]*$/`, tested by a loop over its code
 * units (every field of every fresh spec is tested: no regular expression call per name).
 */
function isFieldName(name: string): boolean {
  const length = name.length;
  if (length === 0) return false;
  for (let i = 0; i < length; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    if (!letter && (i === 0 || c < 48 || c > 57)) return false;
  }
  return true;
}

/**
 * Top-level entries of `fields` that declare a Salesforce global's members (`"$User": {…}`):
 * the globals whose values the caller gives (src/formula/typecheck CALLER_GLOBALS).
 */
const GLOBAL_NAME = /^\$(?:User|Organization|Profile|UserRole|Label|Setup|Permission|Api)$/i;

/**
 * What a record spec held when it was parsed: its keys and values (by identity) and, for each
 * value that is itself a record spec, that spec's snapshot. The type can be reused as long as
 * the spec still holds the same.
 */
interface SpecSnapshot {
  readonly type: RecordType;
  readonly keys: readonly string[];
  readonly values: readonly unknown[];
  /** By key index, the snapshot of each value that is a record spec; undefined when none is (the common case). */
  readonly nested: ReadonlyArray<SpecSnapshot | undefined> | undefined;
  /** False when the type holds something the snapshot does not follow (a list type, built from an array). */
  readonly reusable: boolean;
  /** True when the spec held only type-name strings and plain objects of the same (what `sameContent` compares). */
  readonly plain: boolean;
  /** Whether top-level `$User`-style global entries were accepted (the `fields` of a formula). */
  readonly globals: boolean;
}

/**
 * Record types parsed from spec objects without errors, by spec object. Callers pass the same
 * field spec to compile after compile; checking that it still holds what it held is much
 * cheaper than parsing it again, and a spec changed in place is parsed again. Each formula
 * engine owns one (no state is shared between engines).
 */
export class SpecCache {
  private readonly parsed = new WeakMap<object, SpecSnapshot>();
  /**
   * The same, by content: a server or a batch builds a fresh `fields` object per request, equal
   * to the last one. Snapshots of specs made only of type-name strings and plain objects, found by
   * their first key and compared key by key and value by value with the spec (no JSON text, no
   * hashing of the whole spec); the least recently used first keys dropped, and at most
   * MAX_BUCKET specs per first key.
   */
  private readonly byContent = new Map<string, SpecSnapshot[]>();
  /** The same for `fields` specs, where top-level `$User`-style entries are globals. */
  private readonly globalsByContent = new Map<string, SpecSnapshot[]>();
  /** The bucket used last (already at the end of its map). */
  private lastBucket: SpecSnapshot[] | undefined;

  constructor(private readonly contentEntries = 256) {}

  /** Parses `{field: spec}` as a record type, reusing an earlier parse of the same, unchanged object or of an equal one. */
  parseRecordSpec(spec: Record<string, unknown>, pointer = '', errors: TypeSpecError[] = [], globals = false): RecordType {
    const cached = this.parsed.get(spec);
    if (cached !== undefined && cached.globals === globals && stillHolds(spec, cached)) return cached.type;
    return this.parseNew(spec, Object.keys(spec), pointer, errors, globals);
  }

  /**
   * A compile option's record (`fields`, `constants`, `parameters`): an already built record type
   * as it is, else the spec parsed as by parseRecordSpec. A built type is recognised from the
   * spec's own keys, which parsing reads anyway: reading `spec.kind` from a spec object of a new
   * shape (every fresh spec with other field names) is a property lookup V8 does in its runtime.
   */
  recordOption(spec: object, pointer: string, errors: TypeSpecError[], globals: boolean): RecordType {
    const cached = this.parsed.get(spec);
    if (cached !== undefined && cached.globals === globals && stillHolds(spec as Record<string, unknown>, cached)) return cached.type;
    const keys = Object.keys(spec);
    if (isBuiltRecord(spec, keys)) return spec;
    return this.parseNew(spec as Record<string, unknown>, keys, pointer, errors, globals);
  }

  /** A spec object not seen before (or changed): by content, else parsed. Kept apart so the identity path above stays small. */
  private parseNew(spec: Record<string, unknown>, keys: string[], pointer: string, errors: TypeSpecError[], globals: boolean): RecordType {
    // The first key: a property name, so its hash is already computed (a key built by concatenation would be hashed on every lookup).
    const key = this.contentEntries > 0 ? (keys[0] ?? '') : undefined;
    const byContent = globals ? this.globalsByContent : this.byContent;
    const bucket = key === undefined ? undefined : byContent.get(key);
    if (bucket !== undefined) {
      for (let i = 0; i < bucket.length; i++) {
        const same = bucket[i] as SpecSnapshot;
        if (same.globals !== globals || !sameContent(spec, keys, same)) continue;
        if (i > 0) {
          bucket.splice(i, 1);
          bucket.unshift(same);
        }
        if (bucket !== this.lastBucket) {
          // Least recently used first: a hit moves its bucket to the end.
          byContent.delete(key as string);
          byContent.set(key as string, bucket);
          this.lastBucket = bucket;
        }
        return same.type;
      }
    }
    const before = errors.length;
    const snapshot = readRecordSpec(spec, keys, pointer, errors, globals);
    if (snapshot.reusable && errors.length === before) {
      this.parsed.set(spec, snapshot);
      if (key !== undefined && snapshot.plain) this.remember(byContent, key, bucket, snapshot);
    }
    return snapshot.type;
  }

  private remember(byContent: Map<string, SpecSnapshot[]>, key: string, bucket: SpecSnapshot[] | undefined, snapshot: SpecSnapshot): void {
    if (bucket !== undefined) {
      bucket.unshift(snapshot);
      if (bucket.length > MAX_BUCKET) bucket.length = MAX_BUCKET;
      byContent.delete(key);
    }
    const kept = bucket ?? [snapshot];
    byContent.set(key, kept);
    this.lastBucket = kept;
    if (byContent.size > this.contentEntries) byContent.delete(byContent.keys().next().value as string);
  }
}

/** Whether `spec` (own keys `keys`) is a built record type (`kind: 'record'` and a `fields` Map), not a spec. */
function isBuiltRecord(spec: object, keys: readonly string[]): spec is RecordType {
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === 'kind') {
      const t = spec as { kind?: unknown; fields?: unknown };
      return t.kind === 'record' && t.fields instanceof Map;
    }
  }
  return false;
}

/** Snapshots kept per content bucket (specs with the same first key). */
const MAX_BUCKET = 16;

/**
 * Whether `spec` (own keys `keys`) holds what a plain snapshot read: the same keys in the same
 * order, the same type names, and nested specs that hold what the nested snapshots read.
 */
function sameContent(spec: Record<string, unknown>, keys: readonly string[], snapshot: SpecSnapshot): boolean {
  if (keys.length !== snapshot.keys.length || !snapshot.plain) return false;
  const proto = Object.getPrototypeOf(spec) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== snapshot.keys[i]) return false;
    const value = spec[key];
    const nested = snapshot.nested === undefined ? undefined : snapshot.nested[i];
    if (nested === undefined) {
      if (typeof value !== 'string' || value !== snapshot.values[i]) return false;
    } else if (value === null || typeof value !== 'object' || Array.isArray(value) || !sameContent(value as Record<string, unknown>, Object.keys(value), nested)) {
      return false;
    }
  }
  return true;
}

function stillHolds(spec: Record<string, unknown>, snapshot: SpecSnapshot): boolean {
  const keys = Object.keys(spec);
  if (keys.length !== snapshot.keys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== snapshot.keys[i]) return false;
    const value = spec[key];
    if (value !== snapshot.values[i]) return false;
    const nested = snapshot.nested === undefined ? undefined : snapshot.nested[i];
    if (nested !== undefined && !stillHolds(value as Record<string, unknown>, nested)) return false;
  }
  return true;
}

/** The globals a caller (or a component's `globals`) may declare, as written in formulas. */
export const DECLARABLE_GLOBALS = ['$User', '$Organization', '$Profile', '$UserRole', '$Label', '$Setup', '$Permission', '$Api'] as const;

/**
 * Parses a `globals` declaration, `{"$User": {"FirstName": "Text"}, "$Label": {"Greeting": "Text"}}`,
 * into a record type whose entries are the globals (read by formulas as `fields` entries).
 * Every key must be a declarable global and every value an object of member → type.
 */
export function parseGlobalsSpec(spec: unknown, pointer: string, errors: TypeSpecError[]): RecordType {
  if (spec === undefined) return EMPTY_RECORD;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    errors.push({ pointer, message: 'globals must be an object of global → members, such as {"$User": {"FirstName": "Text"}}' });
    return EMPTY_RECORD;
  }
  const valid: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(spec as Record<string, unknown>)) {
    if (!GLOBAL_NAME.test(name)) {
      const close = DECLARABLE_GLOBALS.filter((g) => distance(g.toLowerCase(), name.toLowerCase()) <= 2);
      const hint = close.length > 0 ? ` Did you mean ${close.join(', ')}?` : '';
      errors.push({ pointer: `${pointer}/${escapePointer(name)}`, message: `'${name}' is not a global a component can declare.${hint} Declarable: ${DECLARABLE_GLOBALS.join(', ')}` });
      continue;
    }
    valid[name] = inner;
  }
  return parseRecordSpec(valid, pointer, errors, true);
}

/** A record type with the entries of a globals record type added (for formulas over an option's record). */
export function withGlobals(record: RecordType, globals: RecordType): RecordType {
  return globals.fields.size === 0 ? record : recordType([...record.fields.values(), ...globals.fields.values()]);
}

/** Parses `{field: spec}` as a record type; `globals` accepts top-level `$User`-style entries. */
export function parseRecordSpec(spec: Record<string, unknown>, pointer = '', errors: TypeSpecError[] = [], globals = false): RecordType {
  return readRecordSpec(spec, Object.keys(spec), pointer, errors, globals).type;
}

/**
 * Parses a record spec (own keys `keys`), collecting errors, and notes what it read. The values
 * come from `Object.values` (the same order as `Object.keys`), not by a lookup per key: a fresh
 * spec has a shape V8 has not seen, and a lookup by key on it runs in V8's runtime.
 */
function readRecordSpec(spec: Record<string, unknown>, keys: string[], pointer: string, errors: TypeSpecError[], globals = false): SpecSnapshot {
  const map = new Map<string, FieldEntry>();
  const values = Object.values(spec);
  let nested: Array<SpecSnapshot | undefined> | undefined;
  let reusable = true;
  const proto = Object.getPrototypeOf(spec) as unknown;
  let plain = proto === Object.prototype || proto === null;
  for (let k = 0; k < keys.length; k++) {
    const name = keys[k] as string;
    const inner = values[k];
    // Only a name starting with `$` can be a global (GLOBAL_NAME), and such a name is never a field name.
    const global = globals && name.charCodeAt(0) === 36 && GLOBAL_NAME.test(name);
    if (!global && !isFieldName(name)) {
      errors.push({ pointer: `${pointer}/${escapePointer(name)}`, message: `'${name}' is not a valid field name: use letters, digits and underscores, starting with a letter` });
      continue;
    }
    if (global && (inner === null || typeof inner !== 'object' || Array.isArray(inner) || isBuiltType(inner))) {
      errors.push({ pointer: `${pointer}/${escapePointer(name)}`, message: `${name} is a global: describe its members as an object, such as {"${name}": {"Name": "Text"}}` });
      continue;
    }
    const key = name.toLowerCase();
    const previous = map.get(key);
    if (previous !== undefined) {
      errors.push({ pointer: `${pointer}/${escapePointer(name)}`, message: `Field '${name}' is declared twice (field names are case-insensitive; see '${previous.name}')` });
      continue;
    }
    let type: FormulaType | undefined = typeof inner === 'string' ? parseScalarTypeName(inner) : undefined;
    if (type === undefined && inner !== null && typeof inner === 'object' && !Array.isArray(inner) && !isBuiltType(inner)) {
      // A relationship: parsed here rather than by parseTypeSpec, to keep its snapshot.
      const inside = readRecordSpec(inner as Record<string, unknown>, Object.keys(inner), `${pointer}/${escapePointer(name)}`, errors);
      nested ??= new Array<SpecSnapshot | undefined>(keys.length).fill(undefined);
      nested[k] = inside;
      reusable &&= inside.reusable;
      plain &&= inside.plain;
      type = inside.type;
    }
    else if (typeof inner !== 'string') plain = false;
    if (type === undefined) {
      // A list type is a new object built from an array, which the snapshot does not follow.
      if (Array.isArray(inner)) reusable = false;
      type = parseTypeSpec(inner, `${pointer}/${escapePointer(name)}`, errors);
    }
    map.set(key, { name, type });
  }
  return { type: { kind: 'record', fields: map }, keys, values, nested, reusable, plain, globals };
}

/** The type both `a` and `b` can be widened to, if any (IF branches, CASE results, comparisons). */
export function unify(a: FormulaType, b: FormulaType): FormulaType | undefined {
  if (a === 'Unknown' || b === 'Unknown') return 'Unknown';
  if (a === 'Null') return b;
  if (b === 'Null') return a;
  if (a === b) return a;
  if (isNumeric(a) && isNumeric(b)) return a === 'Currency' || b === 'Currency' ? 'Currency' : 'Number';
  if ((a === 'Text' && b === 'Id') || (a === 'Id' && b === 'Text')) return 'Text';
  return undefined;
}

/** Whether a formula result of type `actual` may be returned where `expected` is declared. */
export function isAssignable(expected: ScalarTypeName, actual: FormulaType): boolean {
  if (actual === 'Null' || actual === 'Unknown' || actual === expected) return true;
  if (isNumeric(expected) && isNumeric(actual)) return true;
  if (expected === 'Text' && (actual === 'Id' || actual === 'Picklist')) return true;
  if (expected === 'Id' && actual === 'Text') return true;
  return false;
}
