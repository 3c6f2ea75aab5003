/**
 * Hover and signature help inside one formula: the registry's documentation of a function, what
 * a field or global is, and the inferred type of the expression under the cursor. Offsets are
 * local to the formula text.
 */
import { DiagnosticBag } from '../formula/diagnostics.js';
import type { FormulaSyntax } from '../formula/parser/parse.js';
import type { FunctionRegistry } from '../formula/registry/registry.js';
import { TypeChecker, type TypedExpr } from '../formula/typecheck/typecheck.js';
import { typeName, type FormulaType } from '../formula/types.js';
import { activeOverload, functionMarkdown, signatureOf } from './docs.js';
import { identifierAt, referenceAt, scanTo } from './scan.js';
import { fieldDefinition, LIST_ITEM_MEMBERS, resolvePrefix, type Scope } from './scope.js';
import type { HoverResult, SignatureHelpResult, Span } from './types.js';

/** The type-checked tree of a formula, or undefined when it does not parse. */
export function typedTree(text: string, scope: Scope, registry: FunctionRegistry, syntax: FormulaSyntax): TypedExpr | undefined {
  const parsed = syntax.parse(text, { maxLength: Math.max(3900, text.length) });
  if (parsed.ast === null) return undefined;
  try {
    const env = {
      fields: scope.fields,
      constants: scope.constants,
      parameters: scope.parameters,
      ...(scope.listItem !== undefined ? { listItem: { value: scope.listItem } } : {}),
    };
    return new TypeChecker(registry, env, new DiagnosticBag(parsed.source)).check(parsed.ast);
  } catch {
    return undefined;
  }
}

/** The smallest typed expression whose span holds `offset`. */
function nodeAt(root: TypedExpr, offset: number): TypedExpr | undefined {
  const inside = (s: Span): boolean => s.start <= offset && offset <= s.end;
  if (!inside(root.span)) return undefined;
  let node = root;
  for (;;) {
    if (node.op !== 'call') return node;
    const child = node.args.find((a) => inside(a.span));
    if (child === undefined) return node;
    node = child;
  }
}

const GLOBAL_HOVERS: Readonly<Record<string, string>> = {
  constants: "`$Constants`: the component's constants.",
  parameters: "`$Parameters`: the component's parameters, supplied when it is sent.",
  listitem: '`$ListItem`: the current entry of a list template (Index, Value, IsFirst, IsLast).',
  listtemplates: '`$ListTemplates`: the list templates, used as a merge field on its own: `{!$ListTemplates.Name}`.',
  system: '`$System.OriginDateTime`: 1900-01-01T00:00:00Z.',
};

export function formulaHover(text: string, offset: number, scope: Scope, registry: FunctionRegistry, typed: TypedExpr | undefined): HoverResult | undefined {
  const scan = scanTo(text, offset);
  if (scan.lexical.state === 'code') {
    const id = identifierAt(text, offset);
    if (id !== undefined) {
      const fromCall = id.call && !/[.$]/.test(text[id.start - 1] ?? '') ? functionHover(id, registry, typed) : undefined;
      if (fromCall !== undefined) return fromCall;
      const ref = referenceHover(text, id, scope);
      if (ref !== undefined) return ref;
    }
  }
  const node = typed === undefined ? undefined : nodeAt(typed, offset);
  if (node === undefined || node.type === 'Unknown') return undefined;
  return { span: node.span, contents: `\`${shorten(text.slice(node.span.start, node.span.end))}\`: **${typeName(node.type)}**` };
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}

function functionHover(id: { start: number; end: number; name: string }, registry: FunctionRegistry, typed: TypedExpr | undefined): HoverResult | undefined {
  const name = id.name.toUpperCase();
  const span = { start: id.start, end: id.end };
  const f = registry.get(name);
  if (f === undefined || f.kind !== 'function') {
    const unsupported = registry.getUnsupported(name);
    return unsupported === undefined ? undefined : { span, contents: `**${name}** is not supported in messaging component formulas: ${unsupported.reason}.` };
  }
  let contents = functionMarkdown(f);
  const call = typed === undefined ? undefined : nodeAt(typed, id.start);
  if (call?.op === 'call' && call.fn === f && call.type !== 'Unknown') contents += `\n\nThis call returns **${typeName(call.type)}**.`;
  return { span, contents };
}

function referenceHover(text: string, id: { start: number; end: number; name: string }, scope: Scope): HoverResult | undefined {
  const ref = referenceAt(text, id.end);
  if (ref === undefined) return undefined;
  const span = { start: ref.start, end: ref.end };
  if (ref.global && ref.segments.length === 0) {
    const doc = GLOBAL_HOVERS[id.name.toLowerCase()];
    const declared = scope.fields.fields.get(`$${id.name.toLowerCase()}`);
    if (doc !== undefined) return { span, contents: doc };
    return declared === undefined ? undefined : { span, contents: `\`${declared.name}\`: a global declared in fields; its values come with the record.` };
  }
  const target = resolvePrefix(scope, ref.global, ref.segments);
  const path = `${ref.global ? '$' : ''}${[...ref.segments, id.name].join('.')}`;
  if (target === undefined) return undefined;
  let type: FormulaType | undefined;
  const lines: string[] = [];
  if (target.kind === 'record') {
    const entry = target.type.fields.get(id.name.toLowerCase());
    if (entry === undefined) return undefined;
    type = entry.type;
    const def = fieldDefinition(scope, target.type, entry.name);
    if (def !== undefined && def.label !== def.name) lines.push(def.label);
    if (def?.description !== undefined) lines.push(def.description);
    if (def?.values !== undefined) lines.push(`Values: ${def.values.map((v) => `\`${v}\``).join(', ')}`);
    const key = target.role === 'field' ? undefined : `$${target.role === 'constant' ? 'Constants' : 'Parameters'}.${entry.name}`;
    if (key !== undefined && scope.descriptions[key] !== undefined) lines.push(scope.descriptions[key] as string);
  } else if (target.kind === 'listItem') {
    const member = LIST_ITEM_MEMBERS.find((m) => m.name.toLowerCase() === id.name.toLowerCase());
    if (member === undefined) return undefined;
    type = member.name === 'Value' ? scope.listItem : member.type;
  } else if (target.kind === 'system') {
    if (id.name.toLowerCase() !== 'origindatetime') return undefined;
    type = 'DateTime';
    lines.push('1900-01-01T00:00:00Z');
  } else {
    if (!(scope.listTemplates ?? []).some((n) => n.toLowerCase() === id.name.toLowerCase())) return undefined;
    return { span, contents: `\`${path}\`: a list template` };
  }
  const head = `\`${path}\`: **${type === undefined ? 'unknown' : typeName(type)}**`;
  return { span, contents: [head, ...lines].join('\n\n') };
}

export function formulaSignatureHelp(text: string, offset: number, registry: FunctionRegistry): SignatureHelpResult | undefined {
  const scan = scanTo(text, offset);
  if (scan.lexical.state === 'comment') return undefined;
  for (let i = scan.frames.length - 1; i >= 0; i--) {
    const frame = scan.frames[i] as (typeof scan.frames)[number];
    if (frame.name === null) continue;
    const f = registry.get(frame.name);
    if (f === undefined || f.kind !== 'function') return undefined;
    const active = activeOverload(f, frame.argIndex);
    return { signatures: f.overloads.map((o) => signatureOf(f, o, frame.argIndex)), activeSignature: active.signature, activeParameter: active.parameter };
  }
  return undefined;
}
