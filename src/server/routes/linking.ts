/**
 * Channel-object linking (CONTRACT.md §4, docs/linking.md): linking rules, the records they match
 * (one, or imported in bulk as JSON or CSV) and linking a messaging user, by the rules or by an
 * agent.
 *
 * Decisions where the seeds are silent (SPEC-EXTRACT §10.1, §15.9) are in docs/linking.md. Here:
 * - A rule or an agent link on an In-App or Web channel is refused (422 E_LINKING_UNAVAILABLE,
 *   G:5846; DECISIONS.md: the prose wins over the matrix).
 * - An object in a path that isn't linkable (unknown, or a standard object other than Contact, Lead
 *   and PersonAccount) is a 404 naming the linkable objects.
 * - Record imports: at most {@link MAX_IMPORT_ROWS} rows, one transaction for all valid rows; the
 *   valid rows are imported even when others are invalid, and every invalid row is reported:
 *   `/records/<index from 0>/<field>` (JSON) or `/rows/<data row from 1>/<column>` with the line
 *   (CSV). An Id in several rows makes every one of those rows invalid. CSV headers are exact
 *   field API names with an `Id` column; an unknown, repeated or missing column rejects the file.
 */
import type { FastifyInstance } from 'fastify';
import type { LinkableObject } from '../../linking/objects.js';
import { checkRecordWrite, csvCellValue, fieldPointer, type RecordProblem, type RecordWrite } from '../../linking/records.js';
import { checkRule, UNLINKABLE_CHANNEL_TYPES, type LinkingRuleInput } from '../../linking/rules.js';
import type { StoredChannel } from '../../store/channels.js';
import type { ServerContext } from '../context.js';
import { addCsvParser } from '../body.js';
import { badRequest, HttpProblem, notFound, unprocessable, type ProblemError } from '../problem.js';
import { definition, ref } from '../schemas.js';
import { MAX_IMPORT_ROWS, readCsv, userNotFound } from './users.js';

/** One row of a record import, before it is checked. */
interface RawRow {
  /** `/records/<i>` or `/rows/<n>`. */
  readonly pointer: string;
  readonly value: unknown;
  /** CSV: the line of the file. */
  readonly line?: number;
  readonly problems?: readonly { readonly code: string; readonly message: string }[];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function linkingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  ruleRoutes(app, ctx);
  recordRoutes(app, ctx);
  userLinkRoutes(app, ctx);
}

/** Linking rules: write, read, delete, list. */
function ruleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const linking = ctx.linking;
  const RULE_PATH = definition(ctx.schemas, 'linking-rule', 'path');
  const RULE_QUERY = definition(ctx.schemas, 'linking-rule', 'listQuery');

  app.put(
    '/linking-rules/:id',
    {
      config: { scopes: ['admin'] },
      schema: {
        summary: 'Create or replace a linking rule',
        description: [
          'A channel-object linking rule (docs/linking.md): the channel (not In-App or Web), the object (Contact, Lead, PersonAccount or a custom object),',
          'the linking logic (conditions, all of which must hold, and an optional Boolean filter formula over the object\'s fields), the mode (`auto` or `suggest`),',
          '`active` (default false), `priority` (default 100; lower first), name and description.',
          'Every problem is reported with its pointer (422), filter formula problems with their line and column, and nothing is stored.',
          'Saving a rule that compares a new field builds that field\'s match keys from the stored records. 201 when created, 200 when replaced.',
        ].join(' '),
        tags: ['linking'],
        params: RULE_PATH,
        body: ref('linking-rule-request'),
        response: { 200: ref('linking-rule'), 201: ref('linking-rule'), '4xx': ref('problem') },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as LinkingRuleInput;
      const channel = await ctx.channels.get(body.channelId);
      const checked = checkRule(body, channel, linking.objects, linking.engine);
      if (checked.definition === undefined) {
        throw unprocessable(`The linking rule is invalid (${plural(checked.problems.length, 'problem')})`, checked.problems, 'invalid-linking-rule');
      }
      const saved = await linking.putRule(id, checked.definition, ctx.clock());
      return reply.status(saved.created ? 201 : 200).send(saved.rule);
    },
  );

  app.get(
    '/linking-rules/:id',
    { config: { scopes: ['admin', 'service'] }, schema: { summary: 'Read a linking rule', tags: ['linking'], params: RULE_PATH, response: { 200: ref('linking-rule'), '4xx': ref('problem') } } },
    async (request) => {
      const { id } = request.params as { id: string };
      const rule = await linking.getRule(id);
      if (rule === undefined) throw notFound(`No linking rule ${id}`, '/params/id');
      return rule;
    },
  );

  app.delete(
    '/linking-rules/:id',
    {
      config: { scopes: ['admin'] },
      schema: {
        summary: 'Delete a linking rule',
        description: 'The suggestions it made are deleted with it; the links it made stay. 204.',
        tags: ['linking'],
        params: RULE_PATH,
        response: { 204: { type: 'null', description: 'Deleted' }, '4xx': ref('problem') },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!(await linking.deleteRule(id))) throw notFound(`No linking rule ${id}`, '/params/id');
      return reply.status(204).send();
    },
  );

  app.get(
    '/linking-rules',
    {
      config: { scopes: ['admin', 'service'] },
      schema: { summary: 'List linking rules', description: 'In the order they are tried: by channel, then priority, then id.', tags: ['linking'], querystring: RULE_QUERY, response: { 200: ref('linking-rule-list'), '4xx': ref('problem') } },
    },
    async (request) => {
      const { channelId } = request.query as { channelId?: string };
      return { rules: await linking.listRules(channelId) };
    },
  );
}

