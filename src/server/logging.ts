/**
 * The server's logging: pino, JSON lines, keys redacted, at `warn` by default; at `info`, **one
 * line per request**, written when the request is answered (docs/http-api.md "Logs and shutdown"). fastify's own request
 * logging writes two lines per request (one when it comes in, one when it is answered); one
 * line with the method, URL, status, time and request id says the same with one pino line fewer
 * (a serialization and a write each, bench/README.md "Server"). Its own module so that the
 * benchmark's bare fastify route gets exactly the same logging as Parlance's routes
 * (bench/server.js).
 */
import { LogController, type FastifyServerOptions } from 'fastify';

/**
 * fastify's log lines, without the line when a request comes in: the line when it is answered
 * carries the request too (`req`: method, URL, host, remote address and port). A request that
 * fails is logged as fastify logs it ("request errored", at `error`).
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(...[error, request, reply, metadata]: Parameters<LogController['requestCompleted']>): void {
    if (error !== null && error !== undefined) super.requestCompleted(error, request, reply, metadata);
    else if (!this.isLogDisabled(request)) reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** The fastify options that set up logging, from `ServerOptions.logger`. */
export function fastifyLogOptions(logger: boolean | Record<string, unknown> | undefined): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  if (logger === false) return { logger: false };
  return {
    logger: {
      level: 'warn',
      // Keys never reach the logs.
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' },
      ...(typeof logger === 'object' ? logger : {}),
    },
    logController: new OneLinePerRequest(),
  };
}
