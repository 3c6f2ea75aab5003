/**
 * Dynamic content in a messaging component (B:31: a notification component sent to a WhatsApp user
 * outside the 24-hour window "can't contain dynamic content"). The seed doesn't define the term;
 * Parlance's definition (docs/outbound.md): a component has dynamic content when what it sends
 * isn't fixed by its definition, that is, when any part of a format or of a list template
 * - takes a value supplied when the component is sent: a `Parameter` binding, a formula or
 *   template that reads `$Parameters`, or options or a list template whose source is
 *   `$Parameters.<name>` (dynamic options, time slots, records);
 * - or depends on when it is sent: `NOW()`, `TODAY()` or `TIMENOW()`.
 * Constants, literals and `$ListItem` over a constant list are static. A declared parameter that
 * nothing uses sends nothing, so it is not dynamic content.
 */
import { children, type Expr } from '../formula/ast.js';
import { DiagnosticBag } from '../formula/diagnostics.js';
import { FormulaSyntax } from '../formula/parser/parse.js';
import { SourceText } from '../formula/source.js';
import { tokenizeTemplate } from '../template/tokenizer.js';

/** One dynamic part of a component. */
export interface DynamicPart {
  /** JSON pointer into the component definition. */
  readonly pointer: string;
  /** What makes it dynamic. */
  readonly message: string;
}

const TIME_FUNCTIONS: ReadonlySet<string> = new Set(['NOW', 'TODAY', 'TIMENOW']);
const BINDING_KEYS = ['title', 'subtitle', 'url', 'image', 'text', 'id'] as const;

/** A reusable parser, created on first use (parsing state only; no business state). */
let syntax: FormulaSyntax | undefined;

/** What makes a formula dynamic, or undefined when it is static. An unparsable formula counts as dynamic: it can't be shown to be fixed. */
function formulaDynamic(formula: string): string | undefined {
  const parsed = (syntax ??= new FormulaSyntax()).parse(formula, { maxLength: Math.max(3900, formula.length) });
  if (parsed.ast === null) return 'it can\'t be parsed, so it can\'t be shown to be fixed';
  const stack: Expr[] = [parsed.ast];
  while (stack.length > 0) {
    const n = stack.pop() as Expr;
    if (n.kind === 'Reference' && n.global !== null && n.global.toLowerCase() === 'parameters') {
      return `it reads $Parameters${n.path.length > 0 ? `.${n.path.map((p) => p.name).join('.')}` : ''}, supplied when the component is sent`;
    }
    if (n.kind === 'Call' && TIME_FUNCTIONS.has(n.name)) return `it calls ${n.name}(), which depends on when the component is sent`;
    // Reversed, so the first dynamic reference in source order is the one reported.
    stack.push(...[...children(n)].reverse());
  }
  return undefined;
}

/** What makes a formula template dynamic (its first dynamic merge field), or undefined. */
function templateDynamic(template: string): string | undefined {
  const bag = new DiagnosticBag(new SourceText(template));
  for (const segment of tokenizeTemplate(template, 'preserve', bag)) {
    if (segment.kind !== 'merge') continue;
    const why = formulaDynamic(segment.expression);
    if (why !== undefined) return `the merge field {!${segment.expression.trim()}}: ${why}`;
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isParameterSource = (source: unknown): boolean => typeof source === 'string' && /^\$parameters\./i.test(source.trim());

/** A binding's dynamic part, if any. */
function bindingDynamic(binding: unknown, pointer: string, out: DynamicPart[]): void {
  if (!isObject(binding)) return;
  if (binding.type === 'Parameter') {
    out.push({ pointer, message: `takes the parameter ${String(binding.name)}${typeof binding.field === 'string' ? `.${binding.field}` : ''}, supplied when the component is sent` });
  } else if (binding.type === 'Formula' && typeof binding.formula === 'string') {
    const why = formulaDynamic(binding.formula);
    if (why !== undefined) out.push({ pointer: `${pointer}/formula`, message: `a formula: ${why}` });
  }
}

/**
 * Every dynamic part of a component definition, in document order (empty for a static
 * component). The definition is expected to be valid (`validateComponent`); anything unexpected
 * is skipped, never thrown on.
 */
export function dynamicParts(definition: unknown): DynamicPart[] {
  const out: DynamicPart[] = [];
  if (!isObject(definition)) return out;
  const formats = Array.isArray(definition.formats) ? definition.formats : [];
  formats.forEach((format: unknown, i: number) => {
    if (!isObject(format)) return;
    const at = `/formats/${i}`;
    for (const key of BINDING_KEYS) bindingDynamic(format[key], `${at}/${key}`, out);
    if (typeof format.template === 'string') {
      const why = templateDynamic(format.template);
      if (why !== undefined) out.push({ pointer: `${at}/template`, message: `the Text template has dynamic content: ${why}` });
    }
    const options = format.options;
    if (isObject(options)) {
      if (isParameterSource(options.source)) out.push({ pointer: `${at}/options/source`, message: `the options come from ${String(options.source).trim()}, supplied when the component is sent (dynamic options)` });
      for (const key of BINDING_KEYS) bindingDynamic(options[key], `${at}/options/${key}`, out);
    }
  });
  const lists = Array.isArray(definition.listTemplates) ? definition.listTemplates : [];
  lists.forEach((list: unknown, i: number) => {
    if (!isObject(list)) return;
    const at = `/listTemplates/${i}`;
    if (isParameterSource(list.source)) out.push({ pointer: `${at}/source`, message: `the list template ${String(list.name)} lists ${String(list.source).trim()}, supplied when the component is sent` });
    if (typeof list.template === 'string') {
      const why = templateDynamic(list.template);
      if (why !== undefined) out.push({ pointer: `${at}/template`, message: `the list template ${String(list.name)} has dynamic content: ${why}` });
    }
  });
  return out;
}
