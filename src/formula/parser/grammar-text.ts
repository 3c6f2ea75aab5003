/**
 * Renders the formula grammar for people: `grammar/formula.ebnf` (W3C EBNF) and the railroad
 * diagrams in `docs/grammar.html`. Both are generated from the parser's recorded grammar
 * (`getSerializedGastProductions()`) and the token definitions, so they cannot silently drift
 * from what the parser accepts: `test/parser/grammar-drift.test.ts` regenerates them and
 * compares, and `npm run grammar` rewrites them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createSyntaxDiagramsCode, Lexer, type ISerializedGast, type TokenType } from '../../chevrotain.js';
import * as T from '../lexer/tokens.js';
import { FormulaParser } from './formula-parser.js';
import { BINARY_LEVELS, type BinaryLevel } from './precedence.js';
import { quote, RegexToEbnf } from './regex-ebnf.js';

/** The shapes `getSerializedGastProductions()` produces (chevrotain types them loosely). */
type Gast =
  | { type: 'Rule'; name: string; definition: Gast[] }
  | { type: 'NonTerminal'; name: string; idx: number }
  | { type: 'Terminal'; name: string; label: string; idx: number; pattern?: string }
  | { type: 'Alternative'; definition: Gast[] }
  | { type: 'Alternation' | 'Option' | 'Repetition' | 'RepetitionMandatory'; idx: number; definition: Gast[] }
  | { type: 'RepetitionWithSeparator' | 'RepetitionMandatoryWithSeparator'; idx: number; definition: Gast[]; separator: Gast };

type RuleGast = Extract<Gast, { type: 'Rule' }>;
type TerminalGast = Extract<Gast, { type: 'Terminal' }>;

/** The parser's rules as chevrotain records them, in definition order. */
export function grammarProductions(): RuleGast[] {
  return new FormulaParser().getSerializedGastProductions() as unknown as RuleGast[];
}

// ---------------------------------------------------------------------------------------------
// Tokens

/** The literal text a token always matches (`"&&"`, `"TRUE"`), or undefined for a pattern token. */
export function tokenLiteral(token: TokenType): string | undefined {
  const pattern = token.PATTERN;
  if (isCategory(token) || !(pattern instanceof RegExp) || !/^i?$/.test(pattern.flags)) return undefined;
  let out = '';
  const src = pattern.source;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\') {
      const next = src[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined;
      out += next;
      i++;
    } else if ('^$.|?*+()[{'.includes(c)) {
      return undefined;
    } else {
      out += c;
    }
  }
  return out;
}

function isCategory(token: TokenType): boolean {
  return token.PATTERN === Lexer.NA;
}

function categoryMembers(category: TokenType): TokenType[] {
  return T.allTokens.filter((t) => t.CATEGORIES?.includes(category) === true);
}

/** The literals of a category whose members are all literal tokens (`BinaryOperator` → `||`, `&&`, …). */
function categoryLiterals(category: TokenType): string[] | undefined {
  if (!isCategory(category)) return undefined;
  const literals = categoryMembers(category).map(tokenLiteral);
  return literals.length > 0 && literals.every((l) => l !== undefined) ? (literals as string[]) : undefined;
}

/**
 * Categories of literal tokens that the rules show by name, defined among the tokens, rather
 * than as an inline choice: BinaryOperator, whose sixteen operators combine by the precedence
 * table in the header.
 */
const SHOWN_BY_NAME: ReadonlySet<TokenType> = new Set([T.BinaryOperator]);

const tokensByName = new Map(T.allTokens.map((t) => [t.name, t]));

function tokenNamed(name: string): TokenType {
  const token = tokensByName.get(name);
  if (token === undefined) throw new Error(`grammar-text: the parser uses token ${name}, which is not in allTokens`);
  return token;
}

// ---------------------------------------------------------------------------------------------
// Rules → W3C EBNF

function terminalText(name: string): string {
  const token = tokenNamed(name);
  const literal = tokenLiteral(token);
  if (literal !== undefined) return quote(literal);
  if (SHOWN_BY_NAME.has(token)) return name;
  const literals = categoryLiterals(token);
  if (literals !== undefined) return `( ${literals.map(quote).join(' | ')} )`;
  return name;
}

