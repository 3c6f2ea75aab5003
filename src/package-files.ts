import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let rootCache: string | undefined;

/**
 * The directory of the `parlance` package.json, where `schemas/` lives: found by walking up
 * from this module, so it works from `src/` under tests and from `dist/src/` when built.
 * Computed once; it never changes while the process runs.
 */
export function packageRoot(): string {
  if (rootCache !== undefined) return rootCache;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'parlance') return (rootCache = dir);
      } catch {
        // Not ours (or unreadable): keep walking up.
      }
    }
    if (dirname(dir) === dir) throw new Error(`Cannot find the parlance package (a package.json named "parlance") above ${start}`);
  }
}

/** A path inside the package, such as `packagePath('schemas', 'component.schema.json')`. */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
