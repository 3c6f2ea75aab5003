/**
 * Every code sample of the docs runs: each fenced block of README.md and docs/**\/*.md (not
 * docs/api/, which typedoc generates), found at run time, so a new page is covered as soon as it
 * exists. docs/README.md ("Writing docs") states the same conventions for authors.
 *
 * Where the blocks run: a copy of the repository's files (`git ls-files`: nothing untracked, such
 * as what following getting-started.md leaves in the checkout) in a temporary directory
 * (node_modules and dist linked), so commands may write files. One `parlance serve --dev` (what `npm start` runs) is
 * started in that copy on a free port; `$KEY` holds its admin key, and `http://127.0.0.1:8080`
 * (or `localhost:8080`) in any block or link stands for its address. Pages run in order (README.md
 * first, then docs/ by path) and share the copy and the server, blocks in document order.
 *
 * By language:
 * - `sh`, `bash`, `shell`: each command line runs in bash (`set -o pipefail`) from the copy's root;
 *   a line ending in `\` continues on the next. `npx parlance` and `parlance` run this checkout's
 *   CLI. Lines starting with `#` right after a command are its expected stdout, compared exactly
 *   (one line each; `#` alone is an empty line; trailing newlines ignored); a first such line
 *   `# exit N` expects exit status N instead of 0. Any other exit status fails. A `#` line after
 *   a blank line or at the start of a block is a comment. Variable assignments (`KEY=…`) and `cd`
 *   carry over to the following commands of the page. Commands that install, build, run the
 *   suite or touch git or processes (`npm`, `npx` other than `npx parlance`, `git`, `rm`, `kill`,
 *   `tsc`, …) are refused: such a block must be marked not-executed.
 * - `console`: lines starting with `$ ` are commands; the lines up to the next `$ ` are its
 *   expected stdout (the same `# exit N` rule).
 * - `ts`, `typescript`, `js`, `javascript`, `mjs`: the block is one ES module, run with node from
 *   the copy's root (TypeScript is transpiled first; `'parlance'` imports the built package). It
 *   must exit 0.
 * - `json`, `jsonc`, `jsonl`: parsed (jsonl: each line). A block with a `"$schema"` property is
 *   validated against the schema of that file name under schemas/.
 * - no language, `text`, `txt`, `ebnf`, `csv`, `markdown`, `md`: shown, not run (output,
 *   synopses, grammar). A text block that looks like a command or code (`npx `, `curl `, `$ `,
 *   `import `…) fails: tag it.
 * - any other language fails, so nothing is skipped because of a new tag.
 *
 * HTML comments on the line(s) right before a block's opening fence (blank lines allowed between):
 * - `<!-- not-executed: <reason> -->`: the block is not run or checked; it is reported as skipped
 *   with its reason. Only for steps that can't run inside a test (cloning, `npm ci`, `npm start`).
 * - `<!-- file: <path> -->`: the block is written to `<path>` in the copy (for later blocks to
 *   use); json is still parsed and validated, commands and scripts are not run.
 * - `<!-- schema: <schema file>[#<JSON pointer>] -->`: the json block must validate against the
 *   schema (or the subschema at the pointer).
 * - `<!-- output -->`: the block is the exact stdout of the previous runnable block of the page
 *   (its last command for a shell block).
 * - `<!-- server-output -->`: the block's lines are what the dev server printed at start (its
 *   stderr), where `…` stands for any text.
 *
 * Links: every relative link of a page must reach a file of the repository (and a heading or
 * `<a id>` when it has an #anchor), and every link to `http://127.0.0.1:8080/…` must answer the
 * test server with a success status.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryFiles } from '../helpers/tracked.js';

const root = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');

const SHELL = new Set(['sh', 'bash', 'shell', 'console']);
const SCRIPT = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);
const DATA = new Set(['json', 'jsonc', 'jsonl']);
const SHOWN = new Set(['', 'text', 'txt', 'ebnf', 'csv', 'markdown', 'md']);
/** Lines that make a text block look like a command or code that should be tagged and run. */
const LOOKS_RUNNABLE = /^\s*(\$ |npx |curl |npm |node |import |export |const |let |await )/;
const ANNOTATIONS = ['not-executed', 'file', 'schema', 'output', 'server-output'] as const;
type Annotation = (typeof ANNOTATIONS)[number];
const DEV_URL = /http:\/\/(?:127\.0\.0\.1|localhost):8080/g;
/**
 * Commands a test must never run, even in the copy: they install, build into the linked dist,
 * start the suite again or touch git. A block that needs one is marked not-executed.
 */
