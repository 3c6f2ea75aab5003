/**
 * A channel's global merge fields (docs/auto-responses.md#globals): `globals` declares the
 * Salesforce globals the channel's auto-response components may read, with their members' types
 * (the shape of a component's `globals`), and `globalValues` gives their values. Validation of both
 * (called by `validateChannelSettings`), and how a component's own declaration combines with the
 * channel's when the channel renders it: the union of both, where a member declared by both must
 * have the same type.
 */
import { didYouMean } from '../component/data.js';
import { escapePointer } from '../component/schema.js';
import { decodeRuntimeValue, INPUT_FORMS } from '../formula/runtime/values.js';
import { DECLARABLE_GLOBALS, EMPTY_RECORD, isScalar, parseGlobalsSpec, typeName, type FormulaType, type RecordType, type TypeSpecError } from '../formula/types.js';
import { ConsentSettingsErrorCode as C, ConsentSettingsWarningCode as W, type SettingsProblem } from './problems.js';

/** A globals declaration: global → member → type, `{"$Organization": {"Name": "Text"}}`. */
export type GlobalsDeclaration = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Values of declared globals: global → member → value, `{"$Organization": {"Name": "Acme"}}`. */
export type GlobalValues = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/**
 * Checks `globals` and `globalValues` of channel settings. `globals`: every key a declarable global
 * (E_UNKNOWN_GLOBAL, with the closest names), every member type a type (E_INVALID_VALUE).
 * `globalValues`: every global declared (E_UNKNOWN_GLOBAL), every member declared (E_UNKNOWN_FIELD,
 * with the closest members), every value of its member's type (E_INVALID_VALUE); a declared member
 * without a value is a warning (W_GLOBAL_VALUE_MISSING): it reads as blank. Returns the valid parts.
 */