/** Renders a production; `level` 0 = top of a rule, 1 = inside a sequence, 2 = operand of a quantifier. */
function renderGast(node: Gast, level: number): string {
  switch (node.type) {
    case 'Rule':
    case 'Alternative': {
      const text = node.definition.map((d) => renderGast(d, 1)).join(' ');
      return level === 2 && node.definition.length > 1 ? `( ${text} )` : text;
    }
    case 'NonTerminal':
      return node.name;
    case 'Terminal':
      return terminalText(node.name);
    case 'Alternation': {
      const text = node.definition.map((d) => renderGast(d, 0)).join(' | ');
      return level === 0 ? text : `( ${text} )`;
    }
    case 'Option':
      return `${renderSequence(node.definition)}?`;
    case 'Repetition':
      return `${renderSequence(node.definition)}*`;
    case 'RepetitionMandatory':
      return `${renderSequence(node.definition)}+`;
    case 'RepetitionWithSeparator':
    case 'RepetitionMandatoryWithSeparator': {
      const item = node.definition.map((d) => renderGast(d, 1)).join(' ');
      const text = `${item} ( ${renderGast(node.separator, 1)} ${item} )*`;
      return node.type === 'RepetitionWithSeparator' ? `( ${text} )?` : text;
    }
  }
}

/** A quantifier operand: one item bare, several in parentheses. */
function renderSequence(items: Gast[]): string {
  const only = items.length === 1 ? (items[0] as Gast) : undefined;
  if (only !== undefined) {
    const text = renderGast(only, 2);
    return only.type === 'Terminal' || only.type === 'NonTerminal' || text.startsWith('(') ? text : `( ${text} )`;
  }
  return `( ${items.map((d) => renderGast(d, 1)).join(' ')} )`;
}

/** A rule's right-hand side, one alternative per line when the rule is a single alternation. */
function renderRuleBody(rule: RuleGast, indent: string): string {
  const only = rule.definition.length === 1 ? rule.definition[0] : undefined;
  if (only?.type === 'Alternation') return only.definition.map((d) => renderGast(d, 0)).join(`\n${indent}| `);
  return renderGast(rule, 0);
}

/** Notes printed under a rule. A note for a rule the parser no longer has is an error. */
const RULE_NOTES: Record<string, string> = {
  expression:
    'Operands and binary operators, combined by the precedence table above.\n' +
    'Comparisons are one level: 1 < 2 = TRUE is (1 < 2) = TRUE. "==" means "=", "!=" means "<>".\n' +
    '"&" (text concatenation) binds like "+": 1 + 2 & "x" is (1 + 2) & "x".',
  operand:
    'A prefix operator binds tighter than any binary operator: -2 ^ 2 is (-2) ^ 2.\n' +
    '"!" is NOT: !x means NOT(x). call is chosen when the name is followed by "(", otherwise reference.',
  call: 'Function names are case-insensitive: if(...) calls IF.',
  reference:
    'A field path (Account.Owner.Name, Parent__r.Name) or a $global path ($Constants.X,\n' +
    '$Parameters.P.Field, $ListItem.Value.Field). The bracket form x["f"] is parsed only to\n' +
    'be rejected with E_DYNAMIC_REFERENCE.',
};

interface Level {
  name: string;
  operators: string[];
  kind: 'binary, left-associative' | 'binary, right-associative' | 'prefix';
}

function operatorsOf(node: Gast | undefined): string[] | undefined {
  if (node?.type === 'Terminal') {
    const token = tokenNamed(node.name);
    const literal = tokenLiteral(token);
    return literal !== undefined ? [literal] : categoryLiterals(token);
  }
  if (node?.type === 'Alternation') {
    const ops = node.definition.map((a) => (a.type === 'Alternative' && a.definition.length === 1 ? operatorsOf(a.definition[0]) : undefined));
    return ops.every((o) => o !== undefined) ? ops.flat() : undefined;
  }
  return undefined;
}

/**
 * Precedence levels, loosest first: the binary levels from the parser's precedence table, then
 * the prefix operators read off the operand rule. Checks that the rules have the shape the
 * table assumes: `expression ::= operand ( BinaryOperator operand )*` with every operator of
 * the category in the table, and a prefix alternative `( "+" | … ) operand` in `operand`.
 */
