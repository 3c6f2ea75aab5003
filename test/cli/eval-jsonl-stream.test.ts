/**
 * `parlance eval --jsonl` gathers output lines and writes them together (issue 19), yet answers
 * a line as soon as the input read so far is answered: a client that writes one request and
 * waits for its answer is not left waiting. And the evaluation service's compile cache matches
 * requests by value, not by object identity, and keeps formulas used more than once.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Evaluator } from '../../src/services/evaluate.js';

/** Collects the output's lines; `upTo(n)` resolves once there are n of them. */
function collect(out: PassThrough): { upTo: (count: number) => Promise<string[]> } {
  let text = '';
  const waiting: Array<{ count: number; resolve: (lines: string[]) => void }> = [];
  const lines = (): string[] => text.split('\n').filter((l) => l !== '');
  out.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const w of waiting.splice(0)) {
      if (lines().length >= w.count) w.resolve(lines());
      else waiting.push(w);
    }
  });
  return {
    upTo: (count) =>
      new Promise((resolve) => {
        if (lines().length >= count) resolve(lines());
        else waiting.push({ count, resolve });
      }),
  };
}

describe('eval --jsonl output', () => {
  it('answers each request while the input stays open, in order, in few writes', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let writes = 0;
    const write = stdout.write.bind(stdout);
    stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      writes++;
      return (write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stdout.write;
    const done = main(['eval', '--jsonl'], { stdin, stdout, stderr } as unknown as Parameters<typeof main>[1]);
    const output = collect(stdout);
    const first = output.upTo(1);
    stdin.write('{"id": 1, "formula": "1 + 1"}\n');
    // The input is still open: the answer must come anyway.
    expect((await first).map((l) => JSON.parse(l) as unknown)).toEqual([{ id: 1, ok: true, type: 'Number', value: '2' }]);
    const rest = output.upTo(201);
    stdin.write(Array.from({ length: 200 }, (_, i) => `{"id": ${i + 2}, "formula": "A * 2", "record": {"A": ${i}}}\n`).join(''));
    stdin.end();
    const lines = (await rest).map((l) => JSON.parse(l) as { id: number; value: string });
    expect(lines.map((l) => l.id)).toEqual(Array.from({ length: 201 }, (_, i) => i + 1));
    expect(lines[200]).toMatchObject({ id: 201, value: '398' });
    expect(await done).toBe(0);
    // 201 answers, written in a handful of chunks rather than one write per line.
    expect(writes).toBeLessThan(20);
  });
});

describe('the evaluation service cache', () => {
  it('reuses a compilation for equal options in fresh objects, and not for different ones', () => {
    const e = new Evaluator(8);
    const a = e.compile({ formula: 'A + 1', fields: { A: 'Number' } });
    expect(e.compile({ formula: 'A + 1', fields: { A: 'Number' } })).toBe(a);
    expect(e.compile({ formula: 'A + 1', fields: { A: 'Currency' } })).not.toBe(a);
    expect(e.compile({ formula: 'A + 1', fields: { A: 'Number' }, scale: 2 })).not.toBe(a);
    expect(e.compile({ formula: 'A + 1', record: { A: 5 } })).toBe(a);
  });

  it('caches a formula from its second use on: formulas used once do not push out the cached ones', () => {
    const e = new Evaluator(4);
    e.compile({ formula: 'X + 1', fields: { X: 'Number' } });
    const x = e.compile({ formula: 'X + 1', fields: { X: 'Number' } });
    for (let i = 0; i < 100; i++) e.compile({ formula: `X + ${i + 2}`, fields: { X: 'Number' } });
    expect(e.compile({ formula: 'X + 1', fields: { X: 'Number' } })).toBe(x);
    // Used again after other formulas: compiled a second time, then cached.
    e.compile({ formula: 'Y', fields: { Y: 'Text' } });
    e.compile({ formula: 'Z', fields: { Z: 'Text' } });
    const y = e.compile({ formula: 'Y', fields: { Y: 'Text' } });
    e.compile({ formula: 'Z2', fields: { Z: 'Text' } });
    expect(e.compile({ formula: 'Y', fields: { Y: 'Text' } })).toBe(y);
  });

  it('stays bounded: the least recently used formulas are dropped', () => {
    const e = new Evaluator(4);
    const first = e.compile({ formula: '1' });
    for (let i = 2; i <= 6; i++) e.compile({ formula: String(i) });
    expect(e.compile({ formula: '1' })).not.toBe(first);
    const many = e.compile({ formula: 'A', fields: { A: 'Number' } });
    for (let i = 0; i < 40; i++) e.compile({ formula: 'A', fields: { A: 'Number', [`B${i}`]: 'Text' } });
    expect(e.compile({ formula: 'A', fields: { A: 'Number' } })).not.toBe(many);
  });
});
