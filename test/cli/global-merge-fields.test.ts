/** Issue 17 acceptance: global merge fields through the real `parlance` binary (bin/parlance.js → dist/). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/parlance.js', import.meta.url).pathname;

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('global merge fields on the command line', () => {
  it('issue 17 acceptance: MAX($User.Commission_Percent__c * Price, 100) with --fields/--record prints 200', () => {
    const r = run([
      'eval',
      'MAX($User.Commission_Percent__c * Price, 100)',
      '--fields',
      '{"$User":{"Commission_Percent__c":"Number"},"Price":"Number"}',
      '--record',
      '{"$User":{"Commission_Percent__c":2},"Price":100}',
    ]);
    expect(r).toMatchObject({ code: 0, stdout: '{"type":"Number","value":"200"}\n' });
  });

  it('--jsonl lines carry them in fields and record; an unknown global suggests the near name', () => {
    const lines = [
      { id: 'ok', formula: '$Label.Month_of_Year_1 & "!"', fields: { $Label: { Month_of_Year_1: 'Text' } }, record: { $Label: { Month_of_Year_1: 'January' } } },
      { id: 'typo', formula: '$Usr.Name', fields: { $User: { Name: 'Text' } } },
    ];
    const r = run(['eval', '--jsonl'], lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out[0]).toEqual({ id: 'ok', ok: true, type: 'Text', value: 'January!' });
    expect(out[1]).toMatchObject({ id: 'typo', ok: false, error: { code: 'E_UNKNOWN_GLOBAL', span: { start: 0, end: 4 } } });
    expect((out[1] as { error: { message: string } }).error.message).toContain('Did you mean $User?');
  });
});

describe('parlance render --globals', () => {
  it('gives the values of the globals a component declares', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parlance-globals-'));
    const file = join(dir, 'greeting.json');
    writeFileSync(file, JSON.stringify({ name: 'Greeting', type: 'AutoResponse', globals: { $User: { FirstName: 'Text' } }, formats: [{ type: 'Text', template: 'Hello {!$User.FirstName}' }] }));
    const r = run(['render', file, '--channel', 'EmbeddedWeb', '--globals', '{"$User": {"FirstName": "Ada"}}', '--compact']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ text: 'Hello Ada' });
  });
});
