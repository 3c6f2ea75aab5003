/** formulon ships no type declarations; the differential uses its `parse` only. */
declare module 'formulon' {
  export function parse(formula: string, identifiers?: Record<string, unknown>): unknown;
}
