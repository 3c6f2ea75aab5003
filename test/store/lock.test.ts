/**
 * One process at a time opens an embedded store directory (docs/deployment.md "The embedded store").
 *
 * Every test waits for states (a line printed, a process exited, a file refreshed), never for a
 * time, and the clock is injected where age matters. Assertions are on strings and booleans, so a
 * failure prints a few lines, never a database object.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.js';
import { acquireStoreLock, judgeLock, LOCK_FILE, systemLockEnvironment, type LockEnvironment, type LockOwner, type StoreLock } from '../../src/store/lock.js';

const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'parlance-lock-'));
  dirs.push(d);
  return join(d, 'db');
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** "opened" (and closes it) or "refused: <message>": a short string whatever happens. */
async function outcome(open: Promise<Database>): Promise<string> {
  try {
    const db = await open;
    const ok = (await db.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n === 1;
    await db.close();
    return ok ? 'opened' : 'opened, but SELECT 1 failed';
  } catch (e) {
    return `refused: ${String((e as Error).message).slice(0, 400)}`;
  }
}

/** The same for the lock alone. */
async function lockOutcome(take: Promise<StoreLock>): Promise<string> {
  try {
    const lock = await take;
    await lock.release();
    return 'acquired';
  } catch (e) {
    return `refused: ${String((e as Error).message).slice(0, 400)}`;
  }
}

const HOUR = 3_600_000;
/** The real environment with a clock an hour ahead: every lock file looks stale by its age. */
const anHourLater: LockEnvironment = { ...systemLockEnvironment, now: () => Date.now() + HOUR };
const noLoss = (e: Error): void => {
  throw e;
};

/** A PID that ran on this host and has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

/** Writes a lock file as another process would (whole, in one rename); returns its modification time. */
function writeLock(dir: string, owner: Partial<LockOwner>): number {
  mkdirSync(dir, { recursive: true });
  const full = { ...systemLockEnvironment.self(), token: 'someone-else', acquiredAt: new Date().toISOString(), ...owner };
  writeFileSync(join(dir, 'lock.tmp'), JSON.stringify(full));
  renameSync(join(dir, 'lock.tmp'), join(dir, LOCK_FILE));
  return statSync(join(dir, LOCK_FILE)).mtimeMs;
}

/** The real environment with a fixed clock. */
const at = (now: number): LockEnvironment => ({ ...systemLockEnvironment, now: () => now });

describe('embedded store lock', () => {
  it('refuses a second open of the same directory while the first is open, and allows it after close', async () => {
    const dir = fresh();
    const first = await openDatabase(dir);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    expect(await outcome(openDatabase(dir, { lockWaitMs: 0 }))).toMatch(/^refused: The embedded store .* is in use by another process \(the lock .*parlance\.lock is held by process \d+ on .* \(it is running\)\)/);
    // Even when the lock file looks an hour old: the owner (this process) is running.
    expect(await outcome(openDatabase(dir, { lockWaitMs: 0, lock: { env: anHourLater } }))).toMatch(/^refused: .*it is running/);
    // The first one is unharmed.
    expect((await first.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n).toBe(1);
    await first.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(await outcome(openDatabase(dir, { lockWaitMs: 0 }))).toBe('opened');
  });

  it('a holder whose event loop is blocked keeps its lock, and its lock is taken over at once when it is killed', async () => {
    const dir = fresh();
    // A second process opens the store and then blocks its event loop for good.
    const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'store', 'fixtures', 'busy-holder.ts'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-2000)));
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`exit ${code} ${signal}`)));
    const started = await new Promise<string>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        if (c.includes('open')) resolve('open');
      });
      void exited.then((how) => resolve(`${how}: ${stderr}`));
    });
    expect(started).toBe('open');
    try {
      const owner = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockOwner;
      expect(owner.pid).toBe(child.pid);
      // Its loop is blocked for longer than any stale time (the clock says an hour has passed):
      // no second open succeeds while it runs.
      expect(await outcome(openDatabase(dir, { lockWaitMs: 0, lock: { env: anHourLater } }))).toMatch(/^refused: .*held by process \d+ .*\(it is running\)/);
      expect(await outcome(openDatabase(dir, { lockWaitMs: 0 }))).toMatch(/^refused: .*it is running/);
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('exit null SIGKILL');
    // Its owner is provably gone: taken over without waiting (lockWaitMs 0).
    expect(await outcome(openDatabase(dir, { lockWaitMs: 0 }))).toBe('opened');
  });

  it('refreshes the lock file from a worker while the event loop is blocked', async () => {
    const dir = fresh();
    mkdirSync(dir);
    const staleMs = 200;
    const lock = await acquireStoreLock(dir, { waitMs: 0, staleMs, refreshMs: 10, onLost: noLoss });
    try {
      const path = join(dir, LOCK_FILE);
      const blockedAt = Date.now();
      const seen = new Set<number>();
      let refreshedAfterStale = false;
      // Blocks this thread (no await) until the file was refreshed after the block had lasted
      // longer than the stale time (a state, however long the machine takes to get there).
      const wait = new Int32Array(new SharedArrayBuffer(4));
      while (!refreshedAfterStale && Date.now() - blockedAt < 50_000) {
        Atomics.wait(wait, 0, 0, 5);
        const m = statSync(path).mtimeMs;
        seen.add(m);
        refreshedAfterStale = m > blockedAt + staleMs;
      }
      expect({ refreshedAfterStale, refreshes: seen.size > 1 }).toEqual({ refreshedAfterStale: true, refreshes: true });
    } finally {
      await lock.release();
    }
  });

  it('takes over a lock at once when its owner provably died on this host, or its PID now belongs to another process', async () => {
    const dir = fresh();
    writeLock(dir, { pid: deadPid() });
    expect(await lockOutcome(acquireStoreLock(dir, { waitMs: 0, onLost: noLoss }))).toBe('acquired');
    const self = systemLockEnvironment.self();
    if (self.startTime !== undefined) {
      // This process's PID, recorded with another start time: the PID was reused.
      writeLock(dir, { pid: process.pid, startTime: String(Number(self.startTime) + 1) });
      expect(await lockOutcome(acquireStoreLock(dir, { waitMs: 0, onLost: noLoss }))).toBe('acquired');
    }
  });

  it('waits for a lock whose owner cannot be checked (another host) until it is stale', async () => {
    const dir = fresh();
    // Its PID is not running here, but that proves nothing about another host: its age decides.
    const written = writeLock(dir, { pid: deadPid(), hostname: 'elsewhere.example' });
    expect(await lockOutcome(acquireStoreLock(dir, { waitMs: 0, onLost: noLoss, env: at(written + 9_000) }))).toMatch(/^refused: .*held by process \d+ on elsewhere\.example \(refreshed recently\)/);
    expect(await lockOutcome(acquireStoreLock(dir, { waitMs: 0, onLost: noLoss, env: at(written + 11_000) }))).toBe('acquired');
    // Same for a lock directory left by an older version (proper-lockfile): no owner recorded.
    mkdirSync(join(dir, LOCK_FILE));
    const made = statSync(join(dir, LOCK_FILE)).mtimeMs;
    expect(await lockOutcome(acquireStoreLock(dir, { waitMs: 0, onLost: noLoss, env: at(made + 9_000) }))).toMatch(/^refused: .*held by an unknown process/);
    expect(await lockOutcome(acquireStoreLock(dir, { waitMs: 0, onLost: noLoss, env: at(made + 11_000) }))).toBe('acquired');
  });

  it('judges by liveness on this host and by age elsewhere', () => {
    const env: LockEnvironment = {
      now: () => 100_000,
      self: () => ({ pid: 1, hostname: 'here', bootId: 'b', pidNamespace: 'ns', startTime: '10' }),
      isRunning: (pid) => pid === 7,
      startTime: (pid) => (pid === 7 ? '70' : undefined),
    };
    const owner = (o: Partial<LockOwner>): LockOwner => ({ pid: 7, hostname: 'here', bootId: 'b', pidNamespace: 'ns', startTime: '70', token: 't', acquiredAt: '', ...o });
    const judge = (o: LockOwner | undefined, ageMs: number): string => {
      const j = judgeLock(o, 100_000 - ageMs, 10_000, env);
      return `${j.state} ${j.reason}`;
    };
    expect(judge(owner({}), HOUR)).toBe('held owner-alive');
    expect(judge(owner({ pid: 8 }), 0)).toBe('abandoned owner-gone');
    expect(judge(owner({ startTime: '69' }), 0)).toBe('abandoned pid-reused');
    // Not provable: another host, boot or PID namespace, or no start time to compare.
    for (const other of [{ hostname: 'there' }, { bootId: 'c' }, { pidNamespace: 'ns2' }, { startTime: undefined }]) {
      expect([judge(owner(other), 9_000), judge(owner(other), 11_000)]).toEqual(['held fresh', 'abandoned stale']);
    }
    expect([judge(undefined, 9_000), judge(undefined, 11_000)]).toEqual(['held fresh', 'abandoned stale']);
  });

  it('reports a lock taken over by another process', async () => {
    const dir = fresh();
    mkdirSync(dir);
    let resolveLost: (message: string) => void = () => undefined;
    const lost = new Promise<string>((resolve) => (resolveLost = resolve));
    const lock = await acquireStoreLock(dir, { waitMs: 0, refreshMs: 10, onLost: (e) => resolveLost(e.message) });
    writeLock(dir, { token: 'the-other-process' });
    expect(await lost).toMatch(/^The lock .*parlance\.lock was lost: another process took it over/);
    await lock.release();
    // Not removed: it is the other process's.
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });
});
