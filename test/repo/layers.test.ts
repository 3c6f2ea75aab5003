/**
 * The layering rule (scripts/check-layers.js, run by `npm test`): the repository passes it, and it
 * fails, naming the rule, on a deliberately added upward import, a server-to-CLI import and an
 * import circle, each in a temporary fixture (never by breaking src/).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const script = join(root, 'scripts', 'check-layers.js');
const dirs: string[] = [];

/** A fixture project with these files (paths relative to its root). */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'parlance-layers-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function check(dir?: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [script, ...(dir === undefined ? [] : ['--root', dir])], { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A clean little project: transport -> services -> domain -> store -> shared. */
const CLEAN = {
  'src/server/routes/eval.ts': "import { evaluate } from '../../services/evaluate.js';\nexport const route = evaluate;\n",
  'src/cli/main.ts': "import { evaluate } from '../services/evaluate.js';\nimport { route } from '../server/routes/eval.js';\nexport const main = [evaluate, route];\n",
  'src/services/evaluate.ts': "import { compile } from '../formula/formula.js';\nimport { save } from '../store/db.js';\nexport const evaluate = () => save(compile());\n",
  'src/formula/formula.ts': "import type { Row } from '../store/db.js';\nimport { shape } from '../json-shape.js';\nexport const compile = (): Row => shape;\n",
  'src/store/db.ts': "import type { Compiled } from '../formula/types.js';\nexport type Row = Compiled;\nexport const save = (r: Row) => r;\n",
  'src/formula/types.ts': 'export type Compiled = unknown;\n',
  'src/json-shape.ts': 'export const shape = 1;\n',
  'src/index.ts': "export { compile } from './formula/formula.js';\n",
};

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('layering check', () => {
  it('passes on the repository', () => {
    const r = check();
    expect(r.out).toMatch(/no new upward import or import circle/);
    expect(r.status).toBe(0);
  });

  it('passes on a clean fixture (downward imports, and store imports of domain types)', () => {
    const r = check(fixture(CLEAN));
    expect(r.out).toMatch(/no new upward import or import circle \(0 known/);
    expect(r.status).toBe(0);
  });

  it('fails on a domain module importing the server, with the rule', () => {
    const r = check(fixture({ ...CLEAN, 'src/outbound/rules.ts': "import { route } from '../server/routes/eval.js';\nexport const rule = route;\n" }));
    expect(r.status).toBe(1);
    expect(r.out).toContain('Upward import: src/outbound/rules.ts (domain) imports ../server/routes/eval.js (src/server/routes/eval.ts, transport).');
    expect(r.out).toContain('Rule: Layers, top to bottom: transport');
    expect(r.out).toContain('1 layering violation(s)');
  });

  it('counts type-only imports as upward everywhere but from the store to the domain', () => {
    const r = check(fixture({ ...CLEAN, 'src/formula/types.ts': "import type { evaluate } from '../services/evaluate.js';\nexport type Compiled = typeof evaluate;\n" }));
    expect(r.status).toBe(1);
    expect(r.out).toContain('Upward import: src/formula/types.ts (domain) imports ../services/evaluate.js (src/services/evaluate.ts, services).');
  });

  it('fails on a store module importing domain code at run time', () => {
    const r = check(fixture({ ...CLEAN, 'src/store/db.ts': "import { compile } from '../formula/formula.js';\nexport type Row = unknown;\nexport const save = (r: Row) => [r, compile];\n" }));
    expect(r.status).toBe(1);
    expect(r.out).toContain('Upward import: src/store/db.ts (store) imports ../formula/formula.js (src/formula/formula.ts, domain).');
  });

  it('fails on the HTTP server importing the CLI', () => {
    const r = check(fixture({ ...CLEAN, 'src/server/routes/eval.ts': "import { main } from '../../cli/main.js';\nexport const route = main;\n" }));
    expect(r.status).toBe(1);
    expect(r.out).toContain('Server imports the CLI: src/server/routes/eval.ts imports ../../cli/main.js (src/cli/main.ts).');
  });

  it('fails on an import circle, type imports included, with the rule', () => {
    const r = check(
      fixture({
        ...CLEAN,
        'src/channels/payload.ts': "import type { Profile } from './profiles.js';\nexport const build = (p: Profile) => p;\n",
        'src/channels/profiles.ts': "import { build } from './payload.js';\nexport type Profile = string;\nexport const use = build;\n",
      }),
    );
    expect(r.status).toBe(1);
    expect(r.out).toContain('Import circle: src/channels/payload.ts -> src/channels/profiles.ts -> src/channels/payload.ts.');
    expect(r.out).toContain('Rule: No import circles');
  });

  it('fails on a file in no layer', () => {
    const r = check(fixture({ ...CLEAN, 'src/helpers.ts': 'export const h = 1;\n' }));
    expect(r.status).toBe(1);
    expect(r.out).toContain('src/helpers.ts is in no layer');
  });
});
