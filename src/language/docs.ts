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

/**
 * The parameters an overload shows. An irregular shape (CASE) is shown with as many arguments as
 * the cursor needs (argument `argIndex` and one more), and at least four.
 */
function shownParams(o: Overload, argIndex = 0): readonly ParamSpec[] {
  if (o.shape === undefined) return o.params;
  for (let n = Math.max(4, argIndex + 2); n < Math.max(4, argIndex + 2) + 4; n++) {
    const params = o.shape.expand(n);
    if (params !== undefined) return params;
  }
  return o.params;
}

/** `ROUND(number: Number, digits: Number) → Number`, with each parameter's place in it. */
export function signatureOf(f: FunctionSpec, o: Overload, argIndex = 0): SignatureInformation {
  let label = `${f.name}(`;
  const parameters: Array<{ label: readonly [number, number]; documentation?: string }> = [];
  shownParams(o, argIndex).forEach((p, i) => {
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
  const lines = ['```parlance', ...f.overloads.map((o) => signatureOf(f, o).label), '```', '', f.doc.summary];
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
    const shown = shownParams(o, argIndex);
    const repeats = shown[shown.length - 1]?.repeat === true || o.shape !== undefined;
    if (argIndex < shown.length) return { signature: i, parameter: argIndex };
    if (repeats) return { signature: i, parameter: shown.length - 1 };
  }
  const last = f.overloads.length - 1;
  return { signature: last, parameter: Math.max(0, shownParams(f.overloads[last] as Overload, argIndex).length - 1) };
}
