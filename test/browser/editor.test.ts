/**
 * The preview page's builder features (issue 21) in Debian's Chromium at 1440×900, against the
 * real server: the renders beside the editor and in view, completion of `$Constants.` in a
 * template, hover documentation of ROUND, a quick fix for a misspelt constant, the constants'
 * form view, "save as golden case" (the file passes `parlance test`), axe-core, a screenshot
 * of each channel's mock-up compared with the one kept under test/browser/screenshots/, schema
 * problems at their line and property-name completion (the component JSON schema), and
 * completion and a quick fix of a record parameter's fields (the server's GET /v1/objects).
 *
 * Screenshots: animations are off (reduced motion, Playwright's `animations: 'disabled'`), the
 * caret hidden, fonts the machine's own. A difference above the tolerance fails and writes the
 * new picture to test/artifacts/; PARLANCE_UPDATE_SCREENSHOTS=1 writes the kept ones instead
 * (review them before committing).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureChromium, root, startServer } from './harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the browser's globals, loosely (no DOM library here) */

const WAIT = 20_000;
const kept = join(root, 'test', 'browser', 'screenshots');
const artifacts = join(root, 'test', 'artifacts');
/** At most this share of pixels may differ (anti-aliasing, sub-pixel text) before a look change is reported. */
const TOLERANCE = 0.025;
/** PARLANCE_DOC_SCREENSHOTS=1 also writes the pictures of docs/preview.md. */
const docShots = process.env.PARLANCE_DOC_SCREENSHOTS === '1';
const docs = join(root, 'docs');

let server: ChildProcess;
let url = '';
let adminKey = '';
let browser: Browser;
let page: Page;
let scratch: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  const executablePath = ensureChromium();
  ({ server, url, adminKey } = await startServer());
  browser = await chromium.launch({ executablePath, args: ['--disable-dev-shm-usage', '--font-render-hinting=none', '--disable-lcd-text'] });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'UTC', reducedMotion: 'reduce', acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.fulfill({ status: 404, body: '' }));
  scratch = await context.newPage();
  mkdirSync(artifacts, { recursive: true });
}, 30 * 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

async function until(what: string, predicate: (arg: unknown) => unknown, arg?: unknown): Promise<void> {
  try {
    await page.waitForFunction(predicate, arg, { timeout: WAIT, polling: 50 });
  } catch {
    const shown = await page.evaluate(() => ({ status: document.querySelector('#render-status')?.textContent, problems: document.querySelector('#problems')?.textContent }));
    throw new Error(`Timed out waiting for ${what}. The page shows: ${JSON.stringify(shown, null, 2)}`);
  }
}

const definitionText = (): Promise<string> => page.evaluate(() => window.parlancePreview.definitionText() as string);
const setDefinition = (text: string): Promise<void> => page.evaluate((t) => window.parlancePreview.setDefinition(t), text);
const rendered = (): Promise<void> => until('the renders', () => /^Rendered /.test(document.querySelector('#render-status')?.textContent ?? ''));

async function paneFormat(pane: string, format: string): Promise<void> {
  await until(`${pane} to render as ${format}`, (a) => {
    const [id, f] = a as [string, string];
    const node = document.getElementById(id);
    return /^Rendered /.test(document.querySelector('#render-status')?.textContent ?? '') && node?.dataset.state === 'rendered' && node.dataset.format === f;
  }, [`pane-${pane}`, format]);
}

/** Waits until the mock-up of `pane` shows `text` (a render after an edit, whatever the format was before). */
async function paneShows(pane: string, text: string): Promise<void> {
  await until(`${pane} to show ${text}`, (a) => {
    const [id, t] = a as [string, string];
    const node = document.getElementById(id);
    return node?.dataset.state === 'rendered' && (node.querySelector('.mock-frame')?.textContent ?? '').includes(t);
  }, [`pane-${pane}`, text]);
}

/** Puts the caret at `offset` of the definition and moves the mouse over it. */
async function hoverAt(offset: number): Promise<void> {
  await page.evaluate((o) => window.parlancePreview.select(o), offset);
  const at = await page.evaluate((o) => window.parlancePreview.coords(o), offset);
  expect(at, `offset ${offset} is drawn`).not.toBeNull();
  await page.mouse.move(at.left + 3, (at.top + at.bottom) / 2);
}

