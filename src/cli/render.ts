/** `parlance render` (CONTRACT.md §2, with the render service: src/services/render.ts) and `parlance test`, the golden-file kit. */
import { readFileSync } from 'node:fs';
import { formatMetadataProblem, importMetadataFile, metadataFileKind } from '../metadata/files.js';
import { relative } from 'node:path';
import { formatCatalogError, ObjectCatalog } from '../catalog/catalog.js';
import { ChannelProfileError, ChannelProfiles } from '../channels/profiles.js';
import { runCases, renderOutput, type CaseOutcome } from '../services/golden.js';
import type { ComponentRenderOptions } from '../render/types.js';
import { renderInline } from '../services/render.js';
import { jsonSyntaxError, textPosition } from '../services/validate.js';
import type { BudgetOptions } from '../formula/runtime/budget.js';
import { BUDGET_FLAGS, BUDGET_USAGE, budgetFromFlags } from './budget.js';
import { OptionError, readJsonOption, readObjectOption, reportCommandError, type CommandError } from './options.js';
import { parseCommand } from './args.js';

interface Output {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export const RENDER_USAGE = `Usage: parlance render <component.json|.conversationMessageDefinition(-meta.xml)> --channel <ChannelType> [options]

Renders a component for a channel and prints the render result as JSON:
{"channel", "format", "skipped", "content", "text", "payload", "warnings"}.
On an error prints {"error": {"code", "message", "errors": [{"pointer", "code", "message"}]}}
and exits 1. Exit 2 on usage errors.

Options:
  --channel <type>            FacebookEnhanced, EmbeddedWeb, EmbeddedInApp, SmsLongCode, ... (required)
  --parameters <json|@file>   Parameter values: records for RecordId parameters, arrays of records
                              or {"start", "end"} time slots for list parameters
  --globals <json|@file>      Values of the globals the component declares, such as
                              {"$User": {"FirstName": "Ada"}}
  --now <ISO 8601>            The current instant (default: the system clock)
  --timezone <IANA zone>      Time zone for time-slot labels and TODAY() (default UTC)
  --locale <BCP 47>           Locale for time-slot labels (default en-US)
  --fallback text             On a channel that doesn't support the component type, render the
                              Text version instead of failing
  --objects <dir>             Also load the object definitions (*.json) in <dir> into the catalog
  --profiles <json|@file>     Channel profiles to add or replace: {"channels": {...}}
  --compact                   Print the JSON on one line
${BUDGET_USAGE}  -h, --help                  Show this help
`;

export const TEST_USAGE = `Usage: parlance test <dir|case.json>... [--update] [--json]

Renders every *.case.json (searched recursively) and compares the output with the
*.expected.json next to it, which holds exactly what parlance render prints for the case.
A case file is {"description"?, "component", "channel", "parameters"?, "now"?, "timezone"?,
"locale"?, "fallback"?}; "component" is a path relative to the case file or an inline
definition. Prints a diff for every case that differs. Exit 0 when every case passes,
1 when any fails or has no expected file, 2 on usage errors. Messages about the Text
fallback quote the case file's "fallback": "text" (parlance render says --fallback text).

Options:
  --update                    Rewrite the expected files that differ and create missing ones
                              (review the changes before committing them)
  --json                      Print {"passed", "cases": [...]} instead
  --objects <dir>             Also load the object definitions (*.json) in <dir> into the catalog
  --profiles <json|@file>     Channel profiles to add or replace: {"channels": {...}}
  -h, --help                  Show this help
`;

/** The render messages' wording for the Text fallback, in this command's terms. */
const CLI_FALLBACK_WORDING = { ask: 'Use', spelling: '--fallback text' } as const;

function fail(io: Output, code: string, message: string, pointer = ''): number {
  io.stdout.write(`${JSON.stringify({ error: { code, message, errors: [{ pointer, code, message }] } }, null, 2)}\n`);
  return 1;
}

/** The catalog and profiles the options ask for; an `OptionError` when they cannot be used. */
function renderOptions(values: { objects?: string; profiles?: string }): ComponentRenderOptions {
  let catalog: ObjectCatalog | undefined;
  if (values.objects !== undefined) {
    catalog = ObjectCatalog.builtin();
    const loaded = catalog.loadDirectory(values.objects);
    if (loaded.errors.length > 0) throw new OptionError(`cannot load the objects in ${values.objects}: ${loaded.errors.map(formatCatalogError).join('; ')}`, 'objects');
  }
  let profiles: ChannelProfiles | undefined;
  if (values.profiles !== undefined) {
    const doc = readObjectOption('profiles', values.profiles) ?? {};
    try {
      profiles = ChannelProfiles.builtin().withChannels((doc.channels ?? {}) as Record<string, unknown>);
    } catch (e) {
      if (!(e instanceof ChannelProfileError)) throw e;
      throw new OptionError(e.message, 'profiles');
    }
  }
  return { ...(catalog !== undefined ? { catalog } : {}), ...(profiles !== undefined ? { profiles } : {}) };
}

/** Runs `parlance render`; returns the exit code. */
export function runRender(args: string[], io: Output, usage: (message: string) => Error): number {
  const { values, positionals } = parseCommand('render', args, {
    channel: { type: 'string' },
    parameters: { type: 'string' },
    globals: { type: 'string' },
    now: { type: 'string' },
    timezone: { type: 'string' },
    locale: { type: 'string' },
    fallback: { type: 'string' },
    objects: { type: 'string' },
    profiles: { type: 'string' },
    compact: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    ...BUDGET_FLAGS,
  });
  if (values.help === true) {
    io.stdout.write(RENDER_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw usage(positionals.length === 0 ? 'render needs a component file' : 'render takes exactly one component file');
  if (values.channel === undefined) throw usage('render needs --channel <ChannelType>');
  if (values.fallback !== undefined && values.fallback !== 'text' && values.fallback !== 'none') throw usage('--fallback must be text or none');
  const file = positionals[0] as string;
  let component: unknown;
  if (metadataFileKind(file) !== undefined) {
    // A ConversationMessageDefinition file: imported first (docs/salesforce-metadata.md).
    const imported = importMetadataFile(file);
    const first = imported.errors[0];
    if (first !== undefined) return fail(io, first.code, formatMetadataProblem(first));
    if (imported.component === undefined) return fail(io, 'E_NOT_A_COMPONENT', `${file}: a MessagingChannel file is a channel, not a component`);
    component = imported.component;
  } else {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      return fail(io, 'E_READ_FILE', `Cannot read ${file}: ${(e as Error).message}`);
    }
    const syntax = jsonSyntaxError(text);
    if (syntax !== undefined) {
      const at = textPosition(text, syntax.offset);
      return fail(io, 'E_INVALID_JSON', `${file}: invalid JSON at line ${at.line}, column ${at.column}: ${syntax.problem}`);
    }
    component = JSON.parse(text);
  }
  let options: ComponentRenderOptions;
  let parameters: unknown;
  let globals: unknown;
  let budget: BudgetOptions | undefined;
  try {
    budget = budgetFromFlags(values);
    options = renderOptions(values);
    parameters = readJsonOption('parameters', values.parameters);
    globals = readJsonOption('globals', values.globals);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    return fail(io, 'E_INVALID_OPTION', `--${e.option}: ${e.message}`, `/${e.option}`);
  }
  const request = {
    channel: values.channel,
    ...(parameters !== undefined ? { parameters } : {}),
    ...(globals !== undefined ? { globals } : {}),
    ...(values.now !== undefined ? { now: values.now } : {}),
    ...(values.timezone !== undefined ? { timezone: values.timezone } : {}),
    ...(values.locale !== undefined ? { locale: values.locale } : {}),
    ...(values.fallback !== undefined ? { fallback: values.fallback } : {}),
  };
  const outcome = renderInline(component, request, { ...options, fallbackWording: CLI_FALLBACK_WORDING }, budget !== undefined ? { budget } : {});
  io.stdout.write(`${JSON.stringify(renderOutput(outcome), null, values.compact === true ? undefined : 2)}\n`);
  return outcome.ok ? 0 : 1;
}

const LABELS: Readonly<Record<CaseOutcome['status'], string>> = {
  pass: 'PASS',
  fail: 'FAIL',
  missing: 'MISSING',
  updated: 'UPDATED',
  created: 'CREATED',
  invalid: 'INVALID',
};

/** Runs `parlance test`; returns the exit code. */
export function runTest(args: string[], io: Output, usage: (message: string) => Error): number {
  const { values, positionals } = parseCommand('test', args, {
    update: { type: 'boolean' },
    json: { type: 'boolean' },
    objects: { type: 'string' },
    profiles: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) {
    io.stdout.write(TEST_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw usage('test needs a directory or case file');
  const json = values.json === true;
  const stop = (error: CommandError): number => reportCommandError(io, json, { passed: false, cases: [] }, error);
  let options: ComponentRenderOptions;
  try {
    options = renderOptions(values);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    return stop({ code: 'E_INVALID_OPTION', where: `--${e.option}`, message: e.message, pointer: `/${e.option}` });
  }
  const outcomes: CaseOutcome[] = [];
  for (const path of positionals) {
    try {
      outcomes.push(...runCases(path, { ...options, update: values.update === true }));
    } catch (e) {
      return stop({ code: 'E_READ_FILE', where: path, message: `cannot read ${path}: ${(e as Error).message}`, pointer: '' });
    }
  }
  const failed = outcomes.filter((o) => o.status === 'fail' || o.status === 'missing' || o.status === 'invalid');
  if (json) {
    io.stdout.write(`${JSON.stringify({ passed: failed.length === 0, cases: outcomes })}\n`);
    return failed.length === 0 ? 0 : 1;
  }
  const lines: string[] = [];
  for (const o of outcomes) {
    const name = relative(process.cwd(), o.file);
    if (o.status === 'pass') continue;
    lines.push(`${LABELS[o.status]} ${name}${o.description !== undefined ? `\n  ${o.description}` : ''}`);
    if (o.message !== undefined) lines.push(`  ${o.message}`);
    if (o.diff !== undefined) lines.push(o.diff.trimEnd());
  }
  const count = (s: CaseOutcome['status']): number => outcomes.filter((o) => o.status === s).length;
  const parts = [`${count('pass')} passed`, `${count('fail')} failed`];
  for (const s of ['missing', 'invalid', 'updated', 'created'] as const) if (count(s) > 0) parts.push(`${count(s)} ${s}`);
  lines.push(`${outcomes.length} ${outcomes.length === 1 ? 'case' : 'cases'}: ${parts.join(', ')}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return failed.length === 0 ? 0 : 1;
}
