#!/usr/bin/env node
/* global document -- in page.evaluate, which runs in the browser */
/**
 * Regenerates the Neovim screenshots of docs/editor.md (docs/editor-neovim-*.png) from a real
 * Neovim with `parlance lsp` attached, configured with the init.lua that docs/editor.md gives for
 * the Neovim found (its "Neovim 0.7" or "Neovim 0.8 or later" block, read from the page, so the
 * pictures also check that the documented set-up works).
 *
 * Neovim runs in tmux in a scratch project whose `npx parlance` is this checkout's bin/parlance.js;
 * the script drives it with `tmux send-keys` and waits for each state (the problem, the popup,
 * the hover) by polling `tmux capture-pane`, never for a fixed time. Each screen is captured with
 * its colours (`capture-pane -e`), drawn by xterm.js in Chromium (playwright-core) and saved.
 *
 * Needs nvim, tmux (apt-get install neovim tmux), Chromium (PARLANCE_CHROMIUM, or chromium on
 * the PATH) and a build (`npm run build`). Not part of `npm test`.
 *
 *   node scripts/editor-screenshots.js [--out <dir>]   (default: docs/)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const root = new URL('../', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const { values: options } = parseArgs({ options: { out: { type: 'string', default: join(root, 'docs') } } });

const COLS = 110;
const ROWS = 24;
const TIMEOUT_MS = 60_000;

function fail(message) {
  process.stderr.write(`editor-screenshots: ${message}\n`);
  process.exit(1);
}

function need(command, install) {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) fail(`${command} is not installed (${install})`);
}

/** The Neovim version as [major, minor]. */
function nvimVersion() {
  const m = /NVIM v(\d+)\.(\d+)/.exec(execFileSync('nvim', ['--version'], { encoding: 'utf8' }));
  if (m === null) fail('cannot read `nvim --version`');
  return [Number(m[1]), Number(m[2])];
}

/** The first ```lua block after `heading` in docs/editor.md: the set-up readers copy. */
function documentedConfig(heading) {
  const page = readFileSync(join(root, 'docs', 'editor.md'), 'utf8');
  const at = page.indexOf(`\n${heading}\n`);
  const open = page.indexOf('\n```lua\n', at);
  if (at < 0 || open < 0) fail(`docs/editor.md has no \`\`\`lua block under "${heading}"`);
  const start = open + '\n```lua\n'.length;
  return page.slice(start, page.indexOf('\n```\n', start) + 1);
}

const FILES = {
  'priority.formula': '/* parlance: {"object": "Case", "returnType": "Text"} */\nIF(ISPICKVAL(Priorty, "High"),\n   "Call " & Account.Name,\n   Subject)\n',
  'greeting.formula': '/* parlance: {"object": "Case", "returnType": "Text"} */\n"Case " & CaseNumber & ": " & \n',
  'discount.formula': '/* parlance: {"object": "Opportunity", "returnType": "Currency"} */\nIF(Amount > 10000,\n   ROUND(Amount * 0.95, 2),\n   Amount)\n',
  'reason.json': `{
  "$schema": "./node_modules/parlance/schemas/component.schema.json",
  "name": "Reason_for_Contact",
  "type": "QuestionStaticOptions",
  "constants": {
    "Title": { "type": "Text", "value": "What do you need help with?" },
    "Greeting": { "type": "Text", "value": "Hello!", "description": "Said first." },
    "Options": {
      "type": "List<Option>",
      "value": [{ "Name": "Cancel my order", "Id": "cancel" }, { "Name": "Track it", "Id": "track" }]
    }
  },
  "formats": [
    { "type": "Buttons", "options": { "source": "$Constants.Options" },
      "title": { "type": "Constant", "name": "Title" } },
    { "type": "Text", "template": "" }
  ]
}
`,
};

/** A scratch project: `npx parlance` is this checkout, Neovim's configuration is the documented one. */
function workspace(config) {
  const dir = mkdtempSync(join(tmpdir(), 'parlance-nvim-'));
  writeFileSync(join(dir, 'package.json'), '{"name": "editor-screenshots", "private": true}\n');
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(root.replace(/\/$/, ''), join(dir, 'node_modules', 'parlance'));
  symlinkSync(join(root, 'bin', 'parlance.js'), join(dir, 'node_modules', '.bin', 'parlance'));
  mkdirSync(join(dir, 'config', 'nvim'), { recursive: true });
  writeFileSync(join(dir, 'config', 'nvim', 'init.lua'), config);
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'tmux.conf'), 'set -g default-terminal tmux-256color\nset -g status off\nset -g exit-empty off\n');
  return dir;
}

/** Neovim in a tmux session, and what the script does with it. */
class Editor {
  constructor(dir, name, rows = ROWS) {
    this.dir = dir;
    this.name = name;
    this.rows = rows;
    this.socket = `parlance-shots-${process.pid}`;
    this.listen = join(dir, `${name}.nvim`);
  }

