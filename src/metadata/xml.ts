/**
 * XML for Salesforce metadata files: parsing with saxes (a strict, well-formedness-checking SAX
 * parser that reports line and column), an element tree that remembers where each element
 * starts, a writer in the Salesforce CLI's style (four-space indent, `&apos;` and `&quot;`
 * escaped), and the canonical form used to compare two documents. Pure: text in, values out.
 */
import { SaxesParser } from 'saxes';

/** The Metadata API namespace of every metadata file. */
export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** One element: its children (elements only), or its text when it has none. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
  /** 1-based line and column of the start tag; 0 for elements built in memory. */
  readonly line: number;
  readonly column: number;
}

/** A problem in a metadata file: a code, a message and where (1-based line and column, and the element path). */
export interface MetadataProblem {
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** The element's path, such as `messageLayouts[0]/layoutItems[1]/name`. */
  readonly path?: string;
}

export const MetadataCode = {
  MalformedXml: 'E_XML_MALFORMED',
  WrongRoot: 'E_SF_WRONG_ROOT',
  InvalidValue: 'E_SF_INVALID_VALUE',
  MissingElement: 'E_SF_MISSING_ELEMENT',
  ReadFile: 'E_READ_FILE',
  UnknownFile: 'E_SF_UNKNOWN_FILE',
  /** An element the reference lists but Parlance has no equivalent for: kept verbatim in `x-salesforce`. */
  Kept: 'W_SF_KEPT',
  /** An element the reference doesn't list: kept verbatim in `x-salesforce`. */
  UnknownElement: 'W_SF_UNKNOWN_ELEMENT',
  /** A Parlance property with no Metadata API equivalent, left out of an export. */
  NotExported: 'W_SF_NOT_EXPORTED',
  /** An `x-salesforce` element whose place no longer exists in the definition. */
  Unplaced: 'W_SF_UNPLACED',
} as const;

export type ParseResult = { readonly ok: true; readonly root: XmlElement } | { readonly ok: false; readonly problem: MetadataProblem };

/** Parses XML text into an element tree; a malformed document gives its first error with line and column. */
export function parseXml(text: string): ParseResult {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: MetadataProblem | undefined;
  let pendingLine = 1;
  let pendingColumn = 1;
  parser.on('error', (e) => {
    // saxes messages start with "line:column: "; later errors at the same place add detail.
    const m = /^(\d+):(\d+): (.*)$/s.exec(e.message);
    const [line, column, detail] = m !== null ? [Number(m[1]), Number(m[2]), (m[3] as string).replace(/\.$/, '')] : [undefined, undefined, e.message];
    if (failure === undefined) {
      failure = { code: MetadataCode.MalformedXml, message: `Malformed XML: ${detail}`, ...(line !== undefined ? { line, column } : {}) };
    } else if (failure.line === line && failure.column === column && !failure.message.includes(detail)) {
      failure = { ...failure, message: `${failure.message}; ${detail}` };
    }
  });
  // The start tag's position is the parser's position when "<" was read: remember it before each tag.
  parser.on('opentagstart', (tag) => {
    pendingLine = parser.line;
    pendingColumn = Math.max(1, parser.column - tag.name.length - 1);
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attributes[k] = typeof v === 'string' ? v : v.value;
    const el: XmlElement = { name: tag.local ?? tag.name, attributes, children: [], text: '', line: pendingLine, column: pendingColumn };
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('text', (t) => {
    const top = stack[stack.length - 1];
    if (top !== undefined) top.text += t;
  });
  parser.on('cdata', (t) => {
    const top = stack[stack.length - 1];
    if (top !== undefined) top.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(text).close();
  } catch {
    // the error handler recorded it
  }
  if (failure !== undefined) return { ok: false, problem: failure };
  if (root === undefined) return { ok: false, problem: { code: MetadataCode.MalformedXml, message: 'Malformed XML: no root element', line: 1, column: 1 } };
  return { ok: true, root };
}

/** A new in-memory element. */
export function element(name: string, content: string | XmlElement[] = [], attributes: Record<string, string> = {}): XmlElement {
  return typeof content === 'string'
    ? { name, attributes, children: [], text: content, line: 0, column: 0 }
    : { name, attributes, children: content, text: '', line: 0, column: 0 };
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function attributesText(attributes: Readonly<Record<string, string>>): string {
  return Object.entries(attributes)
    .map(([k, v]) => ` ${k}="${escapeText(v)}"`)
    .join('');
}

/** One element as XML text, indented by `depth` levels of four spaces. */
export function writeElement(el: XmlElement, depth = 0): string {
  const pad = '    '.repeat(depth);
  const attrs = attributesText(el.attributes);
  if (el.children.length === 0) {
    if (el.text === '' && Object.keys(el.attributes).length > 0) return `${pad}<${el.name}${attrs}/>`;
    return `${pad}<${el.name}${attrs}>${escapeText(el.text)}</${el.name}>`;
  }
  return [`${pad}<${el.name}${attrs}>`, ...el.children.map((c) => writeElement(c, depth + 1)), `${pad}</${el.name}>`].join('\n');
}

/** A whole document, with the XML declaration and a final newline. */
export function writeDocument(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${writeElement(root)}\n`;
}

/**
 * The canonical form of an element, for comparing documents: children sorted by name (the
 * order among same-named siblings kept, as the Metadata API writes fields alphabetically),
 * namespace declarations left out, whitespace around child elements ignored, text compared
 * exactly.
 */
export function canonical(el: XmlElement): string {
  const attrs = Object.entries(el.attributes)
    .filter(([k]) => k !== 'xmlns' && !k.startsWith('xmlns:'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => ` ${k}="${escapeText(v)}"`)
    .join('');
  if (el.children.length === 0) return `<${el.name}${attrs}>${escapeText(el.text)}</${el.name}>`;
  const children = [...el.children].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `<${el.name}${attrs}>${children.map(canonical).join('')}</${el.name}>`;
}

/** The canonical form of a document's text; a parse problem when it isn't well-formed. */
export function canonicalText(text: string): string | MetadataProblem {
  const parsed = parseXml(text);
  return parsed.ok ? canonical(parsed.root) : parsed.problem;
}