/** The records rules match: write one, read one, import many (JSON or CSV). */
function recordRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const env = recordEnv(ctx);
  void app.register(async (scope) => {
    addCsvParser(scope);
    registerRecordWrites(scope, ctx, env);
    registerRecordImport(scope, ctx, env);
  });
}

/** What the routes share, built once. */
function recordEnv(ctx: ServerContext) {
  const linking = ctx.linking;
  const OBJECT_PATH = definition(ctx.schemas, 'object-record', 'objectPath');
  const RECORD_PATH = definition(ctx.schemas, 'object-record', 'recordPath');
  const objectOr404 = (name: string): LinkableObject => {
    const resolved = linking.objects.resolve(name);
    if (!resolved.ok) throw new HttpProblem(404, 'not-found', 'Not found', resolved.message, [{ pointer: '/params/object', code: resolved.code, message: resolved.message }]);
    return resolved.value;
  };
  return { linking, OBJECT_PATH, RECORD_PATH, objectOr404 };
}

type RecordEnv = ReturnType<typeof recordEnv>;

/** Records one by one: create or replace, read. */
function registerRecordWrites(scope: FastifyInstance, ctx: ServerContext, env: RecordEnv): void {
  const { linking, RECORD_PATH, objectOr404 } = env;
  scope.put(
    '/objects/:object/records/:id',
    {
      config: { scopes: ['admin'] },
      schema: {
        summary: 'Create or replace a record',
        description:
          'A record linking rules match against: its fields by exact API name, checked against the object catalog (unknown fields with a suggestion, values of their types); `Id` may be left out. The whole record is replaced. 201 when created, 200 otherwise (also when nothing changed).',
        tags: ['linking'],
        params: RECORD_PATH,
        body: definition(ctx.schemas, 'object-record', 'request'),
        response: { 200: ref('object-record'), 201: ref('object-record'), '4xx': ref('problem') },
      },
    },
    async (request, reply) => {
      const { object: name, id } = request.params as { object: string; id: string };
      const object = objectOr404(name);
      const checked = checkRecordWrite(object, request.body, '', id);
      if (checked.record === undefined) throw unprocessable(`The ${object.name} record is invalid (${plural(checked.problems.length, 'problem')})`, checked.problems, 'invalid-record');
      const saved = await linking.putRecord(object.name, checked.record, ctx.clock());
      return reply.status(saved.created ? 201 : 200).send(saved.record);
    },
  );

  scope.get(
    '/objects/:object/records/:id',
    { config: { scopes: ['admin', 'service'] }, schema: { summary: 'Read a record', tags: ['linking'], params: RECORD_PATH, response: { 200: ref('object-record'), '4xx': ref('problem') } } },
    async (request) => {
      const { object: name, id } = request.params as { object: string; id: string };
      const object = objectOr404(name);
      const record = await linking.getRecord(object.name, id);
      if (record === undefined) throw notFound(`No ${object.name} record ${id}`, '/params/id');
      return record;
    },
  );
}

