/**
 * A render request and its validation: every problem collected, each with a JSON pointer into
 * the request, before anything is evaluated. Parameters are checked against the component's
 * declarations and the object catalog, so a typo in a record field is reported, not rendered
 * as a blank.
 */
import { Info } from 'luxon';
import type { ComponentDefinition, ParameterDeclaration } from '../component/model.js';
import { didYouMean } from '../component/data.js';
import { escapePointer } from '../component/schema.js';
import { decodeRuntimeValue, INPUT_FORMS } from '../formula/runtime/values.js';
import { parseDateTime } from '../formula/runtime/temporal.js';
import { typeName, type FormulaType, type RecordType, type ScalarTypeName } from '../formula/types.js';
import { disambiguateLabels, labelSlot, type LabelledSlot } from './slots.js';

/** What to render, and for whom (CONTRACT.md §4 `POST /v1/render`). */
export interface RenderRequest {
  /** A channel type, such as `FacebookEnhanced` (CONTRACT.md §3). */
  readonly channel: string;
  /** Parameter name → value: records for `RecordId` parameters, arrays of records or `{start, end}` slots for lists. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** The current instant (ISO 8601 with an offset, a Date or epoch ms). Default: the system clock. */
  readonly now?: string | Date | number;
  /** IANA time zone for time-slot labels and TODAY() (DATEVALUE() of a Date/Time is the GMT date). Default `UTC`. */
  readonly timezone?: string;
  /** BCP 47 locale for time-slot labels and payload words. Default `en-US`. */
  readonly locale?: string;
  /** `text`: on a channel that doesn't support the component type, render the Text version instead of failing. */
  readonly fallback?: 'text' | 'none';
  /** Values of the globals the component declares: `{"$User": {"FirstName": "Ada"}}`. */
  readonly globals?: Readonly<Record<string, unknown>>;
}

/** A located problem: in the request (`/parameters/Cases/0/Id`) or in the component (`/formats/1/title`). */
export interface RenderProblemDetail {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
  /** Inside a formula or template: 1-based line and column in that text. */
  readonly line?: number;
  readonly column?: number;
}

/** Stable codes of request problems. */
export const RequestErrorCode = {
  NotAnObject: 'E_NOT_AN_OBJECT',
  UnknownChannel: 'E_UNKNOWN_CHANNEL',
  UnknownProperty: 'E_UNKNOWN_PROPERTY',
  InvalidValue: 'E_INVALID_VALUE',
  UnknownParameter: 'E_UNKNOWN_PARAMETER',
  ParameterValue: 'E_PARAMETER_VALUE',
  UnknownField: 'E_UNKNOWN_FIELD',
  MissingId: 'E_MISSING_ID',
  InvalidTimezone: 'E_INVALID_TIMEZONE',
  InvalidLocale: 'E_INVALID_LOCALE',
  InvalidNow: 'E_INVALID_NOW',
} as const;

const C = RequestErrorCode;

/** The request's settings, checked, and its parameters ready for evaluation. */
export interface PreparedRequest {
  readonly now: number | undefined;
  readonly zone: string;
  readonly locale: string;
  readonly fallback: boolean;
  /** Parameter values as given, except time-slot lists, whose entries are labelled. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Declared parameters the request left out (they read as blank). */
  readonly missing: readonly string[];
  /** Values of the declared globals, under the names the component declares them with. */
  readonly globals: Readonly<Record<string, unknown>>;
}

const REQUEST_KEYS = new Set(['channel', 'parameters', 'now', 'timezone', 'locale', 'fallback', 'component', 'globals']);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/**
 * The last time zone, locale and `now` text a renderer checked. Checking a zone or a locale
 * builds an Intl formatter (tens of microseconds), and callers send the same ones request after
 * request, so each renderer remembers its last ones.
 */
export interface RequestMemo {
  zone?: string;
  locale?: { readonly tag: string; readonly canonical: string };
  now?: { readonly text: string; readonly ms: number };
}

