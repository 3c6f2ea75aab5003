/**
 * The server's logging: pino, JSON lines, keys redacted (docs/http-api.md "Logs and shutdown").
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
  };
}

/** Adds the per-request log lines to `app`. */
export function accessLog(_app: FastifyInstance): void {
  // fastify's own request logging: a line when a request comes in, one when it is answered.
}
