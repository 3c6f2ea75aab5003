/** `parlance render` and `parlance test` through the real binary. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/parlance.js', import.meta.url).pathname;
const examples = new URL('../../examples/components/', import.meta.url).pathname;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('parlance render', () => {
  it('prints the render result (CONTRACT.md §3)', () => {
    const r = run(['render', join(examples, 'options-list.json'), '--channel', 'EmbeddedWeb']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(Object.keys(result)).toEqual(['channel', 'format', 'skipped', 'content', 'text', 'payload', 'warnings']);
    expect(result.format).toBe('Buttons');
    expect(result.text).toBe('What do you need help with?\nSelect an option:\n1. Cancel my order\n2. Change my shipping address\n3. Change the delivery date');
  });

  it('takes parameters, now, time zone and locale', () => {
    const slots = JSON.stringify({ Slots: [{ start: '2026-11-21T18:00:00Z', end: '2026-11-21T19:00:00Z' }] });
    const r = run(['render', join(examples, 'appointment-time.json'), '--channel', 'FacebookEnhanced', '--parameters', slots, '--now', '2026-11-21T17:00:00Z', '--timezone', 'America/Los_Angeles', '--locale', 'en-US', '--compact']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout).content.options).toEqual([{ id: '2026-11-21T18:00:00.000Z/2026-11-21T19:00:00.000Z', title: 'Nov 21, 10:00 AM' }]);
  });

  it('exits 1 with located errors, and 2 on usage errors', () => {
    const unsupported = run(['render', join(examples, 'welcome-terms.json'), '--channel', 'FacebookEnhanced']);
    expect(unsupported.code).toBe(1);
    expect(JSON.parse(unsupported.stdout).error.code).toBe('E_CHANNEL_UNSUPPORTED');
    expect(JSON.parse(run(['render', join(examples, 'welcome-terms.json'), '--channel', 'FacebookEnhanced', '--fallback', 'text']).stdout).format).toBe('Text');
    const dir = mkdtempSync(join(tmpdir(), 'parlance-render-'));
    writeFileSync(join(dir, 'bad.json'), '{\n  "name": "X",\n  "type": }');
    const bad = run(['render', join(dir, 'bad.json'), '--channel', 'EmbeddedWeb']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.message).toMatch(/invalid JSON at line 3, column 11/);
    const badParams = run(['render', join(examples, 'open-cases.json'), '--channel', 'EmbeddedWeb', '--parameters', '{"Cases": [{"Id": 5}]}']);
    expect(JSON.parse(badParams.stdout).error.errors).toEqual([{ pointer: '/parameters/Cases/0/Id', code: 'E_PARAMETER_VALUE', message: 'Case.Id is Id: expected a string; received number 5' }]);
    expect(run(['render', join(examples, 'options-list.json')]).code).toBe(2);
    expect(run(['render', '--channel', 'EmbeddedWeb']).code).toBe(2);
  });
});

describe('parlance test', () => {
  function kit() {
    const dir = mkdtempSync(join(tmpdir(), 'parlance-test-'));
    cpSync(join(examples, 'options-list.json'), join(dir, 'options-list.json'));
    writeFileSync(join(dir, 'web.case.json'), JSON.stringify({ description: 'Buttons on Web', component: './options-list.json', channel: 'EmbeddedWeb' }));
    return dir;
  }

  it('fails on a missing expected file, creates it with --update, then passes', () => {
    const dir = kit();
    const missing = run(['test', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('MISSING');
    expect(run(['test', dir, '--update']).stdout).toContain('1 created');
    const expected = JSON.parse(readFileSync(join(dir, 'web.expected.json'), 'utf8'));
    expect(expected.format).toBe('Buttons');
    const pass = run(['test', dir]);
    expect(pass).toMatchObject({ code: 0, stdout: '1 case: 1 passed, 0 failed\n' });
  });

  it('prints a readable diff when the output changes', () => {
    const dir = kit();
    run(['test', dir, '--update']);
    const expected = JSON.parse(readFileSync(join(dir, 'web.expected.json'), 'utf8'));
    expected.format = 'QuickReplies';
    writeFileSync(join(dir, 'web.expected.json'), JSON.stringify(expected));
    const r = run(['test', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL');
    expect(r.stdout).toContain('-  "format": "QuickReplies",\n+  "format": "Buttons",');
    // Both file headers, so the reader knows which side is which.
    expect(r.stdout).toMatch(/^--- \S*web\.expected\.json \(expected\)$/m);
    expect(r.stdout).toMatch(/^\+\+\+ \S*web\.expected\.json \(actual\)$/m);
    const json = JSON.parse(run(['test', dir, '--json']).stdout);
    expect(json.passed).toBe(false);
    expect(json.cases[0].status).toBe('fail');
  });

  it('reports a broken case file without stopping the others', () => {
    const dir = kit();
    run(['test', dir, '--update']);
    writeFileSync(join(dir, 'typo.case.json'), JSON.stringify({ component: './options-list.json', chanel: 'EmbeddedWeb' }));
    const r = run(['test', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('INVALID');
    expect(r.stdout).toContain('/chanel: unknown property "chanel". Did you mean "channel"?');
    expect(r.stdout).toContain('2 cases: 1 passed, 0 failed, 1 invalid');
  });
});
