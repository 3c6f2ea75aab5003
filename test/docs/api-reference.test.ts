/**
 * The typedoc API reference (`npm run docs`) builds with no warnings: typedoc.json treats warnings
 * as errors, so an exported type that references an unexported one, or a broken {@link}, fails
 * here rather than when someone next builds the docs.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

describe('API reference', () => {
  it('builds without warnings', () => {
    // --skipErrorChecking: the type errors are `npm run typecheck`'s job (half of typedoc's time);
    // typedoc's own checks (unexported types, broken links) still run.
    const r = spawnSync(process.execPath, [`${root}node_modules/typedoc/bin/typedoc`, '--emit', 'none', '--skipErrorChecking'], { cwd: root, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`.match(/\[(warning|error)\].*/g) ?? []).toEqual([]);
    expect(r.status).toBe(0);
  }, 120_000);
});
