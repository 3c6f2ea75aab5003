// Regenerates the docs that are derived from code and data: docs/functions.md from the function
// registry, docs/channels.md from the channel profiles (schemas/channels/profiles.json), and
// docs/component-reference.md from the component JSON Schemas (schemas/component.schema.json and
// the component schemas of the HTTP API), and docs/error-codes.md from schemas/messaging/error-codes.json.
// Run with `npm run gen` (it builds first).
import { writeFileSync } from 'node:fs';
import { ChannelProfiles, createDefaultRegistry } from '../dist/src/index.js';
import { renderFunctionReference } from '../dist/src/formula/registry/reference.js';
import { renderChannelReference } from '../dist/src/channels/reference.js';
import { componentReferenceSchemas, renderComponentReference } from '../dist/src/component/reference.js';
import { errorCodeCatalog } from '../dist/src/messaging/error-codes.js';
import { renderErrorCodeReference } from '../dist/src/messaging/error-codes-reference.js';

const outputs = [
  ['../docs/functions.md', () => renderFunctionReference(createDefaultRegistry())],
  ['../docs/channels.md', () => renderChannelReference(ChannelProfiles.builtin())],
  ['../docs/component-reference.md', () => {
    const { definition, http } = componentReferenceSchemas();
    return renderComponentReference(definition, http);
  }],
  ['../docs/error-codes.md', () => renderErrorCodeReference(errorCodeCatalog())],
];
for (const [path, render] of outputs) {
  const target = new URL(path, import.meta.url);
  writeFileSync(target, render());
  console.log(`wrote ${target.pathname}`);
}
