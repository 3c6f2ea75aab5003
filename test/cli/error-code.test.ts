/** `parlance error-code` (issue 18 item 6), through main() with captured streams. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c) => out.push(String(c)));
  stderr.on('data', (c) => err.push(String(c)));
  const code = await main(args, { stdout, stderr, stdin: new PassThrough() });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('parlance error-code', () => {
  it('G:6535 describes 0004 as text: category, message, meaning, action, retry', async () => {
    const r = await run(['error-code', '0004']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('0004 0xxx problem communicating with the messaging service (G:6535)');
    expect(r.stdout).toContain("Message: This message timed out. You can't contact this user until they contact you again.");
    expect(r.stdout).toContain('Retry: after the customer writes');
  });

  it('--json prints the HTTP shape; an unknown code exits 1 with its reason', async () => {
    const r = await run(['error-code', '3007', '2003', '--json']);
    expect(r.code).toBe(1);
    const [known, unknown] = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(known).toMatchObject({ code: '3007', category: { id: '3xxx' }, message: "The message's intent is invalid." });
    expect(unknown).toMatchObject({ error: { code: 'E_UNKNOWN_ERROR_CODE' } });
  });

  it('--all lists every code; no code is a usage error (exit 2)', async () => {
    expect((await run(['error-code', '--all', '--json'])).stdout.trimEnd().split('\n')).toHaveLength(20);
    expect((await run(['error-code'])).code).toBe(2);
  });
});
