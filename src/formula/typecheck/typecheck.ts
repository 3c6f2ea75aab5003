import { distance } from 'fastest-levenshtein';
import { assertNever, type Expr, type Reference } from '../ast.js';
import { DiagnosticCode, type DiagnosticBag } from '../diagnostics.js';
import {
  accepts,
  describeArity,
  describeParam,
  expandParams,
  resolveReturn,
  Bindings,
  type FunctionRegistry,
  type FunctionSpec,
  type Overload,
  type ParamSpec,
} from '../registry/registry.js';
import { neg, type Num } from '../runtime/num.js';
import { toNum } from '../runtime/num-read.js';
import type { Span } from '../source.js';
import { EMPTY_RECORD, typeName, type FormulaType, type RecordType } from '../types.js';

/** Where a reference reads from at run time. */
export type ReadSource = 'record' | 'constants' | 'parameters' | 'listItem';

/** The typed intermediate form: what the compiler turns into closures. */
export type TypedExpr =
  | { readonly op: 'const'; readonly type: FormulaType; readonly value: unknown; readonly span: Span }
  | {
      readonly op: 'read';
      readonly type: FormulaType;
      readonly source: ReadSource;
      /** Declared names (case as declared), from the source's root. */
      readonly path: readonly string[];
      /** As users write it: `Account.Name`, `$Constants.Title`. */
      readonly display: string;
      readonly span: Span;
    }
  | {
      readonly op: 'call';
      readonly type: FormulaType;
      readonly fn: FunctionSpec;
      readonly overload: Overload;
      readonly args: readonly TypedExpr[];
      readonly argTypes: readonly FormulaType[];
      readonly span: Span;
    }
  | { readonly op: 'invalid'; readonly type: 'Unknown'; readonly span: Span };

/** What names mean while checking one formula. */
export interface TypeEnvironment {
  /** Fields available as bare names (the record, or the sObject of an sObject formula). */
  readonly fields: RecordType;
  readonly constants?: RecordType;
  readonly parameters?: RecordType;
  /** Present only inside a list template's item template. */
  readonly listItem?: { readonly value: FormulaType };
}

/** Salesforce globals whose members the caller declares and values (top-level `$` entries of fields and record). */
export const CALLER_GLOBALS = ['$User', '$Organization', '$Profile', '$UserRole', '$Label', '$Setup', '$Permission', '$Api'] as const;

/** Every global a formula may name, for suggestions. */
const ALL_GLOBALS: readonly string[] = [...CALLER_GLOBALS, '$Constants', '$Parameters', '$ListItem', '$System'];

/** `$System.OriginDateTime`: 1900-01-01T00:00:00Z (Salesforce help "Global Variables"). */
const ORIGIN_DATE_TIME = Date.UTC(1900, 0, 1);

/** `$ListItem` members: how users write them, the runtime key, and the type. */
const LIST_ITEM_MEMBERS: Readonly<Record<string, { name: string; key: string; type: FormulaType }>> = {
  index: { name: 'Index', key: 'index', type: 'Number' },
  isfirst: { name: 'IsFirst', key: 'isFirst', type: 'Boolean' },
  islast: { name: 'IsLast', key: 'isLast', type: 'Boolean' },
};

const UNARY_NAMES = { '-': 'unary -', '+': 'unary +', '!': '!' } as const;

/** The value of a constant argument: a literal, or a negated number literal such as `-91`. */
function constantValue(arg: TypedExpr): { value: unknown } | undefined {
  if (arg.op === 'const') return { value: arg.value };
  if (arg.op === 'call' && arg.fn.name === 'unary -' && arg.args.length === 1) {
    const inner = arg.args[0] as TypedExpr;
    if (inner.op === 'const' && inner.type === 'Number' && inner.value !== null) return { value: neg(inner.value as Num) };
  }
  return undefined;
}