function precedenceLevels(rules: readonly RuleGast[], binary: readonly BinaryLevel[]): Level[] {
  const fail = (why: string): never => {
    throw new Error(`grammar-text: ${why}; update the precedence rendering with the grammar`);
  };
  const byName = new Map(rules.map((r) => [r.name, r]));
  const [first, loop, ...more] = byName.get('expression')?.definition ?? [];
  const [op, next, ...rest] = loop?.type === 'Repetition' ? loop.definition : [];
  if (first?.type !== 'NonTerminal' || next?.type !== 'NonTerminal' || next.name !== first.name || op?.type !== 'Terminal' || more.length > 0 || rest.length > 0) {
    fail('expression is not "operand ( BinaryOperator operand )*"');
  }
  const operand = first as Extract<Gast, { type: 'NonTerminal' }>;
  const inGrammar = operatorsOf(op) ?? [];
  const literal = (t: TokenType): string => tokenLiteral(t) ?? fail(`operator token ${t.name} is not a literal`);
  const inTable = binary.flatMap((l) => l.operators.map(([t]) => literal(t)));
  if (inGrammar.length !== inTable.length || inTable.some((o) => !inGrammar.includes(o))) {
    fail(`the precedence table has ${inTable.join(' ')}, the grammar's operators are ${inGrammar.join(' ')}`);
  }
  const levels: Level[] = binary.map((l) => ({
    name: l.name,
    operators: l.operators.map(([t]) => literal(t)),
    kind: l.associativity === 'left' ? 'binary, left-associative' : 'binary, right-associative',
  }));
  const alternatives = byName.get(operand.name)?.definition[0];
  const prefix = alternatives?.type === 'Alternation' ? alternatives.definition[0] : undefined;
  const [prefixOp, self] = prefix?.type === 'Alternative' ? prefix.definition : [];
  const prefixOperators = operatorsOf(prefixOp);
  if (prefixOperators === undefined || self?.type !== 'NonTerminal' || self.name !== operand.name || prefix?.type !== 'Alternative' || prefix.definition.length !== 2) {
    fail(`the first alternative of ${operand.name} is not a prefix operator and an ${operand.name}`);
  }
  levels.push({ name: operand.name, operators: prefixOperators as string[], kind: 'prefix' });
  return levels;
}

function comment(lines: string[]): string {
  if (lines.some((l) => l.includes('*/'))) throw new Error('grammar-text: "*/" would end an EBNF comment early');
  return ['/*', ...lines.map((l) => (l === '' ? ' *' : ` * ${l}`)), ' */'].join('\n');
}

function header(rules: readonly RuleGast[], binary: readonly BinaryLevel[]): string {
  const levels = precedenceLevels(rules, binary);
  const width = Math.max(...levels.map((l) => l.operators.join(' ').length));
  const table = levels.map((l, i) => `  ${i + 1}. ${l.operators.join(' ').padEnd(width)}  ${l.kind.padEnd(25)} (${l.name})`);
  const allLeft = binary.every((l) => l.associativity === 'left');
  return comment([
    'The Parlance formula language (Salesforce formula syntax for messaging components).',
    '',
    'GENERATED by `npm run grammar` from the chevrotain parser (src/formula/parser/formula-parser.ts),',
    'its precedence table (src/formula/parser/precedence.ts) and its tokens (src/formula/lexer/tokens.ts);',
    'do not edit. test/parser/grammar-drift.test.ts fails when this file and the parser disagree.',
    'Railroad diagrams: docs/grammar.html.',
    '',
    'Notation: W3C EBNF (as in the XML specification). "x" and \'x\' are literal text, [a-z] and',
    '[^a-z] character classes, #xN the character with code point N, Char any character, A? optional,',
    'A* zero or more, A+ one or more, A | B a choice, A - B what matches A but not B.',
    'Syntax rule names start in lower case; token names (Identifier, NumberLiteral, ...) are capitalized.',
    '',
    'Precedence, loosest binding first:',
    ...table,
    '  then the other operands: literals, parenthesized expressions, function calls and references.',
    'The expression rule reads operands and binary operators as a flat list; the parser builds the',
    'tree from this table (the same data, src/formula/parser/precedence.ts).',
    ...(allLeft ? ['Every binary level is left-associative: 1 - 2 - 3 is (1 - 2) - 3 and 2 ^ 3 ^ 2 is (2 ^ 3) ^ 2.'] : []),
    '',
    'Notes:',
    '- WhiteSpace, UnusualWhiteSpace and Comment tokens may appear between any two tokens and are ignored.',
    '- Keywords (TRUE, FALSE, NULL) and function names are case-insensitive; field names keep',
    '  their case.',
    '- Strings use "..." or \'...\'. Backslash escapes: \\n \\t \\r \\b \\f \\" \\\' \\\\; any other escape',
    '  is an error (E_INVALID_ESCAPE).',
    '- Bracket references (Account["Name"]) are parsed only to be rejected (E_DYNAMIC_REFERENCE).',
    '- Limits outside the grammar: at most 3,900 characters and 100 levels of nesting (by default).',
  ]);
}

