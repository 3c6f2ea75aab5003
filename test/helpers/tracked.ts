/**
 * The files of the repository, as opposed to whatever else sits in a checkout (a user's scratch
 * files, the getting-started walkthrough's output, a local store): tests that copy or scan the
 * checkout use this list, so what a user leaves lying around never changes their outcome.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Generated or installed directories, left out when the checkout is not a git repository. */
export const NOT_IN_REPOSITORY = ['node_modules', '.git', 'dist', '.parlance', 'docs/api', 'test/artifacts', 'coverage'];

/**
 * The repository's files under `root` (relative paths, `/`-separated, sorted): `git ls-files` (the
 * index, so staged new files count, with their working-tree content) when `root` is in a git
 * checkout; otherwise (an exported tarball, say) every file but {@link NOT_IN_REPOSITORY}.
 * Files deleted from the working tree but still in the index are left out.
 */
export function repositoryFiles(root: string): string[] {
  const git = spawnSync('git', ['-C', root, 'ls-files', '-z', '--cached', '--full-name', '--', '.'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (git.status === 0 && git.stdout !== '') {
    const prefix = spawnSync('git', ['-C', root, 'rev-parse', '--show-prefix'], { encoding: 'utf8' }).stdout.trim();
    return git.stdout
      .split('\0')
      .filter((p) => p !== '')
      .map((p) => (prefix !== '' && p.startsWith(prefix) ? p.slice(prefix.length) : p))
      .filter((p) => existsSync(join(root, p)))
      .sort();
  }
  const skip = new Set(NOT_IN_REPOSITORY.map((p) => join(root, p)));
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (skip.has(path)) continue;
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(root);
  return out.sort();
}