/** How messages name a function or operator: `function 'LEN()'`, `operator '-'`. */
function callLabel(name: string, kind: 'function' | 'operator'): string {
  return kind === 'function' ? `function '${name}()'` : `operator '${name.replace('unary ', '')}'`;
}

/** Salesforce functions that exist but are outside the messaging-component set: suggested against too. */
function suggest(name: string, candidates: readonly string[]): string[] {
  const limit = name.length <= 4 ? 1 : 2;
  return candidates
    .map((c) => [c, distance(name, c)] as const)
    .filter(([, d]) => d <= limit)
    .sort((a, b) => a[1] - b[1])
    .slice(0, 3)
    .map(([c]) => c);
}

/**
 * The most digits before the decimal point of a number literal. Formulas compute with 39
 * significant digits (Salesforce's MC_PRECISION_INTERNAL, runtime/num.ts); the literal limit
 * stayed at 34 (it was the precision before issue 17), well beyond what Salesforce accepts. Salesforce's own Number fields hold at most
 * 18 digits, and a formula's output must be less than 19 digits.
 */
export const MAX_LITERAL_DIGITS = 34;

/**
 * Type-variable bindings while one call's overloads are matched, shared and reused (cleared per
 * overload; not one Map per compile): checking is synchronous, and nothing checks another
 * expression between matching a call's overloads and resolving its return type.
 */
const BINDINGS = new Bindings();

/** Checks types and resolves names and overloads, collecting every diagnostic. */
export class TypeChecker {
  constructor(
    private readonly registry: FunctionRegistry,
    private readonly env: TypeEnvironment,
    private readonly bag: DiagnosticBag,
  ) {}

  check(node: Expr): TypedExpr {
    switch (node.kind) {
      case 'Number':
        return this.number(node.value, node.span);
      case 'String':
        return { op: 'const', type: 'Text', value: node.value, span: node.span };
      case 'Boolean':
        return { op: 'const', type: 'Boolean', value: node.value, span: node.span };
      case 'Null':
        return { op: 'const', type: 'Null', value: null, span: node.span };
      case 'Reference':
        return this.reference(node);
      case 'Call':
        return this.call(node.name, node.args, node.span, node.nameSpan, 'function');
      case 'Unary': {
        const operand = this.check(node.operand);
        return this.resolve(UNARY_NAMES[node.op], [operand], [operand.type], node.span, { start: node.span.start, end: node.span.start + 1 }, 'operator');
      }
      case 'Binary': {
        const left = this.check(node.left);
        const right = this.check(node.right);
        return this.resolve(node.op, [left, right], [left.type, right.type], node.span, node.opSpan, 'operator');
      }
      case 'Error':
        return { op: 'invalid', type: 'Unknown', span: node.span };
      default:
        return assertNever(node);
    }
  }

  /** A number literal: at most MAX_LITERAL_DIGITS digits before the decimal point. */
  private number(text: string, span: Span): TypedExpr {
    const dot = text.indexOf('.');
    const intEnd = dot < 0 ? text.length : dot;
    let zeros = 0;
    while (zeros < intEnd && text.charCodeAt(zeros) === 48 /* 0 */) zeros++;
    const intDigits = intEnd - zeros;
    const value = intDigits <= MAX_LITERAL_DIGITS ? toNum(text) : undefined;
    if (value === undefined) {
      this.bag.error(
        DiagnosticCode.NumberOutOfRange,
        `Number is out of range: a number literal has at most ${MAX_LITERAL_DIGITS} digits before the decimal point (this one has ${intDigits.toLocaleString('en-US')})`,
        span,
      );
      return this.invalid(span);
    }
    return { op: 'const', type: 'Number', value, span };
  }

  private invalid(span: Span): TypedExpr {
    return { op: 'invalid', type: 'Unknown', span };
  }


