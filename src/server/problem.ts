/**
 * Errors as RFC 9457 problem details (`application/problem+json`): `type`, `title`, `status`,
 * `detail`, and `errors[]` of `{pointer, code, message}` locating every problem in the request
 * (CONTRACT.md §4).
 */
import type { ErrorObject } from 'ajv';
import { DATE_TIME_RULE } from './datetime.js';

export interface ProblemError {
  /** JSON pointer into the request body (`/items/2/formula`), or `''` for the whole request. */
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors: readonly ProblemError[];
  readonly instance?: string;
  readonly requestId?: string;
}

const TYPE_BASE = 'https://parlance.dev/problems/';

/** An error a route throws to answer with a problem. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    /** A short, stable slug: the problem `type` is `https://parlance.dev/problems/<slug>`. */
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly errors: readonly ProblemError[] = [],
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }

  toProblem(instance?: string, requestId?: string): Problem {
    return {
      type: `${TYPE_BASE}${this.slug}`,
      title: this.title,
      status: this.status,
      detail: this.detail,
      errors: this.errors,
      ...(instance !== undefined ? { instance } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
    };
  }
}

export const badRequest = (detail: string, errors: readonly ProblemError[] = [], slug = 'invalid-request'): HttpProblem => new HttpProblem(400, slug, 'The request is invalid', detail, errors);
export const notFound = (detail: string, pointer = ''): HttpProblem => new HttpProblem(404, 'not-found', 'Not found', detail, [{ pointer, code: 'E_NOT_FOUND', message: detail }]);
export const unprocessable = (detail: string, errors: readonly ProblemError[], slug = 'unprocessable'): HttpProblem => new HttpProblem(422, slug, 'The request could not be processed', detail, errors);

function escape(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Located, coded problems from ajv's errors (schema validation of a request body). */
export function ajvProblems(errors: readonly ErrorObject[], prefix = ''): ProblemError[] {
  const out: ProblemError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // `if`/`oneOf` wrappers repeat what their branches already said.
    if (e.keyword === 'if' || e.keyword === 'oneOf' || e.keyword === 'anyOf') continue;
    let pointer = `${prefix}${e.instancePath}`;
    let code = 'E_INVALID_VALUE';
    let message = e.message ?? 'is invalid';
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        pointer = `${pointer}/${escape(String(params.missingProperty))}`;
        code = 'E_REQUIRED';
        message = `"${String(params.missingProperty)}" is required`;
        break;
      case 'additionalProperties':
        pointer = `${pointer}/${escape(String(params.additionalProperty))}`;
        code = 'E_UNKNOWN_PROPERTY';
        message = `Unknown property "${String(params.additionalProperty)}"`;
        break;
      case 'type':
        code = 'E_WRONG_TYPE';
        message = `Must be ${String(params.type)}`;
        break;
      case 'enum':
        message = `Must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'format':
        if (params.format === 'date-time') {
          code = 'E_INVALID_DATETIME';
          message = `Expected ${DATE_TIME_RULE}`;
        } else message = message.charAt(0).toUpperCase() + message.slice(1);
        break;
      case 'maxItems':
        code = 'E_TOO_MANY_ITEMS';
        message = `At most ${String(params.limit)} items`;
        break;
      default:
        message = message.charAt(0).toUpperCase() + message.slice(1);
    }
    const key = `${pointer} ${code} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer, code, message });
  }
  return out;
}
