/**
 * The Node.js version README promises is one every dependency accepts: package.json's `engines`
 * says the same as README, and every package in package-lock.json (what `npm ci` installs) has an
 * `engines.node` range that includes it, so `npm ci` prints no EBADENGINE warning and
 * `npm ci --engine-strict` (.ci/run) succeeds on that version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };

/** README's "Requires Node.js X.Y or newer", as a version. */
function promised(): string {
  const m = /Requires Node\.js (\d+\.\d+(?:\.\d+)?) or newer/.exec(readme);
  expect(m, 'README.md says "Requires Node.js X.Y or newer"').not.toBeNull();
  return semver.coerce(m![1])!.version;
}

describe('Node.js versions', () => {
  it("package.json's engines range starts at the version README promises", () => {
    expect(semver.minVersion(pkg.engines.node)?.version).toBe(promised());
  });

  it('every locked dependency accepts that version', () => {
    const version = promised();
    const refused: string[] = [];
    let checked = 0;
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === '') continue;
      // Old packages may give engines as an array of strings: npm ignores those.
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (range === undefined) continue;
      checked++;
      if (!semver.satisfies(version, range)) refused.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version ?? '?'} requires node ${range}`);
    }
    expect(checked).toBeGreaterThan(50);
    expect(refused, `These dependencies refuse Node.js ${version}, which README promises: pin a version that accepts it, or change README and package.json`).toEqual([]);
  });
});