  private call(name: string, argNodes: readonly Expr[], span: Span, nameSpan: Span, kind: 'function' | 'operator'): TypedExpr {
    // Arrays of the exact length (an empty array grown by push reserves about 17 slots).
    const count = argNodes.length;
    const args = new Array<TypedExpr>(count);
    const argTypes = new Array<FormulaType>(count);
    for (let i = 0; i < count; i++) {
      const arg = this.check(argNodes[i] as Expr);
      args[i] = arg;
      argTypes[i] = arg.type;
    }
    return this.resolve(name, args, argTypes, span, nameSpan, kind);
  }

  /** A call whose arguments are checked: its overload, its return type and the problems of its arguments. */
  private resolve(name: string, args: TypedExpr[], argTypes: FormulaType[], span: Span, nameSpan: Span, kind: 'function' | 'operator'): TypedExpr {
    const fn = this.registry.get(name);
    if (fn === undefined || fn.kind !== kind) {
      this.unsupported(name, nameSpan);
      return this.invalid(span);
    }
    const bindings = BINDINGS;
    let bestAt = -1;
    let candidates = 0;
    for (const overload of fn.overloads) {
      const params = expandParams(overload, args.length);
      if (params === undefined) continue;
      candidates++;
      bindings.clear();
      let at = -1;
      for (let i = 0; i < params.length; i++) {
        if (!accepts((params[i] as ParamSpec).type, argTypes[i] ?? 'Unknown', bindings)) {
          at = i;
          break;
        }
      }
      if (at < 0) {
        // The return type first, while the shared bindings hold this match (the validators below
        // are registry code, which could check another formula).
        // A result that depends on an erroneous argument is unknown, so one mistake is reported once.
        const dependsOnArgs = typeof overload.returns === 'function' || overload.returns === 'T' || overload.returns === 'U';
        const type = dependsOnArgs && argTypes.includes('Unknown') ? 'Unknown' : resolveReturn(overload, argTypes, bindings);
        for (let i = 0; i < params.length; i++) {
          const p = params[i] as ParamSpec;
          const arg = args[i] as TypedExpr;
          if (p.literal === true && arg.op !== 'const') {
            this.bag.error(DiagnosticCode.InvalidArgument, `The ${p.name} parameter of ${callLabel(name, kind)} must be a literal value`, arg.span);
            continue;
          }
          if (p.validate === undefined) continue;
          const constant = constantValue(arg);
          const problem = constant === undefined ? undefined : p.validate(constant.value);
          if (problem !== undefined) this.bag.error(DiagnosticCode.InvalidArgument, problem, arg.span);
        }
        const lint = fn.lint?.(argTypes);
        if (lint !== undefined) this.bag.warning(DiagnosticCode.AlwaysFalse, lint, span);
        return { op: 'call', type, fn, overload, args, argTypes, span };
      }
      if (at > bestAt) bestAt = at;
    }
    const label = callLabel(name, kind);
    if (candidates === 0) {
      const expected = [...new Set(fn.overloads.map(describeArity))].join(' or ');
      this.bag.error(DiagnosticCode.ArgumentCount, `Incorrect number of parameters for ${label}. Expected ${expected}, received ${args.length}`, span, {
        expected: [expected],
        found: String(args.length),
      });
      return this.invalid(span);
    }
    this.reportMismatch(
      label,
      fn.overloads.filter((o) => expandParams(o, args.length) !== undefined),
      args,
      argTypes,
      bestAt,
    );
    return this.invalid(span);
  }

  private reportMismatch(label: string, candidates: readonly Overload[], args: readonly TypedExpr[], argTypes: readonly FormulaType[], at: number): void {
    if (candidates.length === 1) {
      // One signature: every argument that does not fit is reported, not just the first.
      const params = expandParams(candidates[0] as Overload, args.length) ?? [];
      const bindings = new Bindings();
      for (const [i, p] of params.entries()) {
        if (!accepts(p.type, argTypes[i] ?? 'Unknown', bindings)) this.reportArgument(label, args[i] as TypedExpr, argTypes[i] as FormulaType, describeParam(p.type, bindings));
      }
      return;
    }
    const expected = new Set<string>();
    for (const overload of candidates) {
      const params = expandParams(overload, args.length) ?? [];
      const bindings = new Bindings();
      const failsAt = params.findIndex((p, i) => !accepts(p.type, argTypes[i] ?? 'Unknown', bindings));
      if (failsAt === at) for (const d of describeParam((params[at] as ParamSpec).type, bindings)) expected.add(d);
    }
    this.reportArgument(label, args[at] as TypedExpr, argTypes[at] as FormulaType, [...expected]);
  }

