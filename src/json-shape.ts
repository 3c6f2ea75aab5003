/**
 * Checks on the shape of parsed JSON that must run before any recursive code sees it: how deep it
 * nests, and keys that would reach an object's prototype. The walk is iterative (an explicit
 * stack), so a document nested a million levels deep is refused, not a stack overflow.
 */

/** A nesting level past the limit, or a key that is refused; `pointer` is a JSON pointer to it. */
export type JsonShapeProblem =
  | { readonly kind: 'depth'; readonly pointer: string; readonly limit: number }
  | { readonly kind: 'forbidden-key'; readonly pointer: string; readonly key: '__proto__' | 'constructor' }
  | { readonly kind: 'number-out-of-range'; readonly pointer: string }
  | { readonly kind: 'invalid-text'; readonly pointer: string; readonly reason: 'nul' | 'surrogate'; readonly inKey: boolean };

/** Options of {@link jsonShapeProblem}. */
export interface JsonShapeLimits {
  /** Deepest nesting of objects and arrays; the top-level value is level 1. */
  readonly maxDepth: number;
  /**
   * Also refuse text (string values and keys) that PostgreSQL cannot store: U+0000, and a lone
   * UTF-16 surrogate, which is not Unicode text at all and has no UTF-8 form. Default false.
   */
  readonly storableText?: boolean;
}

// eslint-disable-next-line no-control-regex -- U+0000 is what it looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `s` cannot be stored as text, or undefined. */
export function unstorableText(s: string): 'nul' | 'surrogate' | undefined {
  const m = UNSTORABLE.exec(s);
  return m === null ? undefined : m[0] === '\u0000' ? 'nul' : 'surrogate';
}

interface Frame {
  readonly node: object;
  /** The object's keys, or undefined for an array. */
  readonly keys: readonly string[] | undefined;
  readonly length: number;
  /** The child being looked at. */
  i: number;
}

const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

function pointerOf(frames: readonly Frame[]): string {
  let out = '';
  for (const f of frames) out += `/${f.keys === undefined ? String(f.i) : escape(f.keys[f.i] as string)}`;
  return out;
}

function frame(node: object): Frame {
  if (Array.isArray(node)) return { node, keys: undefined, length: node.length, i: -1 };
  const keys = Object.keys(node);
  return { node, keys, length: keys.length, i: -1 };
}

/**
 * The first problem in `value` (a result of `JSON.parse`), or undefined:
 * - an object or array nested deeper than `maxDepth` levels (the top-level value is level 1);
 * - a `__proto__` key, or a `constructor` key whose value has a `prototype` key: merged into an
 *   object, they would change its prototype (the keys fastify's JSON parser refuses too);
 * - a number too large for a double (`1e400`, a literal of 400 digits): `JSON.parse` makes it
 *   Infinity, which no JSON can carry back;
 * - with `storableText`, text with U+0000 or a lone surrogate (see {@link JsonShapeLimits}).
 */