const REFUSED = /(^|[;&|(]\s*|\$\(\s*)(npm|yarn|pnpm|git|sudo|rm|kill|pkill|killall|tsc)\b|\bnpx\s+(?!parlance\b)/m;

interface Block {
  readonly page: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly content: string;
  readonly notes: ReadonlyMap<Annotation, string>;
}

interface Command {
  readonly line: number;
  readonly command: string;
  readonly expected: string[];
  exit: number;
}

/**
 * The repository's files (`git ls-files`, see test/helpers/tracked.ts): the pages, the copy and the
 * link checks use only these, so files a user made in the checkout (the getting-started
 * walkthrough's my-cases/, a scratch page) never change what the docs test sees.
 */
const tracked = repositoryFiles(root);
const trackedSet = new Set(tracked);

/** Whether a path (absolute) is a repository file, or a directory holding some. */
function inRepository(path: string): boolean {
  const rel = relative(root, path).split('\\').join('/');
  if (rel.startsWith('../')) return existsSync(path);
  return rel === '' || trackedSet.has(rel) || tracked.some((f) => f.startsWith(`${rel}/`));
}

/** README.md and every Markdown file under docs/ except the generated docs/api/, sorted. */
function pages(): string[] {
  const docs = tracked.filter((p) => p.startsWith('docs/') && p.endsWith('.md') && !p.startsWith('docs/api/')).sort();
  return ['README.md', ...docs];
}

/** The fenced blocks of a page, with the annotations right before each. */
function blocksOf(page: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let notes = new Map<Annotation, string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/.exec(line);
    if (open === null) {
      const note = /^\s*<!--\s*([a-z-]+)\s*(?::\s*(.*?))?\s*-->\s*$/.exec(line);
      if (note !== null && (ANNOTATIONS as readonly string[]).includes(note[1] as string)) notes.set(note[1] as Annotation, note[2] ?? '');
      else if (line.trim() !== '') notes = new Map();
      continue;
    }
    const indent = (open[1] as string).length;
    const fence = open[2] as string;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j] as string;
      if (new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(l)) break;
      body.push(l.slice(Math.min(indent, l.length - l.trimStart().length)));
    }
    blocks.push({ page, line: i + 1, lang: (open[3] as string).toLowerCase(), content: body.join('\n'), notes });
    notes = new Map();
    i = j;
  }
  return blocks;
}

/** The commands of a shell block, each with its expected output and exit status. */
function commandsOf(block: Block): Command[] {
  const commands: Command[] = [];
  const lines = block.content.split('\n');
  let current: Command | undefined;
  const expect = (text: string, raw: string): void => {
    const c = current as Command;
    const exit = /^# exit (\d+)$/.exec(raw);
    if (exit !== null && c.expected.length === 0 && c.exit === 0) c.exit = Number(exit[1]);
    else c.expected.push(text);
  };
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    const at = block.line + 1 + i;
    const isCommand = block.lang === 'console' ? line.startsWith('$ ') : line.trim() !== '' && !line.startsWith('#');
    if (isCommand) {
      if (block.lang === 'console') line = line.slice(2);
      while (line.endsWith('\\') && i + 1 < lines.length) line = `${line}\n${lines[++i] as string}`;
      current = { line: at, command: line, expected: [], exit: 0 };
      commands.push(current);
    } else if (block.lang === 'console') {
      if (current !== undefined) expect(line, line);
    } else if (line.trim() === '') {
      current = undefined;
    } else if (current !== undefined) {
      expect(line === '#' ? '' : line.replace(/^# ?/, ''), line);
    }
  }
  if (block.lang === 'console') for (const c of commands) while (c.expected.length > 0 && c.expected.at(-1) === '') c.expected.pop();
  return commands;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** A page's text outside fenced blocks. */
function prose(text: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence === undefined && m !== null) fence = m[1];
    else if (fence !== undefined && m !== null && (m[1] as string)[0] === fence[0] && (m[1] as string).length >= fence.length && line.trim() === m[1]) fence = undefined;
    else if (fence === undefined) out.push(line);
  }
  return out.join('\n');
}

