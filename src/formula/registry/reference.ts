import type { FormulaType } from '../types.js';
import { describeArity, type Family, type FunctionRegistry, type FunctionSpec, type Overload, type ParamSpec, type ParamType } from './registry.js';

const FAMILY_TITLES: Readonly<Record<Family, string>> = {
  operator: 'Operators',
  logic: 'Logic',
  text: 'Text',
  math: 'Math',
  date: 'Date and time',
  geolocation: 'Geolocation',
};
const FAMILY_ORDER: readonly Family[] = ['operator', 'logic', 'text', 'math', 'date', 'geolocation'];

function paramTypeText(t: ParamType): string {
  if (typeof t !== 'string') return t.join(' | ');
  return t === 'Numeric' ? 'Number' : t;
}

/** A representative argument type for a parameter, to show what a return-type rule gives. */
function representative(t: ParamType): FormulaType {
  if (typeof t !== 'string') return t[0] ?? 'Null';
  if (t === 'Numeric') return 'Number';
  if (t === 'Any' || t === 'T' || t === 'U') return 'Null';
  return t;
}

function returnText(o: Overload, params: readonly ParamSpec[]): string {
  const r = o.returns;
  if (typeof r === 'function') {
    const t = r(params.map((p) => representative(p.type)));
    return typeof t === 'string' ? (t === 'Null' ? 'same type as the arguments' : t) : 'value';
  }
  return r === 'T' || r === 'U' ? `${r} (the arguments' common type)` : r;
}

function signature(f: FunctionSpec, o: Overload): string {
  const params = o.shape !== undefined ? (o.shape.expand(4) ?? []) : o.params;
  const parts = params.map((p) => {
    let s = `${p.name}: ${paramTypeText(p.type)}`;
    if (p.literal === true) s += ' (literal)';
    if (p.repeat === true) s += ', …';
    return p.optional === true ? `[${s}]` : s;
  });
  const shape = o.shape !== undefined ? ', … (' + o.shape.describe + ' arguments)' : '';
  if (f.kind === 'operator') {
    const symbol = f.name.replace('unary ', '');
    const text = parts.length === 1 ? `${symbol}${parts[0]}` : `${parts[0]} ${symbol} ${parts[1]}`;
    return `${text} → ${returnText(o, params)}`;
  }
  return `${f.name}(${parts.join(', ')}${shape}) → ${returnText(o, params)}`;
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, '⏎');
}

function section(f: FunctionSpec): string {
  const title = f.kind === 'operator' ? `\`${f.name}\`` : `${f.name}`;
  const lines = [`### ${title}`, '', f.doc.summary, '', '```'];
  for (const o of f.overloads) lines.push(signature(f, o));
  lines.push('```', '');
  const arities = [...new Set(f.overloads.map(describeArity))];
  if (f.kind === 'function') lines.push(`Arguments: ${arities.join(' or ')}.${f.volatile === true ? ' Reads the clock: the result depends on the evaluation time and time zone.' : ''}`, '');
  if (f.doc.examples.length > 0) {
    lines.push('| Formula | Result |', '|---|---|');
    for (const e of f.doc.examples) lines.push(`| \`${escapeCell(e.formula)}\` | ${escapeCell(e.result)} |`);
    lines.push('');
  }
  for (const n of f.doc.notes ?? []) lines.push(`- ${n}`);
  if ((f.doc.notes ?? []).length > 0) lines.push('');
  return lines.join('\n');
}

/** Renders the function reference (docs/functions.md) from a registry. */
export function renderFunctionReference(registry: FunctionRegistry): string {
  const all = registry.all();
  const out = [
    '# Function reference',
    '',
    '<!-- Generated from the function registry by `npm run gen`. Do not edit by hand: a test fails when this file and the registry drift apart. -->',
    '',
    'Every function and operator that messaging component formulas support, grouped by family. Function names are case-insensitive.',
    'Functions outside this set are rejected at compile time with `E_FUNCTION_NOT_SUPPORTED`;',
    `the seed's unsupported list (${registry.unsupportedNames().join(', ')}) is rejected with the reason "HTML-generating functions aren't supported".`,
    'See [compatibility.md](compatibility.md) for every place where Parlance had to choose between sources.',
    '',
  ];
  for (const family of FAMILY_ORDER) {
    const members = all.filter((f) => f.family === family);
    if (members.length === 0) continue;
    out.push(`## ${FAMILY_TITLES[family]}`, '');
    out.push(members.map((f) => (f.kind === 'operator' ? `\`${f.name}\`` : f.name)).join(' · '), '');
    for (const f of members) out.push(section(f));
  }
  return `${out.join('\n').trimEnd()}\n`;
}