/** `POST /v1/objects/{object}/records:import`: JSON or CSV rows. */
function registerRecordImport(scope: FastifyInstance, ctx: ServerContext, env: RecordEnv): void {
  const { linking, OBJECT_PATH, objectOr404 } = env;
  scope.post(
    '/objects/:object/records::import',
    {
      config: { scopes: ['admin'] },
      schema: {
        summary: 'Import records',
        description: [
          `JSON (a list of records, or \`{"records": [...]}\`) or CSV (\`text/csv\`, a header row of field API names with \`Id\`, then one row per record), at most ${MAX_IMPORT_ROWS} rows.`,
          'Each record is checked as by PUT and replaces the stored record with its Id (so an import can be run again: unchanged records are counted as such).',
          'The valid rows are imported in one transaction even when other rows are invalid; every invalid row is reported (`/records/<index>/<field>` for JSON, `/rows/<data row, from 1>/<column>` with the line for CSV) and changes nothing.',
          'An Id that appears in more than one row makes all of those rows invalid.',
        ].join(' '),
        tags: ['linking'],
        params: OBJECT_PATH,
        body: {
          content: {
            'application/json': { schema: definition(ctx.schemas, 'record-import-request', 'json') },
            'text/csv': { schema: definition(ctx.schemas, 'record-import-request', 'csv') },
          },
        },
        response: { 200: ref('record-import-response'), '4xx': ref('problem') },
      },
    },
    async (request) => {
      const { object: name } = request.params as { object: string };
      const object = objectOr404(name);
      const raw = typeof request.body === 'string' ? csvRows(request.body, object, linking.objects) : jsonRows(request.body);
      if (raw.length > MAX_IMPORT_ROWS) {
        throw new HttpProblem(413, 'too-many-rows', 'Too many rows', `An import takes at most ${MAX_IMPORT_ROWS} rows; this one has ${raw.length}. Split it into several imports.`, [
          { pointer: '', code: 'E_TOO_MANY_ROWS', message: `At most ${MAX_IMPORT_ROWS} rows` },
        ]);
      }
      const { writes, errors } = checkRows(raw, object);
      const counts = await linking.putRecords(object.name, writes, ctx.clock());
      return { rows: raw.length, imported: writes.length, ...counts, errors };
    },
  );
}