export function jsonShapeProblem(value: unknown, limits: JsonShapeLimits): JsonShapeProblem | undefined {
  const { maxDepth } = limits;
  const text = limits.storableText === true;
  if (typeof value === 'number' && !Number.isFinite(value)) return { kind: 'number-out-of-range', pointer: '' };
  if (text && typeof value === 'string') {
    const reason = unstorableText(value);
    if (reason !== undefined) return { kind: 'invalid-text', pointer: '', reason, inKey: false };
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (maxDepth < 1) return { kind: 'depth', pointer: '', limit: maxDepth };
  const frames: Frame[] = [frame(value)];
  while (frames.length > 0) {
    const f = frames[frames.length - 1] as Frame;
    f.i++;
    if (f.i >= f.length) {
      frames.pop();
      continue;
    }
    let child: unknown;
    if (f.keys === undefined) {
      child = (f.node as unknown[])[f.i];
    } else {
      const key = f.keys[f.i] as string;
      child = (f.node as Record<string, unknown>)[key];
      if (key === '__proto__') return { kind: 'forbidden-key', pointer: pointerOf(frames), key };
      if (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype')) return { kind: 'forbidden-key', pointer: pointerOf(frames), key };
      const reason = text ? unstorableText(key) : undefined;
      if (reason !== undefined) return { kind: 'invalid-text', pointer: pointerOf(frames), reason, inKey: true };
    }
    if (text && typeof child === 'string') {
      const reason = unstorableText(child);
      if (reason !== undefined) return { kind: 'invalid-text', pointer: pointerOf(frames), reason, inKey: false };
    }
    if (typeof child === 'number' && !Number.isFinite(child)) return { kind: 'number-out-of-range', pointer: pointerOf(frames) };
    if (child !== null && typeof child === 'object') {
      if (frames.length >= maxDepth) return { kind: 'depth', pointer: pointerOf(frames), limit: maxDepth };
      frames.push(frame(child));
    }
  }
  return undefined;
}

/** A sentence for a problem, naming where it is. */
export function describeJsonShapeProblem(p: JsonShapeProblem): string {
  const at = p.pointer === '' ? 'the top level' : p.pointer;
  if (p.kind === 'depth') return `The JSON nests deeper than ${p.limit} levels at ${at}: flatten it`;
  if (p.kind === 'invalid-text') {
    const what = p.inKey ? 'The key' : 'The text';
    return p.reason === 'nul'
      ? `${what} at ${at} contains the character U+0000, which cannot be stored: remove it`
      : `${what} at ${at} contains a lone UTF-16 surrogate (an escape such as \\ud800 without its pair), which is not Unicode text: send the whole character`;
  }
  if (p.kind === 'number-out-of-range') return `The number at ${at} is too large: JSON numbers must lie within ±1.7976931348623157e308 (send large values as text)`;
  return p.key === '__proto__'
    ? `The key "__proto__" (at ${at}) is refused: it would set an object's prototype. Rename it`
    : `The key "constructor" with a "prototype" inside it (at ${at}) is refused: it would reach an object's prototype. Rename it`;
}

/** Whether `text` may hold a forbidden key or an escaped U+0000 or surrogate (raw ones can't be in JSON or UTF-8). */
const suspicious = (text: string): boolean => text.includes('__proto__') || text.includes('constructor') || text.includes('\\u');

/** Whether `value` nests deeper than `maxDepth` or holds a non-finite number: no pointer, no text checks (the fast path). */
function quickProblem(value: object, maxDepth: number): boolean {
  const stack: (object | number)[] = [value, 1];
  while (stack.length > 0) {
    const depth = stack.pop() as number;
    const node = stack.pop() as Record<string, unknown>;
    const keys = Array.isArray(node) ? undefined : Object.keys(node);
    const n = keys === undefined ? (node as unknown as unknown[]).length : keys.length;
    for (let i = 0; i < n; i++) {
      const child = keys === undefined ? (node as unknown as unknown[])[i] : node[keys[i] as string];
      if (typeof child === 'number' && !Number.isFinite(child)) return true;
      if (child === null || typeof child !== 'object') continue;
      if (depth >= maxDepth) return true;
      stack.push(child, depth + 1);
    }
  }
  return false;
}

/**
 * {@link jsonShapeProblem} for `value = JSON.parse(text)`, faster: when the text holds neither
 * `__proto__`, `constructor` nor a `\u` escape, only nesting and numbers are walked, and the walk
 * that builds pointers runs only when there is a problem to point at (bench/json-body.js).
 */
export function jsonTextShapeProblem(text: string, value: unknown, limits: JsonShapeLimits): JsonShapeProblem | undefined {
  if (value === null || typeof value !== 'object' || suspicious(text) || quickProblem(value, limits.maxDepth)) return jsonShapeProblem(value, limits);
  return undefined;
}
