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
  return typeof t === 'string' && NUMERIC_TYPES.has(t);
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

/** Parses a scalar type name, case-insensitively. */
export function parseScalarTypeName(name: string): ScalarTypeName | undefined {
  return SCALAR_BY_LOWER.get(name.toLowerCase());
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

/** Parses `{field: spec}` as a record type. */
export function parseRecordSpec(spec: Record<string, unknown>, pointer = '', errors: TypeSpecError[] = []): RecordType {
  const fields: FieldEntry[] = [];
  const seen = new Map<string, string>();
  for (const [name, inner] of Object.entries(spec)) {
    const at = `${pointer}/${escapePointer(name)}`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      errors.push({ pointer: at, message: `'${name}' is not a valid field name: use letters, digits and underscores, starting with a letter` });
      continue;
    }
    const previous = seen.get(name.toLowerCase());
    if (previous !== undefined) {
      errors.push({ pointer: at, message: `Field '${name}' is declared twice (field names are case-insensitive; see '${previous}')` });
      continue;
    }
    seen.set(name.toLowerCase(), name);
    fields.push({ name, type: parseTypeSpec(inner, at, errors) });
  }
  return recordType(fields);
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
