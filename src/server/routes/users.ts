/**
 * Messaging users (CONTRACT.md §4): create or update one, read one, import many (JSON or CSV), and
 * read a user's consent history. Every consent change is recorded in the consent ledger with its
 * cause, in the same transaction (DECISIONS.md "The consent ledger").
 *
 * Decisions where the seeds are silent:
 * - A user created through the API or an import without `consentStatus` is `ImplicitlyOptedIn`,
 *   the status a first inbound message gives (G:3742); on channels that require more (short codes,
 *   explicit opt-in) such a user can't be messaged until they opt in. Creation is a ledger entry
 *   (`from: null`), as it is for inbound.
 * - Fields left out keep their stored values; `null` clears name, locale or language; `attributes`
 *   are merged key by key (a key set to null is removed). A status set through the API or an
 *   import ends a pending double opt-in.
 * - Ledger causes: `{kind: 'api', detail: 'key <label>'}` and `{kind: 'import', detail: '<row
 *   pointer>, key <label>'}`, so the history says who made the change and from which row.
 * - On SMS and WhatsApp channels the key must already be E.164 (the seed's import rules: "no
 *   hyphens, parentheses, or spaces", "+1 in front", G:5803-5805); other forms are rejected with
 *   the number they probably mean, never rewritten silently. Surrounding spaces are trimmed in
 *   imports, not in the path.
 * - `language` must be one of the channel's languages (or share its primary language), stored
 *   canonical.
 * - Imports: at most {@link MAX_IMPORT_ROWS} rows (413 beyond), one transaction for all valid
 *   rows. Row errors point at `/users/<index from 0>/<field>` (JSON; a bare list counts as
 *   `{users: [...]}`) or `/rows/<data row from 1>/<column as written in the header>` with the
 *   file's `line` (CSV; blank lines are not rows). A key in several rows (after normalization)
 *   makes every one of those rows invalid: which one was meant can't be known.
 * - CSV: an empty cell leaves the field as it is. Salesforce's column names are accepted
 *   (MessagingPlatformKey, MessagingConsentStatus, FirstName + LastName for the name,
 *   MessagingChannel, MessageType, IsoCountryCode; G:5801-5826). A MessagingChannel cell must be
 *   this channel's id and a MessageType cell must match the channel type (Text: SMS, WhatsApp,
 *   Facebook, Embedded Messaging), else the row is invalid: a Salesforce file may hold several
 *   channels' users. IsoCountryCode only shapes the E.164 suggestion. Unknown, repeated or missing
 *   key columns reject the whole file (400), as does malformed CSV, with the line.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as parseCsv } from 'csv-parse/sync';
import type { ValidateFunction } from 'ajv';
import { findLanguage, type ConsentCause } from '../../consent/engine.js';
import { canonicalLanguage, type ChannelSettings } from '../../consent/settings.js';
import type { StoredChannel } from '../../store/channels.js';
import { UserService } from '../../services/users.js';
import { UserStore, type UserFields, type UserWrite } from '../../store/users.js';
import type { ServerContext } from '../context.js';
import { addCsvParser } from '../body.js';
import { checkE164, usesPhoneNumbers } from '../../channels/phone.js';
import { ajvProblems, badRequest, HttpProblem, notFound, type ProblemError } from '../problem.js';
import { definition, ref, schemaId } from '../schemas.js';

/** Most rows in one import (JSON items or CSV data rows). The server's body size limit applies as well. */
export const MAX_IMPORT_ROWS = 10_000;


/** The API's consent status values and the other row fields, as JSON rows spell them. */
type Field = 'platformKey' | 'consentStatus' | 'name' | 'locale' | 'language';

