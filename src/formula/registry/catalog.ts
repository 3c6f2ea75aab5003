/**
 * The seed's function lists for messaging component formulas, verbatim and in source order
 * (SPEC-EXTRACT.md §3, seed G:4703-4786), with how Parlance reads each entry.
 */

/** The supported list exactly as the seed prints it (G:4703-4775), typos included. */
export const SEED_SUPPORTED_LIST: readonly string[] = [
  '<=', 'AND', 'NOT', 'OR', '&', 'TEXT', 'DATE', 'DAY', 'MONTH', 'YEAR', 'TODAY', 'NOW', 'TIMENOW', 'TIMEVALUE', 'HOUR', 'MINUTE', 'SECOND',
  'MILLISECOND', 'ADDMONTHS', 'WEEKDAY', 'DATEVALUE', 'DATETIMEVALUE', 'ISNUMBER', 'ISNULL', 'ISBLANK', 'ISPICKVAL', 'NULLVAL', 'BLANKVALUE',
  'MOD', 'MAX', 'MIN', 'ROUND', 'GEOLOCATION', 'ABS', 'SQRT', 'CEILING', 'FLOOR', 'MCEILING', 'MFLOOR', 'LOG', 'EXP', 'LN', 'DISTANCE',
  'VALUE', 'LEN', 'LEFT', 'MID', 'RIGHT', 'BEGINS', 'CONTAINS', 'SUBSTITUTE', 'TRIM', 'LPAD', 'RPAD', 'UPPER', 'LOWER', 'FIND',
  'CURRENCYRATE', 'IF', 'CASE', 'INCLUDES', 'CASESAFEID', 'BR', 'TRUE', 'FALSE', 'NULI', 'NOUNESCAPE STRING LITERAL', 'STRING LITERAL',
  'TEMPLATE STRING LITERAL', 'NUBMER', 'IDENT',
];

/** Seed entries that are syntax, not functions, and what they are (DECISIONS.md §15.5). */
export const SEED_SYNTAX_ENTRIES: Readonly<Record<string, string>> = {
  '<=': 'operator',
  '&': 'operator',
  TRUE: 'literal TRUE',
  FALSE: 'literal FALSE',
  NULI: 'literal NULL (seed typo)',
  'NOUNESCAPE STRING LITERAL': 'string literal',
  'STRING LITERAL': 'string literal',
  'TEMPLATE STRING LITERAL': 'literal text between merge fields (formula templates)',
  NUBMER: 'number literal (seed typo)',
  IDENT: 'identifier (field reference)',
};

/** Seed spellings that name a function under another name. */
export const SEED_ALIASES: Readonly<Record<string, string>> = { NULLVAL: 'NULLVALUE' };

/** The unsupported list (G:4777-4786) and the seed's reason. */
export const SEED_UNSUPPORTED_REASON = "HTML-generating functions aren't supported";
export const SEED_UNSUPPORTED_FUNCTIONS: readonly string[] = ['IMAGE', 'HYPERLINK', 'GETSESSIONID', 'PREDICT'];
/** Unsupported syntax on the same list: bracket references, rejected by the parser (E_DYNAMIC_REFERENCE). */
export const SEED_UNSUPPORTED_SYNTAX: readonly string[] = ['DYNAMIC REF ("[]")', 'DYNSAMICREF_IDENT'];

/** The function names the seed's supported list implies, aliases resolved. */
export function seedFunctionNames(): string[] {
  return SEED_SUPPORTED_LIST.filter((e) => !(e in SEED_SYNTAX_ENTRIES)).map((e) => SEED_ALIASES[e] ?? e);
}
