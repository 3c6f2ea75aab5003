/**
 * Records of linkable objects (Contact, Lead, PersonAccount, custom objects), checked against the
 * object catalog exactly as the renderer checks record parameters ({@link checkRecord}: exact API
 * names with suggestions, values decoded by type), then kept in the wire form of their types
 * (docs/formula-language.md#values): `"12.5"` for a Number given as `12.50`, dates as
 * `YYYY-MM-DD`, date/times in UTC with milliseconds. Blank fields are left out.
 */
import { escapePointer } from '../component/schema.js';
import { decodeRuntimeValue, encodeValue } from '../formula/runtime/values.js';
import type { ScalarTypeName } from '../formula/types.js';
import { checkRecord, type RenderProblemDetail } from '../render/request.js';
import type { LinkableObject } from './objects.js';

/** A record Id: what Salesforce Ids (15 or 18 characters) and most external ids look like. */
export const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;

/** A located problem in a record (`/records/3/MobilePhone`). */
export interface RecordProblem {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
}

/** A checked record, fields in wire form. */
export interface RecordWrite {
  readonly id: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The renderer's codes, read as record codes: a value that doesn't fit its field is E_FIELD_VALUE here. */
const recode = (p: RenderProblemDetail): RecordProblem => ({ pointer: p.pointer, code: p.code === 'E_PARAMETER_VALUE' ? 'E_FIELD_VALUE' : p.code, message: p.message });

/**
 * Checks one record of `object` at `pointer`: its fields (exact API names, values of their types)
 * and its `Id`, which must be a record id and, when `expectedId` is given (the path of a PUT),
 * equal to it. Returns the record in wire form, or the problems.
 */
export function checkRecordWrite(object: LinkableObject, value: unknown, pointer: string, expectedId?: string): { record?: RecordWrite; problems: RecordProblem[] } {
  const problems: RenderProblemDetail[] = [];
  const candidate = isObject(value) && expectedId !== undefined && value.Id === undefined ? { ...value, Id: expectedId } : value;
  checkRecord(candidate, object.type, pointer, problems, false);
  const out: RecordProblem[] = problems.map(recode);
  if (!isObject(candidate)) return { problems: out };
  const id = candidate.Id;
  if (id === undefined || id === null) out.push({ pointer: `${pointer}/Id`, code: 'E_MISSING_ID', message: `Each ${object.name} record needs its "Id"` });
  else if (typeof id === 'string' && !RECORD_ID.test(id)) {
    out.push({ pointer: `${pointer}/Id`, code: 'E_INVALID_ID', message: `${JSON.stringify(id)} is not a record Id: a letter or digit, then up to 79 letters, digits, "_", "." or "-" (Salesforce Ids are 15 or 18 letters and digits)` });
  } else if (typeof id === 'string' && expectedId !== undefined && id !== expectedId) {
    out.push({ pointer: `${pointer}/Id`, code: 'E_ID_MISMATCH', message: `The record's Id ${JSON.stringify(id)} is not the Id in the path (${expectedId})` });
  }
  if (out.length > 0) return { problems: out };
  const fields: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(candidate)) {
    if (key === 'attributes' || v === null || v === undefined) continue;
    const type = object.fields.get(key.toLowerCase())?.type as ScalarTypeName;
    const decoded = decodeRuntimeValue(type, v);
    if (decoded === undefined || decoded === null) continue;
    const wire = encodeValue(type, decoded).value;
    if (wire !== null) fields[key] = wire;
  }
  return { record: { id: id as string, fields }, problems: [] };
}

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/**
 * A CSV cell as the JSON value of its field: Booleans from true/false, 1/0 or yes/no (any case),
 * Geolocation from its JSON object, everything else as text (numbers and dates are decoded from
 * their text like JSON strings). Values that don't fit are left as they are, for the record check
 * to report.
 */
export function csvCellValue(type: ScalarTypeName | undefined, cell: string): unknown {
  if (type === 'Boolean') {
    const lower = cell.toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
    return cell;
  }
  if (type === 'Geolocation') {
    try {
      return JSON.parse(cell) as unknown;
    } catch {
      return cell;
    }
  }
  return cell;
}

/** `/records/2` + a field name, escaped. */
export const fieldPointer = (row: string, field: string): string => `${row}/${escapePointer(field)}`;
