/**
 * ESLint lints the repository's code, not what a user keeps in the checkout: in a git repository
 * with this eslint.config.js, a scratch script with lint errors in an untracked folder (or an
 * untracked file beside tracked ones) is ignored, by `eslint .` and by `npm run lint`'s
 * directories alike, while the same errors in a tracked file are reported.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const BAD = 'var unused = 1\nundefinedFunction()\n';
const GOOD = 'export const ok = 1;\n';
let dir = '';

function git(...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-C', dir, ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parlance-lint-'));
  copyFileSync(join(root, 'eslint.config.js'), join(dir, 'eslint.config.js'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'ok.js'), GOOD);
  writeFileSync(join(dir, 'src', 'tracked-bad.js'), BAD);
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'tracked files');
  // What a user leaves in the checkout: an untracked folder, and an untracked file in src/.
  mkdirSync(join(dir, 'scratch'));
  writeFileSync(join(dir, 'scratch', 'try.js'), BAD);
  writeFileSync(join(dir, 'src', 'notes.js'), BAD);
}, 60_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

async function lintedWithErrors(patterns: string[]): Promise<string[]> {
  const eslint = new ESLint({ cwd: dir, errorOnUnmatchedPattern: false, warnIgnored: false });
  const results = await eslint.lintFiles(patterns);
  return results.filter((r) => r.errorCount > 0).map((r) => r.filePath.slice(dir.length + 1)).sort();
}

describe('the lint covers what is in the repository', () => {
  it('`eslint .` reports the tracked file and ignores the untracked ones', async () => {
    expect(await lintedWithErrors(['.'])).toEqual(['src/tracked-bad.js']);
  });

  it("`npm run lint`'s directories give the same", async () => {
    expect(await lintedWithErrors(['src', 'test', 'bench', 'scripts', 'bin', 'eslint.config.js'])).toEqual(['src/tracked-bad.js']);
  });
});
