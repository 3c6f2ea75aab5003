/**
 * Positions in JSON text, for the preview page (docs/preview.md). This module runs in the browser:
 * the build compiles it to `dist/src/server/preview/locate.js` and the server serves it at
 * `/preview/locate.js`. It has no imports and touches neither Node.js nor the DOM.
 *
 * - {@link parseJsonTree} parses strict JSON (RFC 8259, what the API accepts) into a tree that
 *   keeps every value's and every property name's offsets, and reports the first syntax error
 *   at its line and column.
 * - {@link locatePointer} finds the text of a JSON pointer (RFC 6901); for a pointer to a missing
 *   property it finds the nearest existing ancestor.
 * - {@link locateDiagnostic} turns a diagnostic of the API (`{pointer, line?, column?}`) into a
 *   line and column of the edited text. A line and column inside a string value (a formula or a
 *   template) are mapped through the string's escapes (`\n`, `\"`, `\u00e9`…) exactly.
 *
 * Offsets, lines and columns count UTF-16 code units, like the API's diagnostics; lines and
 * columns are 1-based. Lines end at `\n`, `\r\n` or `\r`.
 */

export type JsonNodeKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/** A value in the text: `[offset, offset + length)` covers it, quotes and brackets included. */
export interface JsonNode {
  readonly kind: JsonNodeKind;
  readonly offset: number;
  readonly length: number;
  /** Objects: the properties in text order (a repeated name appears twice; the last one counts, as in JSON.parse). */
  readonly properties?: readonly JsonProperty[];
  /** Arrays: the items. */
  readonly items?: readonly JsonNode[];
  /** Strings: the decoded value. */
  readonly value?: string;
}