/** CSV column names, compared without case, spaces, underscores or hyphens: ours and Salesforce's (G:5801-5826, G:5888-5903). */
const CSV_COLUMNS: Readonly<Record<string, Field | 'firstName' | 'lastName' | 'channel' | 'messageType' | 'country'>> = {
  platformkey: 'platformKey',
  messagingplatformkey: 'platformKey',
  consentstatus: 'consentStatus',
  messagingconsentstatus: 'consentStatus',
  name: 'name',
  messagingusername: 'name',
  firstname: 'firstName',
  lastname: 'lastName',
  locale: 'locale',
  language: 'language',
  channelid: 'channel',
  messagingchannel: 'channel',
  messagingchannelid: 'channel',
  messagetype: 'messageType',
  isocountrycode: 'country',
};

/** The Message Type values (G:5888-5903) and the channel types they belong to. */
const MESSAGE_TYPES: Readonly<Record<string, (type: string) => boolean>> = {
  text: (t) => t.startsWith('Sms'),
  whatsapp: (t) => t.startsWith('WhatsApp'),
  facebook: (t) => t.startsWith('Facebook'),
  embeddedmessaging: (t) => t.startsWith('Embedded'),
};

const normalizeHeader = (h: string): string => h.toLowerCase().replace(/[\s_-]/g, '');

/** One row of an import, before it is checked. */
interface RawRow {
  /** `/users/<i>` or `/rows/<n>`. */
  readonly pointer: string;
  /** The row in the shape of a JSON row. */
  readonly value: unknown;
  /** CSV: the line of the file. */
  readonly line?: number;
  /** CSV: the column that holds each field, for pointers. */
  readonly columns?: Readonly<Record<string, string>>;
  /** CSV: Salesforce's columns that are checked against the channel. */
  readonly extra?: { readonly channel?: string; readonly messageType?: string; readonly country?: string };
  /** CSV: problems with the row itself (more cells than columns). */
  readonly problems?: readonly { readonly code: string; readonly message: string }[];
}

export function userRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const users = new UserStore(ctx.db);
  const service = new UserService(ctx.db);
  const rowSchema = `${schemaId('user-upsert-request')}#/$defs/importRow`;
  let validateRow: ValidateFunction | undefined;
  const env: UserRoutesEnv = {
    ctx,
    users,
    service,
    channelId: definition(ctx.schemas, 'parameters', 'channelPath'),
    userParams: definition(ctx.schemas, 'parameters', 'userPath'),
    rowValidator: (): ValidateFunction => {
      validateRow ??= ctx.schemas.ajv.getSchema(rowSchema);
      if (validateRow === undefined) throw new Error(`Unknown schema ${rowSchema}`);
      return validateRow;
    },
    channelOr404: async (id: string): Promise<StoredChannel> => {
      const channel = await ctx.channels.get(id);
      if (channel === undefined) throw notFound(`No channel ${id}`);
      return channel;
    },
  };

  // Scoped: the CSV parser serves these routes only.
  void app.register(async (scope) => {
    addCsvParser(scope);
    registerUpsert(scope, env);
    registerRead(scope, env);
    registerHistory(scope, env);
    registerImport(scope, env);
  });
}

/** What the user routes share: the context, the user store (reads) and service (writes), the path parameters' schemas, the import row validator, the channel read. */
interface UserRoutesEnv {
  readonly ctx: ServerContext;
  readonly users: UserStore;
  /** Writes: one user, or an import, each in its own transaction. */
  readonly service: UserService;
  readonly channelId: Record<string, unknown>;
  readonly userParams: Record<string, unknown>;
  readonly rowValidator: () => ValidateFunction;
  readonly channelOr404: (id: string) => Promise<StoredChannel>;
}

