/**
 * `parlance eval --jsonl` writes the same bytes as before its fast path (issue 19): the expected
 * outputs in fixtures/ were written by the build before it (commit 59c4bd2, which used node's
 * readline, `JSON.stringify` of each answer object and the full request check) for an input of
 * every result type, ids of every JSON kind, text that needs escaping, every kind of bad line,
 * blank lines, CRLF, a lone CR and a BOM. And however the input is cut into chunks, the lines are
 * readline's.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/cli/jsonl.js';
import { main } from '../../src/cli/main.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`fixtures/${name}`, import.meta.url));

async function run(args: string[], chunks: Iterable<Buffer | string>): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  const parts: Buffer[] = [];
  stdout.on('data', (c: Buffer) => parts.push(c));
  const code = await main(['eval', '--jsonl', ...args], { stdout, stderr: new PassThrough(), stdin: Readable.from(chunks, { objectMode: false }) });
  return { code, out: Buffer.concat(parts).toString('utf8') };
}

/** `bytes` cut into pieces of 1 to `max` bytes (through multi-byte characters and CRLF pairs), by a fixed rule. */
function pieces(bytes: Buffer, max: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = 1 + ((k * 7919) % max);
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

describe('eval --jsonl output, byte for byte', () => {
  const input = fixture('jsonl-golden.in.jsonl');

  it('is the same as before for every kind of line', async () => {
    const r = await run([], [input]);
    expect(r.out).toBe(fixture('jsonl-golden.out.jsonl').toString('utf8'));
    expect(r.code).toBe(1);
  });

  it('is the same as before with the budget flags (limits per line)', async () => {
    const r = await run(['--max-text-length', '10', '--max-operations', '200'], [input]);
    expect(r.out).toBe(fixture('jsonl-golden-budget.out.jsonl').toString('utf8'));
  });

  it('does not depend on how the input is cut into chunks', async () => {
    const expected = fixture('jsonl-golden.out.jsonl').toString('utf8');
    for (const max of [1, 3, 17, 4096]) expect((await run([], pieces(input, max))).out).toBe(expected);
  });
});

/** The lines readline gives for these chunks (`crlfDelay: Infinity`, as the CLI used). */
async function readlineLines(chunks: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: Readable.from(chunks), crlfDelay: Infinity })) lines.push(line);
  return lines;
}

describe('LineSplitter', () => {
  it('splits as readline does: \\n, \\r\\n and a lone \\r end lines, wherever the chunks are cut', async () => {
    const text = fc.array(fc.constantFrom('a', 'bc', ' ', '\n', '\r', '\r\n', '{}', 'é'), { maxLength: 40 }).map((parts) => parts.join(''));
    const cuts = fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(text, cuts, async (t, at) => {
        const points = [...new Set(at.filter((i) => i < t.length))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((p, i) => t.slice(p, points[i] ?? t.length)).filter((c) => c !== '');
        const splitter = new LineSplitter();
        const ours = chunks.flatMap((c) => splitter.push(c));
        const last = splitter.end();
        if (last !== undefined) ours.push(last);
        expect(ours).toEqual(await readlineLines(chunks));
      }),
      { seed: 19, numRuns: 300 },
    );
  });
});
