/** One process at a time opens an embedded store directory (docs/deployment.md "The embedded store"). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';

const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'parlance-lock-'));
  dirs.push(d);
  return join(d, 'db');
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('embedded store lock', () => {
  it('refuses a second open of the same directory while the first is open, and allows it after close', async () => {
    const dir = fresh();
    const first = await openDatabase(dir);
    expect(existsSync(join(dir, 'parlance.lock'))).toBe(true);
    await expect(openDatabase(dir, { lockWaitMs: 0 })).rejects.toThrow(/is in use by another process \(the lock .*parlance\.lock is held\)/);
    // The first one is unharmed.
    expect((await first.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n).toBe(1);
    await first.close();
    expect(existsSync(join(dir, 'parlance.lock'))).toBe(false);
    const second = await openDatabase(dir, { lockWaitMs: 0 });
    expect((await second.query<{ n: number }>('SELECT 2 AS n')).rows[0]?.n).toBe(2);
    await second.close();
  }, 60_000);

  it('takes over a lock left by a process that was killed, once it is stale', async () => {
    const dir = fresh();
    mkdirSync(dir);
    // A child process takes the lock and is killed without releasing it (as kill -9 would leave it).
    const child = spawnSync(process.execPath, ['-e', `require('proper-lockfile').lockSync(${JSON.stringify(dir)}, { lockfilePath: ${JSON.stringify(join(dir, 'parlance.lock'))}, realpath: false }); process.kill(process.pid, 'SIGKILL')`], { cwd: process.cwd() });
    expect(child.signal, String(child.stderr)).toBe('SIGKILL');
    expect(existsSync(join(dir, 'parlance.lock'))).toBe(true);
    await expect(openDatabase(dir, { lockWaitMs: 0 })).rejects.toThrow(/in use by another process/);
    const db = await openDatabase(dir); // waits until the dead process's lock is stale (10 s)
    expect((await db.query<{ n: number }>('SELECT 3 AS n')).rows[0]?.n).toBe(3);
    await db.close();
  }, 60_000);
});