/** `PUT /v1/channels/{id}/users/{platformKey}`: create or update a messaging user. */
function registerUpsert(scope: FastifyInstance, env: UserRoutesEnv): void {
  scope.put(
    '/channels/:id/users/:platformKey',
    {
      config: { scopes: ['admin'] },
      schema: {
        summary: 'Create or update a messaging user',
        description:
          'Sets the fields given; the others keep their values. A new user without `consentStatus` is `ImplicitlyOptedIn`, as after a first message. On SMS and WhatsApp channels the platform key is the E.164 number (`+14155552671`; encode `+` as `%2B` if your client turns it into a space). A consent change is recorded in the consent ledger with the cause `api`. 201 when the user was created, 200 otherwise.',
        tags: ['users'],
        params: env.userParams,
        body: ref('user-upsert-request'),
        response: { 200: ref('messaging-user'), 201: ref('messaging-user'), '4xx': ref('problem') },
      },
    },
    async (request, reply) => {
      const { id, platformKey } = request.params as { id: string; platformKey: string };
      const body = request.body as UserFields;
      const channel = await env.channelOr404(id);
      const key = checkPlatformKey(platformKey, channel.settings, channel.settings.country, false);
      if ('message' in key) throw badRequest(`The platform key in the path is invalid: ${key.message}`, [{ pointer: '/params/platformKey', code: key.code, message: key.message }]);
      const fields: { -readonly [K in keyof UserFields]: UserFields[K] } = { ...body };
      if (typeof body.language === 'string') {
        const lang = checkLanguage(body.language, channel.settings);
        if ('message' in lang) throw badRequest(lang.message, [{ pointer: '/language', code: lang.code, message: lang.message }]);
        fields.language = lang.language;
      }
      const result = await env.service.upsert(id, key.key, fields, apiCause(request), env.ctx.clock());
      return reply.status(result.created ? 201 : 200).send(result.user);
    },
  );
}

/** `GET /v1/channels/{id}/users/{platformKey}`. */
function registerRead(scope: FastifyInstance, env: UserRoutesEnv): void {
  scope.get(
    '/channels/:id/users/:platformKey',
    { config: { scopes: ['admin', 'service'] }, schema: { summary: 'Read a messaging user', tags: ['users'], params: env.userParams, response: { 200: ref('messaging-user'), '4xx': ref('problem') } } },
    async (request) => {
      const { id, platformKey } = request.params as { id: string; platformKey: string };
      const channel = await env.channelOr404(id);
      const user = await env.users.get(id, platformKey);
      if (user === undefined) throw userNotFound(id, platformKey, channel);
      return user;
    },
  );
}

/** `GET /v1/channels/{id}/users/{platformKey}/consent-history`. */
function registerHistory(scope: FastifyInstance, env: UserRoutesEnv): void {
  scope.get(
    '/channels/:id/users/:platformKey/consent-history',
    {
      config: { scopes: ['admin', 'service'] },
      schema: {
        summary: "A messaging user's consent history",
        description: 'Every consent change, oldest first, with its cause: `keyword`, `implicit` (the first message), `api`, `import` or `attestation`.',
        tags: ['users', 'consent'],
        params: env.userParams,
        response: { 200: ref('consent-history'), '4xx': ref('problem') },
      },
    },
    async (request) => {
      const { id, platformKey } = request.params as { id: string; platformKey: string };
      const channel = await env.channelOr404(id);
      const entries = await env.users.history(id, platformKey);
      if (entries === undefined) throw userNotFound(id, platformKey, channel);
      return { channelId: id, platformKey, entries };
    },
  );
}

