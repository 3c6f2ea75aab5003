/**
 * Libraries that only some calls need, loaded on their first use rather than when `parlance` is
 * imported: Ajv (about 80 CommonJS files: definition, catalog and profile validation),
 * libphonenumber-js (about 110 files: phone number checks) and diff (golden-file patches).
 * Loading them took most of a cold `import('parlance')` (bench/import.js, bench/README.md
 * "Entry points"). Each is read synchronously, once, with `require`: callers stay synchronous.
 */
import { createRequire } from 'node:module';

type AjvModule = typeof import('ajv/dist/2020.js');
type PhoneModule = typeof import('libphonenumber-js');
type DiffModule = typeof import('diff');

const load = createRequire(import.meta.url);

let ajv: AjvModule | undefined;
let phone: PhoneModule | undefined;
let diff: DiffModule | undefined;

/** `ajv/dist/2020.js` (JSON Schema draft 2020-12). */
export function ajvModule(): AjvModule {
  return (ajv ??= load('ajv/dist/2020.js') as AjvModule);
}

/** `libphonenumber-js` (its default, minimal metadata). */
export function phoneModule(): PhoneModule {
  return (phone ??= load('libphonenumber-js') as PhoneModule);
}

/** `diff`. */
export function diffModule(): DiffModule {
  return (diff ??= load('diff') as DiffModule);
}
