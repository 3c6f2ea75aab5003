/** `parlance error-code <code>...`: describes messaging error codes (docs/error-codes.md). */
import { describeErrorCode, errorCodeCatalog, formatErrorCode, listErrorCodes } from '../messaging/error-codes.js';
import { parseCommand } from './args.js';

interface Output {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export const ERROR_CODE_USAGE = `Usage: parlance error-code <code>... [--json]
       parlance error-code --all [--json]

Describes messaging error codes (G:6514-6569): the category (by the first digit), the seed's
message, the meaning, the suggested action and whether to retry. Codes are four digits, such as
0004; 4 reads as 0004. Exit 0 when every code is known, 1 when one isn't, 2 on usage errors.

Options:
  --all         Describe every code
  --json        Print one JSON object per line (the shape of GET /v1/error-codes/{code}), or
                {"error": {"code", "message"}} for a code that isn't known
  -h, --help    Show this help
`;

export function runErrorCode(args: string[], io: Output, usage: (message: string) => Error): number {
  const { values, positionals } = parseCommand('error-code', args, { all: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help === true) {
    io.stdout.write(ERROR_CODE_USAGE);
    return 0;
  }
  if (values.all === true && positionals.length > 0) throw usage('Give codes or --all, not both');
  if (values.all !== true && positionals.length === 0) throw usage('error-code needs a code, such as 0004, or --all');
  const json = values.json === true;
  let status = 0;
  const lookups = values.all === true ? listErrorCodes(errorCodeCatalog()).map((info) => ({ found: true as const, info })) : positionals.map((c) => describeErrorCode(c));
  for (const r of lookups) {
    if (r.found) io.stdout.write(json ? `${JSON.stringify(r.info)}\n` : formatErrorCode(r.info));
    else {
      status = 1;
      if (json) io.stdout.write(`${JSON.stringify({ error: { code: r.code, message: r.message } })}\n`);
      else io.stderr.write(`${r.code}: ${r.message}\n`);
    }
  }
  return status;
}
