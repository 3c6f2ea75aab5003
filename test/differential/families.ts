/**
 * The functions and operators each differential suite covers. coverage.test.ts checks that together
 * they cover every function both engines implement, and every operator.
 */
export const OPERATORS = ['+', '-', '&', '*', '/', '^', '=', '<>', '<', '<=', '>', '>=', '!', 'unary -', 'unary +', '&&', '||'] as const;

export const LOGIC_FUNCTIONS = ['IF', 'CASE', 'AND', 'OR', 'NOT', 'ISBLANK', 'ISNULL', 'NULLVALUE', 'BLANKVALUE', 'ISNUMBER', 'ISPICKVAL', 'INCLUDES'] as const;

export const TEXT_FUNCTIONS = ['BEGINS', 'CONTAINS', 'FIND', 'LEFT', 'RIGHT', 'MID', 'LEN', 'LOWER', 'UPPER', 'LPAD', 'RPAD', 'SUBSTITUTE', 'TRIM', 'TEXT', 'VALUE', 'CASESAFEID'] as const;

export const MATH_FUNCTIONS = ['ABS', 'CEILING', 'FLOOR', 'MCEILING', 'MFLOOR', 'ROUND', 'MOD', 'MAX', 'MIN', 'SQRT', 'LOG', 'LN', 'EXP'] as const;

export const DATE_FUNCTIONS = [
  'ADDMONTHS',
  'DATE',
  'DATEVALUE',
  'DATETIMEVALUE',
  'DAY',
  'MONTH',
  'YEAR',
  'WEEKDAY',
  'HOUR',
  'MINUTE',
  'SECOND',
  'MILLISECOND',
  'TIMEVALUE',
  'TODAY',
  'NOW',
  'TIMENOW',
] as const;

/**
 * Functions only one engine has, so no differential test: sformula lacks BR, CURRENCYRATE,
 * GEOLOCATION and DISTANCE; Parlance rejects HYPERLINK and IMAGE (HTML output is not supported in
 * messaging components).
 */
export const NOT_DIFFERENTIAL = ['BR', 'CURRENCYRATE', 'GEOLOCATION', 'DISTANCE', 'HYPERLINK', 'IMAGE'] as const;
