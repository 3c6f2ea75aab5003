/**
 * The definition editor's JSON Schema support: lint of the component definition against
 * schemas/component.schema.json (unknown and mistyped properties, bad enum values, missing
 * required properties), completion of property names and enum values, and hover with the
 * schema's descriptions, from codemirror-json-schema (json-schema-library underneath). The
 * schema is bundled with the editor (scripts/build-preview.js); nothing is fetched.
 *
 * Outside formulas and templates only: inside them the formula language service (index.js)
 * completes and hovers. Lint: index.js runs both and drops a schema problem where the language
 * service already reports one (docs/preview.md, "Two sources of problems").
 */
import { syntaxTree } from '@codemirror/language';
import { getJsonPointers, JSONCompletion, JSONHover, JSONValidation, jsonPointerForPosition, stateExtensions } from 'codemirror-json-schema';
import componentSchema from '../../../../schemas/component.schema.json';

/** The definition as the schema linter sees it: strictly parsed (a JSON syntax error is the language service's E_INVALID_JSON), with the pointers' places. */
function strictParse(state) {
  let data;
  try {
    data = JSON.parse(state.doc.toString());
  } catch {
    data = null; // not JSON: no schema lint (the syntax error is reported once, by the language service)
  }
  return { data, pointers: data === null ? new Map() : valuePointers(state) };
}

/**
 * getJsonPointers, with each property's value where the value is: the library takes the node
 * after the property name, which @lezer/json 1.0.3 makes the `:` (a problem with a value, such as
 * a number where a string belongs, would be marked on the colon).
 */
function valuePointers(state) {
  const pointers = getJsonPointers(state, 'json4');
  const tree = syntaxTree(state);
  for (const [pointer, at] of pointers) {
    if (at.valueFrom === undefined || state.doc.sliceString(at.valueFrom, at.valueTo) !== ':') continue;
    const value = tree.resolve(at.valueFrom, 1).nextSibling;
    pointers.set(pointer, value === null ? { keyFrom: at.keyFrom, keyTo: at.keyTo } : { ...at, valueFrom: value.from, valueTo: value.to });
  }
  return pointers;
}

const validation = new JSONValidation({ jsonParser: strictParse });
/** A `#/…` reference of the schema followed (several in a row), or the schema itself. */
function deref(root, schema) {
  let s = schema;
  for (let n = 0; n < 16 && typeof s?.$ref === 'string' && s.$ref.startsWith('#/'); n++) {
    s = s.$ref.slice(2).split('/').reduce((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], root);
  }
  return s;
}

/**
 * The schema a pointer's property is declared with, following `properties`, the `then` branches
 * of an `allOf` (how the component schema picks a format's or a constant's properties by its
 * `type`), array `items` and `additionalProperties`, whatever the data holds.
 */
function declaredSchema(root, pointer) {
  let s = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    s = deref(root, s);
    const branch = Array.isArray(s?.allOf) ? s.allOf.map((b) => deref(root, b?.then ?? b)).find((b) => b?.properties?.[key] !== undefined) : undefined;
    const next = s?.properties?.[key] ?? branch?.properties?.[key] ?? (/^\d+$/.test(key) ? s?.items : undefined) ?? (typeof s?.additionalProperties === 'object' ? s.additionalProperties : undefined);
    if (next === undefined) return undefined;
    s = next;
  }
  return deref(root, s);
}

/**
 * codemirror-json-schema's completion, with the enum values a property is declared with added:
 * json-schema-library resolves a property of an if/then-dispatched object from the data, and while
 * a format's `type` is being typed (no branch matches) it makes up `{"type": "string"}`, which
 * offers nothing.
 */
class DefinitionCompletion extends JSONCompletion {
  getSchemas(rootSchema, ctx) {
    const found = super.getSchemas(rootSchema, ctx);
    const pointer = jsonPointerForPosition(ctx.state, ctx.pos, -1, 'json4');
    const declared = typeof pointer === 'string' && pointer !== '' && !pointer.endsWith('/') ? declaredSchema(rootSchema, pointer) : undefined;
    return declared !== undefined && (Array.isArray(declared.enum) || declared.const !== undefined) ? [...found, declared] : found;
  }
}

// Completion reads the text as well as it can (it is mostly incomplete while you type).
const completion = new DefinitionCompletion({});

/** The schema, in the editor's state (codemirror-json-schema reads it from there). */
export const schemaState = stateExtensions(componentSchema);

/** Schema problems of the definition, as lint diagnostics (source `schema`). */
export function schemaDiagnostics(view) {
  let found;
  try {
    found = validation.doValidation(view);
  } catch {
    return []; // a schema the library can't follow at some place: no schema lint rather than a crash
  }
  return found.map((d) => ({ from: d.from, to: d.to, severity: d.severity, source: 'schema', message: d.message.replace(/`#`\s*/g, '') }));
}

/** Property names and enum values from the schema (null inside formulas: the caller asks the language service there). */
export function schemaCompletions(context) {
  let result;
  try {
    result = completion.doComplete(context);
  } catch {
    return null; // a place the library can't follow: no schema completion rather than a broken list
  }
  if (result === null || result === undefined || Array.isArray(result)) return null;
  return result.options.length === 0 ? null : result;
}

/** The schema's description and type of the property or value under the pointer. */
export function schemaHover(format) {
  const hover = new JSONHover({ formatHover: format });
  return (view, pos, side) => hover.doHover(view, pos, side);
}
