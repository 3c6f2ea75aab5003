/**
 * What every input must give, whatever it is: diagnostics with codes and spans, typed results or
 * typed errors, never a throw. Shared by the fuzz properties and the corpus regression cases.
 */
import {
  compileComponent,
  compileFormula,
  compileTemplate,
  renderComponent,
  SCALAR_TYPES,
  validateComponent,
  type CompileOptions,
  type CompiledFormula,
  type Diagnostic,
  type EvaluationContext,
  type RenderOutcome,
  type TemplateOptions,
  type TemplateData,
  type TemplateRenderResult,
} from '../../src/index.js';
import { check } from './config.js';

const CODE = /^[EW]_[A-Z0-9_]+$/;
const SCALARS: ReadonlySet<string> = new Set(SCALAR_TYPES);

export function checkDiagnostics(diagnostics: readonly Diagnostic[], text: string): void {
  for (const d of diagnostics) {
    const { start, end, line, column } = d.span;
    check(CODE.test(d.code) && d.message.length > 0, `bad diagnostic ${d.code} ${d.message}`, text);
    check(start >= 0 && end >= start && end <= text.length && line >= 1 && column >= 1, `bad span ${JSON.stringify(d.span)}`, text);
  }
}

const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const DATE = /^-?[0-9]{4,6}-[0-9]{2}-[0-9]{2}$/;

/** A wire value of the type (CONTRACT.md: numbers as decimal text, blanks as null). */
export function checkWireValue(type: string, value: unknown, input: unknown): void {
  check(value !== undefined, `a ${type} wire value is undefined`, input);
  if (value === null) return;
  switch (type) {
    case 'Number':
    case 'Currency':
    case 'Percent':
      check(typeof value === 'string' && DECIMAL.test(value), `a ${type} that is not decimal text (${String(value).slice(0, 60)})`, input);
      return;
    case 'Text':
    case 'Id':
    case 'Picklist':
    case 'MultiPicklist':
      check(typeof value === 'string' && value !== '', `a ${type} that is not text`, input);
      return;
    case 'Boolean':
      check(typeof value === 'boolean', 'a Boolean that is not true or false', input);
      return;
    case 'Date':
      check(typeof value === 'string' && DATE.test(value), `a Date that is not a date (${String(value)})`, input);
      return;
    case 'DateTime':
    case 'Time':
      check(typeof value === 'string' && value.length > 0 && !value.includes('NaN') && !value.includes('Invalid'), `a ${type} that is not one (${String(value)})`, input);
      return;
    case 'Geolocation': {
      const g = value as { latitude?: unknown; longitude?: unknown };
      check(typeof value === 'object' && typeof g.latitude === 'string' && typeof g.longitude === 'string', 'a Geolocation that is not one', input);
      return;
    }
    default:
      check(false, `an unknown type ${type}`, input);
  }
}

function checkError(error: { code?: unknown; message?: unknown; span?: unknown }, input: unknown): void {
  check(typeof error.code === 'string' && CODE.test(error.code), `an error without a code (${String(error.code)})`, input);
  check(typeof error.message === 'string' && error.message.length > 0, 'an error without a message', input);
  check(typeof error.span === 'object' && error.span !== null, 'an error without a span', input);
  // E_INTERNAL is an exception caught at the boundary: a crash dressed as a value.
  check(error.code !== 'E_INTERNAL', `an internal error: ${String(error.message)}`, input);
}

/** Evaluates a compiled formula both ways; neither may throw, and both must agree and be typed. */
export function checkEvaluation(compiled: CompiledFormula, context: EvaluationContext, input: unknown): void {
  let result;
  let wire;
  try {
    result = compiled.evaluate(context);
  } catch (e) {
    check(false, `evaluate() threw ${String(e)}`, input);
  }
  try {
    wire = compiled.evaluateToWire(context);
  } catch (e) {
    check(false, `evaluateToWire() threw ${String(e)}`, input);
  }
  check(typeof result === 'object' && result !== null, 'evaluate() returned no result', input);
  if (result.ok) {
    check(SCALARS.has(result.type), `a result of type ${String(result.type)}`, input);
    check(result.value !== undefined, `a ${result.type} result with no value`, input);
    if (['Number', 'Currency', 'Percent'].includes(result.type) && result.value !== null) {
      const v = result.value as unknown;
      const finite = typeof v === 'number' ? Number.isFinite(v) : typeof (v as { isFinite?: () => boolean }).isFinite === 'function' && (v as { isFinite: () => boolean }).isFinite();
      check(finite, `a ${result.type} result that is not a finite number`, input);
    }
    check(!('error' in wire), `evaluateToWire() failed where evaluate() did not: ${JSON.stringify(wire)}`, input);
    const w = wire as { type: string; value: unknown };
    check(w.type === result.type, `evaluateToWire() type ${w.type} ≠ ${result.type}`, input);
    checkWireValue(w.type, w.value, input);
  } else {
    checkError(result.error, input);
    check('error' in wire, 'evaluateToWire() succeeded where evaluate() failed', input);
    checkError((wire as { error: Diagnostic }).error, input);
  }
}