/** Share of pixels that differ between two PNGs (by more than a small per-channel threshold), measured in a blank page's canvas. */
async function pixelDifference(a: Buffer, b: Buffer): Promise<{ sizeA: string; sizeB: string; share: number }> {
  return scratch.evaluate(
    async ([x, y]) => {
      const load = async (b64: string): Promise<any> => createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
      const [ia, ib] = [await load(x as string), await load(y as string)];
      const sizeA = `${ia.width}x${ia.height}`;
      const sizeB = `${ib.width}x${ib.height}`;
      if (sizeA !== sizeB) return { sizeA, sizeB, share: 1 };
      const pixels = (img: any): any => {
        const canvas = new OffscreenCanvas(img.width, img.height);
        const ctx = canvas.getContext('2d');
        ctx.drawImage(img, 0, 0);
        return ctx.getImageData(0, 0, img.width, img.height).data;
      };
      const [pa, pb] = [pixels(ia), pixels(ib)];
      let differ = 0;
      for (let i = 0; i < pa.length; i += 4) {
        if (Math.abs(pa[i] - pb[i]) > 48 || Math.abs(pa[i + 1] - pb[i + 1]) > 48 || Math.abs(pa[i + 2] - pb[i + 2]) > 48) differ++;
      }
      return { sizeA, sizeB, share: differ / (pa.length / 4) };
    },
    [a.toString('base64'), b.toString('base64')],
  );
}

declare const document: any;
declare const window: any;
declare function createImageBitmap(blob: unknown): Promise<any>;
declare class OffscreenCanvas {
  constructor(w: number, h: number);
  getContext(kind: string): any;
}

/** Compares the mock-up of a pane with the kept screenshot `name`.png. */
async function compareMockup(pane: string, name: string): Promise<void> {
  const shot = await page.locator(`#pane-${pane} .mock-frame`).screenshot({ animations: 'disabled', caret: 'hide', scale: 'css' });
  const file = join(kept, `${name}.png`);
  if (process.env.PARLANCE_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(kept, { recursive: true });
    writeFileSync(file, shot);
    return;
  }
  expect(existsSync(file), `${file} is kept (PARLANCE_UPDATE_SCREENSHOTS=1 writes it)`).toBe(true);
  const diff = await pixelDifference(readFileSync(file), shot);
  if (diff.share > TOLERANCE) writeFileSync(join(artifacts, `mockup-${name}.actual.png`), shot);
  expect({ name, size: diff.sizeB, differs: diff.share > TOLERANCE }, `${name}: ${(diff.share * 100).toFixed(2)}% of pixels differ (kept ${diff.sizeA}); the new picture is in test/artifacts/`).toEqual({ name, size: diff.sizeA, differs: false });
}

