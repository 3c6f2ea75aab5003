/**
 * Component definitions (JSON text): where their formulas and templates are, and what names
 * mean in each. Read with jsonc-parser, so a half-typed definition still yields its regions.
 */
import { findNodeAtLocation, findNodeAtOffset, getNodePath, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { formulaTypeOf } from '../component/formula-types.js';
import { EMPTY_RECORD, recordType, typeName, type FieldEntry, type FormulaType, type RecordType } from '../formula/types.js';
import type { ListTemplateDefinition } from '../template/template.js';
import { decodeJsonString, jsonStringMapping, type Region } from './region.js';
import { catalogRecord, type Scope } from './scope.js';
import type { CatalogView, Span } from './types.js';

export interface ComponentAnalysis {
  readonly text: string;
  readonly root: Node | undefined;
  /** The definition as far as it parses. */
  readonly value: unknown;
  readonly jsonErrors: ReadonlyArray<{ span: Span; message: string }>;
  readonly regions: readonly Region[];
  readonly listTemplates: readonly ListTemplateDefinition[];
  /** List template name (lower case) → the JSON string node of its source. */
  readonly sourceNodes: ReadonlyMap<string, Node>;
  readonly constants: RecordType;
  readonly parameters: RecordType;
  /** `$Constants.Name` / `$Parameters.Name` → what the declaration says. */
  readonly descriptions: Readonly<Record<string, string>>;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const LIST_SOURCE = /^\s*\$(Constants|Parameters)\.([A-Za-z_][A-Za-z0-9_]*)\s*$/i;
const BINDING_KEYS = ['title', 'url', 'image', 'text'] as const;
const OPTION_BINDING_KEYS = ['title', 'subtitle', 'image', 'id'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The JSON value node at a path, when it is a string. */
function stringNode(root: Node, path: ReadonlyArray<string | number>): Node | undefined {
  const node = findNodeAtLocation(root, [...path]);
  return node?.type === 'string' ? node : undefined;
}

function pointerOf(path: ReadonlyArray<string | number>): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function analyzeComponent(text: string, catalog: CatalogView | undefined): ComponentAnalysis {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const jsonErrors = errors.map((e) => ({ span: { start: e.offset, end: e.offset + e.length }, message: `Invalid JSON: ${printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}` }));
  const value: unknown = root === undefined ? undefined : getNodeValue(root);
  const def = isObject(value) ? value : {};
  const descriptions: Record<string, string> = {};
  const constants = declarations(def['constants'], 'Constants', descriptions, catalog);
  const parameters = declarations(def['parameters'], 'Parameters', descriptions, catalog);
  const listTemplates: ListTemplateDefinition[] = [];
  const rawLists = Array.isArray(def['listTemplates']) ? (def['listTemplates'] as unknown[]) : [];
  for (const lt of rawLists) {
    if (isObject(lt) && typeof lt['name'] === 'string' && typeof lt['source'] === 'string' && typeof lt['template'] === 'string') {
      listTemplates.push({ name: lt['name'], source: lt['source'], template: lt['template'], ...(lt['lineBreaks'] === 'preserve' ? { lineBreaks: 'preserve' as const } : {}) });
    }
  }
  const base: Scope = { fields: EMPTY_RECORD, constants, parameters, listTemplates: listTemplates.map((l) => l.name), descriptions, ...(catalog !== undefined ? { catalog } : {}) };
  const regions: Region[] = [];
  const sourceNodes = new Map<string, Node>();
  if (root !== undefined) {
    const add = (path: ReadonlyArray<string | number>, kind: 'formula' | 'template', scope: Scope, extra: Partial<Region> = {}): void => {
      const node = stringNode(root, path);
      if (node === undefined) return;
      const decoded = decodeJsonString(text, node.offset, node.offset + node.length);
      regions.push({ kind, text: decoded.value, scope, pointer: pointerOf(path), checked: true, ...jsonStringMapping(decoded), ...extra });
    };
    rawLists.forEach((lt, i) => {
      if (!isObject(lt)) return;
      const element = typeof lt['source'] === 'string' ? listElement(lt['source'], constants, parameters) : undefined;
      const name = typeof lt['name'] === 'string' ? lt['name'] : undefined;
      add(['listTemplates', i, 'template'], 'template', { ...base, listItem: element ?? 'Unknown' }, { lineBreaks: lt['lineBreaks'] === 'preserve' ? 'preserve' : 'br', listTemplates, ...(name !== undefined ? { listTemplate: name } : {}) });
      const source = stringNode(root, ['listTemplates', i, 'source']);
      if (source !== undefined && name !== undefined) sourceNodes.set(name.toLowerCase(), source);
    });
    const formats = Array.isArray(def['formats']) ? (def['formats'] as unknown[]) : [];
    formats.forEach((f, i) => {
      if (!isObject(f)) return;
      if (f['type'] === 'Text') add(['formats', i, 'template'], 'template', base, { lineBreaks: f['lineBreaks'] === 'preserve' ? 'preserve' : 'br', listTemplates });
      for (const key of BINDING_KEYS) {
        if (isObject(f[key]) && f[key]['type'] === 'Formula') add(['formats', i, key, 'formula'], 'formula', base, { returnType: 'Text' });
      }
      const options = f['options'];
      if (!isObject(options)) return;
      const element = typeof options['source'] === 'string' ? listElement(options['source'], constants, parameters) : undefined;
      const item = element !== undefined && typeof element !== 'string' && element.kind === 'record' ? element : undefined;
      for (const key of OPTION_BINDING_KEYS) {
        const b = options[key];
        if (isObject(b) && b['type'] === 'Formula') add(['formats', i, 'options', key, 'formula'], 'formula', { ...base, fields: item ?? EMPTY_RECORD }, { returnType: 'Text', checked: item !== undefined });
      }
    });
  }
  return { text, root, value, jsonErrors, regions, listTemplates, sourceNodes, constants, parameters, descriptions };
}

/** The record type of declared constants or parameters; fills in their descriptions. */
function declarations(raw: unknown, global: 'Constants' | 'Parameters', descriptions: Record<string, string>, catalog: CatalogView | undefined): RecordType {
  if (!isObject(raw)) return EMPTY_RECORD;
  const fields: FieldEntry[] = [];
  const seen = new Set<string>();
  for (const [name, decl] of Object.entries(raw)) {
    if (!NAME.test(name) || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    const type = isObject(decl) ? decl['type'] : undefined;
    const objectName = isObject(decl) && typeof decl['object'] === 'string' ? decl['object'] : undefined;
    const object = objectName !== undefined && (type === 'RecordId' || type === 'List<RecordId>') ? catalogRecord(catalog, objectName) : undefined;
    fields.push({ name, type: formulaTypeOf(type, object) });
    const parts: string[] = [];
    if (typeof type === 'string') parts.push(`Declared as ${type}${objectName !== undefined ? ` of ${objectName}` : ''}.`);
    if (isObject(decl) && typeof decl['description'] === 'string') parts.push(decl['description']);
    if (isObject(decl) && 'value' in decl && type !== 'List<Option>') parts.push(`Value: \`${JSON.stringify(decl['value'])}\``);
    if (parts.length > 0) descriptions[`$${global}.${name}`] = parts.join(' ');
  }
  return recordType(fields);
}

/** The element type of a list source such as `$Constants.Options`, when it is a declared list. */
function listElement(source: string, constants: RecordType, parameters: RecordType): FormulaType | undefined {
  const m = LIST_SOURCE.exec(source);
  if (m === null) return undefined;
  const entry = ((m[1] as string).toLowerCase() === 'constants' ? constants : parameters).fields.get((m[2] as string).toLowerCase());
  if (entry === undefined || typeof entry.type === 'string' || entry.type.kind !== 'list') return undefined;
  return entry.type.element;
}

/** The JSON node a pointer names, or its nearest existing ancestor. */
export function nodeAtPointer(root: Node, pointer: string): Node {
  const path = pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (let n = path.length; n >= 0; n--) {
    const segs = path.slice(0, n).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const node = findNodeAtLocation(root, segs);
    if (node !== undefined) return node;
  }
  return root;
}

/**
 * Completion in the component's other strings that name things: a Constant or Parameter binding's
 * `name`, a Parameter binding's `field` (a path on the record), and list sources (`options.source`,
 * a list template's `source`). Undefined when the offset is not in such a string.
 */
export function componentNameCompletions(c: ComponentAnalysis, offset: number): { items: LocalName[]; replace: Span } | undefined {
  if (c.root === undefined) return undefined;
  const node = findNodeAtOffset(c.root, offset);
  if (node?.type !== 'string' || offset <= node.offset || offset >= node.offset + node.length) return undefined;
  const path = getNodePath(node);
  const key = path[path.length - 1];
  const binding = node.parent?.parent?.type === 'object' ? getNodeValue(node.parent.parent) : undefined;
  const content = { start: node.offset + 1, end: node.offset + node.length - (text(c, node).endsWith('"') ? 1 : 0) };
  if (key === 'name' && isObject(binding) && (binding['type'] === 'Constant' || binding['type'] === 'Parameter')) {
    const record = binding['type'] === 'Constant' ? c.constants : c.parameters;
    return { replace: content, items: [...record.fields.values()].map((f) => ({ label: f.name, kind: binding['type'] === 'Constant' ? 'constant' : 'parameter', detail: typeName(f.type) })) };
  }
  if (key === 'field' && isObject(binding) && binding['type'] === 'Parameter' && typeof binding['name'] === 'string') {
    let record = c.parameters.fields.get(binding['name'].toLowerCase())?.type;
    const typed = text(c, node).slice(1, offset - node.offset);
    const segments = typed.split('.');
    const partial = segments.pop() as string;
    for (const seg of segments) {
      const next = typeof record === 'object' && record.kind === 'record' ? record.fields.get(seg.toLowerCase())?.type : undefined;
      record = next;
    }
    if (typeof record !== 'object' || record.kind !== 'record') return { replace: content, items: [] };
    const start = offset - partial.length;
    return {
      replace: { start, end: Math.max(start, content.end) },
      items: [...record.fields.values()].map((f) => ({ label: f.name, kind: typeof f.type === 'object' && f.type.kind === 'record' ? 'relationship' : 'field', detail: typeName(f.type) })),
    };
  }
  const isSource = key === 'source' && ((path[0] === 'listTemplates' && path.length === 3) || path[path.length - 2] === 'options');
  if (!isSource) return undefined;
  const lists = (record: RecordType, global: string): LocalName[] =>
    [...record.fields.values()].filter((f) => typeof f.type === 'object' && f.type.kind === 'list').map((f) => ({ label: `${global}.${f.name}`, kind: 'list', detail: typeName(f.type) }));
  return { replace: content, items: [...lists(c.constants, '$Constants'), ...lists(c.parameters, '$Parameters')] };
}

/** A name offered in a component's JSON string. */
export interface LocalName {
  readonly label: string;
  readonly kind: 'constant' | 'parameter' | 'field' | 'relationship' | 'list';
  readonly detail: string;
}

function text(c: ComponentAnalysis, node: Node): string {
  return c.text.slice(node.offset, node.offset + node.length);
}

/** Hover on a Constant or Parameter binding's `name`, or a list source: what is declared under that name. */
export function componentNameHover(c: ComponentAnalysis, offset: number): { span: Span; contents: string } | undefined {
  if (c.root === undefined) return undefined;
  const node = findNodeAtOffset(c.root, offset);
  if (node?.type !== 'string' || typeof node.value !== 'string') return undefined;
  const path = getNodePath(node);
  const key = path[path.length - 1];
  const binding = node.parent?.parent?.type === 'object' ? getNodeValue(node.parent.parent) : undefined;
  let global: 'Constants' | 'Parameters' | undefined;
  let name = node.value;
  if (key === 'name' && isObject(binding) && (binding['type'] === 'Constant' || binding['type'] === 'Parameter')) global = binding['type'] === 'Constant' ? 'Constants' : 'Parameters';
  else if (key === 'source') {
    const m = LIST_SOURCE.exec(node.value);
    if (m !== null) {
      global = (m[1] as string).toLowerCase() === 'constants' ? 'Constants' : 'Parameters';
      name = m[2] as string;
    }
  }
  if (global === undefined) return undefined;
  const entry = (global === 'Constants' ? c.constants : c.parameters).fields.get(name.toLowerCase());
  if (entry === undefined) return undefined;
  const said = c.descriptions[`$${global}.${entry.name}`];
  const contents = [`\`$${global}.${entry.name}\`: **${typeName(entry.type)}**`, ...(said !== undefined ? [said] : [])].join('\n\n');
  return { span: { start: node.offset, end: node.offset + node.length }, contents };
}
