/**
 * Request bodies: the media types the server takes, and the JSON parser. JSON is parsed by
 * `JSON.parse` (iterative in V8, any depth) and its shape checked by an iterative walk before any
 * route, schema or recursive code sees it: nesting deeper than `ServerLimits.maxJsonDepth`, keys
 * that reach a prototype, numbers that overflow a double and text the store cannot hold (U+0000, a
 * lone surrogate) are refused with a 400 that points at them (docs/http-api.md "Limits"). Path and
 * query parameters get the same text check.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { describeJsonShapeProblem, jsonTextShapeProblem, unstorableText } from '../json-shape.js';
import { HttpProblem } from './problem.js';

/** The media types of a route's body: those its schema lists under `content`, else JSON. */
export function acceptedMediaTypes(request: FastifyRequest): readonly string[] {
  const body = (request.routeOptions.schema as { body?: { content?: Record<string, unknown> } } | undefined)?.body;
  return body?.content !== undefined ? Object.keys(body.content) : ['application/json'];
}

/** 415, naming the media types the route takes. */
export function unsupportedMediaType(request: FastifyRequest): HttpProblem {
  const accepted = acceptedMediaTypes(request);
  const sent = request.headers['content-type'];
  const list = accepted.join(' or ');
  const detail = `${sent === undefined || sent === '' ? 'The request has a body but no Content-Type' : `Content-Type ${JSON.stringify(sent)} is not accepted here`}: ${request.method} ${request.routeOptions.url ?? request.url} takes ${list}`;
  return new HttpProblem(415, 'unsupported-media-type', 'Unsupported media type', detail, [{ pointer: '', code: 'E_MEDIA_TYPE', message: `Send ${list}` }]);
}

const invalidJson = (message: string): HttpProblem => new HttpProblem(400, 'invalid-json', 'The body is not valid JSON', message, [{ pointer: '', code: 'E_INVALID_JSON', message }]);

/** Parses a JSON body, or throws the 400 that says what is wrong and where. */
export function parseJsonBody(text: string, maxDepth: number): unknown {
  if (text.trim() === '') throw invalidJson('The body is empty: send a JSON value, or no Content-Type with no body');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw invalidJson(`The body is not valid JSON: ${(e as Error).message}`);
  }
  const problem = jsonTextShapeProblem(text, value, { maxDepth, storableText: true });
  if (problem === undefined) return value;
  const message = describeJsonShapeProblem(problem);
  switch (problem.kind) {
    case 'depth':
      throw new HttpProblem(400, 'json-too-deep', 'The JSON nests too deeply', message, [{ pointer: problem.pointer, code: 'E_JSON_TOO_DEEP', message: `Nested deeper than ${problem.limit} levels` }]);
    case 'forbidden-key':
      throw new HttpProblem(400, 'forbidden-key', 'The body has a forbidden key', message, [{ pointer: problem.pointer, code: 'E_FORBIDDEN_KEY', message: `The key "${problem.key}" is refused` }]);
    case 'invalid-text':
      throw new HttpProblem(400, 'invalid-text', 'The body has text that cannot be stored', message, [{ pointer: problem.pointer, code: 'E_INVALID_TEXT', message: problem.reason === 'nul' ? 'Contains U+0000' : 'Contains a lone surrogate' }]);
    case 'number-out-of-range':
      throw new HttpProblem(400, 'number-out-of-range', 'A number is out of range', message, [{ pointer: problem.pointer, code: 'E_NUMBER_OUT_OF_RANGE', message: 'Too large for a JSON number' }]);
  }
}

/**
 * Replaces fastify's body parsers: JSON as above, and no `text/plain` (a route that takes text
 * says so with {@link addCsvParser}). Call before registering routes: scopes copy their parent's parsers.
 */
export function registerJsonParser(app: FastifyInstance, maxDepth: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string, maxDepth));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}

/** CSV bodies (`text/csv`, `application/csv`) for the routes of `scope` whose schema lists `text/csv`; the others answer 415. */
export function addCsvParser(scope: FastifyInstance): void {
  scope.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string' }, (request, body, done) => {
    if (!acceptedMediaTypes(request).includes('text/csv')) done(unsupportedMediaType(request), undefined);
    else done(csvTextProblem(body as string) ?? null, body);
  });
}

/** The 400 for CSV text the store cannot hold (U+0000; a body decoded from UTF-8 has no lone surrogate), with its line and column. */
function csvTextProblem(text: string): HttpProblem | undefined {
  const at = text.indexOf('\u0000');
  if (at < 0) return undefined;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const message = 'Contains the character U+0000, which cannot be stored: remove it';
  return new HttpProblem(400, 'invalid-text', 'The body has text that cannot be stored', `The CSV at line ${line}, column ${column}: ${message}`, [{ pointer: '', code: 'E_INVALID_TEXT', message, line, column }]);
}

/** The 400 for a path or query parameter with text the store cannot hold, or undefined. */
export function parameterTextProblem(request: FastifyRequest): HttpProblem | undefined {
  // Runs on every request: no arrays of entries, nothing allocated when every value is fine.
  return textProblemIn('params', request.params) ?? textProblemIn('querystring', request.query);
}

function textProblemIn(where: 'params' | 'querystring', values: unknown): HttpProblem | undefined {
  if (values === null || typeof values !== 'object') return undefined;
  const record = values as Record<string, unknown>;
  for (const name in record) {
    if (!Object.hasOwn(record, name)) continue;
    const value = record[name];
    if (Array.isArray(value)) {
      for (const v of value) {
        const problem = parameterText(where, name, v);
        if (problem !== undefined) return problem;
      }
    } else {
      const problem = parameterText(where, name, value);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

function parameterText(where: 'params' | 'querystring', name: string, v: unknown): HttpProblem | undefined {
  const reason = typeof v === 'string' ? unstorableText(v) : undefined;
  if (reason === undefined) return undefined;
  const pointer = `/${where}/${name}`;
  const message = reason === 'nul' ? 'Contains U+0000 (%00), which cannot be stored' : 'Contains a lone UTF-16 surrogate, which is not Unicode text';
  return new HttpProblem(400, 'invalid-text', 'A parameter has text that cannot be stored', `The parameter ${pointer}: ${message}`, [{ pointer, code: 'E_INVALID_TEXT', message }]);
}
