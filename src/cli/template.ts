/** `parlance template <file|->`: renders a formula template (CONTRACT.md §2) with the template service (src/services/template.ts). */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../formula/diagnostics.js';
import type { ListTemplateDefinition, RenderProblem } from '../template/template.js';
import { listTemplateOf, renderTemplate } from '../services/template.js';
import { invalidNow } from '../services/evaluate.js';
import type { BudgetOptions } from '../formula/runtime/budget.js';
import { BUDGET_FLAGS, BUDGET_USAGE, budgetFromFlags } from './budget.js';
import { OptionError, readJsonOption, readObjectOption } from './options.js';
import { parseCommand } from './args.js';

interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
}

export const TEMPLATE_USAGE = `Usage: parlance template <file|-> [options]

Renders a formula template ({!…} merge fields) read from <file>, or from stdin with "-", and
prints the text exactly (no newline is added). Problems are printed on stderr as
"where:line:column: CODE message"; errors exit 1.

Options:
  --constants <json|@file>        Constant values for $Constants, e.g. '{"Title":"Hi"}'
  --parameters <json|@file>       Parameter values for $Parameters
  --list-templates <json|@file>   List templates: [{"name", "source", "template", "lineBreaks"?}]
  --constant-types <json|@file>   Constant types; inferred from the values when absent
  --parameter-types <json|@file>  Parameter types; inferred from the values when absent
  --line-breaks br|preserve       br (default): only BR() breaks lines; preserve: keep the source's
  --lenient                       Unknown references render as blank, with a warning
  --now <ISO 8601>                The current instant for TODAY() and NOW()
  --timezone <IANA zone>          Time zone for TODAY() (default UTC)
  --json                          Print {"ok", "text", "errors", "warnings"} on stdout instead
${BUDGET_USAGE}  -h, --help                      Show this help
`;