/** `POST /v1/channels/{id}/users::import`: JSON or CSV rows. */
function registerImport(scope: FastifyInstance, env: UserRoutesEnv): void {
  scope.post(
    '/channels/:id/users::import',
    {
      config: { scopes: ['admin'] },
      schema: {
        summary: 'Import messaging users',
        description: [
          `JSON (a list of rows, or \`{"users": [...]}\`) or CSV (\`text/csv\`, a header row, then one row per user), at most ${MAX_IMPORT_ROWS} rows.`,
          'Rows have `platformKey` and optionally `consentStatus`, `name`, `locale`, `language`, `attributes` (JSON) or `attributes.<key>` columns (CSV).',
          "CSV also takes Salesforce's column names (MessagingPlatformKey, MessagingConsentStatus, FirstName, LastName, MessagingChannel, MessageType, IsoCountryCode); an empty cell leaves the field as it is.",
          'The valid rows are imported in one transaction; every invalid row is reported (`/users/<index>/<field>` for JSON, `/rows/<data row, from 1>/<column>` for CSV) and changes nothing.',
          'A platform key that appears in more than one row makes all of those rows invalid.',
        ].join(' '),
        tags: ['users'],
        params: env.channelId,
        body: {
          content: {
            'application/json': { schema: definition(env.ctx.schemas, 'user-import-request', 'json') },
            'text/csv': { schema: definition(env.ctx.schemas, 'user-import-request', 'csv') },
          },
        },
        response: { 200: ref('user-import-response'), '4xx': ref('problem') },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const channel = await env.channelOr404(id);
      const raw = typeof request.body === 'string' ? csvRows(request.body) : jsonRows(request.body);
      if (raw.length > MAX_IMPORT_ROWS) {
        throw new HttpProblem(413, 'too-many-rows', 'Too many rows', `An import takes at most ${MAX_IMPORT_ROWS} rows; this one has ${raw.length}. Split it into several imports.`, [
          { pointer: '', code: 'E_TOO_MANY_ROWS', message: `At most ${MAX_IMPORT_ROWS} rows` },
        ]);
      }
      const { writes, errors } = checkRows(raw, channel, env.rowValidator(), request.apiKey);
      const counts = await env.service.importRows(id, writes, env.ctx.clock());
      return { rows: raw.length, imported: writes.length, ...counts, errors };
    },
  );
}

const apiCause = (request: FastifyRequest): ConsentCause => ({ kind: 'api', ...(request.apiKey !== undefined ? { detail: `key ${request.apiKey}` } : {}) });

/** 404 for a messaging user that isn't stored; for a phone channel, also says when the key isn't a valid number. */
export function userNotFound(channelId: string, platformKey: string, channel: StoredChannel): HttpProblem {
  let detail = `No messaging user ${platformKey} on the channel ${channelId}`;
  if (usesPhoneNumbers(channel.settings.type)) {
    const checked = checkE164(platformKey, channel.settings.country);
    if ('problem' in checked) detail += `: ${checked.problem}`;
  }
  return notFound(detail, '/params/platformKey');
}

type Checked<T> = T | { readonly code: string; readonly message: string };

/** A platform key as stored: an E.164 number on SMS and WhatsApp channels, without surrounding spaces or control characters. */
function checkPlatformKey(value: string, settings: ChannelSettings, country: string | undefined, trim: boolean): Checked<{ key: string }> {
  const key = trim ? value.trim() : value;
  if (key === '') return { code: 'E_REQUIRED', message: 'The platform key is empty' };
  if (key !== key.trim()) return { code: 'E_INVALID_VALUE', message: `${JSON.stringify(value)} starts or ends with white space` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return { code: 'E_INVALID_VALUE', message: `${JSON.stringify(value)} contains a control character` };
  if (!usesPhoneNumbers(settings.type)) return { key };
  const checked = checkE164(key, country);
  if ('problem' in checked) return { code: 'E_INVALID_PHONE', message: checked.problem };
  return { key: checked.number };
}

/** A language tag, canonical, that the channel has (or whose primary language it has: fr-CA on a channel with fr). */
function checkLanguage(tag: string, settings: ChannelSettings): Checked<{ language: string }> {
  const canonical = canonicalLanguage(tag);
  if (canonical === undefined) return { code: 'E_INVALID_LANGUAGE', message: `${JSON.stringify(tag)} is not a BCP 47 language tag (such as en, fr or fr-CA)` };
  if (findLanguage(settings, canonical) === undefined) {
    return { code: 'E_LANGUAGE_NOT_CONFIGURED', message: `The channel has no language ${canonical}; its languages are ${settings.languages.map((l) => l.language).join(', ')}` };
  }
  return { language: canonical };
}

function jsonRows(body: unknown): RawRow[] {
  let list: unknown = body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const extra = Object.keys(body).filter((k) => k !== 'users');
    if (extra.length > 0) throw badRequest(`Unknown property "${extra[0]}": send a list of rows or {"users": [...]}`, extra.map((k) => ({ pointer: `/${k}`, code: 'E_UNKNOWN_PROPERTY', message: `Unknown property "${k}"` })));
    list = (body as { users?: unknown }).users;
    if (!Array.isArray(list)) throw badRequest('"users" must be a list of rows', [{ pointer: '/users', code: list === undefined ? 'E_REQUIRED' : 'E_WRONG_TYPE', message: 'Must be array' }]);
  }
  if (!Array.isArray(list)) throw badRequest('Send a list of rows or {"users": [...]}', [{ pointer: '', code: 'E_WRONG_TYPE', message: 'Must be array or object' }]);
  return list.map((value, i) => ({ pointer: `/users/${i}`, value }));
}

/** One parsed CSV record and the line it ends on. */
export interface CsvRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

/**
 * Parses a CSV body (RFC 4180; a BOM, blank lines and cells' surrounding spaces ignored). A
 * malformed file is a 400 problem naming the line: for a quote that is never closed, the line
 * that opens it. Also reads record imports (src/server/routes/linking.ts).
 */
export function readCsv(text: string): CsvRecord[] {
  let records: CsvRecord[];
  try {
    records = parseCsv(text, { bom: true, trim: true, info: true, skip_empty_lines: true, skip_records_with_empty_values: true, relax_column_count: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as { code?: string; message?: string; lines?: number };
    // csv-parse names the line where it stopped (the end of the file); the quote that was never closed is more useful.
    const open = err.code === 'CSV_QUOTE_NOT_CLOSED' ? unclosedQuoteLine(text) : undefined;
    const line = open ?? (typeof err.lines === 'number' ? err.lines : undefined);
    const message = open !== undefined ? `The quote that opens a field at line ${open} is never closed` : (err.message ?? String(e));
    throw badRequest(`The CSV file is malformed${line !== undefined ? ` at line ${line}` : ''}: ${message}`, [{ pointer: '', code: 'E_INVALID_CSV', message, ...(line !== undefined ? { line } : {}) }], 'invalid-csv');
  }
  return records;
}

function csvRows(text: string): RawRow[] {
  const records = readCsv(text);
  const [header, ...data] = records;
  if (header === undefined) throw badRequest('The CSV file is empty: it needs a header row (platformKey,consentStatus,name,locale,language)', [{ pointer: '', code: 'E_INVALID_CSV', message: 'No header row' }], 'invalid-csv');

  // What each column holds.
  type Target = { readonly kind: 'field'; readonly field: string } | { readonly kind: 'attribute'; readonly key: string };
  const targets: Target[] = [];
  const problems: ProblemError[] = [];
  const taken = new Map<string, string>();
  header.record.forEach((name, i) => {
    const column = i + 1;
    const attr = /^attributes\.(.+)$/i.exec(name);
    const target: Target | undefined = attr !== null ? { kind: 'attribute', key: attr[1]! } : CSV_COLUMNS[normalizeHeader(name)] !== undefined ? { kind: 'field', field: CSV_COLUMNS[normalizeHeader(name)]! } : undefined;
    if (target === undefined) {
      problems.push({ pointer: '', code: 'E_UNKNOWN_COLUMN', message: `Unknown column "${name}" (column ${column}); the columns are platformKey, consentStatus, name, locale, language, attributes.<key>, or Salesforce's MessagingPlatformKey, MessagingConsentStatus, FirstName, LastName, MessagingChannel, MessageType, IsoCountryCode`, line: header.info.lines, column });
      targets.push({ kind: 'attribute', key: '' });
      return;
    }
    const slot = target.kind === 'field' ? target.field : `attributes.${target.key}`;
    const other = taken.get(slot);
    if (other !== undefined) problems.push({ pointer: '', code: 'E_DUPLICATE_COLUMN', message: `The columns "${other}" and "${name}" (column ${column}) both hold ${slot}`, line: header.info.lines, column });
    taken.set(slot, name);
    targets.push(target);
  });
  if (!taken.has('platformKey')) problems.push({ pointer: '', code: 'E_MISSING_COLUMN', message: 'The header has no platformKey (or MessagingPlatformKey) column', line: header.info.lines });
  if (problems.length > 0) throw badRequest(`The CSV header is invalid (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'})`, problems, 'invalid-csv');

  const columnOf = (field: string): string => taken.get(field) ?? field;
  return data.map((r, i) => {
    const value: Record<string, unknown> = {};
    const attributes: Record<string, string> = {};
    const extra: { channel?: string; messageType?: string; country?: string } = {};
    const columns: Record<string, string> = { platformKey: columnOf('platformKey') };
    const cells = new Map<string, string>();
    targets.forEach((t, c) => {
      const cell = r.record[c] ?? '';
      if (cell === '') return;
      if (t.kind === 'attribute') attributes[t.key] = cell;
      else cells.set(t.field, cell);
    });
    for (const [field, cell] of cells) {
      columns[field] = columnOf(field);
      if (field === 'channel' || field === 'messageType' || field === 'country') extra[field] = cell;
      else if (field !== 'firstName' && field !== 'lastName') value[field] = cell;
    }
    if (value.name === undefined && (cells.has('firstName') || cells.has('lastName'))) {
      value.name = [cells.get('firstName'), cells.get('lastName')].filter((s) => s !== undefined).join(' ');
      columns.name = columnOf(cells.has('firstName') ? 'firstName' : 'lastName');
    }
    if (Object.keys(attributes).length > 0) value.attributes = attributes;
    const problems =
      r.record.length > header.record.length ? [{ code: 'E_EXTRA_CELLS', message: `The row has ${r.record.length} cells; the header has ${header.record.length} columns` }] : [];
    return { pointer: `/rows/${i + 1}`, value, line: r.info.lines, columns, extra, problems };
  });
}

/** The line of the quote that opens a field and is still open at the end of the text (RFC 4180 quoting, `""` inside quotes). */
function unclosedQuoteLine(text: string): number | undefined {
  let inQuote = false;
  let fieldStart = true;
  let line = 1;
  let openLine = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inQuote) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else {
          inQuote = false;
          fieldStart = false;
        }
      }
    } else if (c === '"' && fieldStart) {
      inQuote = true;
      openLine = line;
    } else if (c === ',' || c === '\n') fieldStart = true;
    else if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\uFEFF') fieldStart = false;
  }
  return inQuote ? openLine : undefined;
}