export interface JsonProperty {
  readonly name: string;
  /** The property name's offset (its opening quote) and length (quotes included). */
  readonly nameOffset: number;
  readonly nameLength: number;
  readonly value: JsonNode;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface JsonSyntaxError extends Position {
  readonly message: string;
  readonly offset: number;
}

export type ParseTreeResult = { readonly ok: true; readonly root: JsonNode } | { readonly ok: false; readonly error: JsonSyntaxError };

/** Line and column (1-based, UTF-16) of an offset in a text. */
export function positionAt(text: string, offset: number): Position {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 13) {
      if (i + 1 < text.length && text.charCodeAt(i + 1) === 10) {
        if (i + 1 === end) break; // between \r and \n: still on the \r's line
        i++;
      }
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** The offset of a line and column (1-based) in a text; clamped to the line's end and the text's end. */
export function offsetAt(text: string, line: number, column: number): number {
  let current = 1;
  let i = 0;
  while (current < line && i < text.length) {
    const c = text.charCodeAt(i);
    i++;
    if (c === 10) current++;
    else if (c === 13) {
      if (text.charCodeAt(i) === 10) i++;
      current++;
    }
  }
  // i is the start of the line (or the text's end).
  let end = i;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  return Math.min(i + Math.max(0, column - 1), end);
}

class JsonSyntax extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

class TreeParser {
  private i = 0;
  constructor(private readonly text: string) {}

  parse(): JsonNode {
    this.skip();
    if (this.i >= this.text.length) throw new JsonSyntax('The text is empty: expected a JSON value', this.i);
    const root = this.value(0);
    this.skip();
    if (this.i < this.text.length) throw new JsonSyntax(`Unexpected ${this.describe(this.i)} after the end of the JSON value`, this.i);
    return root;
  }

  private skip(): void {
    while (this.i < this.text.length && WHITESPACE.has(this.text.charCodeAt(this.i))) this.i++;
  }

  private describe(at: number): string {
    if (at >= this.text.length) return 'end of text';
    const c = this.text[at] as string;
    if (c === '"') return 'string';
    if (/[-0-9]/.test(c)) return 'number';
    const word = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(at, at + 40));
    if (word !== null) return `"${word[0]}"`;
    return `"${c}"`;
  }

  private value(depth: number): JsonNode {
    if (depth > 1000) throw new JsonSyntax('The JSON is nested too deeply', this.i);
    const start = this.i;
    const c = this.text[this.i];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"': {
        const value = this.string();
        return { kind: 'string', offset: start, length: this.i - start, value };
      }
      case 't':
      case 'f':
      case 'n': {
        for (const [word, kind] of [
          ['true', 'boolean'],
          ['false', 'boolean'],
          ['null', 'null'],
        ] as const) {
          if (this.text.startsWith(word, this.i) && !/[\w$]/.test(this.text[this.i + word.length] ?? '')) {
            this.i += word.length;
            return { kind, offset: start, length: word.length };
          }
        }
        throw new JsonSyntax(`Unexpected ${this.describe(this.i)}: expected a JSON value (a string, number, object, array, true, false or null)`, this.i);
      }
      default:
        if (c !== undefined && /[-0-9]/.test(c)) return this.number();
        if (c === "'") throw new JsonSyntax('Strings take double quotes (") in JSON, not single quotes', this.i);
        throw new JsonSyntax(`Unexpected ${this.describe(this.i)}: expected a JSON value (a string, number, object, array, true, false or null)`, this.i);
    }
  }

  private number(): JsonNode {
    const start = this.i;
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 400));
    if (m === null || m[0] === '-') throw new JsonSyntax('Invalid number', this.i);
    this.i += m[0].length;
    if (/[\w.]/.test(this.text[this.i] ?? '')) throw new JsonSyntax(`Invalid number: unexpected ${this.describe(this.i)}`, this.i);
    return { kind: 'number', offset: start, length: this.i - start };
  }

  /** Reads a string at this.i (its opening quote) and returns the decoded value. */
  private string(): string {
    const t = this.text;
    let i = this.i + 1;
    let out = '';
    while (true) {
      if (i >= t.length) throw new JsonSyntax('Unterminated string: a closing " is missing', this.i);
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        const e = t[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(t.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          throw new JsonSyntax(e === 'u' ? 'Invalid \\u escape: it takes 4 hexadecimal digits' : `Invalid escape "\\${e ?? ''}" in a string`, i);
        }
        continue;
      }
      if (c < 0x20) throw new JsonSyntax(c === 10 || c === 13 ? 'A string cannot span lines: write a line break as \\n' : 'A control character in a string must be escaped', i);
      out += t[i];
      i++;
    }
    this.i = i + 1;
    return out;
  }

  private object(depth: number): JsonNode {
    const start = this.i;
    this.i++;
    const properties: JsonProperty[] = [];
    this.skip();
    if (this.text[this.i] === '}') {
      this.i++;
      return { kind: 'object', offset: start, length: this.i - start, properties };
    }
    while (true) {
      this.skip();
      if (this.text[this.i] !== '"') {
        if (this.text[this.i] === '}' && properties.length > 0) throw new JsonSyntax('Trailing comma: remove the "," before "}"', this.i);
        throw new JsonSyntax(`Unexpected ${this.describe(this.i)}: expected a property name in double quotes`, this.i);
      }
      const nameOffset = this.i;
      const name = this.string();
      const nameLength = this.i - nameOffset;
      this.skip();
      if (this.text[this.i] !== ':') throw new JsonSyntax(`Unexpected ${this.describe(this.i)}: expected ":" after the property name "${name}"`, this.i);
      this.i++;
      this.skip();
      if (this.i >= this.text.length) throw new JsonSyntax(`Unexpected end of text: expected the value of "${name}"`, this.i);
      const value = this.value(depth + 1);
      properties.push({ name, nameOffset, nameLength, value });
      this.skip();
      const c = this.text[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return { kind: 'object', offset: start, length: this.i - start, properties };
      }
      throw new JsonSyntax(`Unexpected ${this.describe(this.i)}: expected "," or "}" after the value of "${name}"`, this.i);
    }
  }

  private array(depth: number): JsonNode {
    const start = this.i;
    this.i++;
    const items: JsonNode[] = [];
    this.skip();
    if (this.text[this.i] === ']') {
      this.i++;
      return { kind: 'array', offset: start, length: this.i - start, items };
    }
    while (true) {
      this.skip();
      if (this.text[this.i] === ']' && items.length > 0) throw new JsonSyntax('Trailing comma: remove the "," before "]"', this.i);
      if (this.i >= this.text.length) throw new JsonSyntax('Unexpected end of text: expected a value or "]"', this.i);
      items.push(this.value(depth + 1));
      this.skip();
      const c = this.text[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return { kind: 'array', offset: start, length: this.i - start, items };
      }
      throw new JsonSyntax(`Unexpected ${this.describe(this.i)}: expected "," or "]" after an array item`, this.i);
    }
  }
}

/** Parses strict JSON into a tree with offsets, or reports the first syntax error with its line and column. */
export function parseJsonTree(text: string): ParseTreeResult {
  try {
    return { ok: true, root: new TreeParser(text).parse() };
  } catch (e) {
    if (!(e instanceof JsonSyntax)) throw e;
    return { ok: false, error: { message: e.message, offset: e.offset, ...positionAt(text, e.offset) } };
  }
}