  private reportArgument(label: string, arg: TypedExpr, received: FormulaType, expected: readonly string[]): void {
    if (received === 'Picklist' || received === 'MultiPicklist') {
      const what = arg.op === 'read' ? `Field ${arg.display} is a ${received === 'Picklist' ? 'picklist' : 'multi-select picklist'} field.` : 'This is a picklist value.';
      const allowed = received === 'Picklist' ? 'ISPICKVAL, CASE, TEXT, ISBLANK, ISNULL and BLANKVALUE' : 'INCLUDES, ISBLANK and ISNULL';
      this.bag.error(DiagnosticCode.PicklistUsage, `${what} Picklist fields are only supported in certain functions: ${allowed}`, arg.span, {
        expected,
        found: received,
      });
      return;
    }
    this.bag.error(DiagnosticCode.TypeMismatch, `Incorrect parameter type for ${label}. Expected ${expected.join(', ')}, received ${typeName(received)}`, arg.span, {
      expected,
      found: typeName(received),
    });
  }

  private unsupported(name: string, at: Span): void {
    const seedReason = this.registry.getUnsupported(name);
    if (seedReason !== undefined) {
      this.bag.error(DiagnosticCode.FunctionNotSupported, `Function ${name} is not supported in messaging component formulas: ${seedReason.reason}`, at);
      return;
    }
    const close = suggest(name, this.registry.functionNames());
    const hint = close.length > 0 ? ` Did you mean ${close.join(', ')}?` : '';
    this.bag.error(DiagnosticCode.FunctionNotSupported, `Function ${name} is not supported: it is outside the messaging-component function set.${hint}`, at);
  }

  private reference(node: Reference): TypedExpr {
    if (node.global === null) return this.walk(node, 'record', this.env.fields, node.path, 0, 'Field', []);
    const global = node.global.toLowerCase();
    const head = `$${node.global}`;
    const globalSpan = { start: node.span.start, end: node.span.start + head.length };
    if (node.path.length === 0) {
      this.bag.error(DiagnosticCode.NotAValue, `${head} is not a value: name one of its members, such as ${head}.Name`, node.span);
      return this.invalid(node.span);
    }
    switch (global) {
      case 'constants':
        return this.walk(node, 'constants', this.env.constants ?? EMPTY_RECORD, node.path, 0, 'Constant', ['$Constants']);
      case 'parameters':
        return this.walk(node, 'parameters', this.env.parameters ?? EMPTY_RECORD, node.path, 0, 'Parameter', ['$Parameters']);
      case 'listitem':
        return this.listItem(node);
      case 'listtemplates':
        this.bag.error(
          DiagnosticCode.UnknownGlobal,
          `$ListTemplates.${node.path[0]?.name ?? ''} can only be used on its own as a merge field of a formula template, such as {!$ListTemplates.OptionsList}`,
          node.span,
        );
        return this.invalid(node.span);
      case 'system':
        return this.system(node);
      default:
        return this.callerGlobal(node, head, globalSpan);
    }
  }

