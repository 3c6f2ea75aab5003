/**
 * The README's server examples work as shown: `parlance serve --dev` (what `npm start` runs) on a
 * fresh store, then every `curl` line of README.md, with its output compared to the `# …` line
 * after it. (bin/parlance.js runs dist/: `npm test` builds first.)
 */
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8');
const commands: { command: string; expected?: string }[] = [];
for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
  const lines = (block[1] as string).split('\n');
  lines.forEach((line, i) => {
    if (!line.startsWith('curl ')) return;
    const next = lines[i + 1];
    commands.push({ command: line, ...(next?.startsWith('# ') === true ? { expected: next.slice(2) } : {}) });
  });
}

let server: ChildProcess;
let url = '';
let key = '';
const dir = mkdtempSync(join(tmpdir(), 'parlance-readme-'));

beforeAll(async () => {
  server = spawn(process.execPath, [`${root}bin/parlance.js`, 'serve', '--dev', '--db', join(dir, 'db'), '--port', '0', '--log-level', 'warn'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${stderr}`)), 60_000);
    server.stderr?.on('data', (chunk: Buffer) => {
      stderr += String(chunk);
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    server.on('exit', (code) => reject(new Error(`the server exited (${String(code)}):\n${stderr}`)));
  });
  key = readFileSync(join(dir, 'db', 'dev-key'), 'utf8').trim();
}, 90_000);

afterAll(() => {
  server.kill('SIGTERM');
});

describe('README server examples', () => {
  it('has curl examples', () => {
    expect(commands.length).toBeGreaterThanOrEqual(3);
  });
  for (const { command, expected } of commands) {
    it(command.slice(0, 120), () => {
      const local = command.replaceAll('http://127.0.0.1:8080', url);
      const out = execSync(local, { cwd: root, encoding: 'utf8', shell: '/bin/sh', env: { ...process.env, KEY: key } });
      if (expected !== undefined) expect(out.trim()).toBe(expected);
    });
  }
});