/** Compiles and, when it compiles, evaluates: never a throw, always diagnostics or typed results. */
export function checkFormula(source: string, options: CompileOptions, context: EvaluationContext): CompiledFormula {
  let compiled: CompiledFormula;
  try {
    compiled = compileFormula(source, options);
  } catch (e) {
    check(false, `compileFormula() threw ${String(e)}`, source);
  }
  checkDiagnostics(compiled.diagnostics, source);
  check(compiled.ok === !compiled.diagnostics.some((d) => d.severity === 'error'), 'ok exactly when there is no error', source);
  check(!compiled.ok || (compiled.returnType !== null && SCALARS.has(compiled.returnType)), 'a compiled formula without a type', source);
  if (compiled.ok) checkEvaluation(compiled, context, source);
  return compiled;
}

/** Compiles and renders a template: never a throw; problems have codes; the text is text. */
export function checkTemplate(source: string, options: TemplateOptions, data: TemplateData): TemplateRenderResult | undefined {
  let compiled;
  try {
    compiled = compileTemplate(source, options);
  } catch (e) {
    check(false, `compileTemplate() threw ${String(e)}`, source);
  }
  for (const d of compiled.diagnostics) check(CODE.test(d.code) && d.message.length > 0 && d.span.line >= 1, `bad template diagnostic ${d.code}`, source);
  if (!compiled.ok) return undefined;
  let result: TemplateRenderResult;
  try {
    result = compiled.render(data);
  } catch (e) {
    check(false, `render() threw ${String(e)}`, source);
  }
  check(typeof result.text === 'string', 'render() text is not text', source);
  check(result.ok === (result.errors.length === 0), 'ok exactly when there is no error', source);
  for (const p of [...result.errors, ...result.warnings]) checkError(p, source);
  return result;
}

/**
 * Validates, compiles and renders a component: never a throw; outcomes are typed. `once`: render
 * with renderComponent() (compile and render in one call) instead of the compiled component.
 */
export function checkComponent(definition: unknown, request: unknown, once = false): { valid: boolean; outcome: RenderOutcome } {
  let validation;
  try {
    validation = validateComponent(definition);
  } catch (e) {
    check(false, `validateComponent() threw ${String(e)}`, definition);
  }
  check(validation.valid === (validation.errors.length === 0), 'valid exactly when there is no error', definition);
  for (const p of [...validation.errors, ...validation.warnings]) {
    check(typeof p.code === 'string' && p.code.length > 0 && typeof p.message === 'string' && typeof p.pointer === 'string', `bad component problem ${JSON.stringify(p)}`, definition);
  }
  let outcome: RenderOutcome;
  try {
    const compiled = compileComponent(definition);
    check(compiled.ok === validation.valid, 'compileComponent() and validateComponent() disagree', definition);
    outcome = once ? renderComponent(definition, request) : compiled.render(request);
  } catch (e) {
    check(false, `rendering threw ${String(e)}`, { definition, request });
  }
  if (outcome.ok) {
    check(validation.valid, 'an invalid component rendered', definition);
    const r = outcome.result;
    check(typeof r.text === 'string' && typeof r.format === 'string' && Array.isArray(r.skipped) && typeof r.payload === 'object', 'a render result of the wrong shape', { definition, request });
  } else {
    const e = outcome.error;
    check(typeof e.code === 'string' && CODE.test(e.code) && typeof e.message === 'string' && Array.isArray(e.errors), `a render error of the wrong shape ${JSON.stringify(e).slice(0, 200)}`, { definition, request });
    check(e.code !== 'E_INTERNAL', `an internal error: ${e.message}`, { definition, request });
  }
  return { valid: validation.valid, outcome };
}
