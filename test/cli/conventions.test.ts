/**
 * The CLI's one convention, through the real binary (bin/parlance.js → dist/), for every command:
 * exit 0 success; exit 1 input rejected (JSON on stdout for eval, render and --json, text
 * otherwise); exit 2 usage error, with the message and the command's own usage on stderr.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = new URL('../../bin/parlance.js', import.meta.url).pathname;
const examples = new URL('../../examples/components/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'parlance-conventions-'));

function run(args: string[], input = '') {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const COMMANDS = ['eval', 'template', 'validate', 'render', 'test', 'serve', 'lsp'] as const;

describe('usage: per-command help and usage errors', () => {
  it.each(COMMANDS)('%s --help prints its own usage on stdout, exit 0, as parlance help <command> does', (command) => {
    const help = run([command, '--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout.startsWith(`Usage: parlance ${command} `)).toBe(true);
    expect(run(['help', command])).toEqual(help);
  });

  it.each(COMMANDS)('%s with an unknown option: the message, then its own usage, on stderr; exit 2', (command) => {
    const usage = run([command, '--help']).stdout;
    const r = run([command, '--no-such-option']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `Unknown option --no-such-option.\n\n${usage}` });
  });

  it('suggests the option meant (the acceptance example of issue 15)', () => {
    const r = run(['render', 'x.json', '--chanel', 'Web']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `Unknown option --chanel. Did you mean --channel?\n\n${run(['render', '--help']).stdout}` });
    expect(run(['eval', '1', '--feilds', '{}']).stderr.split('\n')[0]).toBe('Unknown option --feilds. Did you mean --fields?');
    expect(run(['validate', 'x.json', '--jsn']).stderr.split('\n')[0]).toBe('Unknown option --jsn. Did you mean --json?');
  });

  it('suggests the command meant, and prints the overview for unknown commands', () => {
    const r = run(['rendr', 'x.json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Unknown command rendr. Did you mean render?\n\n${run(['--help']).stdout}`);
    expect(run(['frobnicate']).stderr.split('\n')[0]).toBe('Unknown command frobnicate.');
  });

  it("names the command's own flags and prints that command's usage, not eval's", () => {
    const validate = run(['validate']);
    expect(validate).toMatchObject({ code: 2, stdout: '' });
    expect(validate.stderr).toBe(`validate needs at least one component file\n\n${run(['validate', '--help']).stdout}`);
    const render = run(['render', join(examples, 'options-list.json')]);
    expect(render.stderr).toBe(`render needs --channel <ChannelType>\n\n${run(['render', '--help']).stdout}`);
    expect(render.stderr).not.toContain('--fields');
    expect(run(['render', 'x.json', '--channel']).stderr.split('\n')[0]).toBe('Option --channel needs a value.');
    expect(run(['render', 'x.json', '--channel', '--compact']).stderr.split('\n')[0]).toBe(
      'Option --channel needs a value (got the option --compact; write --channel=--compact if that is the value).',
    );
    expect(run(['validate', 'x.json', '--json=yes']).stderr.split('\n')[0]).toBe('Option --json takes no value (got --json=yes).');
    expect(run(['serve', '--log-format', 'xml']).stderr.split('\n')[0]).toBe('--log-format must be pretty or json');
  });

  it('takes values that start with a dash when they are not options', () => {
    expect(JSON.parse(run(['eval', '1', '--scale', '-1']).stdout).error).toMatchObject({ code: 'E_INVALID_OPTION', pointer: '/scale' });
    expect(run(['template', '-'], 'Hi')).toEqual({ code: 0, stdout: 'Hi', stderr: '' });
  });
});

describe('exit 1: the rejected input, by the same convention for every command', () => {
  it('eval: JSON on stdout; a bad --fields type is blamed on --fields and its pointer, not the formula', () => {
    const r = run(['eval', 'Days + 1', '--fields', '{"Days":"Nmber"}']);
    expect(r).toMatchObject({ code: 1, stderr: '' });
    const { error } = JSON.parse(r.stdout);
    expect(error).toEqual({
      code: 'E_INVALID_OPTION',
      message: "--fields: /Days: Unknown type 'Nmber'. Expected one of Number, Currency, Percent, Text, Boolean, Date, DateTime, Time, Geolocation, Picklist, MultiPicklist, Id",
      pointer: '/fields/Days',
    });
    const nested = JSON.parse(run(['eval', 'Account.Name', '--fields', '{"Account":{"Name":"Txt"}}']).stdout).error;
    expect(nested).toMatchObject({ pointer: '/fields/Account/Name' });
    expect(JSON.parse(run(['eval', '1', '--return-type', 'Nmbr']).stdout).error).toEqual({ code: 'E_INVALID_OPTION', message: "--return-type: Unknown return type 'Nmbr'", pointer: '/return-type' });
    expect(JSON.parse(run(['eval', '$Constants.A', '--constant-types', '{"A":"Txt"}', '--constants', '{"A":"x"}']).stdout).error).toMatchObject({ pointer: '/constant-types/A' });
  });

  it("render: JSON on stdout; the refusal for a channel gives the CLI's own wording, --fallback text", () => {
    const r = run(['render', join(examples, 'welcome-terms.json'), '--channel', 'SmsLongCode']);
    expect(r).toMatchObject({ code: 1, stderr: '' });
    const { error } = JSON.parse(r.stdout);
    expect(error.code).toBe('E_CHANNEL_UNSUPPORTED');
    expect(error.message).toContain('Use --fallback text to get the Text version instead.');
    expect(error.message).not.toContain('"fallback"');
    const fallback = JSON.parse(run(['render', join(examples, 'welcome-terms.json'), '--channel', 'SmsLongCode', '--fallback', 'text']).stdout);
    expect(fallback.warnings).toContainEqual(expect.objectContaining({ code: 'W_TEXT_FALLBACK', message: expect.stringContaining('(--fallback text)') }));
    const objects = run(['render', join(examples, 'welcome-terms.json'), '--channel', 'EmbeddedWeb', '--objects', join(dir, 'no-such-dir')]);
    expect(objects).toMatchObject({ code: 1, stderr: '' });
    expect(JSON.parse(objects.stdout).error).toMatchObject({ code: 'E_INVALID_OPTION', errors: [{ pointer: '/objects' }] });
  });

  it('template: problems on stderr as text (stdout holds only the text), JSON on stdout with --json', () => {
    expect(run(['template', '-', '--constants', '{nope'], 'x')).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^--constants: E_INVALID_OPTION invalid JSON: .*\n$/) });
    const json = run(['template', '-', '--constants', '{nope', '--json'], 'x');
    expect(json).toMatchObject({ code: 1, stderr: '' });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, errors: [{ code: 'E_INVALID_OPTION' }] });
  });

  it('validate: the report on stdout, JSON with --json; an option that stops it: one line on stderr, or JSON', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"type": "Nope"}');
    const text = run(['validate', bad]);
    expect(text).toMatchObject({ code: 1, stderr: '' });
    expect(text.stdout).toContain('1 file: 0 valid, 1 invalid');
    expect(JSON.parse(run(['validate', bad, '--json']).stdout)).toMatchObject({ valid: false });
    const missing = join(dir, 'no-such-dir');
    const objects = run(['validate', bad, '--objects', missing]);
    expect(objects).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^--objects: E_INVALID_OPTION cannot load the objects in [^\n]*\n$/) });
    const objectsJson = run(['validate', bad, '--objects', missing, '--json']);
    expect(objectsJson).toMatchObject({ code: 1, stderr: '' });
    expect(JSON.parse(objectsJson.stdout)).toMatchObject({ valid: false, files: [], error: { code: 'E_INVALID_OPTION', pointer: '/objects' } });
  });

  it('test: the report on stdout, JSON with --json; a path that cannot be read: one line on stderr, or JSON', () => {
    const missing = join(dir, 'no-such-cases');
    expect(run(['test', missing])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^\S*no-such-cases: E_READ_FILE cannot read [^\n]*\n$/) });
    const json = run(['test', missing, '--json']);
    expect(json).toMatchObject({ code: 1, stderr: '' });
    expect(JSON.parse(json.stdout)).toMatchObject({ passed: false, cases: [], error: { code: 'E_READ_FILE' } });
  });
});

describe('serve: a port that is taken', () => {
  let holder: Server;
  let port: number;
  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('gives one line naming the port and the --port / PORT option, exit 1, before opening the store', () => {
    const db = join(dir, 'serve-db');
    const r = run(['serve', '--port', String(port), '--db', db, '--dev']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`parlance serve: port ${port} on 127.0.0.1 is already in use (is another server running?). Choose another port with --port <n> or the PORT environment variable.\n`);
    // Reported before the store opens: the store directory was never created.
    expect(spawnSync('test', ['-e', db]).status).not.toBe(0);
    const viaEnv = spawnSync(process.execPath, [bin, 'serve', '--db', 'memory'], { encoding: 'utf8', env: { ...process.env, PORT: String(port) } });
    expect(viaEnv.status).toBe(1);
    expect(viaEnv.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
  });
});

describe('a formula that starts with a dash', () => {
  it('is taken after --, and the error for it says so', () => {
    expect(run(['eval', '-1 + 2']).stderr.split('\n')[0]).toBe(`Unknown option -1. A value that starts with "-" goes after --, as in: -- '-1 + 2'`);
    expect(run(['eval', '--', '-1 + 2'])).toEqual({ code: 0, stdout: '{"type":"Number","value":"1"}\n', stderr: '' });
  });
});
