/**
 * The CLI's side of `parlance eval --jsonl`: the output line of one input line. Validation and
 * evaluation are the evaluation service's (src/services/evaluate.ts), shared with the HTTP server;
 * this file writes the answer (CONTRACT.md §2).
 */
import { isPlainRequest, validateRequest, type EvalRequest, type Evaluator, type WireError } from '../services/evaluate.js';
import type { BudgetOptions } from '../formula/runtime/budget.js';

/**
 * The output line (with its newline) of a line whose answering threw: its `E_INTERNAL` error. The
 * lines after it are still read and answered.
 */
export function internalErrorLine(e: unknown, lineNo: number): string {
  const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const out = { ok: false, error: { code: 'E_INTERNAL', message: `Line ${lineNo}: failed unexpectedly (${reason}); the other lines are not affected`, line: lineNo } };
  return `${JSON.stringify(out)}\n`;
}

/**
 * `{"id"?, ...rest` as the output line starts: the `id` of an input object, or nothing. Written
 * by hand so that the line needs no intermediate object; the same text as `JSON.stringify` of
 * `{id, ok, ...}`.
 */
function idPart(parsed: unknown): string {
  if (parsed === null || typeof parsed !== 'object' || !('id' in parsed)) return '{';
  const id = (parsed as { id: unknown }).id;
  return `{"id":${JSON.stringify(id)},`;
}

/** The rest of a failed line after `{"id":…,`. */
function failure(error: unknown, errors: readonly unknown[] | undefined): string {
  return `"ok":false,"error":${JSON.stringify(error)}${errors !== undefined && errors.length > 1 ? `,"errors":${JSON.stringify(errors)}` : ''}}\n`;
}

/**
 * One line's answer: `{"id"?, "ok": true, "type", "value"}` or `{"id"?, "ok": false, "error",
 * "errors"?}` (CONTRACT.md §2), with its newline, and whether it succeeded.
 */
export interface LineAnswer {
  text: string;
  ok: boolean;
}

/**
 * Answers one input line (not blank) into `out`. Messages of the line's own problems (JSON,
 * shape) start with `Line N:` and carry `line`; the evaluation's do not (as on the HTTP server).
 */
export function answerLine(evaluator: Evaluator, line: string, lineNo: number, budget: BudgetOptions | undefined, out: LineAnswer): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    out.ok = false;
    out.text = `{${failure({ code: 'E_INVALID_JSON', message: `Line ${lineNo}: invalid JSON: ${(e as Error).message}`, line: lineNo }, undefined)}`;
    return;
  }
  let request: EvalRequest;
  if (isPlainRequest(parsed)) request = parsed;
  else {
    const checked = validateRequest(parsed);
    if (checked.request === undefined) {
      const withLine = checked.errors.map((e: WireError) => ({ ...e, message: `Line ${lineNo}: ${e.message}`, line: lineNo }));
      out.ok = false;
      out.text = idPart(parsed) + failure(withLine[0], withLine);
      return;
    }
    request = checked.request;
  }
  const outcome = evaluator.evaluate(request, budget);
  out.ok = outcome.ok;
  out.text = idPart(parsed) + (outcome.ok ? `"ok":true,"type":"${outcome.type}","value":${JSON.stringify(outcome.value)}}\n` : failure(outcome.error, outcome.errors));
}
