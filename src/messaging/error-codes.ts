/**
 * The messaging error codes (seed G:6514-6569, SPEC-EXTRACT.md §12): what a send failure's code
 * means, so that a backend service can map a code such as 0004 (a timeout) to its category, the
 * seed's message, a meaning, a suggested action and whether to retry. The catalog is data,
 * `schemas/messaging/error-codes.json` (described by `schemas/error-codes.schema.json`);
 * docs/error-codes.md is generated from it (`npm run gen`).
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../package-files.js';

/** One category: the codes that start with one digit (G:6525: "differentiated by their starting number"). */
export interface ErrorCategory {
  /** `0xxx`, `1xxx`, `2xxx`, `3xxx`. */
  readonly id: string;
  /** A short name: `service`, `source`, `destination`, `message`. */
  readonly name: string;
  readonly title: string;
  /** The seed's sentence. */
  readonly description: string;
  readonly source: string;
  readonly note?: string;
}

/** When a failed send may be tried again. */
export type RetryAdvice = 'later' | 'after-fix' | 'after-customer-message' | 'never';

/** One error code, as stored. */
export interface ErrorCodeEntry {
  readonly code: string;
  /** The category's id. */
  readonly category: string;
  /** The seed's message, verbatim. */
  readonly message: string;
  readonly meaning: string;
  readonly action: string;
  readonly retry: RetryAdvice;
  readonly source: string;
}

/** The catalog document. */
export interface ErrorCodeCatalog {
  readonly description?: string;
  readonly appliesTo?: string;
  readonly categories: readonly ErrorCategory[];
  readonly codes: readonly ErrorCodeEntry[];
}

/** A code described: the entry with its category. */
export interface ErrorCodeInfo extends Omit<ErrorCodeEntry, 'category'> {
  readonly category: ErrorCategory;
}

/** Why a code couldn't be described. */
export const ErrorCodeLookupCode = {
  /** Not a messaging error code: four digits are expected. */
  Invalid: 'E_INVALID_ERROR_CODE',
  /** Four digits, but not a code the seed lists (such as 2003, absent from G:6554-6556). */
  Unknown: 'E_UNKNOWN_ERROR_CODE',
} as const;

export type ErrorCodeLookup =
  | { readonly found: true; readonly info: ErrorCodeInfo }
  | {
      readonly found: false;
      readonly code: (typeof ErrorCodeLookupCode)[keyof typeof ErrorCodeLookupCode];
      readonly message: string;
      /** For an unlisted four-digit code, the category its first digit names, if any. */
      readonly category?: ErrorCategory;
    };

let cache: ErrorCodeCatalog | undefined;

/** The built-in catalog (read once). */
export function errorCodeCatalog(): ErrorCodeCatalog {
  return (cache ??= JSON.parse(readFileSync(packagePath('schemas', 'messaging', 'error-codes.json'), 'utf8')) as ErrorCodeCatalog);
}

/** Every code, described, in the catalog's order. */
export function listErrorCodes(catalog: ErrorCodeCatalog = errorCodeCatalog()): ErrorCodeInfo[] {
  const categories = new Map(catalog.categories.map((c) => [c.id, c]));
  return catalog.codes.map((e) => ({ ...e, category: categories.get(e.category) as ErrorCategory }));
}

/**
 * Describes a messaging error code: `"0004"` (or `4`, `"4"`: up to four digits, padded with
 * zeros as the seed writes them). Never throws: an unlisted or malformed code is a lookup
 * failure with a reason, and an unlisted four-digit code still gets the category of its first
 * digit when there is one (G:6525).
 */
export function describeErrorCode(code: string | number, catalog: ErrorCodeCatalog = errorCodeCatalog()): ErrorCodeLookup {
  const text = typeof code === 'number' ? (Number.isInteger(code) && code >= 0 ? String(code) : '') : code.trim();
  if (!/^\d{1,4}$/.test(text)) {
    return { found: false, code: ErrorCodeLookupCode.Invalid, message: `${JSON.stringify(String(code))} is not a messaging error code: codes are four digits, such as 0004 (G:6525)` };
  }
  const padded = text.padStart(4, '0');
  const category = catalog.categories.find((c) => c.id === `${padded[0]}xxx`);
  const entry = catalog.codes.find((e) => e.code === padded);
  if (entry === undefined) {
    const hint = category !== undefined ? `; its first digit puts it in ${category.id}, ${category.title.toLowerCase()} (${category.source})` : '';
    return { found: false, code: ErrorCodeLookupCode.Unknown, message: `${padded} is not a messaging error code the seed lists (G:6514-6569)${hint}`, ...(category !== undefined ? { category } : {}) };
  }
  return { found: true, info: { ...entry, category: category as ErrorCategory } };
}

/** How retry advice reads in text. */
export const RETRY_LABELS: Readonly<Record<RetryAdvice, string>> = { later: 'later', 'after-fix': 'after a fix', 'after-customer-message': 'after the customer writes', never: 'no' };

/** A code described as text (what `parlance error-code` prints), ending with a newline. */
export function formatErrorCode(info: ErrorCodeInfo): string {
  return [
    `${info.code} ${info.category.id} ${info.category.title.toLowerCase()} (${info.source})`,
    `  Message: ${info.message}`,
    `  Meaning: ${info.meaning}`,
    `  Action: ${info.action}`,
    `  Retry: ${RETRY_LABELS[info.retry]}`,
    '',
  ].join('\n');
}