function syntaxSection(rules: readonly RuleGast[]): string {
  for (const name of Object.keys(RULE_NOTES)) {
    if (!rules.some((r) => r.name === name)) throw new Error(`grammar-text: a note is attached to rule ${name}, which the parser does not have`);
  }
  const width = Math.max(...rules.map((r) => r.name.length));
  const indent = ' '.repeat(width + 3);
  return rules
    .map((rule) => {
      const text = `${rule.name.padEnd(width)} ::= ${renderRuleBody(rule, indent)}`;
      const note = RULE_NOTES[rule.name];
      if (note === undefined) return text;
      if (note.includes('*/')) throw new Error('grammar-text: "*/" would end an EBNF comment early');
      return `${text}\n${indent}/* ${note.split('\n').join(`\n${indent}   `)} */`;
    })
    .join('\n');
}

function tokenNotes(token: TokenType): string[] {
  const notes: string[] = [];
  if (SHOWN_BY_NAME.has(token)) notes.push('the binary operators: they combine by the precedence table at the top');
  if (token.GROUP === Lexer.SKIPPED) notes.push('ignored');
  else if (token.GROUP === T.UNUSUAL_WHITESPACE_GROUP) notes.push('ignored like WhiteSpace, with a warning (W_UNUSUAL_WHITESPACE) at each one');
  else if (token.GROUP !== undefined) notes.push('never reaches the parser: reported as a syntax error');
  const longer = token.LONGER_ALT;
  if (longer !== undefined) notes.push(`a longer ${(Array.isArray(longer) ? longer : [longer]).map((t) => t.name).join(' or ')} wins`);
  return notes;
}

function lexicalSection(): string {
  const lines: string[] = [];
  const literalTokens = T.allTokens.filter((t) => tokenLiteral(t) !== undefined);
  // The operator note below claims longest match; chevrotain takes the first pattern that matches,
  // so that holds only when every literal comes before the literals that are its prefixes.
  for (const [i, a] of literalTokens.entries()) {
    for (const b of literalTokens.slice(i + 1)) {
      const [la, lb] = [tokenLiteral(a) as string, tokenLiteral(b) as string];
      if (lb.length > la.length && lb.toLowerCase().startsWith(la.toLowerCase())) {
        throw new Error(`grammar-text: token ${b.name} (${lb}) must come before ${a.name} (${la}) in allTokens`);
      }
    }
  }
  const named = T.allTokens.filter((t) => tokenLiteral(t) === undefined && (categoryLiterals(t) === undefined || SHOWN_BY_NAME.has(t)));
  const width = Math.max(...named.map((t) => t.name.length));
  const indent = ' '.repeat(width + 3);
  for (const token of named) {
    let body: string;
    if (SHOWN_BY_NAME.has(token)) body = (categoryLiterals(token) as string[]).map(quote).join(' | ');
    else if (isCategory(token)) body = categoryMembers(token).map((m) => m.name).join(' | ');
    else if (token.PATTERN instanceof RegExp) body = RegexToEbnf.convert(token.PATTERN);
    else throw new Error(`grammar-text: token ${token.name} has a pattern that cannot be rendered`);
    lines.push(`${token.name.padEnd(width)} ::= ${body}`);
    const notes = tokenNotes(token);
    if (notes.length > 0) lines.push(`${indent}/* ${notes.join('; ')} */`);
  }
  const keywords = literalTokens.filter((t) => (t.PATTERN as RegExp).flags.includes('i'));
  const operators = literalTokens.filter((t) => !(t.PATTERN as RegExp).flags.includes('i'));
  for (const k of keywords) {
    if (k.LONGER_ALT !== T.Identifier) throw new Error(`grammar-text: keyword ${k.name} should have longer_alt: Identifier`);
  }
  return [
    comment([
      'Tokens, in the order the lexer tries them. Operators, punctuation and keywords appear quoted in',
      'the syntax rules above; the lexer takes the longest operator that matches ("<=" rather than "<").',
      `Operators and punctuation: ${operators.map((t) => tokenLiteral(t) as string).join(' ')}`,
      `Keywords, in any letter case: ${keywords.map((t) => tokenLiteral(t) as string).join(' ')}.`,
      'A keyword followed by more identifier characters is an Identifier (TRUEX, Nullable).',
    ]),
    '',
    ...lines,
  ].join('\n');
}

