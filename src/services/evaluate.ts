/**
 * The evaluation service: validates an evaluation request (the `--jsonl` line of CONTRACT.md §2,
 * and an item of `POST /v1/formulas/evaluate`), infers undeclared types from the values, and
 * evaluates with a bounded cache of compiled formulas. The CLI (`parlance eval`) and the HTTP
 * server call this same code for the same job.
 */
import { compileFormula, type CompiledFormula, type CompileOptions, type EvaluationContext } from '../formula/formula.js';
import type { Budget, BudgetOptions } from '../formula/runtime/budget.js';
import type { Location } from '../formula/source.js';
import { describeJsonShapeProblem, jsonShapeProblem } from '../json-shape.js';

/** Deepest nesting of a request's objects and arrays (the request itself is level 1), as on the HTTP server. */
export const MAX_REQUEST_DEPTH = 64;

/** One evaluation request, in the shape of a `--jsonl` input line (CONTRACT.md §2). */
export interface EvalRequest {
  readonly id?: unknown;
  readonly formula: string;
  readonly fields?: Record<string, unknown>;
  readonly record?: Record<string, unknown>;
  readonly returnType?: string;
  readonly now?: string;
  readonly timezone?: string;
  readonly blankAs?: 'zero' | 'blank';
  readonly constants?: Record<string, unknown>;
  readonly parameters?: Record<string, unknown>;
  /** Declared types of `constants` and `parameters`; inferred from the values when absent (see `inferTypes`). */
  readonly constantTypes?: Record<string, unknown>;
  readonly parameterTypes?: Record<string, unknown>;
  readonly scale?: number;
}

/** An error on the wire: a code, a message, and where it is (the formula span, or a JSON pointer into the request). */
export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly span?: Location;
  readonly pointer?: string;
}

export type EvalOutcome = { readonly ok: true; readonly type: string; readonly value: unknown } | { readonly ok: false; readonly error: WireError; readonly errors?: readonly WireError[] };

/**
 * Infers a type spec from JSON values when no types are declared: strings are Text, JSON
 * numbers Number, booleans Boolean, objects records, arrays lists of their elements (a list of
 * objects has every field any element has, so `[{"Name": "a"}, {"Name": "b", "Image": "…"}]`
 * has both Name and Image).
 */
export function inferTypes(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    const t = inferType(v);
    if (t !== undefined) out[k] = t;
  }
  return out;
}

function inferType(v: unknown): unknown {
  if (typeof v === 'string' || v === null) return 'Text';
  if (typeof v === 'number') return 'Number';
  if (typeof v === 'boolean') return 'Boolean';
  if (Array.isArray(v)) {
    const records = v.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x));
    if (records.length > 0 && records.length === v.filter((x) => x !== null).length) return [inferTypes(Object.assign({}, ...records.reverse()) as Record<string, unknown>)];
    return [v.length > 0 ? (inferType(v[0]) ?? 'Text') : 'Text'];
  }
  if (typeof v === 'object') return inferTypes(v as Record<string, unknown>);
  return undefined;
}

const OBJECT_KEYS = ['fields', 'record', 'constants', 'parameters', 'constantTypes', 'parameterTypes'] as const;
const STRING_KEYS = ['returnType', 'now', 'timezone'] as const;
const KNOWN_KEYS = new Set<string>(['id', 'formula', 'blankAs', 'scale', ...OBJECT_KEYS, ...STRING_KEYS]);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Options of {@link validateRequest}. */
export interface ValidateOptions {
  /**
   * The caller already refused nesting deeper than {@link MAX_REQUEST_DEPTH}, prototype keys and
   * non-finite numbers in the value (the HTTP server's body parser, `jsonShapeProblem`): the walk
   * is not repeated. Default false.
   */
  readonly shapeChecked?: boolean;
}

