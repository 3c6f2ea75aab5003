/**
 * The package's entry points (package.json `exports`, docs/architecture.md): in a fresh project
 * that installed the package, `import('parlance')` loads the engine and neither the HTTP server
 * (fastify) nor a database (PGlite, pg); `parlance/server`, `parlance/store` and
 * `parlance/services` load them. Each import runs in a fresh node process (the built package,
 * dist/: `npm test` builds it first) with a module hook that records every module the loader
 * loads, checked together with node's CommonJS cache (what CommonJS packages `require` inside
 * themselves).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
let project = '';

/** Loaded module URLs and paths under node_modules, as `package/path`, after importing `specifier` in a fresh process. */
function loadedBy(specifier: string): { exports: string[]; modules: string[] } {
  const trace = join(project, `trace-${specifier.replace(/\W/g, '-')}.txt`);
  writeFileSync(trace, '');
  const script = [
    "import Module from 'node:module';",
    `const m = await import(${JSON.stringify(specifier)});`,
    'const cache = Object.keys(Module._cache);',
    'process.stdout.write(JSON.stringify({ exports: Object.keys(m), cache }));',
  ].join('\n');
  const r = spawnSync(process.execPath, ['--import', './trace-register.mjs', '--input-type=module', '-e', script], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, PARLANCE_TRACE: trace },
  });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { exports: string[]; cache: string[] };
  const paths = [...readFileSync(trace, 'utf8').split('\n').filter((l) => l !== ''), ...out.cache];
  const modules = new Set<string>();
  for (const p of paths) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p);
    if (m?.[1] !== undefined) modules.add(m[1]);
  }
  return { exports: out.exports, modules: [...modules].sort() };
}

const HEAVY = ['fastify', '@fastify/swagger', '@fastify/swagger-ui', '@electric-sql/pglite', 'pg'];
const LAZY = ['ajv', 'libphonenumber-js', 'diff'];
/** Kept out of `parlance` in their own entry points: the editors' language service, golden files and the XML reader. */
const ELSEWHERE = ['saxes', 'vscode-languageserver'];

beforeAll(() => {
  // A fresh project that installed the package: node_modules/parlance is the package root.
  project = mkdtempSync(join(tmpdir(), 'parlance-entry-'));
  writeFileSync(join(project, 'package.json'), '{ "type": "module", "dependencies": { "parlance": "*" } }\n');
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(root, join(project, 'node_modules', 'parlance'));
  writeFileSync(
    join(project, 'trace-hooks.mjs'),
    "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(process.env.PARLANCE_TRACE, `${url}\\n`);\n  return next(url, context);\n}\n",
  );
  writeFileSync(join(project, 'trace-register.mjs'), "import { register } from 'node:module';\nregister('./trace-hooks.mjs', import.meta.url);\n");
});

afterAll(() => {
  if (project !== '') rmSync(project, { recursive: true, force: true });
});

describe('entry points', () => {
  it('parlance loads the engine, without fastify, PGlite or pg', () => {
    const { exports, modules } = loadedBy('parlance');
    expect(exports).toEqual(expect.arrayContaining(['compileFormula', 'compileTemplate', 'renderComponent', 'ChannelProfiles', 'decideInbound', 'decideOutbound']));
    expect(exports).not.toContain('buildServer');
    expect(exports).not.toContain('openDatabase');
    expect(modules).toContain('decimal.js');
    expect(modules.filter((m) => HEAVY.includes(m))).toEqual([]);
    // Loaded on first use (src/lazy-modules.ts), not by the import: they were most of its cost.
    expect(modules.filter((m) => LAZY.includes(m))).toEqual([]);
    expect(modules.filter((m) => ELSEWHERE.includes(m))).toEqual([]);
    expect(exports).not.toContain('LanguageService');
    expect(exports).not.toContain('runCases');
  });

  it('parlance/language has the language service and loads neither a server, a database nor the XML reader', () => {
    const { exports, modules } = loadedBy('parlance/language');
    expect(exports).toEqual(expect.arrayContaining(['LanguageService', 'catalogOfDefinitions']));
    expect(modules.filter((m) => HEAVY.includes(m) || ELSEWHERE.includes(m))).toEqual([]);
  });

  it('parlance/testing has the golden-file runner (it reads Salesforce metadata too), without a server or a database', () => {
    const { exports, modules } = loadedBy('parlance/testing');
    expect(exports).toEqual(expect.arrayContaining(['runCases', 'runCase', 'findCases', 'renderCase']));
    expect(modules).toContain('saxes');
    expect(modules.filter((m) => HEAVY.includes(m))).toEqual([]);
  });

  it('parlance/server loads the server (the hook sees fastify)', () => {
    const { exports, modules } = loadedBy('parlance/server');
    expect(exports).toEqual(expect.arrayContaining(['buildServer', 'DEFAULT_LIMITS', 'KeyRing', 'parseKeys']));
    expect(modules).toContain('fastify');
  });

  it('parlance/store loads the store (the hook sees PGlite and pg) and not fastify', () => {
    const { exports, modules } = loadedBy('parlance/store');
    expect(exports).toEqual(expect.arrayContaining(['openDatabase', 'migrate', 'ComponentStore', 'ChannelStore']));
    expect(modules).toContain('@electric-sql/pglite');
    expect(modules).not.toContain('fastify');
  });

  it('parlance/services has the use cases (inbound, linking, outbound, sessions), loading neither fastify nor a database (they take one from parlance/store)', () => {
    const { exports, modules } = loadedBy('parlance/services');
    expect(exports).toEqual(expect.arrayContaining(['LinkingService', 'InboundProcessor', 'OutboundService', 'SessionService']));
    expect(modules).toContain('decimal.js');
    expect(modules.filter((m) => HEAVY.includes(m))).toEqual([]);
  });
});
