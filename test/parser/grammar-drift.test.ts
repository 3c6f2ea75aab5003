/**
 * grammar/formula.ebnf and docs/grammar.html are generated from the chevrotain parser
 * (src/formula/parser/grammar-text.ts). This test regenerates them and fails when the committed
 * files differ, so the documented grammar cannot drift from the parser. `npm run grammar` (or
 * UPDATE_GOLDEN=1) rewrites them; review the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { grammarFiles, grammarProductions, renderGrammarEbnf } from '../../src/formula/parser/grammar-text.js';
import { BINARY_LEVELS } from '../../src/formula/parser/precedence.js';
import { UPDATE_GOLDEN } from '../helpers/golden.js';

const root = new URL('../../', import.meta.url);
const files = grammarFiles();

describe('generated grammar files', () => {
  for (const [path, text] of Object.entries(files)) {
    it(`${path} matches the parser (regenerate with npm run grammar)`, () => {
      const target = new URL(path, root);
      if (UPDATE_GOLDEN) writeFileSync(target, text);
      const committed = readFileSync(target, 'utf8');
      expect(committed, `${path} is out of date: run \`npm run grammar\` and review the diff`).toBe(text);
    });
  }

  it('a change to the grammar changes the EBNF', () => {
    const rules = grammarProductions();
    const committed = readFileSync(new URL('grammar/formula.ebnf', root), 'utf8');
    // Drop the bracket-reference option from `reference`: the rendering must notice.
    const mutated = rules.map((r) => (r.name === 'reference' ? { ...r, definition: r.definition.slice(0, -1) } : r));
    expect(renderGrammarEbnf(mutated)).not.toBe(committed);
    expect(renderGrammarEbnf(rules)).toBe(files['grammar/formula.ebnf']);
  });

  it('the precedence table comes from the table the parser builds trees with, and must cover its operators', () => {
    const rules = grammarProductions();
    const committed = readFileSync(new URL('grammar/formula.ebnf', root), 'utf8');
    // Swapping two levels (as a parser change would) changes the EBNF.
    const [or, and, ...rest] = BINARY_LEVELS;
    const swapped = [and, or, ...rest].filter((l) => l !== undefined);
    expect(renderGrammarEbnf(rules, swapped)).not.toBe(committed);
    expect(renderGrammarEbnf(rules, swapped)).toMatch(/^ \* {3}1\. && /m);
    // A table that leaves out an operator of the grammar is an error, not a silently wrong document.
    expect(() => renderGrammarEbnf(rules, BINARY_LEVELS.slice(0, -1))).toThrow(/precedence table/);
    // So is an expression rule without the operand ( BinaryOperator operand )* shape.
    const flat = rules.map((r) => (r.name === 'expression' ? { ...r, definition: r.definition.slice(0, 1) } : r));
    expect(() => renderGrammarEbnf(flat)).toThrow(/expression is not/);
  });

  it('states the precedence decided in DECISIONS.md, loosest first', () => {
    const ebnf = files['grammar/formula.ebnf'] as string;
    const table = [...ebnf.matchAll(/^ \* {3}\d\. (.+?) {2,}(binary, left-associative|prefix)/gm)].map((m) => `${(m[1] as string).trim()} (${m[2]})`);
    expect(table).toEqual([
      '|| (binary, left-associative)',
      '&& (binary, left-associative)',
      '== != <> <= >= = < > (binary, left-associative)',
      '+ - & (binary, left-associative)',
      '* / (binary, left-associative)',
      '^ (binary, left-associative)',
      '+ - ! (prefix)',
    ]);
  });

  it('shows named tokens as their text and expands operator families', () => {
    const ebnf = files['grammar/formula.ebnf'] as string;
    expect(ebnf).toContain('expression ::= operand ( BinaryOperator operand )*');
    expect(ebnf).toContain('operand    ::= ( "+" | "-" | "!" ) operand');
    expect(ebnf).toMatch(/^BinaryOperator +::= "\|\|" \| "&&" \| "==" \| "!=" \| "<>" \| "<=" \| ">=" \| "=" \| "<" \| ">" \| "\+" \| "-" \| "&" \| "\*" \| "\/" \| "\^"$/m);
    expect(ebnf).toContain('| "TRUE"');
    expect(ebnf).toContain('StringLiteral       ::= DoubleQuotedString | SingleQuotedString');
    expect(ebnf).not.toMatch(/NOT_APPLICABLE|EqualEqual|Ampersand|Caret|AndOp|OrOp|LParen/);
  });

  it('the diagram page is self-contained and draws every rule', () => {
    const html = files['docs/grammar.html'] as string;
    expect(html).not.toMatch(/<script src=|<link |https?:\/\/unpkg/);
    // Run the page's scripts as a browser would, with just enough of a DOM for chevrotain's builder.
    const div = { innerHTML: '' };
    const sandbox: Record<string, unknown> = {
      document: { getElementById: (id: string) => (id === 'diagrams' ? div : null), getElementsByClassName: () => [], getElementsByTagName: () => [] },
    };
    sandbox['window'] = sandbox;
    const context = createContext(sandbox);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThanOrEqual(6);
    for (const script of scripts) runInContext(script, context);
    for (const rule of grammarProductions()) expect(div.innerHTML).toContain(`<h2 class="diagramHeader">${rule.name}</h2>`);
    expect(div.innerHTML).toContain('&#38;&#38;');
    expect(div.innerHTML).not.toMatch(/BinaryOperator/);
  });
});
