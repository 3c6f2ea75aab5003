/**
 * A region: a formula or a formula template inside a document (the whole document, or a JSON
 * string of a component definition), with how its offsets map into the document and how text
 * inserted into it is escaped. Every feature works on a region's own text, then maps back.
 */
import type { Span } from './types.js';
import type { Scope } from './scope.js';
import type { ListTemplateDefinition } from '../template/template.js';

export interface Region {
  readonly kind: 'formula' | 'template';
  /** The formula or template text (JSON escapes decoded). */
  readonly text: string;
  readonly scope: Scope;
  /** Where the text sits in the document: `[start, end]` inclusive of the end (a cursor at the end is inside). */
  readonly docStart: number;
  readonly docEnd: number;
  toDoc(local: number): number;
  fromDoc(doc: number): number;
  /** Text to insert, escaped for the document. */
  escape(text: string): string;
  /** Component documents: the JSON pointer of the string. */
  readonly pointer?: string;
  /** Formula regions: the declared result type. */
  readonly returnType?: string;
  /** Template regions: line breaks and the list templates the template may name. */
  readonly lineBreaks?: 'br' | 'preserve';
  readonly listTemplates?: readonly ListTemplateDefinition[];
  /** False when the region's names cannot be known (an options formula whose source does not resolve): no diagnostics. */
  readonly checked: boolean;
  /** Component documents: the list template whose item template this is. */
  readonly listTemplate?: string;
}

/** A region over a whole document (formula and template documents). */
export function wholeRegion(kind: 'formula' | 'template', text: string, scope: Scope, extra: Partial<Region> = {}): Region {
  return {
    kind,
    text,
    scope,
    docStart: 0,
    docEnd: text.length,
    toDoc: (n) => n,
    fromDoc: (n) => Math.max(0, Math.min(text.length, n)),
    escape: (s) => s,
    checked: true,
    ...extra,
  };
}

export function spanToDoc(region: Region, span: Span): Span {
  return { start: region.toDoc(span.start), end: region.toDoc(span.end) };
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** A JSON string's decoded value, with the document offset of each of its characters. */
export interface DecodedString {
  readonly value: string;
  /** `offsets[i]`: where decoded character i starts in the document; one more entry for the end. */
  readonly offsets: readonly number[];
}

/** Decodes the JSON string whose opening quote is at `start` and which ends (after its closing quote, if any) at `end`. */
export function decodeJsonString(text: string, start: number, end: number): DecodedString {
  const contentEnd = end - start >= 2 && text[end - 1] === '"' ? end - 1 : end;
  let value = '';
  const offsets: number[] = [];
  let i = start + 1;
  while (i < contentEnd) {
    const c = text[i] as string;
    offsets.push(i);
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const n = text[i + 1] ?? '';
    if (n === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      value += ESCAPES[n] ?? n;
      i += 2;
    }
  }
  offsets.push(Math.max(contentEnd, start + 1));
  return { value, offsets };
}

/** Mapping functions for a decoded JSON string. */
export function jsonStringMapping(decoded: DecodedString): Pick<Region, 'toDoc' | 'fromDoc' | 'escape' | 'docStart' | 'docEnd'> {
  const { offsets } = decoded;
  const last = offsets.length - 1;
  return {
    docStart: offsets[0] as number,
    docEnd: offsets[last] as number,
    toDoc: (n) => offsets[Math.max(0, Math.min(last, n))] as number,
    fromDoc: (doc) => {
      // The first character starting at or after `doc` (a cursor inside an escape sits before that character).
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((offsets[mid] as number) < doc) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
    escape: (s) => JSON.stringify(s).slice(1, -1),
  };
}
