/** The evaluation budget options shared by `eval`, `template` and `render` (docs/formula-language.md, "Limits"). */
import { DEFAULT_MAX_OPERATIONS, DEFAULT_MAX_TEXT_LENGTH, type BudgetOptions } from '../formula/runtime/budget.js';
import { OptionError } from './options.js';

/** The `parseArgs` specs of the budget flags. */
export const BUDGET_FLAGS = {
  'max-text-length': { type: 'string' },
  'max-operations': { type: 'string' },
  'timeout-ms': { type: 'string' },
} as const;

/** The help lines of the budget flags. */
export const BUDGET_USAGE = `  --max-text-length <n>      Longest text a formula may build (default ${DEFAULT_MAX_TEXT_LENGTH.toLocaleString('en-US')}; E_TEXT_TOO_LONG past it)
  --max-operations <n>       Most evaluation operations (default ${DEFAULT_MAX_OPERATIONS.toLocaleString('en-US')}; E_BUDGET_EXCEEDED past it)
  --timeout-ms <n>           Time allowed for evaluating, in ms (default: none; E_BUDGET_EXCEEDED past it)
`;

type BudgetFlagValues = { readonly [K in keyof typeof BUDGET_FLAGS]?: string | undefined };

function whole(option: keyof typeof BUDGET_FLAGS, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < min) throw new OptionError(`expected a whole number of at least ${min}`, option);
  return n;
}

/** The budget options the flags give (undefined when none is given). Throws an OptionError for a bad value. */
export function budgetFromFlags(values: BudgetFlagValues): BudgetOptions | undefined {
  const maxTextLength = whole('max-text-length', values['max-text-length'], 0);
  const maxOperations = whole('max-operations', values['max-operations'], 1);
  const timeoutMs = whole('timeout-ms', values['timeout-ms'], 0);
  if (maxTextLength === undefined && maxOperations === undefined && timeoutMs === undefined) return undefined;
  return {
    ...(maxTextLength !== undefined ? { maxTextLength } : {}),
    ...(maxOperations !== undefined ? { maxOperations } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}