  /**
   * `$User.X`, `$Organization.X`, …: typed by the caller's top-level `$`-prefixed entry of
   * `fields` (`{"$User": {"Commission_Percent__c": "Number"}}`) and read from the same entry of
   * the record. docs/formula-language.md lists them.
   */
  private callerGlobal(node: Reference, head: string, globalSpan: Span): TypedExpr {
    const entry = this.env.fields.fields.get(head.toLowerCase());
    if (entry !== undefined && typeof entry.type !== 'string' && entry.type.kind === 'record') {
      return this.walk(node, 'record', entry.type, node.path, 0, `${entry.name} member`, [entry.name], [entry.name]);
    }
    const known = CALLER_GLOBALS.find((g) => g.toLowerCase() === head.toLowerCase());
    if (known !== undefined) {
      this.bag.error(
        DiagnosticCode.UnknownGlobal,
        `${known} is not declared: describe its members in fields, such as {"${known}": {"${node.path[0]?.name ?? 'Name'}": "Text"}}, and give their values in the record`,
        globalSpan,
      );
      return this.invalid(node.span);
    }
    const close = suggest(head.toLowerCase(), ALL_GLOBALS.map((g) => g.toLowerCase())).map((c) => ALL_GLOBALS.find((g) => g.toLowerCase() === c) as string);
    const hint = close.length > 0 ? ` Did you mean ${close.join(', ')}?` : '';
    this.bag.error(
      DiagnosticCode.UnknownGlobal,
      `${head} is not available in messaging component formulas. Use $Constants, $Parameters, $ListItem inside a list template, or a declared global such as $User.${hint}`,
      globalSpan,
    );
    return this.invalid(node.span);
  }

  /** `$System.OriginDateTime`, built in: 1900-01-01T00:00:00Z, as in Salesforce. */
  private system(node: Reference): TypedExpr {
    const first = node.path[0] as { name: string; span: Span };
    if (first.name.toLowerCase() !== 'origindatetime' || node.path.length > 1) {
      const at = first.name.toLowerCase() === 'origindatetime' ? (node.path[1] as { span: Span }).span : first.span;
      this.bag.error(DiagnosticCode.UnknownField, `$System has one member, OriginDateTime${first.name.toLowerCase() === 'origindatetime' ? ', which has no fields' : ''}`, at);
      return this.invalid(node.span);
    }
    return { op: 'const', type: 'DateTime', value: ORIGIN_DATE_TIME, span: node.span };
  }

  private listItem(node: Reference): TypedExpr {
    const item = this.env.listItem;
    if (item === undefined) {
      this.bag.error(DiagnosticCode.UnknownGlobal, '$ListItem is only available in the item template of a list template', node.span);
      return this.invalid(node.span);
    }
    const first = node.path[0] as { name: string; span: Span };
    const key = first.name.toLowerCase();
    const member = LIST_ITEM_MEMBERS[key];
    if (member !== undefined) {
      if (node.path.length > 1) {
        this.bag.error(DiagnosticCode.UnknownField, `$ListItem.${member.name} has no fields`, (node.path[1] as { span: Span }).span);
        return this.invalid(node.span);
      }
      return { op: 'read', type: member.type, source: 'listItem', path: [member.key], display: `$ListItem.${member.name}`, span: node.span };
    }
    if (key !== 'value') {
      this.bag.error(DiagnosticCode.UnknownField, `$ListItem has no member ${first.name}. Use Index, Value, IsFirst or IsLast`, first.span);
      return this.invalid(node.span);
    }
    const rest = node.path.slice(1);
    if (rest.length === 0) return this.finish(node, 'listItem', item.value, ['value'], '$ListItem.Value');
    if (typeof item.value === 'string' || item.value.kind !== 'record') {
      this.bag.error(DiagnosticCode.UnknownField, `$ListItem.Value is ${typeName(item.value)}, which has no fields`, (rest[0] as { span: Span }).span);
      return this.invalid(node.span);
    }
    return this.walk(node, 'listItem', item.value, rest, 0, 'Field', ['$ListItem', 'Value'], ['value']);
  }

