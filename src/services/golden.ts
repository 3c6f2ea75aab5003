/**
 * The golden-file kit for component builders: every `*.case.json` under a directory is rendered
 * and compared with its `*.expected.json`, which holds exactly what `parlance render` prints for
 * it. `update` rewrites the expected files. See docs/testing.md.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { diffModule } from '../lazy-modules.js';
import { didYouMean } from '../component/data.js';
import { formatMetadataProblem, importMetadataFile, metadataFileKind } from '../metadata/files.js';
import { compileComponent, type ComponentRenderOptions, type RenderOutcome } from '../render/render.js';

/** A case file: a component (a path relative to the case file, or inline) and a render request. */
export interface RenderCase {
  readonly $schema?: string;
  readonly description?: string;
  readonly component: string | Readonly<Record<string, unknown>>;
  readonly channel: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly now?: string;
  readonly timezone?: string;
  readonly locale?: string;
  readonly fallback?: 'text' | 'none';
}

export type CaseStatus = 'pass' | 'fail' | 'missing' | 'updated' | 'created' | 'invalid';

export interface CaseOutcome {
  /** The case file. */
  readonly file: string;
  readonly status: CaseStatus;
  readonly description?: string;
  /** A unified diff, expected → actual, when the case failed. */
  readonly diff?: string;
  /** Why the case file itself could not be used (status `invalid`), or what to do (status `missing`). */
  readonly message?: string;
}

export interface GoldenOptions extends ComponentRenderOptions {
  /** Rewrite expected files that differ, and create missing ones. */
  readonly update?: boolean;
}

const CASE_SUFFIX = '.case.json';
const CASE_KEYS = ['$schema', 'description', 'component', 'channel', 'parameters', 'now', 'timezone', 'locale', 'fallback'];

/** The JSON text `parlance render` prints for an outcome: the result, or `{"error": …}`. */
export function renderOutput(outcome: RenderOutcome): unknown {
  return outcome.ok ? outcome.result : { error: outcome.error };
}

/** The expected file of a case file. */
export function expectedPath(caseFile: string): string {
  return caseFile.slice(0, -CASE_SUFFIX.length) + '.expected.json';
}

/** Every case file under a path (a directory, searched recursively, or one case file), sorted. */
export function findCases(path: string): string[] {
  const stat = statSync(path);
  if (stat.isFile()) return [path];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(p);
      } else if (entry.name.endsWith(CASE_SUFFIX)) out.push(p);
    }
  };
  walk(path);
  return out;
}

const pretty = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/** Reads a case file and renders it. Returns the output, or why the case file can't be used. */
export function renderCase(file: string, options: ComponentRenderOptions = {}): { output: unknown; description?: string } | { invalid: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { invalid: `cannot read the case: ${(e as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { invalid: 'a case file is a JSON object {"component", "channel", ...}' };
  const c = parsed as Record<string, unknown>;
  const unknown = Object.keys(c).filter((k) => !CASE_KEYS.includes(k));
  if (unknown.length > 0) return { invalid: unknown.map((k) => `/${k}: unknown property "${k}".${didYouMean(k, CASE_KEYS)}`).join('; ') };
  if (c.description !== undefined && typeof c.description !== 'string') return { invalid: '/description: must be a string' };
  let component: unknown = c.component;
  if (typeof component === 'string' && metadataFileKind(component) !== undefined) {
    // A ConversationMessageDefinition file (docs/salesforce-metadata.md): imported first.
    const imported = importMetadataFile(resolve(dirname(file), component));
    const first = imported.errors[0];
    if (first !== undefined) return { invalid: `/component: ${formatMetadataProblem({ ...first, file: relative(process.cwd(), first.file ?? component) })}` };
    if (imported.component === undefined) return { invalid: `/component: ${component} is a channel, not a component` };
    component = imported.component;
  } else if (typeof component === 'string') {
    const path = resolve(dirname(file), component);
    try {
      component = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      return { invalid: `/component: cannot read ${relative(process.cwd(), path)}: ${(e as Error).message}` };
    }
  } else if (component === null || typeof component !== 'object' || Array.isArray(component)) {
    return { invalid: '/component: must be a path to a component definition (relative to the case file) or an inline definition' };
  }
  const { description, component: _component, $schema: _schema, ...request } = c;
  const outcome = compileComponent(component, options).render(request);
  return { output: renderOutput(outcome), ...(typeof description === 'string' ? { description } : {}) };
}

/** Runs one case against its expected file. */
export function runCase(file: string, options: GoldenOptions = {}): CaseOutcome {
  const rendered = renderCase(file, options);
  if ('invalid' in rendered) return { file, status: 'invalid', message: rendered.invalid };
  const describe = rendered.description !== undefined ? { description: rendered.description } : {};
  const actual = pretty(rendered.output);
  const expectedFile = expectedPath(file);
  if (!existsSync(expectedFile)) {
    if (options.update === true) {
      writeFileSync(expectedFile, actual);
      return { file, status: 'created', ...describe };
    }
    return { file, status: 'missing', message: `no ${relative(process.cwd(), expectedFile)}: run with --update to create it, then review it`, ...describe };
  }
  const expectedText = readFileSync(expectedFile, 'utf8');
  let expected: unknown;
  try {
    expected = JSON.parse(expectedText);
  } catch (e) {
    if (options.update === true) {
      writeFileSync(expectedFile, actual);
      return { file, status: 'updated', ...describe };
    }
    return { file, status: 'invalid', message: `${relative(process.cwd(), expectedFile)} is not valid JSON: ${(e as Error).message}`, ...describe };
  }
  // Compared as JSON values: hand formatting of the expected file doesn't matter.
  if (pretty(expected) === actual) return { file, status: 'pass', ...describe };
  if (options.update === true) {
    writeFileSync(expectedFile, actual);
    return { file, status: 'updated', ...describe };
  }
  const name = relative(process.cwd(), expectedFile);
  const diff = diffModule().createTwoFilesPatch(`${name} (expected)`, `${name} (actual)`, pretty(expected), actual, undefined, undefined, { context: 3 });
  return { file, status: 'fail', diff: diff.split('\n').slice(1).join('\n'), ...describe };
}

/** Runs every case under a path. */
export function runCases(path: string, options: GoldenOptions = {}): CaseOutcome[] {
  return findCases(path).map((f) => runCase(f, options));
}
