/** The evaluation budget flags of eval, eval --jsonl, template and render (built CLI). */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/parlance.js', import.meta.url).pathname;
const run = (args: string[], input?: string) => spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8' });

describe('budget flags', () => {
  it('eval: --max-text-length and --max-operations, located errors', () => {
    const tooLong = run(['eval', 'LEN(LPAD("a", 20))', '--max-text-length', '10']);
    expect(tooLong.status).toBe(1);
    expect(JSON.parse(tooLong.stdout)).toMatchObject({ error: { code: 'E_TEXT_TOO_LONG', span: { start: 4, end: 17 } } });
    const ops = run(['eval', '1 + 2 * 3', '--max-operations', '4']);
    expect(JSON.parse(ops.stdout)).toMatchObject({ error: { code: 'E_BUDGET_EXCEEDED', span: { start: 0, end: 9 } } });
    expect(JSON.parse(run(['eval', '1 + 2 * 3', '--max-operations', '5']).stdout)).toEqual({ type: 'Number', value: '7' });
  });

  it('eval: a bad value is E_INVALID_OPTION', () => {
    const r = run(['eval', '1', '--timeout-ms', 'soon']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'E_INVALID_OPTION', pointer: '/timeout-ms' } });
  });

  it('eval --jsonl: the limits apply to each line, and a bad line never stops the others', () => {
    const lines = [{ id: 1, formula: 'LEN(LPAD("a", 20))' }, { id: 2, formula: `${'9'.repeat(1002)}` }, { id: 3, formula: 'LEN(LPAD("a", 5))' }];
    const r = run(['eval', '--jsonl', '--max-text-length', '10'], lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; ok: boolean; error?: { code: string } });
    expect(out.map((o) => [o.id, o.ok ? 'ok' : o.error?.code])).toEqual([
      [1, 'E_TEXT_TOO_LONG'],
      [2, 'E_NUMBER_OUT_OF_RANGE'],
      [3, 'ok'],
    ]);
  });

  it('template: --max-operations stops nested work with E_BUDGET_EXCEEDED', () => {
    const r = run(['template', '-', '--json', '--max-operations', '3'], '{!1 + 2}{!3 + 4}');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, errors: [{ code: 'E_BUDGET_EXCEEDED' }] });
  });
});
