import { EOF, tokenMatcher, type ILexingResult, type IRecognitionException, type IToken } from '../../chevrotain.js';
import type { Expr } from '../ast.js';
import { DiagnosticBag, DiagnosticCode } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { SourceText } from '../source.js';
import { scanFormula } from '../lexer/scan.js';
import * as T from '../lexer/tokens.js';
import { FastParser } from './fast-parse.js';
import { FormulaParser, type ParseProblem } from './formula-parser.js';

/** Limits applied while parsing. */
export interface ParseLimits {
  /** Maximum formula length in characters. Salesforce's limit, 3,900, by default. */
  readonly maxLength?: number;
  /** Maximum syntactic nesting: parentheses, calls and unary operators. 100 by default. */
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_LENGTH = 3900;
export const DEFAULT_MAX_DEPTH = 100;

export interface ParseResult {
  /** The tree, or `null` when the formula could not be parsed at all. */
  readonly ast: Expr | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly source: SourceText;
}

/**
 * Owns the parsers, reused for every parse (chevrotain's recommended usage), each built on first
 * use. Tokens come from
 * scanFormula (lexer/scan.ts), which produces what chevrotain's lexer from createFormulaLexer does.
 * A formula is read first by FastParser (fast-parse.ts: the same grammar by hand, for formulas
 * without syntax errors), then, if it gives up, by chevrotain's parser without error recovery,
 * which is cheaper; only a formula with a syntax error is parsed again with recovery, to report
 * every error it has.
 */
export class FormulaSyntax {
  private readonly fast = new FastParser();
  private readonly fastProblems: ParseProblem[] = [];
  /**
   * chevrotain's parsers, built on first need: only a formula FastParser gives up on (a syntax
   * error or a dynamic reference) needs one, and building one records and analyses the grammar
   * (about 8 ms of CPU in a cold process, per FormulaSyntax).
   */
  private plain: FormulaParser | undefined;
  private recovering: FormulaParser | undefined;

  parse(text: string, limits: ParseLimits = {}): ParseResult {
    const source = new SourceText(text);
    const bag = new DiagnosticBag(source);
    const maxLength = limits.maxLength ?? DEFAULT_MAX_LENGTH;
    if (text.length > maxLength) {
      bag.error(
        DiagnosticCode.FormulaTooLong,
        `Formula is too long (${text.length.toLocaleString('en-US')} characters). Maximum length is ${maxLength.toLocaleString('en-US')} characters`,
        { start: maxLength, end: text.length },
      );
      return { ast: null, diagnostics: bag.items, source };
    }
    const lexed = scanFormula(text);
    reportLexing(lexed, bag, text);
    const tokens = lexed.tokens;
    if (tokens.length === 0) {
      if (!bag.hasErrors) bag.error(DiagnosticCode.Syntax, 'Syntax error. The formula is empty', { start: 0, end: text.length });
      return { ast: null, diagnostics: bag.items, source };
    }
    // Each level of nesting is opened by a token of its own, so no formula of at most `max`
    // tokens can nest deeper than `max`: the pass over the tokens is skipped for them.
    const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
    const tooDeep = tokens.length > maxDepth ? findExcessiveNesting(tokens, maxDepth) : undefined;
    if (tooDeep !== undefined) {
      bag.error(
        DiagnosticCode.NestingTooDeep,
        `Formula is nested too deeply. Maximum nesting is ${maxDepth} levels of parentheses, function calls and unary operators`,
        { start: tooDeep.startOffset, end: tooDeep.startOffset + tooDeep.image.length },
      );
      return { ast: null, diagnostics: bag.items, source };
    }
    const fast = this.fast.parse(tokens, this.fastProblems);
    if (fast !== undefined) return this.parsed(fast, bag, source);
    this.fastProblems.length = 0;
    let parser = (this.plain ??= new FormulaParser({ recovery: false }));
    let ast: Expr | null;
    let errors: readonly IRecognitionException[] = [];
    try {
      parser.input = tokens;
      ast = parser.formula();
      // `errors` is a getter that copies the list: read once per parse.
      if (parser.errors.length > 0) {
        parser.takeProblems();
        parser = this.recovering ??= new FormulaParser({ recovery: true });
        parser.input = tokens;
        ast = parser.formula();
        errors = parser.errors;
      }
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      parser.takeProblems();
      bag.error(DiagnosticCode.NestingTooDeep, 'Formula is too complex to parse', { start: 0, end: text.length });
      return { ast: null, diagnostics: bag.items, source };
    }
    for (const p of parser.takeProblems()) bag.error(p.code, p.message, p.span);
    for (const err of errors) {
      const t = err.token;
      const at = tokenMatcher(t, EOF) || Number.isNaN(t.startOffset) ? { start: text.length, end: text.length } : { start: t.startOffset, end: t.startOffset + t.image.length };
      bag.error(DiagnosticCode.Syntax, err.message, at);
    }
    if (bag.items.length === 0) return { ast, diagnostics: bag.items, source };
    bag.items.sort((a, b) => a.span.start - b.span.start);
    return { ast: bag.hasErrors ? null : ast, diagnostics: bag.items, source };
  }

