/**
 * Argument parsing for every `parlance` command: node's `util.parseArgs`, plus what it lacks for
 * people typing commands: "did you mean" for unknown options and commands, and messages that
 * name the command's own flags instead of parseArgs' generic wording.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { distance } from 'fastest-levenshtein';

/** A usage error (exit 2): the message, and the command whose usage is printed after it. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: string | undefined,
  ) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** An option token of `parseArgs({ tokens: true })`. */
interface Token {
  readonly kind: string;
  readonly index: number;
  readonly name: string;
  readonly rawName: string;
  readonly value?: string | undefined;
  readonly inlineValue?: boolean | undefined;
}

/** The closest candidate to `name`, when it is close enough to be a likely typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(lower));
  if (lower.length >= 3 && prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

/** "Unknown option --chanel. Did you mean --channel?" */
function unknownOption(raw: string, arg: string, options: Options): string {
  const name = raw.replace(/^-+/, '');
  const suggestion = closest(name, Object.keys(options));
  if (suggestion !== undefined) return `Unknown option ${raw}. Did you mean --${suggestion}?`;
  // `parlance eval -1`: a value that starts with a dash goes after `--`.
  if (/^-[\d.(]/.test(raw)) return `Unknown option ${raw}. A value that starts with "-" goes after --, as in: -- '${arg}'`;
  return `Unknown option ${raw}.`;
}

/** The option problems parseArgs' strict mode would throw on, worded for people. */
function optionProblem(args: readonly string[], tokens: readonly Token[], options: Options): string | undefined {
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (spec === undefined) return unknownOption(token.rawName, args[token.index] ?? token.rawName, options);
    const flag = `--${token.name}`;
    if (spec.type === 'boolean' && token.value !== undefined) return `Option ${flag} takes no value (got ${flag}=${token.value}).`;
    if (spec.type === 'string') {
      if (token.value === undefined) return `Option ${flag} needs a value.`;
      if (token.inlineValue !== true && /^--?[A-Za-z]/.test(token.value)) {
        return `Option ${flag} needs a value (got the option ${token.value}; write ${flag}=${token.value} if that is the value).`;
      }
    }
  }
  return undefined;
}

/**
 * Parses a command's arguments (positionals allowed, `--` ends the options); every problem is a
 * `UsageError` for `command` whose message names the flag. Values may start with a dash when
 * they are not option-like (`--scale -1`, `template -`).
 */
export function parseCommand<T extends Options>(command: string, args: string[], options: T): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  const { values, positionals, tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  const problem = optionProblem(args, tokens as readonly Token[], options);
  if (problem !== undefined) throw new UsageError(problem, command);
  // With every option known and of the right type, the lenient parse equals the strict one.
  return { values, positionals } as unknown as ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;
}