/** The segments of a JSON pointer: `""` → `[]`, `/a~1b/0` → `["a/b", "0"]`. Undefined when it is not a pointer. */
export function pointerSegments(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export interface PointerLocation {
  /** The node the pointer names, or the nearest existing ancestor when `missing` is not empty. */
  readonly node: JsonNode;
  /** When the node is a property's value: that property. */
  readonly property?: JsonProperty;
  /** The pointer's segments that don't exist in the text (a missing property is reported at its parent). */
  readonly missing: readonly string[];
}

/** Finds a JSON pointer's node in a tree. Undefined when the pointer is malformed. */
export function locatePointer(root: JsonNode, pointer: string): PointerLocation | undefined {
  const segments = pointerSegments(pointer);
  if (segments === undefined) return undefined;
  let node = root;
  let property: JsonProperty | undefined;
  for (let k = 0; k < segments.length; k++) {
    const s = segments[k] as string;
    let next: JsonNode | undefined;
    let nextProperty: JsonProperty | undefined;
    if (node.kind === 'object') {
      const props = node.properties ?? [];
      for (let p = props.length - 1; p >= 0; p--) {
        if ((props[p] as JsonProperty).name === s) {
          nextProperty = props[p];
          next = nextProperty?.value;
          break;
        }
      }
    } else if (node.kind === 'array' && /^(0|[1-9]\d*)$/.test(s)) {
      next = node.items?.[Number(s)];
    }
    if (next === undefined) return { node, ...(property !== undefined ? { property } : {}), missing: segments.slice(k) };
    node = next;
    property = nextProperty;
  }
  return { node, ...(property !== undefined ? { property } : {}), missing: [] };
}

/**
 * The offset in the text of a position inside a string node's decoded value: `inner` is an
 * offset into the decoded string (0 … its length). Escapes are walked exactly, so the offset
 * lands on the first character of the escape that produces that decoded character.
 */
export function rawOffsetInString(text: string, node: JsonNode, inner: number): number {
  let raw = node.offset + 1;
  const end = node.offset + node.length - 1; // the closing quote
  let decoded = 0;
  while (raw < end && decoded < inner) {
    if (text.charCodeAt(raw) === 0x5c) raw += text[raw + 1] === 'u' ? 6 : 2;
    else raw += 1;
    decoded++;
  }
  return Math.min(raw, end);
}

/** A diagnostic as the API reports it: a pointer into the document, and for formulas and templates a line and column inside the string. */
export interface ApiDiagnostic {
  readonly pointer: string;
  readonly line?: number;
  readonly column?: number;
}

export interface TextLocation extends Position {
  /** Offset in the text. */
  readonly offset: number;
  /** How far the location is exact: `inner` (a line and column inside a string, mapped through its escapes), `value`, `name` (a property name), `parent` (the property is missing: its parent object), `document`. */
  readonly precision: 'inner' | 'value' | 'name' | 'parent' | 'document';
  /** The pointer's segments that don't exist in the text. */
  readonly missing: readonly string[];
}

/**
 * Where a diagnostic is in the edited text. Unknown properties are shown at their name, values
 * at their first character, a line and column inside a string (formulas, templates) at that
 * character of the string in the text; a missing property at its parent.
 */
export function locateDiagnostic(text: string, root: JsonNode, diagnostic: ApiDiagnostic & { readonly code?: string }): TextLocation {
  const found = locatePointer(root, diagnostic.pointer);
  if (found === undefined) return { offset: 0, line: 1, column: 1, precision: 'document', missing: [] };
  const at = (offset: number, precision: TextLocation['precision']): TextLocation => ({ offset, ...positionAt(text, offset), precision, missing: found.missing });
  if (found.missing.length > 0) return at(found.node.offset, 'parent');
  if (diagnostic.line !== undefined && found.node.kind === 'string' && found.node.value !== undefined) {
    const inner = offsetAt(found.node.value, diagnostic.line, diagnostic.column ?? 1);
    return at(rawOffsetInString(text, found.node, inner), 'inner');
  }
  if (diagnostic.code === 'E_UNKNOWN_PROPERTY' && found.property !== undefined) return at(found.property.nameOffset, 'name');
  if (diagnostic.pointer === '') return at(found.node.offset, 'document');
  return at(found.node.offset, 'value');
}

/** The indentation (spaces and tabs) of the line that contains an offset. */
export function indentationAt(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/**
 * Replaces the value at `pointer` (which must exist) with `value`, written as indented JSON
 * that continues the indentation of the line it starts on; the rest of the text is kept as
 * written. Returns the new text, or undefined when the pointer is not in the text.
 */
export function replaceValue(text: string, root: JsonNode, pointer: string, value: unknown, indent = '  '): string | undefined {
  const found = locatePointer(root, pointer);
  if (found === undefined || found.missing.length > 0) return undefined;
  const base = indentationAt(text, found.node.offset);
  const json = JSON.stringify(value, null, indent).replace(/\n/g, `\n${base}`);
  return text.slice(0, found.node.offset) + json + text.slice(found.node.offset + found.node.length);
}