describe('the preview page as a builder (1440×900)', () => {
  it('loads the seed component and shows the renders beside the editor, in view', async () => {
    await page.goto(`${url}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: WAIT });
    await page.fill('#api-key', adminKey);
    await page.click('#use-key');
    await until('Reason_for_Contact', () => /Loaded Reason_for_Contact/.test(document.querySelector('#load-status')?.textContent ?? ''));
    await paneFormat('web', 'Buttons');
    const editor = await page.locator('#definition-editor').boundingBox();
    const mockup = await page.locator('#pane-messenger .pane-mockup').boundingBox();
    expect(editor).not.toBeNull();
    expect(mockup).not.toBeNull();
    // Side by side: the first render is right of the editor, and inside the 1440×900 viewport without scrolling.
    expect(mockup!.x).toBeGreaterThanOrEqual(editor!.x + editor!.width);
    expect(mockup!.y).toBeGreaterThanOrEqual(0);
    expect(mockup!.y + mockup!.height).toBeLessThanOrEqual(900);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    if (docShots) await page.screenshot({ path: join(docs, 'preview-1440.png'), animations: 'disabled', caret: 'hide' });
    // Channel names in full.
    const names = await page.$$eval('#pane-messenger-channel option', (os) => os.map((o) => o.textContent));
    expect(names).toContain('Enhanced Facebook Messenger');
    const select = await page.$eval('#pane-messenger-channel', (s) => [s.scrollWidth, s.clientWidth]);
    expect(select[0]).toBeLessThanOrEqual(select[1]);
  });

  it('offers the constants after {!$Constants. in a template', async () => {
    const text = await definitionText();
    const at = text.indexOf('{!$ListTemplates.OptionsList}') + '{!$ListTemplates.OptionsList}'.length;
    expect(at).toBeGreaterThan(100);
    await page.evaluate((o) => window.parlancePreview.select(o), at);
    await page.keyboard.type(' {!$Constants.');
    await page.waitForSelector('.cm-tooltip-autocomplete', { timeout: WAIT });
    const labels = await page.$$eval('.cm-tooltip-autocomplete li .cm-completionLabel', (ls) => ls.map((l) => l.textContent));
    expect(labels).toEqual(expect.arrayContaining(['Title', 'Options']));
    await page.keyboard.press('Escape');
    await setDefinition(text);
    await rendered();
  });

  it('shows the signature and documentation of ROUND on hover', async () => {
    const text = (await definitionText()).replace('{!$ListTemplates.OptionsList}"', '{!$ListTemplates.OptionsList} {!ROUND(1.25, 1)}"');
    await setDefinition(text);
    await hoverAt(text.indexOf('ROUND(') + 1);
    await page.waitForSelector('.cm-tooltip-hover .cm-hover-doc', { timeout: WAIT });
    const shown = (await page.textContent('.cm-tooltip-hover .cm-hover-doc')) ?? '';
    expect(shown).toContain('ROUND(');
    expect(shown.toLowerCase()).toContain('round');
    expect(shown.length).toBeGreaterThan(40);
    if (docShots) {
      const box = (await page.locator('#definition-editor').boundingBox())!;
      await page.screenshot({ path: join(docs, 'preview-editor.png'), clip: { x: box.x - 4, y: Math.max(0, box.y - 60), width: Math.min(box.width + 420, 1440 - box.x), height: box.height + 64 }, animations: 'disabled' });
    }
    await page.mouse.move(0, 0);
    await setDefinition(text.replace(' {!ROUND(1.25, 1)}', ''));
    await rendered();
  });

  it('offers the fix for a misspelt constant; applying it clears the problem', async () => {
    const valid = await definitionText();
    const text = valid.replace('{!$ListTemplates.OptionsList}"', '{!$ListTemplates.OptionsList} {!$Constants.Titel}"');
    await setDefinition(text);
    await until('the lint mark', () => document.querySelector('#definition-editor .cm-lintRange-error') !== null);
    // The lint tooltip on the misspelt name offers the fix.
    await hoverAt(text.indexOf('Titel') + 2);
    await page.waitForSelector('.cm-tooltip-lint .cm-diagnosticAction', { timeout: WAIT });
    expect(await page.textContent('.cm-tooltip-lint')).toContain('Did you mean Title?');
    // Applied from the problems panel (Ctrl+Shift+M), which lists each problem with its fixes.
    await page.mouse.move(0, 0);
    await page.evaluate((o) => window.parlancePreview.select(o), text.indexOf('Titel'));
    await page.keyboard.press('Control+Shift+M');
    const action = page.locator('.cm-panel-lint .cm-diagnosticAction', { hasText: 'Title' });
    await action.waitFor({ timeout: WAIT });
    await action.click();
    await until('the fixed text', () => window.parlancePreview.definitionText().includes('{!$Constants.Title}'));
    expect(await definitionText()).toBe(valid.replace('{!$ListTemplates.OptionsList}"', '{!$ListTemplates.OptionsList} {!$Constants.Title}"'));
    await until('no lint mark', () => document.querySelector('#definition-editor .cm-lintRange-error') === null);
    await rendered();
    expect(await page.textContent('#problems-summary')).toBe('No problems.');
    await setDefinition(valid);
    await rendered();
  });

  it('edits the options in the form view: rename, add, reorder, remove, kept in sync with the JSON', async () => {
    await page.fill('#const-Options-1-Name', 'Change address');
    await page.fill('#const-Options-2-Name', 'Change date');
    // The format was Buttons before the edit too: wait for the renders that show the new names.
    for (const pane of ['messenger', 'web', 'in-app', 'text']) await paneShows(pane, 'Change date');
    await paneFormat('messenger', 'Buttons');
    expect(JSON.parse(await definitionText()).constants.Options.value.map((o: { Name: string }) => o.Name)).toEqual(['Cancel my order', 'Change address', 'Change date']);
    await compareMockup('messenger', 'FacebookEnhanced-buttons');
    await compareMockup('web', 'EmbeddedWeb-buttons');
    await compareMockup('in-app', 'EmbeddedInApp-buttons');
    await compareMockup('text', 'SmsLongCode-text');

    await page.click('button[aria-label="Add an option to Options"]');
    await page.click('button[aria-label="Add an option to Options"]');
    // Four options are QuickReplies already: wait for the render of all five.
    await paneShows('messenger', 'Option 5');
    await paneFormat('messenger', 'QuickReplies');
    expect(JSON.parse(await page.inputValue('#constants')).Options).toHaveLength(5);
    expect(await page.$$eval('#pane-messenger .mock-chip', (cs) => cs.map((c) => c.textContent))).toEqual(['Cancel my order', 'Change address', 'Change date', 'Option 4', 'Option 5']);
    await compareMockup('messenger', 'FacebookEnhanced-quick-replies');
    if (docShots) {
      // A taller window, so the renders column shows all four panes at once.
      await page.setViewportSize({ width: 1440, height: 1800 });
      await page.locator('#panes').screenshot({ path: join(docs, 'preview-mockups.png'), animations: 'disabled', caret: 'hide' });
      await page.setViewportSize({ width: 1440, height: 900 });
    }

    await page.click('button[aria-label="Move option 5 up"]');
    await until('the moved option', () => window.parlancePreview.definitionText().indexOf('Option 5') < window.parlancePreview.definitionText().indexOf('Option 4'));
    await page.click('button[aria-label="Remove option 5"]');
    await page.click('button[aria-label="Remove option 4"]');
    await paneFormat('messenger', 'Buttons');
    expect(JSON.parse(await definitionText()).constants.Options.value.map((o: { Name: string }) => o.Name)).toEqual(['Cancel my order', 'Change address', 'Change date']);
  });

  it('saves a pane as a golden case that `parlance test` accepts', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#pane-messenger .pane-golden')]);
    expect(download.suggestedFilename()).toBe('Reason_for_Contact-FacebookEnhanced.case.json');
    const dir = mkdtempSync(join(tmpdir(), 'parlance-golden-'));
    await download.saveAs(join(dir, download.suggestedFilename()));
    const saved = JSON.parse(readFileSync(join(dir, download.suggestedFilename()), 'utf8'));
    expect(saved).toMatchObject({ channel: 'FacebookEnhanced', component: { name: 'Reason_for_Contact' }, now: expect.stringMatching(/Z$/) });
    const cli = (args: string[]): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [join(root, 'bin', 'parlance.js'), 'test', dir, ...args], { encoding: 'utf8' });
    const created = cli(['--update']);
    expect(created.status, String(created.stdout) + String(created.stderr)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['Reason_for_Contact-FacebookEnhanced.case.json', 'Reason_for_Contact-FacebookEnhanced.expected.json']);
    const expected = JSON.parse(readFileSync(join(dir, 'Reason_for_Contact-FacebookEnhanced.expected.json'), 'utf8'));
    expect(expected.format).toBe('Buttons');
    expect(cli([]).status).toBe(0);
  });

  it('passes axe-core with the completion list open', async () => {
    const text = await definitionText();
    await page.evaluate((o) => window.parlancePreview.select(o), text.indexOf('{!$ListTemplates.OptionsList}') + '{!$ListTemplates.OptionsList}'.length);
    await page.keyboard.type(' {!$Constants.');
    await page.waitForSelector('.cm-tooltip-autocomplete', { timeout: WAIT });
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(results.passes.map((r) => r.id)).toEqual(expect.arrayContaining(['color-contrast', 'label', 'button-name']));
    expect(results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.keyboard.press('Escape');
    await setDefinition(text);
    await rendered();
  });

  it('stacks the renders under the definition on a narrow screen', async () => {
    await page.setViewportSize({ width: 800, height: 900 });
    const editor = await page.locator('#definition-editor').boundingBox();
    const pane = await page.locator('#pane-messenger').boundingBox();
    expect(pane!.y).toBeGreaterThan(editor!.y + editor!.height);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('shows a schema problem at its line: an unknown property and a mistyped one, from the bundled component schema', async () => {
    const valid = await definitionText();
    const lines = valid.split('\n');
    const labelLine = lines.findIndex((l) => /^ {2}"label": /.test(l));
    expect(labelLine).toBeGreaterThan(0);
    // An unknown property after "label", and "label" itself a number.
    const edited = [...lines.slice(0, labelLine), '  "label": 5,', '  "colour": "red",', ...lines.slice(labelLine + 1)].join('\n');
    await setDefinition(edited);
    await until('the schema problems', () => window.parlancePreview.diagnostics().filter((d: any) => d.source === 'schema').length >= 2);
    const schema = (await page.evaluate(() => window.parlancePreview.diagnostics())).filter((d: any) => d.source === 'schema');
    const colour = schema.find((d: any) => d.message.includes('colour'));
    expect(colour, JSON.stringify(schema)).toMatchObject({ line: labelLine + 2, severity: 'error' });
    expect(edited.slice(colour.from, colour.to)).toBe('"colour"');
    const label = schema.find((d: any) => d.line === labelLine + 1);
    expect(label, JSON.stringify(schema)).toBeDefined();
    expect(label.message).toMatch(/string/);
    expect(edited.slice(label.from, label.to)).toBe('5');
    // The editor shows it: the name underlined on its line.
    await until('the mark on "colour"', () => [...document.querySelectorAll('#definition-editor .cm-lintRange-error')].some((m: any) => m.textContent === '"colour"' && m.closest('.cm-line')?.textContent.trim() === '"colour": "red",'));
    // Not JSON: the syntax error once (the language service's), no schema problems on top of it.
    await setDefinition(edited.replace('"colour": "red",', '"colour": "red",,'));
    await until('the syntax error', () => window.parlancePreview.diagnostics().some((d: any) => d.source === 'E_INVALID_JSON'));
    expect((await page.evaluate(() => window.parlancePreview.diagnostics())).filter((d: any) => d.source === 'schema')).toEqual([]);
    // Both checkers object to a list template's source that names a field: the language service's problem is shown, the schema's pattern problem is not.
    const source = '"source": "$Constants.Options"';
    expect(valid).toContain(source);
    const badSource = valid.replace(source, '"source": "$Constants.Options.Name"');
    await setDefinition(badSource);
    await until('the source problem', () => window.parlancePreview.diagnostics().length > 0);
    const onSource = (await page.evaluate(() => window.parlancePreview.diagnostics())).filter((d: any) => d.from < badSource.indexOf('.Name"') && d.to > badSource.indexOf('"$Constants.Options.Name"'));
    expect(onSource.map((d: any) => d.source), JSON.stringify(onSource)).toEqual([expect.stringMatching(/^E_/)]);
    await setDefinition(valid);
    await until('no schema problem', () => window.parlancePreview.diagnostics().length === 0);
    await rendered();
  });

  it('completes property names and enum values from the schema, with their descriptions', async () => {
    const valid = await definitionText();
    // A new, empty property name at the top of the definition.
    const text = valid.replace(/^\{\n/, '{\n  "": "",\n');
    await setDefinition(text);
    await page.evaluate((o) => window.parlancePreview.select(o), text.indexOf('""') + 1);
    await page.keyboard.press('Control+Space');
    await page.waitForSelector('.cm-tooltip-autocomplete', { timeout: WAIT });
    const labels = await page.$$eval('.cm-tooltip-autocomplete li .cm-completionLabel', (ls) => ls.map((l) => l.textContent));
    expect(labels).toEqual(expect.arrayContaining(['parameters', 'globals']));
    // Properties already there are not offered again.
    expect(labels).not.toContain('formats');
    // Typing narrows the list to `globals`, whose schema description is shown beside it.
    await page.keyboard.type('glob');
    await until('the description of globals', () => (document.querySelector('.cm-completionInfo')?.textContent ?? '').includes('Salesforce globals'));
    expect(await page.$$eval('.cm-tooltip-autocomplete li .cm-completionLabel', (ls) => ls.map((l) => l.textContent))).toEqual(['globals']);
    await page.keyboard.press('Escape');
    // Enum values: a format's type.
    await setDefinition(valid);
    const at = valid.indexOf('"type": "Buttons"') + '"type": "'.length;
    expect(at).toBeGreaterThan(100);
    await page.evaluate(([from, to]) => window.parlancePreview.select(from, to), [at, at + 'Buttons'.length]);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+Space');
    await page.waitForSelector('.cm-tooltip-autocomplete', { timeout: WAIT });
    const values = await page.$$eval('.cm-tooltip-autocomplete li .cm-completionLabel', (ls) => ls.map((l) => l.textContent));
    expect(values.map((v) => String(v).replace(/"/g, ''))).toEqual(expect.arrayContaining(['Buttons', 'QuickReplies', 'Text']));
    await page.keyboard.press('Escape');
    await setDefinition(valid);
    await rendered();
  });

  it('shows the schema\'s description of a property on hover', async () => {
    const text = await definitionText();
    await hoverAt(text.indexOf('"label"') + 3);
    await page.waitForSelector('.cm-tooltip-hover .cm-schema-doc', { timeout: WAIT });
    expect(await page.textContent('.cm-tooltip-hover .cm-schema-doc')).toContain('The display name agents see');
    // Inside a formula or template the language service answers instead (ROUND's documentation, above).
    await page.mouse.move(0, 0);
  });

  it('completes the fields of a record parameter from the server\'s objects, with their types', async () => {
    await until('the object definitions', () => Number(document.body.dataset.objects ?? 0) > 0);
    await page.selectOption('#component-select', 'Case_Follow_Up');
    await page.click('#load-component');
    await until('Case_Follow_Up', () => /Loaded Case_Follow_Up/.test(document.querySelector('#load-status')?.textContent ?? ''));
    await rendered();
    const text = await definitionText();
    const at = text.indexOf('{!$Parameters.MyCaseParam.Subject}') + '{!$Parameters.MyCaseParam.Subject}'.length;
    expect(at).toBeGreaterThan(100);
    // The problems list (opened by an earlier test) closed, for the picture.
    if (docShots) {
      if ((await page.$('.cm-panel-lint button[name="close"]')) !== null) await page.click('.cm-panel-lint button[name="close"]');
      // A taller window, so the list below the template is inside it.
      await page.setViewportSize({ width: 1440, height: 1400 });
    }
    await page.evaluate((o) => window.parlancePreview.select(o), at);
    await page.keyboard.type(' {!$Parameters.MyCaseParam.');
    await page.waitForSelector('.cm-tooltip-autocomplete', { timeout: WAIT });
    const items = await page.$$eval('.cm-tooltip-autocomplete li', (ls) => ls.map((l) => [l.querySelector('.cm-completionLabel')?.textContent, l.querySelector('.cm-completionDetail')?.textContent ?? '']));
    const labels = items.map(([l]) => l);
    expect(labels).toEqual(expect.arrayContaining(['CaseNumber', 'Priority', 'Status', 'Account']));
    expect(items.find(([l]) => l === 'Priority')?.[1]).toContain('Picklist');
    expect(items.find(([l]) => l === 'CaseNumber')?.[1]).toContain('Text');
    if (docShots) {
      // The end of the template and the whole list.
      const box = (await page.locator('#definition-editor').boundingBox())!;
      await until('the list placed', () => (document.querySelector('.cm-tooltip-autocomplete')?.getBoundingClientRect().top ?? -1) >= 0);
      const list = (await page.locator('.cm-tooltip-autocomplete').boundingBox())!;
      const top = Math.max(0, list.y - 260);
      await page.screenshot({ path: join(docs, 'preview-fields.png'), clip: { x: box.x - 4, y: top, width: box.width + 8, height: list.y + list.height + 8 - top }, animations: 'disabled' });
      await page.setViewportSize({ width: 1440, height: 900 });
    }
    await page.keyboard.press('Escape');
    await setDefinition(text);
    await rendered();
  });

  it('offers the fix for a misspelled record field; applying it clears the problem', async () => {
    const valid = await definitionText();
    const text = valid.replace('{!$Parameters.MyCaseParam.Subject}', '{!$Parameters.MyCaseParam.Subjct}');
    expect(text).not.toBe(valid);
    await setDefinition(text);
    await until('the lint mark', () => document.querySelector('#definition-editor .cm-lintRange-error') !== null);
    const problem = (await page.evaluate(() => window.parlancePreview.diagnostics())).find((d: any) => d.severity === 'error');
    expect(problem.actions).toEqual([expect.stringContaining("'Subject'")]);
    expect(text.slice(problem.from, problem.to)).toContain('Subjct');
    await hoverAt(text.indexOf('Subjct') + 2);
    await page.waitForSelector('.cm-tooltip-lint .cm-diagnosticAction', { timeout: WAIT });
    expect(await page.textContent('.cm-tooltip-lint')).toContain('Did you mean Subject?');
    await page.click('.cm-tooltip-lint .cm-diagnosticAction');
    await until('the fixed text', () => window.parlancePreview.definitionText().includes('{!$Parameters.MyCaseParam.Subject}'));
    expect(await definitionText()).toBe(valid);
    await until('no lint mark', () => document.querySelector('#definition-editor .cm-lintRange-error') === null);
    await page.mouse.move(0, 0);
    await rendered();
    expect(await page.textContent('#problems-summary')).toBe('No problems.');
  });

  it('had no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
