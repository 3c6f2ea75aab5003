/**
 * The embedded store's lock: one process at a time opens a store directory (PostgreSQL, embedded,
 * has one process per data directory, and two processes writing the same files damage the store).
 *
 * The lock is a file, `<dir>/parlance.lock`, created atomically (`O_EXCL`) and holding its owner:
 * process id, host name, boot id, PID namespace and process start time. Another process judges it:
 *
 * - **owner provably alive** (same host, boot and PID namespace; the PID runs, with the recorded
 *   start time): held, however old the file. A busy owner whose event loop is blocked keeps its lock.
 * - **owner provably gone** (same host, boot and PID namespace; the PID does not run, or runs with
 *   another start time, i.e. the PID was reused): taken over at once, so a restart after `kill -9`
 *   does not wait.
 * - **not provable** (another host, another boot or PID namespace, a PID that runs but whose start
 *   time can't be read, an unreadable lock): held until the file is older than the stale time.
 *   The owner refreshes the file's time from a worker thread, so a blocked event loop doesn't
 *   delay the refresh.
 *
 * Why not a kernel lock (flock/fcntl, released by the kernel when the process dies): Node.js has
 * none, and the npm packages that add one are native addons (compiled at install, or prebuilt
 * for some platforms only). See docs/deployment.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';

/** What the lock file records about the process that holds it. */
export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  /** Linux: /proc/sys/kernel/random/boot_id. */
  readonly bootId?: string;
  /** Linux: the PID namespace (`/proc/self/ns/pid`), which containers have their own of. */
  readonly pidNamespace?: string;
  /** Linux: the process start time in clock ticks since boot (/proc/<pid>/stat), which tells a reused PID. */
  readonly startTime?: string;
  /** Unique per acquisition: tells this lock from a later one. */
  readonly token: string;
  readonly acquiredAt: string;
}

/** What this process knows about itself and others; replaced in tests. */
export interface LockEnvironment {
  /** Wall-clock time in ms, compared with the lock file's modification time. */
  now(): number;
  /** This process, as it would record itself (without token and time). */
  self(): Omit<LockOwner, 'token' | 'acquiredAt'>;
  /** Whether a process with this PID runs on this host (in this PID namespace). */
  isRunning(pid: number): boolean;
  /** The start time of a running process, or undefined where it can't be read. */
  startTime(pid: number): string | undefined;
}

export interface LockOptions {
  /** How long to wait for a lock that is held, in ms (0: one attempt). */
  readonly waitMs: number;
  /** How old a lock whose owner can't be checked must be to be taken over, in ms. Default 10,000. */
  readonly staleMs?: number;
  /** How often the owner refreshes the lock file's time, in ms. Default a quarter of `staleMs`. */
  readonly refreshMs?: number;
  /** Called once if the lock file is removed or taken over by another process while held. */
  readonly onLost: (error: Error) => void;
  readonly env?: LockEnvironment;
}

/** How a lock found in place is judged. */
export type LockJudgement =
  | { readonly state: 'held'; readonly reason: 'owner-alive' | 'fresh' }
  | { readonly state: 'abandoned'; readonly reason: 'owner-gone' | 'pid-reused' | 'stale' };

export interface StoreLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Stops refreshing and removes the lock file (when it is still this one). */
  release(): Promise<void>;
}

export const LOCK_FILE = 'parlance.lock';
export const DEFAULT_STALE_MS = 10_000;
const RETRY_MS = 100;

/** Raised when the lock is held by another process and waiting did not help. */
export class StoreLockedError extends Error {
  constructor(
    readonly path: string,
    readonly judgement: LockJudgement,
    readonly holder: LockOwner | undefined,
  ) {
    const who = holder === undefined ? 'an unknown process' : `process ${holder.pid} on ${holder.hostname}`;
    const why = { 'owner-alive': 'it is running', fresh: 'refreshed recently', 'owner-gone': 'its owner is gone, but another process is taking it over', 'pid-reused': 'its owner is gone, but another process is taking it over', stale: 'stale, but another process is taking it over' }[judgement.reason];
    super(`the lock ${path} is held by ${who} (${why})`);
    this.name = 'StoreLockedError';
  }
}

