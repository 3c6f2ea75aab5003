import { createToken, Lexer, type TokenType } from '../../src/chevrotain.js';
import { describe, expect, it, vi } from 'vitest';
import * as T from '../../src/formula/lexer/tokens.js';

describe('formula lexer definition', () => {
  it('builds with ensureOptimizations, so every token keeps the first-character optimization', () => {
    // Building the real token set with the flag throws if any pattern (for example a custom
    // matcher without start_chars_hint) would silently turn the optimization off.
    expect(() => new Lexer(T.allTokens, { ensureOptimizations: true, positionTracking: 'full' })).not.toThrow();
    expect(() => T.createFormulaLexer()).not.toThrow();
  });

  it('the flag really rejects a token that cannot be optimized', () => {
    const custom = (hint?: string[]): TokenType =>
      createToken({ name: 'Custom', pattern: { exec: (text: string, offset: number) => (text[offset] === '@' ? ['@'] : null) }, line_breaks: false, ...(hint ? { start_chars_hint: hint } : {}) });
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined); // chevrotain also logs the reason
    try {
      expect(() => new Lexer([...T.allTokens, custom()], { ensureOptimizations: true })).toThrow(/optimiz/i);
      expect(log).toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
    expect(() => new Lexer([...T.allTokens, custom(['@'])], { ensureOptimizations: true })).not.toThrow();
  });

  it('createFormulaLexer uses the flag', () => {
    // Its config is not public API; this guards against the flag being dropped from createFormulaLexer.
    const config = (T.createFormulaLexer() as unknown as { config: { ensureOptimizations?: boolean } }).config;
    expect(config.ensureOptimizations).toBe(true);
  });
});

describe('formula lexer', () => {
  const lexer = T.createFormulaLexer();
  const kinds = (text: string) => {
    const r = lexer.tokenize(text);
    expect(r.errors).toEqual([]);
    return r.tokens.map((t) => `${t.tokenType.name}:${t.image}`);
  };

  it('takes the longest operator', () => {
    expect(kinds('a<=b<>c>=d==e!=f&&g||h<i>j=k&l!m')).toEqual([
      'Identifier:a', 'LessEqual:<=', 'Identifier:b', 'LessGreater:<>', 'Identifier:c', 'GreaterEqual:>=', 'Identifier:d',
      'EqualEqual:==', 'Identifier:e', 'BangEqual:!=', 'Identifier:f', 'AndOp:&&', 'Identifier:g', 'OrOp:||', 'Identifier:h',
      'Less:<', 'Identifier:i', 'Greater:>', 'Identifier:j', 'Equal:=', 'Identifier:k', 'Ampersand:&', 'Identifier:l', 'Bang:!', 'Identifier:m',
    ]);
  });

  it('keywords are case-insensitive and lose to longer identifiers', () => {
    expect(kinds('TRUE true fAlSe null TRUEX Nullable false_flag__c')).toEqual([
      'True:TRUE', 'True:true', 'False:fAlSe', 'Null:null', 'Identifier:TRUEX', 'Identifier:Nullable', 'Identifier:false_flag__c',
    ]);
  });

  it('numbers, strings, globals, comments and whitespace', () => {
    expect(kinds('.5 1.25 007\t$ListItem.Value /* a "b" */ "x\\"y" \'it\\\'s\'\u00a0\ufeff')).toEqual([
      'NumberLiteral:.5', 'NumberLiteral:1.25', 'NumberLiteral:007', 'GlobalIdentifier:$ListItem', 'Dot:.', 'Identifier:Value',
      'DoubleQuotedString:"x\\"y"', "SingleQuotedString:'it\\'s'",
    ]);
  });

  it('a comment is not a division', () => {
    expect(kinds('a/*x*//b')).toEqual(['Identifier:a', 'Slash:/', 'Identifier:b']);
  });

  it('unterminated strings and comments go to the errors group, not the parser', () => {
    for (const text of ['"abc', "'abc\\'", '/* abc', '1 + "a\nb']) {
      const r = lexer.tokenize(text);
      expect(r.errors).toEqual([]);
      expect(r.tokens.every((t) => t.tokenType !== T.UnterminatedString && t.tokenType !== T.UnterminatedComment)).toBe(true);
      expect(r.groups['errors']).toHaveLength(1);
    }
  });

  it('tokenizeFormula (tokenize without its per-call definition check) gives what tokenize gives', () => {
    for (const text of ['', 'a + 1', 'IF(a, "x\\"", \'y\') <> $ListItem.Value', '1 # 2 ~', '"abc', '/* abc', 'a\n/* x */\r\nb', '.5 007 TRUEX']) {
      expect(T.tokenizeFormula(lexer, text)).toEqual(lexer.tokenize(text));
    }
    // The installed chevrotain has the method (else tokenizeFormula silently falls back to the slower tokenize).
    expect(typeof (lexer as unknown as { tokenizeInternal?: unknown }).tokenizeInternal).toBe('function');
  });

  it('reports characters outside the language', () => {
    const r = lexer.tokenize('1 # 2 ~');
    expect(r.errors.map((e) => [e.offset, e.length])).toEqual([[2, 1], [6, 1]]);
  });
});