/** Checks the request's settings (not the channel, which the renderer resolves) and its parameters. */
export function prepareRequest(
  request: unknown,
  component: ComponentDefinition,
  parameterTypes: RecordType,
  problems: RenderProblemDetail[],
  memo: RequestMemo = {},
): PreparedRequest | undefined {
  if (!isObject(request)) {
    problems.push({ pointer: '', code: C.NotAnObject, message: `A render request is an object {"channel", "parameters"?, "now"?, "timezone"?, "locale"?, "fallback"?}, received ${describe(request)}` });
    return undefined;
  }
  for (const key of Object.keys(request)) {
    if (!REQUEST_KEYS.has(key)) problems.push({ pointer: `/${escapePointer(key)}`, code: C.UnknownProperty, message: `Unknown property "${key}".${didYouMean(key, REQUEST_KEYS)}` });
  }
  let now: number | undefined;
  if (request.now !== undefined) {
    const v = request.now;
    if (v instanceof Date) now = v.getTime();
    else if (typeof v === 'number') now = v;
    else if (typeof v === 'string' && memo.now?.text === v) now = memo.now.ms;
    else {
      now = parseDateTime(v);
      if (typeof v === 'string' && now !== undefined) memo.now = { text: v, ms: now };
    }
    if (now === undefined || !Number.isFinite(now)) {
      problems.push({ pointer: '/now', code: C.InvalidNow, message: `"now" must be an ISO 8601 date-time with an offset, such as "2026-11-21T10:00:00Z"; received ${describe(v)}` });
      now = undefined;
    }
  }
  let zone = 'UTC';
  if (request.timezone !== undefined) {
    if (typeof request.timezone !== 'string' || (request.timezone !== memo.zone && !Info.isValidIANAZone(request.timezone))) {
      problems.push({ pointer: '/timezone', code: C.InvalidTimezone, message: `"timezone" must be an IANA time zone such as "America/New_York"; received ${describe(request.timezone)}` });
    } else zone = memo.zone = request.timezone;
  }
  let locale = 'en-US';
  if (request.locale !== undefined) {
    const tag = request.locale;
    const canonical = typeof tag !== 'string' ? undefined : memo.locale?.tag === tag ? memo.locale.canonical : canonicalLocale(tag);
    if (canonical === undefined) problems.push({ pointer: '/locale', code: C.InvalidLocale, message: `"locale" must be a BCP 47 language tag this server knows, such as "en-US" or "fr-FR"; received ${describe(tag)}` });
    else {
      locale = canonical;
      memo.locale = { tag: tag as string, canonical };
    }
  }
  let fallback = false;
  if (request.fallback !== undefined) {
    if (request.fallback !== 'text' && request.fallback !== 'none') problems.push({ pointer: '/fallback', code: C.InvalidValue, message: `"fallback" must be "text" or "none"; received ${describe(request.fallback)}` });
    else fallback = request.fallback === 'text';
  }
  const parameters: Record<string, unknown> = {};
  const missing: string[] = [];
  const declared = component.parameters ?? {};
  if (request.parameters !== undefined && !isObject(request.parameters)) {
    problems.push({ pointer: '/parameters', code: C.NotAnObject, message: `"parameters" must be an object of parameter name → value; received ${describe(request.parameters)}` });
  } else {
    const given = (request.parameters ?? {}) as Record<string, unknown>;
    for (const name of Object.keys(given)) {
      const value = given[name];
      const ptr = `/parameters/${escapePointer(name)}`;
      const decl = declared[name];
      if (decl === undefined) {
        const names = Object.keys(declared);
        const list = names.length > 0 ? ` It declares: ${names.join(', ')}.` : ' It declares no parameters.';
        problems.push({ pointer: ptr, code: C.UnknownParameter, message: `The component ${component.name} has no parameter "${name}".${didYouMean(name, names)}${list}` });
        continue;
      }
      const type = parameterTypes.fields.get(name.toLowerCase())?.type ?? 'Unknown';
      parameters[name] = checkParameter(decl, type, value, ptr, zone, locale, problems);
    }
    for (const name of Object.keys(declared)) if (!(name in given)) missing.push(name);
  }
  return { now, zone, locale, fallback, parameters, missing, globals: checkGlobals(component, request.globals, problems) };
}

/** The request's `globals`: an object whose keys are globals the component declares (case-insensitive). */
function checkGlobals(component: ComponentDefinition, given: unknown, problems: RenderProblemDetail[]): Record<string, unknown> {
  const globals: Record<string, unknown> = {};
  if (given === undefined) return globals;
  if (!isObject(given)) {
    problems.push({ pointer: '/globals', code: C.NotAnObject, message: `"globals" must be an object of global → member values, such as {"$User": {"FirstName": "Ada"}}; received ${describe(given)}` });
    return globals;
  }
  const declared = Object.keys(component.globals ?? {});
  for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
    const match = declared.find((d) => d.toLowerCase() === name.toLowerCase());
    if (match === undefined) {
      const list = declared.length > 0 ? ` It declares: ${declared.join(', ')}.` : ' It declares no globals.';
      problems.push({ pointer: `/globals/${escapePointer(name)}`, code: C.UnknownProperty, message: `The component ${component.name} does not declare the global "${name}".${didYouMean(name, declared)}${list}` });
      continue;
    }
    if (!isObject(value)) {
      problems.push({ pointer: `/globals/${escapePointer(name)}`, code: C.NotAnObject, message: `The value of ${match} must be an object of member → value; received ${describe(value)}` });
      continue;
    }
    globals[match] = value;
  }
  return globals;
}

