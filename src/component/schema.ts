/**
 * The component JSON Schema (`schemas/component.schema.json`): compiled once per process with
 * ajv (2020-12, all errors), and its errors translated into located, coded problems.
 */
import { jsonShapeProblem } from '../json-shape.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { ajvModule } from '../lazy-modules.js';
import { didYouMean } from './data.js';
import { ComponentErrorCode as C } from './model.js';
import { packageRoot } from '../package-files.js';

/** A problem in a component definition, located by a JSON pointer (and a line/column inside a formula or template). */
export interface ComponentProblem {
  /** JSON pointer into the definition (RFC 6901); `""` is the whole document. */
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
  /** For problems inside a formula or template: 1-based line and column in that text. */
  readonly line?: number;
  readonly column?: number;
}

/** The path of `schemas/component.schema.json`. */
export function componentSchemaPath(): string {
  return join(packageRoot(), 'schemas', 'component.schema.json');
}

let schemaCache: Record<string, unknown> | undefined;
let validatorCache: ValidateFunction | undefined;

/** The component JSON Schema, parsed. */
export function componentSchema(): Readonly<Record<string, unknown>> {
  return (schemaCache ??= JSON.parse(readFileSync(componentSchemaPath(), 'utf8')) as Record<string, unknown>);
}

