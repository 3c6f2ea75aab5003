/**
 * Completion inside one formula (or one merge field's expression): functions, fields and
 * relationships, `$` globals and their members, list templates and picklist values. Offsets are
 * local to the formula text; the caller maps them into the document.
 */
import type { FunctionRegistry } from '../formula/registry/registry.js';
import { typeName, type FieldEntry, type FormulaType, type RecordType } from '../formula/types.js';
import { functionMarkdown, signatureOf } from './docs.js';
import { referenceAt, scanTo, type CallFrame } from './scan.js';
import { declaredGlobals, fieldDefinition, LIST_ITEM_MEMBERS, resolvePrefix, type PathTarget, type Scope } from './scope.js';
import type { CompletionKind, Span } from './types.js';

/** A completion in formula-local offsets, before escaping for the document. */
export interface LocalCompletion {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  readonly insertText: string;
}

export interface LocalCompletions {
  readonly items: readonly LocalCompletion[];
  readonly replace: Span;
}

const NONE = (offset: number): LocalCompletions => ({ items: [], replace: { start: offset, end: offset } });

export function formulaCompletions(text: string, offset: number, scope: Scope, registry: FunctionRegistry): LocalCompletions {
  const scan = scanTo(text, offset);
  if (scan.lexical.state === 'comment') return NONE(offset);
  if (scan.lexical.state === 'string') return picklistCompletions(text, offset, scan.lexical.start, scan.frames, scope);
  const ref = referenceAt(text, offset);
  if (ref === undefined) return NONE(offset);
  const replace = { start: ref.start, end: ref.end };
  if (ref.segments.length === 0) {
    const globals = globalItems(scope);
    if (ref.global) return { items: globals, replace };
    return { items: [...functionItems(registry), ...memberItems(scope, { kind: 'record', type: scope.fields, role: 'field' }), ...globals, ...KEYWORDS], replace };
  }
  const target = resolvePrefix(scope, ref.global, ref.segments);
  return { items: target === undefined ? [] : memberItems(scope, target), replace };
}

const KEYWORDS: readonly LocalCompletion[] = ['TRUE', 'FALSE', 'NULL'].map((k) => ({ label: k, kind: 'keyword', insertText: k }));

/** Function items by registry, rebuilt when functions are added (their documentation takes a while to build). */
const functionCache = new WeakMap<FunctionRegistry, { count: number; items: readonly LocalCompletion[] }>();

function functionItems(registry: FunctionRegistry): readonly LocalCompletion[] {
  const count = registry.all().length;
  const cached = functionCache.get(registry);
  if (cached !== undefined && cached.count === count) return cached.items;
  const items = buildFunctionItems(registry);
  functionCache.set(registry, { count, items });
  return items;
}

function buildFunctionItems(registry: FunctionRegistry): LocalCompletion[] {
  return registry.functionNames().map((name) => {
    const f = registry.get(name);
    const first = f?.overloads[0];
    return {
      label: name,
      kind: 'function',
      ...(f !== undefined && first !== undefined ? { detail: signatureOf(f, first).label, documentation: functionMarkdown(f, 2) } : {}),
      insertText: name,
    };
  });
}

const GLOBAL_DOCS: Readonly<Record<string, string>> = {
  $Constants: "The component's constants.",
  $Parameters: "The component's parameters, supplied when it is sent.",
  $ListItem: 'The current entry of a list template: Index, Value, IsFirst, IsLast.',
  $ListTemplates: 'A list template, as a merge field on its own: {!$ListTemplates.Name}.',
  $System: '$System.OriginDateTime: 1900-01-01T00:00:00Z.',
};

function globalItems(scope: Scope): LocalCompletion[] {
  const names = ['$Constants', '$Parameters', '$System'];
  if (scope.listItem !== undefined) names.push('$ListItem');
  if (scope.listTemplates !== undefined) names.push('$ListTemplates');
  const items: LocalCompletion[] = names.map((n) => ({ label: n, kind: 'global', documentation: GLOBAL_DOCS[n] as string, insertText: n }));
  for (const g of declaredGlobals(scope)) items.push({ label: g, kind: 'global', documentation: `${g}: declared in fields; its values come with the record.`, insertText: g });
  return items;
}

function kindOf(type: FormulaType, role: 'field' | 'constant' | 'parameter'): CompletionKind {
  if (typeof type !== 'string') return type.kind === 'record' ? 'relationship' : 'list';
  return role;
}

