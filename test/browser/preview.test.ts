/**
 * The preview page (docs/preview.md) in a real browser: Debian's Chromium driven by
 * playwright-core, against the real server (`parlance serve --dev`, what `npm start` runs, on a
 * fresh store with the sample components). It picks the seed's OptionsList component, switches
 * option counts and channels, checks the mock-ups and the skipped formats, locates errors in the
 * edited text, runs axe-core, and saves with a preview key (403) and an admin key.
 *
 * When no Chromium is found, scripts/ensure-chromium.sh installs Debian's package (as root or
 * with password-less sudo); when that fails too, the tests fail and say how to install one.
 * Screenshots go to test/artifacts/ (not committed).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureChromium, PREVIEW_KEY, root, startServer } from './harness.js';

// The callbacks given to page.evaluate and page.waitForFunction run in the browser; TypeScript
// here compiles them without the DOM library, so the browser's globals are declared loosely.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const sessionStorage: any;
declare const localStorage: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

const artifacts = join(root, 'test', 'artifacts');

const WAIT = 20_000;

let server: ChildProcess;
let url = '';
let adminKey = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  const executablePath = ensureChromium();
  ({ server, url, adminKey } = await startServer());
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({ executablePath, args: ['--disable-dev-shm-usage'] });
  context = await browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'en-US', timezoneId: 'UTC' });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // Component images point at example.com: answer them here, so the page never waits on the network.
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.fulfill({ status: 404, body: '' }));
}, 30 * 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

// ------------------------------------------------------------------------------------------------
// Helpers.

/** Waits until `predicate` holds in the page; on a time-out, fails with what the page shows. */
async function until(what: string, predicate: (arg: unknown) => unknown, arg?: unknown): Promise<void> {
  try {
    await page.waitForFunction(predicate, arg, { timeout: WAIT, polling: 50 });
  } catch {
    const shown = await page.evaluate(() => ({
      status: document.querySelector('#render-status')?.textContent,
      problems: document.querySelector('#problems')?.textContent,
      panes: [...document.querySelectorAll('.pane')].map((p) => `${p.id} [${p.dataset.state}/${p.dataset.format}]: ${p.querySelector('.pane-skipped')?.textContent ?? ''}`),
    }));
    throw new Error(`Timed out waiting for ${what}. The page shows: ${JSON.stringify(shown, null, 2)}`);
  }
}

/**
 * Waits until a pane shows a render in the given format and the page's update cycle has finished
 * (the status says `Rendered …`): a pane can still show the previous render's format while a newer
 * update is checking or rendering, so the pane alone doesn't say the page has settled.
 */
async function paneFormat(pane: string, format: string): Promise<void> {
  await until(`${pane} to render as ${format}`, (a) => {
    const [id, f] = a as [string, string];
    const node = document.getElementById(id);
    const settled = /^Rendered /.test(document.querySelector('#render-status')?.textContent ?? '');
    return settled && node?.dataset.state === 'rendered' && node.dataset.format === f;
  }, [`pane-${pane}`, format]);
}

async function skippedCodes(pane: string): Promise<string[]> {
  return page.$$eval(`#pane-${pane} .pane-skipped li`, (items) => items.map((li) => `${li.querySelector('strong')?.textContent}:${li.dataset.code}`));
}

async function texts(selector: string): Promise<string[]> {
  return page.$$eval(selector, (nodes) => nodes.map((n) => (n.textContent ?? '').trim()));
}

/** Replaces an editor's text: the textareas by filling them, the definition's CodeMirror editor as if typed. */
async function setEditor(id: string, text: string): Promise<void> {
  if (id === 'definition') await page.evaluate((t) => window.parlancePreview.setDefinition(t), text);
  else await page.fill(`#${id}`, text);
}

async function useKey(key: string): Promise<void> {
  await page.fill('#api-key', key);
  await page.click('#use-key');
  await until('the key to be accepted', () => /Key in use/.test(document.querySelector('#key-status')?.textContent ?? ''));
}

async function screenshot(name: string, selector?: string): Promise<void> {
  const path = join(artifacts, `preview-${name}.png`);
  if (selector === undefined) await page.screenshot({ path, fullPage: true });
  else await page.locator(selector).screenshot({ path });
  expect(existsSync(path), path).toBe(true);
}

