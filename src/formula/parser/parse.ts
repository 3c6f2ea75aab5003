import { EOF, tokenMatcher, type ILexingResult, type IToken, type Lexer } from 'chevrotain';
import type { Expr } from '../ast.js';
import { DiagnosticBag, DiagnosticCode } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { SourceText } from '../source.js';
import * as T from '../lexer/tokens.js';
import { FormulaParser } from './formula-parser.js';

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

/** Owns one lexer and one parser, reused for every parse (chevrotain's recommended usage). */
export class FormulaSyntax {
  private readonly lexer: Lexer = T.createFormulaLexer();
  private readonly parser = new FormulaParser();

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
    const lexed = this.lexer.tokenize(text);
    reportLexing(lexed, bag, text);
    const tokens = lexed.tokens;
    if (tokens.length === 0) {
      if (!bag.hasErrors) bag.error(DiagnosticCode.Syntax, 'Syntax error. The formula is empty', { start: 0, end: text.length });
      return { ast: null, diagnostics: bag.items, source };
    }
    const tooDeep = findExcessiveNesting(tokens, limits.maxDepth ?? DEFAULT_MAX_DEPTH);
    if (tooDeep !== undefined) {
      bag.error(
        DiagnosticCode.NestingTooDeep,
        `Formula is nested too deeply. Maximum nesting is ${limits.maxDepth ?? DEFAULT_MAX_DEPTH} levels of parentheses, function calls and unary operators`,
        { start: tooDeep.startOffset, end: tooDeep.startOffset + tooDeep.image.length },
      );
      return { ast: null, diagnostics: bag.items, source };
    }
    this.parser.input = tokens;
    let ast: Expr | null;
    try {
      ast = this.parser.formula();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      bag.error(DiagnosticCode.NestingTooDeep, 'Formula is too complex to parse', { start: 0, end: text.length });
      return { ast: null, diagnostics: bag.items, source };
    }
    for (const p of this.parser.takeProblems()) bag.error(p.code, p.message, p.span);
    for (const err of this.parser.errors) {
      const t = err.token;
      const at = tokenMatcher(t, EOF) || Number.isNaN(t.startOffset) ? { start: text.length, end: text.length } : { start: t.startOffset, end: t.startOffset + t.image.length };
      bag.error(DiagnosticCode.Syntax, err.message, at);
    }
    bag.items.sort((a, b) => a.span.start - b.span.start);
    return { ast: bag.hasErrors ? null : ast, diagnostics: bag.items, source };
  }
}

function reportLexing(lexed: ILexingResult, bag: DiagnosticBag, text: string): void {
  for (const e of lexed.errors) {
    const ch = String.fromCodePoint(text.codePointAt(e.offset) ?? 0);
    bag.error(DiagnosticCode.UnexpectedCharacter, `Syntax error. Unexpected character '${ch}'`, { start: e.offset, end: e.offset + e.length });
  }
  for (const t of lexed.groups['errors'] ?? []) {
    const at = { start: t.startOffset, end: t.startOffset + t.image.length };
    if (t.tokenType === T.UnterminatedComment) bag.error(DiagnosticCode.UnterminatedComment, 'Syntax error. Comment is not closed: add */', at);
    else bag.error(DiagnosticCode.UnterminatedString, `Syntax error. String is not closed: add ${t.image[0]}`, at);
  }
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
      previousIsOperand = type === T.NumberLiteral || tokenMatcher(t, T.StringLiteral) || type === T.Identifier || type === T.GlobalIdentifier || type === T.True || type === T.False || type === T.Null || type === T.RBracket;
      if (previousIsOperand) unaryRun = 0;
    }
    if (parens + unaryRun > max) return t;
  }
  return undefined;
}