/** Linking a messaging user: run the rules or an agent's link, and the user's link state. */
function userLinkRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const linking = ctx.linking;
  const USER_PARAMS = definition(ctx.schemas, 'parameters', 'userPath');

  const linkableChannel = async (id: string): Promise<StoredChannel> => {
    const channel = await ctx.channels.get(id);
    if (channel === undefined) throw notFound(`No channel ${id}`, '/params/id');
    if (UNLINKABLE_CHANNEL_TYPES.includes(channel.settings.type)) {
      const message = `Channel-object linking isn't available for Messaging for In-App and Web channels (G:5846); ${id} is ${channel.settings.type}`;
      throw unprocessable(message, [{ pointer: '/params/id', code: 'E_LINKING_UNAVAILABLE', message }], 'linking-unavailable');
    }
    return channel;
  };

  app.post(
    '/channels/:id/users/:platformKey/link',
    {
      config: { scopes: ['admin', 'service'] },
      schema: {
        summary: "Link a messaging user to a record: by the channel's rules, or by an agent",
        description: [
          "`{}` (or no body) runs the channel's active linking rules now (they also run on inbound messages) → `{outcome: \"linked\" | \"suggested\" | \"none\", records}`:",
          'the first rule (by priority) with matches decides; `auto` links a single match, several matches or `suggest` mode store suggestions for an agent (GET …/link) and replace earlier ones; none changes nothing but clears stale suggestions.',
          'A linked user stays linked (`alreadyLinked`).',
          '`{record: {object, id}, agent}` is an agent\'s link to a stored record (after review, or a record they found or created): it replaces any link, clears the suggestions and is kept in the link history with the agent and the API key.',
          'Later inbound messages from the user carry the link.',
        ].join(' '),
        tags: ['linking', 'users'],
        params: USER_PARAMS,
        body: ref('link-request'),
        response: { 200: ref('link-result'), '4xx': ref('problem') },
      },
      // No body at all (`curl -X POST …/link`) means `{}`: run the rules.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request) => {
      const { id, platformKey } = request.params as { id: string; platformKey: string };
      const body = request.body as { record?: { object: string; id: string }; agent?: string };
      const channel = await linkableChannel(id);
      if (body.record !== undefined && body.agent !== undefined) {
        const resolved = linking.objects.resolve(body.record.object);
        if (!resolved.ok) throw unprocessable(resolved.message, [{ pointer: '/record/object', code: resolved.code, message: resolved.message }], 'invalid-link');
        const result = await linking.linkByAgent(id, platformKey, resolved.value.name, body.record.id, body.agent, request.apiKey, ctx.clock());
        if (result === 'user') throw userNotFound(id, platformKey, channel);
        if (result === 'record') {
          const message = `No ${resolved.value.name} record ${body.record.id}: store it first (PUT /v1/objects/${resolved.value.name}/records/${body.record.id})`;
          throw unprocessable(message, [{ pointer: '/record/id', code: 'E_RECORD_NOT_FOUND', message }], 'invalid-link');
        }
        return result;
      }
      const result = await linking.linkUser(id, platformKey, ctx.clock());
      if (result === undefined) throw userNotFound(id, platformKey, channel);
      return result;
    },
  );

  app.get(
    '/channels/:id/users/:platformKey/link',
    {
      config: { scopes: ['admin', 'service'] },
      schema: {
        summary: "A messaging user's link, suggestions and link history",
        description: 'The link (or null), the suggestions awaiting an agent\'s review with the records\' fields, and every link made (by rules and agents), oldest first.',
        tags: ['linking', 'users'],
        params: USER_PARAMS,
        response: { 200: ref('link-state'), '4xx': ref('problem') },
      },
    },
    async (request) => {
      const { id, platformKey } = request.params as { id: string; platformKey: string };
      const channel = await ctx.channels.get(id);
      if (channel === undefined) throw notFound(`No channel ${id}`, '/params/id');
      const state = await linking.state(id, platformKey);
      if (state === undefined) throw userNotFound(id, platformKey, channel);
      return { channelId: id, platformKey, ...state };
    },
  );
}

/** Rows of a JSON import: a list, or `{records: [...]}`. */
function jsonRows(body: unknown): RawRow[] {
  let list: unknown = body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const extra = Object.keys(body).filter((k) => k !== 'records');
    if (extra.length > 0) throw badRequest(`Unknown property "${extra[0]}": send a list of records or {"records": [...]}`, extra.map((k) => ({ pointer: `/${k}`, code: 'E_UNKNOWN_PROPERTY', message: `Unknown property "${k}"` })));
    list = (body as { records?: unknown }).records;
    if (!Array.isArray(list)) throw badRequest('"records" must be a list of records', [{ pointer: '/records', code: list === undefined ? 'E_REQUIRED' : 'E_WRONG_TYPE', message: 'Must be array' }]);
  }
  if (!Array.isArray(list)) throw badRequest('Send a list of records or {"records": [...]}', [{ pointer: '', code: 'E_WRONG_TYPE', message: 'Must be array or object' }]);
  return list.map((value, i) => ({ pointer: `/records/${i}`, value }));
}

