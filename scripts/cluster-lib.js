/**
 * What the cluster test (scripts/cluster-test.js) and the cluster benchmark (bench/cluster.js)
 * share: a fresh schema on the PostgreSQL server of PARLANCE_TEST_POSTGRES_URL, `parlance serve`
 * instances on loopback, waiting for their health, the load driver (scripts/cluster-load.js), and
 * the CPU time of processes from /proc.
 */
import { fork, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { callJson } from './http-json.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'parlance.js');
const LOAD = join(ROOT, 'scripts', 'cluster-load.js');

/** A short-code channel with the default keywords and a custom one (docs/consent.md). */
export const CHANNEL_SETTINGS = {
  type: 'SmsShortCode',
  country: 'US',
  consentType: 'ExplicitOptIn',
  defaultLanguage: 'en',
  languages: [
    {
      language: 'en',
      keywords: { optIn: ['START', 'YES'], optOut: ['STOP', 'END'], help: ['HELP'] },
      custom: [{ keywords: ['HOURS'], response: "We're open 9am-5pm ET, Monday to Friday." }],
      responses: {
        optInPrompt: 'To subscribe to Example Alerts, reply START. Reply HELP for help, STOP to cancel. Msg&data rates may apply.',
        optInConfirmation: 'Thanks for opting in and allowing us to send you messages.',
        optOutConfirmation: "You've opted out of receiving messages from us, so we won't contact you again.",
        helpResponse: 'Example Alerts: help at help.example.com or 1-800-555-0100. Msg&data rates may apply. 1 msg/day. Text STOP to cancel.',
      },
    },
  ],
};

/** The texts senders pick from: opt-out, opt-in, help, the custom keyword, conversation. */
export const TEXTS = ['STOP', 'START', 'YES', 'HELP', 'HOURS', 'stop', 'Where is my order?', 'Hello', 'Can I change my appointment?'];

export function postgresUrl() {
  const url = process.env.PARLANCE_TEST_POSTGRES_URL;
  if (url === undefined || url === '') {
    process.stderr.write('This needs a PostgreSQL server: set PARLANCE_TEST_POSTGRES_URL=postgres://user:password@host:port/database (.ci/run starts one and sets it).\n');
    process.exit(2);
  }
  return url;
}

/** `url` with `search_path` set to `schema` through the startup `options`. */
export function withSearchPath(url, schema) {
  const u = new URL(url);
  const options = [u.searchParams.get('options'), `-c search_path=${schema}`].filter((o) => o !== null && o !== '').join(' ');
  u.searchParams.delete('options');
  return `${u.toString()}${u.search === '' ? '?' : '&'}options=${encodeURIComponent(options)}`;
}

/** A new, empty schema; returns { url, admin, drop() }: `url` opens the schema, `admin` is a client on it. */
export async function freshSchema(base, name) {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  await admin.query(`CREATE SCHEMA ${name}`);
  await admin.query(`SET search_path = ${name}`);
  return {
    url: withSearchPath(base, name),
    admin,
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await admin.end();
    },
  };
}

/** Every child still running, killed on exit whatever happens. */
const children = new Set();
export function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
export function killAll() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
process.on('exit', killAll);

export function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function tail(stream, limit = 32 * 1024) {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    text = (text + chunk).slice(-limit);
  });
  return () => text;
}

/**
 * Starts `parlance serve --db <url>` on a loopback port; resolves { child, url, output } once it
 * prints its "listening" line and answers /healthz. Rejects when it exits first or takes longer
 * than `timeoutMs` (a bound for a hung start, not a timing assumption).
 */
export async function startServer(dbUrl, key, { label = 'server', timeoutMs = 180_000, extraArgs = [] } = {}) {
  const child = track(
    spawn(process.execPath, [BIN, 'serve', '--db', dbUrl, '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', ...extraArgs], {
      cwd: ROOT,
      env: { ...process.env, PARLANCE_API_KEYS: `cluster admin,service ${key}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const stdout = tail(child.stdout);
  const stderr = tail(child.stderr);
  const output = () => `--- ${label} stdout\n${stdout()}\n--- ${label} stderr\n${stderr()}`;
  const deadline = Date.now() + timeoutMs;
  let url;
  while (url === undefined) {
    const m = /Parlance listening on (http:\/\/[^\s]+)/.exec(stderr());
    if (m !== null) url = m[1].replace(/\/$/, '');
    else if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${label} exited (code ${child.exitCode}, signal ${child.signalCode}) before listening\n${output()}`);
    else if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${label} did not start within ${timeoutMs / 1000} s\n${output()}`);
    } else await sleep(25);
  }
  await waitHealthy(url, deadline, () => child.exitCode !== null || child.signalCode !== null, label);
  return { child, url, output };
}

/** Waits until GET /healthz answers 200 (the store answers SELECT 1). */
export async function waitHealthy(url, deadline, gone = () => false, label = url) {
  for (;;) {
    const status = await new Promise((resolve) => {
      const req = http.get(`${url}/healthz`, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.setTimeout(10_000, () => req.destroy());
      req.on('error', () => resolve(0));
    });
    if (status === 200) return;
    if (gone()) throw new Error(`${label} exited before it was healthy`);
    if (Date.now() > deadline) throw new Error(`${label} was not healthy in time`);
    await sleep(50);
  }
}

/** An HTTP call with JSON in and out (scripts/http-json.js). */
export function call(url, method, path, key, body) {
  return callJson(url, method, path, key, body, 60_000);
}

/** Forks the load driver; returns { child, onProgress(fn), done: Promise<summary> }. */
export function startLoad(plan) {
  const child = track(fork(LOAD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const listeners = [];
  const done = new Promise((resolve, reject) => {
    child.on('message', (m) => {
      if (m.type === 'progress') for (const fn of listeners) fn(m);
      if (m.type === 'done') resolve(m.summary);
    });
    child.on('exit', (code, signal) => {
      if (code !== 0) reject(new Error(`the load driver exited with code ${code}, signal ${signal}`));
    });
  });
  child.send({ type: 'start', plan });
  const tell = (m) => {
    if (child.connected) child.send(m);
  };
  return { child, onProgress: (fn) => listeners.push(fn), done, setInstances: (urls) => tell({ type: 'instances', urls }), open: (gate) => tell({ type: 'open', gate }) };
}

// ---------------------------------------------------------------- CPU time from /proc

const TICKS = 100; // USER_HZ: 100 on Linux

/** utime + stime of a process, in seconds (0 when it is gone). */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** A process's own CPU time and that of its children it has reaped (exited PostgreSQL backends), in seconds. */
export function cpuSecondsWithReaped(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS;
  } catch {
    return 0;
  }
}

/** The parent of a process. */
export function parentOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** CPU seconds of a PostgreSQL server so far: the postmaster (with its reaped children) and every live backend and worker. */
export function postgresCpuSeconds(postmasterPid) {
  return cpuSecondsWithReaped(postmasterPid) + descendants(postmasterPid).filter((p) => p !== postmasterPid).reduce((n, p) => n + cpuSeconds(p), 0);
}

/** Every process whose parent chain reaches `rootPid` (the PostgreSQL postmaster: its backends and workers), the root included. */
export function descendants(rootPid) {
  const parent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out = [];
  for (const pid of parent.keys()) {
    for (let p = pid, hops = 0; p !== undefined && p > 1 && hops < 64; p = parent.get(p), hops++) {
      if (p === rootPid) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

/** The 1-minute load average. */
export function loadAverage() {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}