/** The canonical form of a locale Intl supports, or undefined. */
export function canonicalLocale(tag: string): string | undefined {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical === undefined) return undefined;
    return Intl.DateTimeFormat.supportedLocalesOf([canonical]).length > 0 ? canonical : undefined;
  } catch {
    return undefined;
  }
}

function checkParameter(decl: ParameterDeclaration, type: FormulaType, value: unknown, ptr: string, zone: string, locale: string, problems: RenderProblemDetail[]): unknown {
  if (value === null) return null;
  switch (decl.type) {
    case 'Text':
    case 'Url':
    case 'Image':
      return scalar('Text', value, ptr, problems, decl.type);
    case 'Number':
    case 'Boolean':
    case 'Date':
    case 'DateTime':
      return scalar(decl.type, value, ptr, problems, decl.type);
    case 'RecordId':
      if (typeof type === 'object' && type.kind === 'record') checkRecord(value, type, ptr, problems, false);
      return value;
    case 'List<RecordId>': {
      const element = typeof type === 'object' && type.kind === 'list' && typeof type.element === 'object' && type.element.kind === 'record' ? type.element : undefined;
      if (!Array.isArray(value)) {
        problems.push({ pointer: ptr, code: C.ParameterValue, message: `A List<RecordId> parameter takes an array of ${decl.object} records; received ${describe(value)}` });
        return value;
      }
      // Each record's pointer is built only when it has a problem (the index is passed instead).
      if (element !== undefined) for (let i = 0; i < value.length; i++) checkRecord(value[i], element, ptr, problems, true, i);
      return value;
    }
    case 'List<TimeSlot>':
      return checkSlots(value, ptr, zone, locale, problems);
  }
}

function scalar(type: ScalarTypeName, value: unknown, ptr: string, problems: RenderProblemDetail[], declared: string): unknown {
  if (decodeRuntimeValue(type, value) === undefined) problems.push({ pointer: ptr, code: C.ParameterValue, message: `A ${declared} parameter takes ${INPUT_FORMS[type]}; received ${describe(value)}` });
  return value;
}

type RecordFields = RecordType['fields'];
type RecordField = RecordFields extends ReadonlyMap<string, infer F> ? F : never;

/** A record type's fields by their exact API name (`fields` is by lower-case name), built once per type. */
const EXACT_NAMES = new WeakMap<RecordFields, ReadonlyMap<string, RecordField>>();

function byExactName(fields: RecordFields): ReadonlyMap<string, RecordField> {
  let exact = EXACT_NAMES.get(fields);
  if (exact === undefined) EXACT_NAMES.set(fields, (exact = new Map([...fields.values()].map((f) => [f.name, f] as const))));
  return exact;
}

/**
 * A record: an object of the catalog object's fields (exact API names), relationships as
 * nested records. `attributes` (as in Salesforce REST records) is allowed and ignored.
 * Also checks the records channel-object linking stores (src/linking/records.ts).
 */
