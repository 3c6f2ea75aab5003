/**
 * Where the server's start-up time goes, on an existing embedded store (what a restart after a
 * crash pays): loading the store's modules, taking over the lock a killed process left, opening
 * the store (starting PGlite),
 * checking migrations, loading the server's modules and building it. Runs each start in a fresh
 * process, as a restart would. Figures: bench/README.md "Restart after a crash".
 *
 *   npm run build && node scripts/start-breakdown.js [--runs 3]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { LOCK_FILE, systemLockEnvironment } from '../dist/src/store/lock.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, child: { type: 'string' } } });
const ROOT = fileURLToPath(new URL('..', import.meta.url));

if (values.child !== undefined) {
  // One start, in this process.
  const ms = (t) => Math.round(performance.now() - t);
  let t = performance.now();
  const { openDatabase } = await import(join(ROOT, 'dist/src/store/database.js'));
  const { migrate } = await import(join(ROOT, 'dist/src/store/migrations.js'));
  const { acquireStoreLock } = await import(join(ROOT, 'dist/src/store/lock.js'));
  const importStore = ms(t);
  // The lock a killed process left (written by the parent): taken over at once.
  t = performance.now();
  const lock = await acquireStoreLock(values.child, { waitMs: 0, onLost: (e) => { throw e; } });
  const takeOver = ms(t);
  await lock.release();
  t = performance.now();
  const db = await openDatabase(values.child);
  const open = ms(t);
  t = performance.now();
  await migrate(db);
  const migrations = ms(t);
  t = performance.now();
  const { buildServer } = await import(join(ROOT, 'dist/src/server/app.js'));
  const { KeyRing } = await import(join(ROOT, 'dist/src/server/auth.js'));
  const importServer = ms(t);
  t = performance.now();
  const app = await buildServer({ db, keys: new KeyRing([]), logger: { level: 'silent' } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const build = ms(t);
  await app.close();
  process.stdout.write(`${JSON.stringify({ importStore, takeOver, open, migrations, importServer, build, sinceProcessStart: Math.round(performance.now()) })}\n`);
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'parlance-start-'));
const db = join(work, 'db');
try {
  const run = () => {
    // A lock as a process killed with SIGKILL leaves it: its owner's PID is gone.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(db, LOCK_FILE), JSON.stringify({ ...systemLockEnvironment.self(), pid: Number(dead.stdout), token: 'killed', acquiredAt: new Date().toISOString() }));
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', db], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`a start failed: ${r.stderr.slice(-2000)}`);
    return JSON.parse(r.stdout.trim().split('\n').pop());
  };
  mkdirSync(db);
  run(); // creates the store
  process.stdout.write('import store  take over lock  open store  migrations  import server  build+listen  process total (ms)\n');
  for (let i = 0; i < Number(values.runs); i++) {
    const r = run();
    process.stdout.write(`${String(r.importStore).padEnd(14)}${String(r.takeOver).padEnd(16)}${String(r.open).padEnd(12)}${String(r.migrations).padEnd(12)}${String(r.importServer).padEnd(15)}${String(r.build).padEnd(14)}${r.sinceProcessStart}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