async function axeViolations(): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  // axe ran its rules on the page (color-contrast among them), not on an empty document.
  expect(results.passes.map((r) => r.id)).toEqual(expect.arrayContaining(['color-contrast', 'label', 'button-name']));
  return results.violations.map((v) => `${v.id} (${v.impact ?? ''}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const definitionText = (): Promise<string> => page.evaluate(() => window.parlancePreview.definitionText() as string);

// ------------------------------------------------------------------------------------------------

describe('the preview page', () => {
  it('loads at / and asks for a key before it calls the API', async () => {
    const response = await page.goto(`${url}/`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('body[data-ready="true"]', { timeout: WAIT });
    expect(await page.title()).toBe('Parlance preview');
    expect(await page.textContent('#render-status')).toContain('Enter an API key');
    expect(await page.$$eval('.pane', (panes) => panes.map((p) => p.id))).toEqual(['pane-messenger', 'pane-web', 'pane-in-app', 'pane-text']);
  });

  it('lists the stored components with a preview key, and loads the seed\'s OptionsList component', async () => {
    await useKey(PREVIEW_KEY);
    const names = await page.$$eval('#component-select option', (options) => options.map((o) => o.value));
    expect(names).toEqual(expect.arrayContaining(['Reason_for_Contact', 'Which_Case', 'Welcome_Terms']));
    await page.selectOption('#component-select', 'Reason_for_Contact');
    await page.click('#load-component');
    await until('the load message', () => /Loaded Reason_for_Contact, version 1/.test(document.querySelector('#load-status')?.textContent ?? ''));
    expect(JSON.parse(await definitionText())).toMatchObject({ name: 'Reason_for_Contact', type: 'QuestionStaticOptions' });
    expect(JSON.parse(await page.inputValue('#constants'))).toMatchObject({ Title: 'What do you need help with?', Options: [{ Name: 'Cancel my order' }, { Name: 'Change my shipping address' }, { Name: 'Change the delivery date' }] });
    expect(await page.inputValue('#option-count')).toBe('3');

    await paneFormat('web', 'Buttons');
    await paneFormat('in-app', 'Buttons');
    await paneFormat('messenger', 'Text');
    await paneFormat('text', 'Text');
    expect(await texts('#pane-web .mockup .mock-button')).toEqual(['Cancel my order', 'Change my shipping address', 'Change the delivery date']);
    expect(await texts('#pane-web .mockup .bubble')).toEqual(['What do you need help with?']);
    // The seed's option title has 26 characters: more than Messenger's 20, so both option formats are skipped.
    expect(await skippedCodes('messenger')).toEqual(['Buttons:FIELD_TOO_LONG', 'QuickReplies:FIELD_TOO_LONG']);
    expect(await page.textContent('#pane-messenger .pane-skipped')).toContain('allows 20');
    expect(await texts('#pane-text .mockup .bubble')).toEqual(['What do you need help with?\nSelect an option:\n1. Cancel my order\n2. Change my shipping address\n3. Change the delivery date']);
    // Loading the component starts one more update cycle (debounced) after the first render: wait
    // for its status rather than reading the status while it may still say `Rendering…`.
    await until('the render status', () => /^Rendered Reason_for_Contact\./.test(document.querySelector('#render-status')?.textContent ?? ''));
    // The native payload, collapsed until opened.
    expect(await page.isVisible('#pane-web .payload')).toBe(false);
    await page.click('#pane-web .pane-payload summary');
    expect(JSON.parse((await page.textContent('#pane-web .payload')) ?? '')).toMatchObject({ platform: 'embedded', messages: [{ messageType: 'ChoicesMessage', choices: { formatType: 'Buttons' } }] });
  });

  it('switches option counts: 5 options skip Buttons with TOO_MANY_OPTIONS; 3 options on Messenger are Buttons, 5 Quick Replies', async () => {
    await page.fill('#option-count', '5');
    await paneFormat('web', 'QuickReplies');
    expect(await skippedCodes('web')).toEqual(['Buttons:TOO_MANY_OPTIONS']);
    expect(await page.textContent('#pane-web .pane-skipped')).toContain('5 options; Buttons shows at most 3');
    expect(await texts('#pane-web .mockup .mock-chip')).toEqual(['Cancel my order', 'Change my shipping address', 'Change the delivery date', 'Option 4', 'Option 5']);
    await until('Messenger to skip Buttons for the count', () => document.querySelector('#pane-messenger .pane-skipped')?.textContent?.includes('TOO_MANY_OPTIONS'));
    expect(await skippedCodes('messenger')).toEqual(['Buttons:TOO_MANY_OPTIONS', 'QuickReplies:FIELD_TOO_LONG']);
    // The count wrote the options into the definition, and the constants show them.
    expect(JSON.parse(await definitionText()).constants.Options.value).toHaveLength(5);
    expect(JSON.parse(await page.inputValue('#constants')).Options).toHaveLength(5);

    // Titles that fit Messenger's 20 characters, typed in the constants editor.
    const constants = await page.inputValue('#constants');
    await setEditor('constants', constants.replace('Change my shipping address', 'Change address').replace('Change the delivery date', 'Change date'));
    await paneFormat('messenger', 'QuickReplies');
    expect(await skippedCodes('messenger')).toEqual(['Buttons:TOO_MANY_OPTIONS']);
    expect(await texts('#pane-messenger .mockup .mock-chip')).toEqual(['Cancel my order', 'Change address', 'Change date', 'Option 4', 'Option 5']);
    expect(JSON.parse(await definitionText()).constants.Options.value[1]).toEqual({ Name: 'Change address', Id: 'change_address' });
    await screenshot('FacebookEnhanced-5-options', '#pane-messenger');

    await page.fill('#option-count', '3');
    await paneFormat('messenger', 'Buttons');
    expect(await skippedCodes('messenger')).toEqual([]);
    expect(await texts('#pane-messenger .mockup .mock-button')).toEqual(['Cancel my order', 'Change address', 'Change date']);
    await paneFormat('web', 'Buttons');
    await page.click('#pane-messenger .pane-payload summary');
    expect(JSON.parse((await page.textContent('#pane-messenger .payload')) ?? '')).toMatchObject({ platform: 'messenger', messages: [{ attachment: { type: 'template', payload: { template_type: 'button' } } }] });

    // Screenshots per channel.
    await screenshot('FacebookEnhanced', '#pane-messenger');
    await screenshot('EmbeddedWeb', '#pane-web');
    await screenshot('EmbeddedInApp', '#pane-in-app');
    await screenshot('SmsLongCode', '#pane-text');
    await screenshot('page');
  });

  it('switches channels, shows why a channel refuses a component, and the Text version on text channels', async () => {
    await page.selectOption('#pane-web-channel', 'FacebookStandard');
    await until('the refusal on standard Messenger', () => document.querySelector('#pane-web')?.getAttribute('data-state') === 'error');
    expect(await page.textContent('#pane-web .problem')).toContain('E_CHANNEL_UNSUPPORTED');
    expect(await page.textContent('#pane-web .pane-title')).toBe('Standard Facebook Messenger');
    // The refusal points at the page's own checkbox, not at the API's `"fallback": "text"`.
    expect(await page.textContent('#pane-web .problem')).toContain('Tick "Fall back to the Text version"');
    expect(await page.textContent('#pane-web .problem')).not.toContain('Send "fallback"');
    await page.click('#pane-web .problem button:has-text("Fall back to the Text version")');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('fallback');
    await page.check('#fallback');
    await paneFormat('web', 'Text');
    expect(await skippedCodes('web')).toEqual(['Buttons:CHANNEL_UNSUPPORTED', 'QuickReplies:CHANNEL_UNSUPPORTED']);
    await screenshot('FacebookStandard', '#pane-web');

    await page.selectOption('#pane-text-channel', 'WhatsAppEnhanced');
    await until('the WhatsApp payload', () => document.querySelector('#pane-text .payload')?.textContent?.includes('"messaging_product": "whatsapp"'));
    expect(await page.getAttribute('#pane-text .mockup', 'data-platform')).toBe('whatsapp');
    await screenshot('WhatsAppEnhanced', '#pane-text');

    await page.uncheck('#fallback');
    await page.selectOption('#pane-web-channel', 'EmbeddedWeb');
    await page.selectOption('#pane-text-channel', 'SmsLongCode');
    await paneFormat('web', 'Buttons');
    await until('SMS again', () => document.querySelector('#pane-text .payload')?.textContent?.includes('"platform": "sms"'));
  });

  it('shows a JSON syntax error and a template error at their line and column in the edited text, keeping the last renders', async () => {
    const valid = await definitionText();

    // A missing comma: reported where the next property starts.
    const afterLabel = valid.indexOf('"label": "Reason for Contact",') + '"label": "Reason for Contact"'.length;
    expect(afterLabel).toBeGreaterThan(0);
    const noComma = valid.slice(0, afterLabel) + valid.slice(afterLabel + 1);
    await setEditor('definition', noComma);
    const next = afterLabel + /^\s*/.exec(noComma.slice(afterLabel))![0].length;
    const lines = noComma.slice(0, next).split('\n');
    const syntax = { line: lines.length, column: (lines[lines.length - 1] as string).length + 1 };
    await until('the JSON syntax error', () => document.querySelector('#problems')?.textContent?.includes('E_INVALID_JSON'));
    expect(await page.textContent('#problems')).toContain(`line ${syntax.line}, column ${syntax.column}`);
    expect(await page.textContent('#problems')).toContain('expected "," or "}" after the value of "label"');
    await until('stale renders', () => document.querySelector('#pane-messenger')?.getAttribute('data-state') === 'stale');
    expect(await texts('#pane-messenger .mockup .mock-button')).toEqual(['Cancel my order', 'Change address', 'Change date']);
    expect(await definitionText()).toBe(noComma);

    // A misspelt constant on the third line of the Text template (inside a JSON string with \n escapes).
    const withError = valid.replace('{!$ListTemplates.OptionsList}"', '{!$ListTemplates.OptionsList} {!$Constants.Titel}"');
    expect(withError).not.toBe(valid);
    await setEditor('definition', withError);
    await until('the template error', () => document.querySelector('#problems')?.textContent?.includes('E_UNKNOWN_FIELD'));
    const offset = withError.indexOf('Titel');
    const before = withError.slice(0, offset).split('\n');
    const expected = { line: before.length, column: (before[before.length - 1] as string).length + 1 };
    const problem = (await texts('#problems li')).find((t) => t.includes('E_UNKNOWN_FIELD')) ?? '';
    expect(problem).toContain('Constant Titel does not exist. Did you mean Title?');
    expect(problem).toContain(`line ${expected.line}, column ${expected.column}`);
    expect(problem).toContain('/formats/2/template');
    expect(problem).toMatch(/line 3, column \d+ of the template/);
    expect(await page.getAttribute(`#definition-editor .cm-line[data-line="${expected.line}"]`, 'class')).toContain('mark-error');
    expect(await page.getAttribute('#pane-web', 'data-state')).toBe('stale');
    expect(await page.textContent('#render-status')).toContain('The definition has 1 error');

    // "Go to" puts the caret on the misspelt name.
    await page.click(`#problems button[aria-label="Go to line ${expected.line}, column ${expected.column} of the definition"]`);
    expect(await page.evaluate(() => [document.activeElement?.id, ...window.parlancePreview.selection()])).toEqual(['definition', offset, offset + 'Titel'.length]);
    expect(await page.textContent('#definition-caret')).toBe(`Line ${expected.line}, column ${expected.column}`);
    await screenshot('template-error');

    // Nothing typed was lost; fixing it renders again.
    expect(await definitionText()).toBe(withError);
    await setEditor('definition', valid);
    await paneFormat('messenger', 'Buttons');
    expect(await page.textContent('#problems-summary')).toBe('No problems.');
  });

  it('passes axe-core with renders, problems and a refused save on the page', async () => {
    expect(await axeViolations()).toEqual([]);
    await setEditor('definition', (await definitionText()).replace('{!$ListTemplates.OptionsList}"', '{!$ListTemplates.OptionsList} {!$Constants.Titel}"'));
    await until('the template error', () => document.querySelector('#problems')?.textContent?.includes('E_UNKNOWN_FIELD'));
    await page.click('#save');
    await page.waitForSelector('#save-result .problem', { timeout: WAIT });
    await page.click('#pane-in-app .pane-payload summary');
    expect(await axeViolations()).toEqual([]);
    await setEditor('definition', (await definitionText()).replace(' {!$Constants.Titel}', ''));
    await paneFormat('messenger', 'Buttons');
  });

  it('works from the keyboard: a tab order through labelled controls, each with a visible focus', async () => {
    await page.focus('.skip-link');
    const visited: { id: string; tag: string; label: string; outline: string }[] = [];
    for (let i = 0; i < 150; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const a = document.activeElement;
        if (a === null || a === document.body) return undefined;
        // The textareas show their focus on their frame, the CodeMirror editor on .cm-editor.
        const styled = a.tagName === 'TEXTAREA' ? a.closest('.editor') : a.classList.contains('cm-content') ? a.closest('.cm-editor') : a;
        const style = window.getComputedStyle(styled);
        const labels = a.labels;
        const label = a.getAttribute('aria-label') ?? (labels && labels.length > 0 ? labels[0]!.textContent : a.textContent) ?? '';
        return { id: a.id, tag: a.tagName.toLowerCase(), label: label.trim(), outline: `${style.outlineStyle} ${style.outlineWidth}` };
      });
      if (focused === undefined) break;
      visited.push(focused);
      if (focused.id === 'pane-text-channel') break;
    }
    const ids = visited.map((v) => v.id).filter((id) => id !== '');
    const order = ['api-key', 'remember-key', 'use-key', 'component-select', 'load-component', 'refresh-components', 'definition', 'save', 'constants', 'parameters', 'option-count', 'timezone', 'locale', 'now', 'fallback', 'pane-messenger-channel', 'pane-web-channel', 'pane-in-app-channel', 'pane-text-channel'];
    expect(ids.filter((id) => order.includes(id))).toEqual(order);
    for (const v of visited) {
      expect(v.label, `${v.tag}#${v.id} has a label`).not.toBe('');
      expect(v.outline, `${v.tag}#${v.id} shows its focus`).toMatch(/^solid [3-9]/);
      // The definition's editor is CodeMirror's contenteditable div (role textbox).
      expect(['a', 'button', 'input', 'select', 'textarea', 'summary', 'pre', ...(v.id === 'definition' ? ['div'] : [])], `${v.tag}#${v.id}`).toContain(v.tag);
    }
    // Buttons are buttons: nothing else reacts to clicks.
    expect(await page.$$eval('[onclick], [role="button"], a:not([href])', (nodes) => nodes.length)).toBe(0);
    // Ctrl+Enter renders at once.
    await page.focus('#definition');
    await page.keyboard.press('Control+Enter');
    await until('a render after Ctrl+Enter', () => /^Rendered /.test(document.querySelector('#render-status')?.textContent ?? ''));
  });

  it('saves only with the admin scope: a preview key gets a readable 403, an admin key stores a new version', async () => {
    const text = await definitionText();
    await page.click('#save');
    await until('the 403', () => document.querySelector('#save-result .problem')?.textContent?.includes('(403)'));
    const refused = (await page.textContent('#save-result .problem')) ?? '';
    expect(refused).toContain('Forbidden (403)');
    expect(refused).toContain('needs admin');
    expect(refused).toContain('Saving needs a key with the admin scope');
    expect(await page.getAttribute('#save-result .problem', 'role')).toBe('alert');
    expect(await definitionText()).toBe(text);

    await useKey(adminKey);
    await page.click('#save');
    await until('the saved version', () => /Saved Reason_for_Contact as version 2/.test(document.querySelector('#save-result')?.textContent ?? ''));
    const stored = await fetch(`${url}/v1/components/Reason_for_Contact`, { headers: { authorization: `Bearer ${adminKey}` } }).then((r) => r.json() as Promise<{ version: number; definition: { constants: { Options: { value: { Name: string }[] } } } }>);
    expect(stored.version).toBe(2);
    expect(stored.definition.constants.Options.value.map((o) => o.Name)).toEqual(['Cancel my order', 'Change address', 'Change date']);
    expect(await page.$eval('#component-select', (s) => (s as unknown as { selectedOptions: { textContent: string }[] }).selectedOptions[0]?.textContent)).toContain('version 2');
    // The key stayed in this tab's session storage only.
    expect(await page.evaluate(() => [sessionStorage.getItem('parlance.preview.key') !== null, localStorage.getItem('parlance.preview.key')])).toEqual([true, null]);
  });

  it('draws carousels, link cards, web pages and time slots, and sizes options held in the parameters', async () => {
    const load = async (name: string): Promise<void> => {
      await page.selectOption('#component-select', name);
      await page.click('#load-component');
      await until(`${name} to load`, (n) => (document.querySelector('#load-status')?.textContent ?? '').includes(`Loaded ${String(n)}`), name);
    };
    // Dynamic options: the sample Cases; their 50-character titles are too long for Messenger's buttons, so a carousel.
    await load('Which_Case');
    expect(JSON.parse(await page.inputValue('#parameters')).Cases).toHaveLength(3);
    await paneFormat('messenger', 'CardCarousel');
    expect(await texts('#pane-messenger .mock-card .mock-card-title')).toEqual(['00001006', '00001007', '00001008']);
    expect(await texts('#pane-messenger .mock-card .mock-card-subtitle')).toEqual(['Generator assembly instructions unclear', 'Generator overheats after an hour of use', 'Replacement filter never arrived']);
    expect(await page.$$eval('#pane-messenger .mock-card .mock-image', (nodes) => nodes.length)).toBe(3);
    expect(await texts('#pane-messenger .mock-card .mock-button')).toEqual(['Select', 'Select', 'Select']);
    await paneFormat('web', 'Buttons');
    await screenshot('FacebookEnhanced-carousel', '#pane-messenger');
    expect(await axeViolations()).toEqual([]);

    // Rich Link on Web, Media on Messenger.
    await load('Case_Follow_Up');
    await paneFormat('web', 'RichLink');
    expect(await texts('#pane-web .mock-link-card .mock-card-title')).toEqual(['Case 00001006: Generator assembly instructions unclear']);
    expect(await texts('#pane-web .mock-link-card .mock-card-url')).toEqual(['help.example.com/s/case/5005g00000Xk1QaAAJ']);
    await paneFormat('messenger', 'Media');
    expect(await skippedCodes('messenger')).toEqual(['RichLink:FORMAT_NOT_SUPPORTED']);
    await screenshot('EmbeddedWeb-rich-link', '#pane-web');

    // An auto-response: a Web Page card on Web; Messenger refuses it.
    await load('Welcome_Terms');
    await paneFormat('web', 'WebPage');
    expect(await texts('#pane-web .mockup .bubble')).toEqual(['Welcome! By chatting with us you agree to our terms.']);
    expect(await texts('#pane-web .mock-link-card .mock-card-title')).toEqual(['Terms and Conditions']);
    await until('Messenger to refuse the auto-response', () => document.querySelector('#pane-messenger')?.getAttribute('data-state') === 'error');
    expect(await page.textContent('#pane-messenger .problem')).toContain('E_CHANNEL_UNSUPPORTED');
    expect(await page.inputValue('#option-count')).toBe('');
    expect(await page.isDisabled('#option-count')).toBe(true);

    // A time selector: the slots are in the parameters, and the option count adds slots there.
    await load('Appointment_Time');
    await paneFormat('messenger', 'Buttons');
    const labels = (await texts('#pane-messenger .mock-button')).map((t) => t.replace(/\s/g, ' '));
    expect(labels).toEqual(['Nov 21, 11:00 AM', 'Nov 21, 1:00 PM', 'Nov 22, 11:00 AM']);
    await page.fill('#option-count', '5');
    await paneFormat('messenger', 'QuickReplies');
    expect(await skippedCodes('messenger')).toEqual(['Buttons:TOO_MANY_OPTIONS']);
    const slots = JSON.parse(await page.inputValue('#parameters')).Slots as { start: string; end: string }[];
    expect(slots.slice(3)).toEqual([
      { start: '2026-11-22T13:00:00Z', end: '2026-11-22T14:00:00Z' },
      { start: '2026-11-22T15:00:00Z', end: '2026-11-22T16:00:00Z' },
    ]);
    expect(await texts('#pane-messenger .mock-chip')).toHaveLength(5);

    // The parameters typed for a component come back when it is loaded again.
    await load('Which_Case');
    await load('Appointment_Time');
    expect(JSON.parse(await page.inputValue('#parameters')).Slots).toHaveLength(5);
  });

  it('had no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
