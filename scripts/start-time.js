#!/usr/bin/env node
// Measures `npm start` to "listening": node scripts/start-time.js [runs=2] [--clean]
// --clean removes dist/ first, so the first run includes the full build and the next ones show
// the up-to-date check. The runs share one store in a temporary directory (created and migrated
// by the first run, as `.parlance/db` is by a user's first `npm start`). Each run starts
// `npm start` on a free port (PORT=0), waits for the "listening on" line, and stops the server
// with SIGINT.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';

const runs = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 2);
if (process.argv.includes('--clean')) rmSync('dist', { recursive: true, force: true });

const db = mkdtempSync(join(tmpdir(), 'parlance-start-'));

function startOnce() {
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], { env: { ...process.env, PORT: '0', PARLANCE_DB: join(db, 'db') }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
      if (/listening on http/.test(stderr)) {
        const ms = performance.now() - started;
        child.once('exit', () => resolve(ms));
        // The whole group: npm, its shell and the server.
        process.kill(-child.pid, 'SIGINT');
      }
    });
    child.once('exit', (code) => {
      if (!/listening on http/.test(stderr)) reject(new Error(`npm start exited (${code}) before listening:\n${stderr}`));
    });
  });
}

for (let i = 1; i <= runs; i++) {
  const ms = await startOnce();
  console.log(`start ${i}: ${(ms / 1000).toFixed(1)} s to "listening"`);
}
rmSync(db, { recursive: true, force: true });
