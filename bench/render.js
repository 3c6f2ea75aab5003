/**
 * End-to-end render benchmark: a question with 5 dynamic options (Location records) on
 * Facebook Messenger, with formats [Buttons, Quick Replies], so every render skips Buttons
 * (too many options) and emits Quick Replies. Compared in the same run with:
 *
 * - `template`: only the component's Text version, the template render of the previous issue
 *   (`compileTemplate` once, then `render(data).text`), on the same data;
 * - `text-fallback`: the full render on SMS with `fallback: "text"`: request checks, the Text
 *   version and a text payload, but no format selection or option content;
 * - `handlebars`: an equivalent precompiled Handlebars template of the Text version, for scale.
 *
 * The ratio template ÷ render is the cost of everything the renderer adds to the Text version:
 * request and parameter validation (every record field against the catalog), slot labels,
 * walking the formats, evaluating each option's bindings per record, the capacity and field-limit
 * checks, and building the Send API payload.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { compileComponent, compileTemplate, textTemplateInput } from '../dist/src/index.js';
import { LOCATIONS, RENDER_REQUEST } from './fixtures.js';

const require = createRequire(import.meta.url);

export function renderEngineVersions() {
  return { handlebars: require('handlebars/package.json').version };
}

const component = JSON.parse(readFileSync(new URL('../examples/components/pick-location.json', import.meta.url), 'utf8'));
// [Buttons, Quick Replies]: the seed's worked example, with 5 options Buttons is skipped.
component.formats = [component.formats[1], component.formats[0], component.formats[2]];




const HANDLEBARS_SOURCE = '{{Title}}\nSelect an option:\n{{#each Locations}}{{inc @index}}. {{Name}}{{#unless @last}}\n{{/unless}}{{/each}}';

export const RENDER_CASES = [{ id: 'render/dynamic-5-messenger', options: 5 }];

const read = (text) => text.charCodeAt(text.length >> 1);

/** Compiles everything once, checks the outputs agree, and returns the timed tasks. */
export function prepareRender() {
  const compiled = compileComponent(component);
  if (!compiled.ok) throw new Error(`the bench component is invalid: ${JSON.stringify(compiled.errors)}`);
  const first = compiled.render(RENDER_REQUEST);
  if (!first.ok) throw new Error(`the bench render fails: ${JSON.stringify(first.error)}`);
  if (first.result.format !== 'QuickReplies' || first.result.skipped[0]?.code !== 'TOO_MANY_OPTIONS') throw new Error(`expected Quick Replies after skipping Buttons, got ${first.result.format}`);
  const input = textTemplateInput(component);
  const template = compileTemplate(input.source, input.options);
  const data = { constants: input.constants, parameters: RENDER_REQUEST.parameters, now: RENDER_REQUEST.now, timezone: RENDER_REQUEST.timezone };
  const hbEnv = Handlebars.create();
  hbEnv.registerHelper('inc', (n) => n + 1);
  const hb = hbEnv.compile(HANDLEBARS_SOURCE, { noEscape: true });
  const hbData = { Title: input.constants.Title, Locations: LOCATIONS };
  const sms = { ...RENDER_REQUEST, channel: 'SmsLongCode', fallback: 'text' };
  const outputs = { render: first.result.text, template: template.render(data).text, handlebars: hb(hbData), textFallback: compiled.render(sms).result?.text };
  const mismatches = Object.entries(outputs).filter(([, t]) => t !== outputs.render);
  if (mismatches.length > 0) throw new Error(`the Text versions differ: ${JSON.stringify(outputs)}`);
  const tasks = [
    {
      name: 'render',
      run(n) {
        let r = 0;
        for (let i = 0; i < n; i++) r += compiled.render(RENDER_REQUEST).ok ? 1 : 0;
        return r;
      },
    },
    {
      name: 'textFallback',
      run(n) {
        let r = 0;
        for (let i = 0; i < n; i++) r += compiled.render(sms).ok ? 1 : 0;
        return r;
      },
    },
    {
      name: 'template',
      run(n) {
        let r = 0;
        for (let i = 0; i < n; i++) r += read(template.render(data).text);
        return r;
      },
    },
    {
      name: 'handlebars',
      run(n) {
        let r = 0;
        for (let i = 0; i < n; i++) r += read(hb(hbData));
        return r;
      },
    },
  ];
  return [{ entry: { id: RENDER_CASES[0].id, options: 5, format: first.result.format, payloadBytes: JSON.stringify(first.result.payload).length }, tasks }];
}
