import { DiagnosticCode, type Diagnostic } from '../formula/diagnostics.js';
import { closest, parseCommand, UsageError } from './args.js';
import { runJsonl } from './jsonl.js';
import { Evaluator, invalidNow, type EvalOutcome, type EvalRequest, type WireError } from '../services/evaluate.js';
import type { BudgetOptions } from '../formula/runtime/budget.js';
import { BUDGET_FLAGS, BUDGET_USAGE, budgetFromFlags } from './budget.js';
import { EXPORT_USAGE, IMPORT_USAGE, runExport, runImport } from './metadata.js';
import { LSP_USAGE } from './lsp-documents.js';
import { OptionError, readObjectOption } from './options.js';
import { ERROR_CODE_USAGE, runErrorCode } from './error-code.js';
import { RENDER_USAGE, runRender, runTest, TEST_USAGE } from './render.js';
import { runServe, SERVE_USAGE } from './serve.js';
import { runTemplate, TEMPLATE_USAGE } from './template.js';
import { runValidate, VALIDATE_USAGE } from './validate.js';

/** Exit codes (CONTRACT.md §2): 0 success, 1 input rejected, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage: parlance <command> [options]

Commands:
  eval <formula>     Evaluate one formula and print {"type", "value"} as JSON (parlance eval --help).
  eval --jsonl       Evaluate JSON lines from stdin, one output line per input line.
  template <file|->  Render a formula template and print the text (parlance template --help).
  validate <file>... Validate component definitions (parlance validate --help).
  render <file>      Render a component for a channel (parlance render --help).
  test <dir>...      Run golden render cases (parlance test --help).
  serve              Start the HTTP server (parlance serve --help).
  import <path>...   Read Salesforce metadata (components, channels) into Parlance JSON.
  export <file>...   Write Parlance definitions as Salesforce metadata (source format).
  lsp                Run the language server for editors, on stdin/stdout (parlance lsp --help).
  error-code <code>  Describe a messaging error code, such as 0004 (parlance error-code --help).
  help <command>     Show a command's options.

Exit codes: 0 success, 1 the input was rejected, 2 usage error (the message and the command's
usage on stderr).
`;

export const EVAL_USAGE = `Usage: parlance eval <formula> [options]
       parlance eval --jsonl < requests.jsonl

Evaluates a formula and prints {"type", "value"} as JSON on stdout. On an error prints
{"error": {"code", "message", "span"}} (a problem with the formula) or {"error": {"code",
"message", "pointer"}} (a problem with an option) on stdout and exits 1. Exit 2 on usage errors.

Options:
  --fields <json|@file>      Field name -> type, e.g. '{"Days":"Number","Account":{"Name":"Text"}}'
  --record <json|@file>      Field values, e.g. '{"Days":21}'
  --constants <json|@file>   Constant values for $Constants (types with --constant-types)
  --parameters <json|@file>  Parameter values for $Parameters (types with --parameter-types)
  --constant-types <json|@file>, --parameter-types <json|@file>
  --return-type <type>       Number, Currency, Percent, Text, Boolean, Date, DateTime, Time, ...
  --scale <n>                Decimal places of a numeric result
  --now <ISO 8601>           The current instant for TODAY(), NOW(), TIMENOW()
  --timezone <IANA zone>     Time zone for TODAY() (default UTC; DATEVALUE(date/time) is always GMT)
  --blank-as zero|blank      How blank fields read (default blank)
  --jsonl                    Batch mode: read requests as JSON lines from stdin (limits apply per line)
${BUDGET_USAGE}  -h, --help                 Show this help
`;

/** Each command's usage, printed by `--help` and after a usage error. */
const USAGES: Readonly<Record<string, string>> = {
  eval: EVAL_USAGE,
  template: TEMPLATE_USAGE,
  validate: VALIDATE_USAGE,
  render: RENDER_USAGE,
  test: TEST_USAGE,
  serve: SERVE_USAGE,
  import: IMPORT_USAGE,
  export: EXPORT_USAGE,
  lsp: LSP_USAGE,
  'error-code': ERROR_CODE_USAGE,
};

interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
}

function write(stream: NodeJS.WritableStream, value: unknown): void {
  stream.write(`${JSON.stringify(value)}\n`);
}

