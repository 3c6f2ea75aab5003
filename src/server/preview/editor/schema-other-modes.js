/**
 * Stands in for codemirror-json-schema's JSON5 and YAML parsers in the bundle
 * (scripts/build-preview.js redirects their imports here): the definition editor is JSON only, and
 * those parsers would bring the yaml and json5 packages (about 135 KiB minified).
 */
const unsupported = () => {
  throw new Error('The preview editor bundles the JSON mode of codemirror-json-schema only');
};
export const parseJSON5DocumentState = unsupported;
export const parseJSON5Document = unsupported;
export const parseYAMLDocumentState = unsupported;
export const parseYAMLDocument = unsupported;
