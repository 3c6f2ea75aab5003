/** What `parlance serve` needs before the server starts: the log format, and a port check. */
import { createServer } from 'node:net';

export type LogFormat = 'json' | 'pretty';

/**
 * The log level when `--log-level` is not given: `warn` in production, so that a request costs
 * no log line (about 20–40 µs of CPU each, bench/README.md "Server"), and `info` with `--dev`,
 * where a developer reads one line per request. `--log-level info` turns the request lines on.
 */
export function defaultLogLevel(dev: boolean): string {
  return dev ? 'info' : 'warn';
}

/**
 * The logger options for the server: JSON lines (production), or one human-readable line per
 * event (pino-pretty, development): `GET /v1/health ← 200 in 1.2 ms` when a request is answered
 * (one line per request, src/server/logging.ts), tagged with the request id's first characters.
 */
export async function loggerOptions(level: string, format: LogFormat): Promise<Record<string, unknown>> {
  if (format === 'json') return { level };
  // Loaded only in development: production never pays for it.
  const { default: pretty } = await import('pino-pretty');
  const stream = pretty({
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,req,res,reqId,responseTime',
    singleLine: true,
    sync: true,
    messageFormat: (log, messageKey) => {
      const id = typeof log['reqId'] === 'string' ? ` [${log['reqId'].slice(0, 8)}]` : '';
      const req = log['req'] as { method?: string; url?: string } | undefined;
      const res = log['res'] as { statusCode?: number } | undefined;
      const ms = typeof log['responseTime'] === 'number' ? ` in ${log['responseTime'].toFixed(1)} ms` : '';
      if (req !== undefined && res !== undefined) return `${req.method ?? ''} ${req.url ?? ''} ← ${res.statusCode ?? ''}${ms}${id}`;
      if (req !== undefined) return `→ ${req.method ?? ''} ${req.url ?? ''}${id}`;
      if (res !== undefined) return `← ${res.statusCode ?? ''}${ms}${id}`;
      return `${String(log[messageKey] ?? '')}${id}`;
    },
  });
  return { level, stream };
}

/**
 * A one-line explanation when the server cannot listen on `host:port` (busy, not allowed, no
 * such address), naming the option that changes it; `undefined` for other errors.
 */
export function listenProblem(e: unknown, port: number, host: string): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') return `port ${port} on ${host} is already in use (is another server running?). Choose another port with --port <n> or the PORT environment variable.`;
  if (code === 'EACCES') return `not allowed to listen on port ${port} on ${host}. Choose a port above 1023 with --port <n> or the PORT environment variable.`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on ${host}: no such address on this machine. Choose another with --host <address>.`;
  return undefined;
}

/**
 * Checks that `host:port` is free by listening on it and closing at once, so that a busy port is
 * reported before the store opens (which can take seconds). Resolves the error, or `undefined`
 * when the port is free (or 0: any free port).
 */
export function checkPort(port: number, host: string): Promise<Error | undefined> {
  if (port === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (e) => resolve(e));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}
