/**
 * Function documentation from the registry: signatures (with where each parameter sits in the
 * label, for signature help) and Markdown for hovers and completions.
 */
import type { FunctionSpec, Overload, ParamSpec, ParamType } from '../formula/registry/registry.js';
import { typeName, type FormulaType } from '../formula/types.js';
import type { SignatureInformation } from './types.js';

function paramTypeText(t: ParamType): string {
  if (typeof t !== 'string') return t.join(' | ');
  if (t === 'Numeric') return 'Number';
  if (t === 'Any' || t === 'T' || t === 'U') return 'any';
  return t;
}

function returnText(o: Overload): string {
  const r = o.returns;
  if (typeof r === 'function') {
    const t: FormulaType = r(o.params.map((p) => (typeof p.type === 'string' && p.type !== 'Numeric' && p.type !== 'Any' && p.type !== 'T' && p.type !== 'U' ? p.type : 'Number')));
    return typeName(t);
  }
  return r === 'T' || r === 'U' ? 'same type as the arguments' : r;
}

/** The parameters an overload shows: CASE-like shapes are shown with four arguments. */
function shownParams(o: Overload): readonly ParamSpec[] {
  return o.shape !== undefined ? (o.shape.expand(4) ?? o.params) : o.params;
}

/** `ROUND(number: Number, digits: Number) → Number`, with each parameter's place in it. */
export function signatureOf(f: FunctionSpec, o: Overload): SignatureInformation {
  let label = `${f.name}(`;
  const parameters: Array<{ label: readonly [number, number]; documentation?: string }> = [];
  shownParams(o).forEach((p, i) => {
    if (i > 0) label += ', ';
    let text = `${p.name}: ${paramTypeText(p.type)}`;
    if (p.repeat === true) text += ', …';
    if (p.optional === true) text = `[${text}]`;
    parameters.push({ label: [label.length, label.length + text.length], ...(p.literal === true ? { documentation: 'Must be a literal value.' } : {}) });
    label += text;
  });
  if (o.shape !== undefined) label += `, … (${o.shape.describe} arguments)`;
  label += `) → ${returnText(o)}`;
  return { label, documentation: f.doc.summary, parameters };
}

/** Markdown for a function: its signatures, summary, a few examples and its notes. */
export function functionMarkdown(f: FunctionSpec, maxExamples = 3): string {
  const lines = ['```parlance-formula', ...f.overloads.map((o) => signatureOf(f, o).label), '```', '', f.doc.summary];
  const examples = f.doc.examples.slice(0, maxExamples);
  if (examples.length > 0) {
    lines.push('', 'Examples:');
    for (const e of examples) lines.push(`- \`${e.formula}\` → ${e.result}`);
  }
  for (const n of f.doc.notes ?? []) lines.push('', n);
  if (f.volatile === true) lines.push('', 'Reads the clock: the result depends on when and in which time zone it is evaluated.');
  return lines.join('\n');
}

/** The overload a call with the cursor in argument `argIndex` most likely uses, and the active parameter. */
export function activeOverload(f: FunctionSpec, argIndex: number): { signature: number; parameter: number } {
  for (const [i, o] of f.overloads.entries()) {
    const shown = shownParams(o);
    const repeats = shown[shown.length - 1]?.repeat === true || o.shape !== undefined;
    if (argIndex < shown.length) return { signature: i, parameter: argIndex };
    if (repeats) return { signature: i, parameter: shown.length - 1 };
  }
  const last = f.overloads.length - 1;
  return { signature: last, parameter: Math.max(0, shownParams(f.overloads[last] as Overload).length - 1) };
}
