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