  tmux(...args) {
    return execFileSync('tmux', ['-L', this.socket, '-f', join(this.dir, 'tmux.conf'), ...args], { encoding: 'utf8' });
  }

  start(file) {
    const env = ['config', 'cache', 'state', 'data'].map((d) => `XDG_${d.toUpperCase()}_HOME=${join(this.dir, d)}`);
    this.tmux('new-session', '-d', '-s', this.name, '-x', String(COLS), '-y', String(this.rows), '-c', this.dir, 'env', ...env, 'nvim', '--listen', this.listen, file);
    return this;
  }

  keys(...keys) {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** An Ex command, typed. */
  command(line) {
    this.keys(`:${line}`, 'Enter');
  }

  screen() {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** Resolves when `test(screen)` holds; polls the screen. */
  async waitFor(what, test) {
    const until = Date.now() + TIMEOUT_MS;
    for (;;) {
      const screen = this.screen();
      if (test(screen)) return screen;
      if (Date.now() > until) throw new Error(`${this.name}: timed out waiting for ${what}; the screen:\n${screen}`);
      await delay(100);
    }
  }

  waitForText(...texts) {
    return this.waitFor(texts.map((t) => JSON.stringify(t)).join(' and '), (s) => texts.every((t) => s.includes(t)));
  }

  /** Asks Neovim (over its --listen socket) for the value of a Lua expression. */
  lua(expression) {
    const r = spawnSync('nvim', ['--server', this.listen, '--remote-expr', `luaeval('${expression.replace(/'/g, "''")}')`], { encoding: 'utf8' });
    return `${r.stdout}${r.stderr}`.trim(); // Neovim 0.7 prints the value on stderr
  }

  /** Waits until the current buffer's LSP client has initialized (so that a request is answered). */
  async waitForServer() {
    const attached = '(function() for _, c in pairs((vim.lsp.get_clients or vim.lsp.get_active_clients)()) do if c.initialized and vim.lsp.buf_is_attached(0, c.id) then return 1 end end return 0 end)()';
    const until = Date.now() + TIMEOUT_MS;
    while (this.lua(attached) !== '1') {
      if (Date.now() > until) throw new Error(`${this.name}: parlance lsp did not attach; the screen:\n${this.screen()}`);
      await delay(100);
    }
  }

  /** The screen with its colours, and the cursor. */
  capture() {
    const [x, y] = this.tmux('display-message', '-p', '-t', this.name, '#{cursor_x} #{cursor_y}').trim().split(' ').map(Number);
    return { ansi: this.tmux('capture-pane', '-e', '-N', '-p', '-t', this.name), cursor: { x, y }, rows: this.rows };
  }

  stop() {
    this.tmux('kill-session', '-t', this.name);
  }
}

/** Draws captured screens with xterm.js and saves them as PNG. */
class Camera {
  async open() {
    const executablePath = process.env.PARLANCE_CHROMIUM || spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).stdout.trim();
    if (executablePath === '' || !existsSync(executablePath)) fail('Chromium not found: install it (apt-get install chromium) or set PARLANCE_CHROMIUM');
    this.browser = await chromium.launch({ executablePath, args: ['--disable-dev-shm-usage', '--font-render-hinting=none'] });
    this.page = await this.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const css = readFileSync(require.resolve('@xterm/xterm/css/xterm.css'), 'utf8');
    await this.page.setContent(`<!doctype html><html><head><style>${css}\nbody{margin:0;background:#1e1e1e}#frame{display:inline-block;padding:12px;background:#000}</style></head><body><div id="frame"><div id="term"></div></div></body></html>`);
    await this.page.addScriptTag({ path: require.resolve('@xterm/xterm/lib/xterm.js') });
  }

  async shoot({ ansi, cursor, rows }, file) {
    await this.page.evaluate(
      async ({ ansi, cursor, cols, rows }) => {
        await document.fonts.ready;
        globalThis.shotTerminal?.dispose();
        const term = new globalThis.Terminal({ cols, rows, fontFamily: '"DejaVu Sans Mono", monospace', fontSize: 15, lineHeight: 1.15, cursorBlink: false, cursorStyle: 'block', scrollback: 0 });
        globalThis.shotTerminal = term;
        term.open(document.getElementById('term'));
        // tmux carries the attributes from one line to the next, as a terminal does.
        const lines = ansi.replace(/\n$/, '').split('\n');
        await new Promise((resolve) => term.write(`${lines.join('\r\n')}\x1b[0m\x1b[${cursor.y + 1};${cursor.x + 1}H`, resolve));
        term.focus();
      },
      { ansi, cursor, cols: COLS, rows },
    );
    await this.page.locator('#frame').screenshot({ path: file });
    process.stdout.write(`${file}\n`);
  }

  async close() {
    await this.browser?.close();
  }
}

/** (a) A problem as you type, and its whole message in a float. */
async function diagnostics(dir, camera, out) {
  const nvim = new Editor(dir, 'diagnostics', 12).start('priority.formula');
  await nvim.waitForText('Priorty does not exist');
  nvim.command('call search("Priorty")');
  nvim.command('lua vim.diagnostic.open_float()');
  await nvim.waitForText('Diagnostics:', '1. Field Priorty does not exist. Did you mean Priority?');
  await camera.shoot(nvim.capture(), join(out, 'editor-neovim-diagnostics.png'));
  nvim.stop();
}

/** (b) `{!$Constants.` in a component definition's template: the constants, with their types. */
async function completion(dir, camera, out) {
  const nvim = new Editor(dir, 'completion').start('reason.json');
  await nvim.waitForServer();
  nvim.command('call search(\'"template": \\zs"\')');
  nvim.keys('a{!$Constants.', 'C-x', 'C-o');
  await nvim.waitFor('the popup with Title, Greeting and Options', (s) => /Title +Constant/.test(s) && /Greeting +Constant/.test(s) && /Options +\S+ +List<Option/.test(s));
  await camera.shoot(nvim.capture(), join(out, 'editor-neovim-completion.png'));
  nvim.stop();
}

/** (b) A function prefix in a formula: the functions with their signatures. */
async function functionCompletion(dir, camera, out) {
  const nvim = new Editor(dir, 'functions', 22).start('greeting.formula');
  await nvim.waitForServer();
  nvim.keys('2GA', 'LE', 'C-x', 'C-o');
  await nvim.waitFor('the popup with LEFT and LEN', (s) => /LEFT +Function +LEFT\(text: Text/.test(s) && /LEN +Function +LEN\(text: Text\)/.test(s));
  await camera.shoot(nvim.capture(), join(out, 'editor-neovim-completion-functions.png'));
  nvim.stop();
}

/** (c) Hover on ROUND: its signature, documentation, examples, and what this call returns. */
async function hover(dir, camera, out, hoverKeys) {
  const nvim = new Editor(dir, 'hover', 20).start('discount.formula');
  await nvim.waitForServer();
  nvim.keys('3G^'); // ROUND starts line 3
  nvim.keys(...hoverKeys);
  await nvim.waitForText('ROUND(number: Number, num_digits: Number) → Number', 'Rounds a number', 'This call returns Currency');
  await camera.shoot(nvim.capture(), join(out, 'editor-neovim-hover.png'));
  nvim.stop();
}

/** (d) The quick fix for a misspelled field; applying it clears the problem. */
async function quickFix(dir, camera, out) {
  const nvim = new Editor(dir, 'quickfix', 12).start('priority.formula');
  await nvim.waitForText('Priorty does not exist');
  nvim.command('call search("Priorty")');
  nvim.command('lua vim.lsp.buf.code_action()');
  await nvim.waitForText("Change 'Priorty' to 'Priority'");
  await camera.shoot(nvim.capture(), join(out, 'editor-neovim-quickfix.png'));
  nvim.keys('1', 'Enter');
  await nvim.waitFor('the fix applied and the problem gone', (s) => s.includes('ISPICKVAL(Priority, "High")') && !s.includes('does not exist'));
  nvim.stop();
}

async function main() {
  need('nvim', 'apt-get install neovim');
  need('tmux', 'apt-get install tmux');
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'lsp.js'))) fail('build Parlance first: npm run build');
  const [major, minor] = nvimVersion();
  const modern = major > 0 || minor >= 8;
  const dir = workspace(documentedConfig(modern ? '### Neovim 0.8 or later' : '### Neovim 0.7'));
  // K is hover in the 0.7 set-up and by default from Neovim 0.10.
  const hoverKeys = !modern || minor >= 10 || major > 0 ? ['K'] : [':lua vim.lsp.buf.hover()', 'Enter'];
  mkdirSync(options.out, { recursive: true });
  const camera = new Camera();
  const editor = new Editor(dir, 'none');
  try {
    await camera.open();
    await diagnostics(dir, camera, options.out);
    await completion(dir, camera, options.out);
    await functionCompletion(dir, camera, options.out);
    await hover(dir, camera, options.out, hoverKeys);
    await quickFix(dir, camera, options.out);
  } finally {
    await camera.close();
    spawnSync('tmux', ['-L', editor.socket, 'kill-server']);
    // Neovim may still be writing its state as it exits: retry, and never hide the run's own error.
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 10 });
    } catch (error) {
      process.stderr.write(`editor-screenshots: could not remove ${dir}: ${error.message}\n`);
    }
  }
}

main().catch((error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
