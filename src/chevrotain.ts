/**
 * chevrotain, loaded from its single-file bundle. The package's entry (`lib/src/api.js`) loads
 * chevrotain's sources file by file and all of lodash-es: about 0.65 s and 30 MB before the first
 * formula (bench/README.md, "Entry points"). The bundle it ships beside them
 * (`lib/chevrotain.mjs`, same version, same API) loads in about 20 ms. Its types are the
 * package's. Everything in Parlance takes chevrotain from here: one copy, so that tokens, the
 * lexer and the parser share their constants (`Lexer.NA` is compared by identity).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Api from 'chevrotain';

const entry = createRequire(import.meta.url).resolve('chevrotain');
const chevrotain = (await import(pathToFileURL(join(dirname(entry), '..', 'chevrotain.mjs')).href)) as typeof Api;

export const createToken: typeof Api.createToken = chevrotain.createToken;
export const tokenMatcher: typeof Api.tokenMatcher = chevrotain.tokenMatcher;
export const getLookaheadPaths: typeof Api.getLookaheadPaths = chevrotain.getLookaheadPaths;
export const createSyntaxDiagramsCode: typeof Api.createSyntaxDiagramsCode = chevrotain.createSyntaxDiagramsCode;
export const EOF: typeof Api.EOF = chevrotain.EOF;
export const Lexer: typeof Api.Lexer = chevrotain.Lexer;
export type Lexer = Api.Lexer;
export const EmbeddedActionsParser: typeof Api.EmbeddedActionsParser = chevrotain.EmbeddedActionsParser;
export type EmbeddedActionsParser = Api.EmbeddedActionsParser;
export const LLkLookaheadStrategy: typeof Api.LLkLookaheadStrategy = chevrotain.LLkLookaheadStrategy;
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
