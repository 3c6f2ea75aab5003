import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * What is linted: the repository's own code (src, test, bench, scripts, bin and the config files
 * at the root), never what a user keeps beside it in the checkout. `npm run lint` names those
 * directories; files and folders git doesn't track (a scratch script, the getting-started
 * walkthrough's output) are ignored here as well, so `npx eslint .` agrees. Outside a git checkout
 * (an exported tarball) only the directories' own ignores apply.
 */
export const LINTED = ['src', 'test', 'bench', 'scripts', 'bin', 'eslint.config.js', 'vitest.config.ts'];

/** Untracked, not git-ignored files and directories (directories end in `/`), as ignore patterns. */
function untracked() {
  const cwd = dirname(fileURLToPath(import.meta.url)); // the paths are relative to this file's directory, like the patterns
  const git = spawnSync('git', ['ls-files', '--others', '--exclude-standard', '--directory', '--no-empty-directory', '-z'], { cwd, encoding: 'utf8' });
  if (git.status !== 0) return [];
  return git.stdout
    .split('\0')
    .filter((p) => p !== '')
    .map((p) => (p.endsWith('/') ? `${p}**` : p));
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'docs/api/**', 'test/artifacts/**', 'coverage/**', '.parlance/**', ...untracked()] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
);
