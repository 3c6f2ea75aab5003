/**
 * What the browser tests share: finding (or installing) Debian's Chromium, the server's
 * environment, starting `parlance serve --dev` on a fresh store, and comparing screenshots with
 * kept ones (test/browser/screenshots/) within a tolerance.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = new URL('../../', import.meta.url).pathname;
export const PREVIEW_KEY = 'preview-only-key-0123456789abcdef';

/** A Chromium: PARLANCE_CHROMIUM, else chromium or chromium-browser on the PATH or in /usr/bin. */
export function findChromium(): string | undefined {
  const configured = process.env.PARLANCE_CHROMIUM;
  if (configured !== undefined && configured !== '') return existsSync(configured) ? configured : undefined;
  const onPath = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  for (const candidate of [onPath, '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (candidate !== undefined && candidate !== '' && existsSync(candidate)) return candidate;
  return undefined;
}

/** Finds Chromium, or installs it with scripts/ensure-chromium.sh; throws, saying how to install it, when neither works. */
export function ensureChromium(): string {
  const found = findChromium();
  if (found !== undefined) return found;
  const script = join(root, 'scripts', 'ensure-chromium.sh');
  const run = spawnSync('bash', [script], { encoding: 'utf8', timeout: 25 * 60_000 });
  const installed = run.stdout.trim().split('\n').pop();
  if (run.status === 0 && installed !== undefined && existsSync(installed)) return installed;
  throw new Error(
    [
      'The browser tests need Chromium, and none was found or could be installed.',
      `scripts/ensure-chromium.sh said:\n${(run.stderr || run.error?.message || '').trim()}`,
      'Install it: `sudo apt-get install chromium` (Debian/Ubuntu), or run scripts/ensure-chromium.sh as root,',
      'or point PARLANCE_CHROMIUM at a Chromium or Chrome executable.',
    ].join('\n'),
  );
}

/** The server's environment: a preview-only key besides the dev key (admin), and no other keys. */
export function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PARLANCE_API_KEYS: `viewer preview ${PREVIEW_KEY}` };
  delete env.PARLANCE_API_KEYS_FILE;
  return env;
}

/** Starts `parlance serve --dev` on a fresh store and port; resolves with its URL and dev (admin) key. */
export async function startServer(): Promise<{ server: ChildProcess; url: string; adminKey: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'parlance-preview-'));
  const server = spawn(process.execPath, [join(root, 'bin', 'parlance.js'), 'serve', '--dev', '--db', join(dir, 'db'), '--port', '0', '--log-level', 'warn'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: serverEnv(),
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
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
  return { server, url, adminKey: readFileSync(join(dir, 'db', 'dev-key'), 'utf8').trim() };
}