async function runEval(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand('eval', args, {
    fields: { type: 'string' },
    record: { type: 'string' },
    constants: { type: 'string' },
    parameters: { type: 'string' },
    'constant-types': { type: 'string' },
    'parameter-types': { type: 'string' },
    'return-type': { type: 'string' },
    scale: { type: 'string' },
    now: { type: 'string' },
    timezone: { type: 'string' },
    'blank-as': { type: 'string' },
    jsonl: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    ...BUDGET_FLAGS,
  });
  if (values.help === true) {
    io.stdout.write(EVAL_USAGE);
    return EXIT_OK;
  }
  let budget: BudgetOptions | undefined;
  try {
    budget = budgetFromFlags(values);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    write(io.stdout, { error: { code: 'E_INVALID_OPTION', message: `--${e.option}: ${e.message}`, pointer: `/${e.option}` } });
    return EXIT_REJECTED;
  }
  const evaluator = new Evaluator();
  if (values.jsonl === true) {
    if (positionals.length > 0) throw new UsageError('eval --jsonl reads formulas from stdin; do not also pass a formula', 'eval');
    return (await runJsonl(evaluator, io.stdin, io.stdout, budget)) > 0 ? EXIT_REJECTED : EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'eval needs a formula' : 'eval takes exactly one formula (quote it)', 'eval');
  const blankAs = values['blank-as'];
  if (blankAs !== undefined && blankAs !== 'zero' && blankAs !== 'blank') throw new UsageError('--blank-as must be zero or blank', 'eval');
  let scale: number | undefined;
  if (values.scale !== undefined) {
    scale = Number(values.scale);
    if (!Number.isInteger(scale)) throw new UsageError('--scale must be a whole number', 'eval');
  }
  let outcome: EvalOutcome;
  try {
    const request = {
      formula: positionals[0] as string,
      fields: readObjectOption('fields', values.fields),
      record: readObjectOption('record', values.record),
      constants: readObjectOption('constants', values.constants),
      parameters: readObjectOption('parameters', values.parameters),
      constantTypes: readObjectOption('constant-types', values['constant-types']),
      parameterTypes: readObjectOption('parameter-types', values['parameter-types']),
      returnType: values['return-type'],
      now: values.now,
      timezone: values.timezone,
      blankAs,
      scale,
    };
    const nowError = values.now !== undefined ? invalidNow(values.now) : undefined;
    if (nowError !== undefined) throw new OptionError(nowError, 'now');
    const cleaned = Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined)) as unknown as EvalRequest;
    const optionErrors = evaluator
      .compile(cleaned)
      .diagnostics.filter((d) => d.severity === 'error' && d.code === DiagnosticCode.InvalidOption)
      .map((d) => blameOption(d, values));
    outcome = optionErrors.length > 0 ? { ok: false, error: optionErrors[0] as WireError, errors: optionErrors } : evaluator.evaluate(cleaned, budget);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    write(io.stdout, { error: { code: 'E_INVALID_OPTION', message: `--${e.option}: ${e.message}`, pointer: `/${e.option}` } });
    return EXIT_REJECTED;
  }
  if (outcome.ok) {
    write(io.stdout, { type: outcome.type, value: outcome.value });
    return EXIT_OK;
  }
  write(io.stdout, outcome.errors !== undefined && outcome.errors.length > 1 ? { error: outcome.error, errors: outcome.errors } : { error: outcome.error });
  return EXIT_REJECTED;
}

/** Request keys whose types come from an option: the option that gave them. */
const OPTION_OF: Readonly<Record<string, (given: Record<string, unknown>) => string>> = {
  fields: () => 'fields',
  constants: (given) => (given['constant-types'] !== undefined ? 'constant-types' : 'constants'),
  parameters: (given) => (given['parameter-types'] !== undefined ? 'parameter-types' : 'parameters'),
  returnType: () => 'return-type',
  scale: () => 'scale',
};

/**
 * A compile option problem (`/fields/Days: Unknown type…`, which the formula compiler places at
 * line 1, column 1) blamed on the command-line option that gave it: `--fields: /Days: …`,
 * with the pointer `/fields/Days`.
 */
function blameOption(d: Diagnostic, given: Record<string, unknown>): WireError {
  const pointer = d.found ?? '';
  const m = /^\/([^/]+)(.*)$/.exec(pointer);
  const option = m !== null ? OPTION_OF[m[1] as string]?.(given) : undefined;
  if (m === null || option === undefined) return { code: d.code, message: d.message, span: d.span };
  const inner = m[2] as string;
  const detail = d.message.startsWith(`${pointer}: `) ? d.message.slice(pointer.length + 2) : d.message;
  return { code: d.code, message: `--${option}: ${inner !== '' ? `${inner}: ` : ''}${detail}`, pointer: `/${option}${inner}` };
}

type Runner = (args: string[], io: Io, usage: (message: string) => Error) => number | Promise<number>;

const COMMANDS: Readonly<Record<string, Runner>> = {
  eval: (args, io) => runEval(args, io),
  template: runTemplate,
  validate: runValidate,
  render: runRender,
  test: runTest,
  serve: runServe,
  import: runImport,
  export: runExport,
  // Loaded on demand: the LSP libraries are not needed by the other commands.
  lsp: async (args, io, usage) => (await import('./lsp.js')).runLsp(args, io, usage),
  'error-code': runErrorCode,
};

/** `parlance`, `parlance --help`, `parlance help [command]`. */
function help(args: string[], io: Io): number {
  const [topic] = args;
  if (topic === undefined) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const usage = USAGES[topic];
  if (usage === undefined) throw unknownCommand(topic);
  io.stdout.write(usage);
  return EXIT_OK;
}

function unknownCommand(command: string): UsageError {
  const suggestion = command.startsWith('-') ? undefined : closest(command, Object.keys(COMMANDS));
  const what = command.startsWith('-') ? 'option' : 'command';
  return new UsageError(`Unknown ${what} ${command}.${suggestion !== undefined ? ` Did you mean ${suggestion}?` : ''}`, undefined);
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.stderr.write(USAGE);
      return EXIT_USAGE;
    }
    if (command === 'help' || command === '-h' || command === '--help') return help(rest, io);
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (run === undefined) throw unknownCommand(command);
    return await run(rest, io, (message) => new UsageError(message, command));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    // Usage errors: the message, then the usage of the command it is about, on stderr.
    io.stderr.write(`${e.message}\n\n${(e.command !== undefined ? USAGES[e.command] : undefined) ?? USAGE}`);
    return EXIT_USAGE;
  }
}
