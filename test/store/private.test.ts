/**
 * The embedded store is private to the user that runs it, whatever the umask: its directory 0700
 * and every file in it 0600 (docs/deployment.md "The embedded store"), after writes as well as at
 * open, and the development key file 0600. Failures list the offending files, a few lines at most.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';

const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'parlance-private-'));
  dirs.push(d);
  return join(d, 'db');
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Every directory (0700) and file (0600) of the tree with another mode, as "path mode" (at most 10, and a count). */
function offenders(root: string): string[] {
  const found: string[] = [];
  let files = 0;
  const visit = (path: string, directory: boolean): void => {
    const mode = statSync(path).mode & 0o777;
    if (mode !== (directory ? 0o700 : 0o600)) found.push(`${relative(root, path) || '.'} ${mode.toString(8)}`);
    if (!directory) {
      files++;
      return;
    }
    for (const e of readdirSync(path, { withFileTypes: true })) visit(join(path, e.name), e.isDirectory());
  };
  visit(root, true);
  if (files < 100) found.push(`only ${files} files: not a store`);
  return found.length > 10 ? [...found.slice(0, 10), `… ${found.length} in all`] : found;
}

const isPosix = process.platform !== 'win32';

describe.runIf(isPosix)('the embedded store is private', () => {
  let umask = 0;
  beforeEach(() => {
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
  });

  it('creates its directory 0700 and its files 0600 with umask 0022, and keeps them so after writes', async () => {
    const dir = fresh();
    const db = await openDatabase(dir, { maintenance: false });
    try {
      expect(offenders(dir)).toEqual([]);
      // Writes that make new files: migrations (tables, indexes), rows, a vacuum, a checkpoint.
      await migrate(db);
      await db.query('CREATE TABLE private_check (a int, b text)');
      await db.transaction((tx) => tx.query(`INSERT INTO private_check SELECT g, repeat('x', 3000) FROM generate_series(1, 2000) g`));
      await db.query('CREATE INDEX ON private_check (a)');
      await db.query('VACUUM ANALYZE private_check');
      await db.query('CHECKPOINT');
      expect(offenders(dir)).toEqual([]);
    } finally {
      await db.close();
    }
    expect(offenders(dir)).toEqual([]);
    // Opened again (PostgreSQL rewrites some files at start).
    const again = await openDatabase(dir, { maintenance: false });
    await again.query('INSERT INTO private_check VALUES (0, $1)', ['y']);
    expect(offenders(dir)).toEqual([]);
    await again.close();
    expect(offenders(dir)).toEqual([]);
  });

  it('makes an existing directory and its files private when it opens them', async () => {
    const dir = fresh();
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'notes.txt'), 'left here\n', { mode: 0o644 });
    const db = await openDatabase(dir, { maintenance: false });
    await db.close();
    expect(offenders(dir)).toEqual([]);
  });

  it('after `parlance serve --dev` starts with umask 0022: the store 0700/0600 and the dev key 0600', async () => {
    const dir = fresh();
    // The real binary (bin/parlance.js runs dist/: npm test builds it first), with the usual umask.
    const child = spawn('/bin/sh', ['-c', 'umask 022; exec "$0" bin/parlance.js serve --dev --db "$1" --port 0 --log-level warn', process.execPath, dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PARLANCE_API_KEYS: undefined, PARLANCE_API_KEYS_FILE: undefined, PARLANCE_DB: undefined },
    });
    let stderr = '';
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`exit ${code} ${signal}`)));
    const started = await new Promise<string>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr = (stderr + c).slice(-4000);
        if (/Parlance listening on/.test(stderr)) resolve('listening');
      });
      void exited.then((how) => resolve(`${how}: ${stderr}`));
    });
    try {
      expect(started).toBe('listening');
      // While it runs, after its migrations and sample data.
      expect(offenders(dir)).toEqual([]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe('exit 0 null');
    expect(offenders(dir)).toEqual([]);
    expect((statSync(join(dir, 'dev-key')).mode & 0o777).toString(8)).toBe('600');
  });
});
