/** End-to-end tests through the real `parlance` binary (bin/parlance.js → dist/), as users run it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/parlance.js', import.meta.url).pathname;

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('parlance eval', () => {
  it('prints the value JSON (README example)', () => {
    const r = run(['eval', 'IF(Days > 20, "RED", "GREEN")', '--fields', '{"Days":"Number"}', '--record', '{"Days":21}']);
    expect(r).toMatchObject({ code: 0, stdout: '{"type":"Text","value":"RED"}\n' });
  });

  it('reads options from @files and infers field types from the record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parlance-'));
    writeFileSync(join(dir, 'record.json'), '{"Amount": "10.05"}');
    writeFileSync(join(dir, 'fields.json'), '{"Amount": "Currency"}');
    expect(run(['eval', 'Amount * 1.1', '--fields', `@${join(dir, 'fields.json')}`, '--record', `@${join(dir, 'record.json')}`, '--scale', '2']).stdout).toBe(
      '{"type":"Currency","value":"11.06"}\n',
    );
    expect(run(['eval', 'Days + 1', '--record', '{"Days": 2}']).stdout).toBe('{"type":"Number","value":"3"}\n');
  });

  it('reports compile errors with spans and exits 1', () => {
    const r = run(['eval', 'IF(x, 1)', '--fields', '{"x":"Boolean"}']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        code: 'E_ARGUMENT_COUNT',
        message: "Incorrect number of parameters for function 'IF()'. Expected 3, received 2",
        span: { start: 0, end: 8, line: 1, column: 1 },
      },
    });
  });

  it('reports runtime errors and exits 1', () => {
    const r = run(['eval', '10 / (2 - 2)']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'E_DIVISION_BY_ZERO', span: { start: 0, end: 12 } });
  });

  it('rejects bad option JSON with exit 1 and bad usage with exit 2', () => {
    const bad = run(['eval', 'x', '--fields', '{nope']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: 'E_INVALID_OPTION', pointer: '/fields' });
    expect(run(['eval']).code).toBe(2);
    expect(run(['eval', '1', '--blank-as', 'maybe']).code).toBe(2);
    expect(run(['eval', '1', '--no-such-flag']).code).toBe(2);
    expect(run(['frobnicate']).code).toBe(2);
  });
});

describe('a bad --now is refused before evaluating, for every formula', () => {
  it('eval', () => {
    const r = run(['eval', '1', '--now', 'yesterday']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'E_INVALID_OPTION', message: '--now: "now" must be an ISO 8601 date-time with an offset, such as "2026-11-21T10:00:00Z"; received "yesterday"', pointer: '/now' } });
    expect(run(['eval', 'TODAY()', '--now', '2026-11-21T10:00:00Z']).stdout).toBe('{"type":"Date","value":"2026-11-21"}\n');
  });

  it('template', () => {
    const r = run(['template', '-', '--now', 'yesterday', '--json'], 'Hello');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, errors: [{ code: 'E_INVALID_OPTION', message: expect.stringContaining('--now: "now" must be an ISO 8601 date-time') }] });
  });
});

describe('parlance eval --jsonl', () => {
  it('answers every line in order; a bad line never stops the batch', () => {
    const input = [
      '{"id":"a","formula":"0.1 + 0.2"}',
      'not json',
      '{"id":"c","formula":"1/0"}',
      '{"id":"d","formula":42}',
      '',
      '{"id":"e","formula":"$Constants.Title & \\"!\\"","constants":{"Title":"Hi"}}',
      '{"id":"f","formula":"IF(Days > 20, \\"RED\\", \\"GREEN\\")","fields":{"Days":"Number"},"record":{"Days":3}}',
    ].join('\n');
    const r = run(['eval', '--jsonl'], input);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines[0]).toEqual({ id: 'a', ok: true, type: 'Number', value: '0.3' });
    expect(lines[1]).toMatchObject({ ok: false, error: { code: 'E_INVALID_JSON', line: 2 } });
    expect(lines[2]).toMatchObject({ id: 'c', ok: false, error: { code: 'E_DIVISION_BY_ZERO' } });
    expect(lines[3]).toMatchObject({ id: 'd', ok: false, error: { code: 'E_INVALID_REQUEST', pointer: '/formula' } });
    expect(lines[4]).toEqual({ id: 'e', ok: true, type: 'Text', value: 'Hi!' });
    expect(lines[5]).toEqual({ id: 'f', ok: true, type: 'Text', value: 'GREEN' });
    expect(r.code).toBe(1);
  });

  it('refuses a bad now on its line, for every formula (the evaluator reads now only at a clock call)', () => {
    const input = ['{"id":"a","formula":"1","now":"yesterday"}', '{"id":"b","formula":"TODAY()","now":"2026-11-21T10:00:00Z"}', '{"id":"c","formula":"TODAY()","now":"2026-13-01T00:00:00Z"}'].join('\n');
    const r = run(['eval', '--jsonl'], input);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ id: 'a', ok: false, error: { code: 'E_INVALID_INPUT', message: 'Line 1: "now" must be an ISO 8601 date-time with an offset, such as "2026-11-21T10:00:00Z"; received "yesterday"', pointer: '/now', line: 1 } });
    expect(lines[1]).toEqual({ id: 'b', ok: true, type: 'Date', value: '2026-11-21' });
    expect(lines[2]).toMatchObject({ id: 'c', ok: false, error: { code: 'E_INVALID_INPUT', pointer: '/now', line: 3 } });
    expect(r.code).toBe(1);
  });

  it('streams a large batch', () => {
    const n = 20_000;
    const input = Array.from({ length: n }, (_, i) => JSON.stringify({ id: i, formula: 'x * 2', fields: { x: 'Number' }, record: { x: i } })).join('\n');
    const r = run(['eval', '--jsonl'], input);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(n);
    expect(JSON.parse(lines[n - 1] as string)).toEqual({ id: n - 1, ok: true, type: 'Number', value: String((n - 1) * 2) });
  });
});
