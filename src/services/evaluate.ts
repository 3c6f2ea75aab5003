/**
 * The evaluation service: validates an evaluation request (the `--jsonl` line of CONTRACT.md §2,
 * and an item of `POST /v1/formulas/evaluate`), infers undeclared types from the values, and
 * evaluates with a bounded cache of compiled formulas. The CLI (`parlance eval`) and the HTTP
 * server call this same code for the same job.
 */
import { compileFormula, type CompiledFormula, type CompileOptions, type EvaluationContext } from '../formula/formula.js';
import type { Budget, BudgetOptions } from '../formula/runtime/budget.js';
import type { Location } from '../formula/source.js';
import { parseDateTime } from '../formula/runtime/temporal.js';
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

/**
 * Whether a JSON value nested at `depth` (the request is level 1) is within the shape limits:
 * no object or array deeper than {@link MAX_REQUEST_DEPTH}, no non-finite number, and no
 * `__proto__` or `constructor` key (the full check decides about those). Recursion is bounded by
 * the depth limit.
 */
function plainJson(x: unknown, depth: number): boolean {
  if (x === null || typeof x !== 'object') return typeof x !== 'number' || Number.isFinite(x);
  if (depth > MAX_REQUEST_DEPTH) return false;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) if (!plainJson(x[i], depth + 1)) return false;
    return true;
  }
  for (const k in x) {
    if (k === '__proto__' || k === 'constructor' || !plainJson((x as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}

/**
 * Whether `v` is a request with nothing to report, in one pass over its keys and values and
 * without allocating: the common case. False sends it to {@link validateRequest}'s full check,
 * which names every problem (so a false here for an unusual but valid request costs only time).
 */
export function isPlainRequest(v: unknown): v is EvalRequest {
  if (!isObject(v)) return false;
  let formula = false;
  for (const k in v) {
    const x = v[k];
    switch (k) {
      case 'formula':
        if (typeof x !== 'string') return false;
        formula = true;
        break;
      case 'fields':
      case 'record':
      case 'constants':
      case 'parameters':
      case 'constantTypes':
      case 'parameterTypes':
        if (!isObject(x) || !plainJson(x, 2)) return false;
        break;
      case 'returnType':
      case 'timezone':
        if (typeof x !== 'string') return false;
        break;
      case 'now':
        // A `now` that is not an instant goes to the full check (and whatever it says of it).
        if (typeof x !== 'string' || parseDateTime(x) === undefined) return false;
        break;
      case 'blankAs':
        if (x !== 'zero' && x !== 'blank') return false;
        break;
      case 'scale':
        if (typeof x !== 'number' || !Number.isFinite(x)) return false;
        break;
      case 'id':
        if (!plainJson(x, 2)) return false;
        break;
      default:
        return false;
    }
  }
  return formula;
}

/** Checks the shape of a request; every problem is reported with its JSON pointer. */
export function validateRequest(v: unknown): { request?: EvalRequest; errors: WireError[] } {
  if (isPlainRequest(v)) return { request: v, errors: [] };
  const errors: WireError[] = [];
  if (!isObject(v)) return { errors: [{ code: 'E_INVALID_REQUEST', message: 'The request must be a JSON object', pointer: '' }] };
  // Before anything recursive (type inference, compile-cache keys) reads it.
  const shape = jsonShapeProblem(v, { maxDepth: MAX_REQUEST_DEPTH });
  if (shape !== undefined) return { errors: [{ code: 'E_INVALID_REQUEST', message: describeJsonShapeProblem(shape), pointer: shape.pointer }] };
  if (typeof v['formula'] !== 'string') errors.push({ code: 'E_INVALID_REQUEST', message: '"formula" is required and must be a string', pointer: '/formula' });
  for (const k of OBJECT_KEYS) {
    if (v[k] !== undefined && !isObject(v[k])) errors.push({ code: 'E_INVALID_REQUEST', message: `"${k}" must be a JSON object`, pointer: `/${k}` });
  }
  for (const k of STRING_KEYS) {
    if (v[k] !== undefined && typeof v[k] !== 'string') errors.push({ code: 'E_INVALID_REQUEST', message: `"${k}" must be a string`, pointer: `/${k}` });
  }
  // The library reads `now` only when a formula reads the clock: a bad one is refused here, for every formula.
  const nowError = typeof v['now'] === 'string' ? invalidNow(v['now']) : undefined;
  if (nowError !== undefined) errors.push({ code: 'E_INVALID_INPUT', message: nowError, pointer: '/now' });
  if (v['blankAs'] !== undefined && v['blankAs'] !== 'zero' && v['blankAs'] !== 'blank') {
    errors.push({ code: 'E_INVALID_REQUEST', message: '"blankAs" must be "zero" or "blank"', pointer: '/blankAs' });
  }
  if (v['scale'] !== undefined && typeof v['scale'] !== 'number') errors.push({ code: 'E_INVALID_REQUEST', message: '"scale" must be a number', pointer: '/scale' });
  for (const k of Object.keys(v)) {
    if (!KNOWN_KEYS.has(k)) errors.push({ code: 'E_INVALID_REQUEST', message: `Unknown property "${k}"`, pointer: `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  }
  return errors.length > 0 ? { errors } : { request: v as unknown as EvalRequest, errors };
}

/**
 * Why a `now` text is not a usable instant (an ISO 8601 date-time with an offset), or undefined
 * when it is. Transports check `now` before evaluating: the evaluator reads it only when a
 * formula reads the clock.
 */
export function invalidNow(now: string): string | undefined {
  if (parseDateTime(now) !== undefined) return undefined;
  return `"now" must be an ISO 8601 date-time with an offset, such as "2026-11-21T10:00:00Z"; received ${JSON.stringify(now.length > 40 ? `${now.slice(0, 40)}…` : now)}`;
}

/** Option sets kept per formula text. */
const MAX_VARIANTS = 16;

/** One cached compilation: the options it was compiled with, compared by value. */
interface CacheEntry {
  readonly options: CompileOptions;
  readonly compiled: CompiledFormula;
}

/** The compilations of one formula text, and when it was last used. */
interface Bucket {
  used: number;
  readonly entries: CacheEntry[];
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
 * Whether `e` was compiled with the options `r` makes (with `fields`, `constants` and
 * `parameters` inferred when absent), compared by value without making them.
 */
function matches(e: CacheEntry, r: EvalRequest, fields: unknown, constants: unknown, parameters: unknown): boolean {
  const o = e.options;
  return (
    o.returnType === r.returnType &&
    o.blankAs === r.blankAs &&
    o.scale === r.scale &&
    sameJson(o.fields, fields) &&
    sameJson(o.constants, constants) &&
    sameJson(o.parameters, parameters)
  );
}

/**
 * Evaluates requests, reusing compiled formulas. The cache is bounded (least recently used
 * formulas are dropped), so memory stays flat for any batch size. It is keyed by the formula
 * text, then by the compile options compared by value: no key text is built per request.
 *
 * A compilation enters the cache from its formula's second use on: until then only the text
 * is remembered, and the last compilation is held aside (so a formula used twice in a row
 * compiles once). A batch of formulas that never come back then does not fill the cache with
 * compilations that live just long enough to be copied by the garbage collector (issue 19).
 */
export class Evaluator {
  private readonly cache = new Map<string, Bucket>();
  private entries = 0;
  /** Counts uses: a bucket's `used` is the count at its last use (no reordering of the map per use). */
  private tick = 0;
  /** Formula texts used once and not cached, oldest first (as many as the cache holds). */
  private readonly seen = new Set<string>();
  /** The last compilation of a formula used once, and its text. */
  private held: { readonly formula: string; readonly entry: CacheEntry } | undefined;

  constructor(private readonly cacheSize = 512) {}

  compile(r: EvalRequest): CompiledFormula {
    const fields = r.fields ?? (r.record !== undefined ? inferTypes(r.record) : undefined);
    const constants = r.constantTypes ?? (r.constants !== undefined ? inferTypes(r.constants) : undefined);
    const parameters = r.parameterTypes ?? (r.parameters !== undefined ? inferTypes(r.parameters) : undefined);
    const formula = r.formula;
    const bucket = this.cache.get(formula);
    if (bucket !== undefined) {
      bucket.used = ++this.tick;
      const list = bucket.entries;
      for (let i = 0; i < list.length; i++) if (matches(list[i] as CacheEntry, r, fields, constants, parameters)) return (list[i] as CacheEntry).compiled;
    }
    const held = this.held !== undefined && this.held.formula === formula ? this.held.entry : undefined;
    if (held !== undefined && matches(held, r, fields, constants, parameters)) {
      this.admit(formula, held);
      return held.compiled;
    }
    const options: CompileOptions = {
      ...(fields !== undefined ? { fields } : {}),
      ...(r.returnType !== undefined ? { returnType: r.returnType } : {}),
      ...(r.blankAs !== undefined ? { blankAs: r.blankAs } : {}),
      ...(r.scale !== undefined ? { scale: r.scale } : {}),
      ...(constants !== undefined ? { constants } : {}),
      ...(parameters !== undefined ? { parameters } : {}),
    };
    const entry: CacheEntry = { options, compiled: compileFormula(formula, options) };
    if (bucket !== undefined || this.seen.has(formula)) {
      if (held !== undefined) this.admit(formula, held);
      this.admit(formula, entry);
    } else {
      this.seen.add(formula);
      if (this.seen.size > this.cacheSize) this.seen.delete(this.seen.values().next().value as string);
      this.held = { formula, entry };
    }
    return entry.compiled;
  }

  /** Puts a compilation in the cache, dropping the least recently used past its size. */
  private admit(formula: string, entry: CacheEntry): void {
    if (this.held?.entry === entry || this.held?.formula === formula) this.held = undefined;
    this.seen.delete(formula);
    let bucket = this.cache.get(formula);
    if (bucket !== undefined) {
      bucket.used = ++this.tick;
      bucket.entries.push(entry);
      // One formula under many option sets: its oldest go first, so a lookup stays short.
      if (bucket.entries.length > MAX_VARIANTS) {
        bucket.entries.shift();
        this.entries--;
      }
    } else {
      bucket = { used: ++this.tick, entries: [entry] };
      this.cache.set(formula, bucket);
    }
    this.entries++;
    while (this.entries > this.cacheSize) {
      const [oldest, dropped] = this.leastRecentlyUsed();
      if (dropped.entries.length > 1 && oldest === formula) {
        dropped.entries.shift();
        this.entries--;
        continue;
      }
      this.cache.delete(oldest);
      this.entries -= dropped.entries.length;
    }
  }

  /** The formula used longest ago and its bucket: a scan, run only when a new compilation pushes one out. */
  private leastRecentlyUsed(): [string, Bucket] {
    let found: [string, Bucket] | undefined;
    for (const pair of this.cache) if (found === undefined || pair[1].used < found[1].used) found = pair;
    return found as [string, Bucket];
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
    // An absent part reads as undefined, as when the key is not there.
    const context: EvaluationContext = { record: r.record, constants: r.constants, parameters: r.parameters, now: r.now, timezone: r.timezone, budget };
    const result = compiled.evaluateToWire(context);
    if ('error' in result) return { ok: false, error: result.error };
    return { ok: true, type: result.type, value: result.value };
  }
}
