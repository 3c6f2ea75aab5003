/** `parlance serve` (CONTRACT.md §2): the HTTP server on the embedded store or PostgreSQL. */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey, KeyConfigError, KeyRing, parseKeys, type ApiKey } from '../server/auth.js';
import type { Database } from '../store/database.js';
import { parseCommand } from './args.js';
import { checkPort, defaultLogLevel, listenProblem, loggerOptions, type LogFormat } from './serve-start.js';

interface Output {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export const SERVE_USAGE = `Usage: parlance serve [--port 8080] [--host 127.0.0.1] [--db <dir|postgres://…>] [options]

Starts the HTTP server. The default store is embedded PostgreSQL (PGlite) in .parlance/db: no
setup. With --db postgres://user:password@host/database it uses a PostgreSQL server, which
several instances can share. Migrations run at start.

API keys come from PARLANCE_API_KEYS (entries separated by ";") or the file in
PARLANCE_API_KEYS_FILE / --keys-file (one per line): "<label> <scope>[,<scope>] <key>", where a
key may be given as "sha256:<hex>" so no plaintext key sits on disk. Scopes: admin, service,
preview.

Options:
  --port <n>            Port (default 8080, or PORT)
  --host <address>      Address to listen on (default 127.0.0.1)
  --db <dir|url>        Embedded store directory, "memory", or a postgres:// URL (default .parlance/db, or PARLANCE_DB)
  --keys-file <file>    API key file
  --dev                 Development mode: create a local admin key (kept in <db dir>/dev-key, or .parlance/dev-key),
                        print it, and load the sample components and channels
  --samples             Load the sample components and channels (examples/)
  --log-level <level>   fatal, error, warn (default), info (default with --dev: one line per request),
                        debug, trace, silent
  --log-format <f>      pretty: one readable line per event (default with --dev); json: JSON lines
                        (default otherwise)
  -h, --help            Show this help
`;

/** Runs the server until SIGINT/SIGTERM; returns the exit code. */
export async function runServe(args: string[], io: Output, usage: (message: string) => Error): Promise<number> {
  const { values, positionals } = parseCommand('serve', args, {
    port: { type: 'string' },
    host: { type: 'string' },
    db: { type: 'string' },
    'keys-file': { type: 'string' },
    dev: { type: 'boolean' },
    samples: { type: 'boolean' },
    'log-level': { type: 'string' },
    'log-format': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) {
    io.stdout.write(SERVE_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw usage(`serve takes no arguments (got ${positionals.join(' ')})`);
  const port = Number(values.port ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usage('--port must be a port number (0 for any free port)');
  const host = values.host ?? '127.0.0.1';
  const target = values.db ?? process.env.PARLANCE_DB ?? join('.parlance', 'db');
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  const level = values['log-level'] ?? defaultLogLevel(values.dev === true);
  if (!levels.includes(level)) throw usage(`--log-level must be one of ${levels.join(', ')}`);
  const logFormat = values['log-format'] ?? (values.dev === true ? 'pretty' : 'json');
  if (logFormat !== 'pretty' && logFormat !== 'json') throw usage('--log-format must be pretty or json');
  // A busy port is reported at once, before the store opens.
  const busy = await checkPort(port, host);
  if (busy !== undefined) return cannotStart(io, listenProblem(busy, port, host) ?? `cannot listen on ${host}:${port}: ${busy.message}`);

  const ring = configuredKeys(values['keys-file'], values.dev === true, target, io);
  if (ring === undefined) return 1;

  // The server and the store load only now: a busy port or a bad option is reported at once. The
  // store opens while the server's modules load (PGlite compiles its WebAssembly off the main
  // thread), which takes a restart after a crash from about 2.5 s to about 2 s (bench/README.md).
  const opening = openStore(target);
  opening.catch(() => undefined); // awaited below; this only keeps an early failure from being reported as unhandled
  const [{ buildServer }, { loadSamples }] = await Promise.all([import('../server/app.js'), import('../server/samples.js')]);
  let db: Database;
  try {
    db = await opening;
  } catch (e) {
    return cannotStart(io, `cannot open the store ${target}: ${(e as Error).message}`);
  }
  const app = await buildServer({ db, keys: ring, logger: await loggerOptions(level, logFormat as LogFormat) });
  if (values.dev === true || values.samples === true) {
    const loaded = await loadSamples(app);
    app.log.info(loaded, 'sample data loaded');
  }
  const stop = new Promise<void>((resolve) => {
    const shutdown = (signal: string): void => {
      app.log.info({ signal }, 'shutting down: finishing in-flight requests');
      // In-flight requests finish; new ones get 503; then the store closes (onClose).
      void app.close().then(
        () => {
          app.log.info('stopped: every request answered and the store closed');
          resolve();
        },
        (e: unknown) => {
          app.log.error({ err: e }, 'stopping failed');
          resolve();
        },
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  let address: string;
  try {
    address = await app.listen({ port, host });
  } catch (e) {
    // The port was taken between the check and now.
    const problem = listenProblem(e, port, host);
    if (problem === undefined) throw e;
    await app.close();
    return cannotStart(io, problem);
  }
  io.stderr.write(`Parlance listening on ${address} (store: ${db.kind} ${db.location}). API docs: ${address}/docs\n`);
  await stop;
  return 0;
}

/** The API keys: PARLANCE_API_KEYS, the keys file, the dev key; undefined (the problem written) when they can't be read. */
function configuredKeys(keysFile: string | undefined, dev: boolean, target: string, io: Output): KeyRing | undefined {
  let keys: ApiKey[] = [];
  try {
    if (process.env.PARLANCE_API_KEYS !== undefined) keys.push(...parseKeys(process.env.PARLANCE_API_KEYS, 'PARLANCE_API_KEYS'));
    const file = keysFile ?? process.env.PARLANCE_API_KEYS_FILE;
    if (file !== undefined) keys.push(...parseKeys(readFileSync(file, 'utf8'), file));
  } catch (e) {
    io.stderr.write(`parlance: ${(e as Error).message}\n`);
    return undefined;
  }
  if (dev) keys = [...keys, ...devKeys(target, io)];
  let ring: KeyRing;
  try {
    ring = new KeyRing(keys);
  } catch (e) {
    if (!(e instanceof KeyConfigError)) throw e;
    io.stderr.write(`parlance: ${e.message}\n`);
    return undefined;
  }
  if (ring.size === 0) io.stderr.write('parlance: warning: no API keys are configured, so every /v1 route answers 401. Set PARLANCE_API_KEYS, or use --dev.\n');
  return ring;
}

/** --dev: the local admin key, created once next to the store (or in .parlance), private, and printed. */
function devKeys(target: string, io: Output): ApiKey[] {
  const dir = /^postgres(ql)?:\/\//i.test(target) || target === 'memory' ? '.parlance' : target;
  mkdirSync(dir, { recursive: true });
  const keyFile = join(dir, 'dev-key');
  if (!existsSync(keyFile)) writeFileSync(keyFile, `${generateKey()}\n`, { mode: 0o600 });
  // Private whatever the umask, and even if it was created otherwise.
  chmodSync(keyFile, 0o600);
  const devKey = readFileSync(keyFile, 'utf8').trim();
  const parsed = parseKeys(`dev admin ${devKey}`, keyFile);
  io.stderr.write(`Development mode. Admin API key (also in ${keyFile}):\n  ${devKey}\n`);
  return parsed;
}

/** The store opened and migrated, its modules loaded only now. */
async function openStore(target: string): Promise<Database> {
  const [{ openDatabase }, { migrate }] = await Promise.all([import('../store/database.js'), import('../store/migrations.js')]);
  const opened = await openDatabase(target);
  await migrate(opened);
  return opened;
}

/** Reports why the server cannot start, on one line; returns exit code 1 (CONTRACT.md §2). */
function cannotStart(io: Output, message: string): number {
  io.stderr.write(`parlance serve: ${message}\n`);
  return 1;
}