/** Rows of a CSV import: the header names the fields (exact API names, with Id); an empty cell is a blank field. */
function csvRows(text: string, object: LinkableObject, objects: ServerContext['linking']['objects']): RawRow[] {
  const [header, ...data] = readCsv(text);
  if (header === undefined) throw badRequest(`The CSV file is empty: it needs a header row of ${object.name} field names, with Id`, [{ pointer: '', code: 'E_INVALID_CSV', message: 'No header row' }], 'invalid-csv');
  const problems: ProblemError[] = [];
  const fields: string[] = [];
  const seen = new Map<string, number>();
  header.record.forEach((name, i) => {
    const column = i + 1;
    const field = objects.field(object, name);
    if (!field.ok) problems.push({ pointer: '', code: 'E_UNKNOWN_COLUMN', message: `Column ${column}: ${field.message}`, line: header.info.lines, column });
    const previous = seen.get(name.toLowerCase());
    if (previous !== undefined) problems.push({ pointer: '', code: 'E_DUPLICATE_COLUMN', message: `The columns ${previous} and ${column} are both "${name}"`, line: header.info.lines, column });
    seen.set(name.toLowerCase(), column);
    fields.push(field.ok ? field.value.name : name);
  });
  if (!seen.has('id')) problems.push({ pointer: '', code: 'E_MISSING_COLUMN', message: 'The header has no Id column', line: header.info.lines });
  if (problems.length > 0) throw badRequest(`The CSV header is invalid (${plural(problems.length, 'problem')})`, problems, 'invalid-csv');
  return data.map((r, i) => {
    const value: Record<string, unknown> = {};
    fields.forEach((field, c) => {
      const cell = r.record[c] ?? '';
      if (cell !== '') value[field] = csvCellValue(object.fields.get(field.toLowerCase())?.type, cell);
    });
    const extra = r.record.length > header.record.length ? [{ code: 'E_EXTRA_CELLS', message: `The row has ${r.record.length} cells; the header has ${header.record.length} columns` }] : [];
    return { pointer: `/rows/${i + 1}`, value, line: r.info.lines, problems: extra };
  });
}

/** Checks every row; the valid ones become writes. A repeated Id invalidates all of its rows. */
function checkRows(raw: readonly RawRow[], object: LinkableObject): { writes: RecordWrite[]; errors: ProblemError[] } {
  const errors: ProblemError[] = [];
  const report = (row: RawRow, p: RecordProblem): void => {
    errors.push({ ...p, ...(row.line !== undefined ? { line: row.line } : {}) });
  };
  const valid: { row: RawRow; record: RecordWrite }[] = [];
  for (const row of raw) {
    for (const p of row.problems ?? []) report(row, { pointer: row.pointer, ...p });
    const checked = checkRecordWrite(object, row.value, row.pointer);
    for (const p of checked.problems) report(row, p);
    if (checked.record !== undefined && (row.problems ?? []).length === 0) valid.push({ row, record: checked.record });
  }
  // Every row that names an Id counts, valid or not: which of the rows was meant can't be known.
  const byId = new Map<string, RawRow[]>();
  for (const row of raw) {
    const id = row.value !== null && typeof row.value === 'object' ? (row.value as { Id?: unknown }).Id : undefined;
    if (typeof id === 'string') byId.set(id, [...(byId.get(id) ?? []), row]);
  }
  const writes: RecordWrite[] = [];
  for (const v of valid) {
    const rows = byId.get(v.record.id) as RawRow[];
    if (rows.length < 2) {
      writes.push(v.record);
      continue;
    }
    const others = rows.filter((r) => r !== v.row).map((r) => r.pointer);
    report(v.row, { pointer: fieldPointer(v.row.pointer, 'Id'), code: 'E_DUPLICATE_ID', message: `${v.record.id} is also in ${others.join(', ')}; a record may appear only once in an import, so none of these rows is imported` });
  }
  errors.sort((a, b) => rowIndex(a.pointer) - rowIndex(b.pointer));
  return { writes, errors };
}

const rowIndex = (pointer: string): number => Number(pointer.split('/')[2] ?? 0);

