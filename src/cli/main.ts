import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { BudgetOptions } from '../formula/runtime/budget.js';
import { BUDGET_FLAGS, BUDGET_USAGE, budgetFromFlags } from './budget.js';
import { Evaluator, validateRequest, type EvalOutcome, type WireError } from './eval-request.js';
import { OptionError, readObjectOption } from './options.js';
import { runRender, runTest } from './render.js';
import { runServe } from './serve.js';
import { runTemplate } from './template.js';
import { runValidate } from './validate.js';

/** Exit codes (CONTRACT.md §2): 0 success, 1 input rejected, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage: parlance <command> [options]

Commands:
  eval <formula>     Evaluate one formula and print {"type", "value"} as JSON.
  eval --jsonl       Evaluate JSON lines from stdin, one output line per input line.
  template <file|->  Render a formula template and print the text (parlance template --help).
  validate <file>... Validate component definitions (parlance validate --help).
  render <file>      Render a component for a channel (parlance render --help).
  test <dir>...      Run golden render cases (parlance test --help).
  serve              Start the HTTP server (parlance serve --help).

Options for eval:
  --fields <json|@file>      Field name -> type, e.g. '{"Days":"Number","Account":{"Name":"Text"}}'
  --record <json|@file>      Field values, e.g. '{"Days":21}'
  --constants <json|@file>   Constant values for $Constants (types with --constant-types)
  --parameters <json|@file>  Parameter values for $Parameters (types with --parameter-types)
  --constant-types <json|@file>, --parameter-types <json|@file>
  --return-type <type>       Number, Currency, Percent, Text, Boolean, Date, DateTime, Time, ...
  --scale <n>                Decimal places of a numeric result
  --now <ISO 8601>           The current instant for TODAY(), NOW(), TIMENOW()
  --timezone <IANA zone>     Time zone for TODAY() and DATEVALUE(date/time) (default UTC)
  --blank-as zero|blank      How blank fields read (default blank)
  --jsonl                    Batch mode: read requests as JSON lines from stdin (limits apply per line)
${BUDGET_USAGE}  -h, --help                 Show this help
`;

interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
}

class UsageError extends Error {}
function write(stream: NodeJS.WritableStream, value: unknown): void {
  stream.write(`${JSON.stringify(value)}\n`);
}

async function runEval(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
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
    },
  });
  if (values.help === true) {
    io.stdout.write(USAGE);
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
    if (positionals.length > 0) throw new UsageError('eval --jsonl reads formulas from stdin; do not also pass a formula');
    return runJsonl(evaluator, io, budget);
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'eval needs a formula' : 'eval takes exactly one formula (quote it)');
  const blankAs = values['blank-as'];
  if (blankAs !== undefined && blankAs !== 'zero' && blankAs !== 'blank') throw new UsageError('--blank-as must be zero or blank');
  let scale: number | undefined;
  if (values.scale !== undefined) {
    scale = Number(values.scale);
    if (!Number.isInteger(scale)) throw new UsageError('--scale must be a whole number');
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
    const cleaned = Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined));
    outcome = evaluator.evaluate(cleaned as unknown as Parameters<Evaluator['evaluate']>[0], budget);
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

/** Streams: one line in, one line out, in order; a bad line gives an error line and the batch goes on. */
async function runJsonl(evaluator: Evaluator, io: Io, budget: BudgetOptions | undefined): Promise<number> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let failures = 0;
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const out = evaluateLine(evaluator, line, lineNo, budget);
    if (out.ok !== true) failures++;
    const ok = io.stdout.write(`${JSON.stringify(out)}\n`);
    if (!ok) await new Promise<void>((resolve) => io.stdout.once('drain', () => resolve()));
  }
  return failures > 0 ? EXIT_REJECTED : EXIT_OK;
}

function evaluateLine(evaluator: Evaluator, line: string, lineNo: number, budget: BudgetOptions | undefined): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    return { ok: false, error: { code: 'E_INVALID_JSON', message: `Line ${lineNo}: invalid JSON: ${(e as Error).message}`, line: lineNo } };
  }
  const id = parsed !== null && typeof parsed === 'object' && 'id' in parsed ? { id: (parsed as { id: unknown }).id } : {};
  const { request, errors } = validateRequest(parsed);
  if (request === undefined) {
    const withLine = errors.map((e: WireError) => ({ ...e, message: `Line ${lineNo}: ${e.message}`, line: lineNo }));
    return { ...id, ok: false, error: withLine[0], ...(withLine.length > 1 ? { errors: withLine } : {}) };
  }
  const outcome = evaluator.evaluate(request, budget);
  if (outcome.ok) return { ...id, ok: true, type: outcome.type, value: outcome.value };
  return { ...id, ok: false, error: outcome.error, ...(outcome.errors !== undefined && outcome.errors.length > 1 ? { errors: outcome.errors } : {}) };
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'eval':
        return await runEval(rest, io);
      case 'template':
        return await runTemplate(rest, io, (m) => new UsageError(m));
      case 'validate':
        return runValidate(rest, io, (m) => new UsageError(m));
      case 'render':
        return runRender(rest, io, (m) => new UsageError(m));
      case 'test':
        return runTest(rest, io, (m) => new UsageError(m));
      case 'serve':
        return await runServe(rest, io, (m) => new UsageError(m));
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout.write(USAGE);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      default:
        throw new UsageError(`Unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
      io.stderr.write(`parlance: ${(e as Error).message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
