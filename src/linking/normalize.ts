/**
 * The normalizers of channel-object linking (docs/linking.md#normalizers): a messaging user's value
 * and a record's field value match when their normalized forms are equal. Each is a pure,
 * idempotent function that gives `undefined` for a value that can't match anything (blank, or not
 * a phone number / an email address at all), so blanks never match blanks.
 *
 * - `e164`: the phone number in E.164 (`+14155552671`), parsed with libphonenumber-js; a number
 *   written without `+` is read in the rule's region (the channel's country by default). Only
 *   valid numbers have a key.
 * - `email`: trimmed and case-folded; it must have one `@` with text on both sides.
 * - `text`: runs of white space collapsed to one space, trimmed, case-folded (Unicode case
 *   folding with no locale, as keywords are compared: `ẞ`, `ß` and `SS` are equal; accents are
 *   kept).
 * - `exact`: the value itself. For Number, Currency and Percent fields the canonical decimal
 *   (`12.50` and `12.5` are equal), for Boolean `true`/`false`, for Date `YYYY-MM-DD`.
 */
import type { CountryCode } from 'libphonenumber-js';
import { phoneModule } from '../lazy-modules.js';
import { normalizeKeyword } from '../consent/keywords.js';
import { decodeRuntimeValue, encodeValue } from '../formula/runtime/values.js';
import type { ScalarTypeName } from '../formula/types.js';

export const NORMALIZERS = ['e164', 'email', 'text', 'exact'] as const;
export type NormalizerName = (typeof NORMALIZERS)[number];

/** The field types each normalizer applies to. */
export const NORMALIZER_FIELD_TYPES: Readonly<Record<NormalizerName, readonly ScalarTypeName[]>> = {
  e164: ['Text'],
  email: ['Text'],
  text: ['Text', 'Picklist', 'Id'],
  exact: ['Text', 'Picklist', 'Id', 'Number', 'Currency', 'Percent', 'Boolean', 'Date'],
};

/** What a normalizer needs besides the value. */
export interface NormalizerSpec {
  readonly normalizer: NormalizerName;
  /** `e164`: the ISO 3166-1 alpha-2 region numbers without `+` are read in. */
  readonly region?: string;
  /** `exact`: the record field's type. Default Text. */
  readonly type?: ScalarTypeName;
}

/**
 * The name match keys are stored under: the normalizer, and for `e164` its region (`e164:US`),
 * since the same field read in two regions gives two different keys.
 */
export function normalizerKey(spec: NormalizerSpec): string {
  return spec.normalizer === 'e164' && spec.region !== undefined ? `e164:${spec.region}` : spec.normalizer;
}

/** Text of a scalar value (strings as they are, finite numbers and booleans as JSON writes them); undefined for anything else. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** The E.164 form of a phone number, or undefined when it isn't a valid number. */
export function normalizeE164(value: string, region?: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 64) return undefined;
  const parsed = region !== undefined ? phoneModule().parsePhoneNumberFromString(trimmed, region as CountryCode) : phoneModule().parsePhoneNumberFromString(trimmed);
  return parsed !== undefined && parsed.isValid() ? parsed.number : undefined;
}

const EMAIL = /^[^@\s]+@[^@\s]+$/u;

/** An email address trimmed and case-folded, or undefined when it has no single `@` with text on both sides. */
export function normalizeEmail(value: string): string | undefined {
  const folded = normalizeKeyword(value);
  return EMAIL.test(folded) ? folded : undefined;
}

/** White space collapsed and trimmed, case-folded; undefined when nothing is left. */
export function normalizeText(value: string): string | undefined {
  const folded = normalizeKeyword(value.replace(/\s+/gu, ' '));
  return folded === '' ? undefined : folded;
}

/** The value as it is, in the canonical form of the field's type; undefined when blank or not of the type. */
export function normalizeExact(value: unknown, type: ScalarTypeName = 'Text'): string | undefined {
  switch (type) {
    case 'Number':
    case 'Currency':
    case 'Percent':
    case 'Date': {
      const decoded = decodeRuntimeValue(type, typeof value === 'string' ? value.trim() : value);
      if (decoded === undefined || decoded === null) return undefined;
      const wire = encodeValue(type, decoded).value;
      return typeof wire === 'string' ? wire : undefined;
    }
    case 'Boolean':
      if (typeof value === 'boolean') return String(value);
      if (value === 'true' || value === 'false') return value;
      return undefined;
    default: {
      const text = textOf(value);
      return text === undefined || text === '' ? undefined : text;
    }
  }
}

/** The normalized form of a value (a user's or a record field's), or undefined when it can't match. */
export function normalizeValue(spec: NormalizerSpec, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (spec.normalizer === 'exact') return normalizeExact(value, spec.type);
  const text = textOf(value);
  if (text === undefined) return undefined;
  switch (spec.normalizer) {
    case 'e164':
      return normalizeE164(text, spec.region);
    case 'email':
      return normalizeEmail(text);
    case 'text':
      return normalizeText(text);
  }
}
