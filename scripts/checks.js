#!/usr/bin/env node
/**
 * The checks `npm test` runs before the test suite: the type-check (`npm run typecheck`), the lint
 * (`npm run lint`), the build (`npm run build`, which the tests of the CLI and the docs use) and
 * the layering rule (`npm run layers`, scripts/check-layers.js: no upward import, no import circle),
 * two at a time, as CI has two cores. Each check's output is printed as a block when it ends; the
 * script exits 1 when any check failed, after all of them have ended.
 */
import { spawn } from 'node:child_process';

const CHECKS = ['typecheck', 'lint', 'build', 'layers'];
const PARALLEL = 2;

/** Runs `npm run <name> --silent`; resolves with its exit code and combined output. */
function run(name) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('npm', ['run', name, '--silent'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (e) => resolve({ name, code: 1, output: `${output}${e.message}\n`, seconds: 0 }));
    child.on('close', (code, signal) => resolve({ name, code: code ?? 1, signal, output, seconds: (Date.now() - started) / 1000 }));
  });
}

const queue = [...CHECKS];
const failed = [];
async function worker() {
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    const r = await run(name);
    const verdict = r.code === 0 ? 'ok' : `FAILED (${r.signal ?? `exit ${r.code}`})`;
    process.stdout.write(`> npm run ${name}: ${verdict} in ${r.seconds.toFixed(1)} s\n${r.output.trimEnd() === '' ? '' : `${r.output.trimEnd()}\n`}`);
    if (r.code !== 0) failed.push(name);
  }
}
await Promise.all(Array.from({ length: PARALLEL }, worker));
if (failed.length > 0) {
  process.stderr.write(`Failed: ${failed.map((n) => `npm run ${n}`).join(', ')}\n`);
  process.exit(1);
}
