/**
 * How a component's constants and parameters look to formulas and templates: their formula
 * types (against the object catalog) and the constants' values.
 */
import { distance } from 'fastest-levenshtein';
import { ObjectCatalog, ObjectCatalogError } from '../catalog/catalog.js';
import { parseGlobalsSpec, recordType, type FieldEntry, type RecordType } from '../formula/types.js';
import { formulaTypeOf } from './formula-types.js';
import type { ComponentDefinition, ConstantDeclaration, Option } from './model.js';

export { formulaTypeOf, OPTION_RECORD, TIME_SLOT_RECORD } from './formula-types.js';

let defaultCatalog: ObjectCatalog | undefined;

/** The shared built-in catalog (only read, never added to). */
export function builtinCatalog(): ObjectCatalog {
  return (defaultCatalog ??= ObjectCatalog.builtin());
}

/** The record type of a catalog object, or a message saying why there is none. */
export function objectRecordType(catalog: ObjectCatalog, name: string): { type?: RecordType; problem?: string } {
  const def = catalog.get(name);
  if (def === undefined) {
    const close = suggest(name, catalog.names());
    const hint = close.length > 0 ? ` Did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '';
    return { problem: `The object "${name}" is not in the catalog.${hint} Known objects: ${catalog.names().join(', ')}` };
  }
  try {
    return { type: catalog.recordType(def.name) as RecordType };
  } catch (e) {
    if (!(e instanceof ObjectCatalogError)) throw e;
    return { problem: `The object "${def.name}" cannot be used: ${e.errors.map((x) => x.message).join('; ')}` };
  }
}

/** The formula types of a (valid) component's constants, parameters and declared globals. */
export function componentDataTypes(component: ComponentDefinition, catalog: ObjectCatalog = builtinCatalog()): { constants: RecordType; parameters: RecordType; globals: RecordType } {
  const constants = Object.entries(component.constants ?? {}).map(([name, c]): FieldEntry => ({ name, type: formulaTypeOf(c.type, undefined) }));
  const parameters = Object.entries(component.parameters ?? {}).map(([name, p]): FieldEntry => {
    const object = 'object' in p ? objectRecordType(catalog, p.object).type : undefined;
    return { name, type: formulaTypeOf(p.type, object) };
  });
  return { constants: recordType(constants), parameters: recordType(parameters), globals: parseGlobalsSpec(component.globals, '/globals', []) };
}

/** An option as templates and formulas see it: every field present, `Id` defaulting to the Name. */
export function normalizeOption(o: Option): Record<string, string | null> {
  return { Name: o.Name, Subtitle: o.Subtitle ?? null, Image: o.Image ?? null, Id: o.Id ?? o.Name };
}

/** The constants' values, ready for `render({constants})`: wire values; options normalized. */
export function constantValuesOf(component: ComponentDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(component.constants ?? {}) as Array<[string, ConstantDeclaration]>) {
    out[name] = c.type === 'List<Option>' ? c.value.map(normalizeOption) : c.value;
  }
  return out;
}

/** Up to three candidates within a small edit distance (case-insensitive), closest first. */
export function suggest(word: string, candidates: Iterable<string>): string[] {
  const w = word.toLowerCase();
  const limit = w.length <= 3 ? 1 : w.length <= 6 ? 2 : 3;
  return [...candidates]
    .map((c) => ({ c, d: distance(w, c.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => x.c);
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const close = suggest(word, candidates);
  return close.length > 0 ? ` Did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '';
}