/** Checks every row; the valid ones become writes, with an import cause naming the row. */
function checkRows(raw: readonly RawRow[], channel: StoredChannel, validate: ValidateFunction, apiKey: string | undefined): { writes: UserWrite[]; errors: ProblemError[] } {
  const settings = channel.settings;
  const errors: ProblemError[] = [];
  // `field` is a pointer segment (escaped); a CSV column name is escaped here.
  const at = (row: RawRow, field: string): string => {
    const column = row.columns?.[field];
    return `${row.pointer}/${column === undefined ? field : column.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  };
  const report = (row: RawRow, field: string | undefined, code: string, message: string): void => {
    errors.push({ pointer: field === undefined ? row.pointer : at(row, field), code, message, ...(row.line !== undefined ? { line: row.line } : {}) });
  };
  const candidates: { row: RawRow; key: string | undefined; fields: UserFields | undefined }[] = [];
  for (const row of raw) {
    const before = errors.length;
    for (const p of row.problems ?? []) report(row, undefined, p.code, p.message);
    if (!validate(row.value)) {
      for (const e of ajvProblems(validate.errors ?? [])) {
        const [, field, ...rest] = e.pointer.split('/');
        errors.push({ pointer: field === undefined || field === '' ? row.pointer : [at(row, field), ...rest].join('/'), code: e.code, message: e.message, ...(row.line !== undefined ? { line: row.line } : {}) });
      }
    }
    const value = (row.value !== null && typeof row.value === 'object' && !Array.isArray(row.value) ? row.value : {}) as Record<string, unknown>;
    let key: string | undefined;
    if (typeof value.platformKey === 'string' && value.platformKey.length <= 256) {
      const checked = checkPlatformKey(value.platformKey, settings, row.extra?.country ?? settings.country, true);
      if ('message' in checked) report(row, 'platformKey', checked.code, checked.message);
      else key = checked.key;
    }
    let language: string | null | undefined = value.language as string | null | undefined;
    if (typeof value.language === 'string' && value.language.length <= 35) {
      const checked = checkLanguage(value.language, settings);
      if ('message' in checked) report(row, 'language', checked.code, checked.message);
      else language = checked.language;
    }
    const extra = row.extra;
    if (extra?.channel !== undefined && extra.channel !== channel.id) {
      report(row, 'channel', 'E_WRONG_CHANNEL', `The row is for the channel ${JSON.stringify(extra.channel)}, not ${channel.id}: import it into that channel`);
    }
    if (extra?.messageType !== undefined) {
      const belongs = MESSAGE_TYPES[normalizeHeader(extra.messageType)];
      if (belongs === undefined) report(row, 'messageType', 'E_INVALID_VALUE', `${JSON.stringify(extra.messageType)} is not a message type: Text, WhatsApp, Facebook or Embedded Messaging`);
      else if (!belongs(settings.type) && Object.values(MESSAGE_TYPES).some((f) => f(settings.type))) report(row, 'messageType', 'E_WRONG_CHANNEL', `The row is for ${extra.messageType} users; ${channel.id} is a ${settings.type} channel`);
    }
    if (extra?.country !== undefined && !/^[A-Z]{2}$/.test(extra.country)) report(row, 'country', 'E_INVALID_COUNTRY', `${JSON.stringify(extra.country)} is not an ISO 3166-1 alpha-2 country code (upper case, such as US)`);
    const valid = errors.length === before;
    const fields: UserFields | undefined = valid
      ? {
          ...(value.consentStatus !== undefined ? { consentStatus: value.consentStatus as UserFields['consentStatus'] } : {}),
          ...(value.name !== undefined ? { name: value.name as string | null } : {}),
          ...(value.locale !== undefined ? { locale: value.locale as string | null } : {}),
          ...(language !== undefined ? { language } : {}),
          ...(value.attributes !== undefined ? { attributes: value.attributes as Record<string, unknown> } : {}),
        }
      : undefined;
    candidates.push({ row, key, fields });
  }

  // A key in several rows: none of them is imported, since which one is meant can't be known.
  const byKey = new Map<string, RawRow[]>();
  for (const c of candidates) if (c.key !== undefined) byKey.set(c.key, [...(byKey.get(c.key) ?? []), c.row]);
  for (const [key, rows] of byKey) {
    if (rows.length < 2) continue;
    for (const row of rows) {
      const others = rows.filter((r) => r !== row).map((r) => r.pointer);
      report(row, 'platformKey', 'E_DUPLICATE_KEY', `${key} is also in ${others.join(', ')}; a user may appear only once in an import, so none of these rows is imported`);
    }
  }

  const writes: UserWrite[] = [];
  for (const c of candidates) {
    if (c.key === undefined || c.fields === undefined || (byKey.get(c.key)?.length ?? 0) > 1) continue;
    writes.push({ platformKey: c.key, fields: c.fields, cause: { kind: 'import', detail: `${c.row.pointer}${apiKey !== undefined ? `, key ${apiKey}` : ''}` } });
  }
  errors.sort((a, b) => rowIndex(a.pointer) - rowIndex(b.pointer));
  return { writes, errors };
}

const rowIndex = (pointer: string): number => Number(pointer.split('/')[2] ?? 0);