function readQuietly(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The real process environment (Linux details where /proc has them). */
export const systemLockEnvironment: LockEnvironment = {
  now: () => Date.now(),
  self() {
    let pidNamespace: string | undefined;
    try {
      pidNamespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      pidNamespace = undefined;
    }
    const bootId = readQuietly('/proc/sys/kernel/random/boot_id');
    const startTime = this.startTime(process.pid);
    return { pid: process.pid, hostname: hostname(), ...(bootId !== undefined ? { bootId } : {}), ...(pidNamespace !== undefined ? { pidNamespace } : {}), ...(startTime !== undefined ? { startTime } : {}) };
  },
  isRunning(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      // EPERM: it runs, as another user.
      return (e as { code?: string }).code !== 'ESRCH';
    }
  },
  startTime(pid) {
    const stat = readQuietly(`/proc/${pid}/stat`);
    if (stat === undefined) return undefined;
    // "pid (comm) state ppid …": the command may hold spaces and parentheses; field 22 is the start time.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  },
};

/** Judges a lock file found in place (its owner, if readable, and its modification time). */
export function judgeLock(owner: LockOwner | undefined, mtimeMs: number, staleMs: number, env: LockEnvironment): LockJudgement {
  const me = env.self();
  const sameMachine = owner !== undefined && owner.hostname === me.hostname && owner.bootId === me.bootId && owner.pidNamespace === me.pidNamespace;
  if (sameMachine) {
    if (!env.isRunning(owner.pid)) return { state: 'abandoned', reason: 'owner-gone' };
    const started = env.startTime(owner.pid);
    if (owner.startTime !== undefined && started !== undefined) {
      return started === owner.startTime ? { state: 'held', reason: 'owner-alive' } : { state: 'abandoned', reason: 'pid-reused' };
    }
  }
  return env.now() - mtimeMs > staleMs ? { state: 'abandoned', reason: 'stale' } : { state: 'held', reason: 'fresh' };
}

interface Found {
  /** The file's content, or `<directory>` for a lock directory (proper-lockfile's, by an older version). */
  readonly raw: string;
  readonly owner: LockOwner | undefined;
  readonly mtimeMs: number;
  readonly directory: boolean;
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const o = JSON.parse(raw) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.hostname === 'string' && typeof o.token === 'string' ? (o as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

function find(path: string): Found | undefined {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return { raw: '<directory>', owner: undefined, mtimeMs: st.mtimeMs, directory: true };
    const raw = readFileSync(path, 'utf8');
    return { raw, owner: parseOwner(raw), mtimeMs: st.mtimeMs, directory: false };
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw e;
  }
}

const code = (e: unknown): string | undefined => (e as { code?: string }).code;

/**
 * Removes an abandoned lock, if it is still the one that was judged. Two processes that both
 * judged it abandoned take turns through a short-lived mutex directory, so that the second one
 * never removes the lock the first one has just created.
 */
function removeAbandoned(path: string, judged: Found, staleMs: number, env: LockEnvironment): void {
  const mutex = `${path}.takeover`;
  try {
    mkdirSync(mutex, { mode: 0o700 });
  } catch (e) {
    if (code(e) !== 'EEXIST') throw e;
    // A process that died inside the few statements below leaves it behind.
    const st = statSync(mutex, { throwIfNoEntry: false });
    if (st !== undefined && env.now() - st.mtimeMs > staleMs) rmSync(mutex, { recursive: true, force: true });
    return;
  }
  try {
    const now = find(path);
    if (now === undefined || now.raw !== judged.raw || now.mtimeMs !== judged.mtimeMs) return;
    if (now.directory) rmSync(path, { recursive: true, force: true });
    else unlinkSync(path);
  } finally {
    rmdirSync(mutex);
  }
}

type Attempt = { readonly owner: LockOwner } | { readonly judgement: LockJudgement; readonly holder: LockOwner | undefined };

function attempt(path: string, staleMs: number, env: LockEnvironment): Attempt {
  for (let round = 0; ; round++) {
    const owner: LockOwner = { ...env.self(), token: randomBytes(16).toString('hex'), acquiredAt: new Date(env.now()).toISOString() };
    try {
      writeFileSync(path, `${JSON.stringify(owner)}\n`, { flag: 'wx', mode: 0o600 });
      return { owner };
    } catch (e) {
      if (code(e) !== 'EEXIST') throw e;
    }
    const found = find(path);
    if (found === undefined) continue; // released meanwhile: try again at once
    const judgement = judgeLock(found.owner, found.mtimeMs, staleMs, env);
    if (judgement.state === 'held' || round >= 2) return { judgement, holder: found.owner };
    removeAbandoned(path, found, staleMs, env);
  }
}

/**
 * The refresher, in a worker thread so that a blocked event loop doesn't stop it: touches the
 * lock file every `refreshMs`, and reports when the file is gone or holds another owner.
 */
const REFRESHER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { path, token, refreshMs } = workerData;
const lost = (reason) => { clearInterval(timer); parentPort.postMessage({ lost: reason }); };
const timer = setInterval(() => {
  let owner;
  try { owner = JSON.parse(fs.readFileSync(path, 'utf8')); } catch (e) { return lost('the lock file is gone or unreadable (' + (e.code || e.message) + ')'); }
  if (owner === null || owner.token !== token) return lost('another process took it over (process ' + (owner && owner.pid) + ' on ' + (owner && owner.hostname) + ')');
  const now = new Date();
  try { fs.utimesSync(path, now, now); } catch (e) { return lost('it could not be refreshed (' + (e.code || e.message) + ')'); }
}, refreshMs);
parentPort.on('message', () => { clearInterval(timer); parentPort.close(); });
`;

/** Takes `<dir>/parlance.lock` for this process, waiting up to `waitMs` while another holds it. */
export async function acquireStoreLock(dir: string, options: LockOptions): Promise<StoreLock> {
  const env = options.env ?? systemLockEnvironment;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const path = join(dir, LOCK_FILE);
  const deadline = performance.now() + options.waitMs;
  let result = attempt(path, staleMs, env);
  while (!('owner' in result) && performance.now() < deadline) {
    await sleep(Math.min(RETRY_MS, Math.max(0, deadline - performance.now())));
    result = attempt(path, staleMs, env);
  }
  if (!('owner' in result)) throw new StoreLockedError(path, result.judgement, result.holder);
  const owner = result.owner;

  const worker = new Worker(REFRESHER, { eval: true, workerData: { path, token: owner.token, refreshMs: options.refreshMs ?? Math.floor(staleMs / 4) } });
  worker.unref();
  let lost = false;
  const report = (reason: string): void => {
    if (lost) return;
    lost = true;
    options.onLost(new Error(`The lock ${path} was lost: ${reason}`));
  };
  worker.on('message', (m: { lost?: string }) => {
    if (m.lost !== undefined) report(m.lost);
  });
  worker.on('error', (e) => report(`its refresher failed (${e.message})`));

  let released: Promise<void> | undefined;
  const release = async (): Promise<void> => {
    lost = true; // a release is not a loss
    worker.postMessage('stop');
    await worker.terminate();
    const now = find(path);
    if (now?.owner?.token === owner.token) unlinkSync(path);
  };
  return { path, owner, release: () => (released ??= release()) };
}