  private walk(
    node: Reference,
    source: ReadSource,
    root: RecordType,
    segments: Reference['path'],
    from: number,
    noun: string,
    displayPrefix: string[],
    pathPrefix: string[] = [],
  ): TypedExpr {
    if (from === segments.length - 1 && pathPrefix.length === 0 && displayPrefix.length === 0) {
      // The common case, a plain field name: no arrays to build.
      const entry = root.fields.get((segments[from] as { name: string }).name.toLowerCase());
      if (entry !== undefined) return this.finish(node, source, entry.type, [entry.name], entry.name);
    }
    let current: RecordType = root;
    // Array literals (not spreads): their allocation site learns that they hold strings, so the
    // pushes below do not change the arrays' element kind in optimized code (a deoptimization).
    const path: string[] = [];
    for (const p of pathPrefix) path.push(p);
    const display: string[] = [];
    for (const d of displayPrefix) display.push(d);
    for (let i = from; i < segments.length; i++) {
      const seg = segments[i] as { name: string; span: Span };
      const entry = current.fields.get(seg.name.toLowerCase());
      if (entry === undefined) {
        const close = suggest(seg.name.toLowerCase(), [...current.fields.keys()]).map((k) => current.fields.get(k)?.name ?? k);
        const what = display.length === displayPrefix.length ? `${noun} ${seg.name}` : `Field ${[...display, seg.name].join('.')}`;
        const hint = close.length > 0 ? ` Did you mean ${close.join(', ')}?` : ' Check spelling.';
        this.bag.error(DiagnosticCode.UnknownField, `${what} does not exist.${hint}`, seg.span);
        return this.invalid(node.span);
      }
      path.push(entry.name);
      display.push(entry.name);
      if (i < segments.length - 1) {
        if (typeof entry.type === 'string' || entry.type.kind !== 'record') {
          this.bag.error(DiagnosticCode.UnknownField, `${display.join('.')} is ${typeName(entry.type)}, not a relationship, so it has no field ${(segments[i + 1] as { name: string }).name}`, (segments[i + 1] as { span: Span }).span);
          return this.invalid(node.span);
        }
        current = entry.type;
      } else {
        return this.finish(node, source, entry.type, path, display.join('.'));
      }
    }
    return this.invalid(node.span);
  }

  private finish(node: Reference, source: ReadSource, type: FormulaType, path: string[], display: string): TypedExpr {
    if (typeof type !== 'string') {
      const message =
        type.kind === 'record'
          ? `${display} is a record reference, not a value. Name one of its fields, such as ${display}.Id`
          : `${display} is a list, not a value. Lists are the source of list templates`;
      this.bag.error(DiagnosticCode.NotAValue, message, node.span);
      return this.invalid(node.span);
    }
    return { op: 'read', type, source, path, display, span: node.span };
  }
}

/** Every field path a typed expression reads, as users write them, sorted and unique. */
export function dependencies(root: TypedExpr): string[] {
  const out: string[] = [];
  collectReads(root, out);
  if (out.length < 2) return out;
  // Sorted (in code-unit order, as sort() does), then adjacent duplicates dropped. A formula reads
  // a handful of fields: an insertion sort with `<` is much cheaper than sort()'s string compare.
  if (out.length > 16) out.sort();
  else {
    for (let i = 1; i < out.length; i++) {
      const v = out[i] as string;
      let j = i - 1;
      for (; j >= 0 && (out[j] as string) > v; j--) out[j + 1] = out[j] as string;
      out[j + 1] = v;
    }
  }
  let kept = 1;
  for (let i = 1; i < out.length; i++) if (out[i] !== out[kept - 1]) out[kept++] = out[i] as string;
  if (kept < out.length) out.length = kept;
  return out;
}

/**
 * The display paths of the reads under `node`, pushed to `out` (recursive: as deep as the type
 * checker's and the compiler's own recursion over the same tree, which ran before; a RangeError
 * is caught by the caller as theirs are). No stack array per compile.
 */
function collectReads(node: TypedExpr, out: string[]): void {
  if (node.op === 'read') out.push(node.display);
  else if (node.op === 'call') {
    const args = node.args;
    for (let i = 0; i < args.length; i++) collectReads(args[i] as TypedExpr, out);
  }
}
