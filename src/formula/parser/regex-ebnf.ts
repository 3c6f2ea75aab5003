/**
 * Token patterns as W3C EBNF, for the grammar's lexical section (grammar-text.ts): a converter of
 * the regular-expression subset the formula tokens use. Anything outside that subset throws, so a
 * new kind of pattern cannot be rendered wrongly without notice.
 */

/** Quotes a literal W3C-style: double quotes, or single quotes when the text contains `"`. */
export function quote(text: string): string {
  if (!text.includes('"')) return `"${text}"`;
  if (!text.includes("'")) return `'${text}'`;
  throw new Error(`grammar-text: cannot quote ${text}`);
}

// ---------------------------------------------------------------------------------------------
// Token patterns → W3C EBNF. Only the regular-expression subset the tokens use is supported;
// anything else throws, so a new kind of pattern cannot be rendered wrongly without notice.

type RNode =
  | { t: 'lit'; s: string }
  | { t: 'atom'; text: string }
  | { t: 'seq'; items: RNode[] }
  | { t: 'alt'; options: RNode[] }
  | { t: 'rep'; node: RNode; q: '*' | '+' | '?' };

/** How the EBNF names any character (declared in the lexical section of grammar/formula.ebnf). */
const ANY_CHAR = 'Char';

function codePoint(c: string): string {
  return `#x${(c.codePointAt(0) as number).toString(16).toUpperCase()}`;
}

export class RegexToEbnf {
  private i = 0;
  constructor(private readonly src: string) {}

  static convert(re: RegExp): string {
    if (re.flags !== '') throw new Error(`grammar-text: unsupported regular expression flags /${re.source}/${re.flags}`);
    const p = new RegexToEbnf(re.source);
    const node = p.alternation();
    if (p.i !== p.src.length) p.fail();
    return render(node, 0);
  }

  private fail(): never {
    throw new Error(`grammar-text: cannot render /${this.src}/ as EBNF (at ${this.i})`);
  }

  private alternation(): RNode {
    const options = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as RNode) : { t: 'alt', options };
  }

  private sequence(): RNode {
    const items: RNode[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      const q = this.src[this.i];
      if (q === '*' || q === '+' || q === '?') {
        this.i++;
        if (this.src[this.i] === '?') {
          // A lazy `Char*?` followed by a literal to the end: "shortest run up to the literal".
          this.i++;
          const rest = this.sequence();
          const end = rest.t === 'lit' ? rest.s : undefined;
          if (q !== '*' || atom.t !== 'atom' || atom.text !== ANY_CHAR || end === undefined) this.fail();
          items.push({ t: 'atom', text: `( ${ANY_CHAR}* - ( ${ANY_CHAR}* ${quote(end)} ${ANY_CHAR}* ) )` }, rest);
          break;
        }
        items.push({ t: 'rep', node: atom, q });
      } else {
        const last = items[items.length - 1];
        if (atom.t === 'lit' && last?.t === 'lit') items[items.length - 1] = { t: 'lit', s: last.s + atom.s };
        else items.push(atom);
      }
    }
    return items.length === 1 ? (items[0] as RNode) : { t: 'seq', items };
  }

  private atom(): RNode {
    const c = this.src[this.i++];
    switch (c) {
      case '(': {
        if (this.src.startsWith('?:', this.i)) this.i += 2;
        else if (this.src[this.i] === '?') this.fail();
        const inner = this.alternation();
        if (this.src[this.i++] !== ')') this.fail();
        return inner;
      }
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape();
      case undefined:
      case '.':
      case '^':
      case '$':
      case '*':
      case '+':
      case '?':
      case '{':
        return this.fail();
      default:
        return { t: 'lit', s: c };
    }
  }

  private escape(): RNode {
    const c = this.src[this.i++];
    if (c === undefined) this.fail();
    if (c === 'd') return { t: 'atom', text: '[0-9]' };
    if (/[A-Za-z0-9]/.test(c)) this.fail();
    return { t: 'lit', s: c };
  }

  private characterClass(): RNode {
    const close = this.src.indexOf(']', this.i + 1);
    if (close < 0) this.fail();
    let body = this.src.slice(this.i, close);
    this.i = close + 1;
    if (body === '\\s\\S') return { t: 'atom', text: ANY_CHAR };
    const negated = body.startsWith('^');
    if (negated) body = body.slice(1);
    let out = '';
    for (let k = 0; k < body.length; k++) {
      let c = body[k] as string;
      if (c === '\\') {
        const e = body[++k];
        if (e === undefined) this.fail();
        if (e === 'd') {
          out += '0-9';
          continue;
        }
        const controls: Record<string, string> = { t: '\t', r: '\r', n: '\n', f: '\f', v: '\v' };
        if (e === 'u') {
          c = String.fromCharCode(parseInt(body.slice(k + 1, k + 5), 16));
          k += 4;
        } else if (controls[e] !== undefined) {
          c = controls[e];
        } else if (/[A-Za-z0-9]/.test(e)) {
          this.fail();
        } else {
          c = e;
        }
      } else if (c === '-' && k > 0 && k < body.length - 1) {
        out += '-';
        continue;
      }
      out += /[!-~]/.test(c) && !'#-]^'.includes(c) ? c : codePoint(c);
    }
    return { t: 'atom', text: `[${negated ? '^' : ''}${out}]` };
  }
}

/** Renders a pattern node; `level` 0 = alternation allowed, 1 = inside a sequence, 2 = operand of a quantifier. */
function render(node: RNode, level: number): string {
  switch (node.t) {
    case 'lit':
      return quote(node.s);
    case 'atom':
      return node.text;
    case 'rep':
      return `${render(node.node, 2)}${node.q}`;
    case 'seq': {
      const text = node.items.map((n) => render(n, 1)).join(' ');
      return level === 2 ? `( ${text} )` : text;
    }
    case 'alt': {
      const text = node.options.map((n) => render(n, 0)).join(' | ');
      return level > 0 ? `( ${text} )` : text;
    }
  }
}
