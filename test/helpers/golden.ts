import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** True when golden files should be rewritten from actual output (`UPDATE_GOLDEN=1`). Review every diff. */
export const UPDATE_GOLDEN = process.env['UPDATE_GOLDEN'] === '1';

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}