  /** The result of a formula FastParser read (no syntax error): its problems reported as FormulaParser's are. */
  private parsed(ast: Expr, bag: DiagnosticBag, source: SourceText): ParseResult {
    const problems = this.fastProblems;
    if (problems.length > 0) {
      for (const p of problems) bag.error(p.code, p.message, p.span);
      problems.length = 0;
    }
    if (bag.items.length === 0) return { ast, diagnostics: bag.items, source };
    bag.items.sort((a, b) => a.span.start - b.span.start);
    return { ast: bag.hasErrors ? null : ast, diagnostics: bag.items, source };
  }
}

function reportLexing(lexed: ILexingResult, bag: DiagnosticBag, text: string): void {
  for (const e of lexed.errors) {
    const ch = String.fromCodePoint(text.codePointAt(e.offset) ?? 0);
    bag.error(DiagnosticCode.UnexpectedCharacter, `Syntax error. Unexpected character '${ch}'`, { start: e.offset, end: e.offset + e.length });
  }
  for (const t of lexed.groups[T.UNUSUAL_WHITESPACE_GROUP] ?? []) {
    const code = (t.image.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    const name = UNUSUAL_WHITESPACE_NAMES[code] ?? 'SPACE';
    bag.warning(
      DiagnosticCode.UnusualWhitespace,
      `Unusual white space U+${code} (${name}) is read as a space; formulas copied from web pages often contain it. Replace it with a plain space`,
      { start: t.startOffset, end: t.startOffset + t.image.length },
    );
  }
  for (const t of lexed.groups['errors'] ?? []) {
    const at = { start: t.startOffset, end: t.startOffset + t.image.length };
    if (t.tokenType === T.UnterminatedComment) bag.error(DiagnosticCode.UnterminatedComment, 'Syntax error. Comment is not closed: add */', at);
    else bag.error(DiagnosticCode.UnterminatedString, `Syntax error. String is not closed: add ${t.image[0]}`, at);
  }
}

/** Names of the characters UnusualWhiteSpace matches (U+2000–U+200A are the typographic spaces). */
const UNUSUAL_WHITESPACE_NAMES: Readonly<Record<string, string>> = {
  '00A0': 'NO-BREAK SPACE',
  '1680': 'OGHAM SPACE MARK',
  '2000': 'EN QUAD',
  '2001': 'EM QUAD',
  '2002': 'EN SPACE',
  '2003': 'EM SPACE',
  '2004': 'THREE-PER-EM SPACE',
  '2005': 'FOUR-PER-EM SPACE',
  '2006': 'SIX-PER-EM SPACE',
  '2007': 'FIGURE SPACE',
  '2008': 'PUNCTUATION SPACE',
  '2009': 'THIN SPACE',
  '200A': 'HAIR SPACE',
  '200B': 'ZERO WIDTH SPACE',
  '200C': 'ZERO WIDTH NON-JOINER',
  '200D': 'ZERO WIDTH JOINER',
  '202F': 'NARROW NO-BREAK SPACE',
  '205F': 'MEDIUM MATHEMATICAL SPACE',
  '2060': 'WORD JOINER',
  '3000': 'IDEOGRAPHIC SPACE',
  FEFF: 'ZERO WIDTH NO-BREAK SPACE',
};

/** Tokens that end an operand (the StringLiteral category is its two members): after one, `+` `-` are binary, not prefix. By tokenTypeIdx. */
const OPERAND_END: boolean[] = [];
for (const t of [T.NumberLiteral, T.DoubleQuotedString, T.SingleQuotedString, T.Identifier, T.GlobalIdentifier, T.True, T.False, T.Null, T.RBracket]) {
  OPERAND_END[t.tokenTypeIdx as number] = true;
}

/** The first token whose syntactic nesting exceeds `max`, measured on tokens so nothing recurses. */
function findExcessiveNesting(tokens: readonly IToken[], max: number): IToken | undefined {
  let parens = 0;
  let unaryRun = 0;
  let previousIsOperand = false;
  for (const t of tokens) {
    const type = t.tokenType;
    if (type === T.LParen) {
      parens++;
      unaryRun = 0;
      previousIsOperand = false;
    } else if (type === T.RParen) {
      parens = Math.max(0, parens - 1);
      previousIsOperand = true;
    } else if (!previousIsOperand && (type === T.Plus || type === T.Minus || type === T.Bang)) {
      unaryRun++;
    } else {
      previousIsOperand = OPERAND_END[t.tokenTypeIdx] === true;
      if (previousIsOperand) unaryRun = 0;
    }
    if (parens + unaryRun > max) return t;
  }
  return undefined;
}