/** The anchors of a Markdown file: its headings' slugs (repeats numbered as GitHub does) and `<a id>`/`<a name>`. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const body = prose(text);
  for (const m of body.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const s = slug(m[1] as string);
    const n = seen.get(s) ?? 0;
    seen.set(s, n + 1);
    anchors.add(n === 0 ? s : `${s}-${n}`);
  }
  for (const m of body.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1] as string);
  return anchors;
}

/** The link targets of a page's prose (inline code removed). */
function linksOf(text: string): string[] {
  const body = prose(text).replace(/``[^`]*``|`[^`\n]*`/g, '');
  return [...body.matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)].map((m) => m[1] as string);
}

const allPages = pages();
const texts = new Map(allPages.map((p) => [p, readFileSync(join(root, p), 'utf8')]));
const blocks = allPages.flatMap((p) => blocksOf(p, texts.get(p) as string));
const skipped = blocks.filter((b) => b.notes.has('not-executed'));

// The working copy: the repository's files (nothing generated, installed or left by a user);
// node_modules and dist are linked instead.
const work = mkdtempSync(join(tmpdir(), 'parlance-docs-'));
const bin = join(work, '.doc-bin');
let server: ChildProcess | undefined;
let url = '';
let key = '';
/** What the server wrote on stderr (its banner, as the getting-started guide shows it). */
let serverLog = '';
/** Its log (stdout, info level), the last 20,000 characters: shown when it does not stop. */
let serverOut = '';
const reports = join(work, '.reports');
/** Set when the dev server stops before the end: the tests that follow say so, with its output. */
let serverExit: string | undefined;
let env: NodeJS.ProcessEnv = {};

beforeAll(async () => {
  for (const file of tracked) cpSync(join(root, file), join(work, file), { dereference: true });
  // node_modules and dist are real directories of links to the checkout's entries, never links
  // themselves: a tool that clears them in the copy then removes only the links.
  for (const dir of ['node_modules', 'dist']) {
    mkdirSync(join(work, dir));
    for (const entry of readdirSync(join(root, dir))) symlinkSync(join(root, dir, entry), join(work, dir, entry));
  }
  mkdirSync(bin);
  writeFileSync(join(bin, 'parlance'), `#!/bin/sh\nexec "${process.execPath}" "${join(work, 'bin', 'parlance.js')}" "$@"\n`, { mode: 0o755 });

  // A diagnostic report on SIGUSR2 (JavaScript stack, open handles): asked for only if the
  // server does not stop (see afterAll). Its log (stdout, info) and stderr are both kept.
  const started = spawn(process.execPath, ['--report-on-signal', `--report-directory=${reports}`, join(work, 'bin', 'parlance.js'), 'serve', '--dev', '--port', '0', '--log-level', 'info'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  server = started;
  started.stdout?.on('data', (chunk: Buffer) => {
    serverOut = (serverOut + String(chunk)).slice(-20_000);
  });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${serverLog}`)), 60_000);
    started.stderr?.on('data', (chunk: Buffer) => {
      serverLog += String(chunk);
      const m = /listening on (http:\/\/\S+)/.exec(serverLog);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    started.on('exit', (code) => reject(new Error(`the server exited (${String(code)}):\n${serverLog}`)));
  });
  started.on('exit', (code, signal) => {
    serverExit = `the dev server exited (${signal ?? `code ${String(code)}`}) while the docs test ran; its last output:\n${serverLog.slice(-3000)}`;
  });
  key = readFileSync(join(work, '.parlance', 'db', 'dev-key'), 'utf8').trim();
  env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, KEY: key, NO_COLOR: '1' };
  delete env.UPDATE_GOLDEN;
}, 120_000);

afterAll(async () => {
  if (server !== undefined && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', () => resolve(true)));
    server.kill('SIGTERM');
    // Graceful shutdown is tested in test/server/api.test.ts and by test:crash; here, a server
    // that has not stopped within 45 s is named with its output (seen once under a full suite's
    // load, not reproduced) and killed, so the samples' results stand.
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve(false), 45_000)))]);
    clearTimeout(timer);
    if (stopped !== true) {
      console.warn(`docs samples: the dev server had not stopped 45 s after SIGTERM; killing it. Its stderr:\n${serverLog.slice(-3000)}\nIts log:\n${serverOut.slice(-3000)}\n${await stuckReport(server)}`);
      const killed = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGKILL');
      await killed;
    }
  }
  rmSync(work, { recursive: true, force: true });
}, 90_000);

/**
 * What a server that does not stop is doing: node's diagnostic report (asked for with SIGUSR2),
 * its JavaScript stack and its active handles. Waits for the report file, at most 20 s.
 */
async function stuckReport(child: ChildProcess): Promise<string> {
  mkdirSync(reports, { recursive: true });
  child.kill('SIGUSR2');
  for (let i = 0; i < 200; i++) {
    const file = readdirSync(reports).find((f) => f.endsWith('.json'));
    if (file !== undefined) {
      try {
        const report = JSON.parse(readFileSync(join(reports, file), 'utf8')) as {
          javascriptStack?: { message?: string; stack?: string[] };
          libuv?: { type: string; is_active?: boolean; is_referenced?: boolean; address?: string; localEndpoint?: unknown; remoteEndpoint?: unknown }[];
          workers?: unknown[];
        };
        const handles = (report.libuv ?? []).filter((h) => h.is_active === true && h.is_referenced !== false);
        return [
          `JavaScript stack: ${report.javascriptStack?.message ?? '?'}`,
          ...(report.javascriptStack?.stack ?? []).slice(0, 15),
          `active handles (${handles.length}): ${JSON.stringify(handles.map((h) => ({ type: h.type, local: h.localEndpoint, remote: h.remoteEndpoint })))}`,
          `workers: ${(report.workers ?? []).length}`,
        ].join('\n');
      } catch {
        // Still being written: read it again.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return 'no diagnostic report within 20 s';
}

/** Text with the documented dev-server address replaced by the test server's. */
const local = (text: string): string => text.replace(DEV_URL, url);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(file: string, args: string[]): Run {
  const r = spawnSync(file, args, { cwd: work, env, encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr + (r.error !== undefined ? `\n${r.error.message}` : '') };
}

/** One schema validator per `<file>[#pointer]`, from every schemas/**\/*.schema.json. */
const validators = (() => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true });
  const ids = new Map<string, string>();
  for (const file of (readdirSync(join(root, 'schemas'), { recursive: true }) as string[]).filter((f) => f.endsWith('.schema.json')).sort()) {
    const schema = JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8')) as { $id?: string };
    const id = schema.$id ?? pathToFileURL(join(root, 'schemas', file)).href;
    ajv.addSchema(schema, id);
    ids.set(`schemas/${file.split('\\').join('/')}`, id);
  }
  return {
    /** The validator of a schema path (from the repository root) with an optional pointer. */
    get(ref: string): ValidateFunction {
      const [file, pointer] = ref.split('#') as [string, string | undefined];
      const id = ids.get(normalize(file));
      if (id === undefined) throw new Error(`no schema ${file} (known: ${[...ids.keys()].join(', ')})`);
      const v = ajv.getSchema(pointer === undefined ? id : `${id}#${pointer}`);
      if (v === undefined) throw new Error(`no subschema ${ref}`);
      return v;
    },
    /** The schema path for a `$schema` value, by file name. */
    byName(value: string): string | undefined {
      const name = value.split('/').at(-1) as string;
      return [...ids.keys()].find((p) => p.split('/').at(-1) === name);
    },
  };
})();

/** Parses a data block; throws with the position of the first problem. */
function parseData(block: Block): unknown[] {
  if (block.lang === 'jsonl') {
    return block.content
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as unknown);
  }
  if (block.lang === 'jsonc') {
    const errors: ParseError[] = [];
    const value = parseJsonc(block.content, errors, { allowTrailingComma: false }) as unknown;
    if (errors.length > 0) throw new Error(`invalid JSONC at offset ${errors[0]?.offset}`);
    return [value];
  }
  return [JSON.parse(block.content) as unknown];
}

/** Checks a data block: it parses, and validates against its schema when it names one. */
function checkData(block: Block): void {
  const values = parseData(block);
  for (const value of values) {
    const declared = typeof value === 'object' && value !== null && typeof (value as { $schema?: unknown }).$schema === 'string' ? validators.byName((value as { $schema: string }).$schema) : undefined;
    const refs = [block.notes.get('schema'), declared].filter((r): r is string => r !== undefined && r !== '');
    for (const ref of refs) {
      const v = validators.get(ref);
      expect(v(value) ? [] : v.errors, `validates against ${ref}`).toEqual([]);
    }
  }
}

/** The transpiled module of a script block, importing the built package for `'parlance'`, `'parlance/server'` and `'parlance/store'`. */
function moduleOf(block: Block): string {
  const js = block.lang === 'ts' || block.lang === 'typescript' ? ts.transpileModule(block.content, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText : block.content;
  const entry = (sub: string | undefined): string => pathToFileURL(join(work, 'dist', 'src', ...(sub === undefined ? [] : [sub]), 'index.js')).href;
  return local(js.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])parlance(?:\/(server|store))?\2/g, (_m, lead: string, _q: string, sub: string | undefined) => `${lead}'${entry(sub)}'`));
}

