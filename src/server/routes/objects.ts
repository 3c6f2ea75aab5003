/**
 * The object catalog's definitions (docs/objects.md): `GET /v1/objects` lists them and
 * `GET /v1/objects/{object}` gives one, validated and normalized, so a client (the preview page's
 * editor, an editor plugin) can complete and check `$Parameters.<record parameter>.<field>` paths
 * against the server's own catalog (`catalogOfDefinitions` of `parlance/language`). Read-only:
 * the catalog is the server's configuration (the built-in objects, or the ones it was started
 * with), not data written through the API.
 */
import type { FastifyInstance } from 'fastify';
import type { ObjectCatalog, ObjectDefinition } from '../../catalog/catalog.js';
import { builtinCatalog, objectRecordType } from '../../component/data.js';
import type { ServerContext } from '../context.js';
import { HttpProblem } from '../problem.js';
import { definition, ref } from '../schemas.js';

/** A definition as sent: without the server's file path. */
function wire(def: ObjectDefinition): Omit<ObjectDefinition, 'file'> {
  const { file: _file, ...rest } = def;
  return rest;
}

/** 404 for an object the catalog doesn't have, with the close names (the message component validation gives). */
function unknownObject(catalog: ObjectCatalog, name: string): HttpProblem {
  const message = objectRecordType(catalog, name).problem ?? `The object "${name}" is not in the catalog.`;
  return new HttpProblem(404, 'not-found', 'Not found', message, [{ pointer: '/params/object', code: 'E_UNKNOWN_OBJECT', message }]);
}

export function objectRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const catalog = ctx.catalog ?? builtinCatalog();
  const OBJECT_PATH = definition(ctx.schemas, 'object-definition', 'objectPath');

  app.get(
    '/objects',
    {
      config: { scopes: ['admin', 'service', 'preview'] },
      schema: {
        summary: 'List the object definitions',
        description: 'Every object of the server\'s catalog (the built-in Case, Contact, Account… and any the server was given), by name, with its fields: type, label, description, the object a lookup references and its relationship, picklist values. What `$Parameters.P.Field` paths of record parameters are checked against.',
        tags: ['objects'],
        response: { 200: ref('object-definition-list'), '4xx': ref('problem') },
      },
    },
    async () => ({ objects: catalog.names().map((name) => wire(catalog.get(name) as ObjectDefinition)) }),
  );

  app.get(
    '/objects/:object',
    {
      config: { scopes: ['admin', 'service', 'preview'] },
      schema: {
        summary: 'Read an object definition',
        description: 'One object of the catalog, by API name, with its fields. 404 E_UNKNOWN_OBJECT for an object the catalog doesn\'t have (the message suggests close names and lists the known ones).',
        tags: ['objects'],
        params: OBJECT_PATH,
        response: { 200: ref('object-definition'), '4xx': ref('problem') },
      },
    },
    async (request) => {
      const { object } = request.params as { object: string };
      const def = catalog.get(object);
      if (def === undefined) throw unknownObject(catalog, object);
      return wire(def);
    },
  );
}
