/**
 * chevrotain for browser bundles: the same exports as src/chevrotain.ts, from the package's own
 * entry (a bundler resolves and bundles it), without src/chevrotain.ts's Node-only loading of the
 * single-file build. A browser bundle of the formula language (src/language, the preview page's
 * editor) maps `src/chevrotain.ts` to this file, for example with an esbuild plugin:
 *
 *   build.onResolve({ filter: /\/chevrotain\.js$/ }, (a) => ({ path: resolve(a.resolveDir, a.path.replace(/\.js$/, '-browser.ts')) }))
 *
 * test/language/browser.test.ts
 * checks that both files export the same names and that src/language needs nothing else from Node.
 */
export { createToken, tokenMatcher, getLookaheadPaths, createSyntaxDiagramsCode, EOF, Lexer, EmbeddedActionsParser, LLkLookaheadStrategy } from 'chevrotain';
export type {
  ILexingResult,
  ILookaheadStrategy,
  IOrAlt,
  IParserErrorMessageProvider,
  IRecognitionException,
  ISerializedGast,
  IToken,
  TokenType,
} from 'chevrotain';
