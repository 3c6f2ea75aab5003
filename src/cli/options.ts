import { readFileSync } from 'node:fs';

/** A command-line option whose value could not be used; `option` is its name without `--`. */
export class OptionError extends Error {
  constructor(
    message: string,
    readonly option: string,
  ) {
    super(message);
  }
}

/** Reads a `<json|@file>` option value: inline JSON, or `@path` to a JSON file. */
export function readJsonOption(option: string, value: string | undefined): unknown {
  if (value === undefined) return undefined;
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (e) {
      throw new OptionError(`cannot read ${value.slice(1)}: ${(e as Error).message}`, option);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new OptionError(`invalid JSON: ${(e as Error).message}`, option);
  }
}

/** Like `readJsonOption`, for options that hold a JSON object. */
export function readObjectOption(option: string, value: string | undefined): Record<string, unknown> | undefined {
  const v = readJsonOption(option, value);
  if (v !== undefined && (v === null || typeof v !== 'object' || Array.isArray(v))) throw new OptionError('expected a JSON object', option);
  return v as Record<string, unknown> | undefined;
}

/** An error that stops a command before its report. */
export interface CommandError {
  readonly code: string;
  /** What it is about: the option (`--objects`) or the path. */
  readonly where: string;
  readonly message: string;
  /** JSON pointer of the option (`/objects`), or `` for an argument. */
  readonly pointer: string;
}

/**
 * Reports an error that stops `validate` or `test` before their report, by the CLI's convention:
 * with `--json`, the command's JSON report (`empty`, failed) with an `error` on stdout;
 * otherwise one line `where: CODE message` on stderr. Returns exit code 1.
 */
export function reportCommandError(io: { readonly stdout: NodeJS.WritableStream; readonly stderr: NodeJS.WritableStream }, json: boolean, empty: Record<string, unknown>, e: CommandError): number {
  if (json) io.stdout.write(`${JSON.stringify({ ...empty, error: { code: e.code, message: `${e.where}: ${e.message}`, pointer: e.pointer } })}\n`);
  else io.stderr.write(`${e.where}: ${e.code} ${e.message}\n`);
  return 1;
}