function readListTemplates(value: string | undefined): ListTemplateDefinition[] | undefined {
  const v = readJsonOption('list-templates', value);
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new OptionError('expected a JSON array of {"name", "source", "template"}', 'list-templates');
  v.forEach((lt: unknown, i) => {
    const o = lt as Record<string, unknown> | null;
    const ok =
      o !== null &&
      typeof o === 'object' &&
      typeof o['name'] === 'string' &&
      typeof o['source'] === 'string' &&
      typeof o['template'] === 'string' &&
      (o['lineBreaks'] === undefined || o['lineBreaks'] === 'br' || o['lineBreaks'] === 'preserve');
    if (!ok) throw new OptionError(`/${i}: a list template is {"name", "source", "template"} strings, with "lineBreaks" "br" or "preserve"`, 'list-templates');
  });
  return v as ListTemplateDefinition[];
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Where a problem is: the template file, or the list template (`--list-templates /0/template`). */
function locate(p: { readonly origin?: string | undefined }, file: string, listTemplates: readonly ListTemplateDefinition[]): string {
  if (p.origin === undefined) return file;
  const lt = listTemplateOf(p.origin, listTemplates);
  return lt === undefined ? p.origin : `--list-templates /${lt.index}/${lt.part}`;
}

function formatProblem(p: Diagnostic | RenderProblem, file: string, listTemplates: readonly ListTemplateDefinition[]): string {
  const where = locate(p, file, listTemplates);
  const at = where.endsWith('/source') ? '' : `:${p.span.line}:${p.span.column}`;
  return `${where}${at}: ${p.code} ${p.message}\n`;
}

function wire(p: Diagnostic | RenderProblem): Record<string, unknown> {
  return { code: p.code, message: p.message, span: p.span, ...(p.origin !== undefined ? { origin: p.origin } : {}) };
}

/** Runs the command; returns the exit code. `usage` builds the error thrown for usage errors. */
export async function runTemplate(args: string[], io: Io, usage: (message: string) => Error): Promise<number> {
  const { values, positionals } = parseCommand('template', args, {
    constants: { type: 'string' },
    parameters: { type: 'string' },
    'list-templates': { type: 'string' },
    'constant-types': { type: 'string' },
    'parameter-types': { type: 'string' },
    'line-breaks': { type: 'string' },
    lenient: { type: 'boolean' },
    now: { type: 'string' },
    timezone: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    ...BUDGET_FLAGS,
  });
  if (values.help === true) {
    io.stdout.write(TEMPLATE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw usage(positionals.length === 0 ? 'template needs a template file (or - for stdin)' : 'template takes exactly one template file');
  const lineBreaks = values['line-breaks'];
  if (lineBreaks !== undefined && lineBreaks !== 'br' && lineBreaks !== 'preserve') throw usage('--line-breaks must be br or preserve');
  const file = positionals[0] as string;
  const json = values.json === true;
  // JSON on stdout with --json; otherwise one line "where: CODE message" on stderr.
  const fail = (code: string, message: string, pointer: string, text = message): number => {
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, errors: [{ code, message, pointer }], warnings: [] })}\n`);
    else io.stderr.write(`${pointer}: ${code} ${text}\n`);
    return 1;
  };

  let source: string;
  try {
    source = file === '-' ? await readAll(io.stdin) : readFileSync(file, 'utf8');
  } catch (e) {
    return fail('E_READ_FILE', `cannot read ${file}: ${(e as Error).message}`, file);
  }
  let constants: Record<string, unknown> | undefined;
  let parameters: Record<string, unknown> | undefined;
  let constantTypes: Record<string, unknown> | undefined;
  let parameterTypes: Record<string, unknown> | undefined;
  let listTemplates: ListTemplateDefinition[] | undefined;
  let budget: BudgetOptions | undefined;
  try {
    budget = budgetFromFlags(values);
    constants = readObjectOption('constants', values.constants);
    parameters = readObjectOption('parameters', values.parameters);
    constantTypes = readObjectOption('constant-types', values['constant-types']);
    parameterTypes = readObjectOption('parameter-types', values['parameter-types']);
    listTemplates = readListTemplates(values['list-templates']);
    // Templates read `now` only at a clock call: a bad one is refused here, for every template.
    const nowError = values.now !== undefined ? invalidNow(values.now) : undefined;
    if (nowError !== undefined) throw new OptionError(nowError, 'now');
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    return fail('E_INVALID_OPTION', `--${e.option}: ${e.message}`, `--${e.option}`, e.message);
  }

  const result = renderTemplate(
    {
      template: source,
      ...(constants !== undefined ? { constants } : {}),
      ...(parameters !== undefined ? { parameters } : {}),
      ...(constantTypes !== undefined ? { constantTypes } : {}),
      ...(parameterTypes !== undefined ? { parameterTypes } : {}),
      ...(listTemplates !== undefined ? { listTemplates } : {}),
      ...(lineBreaks !== undefined ? { lineBreaks } : {}),
      lenient: values.lenient === true,
      ...(values.now !== undefined ? { now: values.now } : {}),
      ...(values.timezone !== undefined ? { timezone: values.timezone } : {}),
    },
    budget,
  );
  return writeResult(result, json, file, listTemplates ?? [], io);
}

/** The result: JSON on stdout with --json; otherwise the problems on stderr and the text on stdout. */
function writeResult(result: ReturnType<typeof renderTemplate>, json: boolean, file: string, lts: ListTemplateDefinition[], io: Io): number {
  const { errors, warnings } = result;
  if (json) {
    const out = result.ok
      ? { ok: true, text: result.text, errors: [], warnings: warnings.map(wire) }
      : { ok: false, errors: errors.map(wire), warnings: warnings.map(wire) };
    io.stdout.write(`${JSON.stringify(out)}\n`);
    return result.ok ? 0 : 1;
  }
  for (const p of [...errors, ...warnings]) io.stderr.write(formatProblem(p, file === '-' ? '<stdin>' : file, lts));
  if (!result.ok) return 1;
  io.stdout.write(result.text);
  return 0;
}
