/**
 * Template rendering benchmark: the seed's OptionsList question (a title, "Select an option:",
 * then one numbered line per option) rendered by Parlance's formula templates, by an equivalent
 * precompiled Handlebars template and by an equivalent liquidjs template.
 *
 * - Parlance: `compileTemplate(main, {constants, listTemplates})` once, then `render(data).text`.
 * - Handlebars: `Handlebars.compile(source, {noEscape: true})` once (and rendered once, which is
 *   when Handlebars really compiles), then `template(data)`. `noEscape` because Parlance and
 *   liquidjs do not HTML-escape output either; `inc` is a one-line helper (Handlebars has no
 *   arithmetic) for the 1-based number.
 * - liquidjs: `liquid.parse(source)` once, then `liquid.renderSync(parsed, data)`.
 *
 * Every engine's output is checked byte for byte against the others before timing.
 */
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Handlebars from 'handlebars';
import { Liquid } from 'liquidjs';
import { compileTemplate } from '../dist/src/index.js';

const require = createRequire(import.meta.url);

export function templateEngineVersions() {
  return { handlebars: require('handlebars/package.json').version, liquidjs: require('liquidjs/package.json').version };
}

// ------------------------------------------------------------------ the templates

/** Parlance: the seed's worked example, read from its golden test: template, options and output. */
const GOLDEN = new URL('../test/golden/templates/options-list/', import.meta.url);
const golden = (file) => readFileSync(new URL(file, GOLDEN), 'utf8');
const PARLANCE_MAIN = golden('template.txt');
const PARLANCE_OPTIONS = JSON.parse(golden('data.json')).options;
const GOLDEN_DATA = JSON.parse(golden('data.json')).data;
const GOLDEN_EXPECTED = golden('expected.txt');

const HANDLEBARS_SOURCE = '{{Title}}\nSelect an option:\n{{#each Options}}{{inc @index}}. {{Name}}{{#unless @last}}\n{{/unless}}{{/each}}';
const HANDLEBARS_OPTIONS = { noEscape: true };

const LIQUID_SOURCE = '{{ Title }}\nSelect an option:\n{% for o in Options %}{{ forloop.index }}. {{ o.Name }}{% unless forloop.last %}\n{% endunless %}{% endfor %}';

/** A Handlebars environment of its own, with the `inc` helper. */
function handlebarsEnv() {
  const hb = Handlebars.create();
  hb.registerHelper('inc', (n) => n + 1);
  return hb;
}

const liquid = new Liquid();

// ------------------------------------------------------------------ the cases

const NAMES = ['Cancel my order', 'Change my shipping address', 'Change the delivery date', 'Track my parcel', 'Return an item', 'Talk to an agent', 'Update my payment method', 'Apply a discount code', 'Report a damaged item', 'Something else'];

/** The constants of one question with `n` options; every option has a name, a subtitle and an image. */
function constants(n) {
  const options = [];
  for (let i = 0; i < n; i++) {
    const name = n <= NAMES.length ? NAMES[i] : `${NAMES[i % NAMES.length]} (${Math.floor(i / NAMES.length) + 1})`;
    options.push({ Name: name, Subtitle: `Option ${i + 1}`, Image: `https://example.com/img/${i + 1}.png` });
  }
  return { Title: 'What do you need help with?', Options: options };
}

/**
 * Reads the rendered text, as a caller writing it out would. The engines build their output by
 * concatenation, a rope that V8 flattens on first access: reading one character makes every
 * engine pay for that, rather than timing an unread rope.
 */
function read(text) {
  return text.charCodeAt(text.length >> 1);
}

/** The timed cases: the 10 options first, then 3 (the seed's example size) and 50. */
export const TEMPLATE_CASES = [10, 3, 50].map((n) => ({ id: `templates/options-${n}`, options: n }));

/** Compiles every engine's template once and renders each case; outputs must be identical. */
export function prepareTemplates(cases) {
  const ours = compileTemplate(PARLANCE_MAIN, PARLANCE_OPTIONS);
  if (!ours.ok) throw new Error(`the Parlance template does not compile: ${ours.diagnostics.map((d) => d.message).join('; ')}`);
  const goldenText = ours.render(GOLDEN_DATA).text;
  if (goldenText !== GOLDEN_EXPECTED) throw new Error(`the Parlance template does not render its golden output: ${JSON.stringify(goldenText)}`);
  const hb = handlebarsEnv().compile(HANDLEBARS_SOURCE, HANDLEBARS_OPTIONS);
  const lq = liquid.parse(LIQUID_SOURCE);
  return cases.map((c) => {
    const data = constants(c.options);
    const parlanceData = { constants: data };
    const outputs = { ours: ours.render(parlanceData).text, handlebars: hb(data), liquidjs: liquid.renderSync(lq, data) };
    const mismatches = Object.entries(outputs)
      .filter(([, text]) => text !== outputs.ours)
      .map(([engine, text]) => ({ engine, ours: outputs.ours, theirs: text }));
    const entry = { id: c.id, options: c.options, bytes: Buffer.byteLength(outputs.ours), agree: mismatches.length === 0, ...(mismatches.length > 0 ? { mismatches } : {}) };
    const rendering = [
      {
        name: 'ours',
        run(n) {
          let r = 0;
          for (let i = 0; i < n; i++) r += read(ours.render(parlanceData).text);
          return r;
        },
      },
      {
        name: 'handlebars',
        run(n) {
          let r = 0;
          for (let i = 0; i < n; i++) r += read(hb(data));
          return r;
        },
      },
      {
        name: 'liquidjs',
        run(n) {
          let r = 0;
          for (let i = 0; i < n; i++) r += read(liquid.renderSync(lq, data));
          return r;
        },
      },
    ];
    return { entry, tasks: rendering };
  });
}

/**
 * Compilation, side by side (informational): `compileTemplate` against `Handlebars.compile` plus
 * the first render (Handlebars compiles lazily, on the first call) and `liquid.parse`. A new
 * Handlebars environment is not created per call: registering a helper is set-up, not compilation.
 */
export function compilationTasks() {
  const hbEnv = handlebarsEnv();
  const data = constants(10);
  return [
    {
      name: 'ours',
      run(n) {
        let r;
        for (let i = 0; i < n; i++) r = compileTemplate(PARLANCE_MAIN, PARLANCE_OPTIONS);
        return r;
      },
    },
    {
      name: 'handlebars',
      run(n) {
        let r;
        for (let i = 0; i < n; i++) r = hbEnv.compile(HANDLEBARS_SOURCE, HANDLEBARS_OPTIONS)(data);
        return r;
      },
    },
    {
      name: 'liquidjs',
      run(n) {
        let r;
        for (let i = 0; i < n; i++) r = liquid.parse(LIQUID_SOURCE);
        return r;
      },
    },
  ];
}
