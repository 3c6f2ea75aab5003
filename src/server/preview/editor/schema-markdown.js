/* global document */
/**
 * Stands in for codemirror-json-schema's utils/markdown.js in the bundle (scripts/build-preview.js
 * redirects the import here). The library's module loads markdown-it and starts a shiki
 * highlighter (themes and a JavaScript grammar) when it is imported; the schema's descriptions and
 * the library's messages only use `code` spans, so this renders those and escapes the rest.
 */
export function renderMarkdown(markdown, inline = true) {
  const box = document.createElement(inline ? 'span' : 'p');
  for (const [i, part] of String(markdown ?? '').split('`').entries()) {
    if (i % 2 === 1) {
      const code = document.createElement('code');
      code.textContent = part;
      box.append(code);
    } else box.append(document.createTextNode(part));
  }
  return inline ? box.innerHTML : box.outerHTML;
}
