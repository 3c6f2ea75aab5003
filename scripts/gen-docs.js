// Regenerates the docs that are derived from code: docs/functions.md from the function registry.
// Run with `npm run gen` (it builds first).
import { writeFileSync } from 'node:fs';
import { createDefaultRegistry } from '../dist/src/index.js';
import { renderFunctionReference } from '../dist/src/formula/registry/reference.js';

const target = new URL('../docs/functions.md', import.meta.url);
writeFileSync(target, renderFunctionReference(createDefaultRegistry()));
console.log(`wrote ${target.pathname}`);
