/**
 * The server's logging: pino, JSON lines, keys redacted, and **one line per request**, written
 * when the request is answered (docs/http-api.md "Logs and shutdown"). fastify's own request
 * logging writes two lines per request (one when it comes in, one when it is answered); one
 * line with the method, URL, status, time and request id says the same for half the cost (a pino
 * line is a serialization and a synchronous write: several µs each, bench/README.md "Server").
 * Its own module so that the benchmark's bare fastify route gets exactly the same logging as
 * Parlance's routes (bench/server.js).
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

/** The fastify options that set up logging, from `ServerOptions.logger`. */
export function fastifyLogOptions(logger: boolean | Record<string, unknown> | undefined): Pick<FastifyServerOptions, 'logger' | 'disableRequestLogging'> {
  if (logger === false) return { logger: false };
  return {
    logger: {
      level: 'info',
      // Keys never reach the logs.
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' },
      ...(typeof logger === 'object' ? logger : {}),
    },
    // Replaced by the one line of `accessLog`.
    disableRequestLogging: true,
  };
}

/**
 * Logs every request once, at `info`, when it has been answered: `{reqId, req: {method, url,
 * host, remoteAddress, remotePort}, res: {statusCode}, responseTime}`, "request completed" (the
 * fields of fastify's own request lines). Errors are logged as before, at `error`.
 */
export function accessLog(app: FastifyInstance): void {
  // A callback hook, not an async one: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    done();
  });
}