/** Checks the shape of a request; every problem is reported with its JSON pointer. */
export function validateRequest(v: unknown, options: ValidateOptions = {}): { request?: EvalRequest; errors: WireError[] } {
  const errors: WireError[] = [];
  if (!isObject(v)) return { errors: [{ code: 'E_INVALID_REQUEST', message: 'The request must be a JSON object', pointer: '' }] };
  // Before anything recursive (type inference, compile-cache keys) reads it.
  const shape = options.shapeChecked === true ? undefined : jsonShapeProblem(v, { maxDepth: MAX_REQUEST_DEPTH });
  if (shape !== undefined) return { errors: [{ code: 'E_INVALID_REQUEST', message: describeJsonShapeProblem(shape), pointer: shape.pointer }] };
  if (typeof v['formula'] !== 'string') errors.push({ code: 'E_INVALID_REQUEST', message: '"formula" is required and must be a string', pointer: '/formula' });
  for (const k of OBJECT_KEYS) {
    if (v[k] !== undefined && !isObject(v[k])) errors.push({ code: 'E_INVALID_REQUEST', message: `"${k}" must be a JSON object`, pointer: `/${k}` });
  }
  for (const k of STRING_KEYS) {
    if (v[k] !== undefined && typeof v[k] !== 'string') errors.push({ code: 'E_INVALID_REQUEST', message: `"${k}" must be a string`, pointer: `/${k}` });
  }
  if (v['blankAs'] !== undefined && v['blankAs'] !== 'zero' && v['blankAs'] !== 'blank') {
    errors.push({ code: 'E_INVALID_REQUEST', message: '"blankAs" must be "zero" or "blank"', pointer: '/blankAs' });
  }
  if (v['scale'] !== undefined && typeof v['scale'] !== 'number') errors.push({ code: 'E_INVALID_REQUEST', message: '"scale" must be a number', pointer: '/scale' });
  for (const k of Object.keys(v)) {
    if (!KNOWN_KEYS.has(k)) errors.push({ code: 'E_INVALID_REQUEST', message: `Unknown property "${k}"`, pointer: `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  }
  return errors.length > 0 ? { errors } : { request: v as unknown as EvalRequest, errors };
}

/** Option sets kept per formula text. */
const MAX_VARIANTS = 16;

/** One cached compilation: the options it was compiled with, compared by value. */
interface CacheEntry {
  readonly options: CompileOptions;
  readonly compiled: CompiledFormula;
}

/**
 * Whether two JSON values are equal, keys in the same order (as `JSON.stringify` would write
 * them the same). Request values passed `jsonShapeProblem`, so they are JSON and bounded.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i] as string;
    if (k !== kb[i] || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * Evaluates requests, reusing compiled formulas. The cache is bounded (least recently used
 * formulas are dropped), so memory stays flat for any batch size. It is keyed by the formula
 * text, then by the compile options compared by value: no key text is built per request.
 */
export class Evaluator {
  private readonly cache = new Map<string, CacheEntry[]>();
  private entries = 0;

  constructor(private readonly cacheSize = 512) {}

  compile(r: EvalRequest): CompiledFormula {
    const fields = r.fields ?? (r.record !== undefined ? inferTypes(r.record) : undefined);
    const constantTypes = r.constantTypes ?? (r.constants !== undefined ? inferTypes(r.constants) : undefined);
    const parameterTypes = r.parameterTypes ?? (r.parameters !== undefined ? inferTypes(r.parameters) : undefined);
    // Built by assignment, not spreads: this runs for every request, cache hit or not.
    const options: { -readonly [K in keyof CompileOptions]: CompileOptions[K] } = {};
    if (fields !== undefined) options.fields = fields as CompileOptions['fields'];
    if (r.returnType !== undefined) options.returnType = r.returnType as CompileOptions['returnType'];
    if (r.blankAs !== undefined) options.blankAs = r.blankAs;
    if (r.scale !== undefined) options.scale = r.scale;
    if (constantTypes !== undefined) options.constants = constantTypes as CompileOptions['constants'];
    if (parameterTypes !== undefined) options.parameters = parameterTypes as CompileOptions['parameters'];
    const formula = r.formula;
    const list = this.cache.get(formula);
    if (list !== undefined) {
      const hit = list.find((e) => sameJson(e.options, options));
      // Most recently used formula last.
      this.cache.delete(formula);
      this.cache.set(formula, list);
      if (hit !== undefined) return hit.compiled;
    }
    const compiled = compileFormula(formula, options);
    if (list !== undefined) {
      list.push({ options, compiled });
      // One formula under many option sets: its oldest go first, so a lookup stays short.
      if (list.length > MAX_VARIANTS) {
        list.shift();
        this.entries--;
      }
    } else this.cache.set(formula, [{ options, compiled }]);
    this.entries++;
    while (this.entries > this.cacheSize) {
      const [oldest, dropped] = this.cache.entries().next().value as [string, CacheEntry[]];
      if (dropped.length > 1 && oldest === formula) {
        dropped.shift();
        this.entries--;
        continue;
      }
      this.cache.delete(oldest);
      this.entries -= dropped.length;
    }
    return compiled;
  }

  /**
   * Evaluates one request; `budget` limits it (a `Budget` object shares one limit across many
   * requests). Never throws: whatever goes wrong inside (a bug, a stack overflow) is this
   * request's `E_INTERNAL` error, so one bad item never costs a batch its other items.
   */
  evaluate(r: EvalRequest, budget?: Budget | BudgetOptions): EvalOutcome {
    try {
      return this.evaluateUnguarded(r, budget);
    } catch (e) {
      const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      return { ok: false, error: { code: 'E_INTERNAL', message: `The evaluation of this item failed unexpectedly (${reason}); the other items are not affected. Please report it with the formula.` } };
    }
  }

  private evaluateUnguarded(r: EvalRequest, budget?: Budget | BudgetOptions): EvalOutcome {
    const compiled = this.compile(r);
    if (!compiled.ok) {
      const errors = compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, message: d.message, span: d.span }));
      return { ok: false, error: errors[0] as WireError, errors };
    }
    const context: { -readonly [K in keyof EvaluationContext]: EvaluationContext[K] } = {};
    if (r.record !== undefined) context.record = r.record;
    if (r.constants !== undefined) context.constants = r.constants;
    if (r.parameters !== undefined) context.parameters = r.parameters;
    if (r.now !== undefined) context.now = r.now;
    if (r.timezone !== undefined) context.timezone = r.timezone;
    if (budget !== undefined) context.budget = budget;
    const result = compiled.evaluateToWire(context);
    if ('error' in result) return { ok: false, error: result.error };
    return { ok: true, type: result.type, value: result.value };
  }
}
