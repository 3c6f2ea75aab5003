/**
 * What names mean at one place: the record's fields, constants, parameters, `$ListItem` and the
 * list templates, as formula types; and how to walk a field path through them.
 */
import { CALLER_GLOBALS } from '../formula/typecheck/typecheck.js';
import { EMPTY_RECORD, parseRecordSpec, parseTypeSpec, type FieldEntry, type FormulaType, type RecordType } from '../formula/types.js';
import type { FieldsSpec } from '../formula/formula.js';
import type { CatalogView, FieldDefinition, FormulaContext } from './types.js';

export interface Scope {
  readonly fields: RecordType;
  readonly constants: RecordType;
  readonly parameters: RecordType;
  /** Present inside a list template's item template. */
  readonly listItem?: FormulaType;
  /** Present in templates: the list templates `$ListTemplates.X` may name. */
  readonly listTemplates?: readonly string[];
  readonly returnType?: string;
  /** `$Constants.Name` / `$Parameters.Name` → description. */
  readonly descriptions: Readonly<Record<string, string>>;
  readonly catalog?: CatalogView;
}

function isRecordType(spec: unknown): spec is RecordType {
  return spec !== null && typeof spec === 'object' && (spec as RecordType).kind === 'record' && (spec as RecordType).fields instanceof Map;
}

/** A record type from a spec, tolerating mistakes (a bad entry is left out: diagnostics report it). */
export function recordOf(spec: FieldsSpec | undefined, globals = false): RecordType {
  if (spec === undefined || spec === null || typeof spec !== 'object' || Array.isArray(spec)) return EMPTY_RECORD;
  if (isRecordType(spec)) return spec;
  return parseRecordSpec(spec as Record<string, unknown>, '', [], globals);
}

/** The record type of a catalog object, or undefined when it is unknown or cannot be resolved. */
export function catalogRecord(catalog: CatalogView | undefined, object: string): RecordType | undefined {
  if (catalog === undefined) return undefined;
  try {
    return catalog.recordType(object);
  } catch {
    return undefined;
  }
}

export function scopeOf(context: FormulaContext, catalog: CatalogView | undefined): Scope {
  const fields = context.object !== undefined ? (catalogRecord(catalog, context.object) ?? EMPTY_RECORD) : recordOf(context.fields, true);
  const listItem = context.listItem === undefined ? undefined : isRecordType(context.listItem.value) ? context.listItem.value : parseTypeSpec(context.listItem.value);
  return {
    fields,
    constants: recordOf(context.constants),
    parameters: recordOf(context.parameters),
    ...(listItem !== undefined ? { listItem } : {}),
    ...(context.listTemplates !== undefined ? { listTemplates: context.listTemplates.map((l) => l.name) } : {}),
    ...(context.returnType !== undefined ? { returnType: context.returnType } : {}),
    descriptions: context.descriptions ?? {},
    ...(catalog !== undefined ? { catalog } : {}),
  };
}

/** `$ListItem` members (typecheck.ts has the same table). */
export const LIST_ITEM_MEMBERS: readonly FieldEntry[] = [
  { name: 'Index', type: 'Number' },
  { name: 'Value', type: 'Unknown' },
  { name: 'IsFirst', type: 'Boolean' },
  { name: 'IsLast', type: 'Boolean' },
];

/** What a path prefix names: a record whose fields come next, or one of the special globals. */
export type PathTarget =
  | { readonly kind: 'record'; readonly type: RecordType; readonly role: 'field' | 'constant' | 'parameter' }
  | { readonly kind: 'listItem' }
  | { readonly kind: 'system' }
  | { readonly kind: 'listTemplates' };

/** Resolves the segments of a path (the global first, without `$`) to what its next segment is chosen from. */
export function resolvePrefix(scope: Scope, global: boolean, segments: readonly string[]): PathTarget | undefined {
  let target: PathTarget | undefined;
  let rest = segments;
  if (!global) target = { kind: 'record', type: scope.fields, role: 'field' };
  else {
    const head = (segments[0] ?? '').toLowerCase();
    rest = segments.slice(1);
    if (head === 'constants') target = { kind: 'record', type: scope.constants, role: 'constant' };
    else if (head === 'parameters') target = { kind: 'record', type: scope.parameters, role: 'parameter' };
    else if (head === 'system') target = { kind: 'system' };
    else if (head === 'listtemplates') target = { kind: 'listTemplates' };
    else if (head === 'listitem') {
      if (scope.listItem === undefined) return undefined;
      if (rest.length === 0) return { kind: 'listItem' };
      if (rest[0]?.toLowerCase() !== 'value' || typeof scope.listItem === 'string' || scope.listItem.kind !== 'record') return undefined;
      target = { kind: 'record', type: scope.listItem, role: 'field' };
      rest = rest.slice(1);
    } else {
      const entry = scope.fields.fields.get(`$${head}`);
      if (entry === undefined || typeof entry.type === 'string' || entry.type.kind !== 'record') return undefined;
      target = { kind: 'record', type: entry.type, role: 'field' };
    }
  }
  for (const seg of rest) {
    if (target?.kind !== 'record') return undefined;
    const entry = target.type.fields.get(seg.toLowerCase());
    if (entry === undefined || typeof entry.type === 'string' || entry.type.kind !== 'record') return undefined;
    target = { kind: 'record', type: entry.type, role: 'field' };
  }
  return target;
}

/** The catalog's definition of a field of a record type (its label, description, picklist values). */
export function fieldDefinition(scope: Scope, record: RecordType, name: string): FieldDefinition | undefined {
  if (record.object === undefined || scope.catalog === undefined) return undefined;
  const lower = name.toLowerCase();
  return scope.catalog.get(record.object)?.fields.find((f) => f.name.toLowerCase() === lower);
}

/** The caller globals (`$User`…) this scope declares, as written in `fields`. */
export function declaredGlobals(scope: Scope): string[] {
  const known = new Set(CALLER_GLOBALS.map((g) => g.toLowerCase()));
  return [...scope.fields.fields.values()].filter((f) => known.has(f.name.toLowerCase())).map((f) => f.name);
}
