/**
 * One bad item never costs a batch its other items (issue 14, part 3): whatever an item throws,
 * in `parlance eval --jsonl` and in the evaluator both transports share, it becomes that item's
 * typed error and the next items are answered.
 */
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { Evaluator, MAX_REQUEST_DEPTH, validateRequest } from '../../src/services/evaluate.js';
import { main } from '../../src/cli/main.js';

async function jsonl(lines: readonly string[]): Promise<{ code: number; out: Record<string, unknown>[] }> {
  const stdout = new PassThrough();
  const chunks: string[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const code = await main(['eval', '--jsonl'], { stdout, stderr: new PassThrough(), stdin: Readable.from([lines.join('\n')]) });
  const out = chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, out };
}

const deepRecord = (n: number): string => `{"formula":"1","record":{"A":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}}`;

describe('eval --jsonl: per-line isolation', () => {
  it('a 1,002-digit literal, a record nested 100,000 deep and a __proto__ key each fail their own line; the others are answered', async () => {
    const { code, out } = await jsonl([
      '{"id":1,"formula":"1 + 1"}',
      JSON.stringify({ id: 2, formula: '9'.repeat(1002) }),
      '{"id":3,"formula":"2 + 2"}',
      deepRecord(100_000),
      '{"id":5,"formula":"LEN(p)","parameters":{"__proto__":{"x":1},"p":"abc"}}',
      '{"id":6,"formula":"3 + 3","parameters":{"n":1e400}}',
      '{"id":7,"formula":"UPPER(\\"ok\\")"}',
    ]);
    expect(out).toHaveLength(7);
    expect(out[0]).toEqual({ id: 1, ok: true, type: 'Number', value: '2' });
    // Rejected with a diagnostic once the evaluator knows the limit, E_INTERNAL before: never a crash.
    expect(out[1]).toMatchObject({ id: 2, ok: false, error: { code: expect.any(String) } });
    expect(out[2]).toEqual({ id: 3, ok: true, type: 'Number', value: '4' });
    expect(out[3]).toMatchObject({ ok: false, error: { code: 'E_INVALID_REQUEST', line: 4 } });
    expect((out[3]?.error as { message: string }).message).toContain(`deeper than ${MAX_REQUEST_DEPTH} levels`);
    expect(out[4]).toMatchObject({ id: 5, ok: false, error: { code: 'E_INVALID_REQUEST', pointer: '/parameters/__proto__' } });
    expect(out[5]).toMatchObject({ id: 6, ok: false, error: { code: 'E_INVALID_REQUEST', pointer: '/parameters/n' } });
    expect(out[6]).toEqual({ id: 7, ok: true, type: 'Text', value: 'OK' });
    expect(code).toBe(1);
  });

  it('a line whose answering throws becomes an E_INTERNAL line; the next lines are answered', async () => {
    const spy = vi.spyOn(Evaluator.prototype, 'evaluate').mockImplementationOnce(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    const { code, out } = await jsonl([...Array.from({ length: 8 }, () => ''), '{"id":9,"formula":"1"}', '{"id":10,"formula":"2"}']);
    spy.mockRestore();
    // Failed: the exit code says so.
    expect(code).toBe(1);
    expect(out[0]).toEqual({ ok: false, error: { code: 'E_INTERNAL', message: 'Line 9: failed unexpectedly (RangeError: Maximum call stack size exceeded); the other lines are not affected', line: 9 } });
    expect(out[1]).toEqual({ id: 10, ok: true, type: 'Number', value: '2' });
  });
});

describe('Evaluator.evaluate never throws', () => {
  it('whatever compiling or evaluating throws is the request’s E_INTERNAL error', () => {
    const evaluator = new Evaluator();
    const spy = vi.spyOn(evaluator, 'compile').mockImplementation(() => {
      throw new TypeError('boom');
    });
    expect(evaluator.evaluate({ formula: '1' })).toEqual({ ok: false, error: { code: 'E_INTERNAL', message: expect.stringContaining('TypeError: boom') } });
    spy.mockRestore();
    expect(evaluator.evaluate({ formula: '1' })).toMatchObject({ ok: true, value: '1' });
  });

  it('validateRequest refuses nesting past the limit with its pointer, without recursion', () => {
    const { request, errors } = validateRequest(JSON.parse(deepRecord(1_000_000)));
    expect(request).toBeUndefined();
    expect(errors[0]?.pointer).toBe(`/record/A${'/a'.repeat(MAX_REQUEST_DEPTH - 2)}`);
  });
});
