// Regenerates the human-readable grammar from the parser: grammar/formula.ebnf (W3C EBNF) and
// docs/grammar.html (railroad diagrams, self-contained). Run with `npm run grammar` (it builds
// first). test/parser/grammar-drift.test.ts fails when the committed files are out of date.
import { writeFileSync } from 'node:fs';
import { grammarFiles } from '../dist/src/formula/parser/grammar-text.js';

for (const [path, text] of Object.entries(grammarFiles())) {
  const target = new URL(`../${path}`, import.meta.url);
  writeFileSync(target, text);
  console.log(`wrote ${target.pathname}`);
}