/** The grammar as W3C EBNF text: the contents of `grammar/formula.ebnf`. */
export function renderGrammarEbnf(rules: readonly RuleGast[] = grammarProductions(), binary: readonly BinaryLevel[] = BINARY_LEVELS): string {
  return [
    header(rules, binary),
    '',
    '/* ---------------------------------------------------------------- Syntax */',
    '',
    syntaxSection(rules),
    '',
    '/* ---------------------------------------------------------------- Tokens */',
    '',
    lexicalSection(),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Railroad diagrams

/** The recorded grammar with terminals labelled by their text and operator families expanded. */
export function diagramProductions(rules: readonly RuleGast[] = grammarProductions()): ISerializedGast[] {
  const relabel = (node: Gast): Gast => {
    if (node.type === 'Terminal') return terminalForDiagram(node);
    if (node.type === 'NonTerminal') return node;
    const copy = { ...node, definition: node.definition.map(relabel) };
    if ('separator' in copy) copy.separator = relabel(copy.separator);
    return copy;
  };
  return rules.map(relabel) as unknown as ISerializedGast[];
}

function terminalForDiagram(node: TerminalGast): Gast {
  const token = tokenNamed(node.name);
  const literal = tokenLiteral(token);
  if (literal !== undefined) return { ...node, label: literal };
  const literals = categoryLiterals(token);
  if (literals === undefined) return node;
  return {
    type: 'Alternation',
    idx: node.idx,
    definition: categoryMembers(token).map((m) => ({
      type: 'Alternative',
      definition: [{ ...node, name: m.name, label: tokenLiteral(m) as string, pattern: (m.PATTERN as RegExp).source }],
    })),
  };
}

/** The browser assets chevrotain's diagram page loads, to inline them so the page works offline. */
export interface DiagramAssets {
  /** `diagrams/diagrams.css` */
  readonly css: string;
  /** `diagrams/<path>` → its source, for each script the page loads (`vendor/railroad-diagrams.js`, `src/main.js`, …). */
  readonly scripts: Readonly<Record<string, string>>;
}

/**
 * The railroad-diagram page (`docs/grammar.html`). With `assets`, the stylesheet and scripts are
 * inlined and the page needs no network; without, it loads them from chevrotain's CDN default.
 */
export function renderGrammarHtml(assets?: DiagramAssets, rules: readonly RuleGast[] = grammarProductions()): string {
  const base = 'chevrotain-diagrams/';
  let html = createSyntaxDiagramsCode(diagramProductions(rules), assets === undefined ? {} : { resourceBase: base, css: `${base}diagrams.css` });
  html = html.replace(
    '<!DOCTYPE html>\n<meta charset="utf-8">',
    '<!DOCTYPE html>\n<meta charset="utf-8">\n<title>Parlance formula grammar</title>\n' +
      '<!-- Generated by `npm run grammar` from the chevrotain parser; grammar/formula.ebnf has the same grammar as text. -->',
  );
  if (assets === undefined) return html;
  const inline = (text: string) => text.replace(/<\/(script|style)/gi, '<\\/$1');
  const cssTag = `<link rel='stylesheet' href='${base}diagrams.css'>`;
  if (!html.includes(cssTag)) throw new Error('grammar-text: unexpected createSyntaxDiagramsCode output (stylesheet link)');
  html = html.replace(cssTag, () => `<style>\n${inline(assets.css)}</style>`);
  html = html.replace(/<script src='chevrotain-diagrams\/([^']+)'><\/script>/g, (_whole, path: string) => {
    const source = assets.scripts[path];
    if (source === undefined) throw new Error(`grammar-text: no inline source for diagram script ${path}`);
    return `<script>\n/* chevrotain/diagrams/${path} */\n${inline(source)}</script>`;
  });
  if (html.includes(base)) throw new Error('grammar-text: a diagram resource was not inlined');
  return html;
}

/** The script paths under `chevrotain/diagrams/` the page loads, in order. */
const DIAGRAM_SCRIPTS = ['vendor/railroad-diagrams.js', 'src/diagrams_builder.js', 'src/diagrams_behavior.js', 'src/main.js'] as const;

/** Reads the diagram page's stylesheet and scripts from the installed chevrotain package. */
export function loadDiagramAssets(): DiagramAssets {
  // chevrotain's `exports` hide `diagrams/`, so go from its entry point (lib/src/api.js) to the package root.
  const root = join(dirname(createRequire(import.meta.url).resolve('chevrotain')), '..', '..');
  const read = (path: string) => readFileSync(join(root, 'diagrams', path), 'utf8');
  return { css: read('diagrams.css'), scripts: Object.fromEntries(DIAGRAM_SCRIPTS.map((p) => [p, read(p)])) };
}

/** Every generated grammar file, by path from the repository root. `npm run grammar` writes them. */
export function grammarFiles(assets: DiagramAssets = loadDiagramAssets()): Record<string, string> {
  const rules = grammarProductions();
  return { 'grammar/formula.ebnf': renderGrammarEbnf(rules), 'docs/grammar.html': renderGrammarHtml(assets, rules) };
}
