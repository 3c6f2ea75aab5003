/**
 * The validation service: validates a component definition (docs/components.md) for
 * `parlance validate` and `POST /v1/components/validate` (and `PUT /v1/components/{name}`, which
 * validates before it stores), the same job on both: the JSON Schema, then the formats per
 * component type, the references, and the formulas and templates against the object catalog.
 * The CLI reads JSON text ({@link validateComponentText}: a syntax error is located by line and
 * column); the HTTP server gets the parsed body ({@link validateDefinition}).
 */
import { parseTree, printParseErrorCode, type ParseError, type ParseErrorCode } from 'jsonc-parser';
import { ComponentErrorCode } from '../component/model.js';
import type { ComponentProblem } from '../component/schema.js';
import { validateComponent, type ValidateOptions } from '../component/validate.js';

/** A definition's problems, as both transports answer them. */
export interface DefinitionValidation {
  /** True when there are no errors (warnings may remain). */
  readonly valid: boolean;
  readonly errors: readonly ComponentProblem[];
  readonly warnings: readonly ComponentProblem[];
}

/** Line and column (1-based) of an offset in a text. */
export function textPosition(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: (before[before.length - 1] as string).length + 1 };
}

/**
 * Where JSON text first breaks, and how (jsonc-parser's scanner, strict JSON: no comments, no
 * trailing commas). `undefined` when the text is valid JSON.
 */
export function jsonSyntaxError(text: string): { offset: number; problem: string } | undefined {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return undefined;
  return { offset: first.offset, problem: describeParseError(first.error) };
}

/** "CommaExpected" → "comma expected". */
function describeParseError(code: ParseErrorCode): string {
  return printParseErrorCode(code)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

/** Validates a parsed definition. */
export function validateDefinition(definition: unknown, options: ValidateOptions = {}): DefinitionValidation {
  const r = validateComponent(definition, options);
  return { valid: r.valid, errors: r.errors, warnings: r.warnings };
}

/** Validates a definition's JSON text: invalid JSON is one E_INVALID_JSON error at its line and column. */
export function validateComponentText(text: string, options: ValidateOptions = {}): DefinitionValidation {
  const syntax = jsonSyntaxError(text);
  if (syntax !== undefined) {
    const where = textPosition(text, syntax.offset);
    return { valid: false, errors: [{ pointer: '', code: ComponentErrorCode.InvalidJson, message: `Invalid JSON: ${syntax.problem}`, ...where }], warnings: [] };
  }
  return validateDefinition(JSON.parse(text) as unknown, options);
}