export function checkRecord(value: unknown, type: RecordType, listPtr: string, problems: RenderProblemDetail[], needsId: boolean, index?: number): void {
  const object = type.object ?? 'record';
  // Pointers are built only for problems (no closure or text per record): this runs for every field of every record of every render.
  if (!isObject(value)) {
    problems.push({ pointer: recordPointer(listPtr, index), code: C.ParameterValue, message: `Expected a ${object} record (an object of its fields); received ${describe(value)}` });
    return;
  }
  const fields = type.fields;
  const exact = byExactName(fields);
  for (const key in value) {
    if (key === 'attributes') continue;
    const v = value[key];
    // Records use exact API names: found as given, no lower-case copy of the key per field.
    const field = exact.get(key) ?? fields.get(key.toLowerCase());
    if (field === undefined) {
      const names = [...fields.values()].map((f) => f.name);
      problems.push({ pointer: fieldPointer(listPtr, index, key), code: C.UnknownField, message: `${object} has no field "${key}".${didYouMean(key, names)}` });
      continue;
    }
    if (field.name !== key) {
      problems.push({ pointer: fieldPointer(listPtr, index, key), code: C.UnknownField, message: `Record fields use the exact API name: "${field.name}", not "${key}"` });
      continue;
    }
    if (v === null || v === undefined) continue;
    const ft = field.type;
    if (typeof ft === 'string') {
      // Strings are what text-like fields hold: the common case needs no decoding.
      if (typeof v === 'string' && (ft === 'Text' || ft === 'Id' || ft === 'Picklist')) continue;
      if (ft !== 'Null' && ft !== 'Unknown' && decodeRuntimeValue(ft, v) === undefined) {
        problems.push({ pointer: fieldPointer(listPtr, index, key), code: C.ParameterValue, message: `${object}.${key} is ${typeName(ft)}: expected ${INPUT_FORMS[ft]}; received ${describe(v)}` });
      }
    } else if (ft.kind === 'record') checkRecord(v, ft, fieldPointer(listPtr, index, key), problems, false);
  }
  if (needsId) {
    const id = value.Id;
    // A non-string Id was already reported as the wrong type.
    if (id === undefined || id === null || (typeof id === 'string' && id.trim() === '')) {
      problems.push({ pointer: `${recordPointer(listPtr, index)}/Id`, code: C.MissingId, message: `Each ${object} record of a dynamic-options parameter needs its "Id": it identifies the option the customer picks` });
    }
  }
}

/** The pointer of a record: `ptr`, or entry `index` of the list at `ptr`. */
const recordPointer = (ptr: string, index: number | undefined): string => (index === undefined ? ptr : `${ptr}/${index}`);
const fieldPointer = (ptr: string, index: number | undefined, key: string): string => `${recordPointer(ptr, index)}/${escapePointer(key)}`;

function checkSlots(value: unknown, ptr: string, zone: string, locale: string, problems: RenderProblemDetail[]): unknown {
  if (!Array.isArray(value)) {
    problems.push({ pointer: ptr, code: C.ParameterValue, message: `A List<TimeSlot> parameter takes an array of {"start", "end"} ISO 8601 date-times; received ${describe(value)}` });
    return value;
  }
  const out: Array<LabelledSlot | unknown> = [];
  const given = new Set<number>();
  for (const [i, slot] of value.entries()) {
    const sptr = `${ptr}/${i}`;
    if (!isObject(slot)) {
      problems.push({ pointer: sptr, code: C.ParameterValue, message: `A time slot is an object {"start", "end"} of ISO 8601 date-times; received ${describe(slot)}` });
      out.push(slot);
      continue;
    }
    let bad = false;
    for (const key of Object.keys(slot)) {
      if (key !== 'start' && key !== 'end' && key !== 'label') {
        problems.push({ pointer: `${sptr}/${escapePointer(key)}`, code: C.UnknownProperty, message: `A time slot has "start", "end" and an optional "label"; "${key}" is unknown.${didYouMean(key, ['start', 'end', 'label'])}` });
        bad = true;
      }
    }
    const times: number[] = [];
    for (const key of ['start', 'end'] as const) {
      const ms = typeof slot[key] === 'string' ? parseDateTime(slot[key]) : undefined;
      if (ms === undefined) {
        problems.push({ pointer: `${sptr}/${key}`, code: C.ParameterValue, message: `"${key}" must be an ISO 8601 date-time with an offset, such as "2026-11-21T11:00:00Z"; received ${describe(slot[key])}` });
        bad = true;
      } else times.push(ms);
    }
    if (slot.label !== undefined && typeof slot.label !== 'string') {
      problems.push({ pointer: `${sptr}/label`, code: C.ParameterValue, message: `"label" must be a string; received ${describe(slot.label)}` });
      bad = true;
    }
    const [start, end] = times;
    if (!bad && start !== undefined && end !== undefined && end < start) {
      problems.push({ pointer: `${sptr}/end`, code: C.ParameterValue, message: `The slot ends (${slot.end as string}) before it starts (${slot.start as string})` });
      bad = true;
    }
    if (typeof slot.label === 'string') given.add(i);
    out.push(bad || start === undefined || end === undefined ? slot : labelSlot(slot as { start: string; end: string; label?: string }, start, end, zone, locale));
  }
  return disambiguateLabels(out, given, zone, locale);
}