export function checkChannelGlobals(input: Record<string, unknown>, errors: SettingsProblem[], warnings: SettingsProblem[]): { globals?: GlobalsDeclaration; globalValues?: GlobalValues } {
  const specErrors: TypeSpecError[] = [];
  const declared = parseGlobalsSpec(input.globals, '/globals', specErrors);
  for (const e of specErrors) {
    const unknown = /is not a global/.test(e.message);
    const code = unknown ? C.UnknownGlobal : e.pointer === '/globals' ? C.NotAnObject : C.InvalidValue;
    errors.push({ pointer: e.pointer, code, message: unknown ? e.message.replace('a component can declare', 'a channel can declare') : e.message });
  }
  const globals = input.globals !== undefined && specErrors.length === 0 ? (input.globals as GlobalsDeclaration) : undefined;
  const given = input.globalValues;
  if (given !== undefined && !isObject(given)) {
    errors.push({ pointer: '/globalValues', code: C.NotAnObject, message: `"globalValues" is an object of global → member values, such as {"$Organization": {"Name": "Acme"}}; received ${shown(given)}` });
    return globals !== undefined ? { globals } : {};
  }
  const before = errors.length;
  // A global whose declaration has an error is reported there once: its values aren't checked.
  const broken = new Set(specErrors.map((e) => e.pointer.split('/')[2]).filter((k): k is string => k !== undefined).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~').toLowerCase()));
  for (const [name, value] of Object.entries(given ?? {})) {
    const pointer = `/globalValues/${escapePointer(name)}`;
    if (broken.has(name.toLowerCase())) continue;
    const entry = declared.fields.get(name.toLowerCase());
    if (entry === undefined || !isRecord(entry.type)) {
      const names = [...declared.fields.values()].map((f) => f.name);
      const hint = didYouMean(name, names.length > 0 ? names : DECLARABLE_GLOBALS);
      const list = names.length > 0 ? ` The channel declares: ${names.join(', ')}.` : ' The channel declares no globals.';
      errors.push({ pointer, code: C.UnknownGlobal, message: `"${name}" is not a global the channel declares.${hint}${list} Declare it in "globals" with its members' types first.` });
      continue;
    }
    if (!isObject(value)) {
      errors.push({ pointer, code: C.NotAnObject, message: `The value of ${entry.name} is an object of member → value; received ${shown(value)}` });
      continue;
    }
    checkMembers(value, entry.type, entry.name, pointer, errors);
  }
  if (globals !== undefined) missingValues(declared, (given ?? {}) as Record<string, unknown>, warnings);
  const values = given !== undefined && errors.length === before ? { globalValues: given as GlobalValues } : {};
  return { ...(globals !== undefined ? { globals } : {}), ...values };
}

function isRecord(t: FormulaType): t is RecordType {
  return typeof t === 'object' && t.kind === 'record';
}

/** The members of one global's (or relationship's) value against their declared types. */
function checkMembers(value: Record<string, unknown>, type: RecordType, path: string, pointer: string, errors: SettingsProblem[]): void {
  for (const [member, v] of Object.entries(value)) {
    const at = `${pointer}/${escapePointer(member)}`;
    const entry = type.fields.get(member.toLowerCase());
    if (entry === undefined) {
      const names = [...type.fields.values()].map((f) => f.name);
      errors.push({ pointer: at, code: C.UnknownGlobalMember, message: `${path} has no member "${member}" in the channel's "globals".${didYouMean(member, names)}${names.length > 0 ? ` Declared: ${names.join(', ')}.` : ''}` });
      continue;
    }
    const t = entry.type;
    const where = `${path}.${entry.name}`;
    if (isScalar(t)) {
      if (decodeRuntimeValue(t, v) === undefined) errors.push({ pointer: at, code: C.InvalidValue, message: `${where} is ${t}: its value is ${INPUT_FORMS[t]}; received ${shown(v)}` });
    } else if (isRecord(t)) {
      if (v === null) continue;
      if (!isObject(v)) errors.push({ pointer: at, code: C.InvalidValue, message: `${where} is a relationship: its value is an object of its fields, or null; received ${shown(v)}` });
      else checkMembers(v, t, where, at, errors);
    } else if (typeof t === 'object' && t.kind === 'list' && v !== null && !Array.isArray(v)) {
      errors.push({ pointer: at, code: C.InvalidValue, message: `${where} is ${typeName(t)}: its value is an array; received ${shown(v)}` });
    }
  }
}

/** A warning at each declared top-level member without a value: it reads as blank. */
function missingValues(declared: RecordType, given: Record<string, unknown>, warnings: SettingsProblem[]): void {
  const givenByLower = new Map(Object.entries(given).map(([k, v]) => [k.toLowerCase(), v]));
  for (const g of declared.fields.values()) {
    if (!isRecord(g.type)) continue;
    const value = givenByLower.get(g.name.toLowerCase());
    const members = new Set(isObject(value) ? Object.keys(value).map((k) => k.toLowerCase()) : []);
    for (const m of g.type.fields.values()) {
      if (members.has(m.name.toLowerCase())) continue;
      warnings.push({ pointer: `/globals/${escapePointer(g.name)}/${escapePointer(m.name)}`, code: W.GlobalValueMissing, message: `${g.name}.${m.name} has no value in "globalValues": the channel's auto-response components read it as blank` });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// A component rendered for the channel

/** A disagreement between a component's declared globals and its channel's, or a member the channel doesn't provide. */
export interface GlobalsMismatch {
  readonly code: string;
  readonly message: string;
  /** The member in the component's definition: `/globals/$Organization/Name`. */
  readonly componentPointer: string;
  /** The member (or the global) in the channel settings, when the channel declares it. */
  readonly channelPointer?: string;
}

/** The outcome of {@link mergeComponentGlobals}. */
export interface GlobalsMerge {
  /** The union of both declarations (the channel's spelling of a global both declare). */
  readonly globals: GlobalsDeclaration;
  /** Members declared by both with different types: the component can't be rendered for the channel. */
  readonly conflicts: readonly GlobalsMismatch[];
  /** Members the component declares and the channel doesn't: no value ever reaches them (they read as blank). */
  readonly missing: readonly GlobalsMismatch[];
}

function sameType(a: FormulaType, b: FormulaType): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.kind === 'list' || b.kind === 'list') return a.kind === 'list' && b.kind === 'list' && sameType(a.element, b.element);
  if (a.fields.size !== b.fields.size) return false;
  for (const [key, f] of a.fields) {
    const other = b.fields.get(key);
    if (other === undefined || !sameType(f.type, other.type)) return false;
  }
  return true;
}

/** A type as declared, for messages: `Text`, `{Name: Text}`. */
function describeType(t: FormulaType): string {
  if (typeof t === 'object' && t.kind === 'record') return `{${[...t.fields.values()].map((f) => `${f.name}: ${describeType(f.type)}`).join(', ')}}`;
  return typeName(t);
}

/**
 * The globals a component sees when its channel renders it: the channel's declaration merged with
 * the component's own. A member both declare must have the same type (else a conflict: the
 * channel's value could not be read as the component's formulas expect); a member only the
 * component declares is reported as missing (the channel gives no value for it). `component` is
 * the definition's `globals` (already valid: the component was validated when stored).
 */
export function mergeComponentGlobals(channel: GlobalsDeclaration | undefined, component: unknown, componentName: string): GlobalsMerge {
  const channelType = channel === undefined ? EMPTY_RECORD : parseGlobalsSpec(channel, '/globals', []);
  const componentType = isObject(component) ? parseGlobalsSpec(component, '/globals', []) : EMPTY_RECORD;
  const merged: Record<string, Record<string, unknown>> = {};
  for (const [name, members] of Object.entries(channel ?? {})) merged[name] = { ...members };
  const conflicts: GlobalsMismatch[] = [];
  const missing: GlobalsMismatch[] = [];
  for (const g of componentType.fields.values()) {
    if (!isRecord(g.type)) continue;
    const ours = channelType.fields.get(g.name.toLowerCase());
    const oursType = ours !== undefined && isRecord(ours.type) ? ours.type : undefined;
    const key = ours?.name ?? g.name;
    const target = (merged[key] ??= {});
    const written = (component as Record<string, Record<string, unknown>>)[g.name] ?? {};
    for (const m of g.type.fields.values()) {
      const componentPointer = `/globals/${escapePointer(g.name)}/${escapePointer(m.name)}`;
      const theirs = oursType?.fields.get(m.name.toLowerCase());
      if (theirs === undefined) {
        target[m.name] = written[m.name];
        const names = oursType === undefined ? [] : [...oursType.fields.values()].map((f) => f.name);
        const declares = oursType === undefined ? ` The channel doesn't declare ${g.name}.` : ` The channel declares ${key}: ${names.join(', ')}.`;
        missing.push({
          code: C.GlobalNotDeclared,
          message: `The component ${componentName} reads ${g.name}.${m.name} (its ${componentPointer}), which the channel doesn't declare, so no value ever reaches it.${didYouMean(m.name, names)}${declares} Add it to the channel's "globals" and give its value in "globalValues".`,
          componentPointer,
          ...(oursType !== undefined ? { channelPointer: `/globals/${escapePointer(key)}` } : {}),
        });
        continue;
      }
      if (sameType(m.type, theirs.type)) continue;
      const channelPointer = `/globals/${escapePointer(key)}/${escapePointer(theirs.name)}`;
      conflicts.push({
        code: C.GlobalTypeConflict,
        message: `The component ${componentName} declares ${g.name}.${m.name} as ${describeType(m.type)} (its ${componentPointer}), the channel as ${describeType(theirs.type)} (${channelPointer}): a component rendered for a channel must declare the channel's globals with the channel's types.`,
        componentPointer,
        channelPointer,
      });
    }
  }
  return { globals: merged, conflicts, missing };
}