/** The regular expression of a line of expected server output: `…` is any text. */
function outputLine(line: string): RegExp {
  return new RegExp(`^${local(line).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/…/g, '.*')}$`);
}

const at = (b: Block): string => `${b.page}:${b.line}`;

describe('docs samples', () => {
  it('finds the pages and their blocks', () => {
    expect(allPages).toContain('README.md');
    expect(allPages).toContain('docs/getting-started.md');
    expect(blocks.filter((b) => SHELL.has(b.lang) && !b.notes.has('not-executed')).length).toBeGreaterThan(10);
  });

  it('skips only blocks marked not-executed, each with a reason', () => {
    const list = skipped.map((b) => `${at(b)} (${b.lang || 'no language'}): ${b.notes.get('not-executed') ?? ''}`);
    console.info(`${blocks.length} blocks in ${allPages.length} pages; ${skipped.length} not executed:\n  ${list.join('\n  ')}`);
    expect(skipped.filter((b) => (b.notes.get('not-executed') ?? '').trim() === '').map(at)).toEqual([]);
  });

  for (const page of allPages) {
    describe(page, () => {
      const state: string[] = [];
      let last: { at: string; stdout: string } | undefined;

      for (const block of blocks.filter((b) => b.page === page)) {
        const name = `${at(block)} ${block.lang || 'no language'}`;
        const reason = block.notes.get('not-executed');
        if (reason !== undefined) {
          it.skip(`${name}: not executed: ${reason}`, () => undefined);
          continue;
        }
        const file = block.notes.get('file');
        const expectedOutput = block.notes.has('output');

        if (SHELL.has(block.lang) && file === undefined) {
          const commands = commandsOf(block);
          it(`${name}: has commands`, () => expect(commands.length).toBeGreaterThan(0));
          for (const c of commands) {
            it(`${page}:${c.line} $ ${c.command.split('\n')[0]?.slice(0, 100) ?? ''}`, () => {
              expect(REFUSED.test(c.command), `${c.command} can't run in a test: mark the block <!-- not-executed: reason -->`).toBe(false);
              const command = local(c.command.replace(/\bnpx parlance\b/g, 'parlance'));
              const r = run('bash', ['-c', `set -o pipefail\n${state.join('\n')}\n${command}`]);
              if (/^(export\s+)?[A-Za-z_][A-Za-z0-9_]*=\S*$|^cd\s/.test(command) || /^(export\s+)?[A-Za-z_][A-Za-z0-9_]*=\$\(.*\)$/.test(command)) state.push(command);
              last = { at: `${page}:${c.line}`, stdout: r.stdout };
              expect(r.status, `exit status of ${command}\n${r.stderr}${r.stdout}${serverExit === undefined ? '' : `\n${serverExit}`}`).toBe(c.exit);
              if (c.expected.length > 0) expect(r.stdout.replace(/\n+$/, '')).toBe(c.expected.join('\n'));
            });
          }
        } else if (SCRIPT.has(block.lang) && file === undefined) {
          it(name, () => {
            const dir = join(work, '.doc-samples');
            mkdirSync(dir, { recursive: true });
            const path = join(dir, `${page.replace(/[^A-Za-z0-9]+/g, '-')}-${block.line}.mjs`);
            writeFileSync(path, moduleOf(block));
            const r = run(process.execPath, [path]);
            last = { at: at(block), stdout: r.stdout };
            expect(r.status, `exit status\n${r.stderr}`).toBe(0);
          });
        } else if (file !== undefined) {
          it(`${name}: file ${file}`, () => {
            expect(file !== '' && !file.startsWith('/') && !normalize(file).startsWith('..'), 'a relative path inside the copy').toBe(true);
            mkdirSync(dirname(join(work, file)), { recursive: true });
            writeFileSync(join(work, file), block.content.endsWith('\n') ? block.content : `${block.content}\n`);
            if (DATA.has(block.lang)) checkData(block);
          });
        } else if (DATA.has(block.lang)) {
          it(name, () => checkData(block));
        } else if (SHOWN.has(block.lang)) {
          if (!expectedOutput && !block.notes.has('server-output') && ['', 'text', 'txt'].includes(block.lang)) {
            it(`${name}: shown, not run`, () => {
              const runnable = block.content.split('\n').filter((l) => LOOKS_RUNNABLE.test(l));
              expect(runnable, 'lines that look runnable: tag the block (sh, ts, …) or rephrase').toEqual([]);
            });
          }
        } else {
          it(`${name}: a known language`, () => {
            expect.fail(`unknown language "${block.lang}" at ${at(block)}: use one of ${[...SHELL, ...SCRIPT, ...DATA, ...SHOWN].filter(Boolean).join(', ')}, or extend test/docs/samples.test.ts and docs/README.md`);
          });
        }

        if (expectedOutput) {
          it(`${name}: output of the block before`, () => {
            expect(last, 'a runnable block before it on the page').toBeDefined();
            expect(last?.stdout.replace(/\n+$/, ''), `stdout of ${last?.at ?? ''}`).toBe(block.content.replace(/\n+$/, ''));
          });
        }
        if (block.notes.has('server-output')) {
          it(`${name}: what the dev server prints`, () => {
            const printed = serverLog.split('\n').filter((l) => l !== '' && !l.startsWith('{'));
            const lines = block.content.split('\n').filter((l) => l !== '');
            expect(printed.length, serverLog).toBe(lines.length);
            lines.forEach((l, i) => expect(printed[i]).toMatch(outputLine(l)));
          });
        }
      }

      it(`${page}: links`, async () => {
        const text = texts.get(page) as string;
        const broken: string[] = [];
        for (const target of linksOf(text)) {
          if (target.replace(DEV_URL, '') !== target) {
            expect(serverExit).toBeUndefined();
            const res = await fetch(local(target));
            if (!res.ok) broken.push(`${target}: ${res.status}`);
            continue;
          }
          if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
          const [path, anchor] = target.split('#') as [string, string | undefined];
          const file = path === '' ? join(root, page) : join(root, dirname(page), decodeURI(path));
          if (!existsSync(file) || !inRepository(file)) {
            broken.push(`${target}: no file ${relative(root, file)} in the repository`);
            continue;
          }
          if (anchor !== undefined && anchor !== '' && statSync(file).isFile() && file.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(anchor)) {
            broken.push(`${target}: no heading #${anchor} in ${relative(root, file)}`);
          }
        }
        expect(broken, broken.join('\n')).toEqual([]);
      });
    });
  }
});
