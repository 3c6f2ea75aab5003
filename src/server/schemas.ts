/**
 * The HTTP API's JSON Schemas (`schemas/http/*.schema.json`, draft 2020-12): one ajv instance
 * validates requests, and in checked mode every response, against them; the OpenAPI document is
 * generated from the same files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { packagePath } from '../package-files.js';
import { isDateTime } from './datetime.js';

export const HTTP_SCHEMA_BASE = 'https://parlance.dev/schemas/http/';

/** The `$id` of `schemas/http/<name>.schema.json`. */
export const schemaId = (name: string): string => `${HTTP_SCHEMA_BASE}${name}.schema.json`;

/** `{ $ref }` to a schema by file name, for route definitions. */
export const ref = (name: string): { $ref: string } => ({ $ref: schemaId(name) });

export interface HttpSchemas {
  readonly ajv: Ajv2020;
  /** Every schema document, by `$id`. */
  readonly documents: ReadonlyMap<string, Record<string, unknown>>;
  /** A validator for a route schema (`{ $ref }` or inline), compiled once. */
  validator(schema: unknown): ValidateFunction;
}

/** Loads and compiles the HTTP schemas (once per server). */
export function loadHttpSchemas(): HttpSchemas {
  const dir = packagePath('schemas', 'http');
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, coerceTypes: false });
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
  const documents = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort()) {
    const doc = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as Record<string, unknown>;
    ajv.addSchema(doc);
    documents.set(String(doc.$id), doc);
  }
  // Compile every schema now: a broken schema fails the start, not the first request that uses it.
  for (const id of documents.keys()) if (ajv.getSchema(id) === undefined) throw new Error(`Cannot compile ${id}`);
  const cache = new Map<unknown, ValidateFunction>();
  return {
    ajv,
    documents,
    validator(schema: unknown): ValidateFunction {
      let v = cache.get(schema);
      if (v === undefined) {
        const id = (schema as { $ref?: unknown }).$ref;
        v = typeof id === 'string' && Object.keys(schema as object).length === 1 ? ajv.getSchema(id) : ajv.compile(schema as object);
        if (v === undefined) throw new Error(`Unknown schema ${String(id)}`);
        cache.set(schema, v);
      }
      return v;
    },
  };
}

/**
 * A `$defs` entry of a schema file, as a plain object: path and query parameters, which OpenAPI
 * documents parameter by parameter and so can't take a `$ref`.
 */
export function definition(schemas: HttpSchemas, file: string, def: string): Record<string, unknown> {
  const doc = schemas.documents.get(schemaId(file));
  const found = (doc?.$defs as Record<string, Record<string, unknown>> | undefined)?.[def];
  if (found === undefined) throw new Error(`No $defs/${def} in schemas/http/${file}.schema.json`);
  return structuredClone(found);
}