function validator(): ValidateFunction {
  if (validatorCache !== undefined) return validatorCache;
  const ajv = new (ajvModule().Ajv2020)({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  return (validatorCache = ajv.compile(componentSchema()));
}

export function escapePointer(s: string): string {
  // Most keys have neither character: no regular expression runs for them (a render escapes every parameter's name).
  if (!s.includes('~') && !s.includes('/')) return s;
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function describeExpected(type: unknown): string {
  const one = (t: string): string => (t === 'object' ? 'an object' : t === 'array' ? 'an array' : t === 'integer' ? 'a whole number' : `a ${t}`);
  return Array.isArray(type) ? type.map((t) => one(String(t))).join(' or ') : one(String(type));
}

const URL_PATTERN = '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+[^\\s]*$';
const NAME_RULES = 'use letters, digits and single underscores, start with a letter, do not end with an underscore, at most 80 characters';

/** Extra advice for type names people bring from elsewhere. */
const SPECIAL_TYPES: Readonly<Record<string, string>> = {
  Variable: '. (The Component Builder\'s Variable fields are edited as formula templates in the Text format; elsewhere use a Formula binding, an sObject formula.)',
  String: '. (Text is the string type.)',
  List: '. (Write the element type: List<Option>, List<RecordId> or List<TimeSlot>.)',
};

/** What a constant's value must be, for messages. */
const VALUE_SHAPES: Readonly<Record<string, string>> = {
  Text: 'a string',
  Url: 'an absolute http or https URL',
  Image: 'an absolute http or https URL',
  Number: 'a JSON number or a decimal string such as "12.50"',
  Boolean: 'true or false',
  Date: 'a date as "YYYY-MM-DD"',
  DateTime: 'an ISO 8601 date-time with an offset, such as "2026-11-21T10:00:00.000Z"',
  'List<Option>': 'a non-empty array of options {"Name", "Subtitle"?, "Image"?, "Id"?}',
};

function at(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const seg of pointer.split('/').slice(1).map(unescapePointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** An error in a constant's value (`/constants/<name>/value...`): what the value of its type must be. */
function translateConstantValue(e: ErrorObject, root: unknown, value: RegExpExecArray): ComponentProblem {
  const path = e.instancePath;
  const params = e.params as Record<string, unknown>;
  const data: unknown = e.data;
  const name = unescapePointer(value[1] as string);
  const type = String((at(root, `/constants/${value[1]}`) as { type?: unknown }).type);
  const shape = VALUE_SHAPES[type] ?? 'a value of its type';
  const inner = value[2];
  if (inner === undefined) {
    return { pointer: path, code: C.ConstantValue, message: `Constant ${name} is ${type}: its value must be ${shape}, not ${JSON.stringify(data)}` };
  }
  const option = /^\/(\d+)(?:\/(.*))?$/.exec(inner);
  const item = option === null ? inner : `option ${option[1]}`;
  const field = option?.[2] !== undefined ? unescapePointer(option[2]) : undefined;
  let detail: string;
  let pointer = path;
  if (e.keyword === 'required' || e.keyword === 'additionalProperties') {
    const prop = String(params['missingProperty'] ?? params['additionalProperty']);
    pointer = `${path}/${escapePointer(prop)}`;
    detail = e.keyword === 'required' ? `${item} has no "${prop}"; every option needs a Name` : `${item} has an unknown field "${prop}"; options have Name, Subtitle, Image and Id`;
  } else if (e.keyword === 'pattern') detail = `the ${field ?? 'value'} of ${item}, ${JSON.stringify(data)}, is not an absolute http or https URL`;
  else if (e.keyword === 'minLength') detail = `the ${field ?? 'value'} of ${item} must not be empty`;
  else if (e.keyword === 'type') detail = `${field !== undefined ? `the ${field} of ${item}` : item} must be ${describeExpected(params['type'])}, not ${jsonType(data)}`;
  else detail = `${item}: ${e.message ?? e.keyword}`;
  return { pointer, code: C.ConstantValue, message: `Constant ${name}: ${detail}` };
}

/** Translates one ajv error; undefined for errors that only echo others (`if`, `propertyNames`). */
function translate(e: ErrorObject, root: unknown): ComponentProblem | undefined {
  const path = e.instancePath;
  const params = e.params as Record<string, unknown>;
  const data: unknown = e.data;
  if (e.keyword === 'if' || e.keyword === 'propertyNames') return undefined;
  if (e.propertyName !== undefined) {
    return { pointer: `${path}/${escapePointer(e.propertyName)}`, code: C.InvalidName, message: `"${e.propertyName}" is not a valid name: ${NAME_RULES}` };
  }
  const value = /^\/constants\/([^/]+)\/value(\/.*)?$/.exec(path);
  if (value !== null) return translateConstantValue(e, root, value);
  switch (e.keyword) {
    case 'required': {
      const missing = String(params['missingProperty']);
      const description = (e.parentSchema as { properties?: Record<string, { description?: string }> } | undefined)?.properties?.[missing]?.description ?? '';
      const hint = (/^[^.:]*/.exec(description) as RegExpExecArray)[0];
      const what = typeof (data as { type?: unknown } | null)?.type === 'string' ? `${(data as { type: string }).type} ` : '';
      return { pointer: `${path}/${escapePointer(missing)}`, code: C.Required, message: `Missing "${missing}"${what !== '' && path !== '' ? ` (required by ${what.trim()})` : ''}${hint !== '' ? `: ${hint}` : ''}` };
    }
    case 'additionalProperties': {
      const extra = String(params['additionalProperty']);
      const pointer = `${path}/${escapePointer(extra)}`;
      if (/^\/parameters\/[^/]+$/.test(path) && extra === 'value') {
        return { pointer, code: C.ParameterValue, message: 'Parameters carry no value in the definition: their values are supplied when the component is sent. Use a constant for a fixed value' };
      }
      if (/^\/parameters\/[^/]+$/.test(path) && extra === 'object') {
        return { pointer, code: C.UnknownProperty, message: '"object" only applies to RecordId and List<RecordId> parameters' };
      }
      // Extensions such as x-salesforce (kept by `parlance import`) are not offered as suggestions.
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}).filter((k) => !k.startsWith('x-'));
      return { pointer, code: C.UnknownProperty, message: `Unknown property "${extra}".${didYouMean(extra, allowed)} Allowed here: ${allowed.join(', ')}` };
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String);
      const exact = typeof data === 'string' ? allowed.find((a) => a.toLowerCase() === data.toLowerCase()) : undefined;
      const hint = exact !== undefined ? ` Did you mean "${exact}"? (names are case-sensitive)` : typeof data === 'string' ? didYouMean(data, allowed) : '';
      const isType = path.endsWith('/type');
      const special = isType && typeof data === 'string' ? (SPECIAL_TYPES[data] ?? '') : '';
      return {
        pointer: path,
        code: isType ? C.UnknownType : C.InvalidValue,
        message: `${isType ? 'Unknown type' : 'Invalid value'} ${JSON.stringify(data)}.${hint} Expected one of ${allowed.join(', ')}${special}`,
      };
    }
    case 'type':
      return { pointer: path, code: C.WrongType, message: `Expected ${describeExpected(params['type'])}, not ${jsonType(data)}` };
    case 'pattern': {
      const pattern = String(params['pattern']);
      if (pattern === URL_PATTERN) return { pointer: path, code: C.InvalidUrl, message: `${JSON.stringify(data)} is not an absolute http or https URL` };
      if (/\/(source)$/.test(path)) return { pointer: path, code: C.InvalidValue, message: `${JSON.stringify(data)} is not a list reference: write $Constants.<name> or $Parameters.<name>` };
      if (/\/field$/.test(path)) return { pointer: path, code: C.InvalidValue, message: `${JSON.stringify(data)} is not a field path: field names separated by dots, such as Subject or Account.Name` };
      return { pointer: path, code: C.InvalidName, message: `${JSON.stringify(data)} is not a valid name: ${NAME_RULES}` };
    }
    case 'maxLength':
      if (path === '/label') return { pointer: path, code: C.InvalidValue, message: `The label is ${String(data).length} characters long; at most ${String(params['limit'])} are allowed` };
      return { pointer: path, code: C.InvalidName, message: `"${String(data).slice(0, 20)}…" is ${String(data).length} characters long: names have at most ${String(params['limit'])}` };
    case 'minLength':
      return { pointer: path, code: C.Empty, message: 'Must not be empty' };
    case 'minItems':
      return { pointer: path, code: C.Empty, message: 'List at least one entry' };
    case 'const':
      return { pointer: path, code: C.InvalidValue, message: `Expected ${JSON.stringify(params['allowedValue'])}` };
    default:
      return { pointer: path, code: C.InvalidValue, message: e.message ?? `Invalid (${e.keyword})` };
  }
}

/** Checks a definition against the JSON Schema; every error, located and coded, in document order. */
export function schemaProblems(definition: unknown): ComponentProblem[] {
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) {
    return [{ pointer: '', code: C.NotAnObject, message: `A component definition must be a JSON object, not ${jsonType(definition)}` }];
  }
  const validate = validator();
  if (validate(definition)) return [];
  const out: ComponentProblem[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    const p = translate(e, definition);
    if (p === undefined) continue;
    const key = `${p.pointer}\u0000${p.code}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** The deepest nesting of objects and arrays a definition may have (the definition itself is level 1). */
export const MAX_DEFINITION_DEPTH = 64;

/**
 * Why a definition is refused before anything recursive reads it (too deep, a prototype key), or
 * undefined: the schema validator, JSON.stringify and structuredClone would overflow the stack.
 */
export function shapeProblem(definition: unknown): ComponentProblem | undefined {
  const p = jsonShapeProblem(definition, { maxDepth: MAX_DEFINITION_DEPTH });
  if (p === undefined) return undefined;
  switch (p.kind) {
    case 'depth':
      return { pointer: p.pointer, code: C.TooDeep, message: `Nested too deeply: a component definition nests at most ${p.limit} levels of objects and arrays` };
    case 'forbidden-key':
      return { pointer: p.pointer, code: C.InvalidName, message: `"${p.key}" is not allowed as a key: it would reach the object's prototype` };
    case 'number-out-of-range':
      return { pointer: p.pointer, code: C.InvalidValue, message: 'The number is out of range' };
    case 'invalid-text':
      return { pointer: p.pointer, code: C.InvalidValue, message: p.reason === 'nul' ? 'Text must not contain U+0000' : 'Text must not contain a lone surrogate' };
  }
}