/** The fields (or members) a path target offers. */
export function memberItems(scope: Scope, target: PathTarget): LocalCompletion[] {
  switch (target.kind) {
    case 'system':
      return [{ label: 'OriginDateTime', kind: 'field', detail: 'DateTime', documentation: '1900-01-01T00:00:00Z', insertText: 'OriginDateTime' }];
    case 'listTemplates':
      return (scope.listTemplates ?? []).map((n) => ({ label: n, kind: 'listTemplate', detail: 'list template', insertText: n }));
    case 'listItem':
      return LIST_ITEM_MEMBERS.map((m) => {
        const type = m.name === 'Value' ? (scope.listItem ?? 'Unknown') : m.type;
        return { label: m.name, kind: 'listItem', detail: typeName(type), insertText: m.name };
      });
    case 'record':
      return [...target.type.fields.values()].filter((f) => !f.name.startsWith('$')).map((f) => fieldItem(scope, target.type, f, target.role));
  }
}

function fieldItem(scope: Scope, record: RecordType, f: FieldEntry, role: 'field' | 'constant' | 'parameter'): LocalCompletion {
  const def = fieldDefinition(scope, record, f.name);
  const prefix = role === 'constant' ? '$Constants.' : role === 'parameter' ? '$Parameters.' : '';
  const docs: string[] = [];
  if (def !== undefined && def.label !== def.name) docs.push(`**${def.label}**`);
  if (def?.description !== undefined) docs.push(def.description);
  const described = scope.descriptions[`${prefix}${f.name}`];
  if (described !== undefined) docs.push(described);
  if (def?.values !== undefined) docs.push(`Values: ${def.values.map((v) => `\`${v}\``).join(', ')}`);
  return {
    label: f.name,
    kind: kindOf(f.type, role),
    detail: typeof f.type !== 'string' && f.type.kind === 'record' && f.type.object !== undefined ? `→ ${f.type.object}` : typeName(f.type),
    ...(docs.length > 0 ? { documentation: docs.join('\n\n') } : {}),
    insertText: f.name,
  };
}

/** The text of argument `index` of the call opened at `open` (strings and nesting skipped). */
function argumentText(text: string, open: number, index: number): string | undefined {
  let depth = 0;
  let arg = 0;
  let start = open + 1;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
    } else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return arg === index ? text.slice(start, i) : undefined;
      depth--;
    } else if (c === ',' && depth === 0) {
      if (arg === index) return text.slice(start, i);
      arg++;
      start = i + 1;
    }
  }
  return arg === index ? text.slice(start) : undefined;
}

const PATH = /^\s*(\$)?([A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*$/;

/** The picklist values of the field a path names, when the catalog knows them. */
export function picklistValues(scope: Scope, path: string): readonly string[] | undefined {
  const m = PATH.exec(path);
  if (m === null) return undefined;
  const segments = (m[2] as string).split('.').map((s) => s.trim());
  const last = segments.pop() as string;
  const target = resolvePrefix(scope, m[1] !== undefined, segments);
  if (target?.kind !== 'record') return undefined;
  return fieldDefinition(scope, target.type, last)?.values;
}

/** In `ISPICKVAL(Status, "|")`, `CASE(Status, "|", …)` or `INCLUDES(Tags, "|")`: the field's values. */
function picklistCompletions(text: string, offset: number, stringStart: number, frames: readonly CallFrame[], scope: Scope): LocalCompletions {
  const frame = frames[frames.length - 1];
  let end = offset;
  const quote = text[stringStart] as string;
  while (end < text.length && text[end] !== quote) end += text[end] === '\\' ? 2 : 1;
  const replace = { start: stringStart + 1, end: Math.min(end, text.length) };
  // The string must be the whole argument so far: `ISPICKVAL(Status, "Ne|`.
  const valueArgument =
    frame !== undefined &&
    text.slice(frame.argStart, stringStart).trim() === '' &&
    (((frame.name === 'ISPICKVAL' || frame.name === 'INCLUDES') && frame.argIndex === 1) || (frame.name === 'CASE' && frame.argIndex % 2 === 1));
  if (!valueArgument) return { items: [], replace };
  const values = picklistValues(scope, argumentText(text, frame.open, 0) ?? '');
  if (values === undefined) return { items: [], replace };
  const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`);
  return { items: values.map((v) => ({ label: v, kind: 'value', detail: 'picklist value', insertText: escape(v) })), replace };
}
