/**
 * The CLI's side of `parlance eval --jsonl`: one output line per input line. Validation and
 * evaluation are the evaluation service's (src/services/evaluate.ts), shared with the HTTP server.
 */
/**
 * The output line (with its newline) of one `--jsonl` input line, and whether it succeeded. Whatever
 * `evaluate` throws, or a result that cannot be written as JSON, becomes this line's `E_INTERNAL`
 * error: the lines after it are still read and answered.
 */
export function jsonlOutput(evaluate: () => Record<string, unknown>, lineNo: number): [text: string, ok: boolean] {
  try {
    const out = evaluate();
    return [`${JSON.stringify(out)}\n`, out.ok === true];
  } catch (e) {
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    const out = { ok: false, error: { code: 'E_INTERNAL', message: `Line ${lineNo}: failed unexpectedly (${reason}); the other lines are not affected`, line: lineNo } };
    return [`${JSON.stringify(out)}\n`, false];
  }
}
