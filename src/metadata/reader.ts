/**
 * Reading an element tree while keeping account of every element: a mapper `take`s the elements
 * it maps; whatever is left is kept verbatim (as XML text, with its path) in the definition's
 * `x-salesforce` extension and reported as a warning with its path and line. Nothing is dropped
 * silently. Writing places the kept elements back where they were.
 */
import { MetadataCode, type MetadataProblem, writeElement, parseXml, type XmlElement } from './xml.js';

/** An element kept verbatim: the path of its parent and its own name with its index among same-named siblings. */
export interface KeptElement {
  /** Such as `messageLayouts[0]/layoutVariant[0]`. */
  readonly path: string;
  /** The element's XML text. */
  readonly xml: string;
}

/** The `x-salesforce` extension of an imported definition. */
export interface SalesforceExtension {
  /** The Salesforce type when Parlance's differs (a component's `type`). */
  readonly type?: string;
  /** Elements with no Parlance equivalent, verbatim. */
  readonly elements?: readonly KeptElement[];
}

/** The problems and kept elements of one import. */
export class ImportLog {
  readonly errors: MetadataProblem[] = [];
  readonly warnings: MetadataProblem[] = [];
  readonly kept: KeptElement[] = [];
  constructor(private readonly known: ReadonlySet<string>) {}

  error(code: string, message: string, at: Node): void {
    this.errors.push({ code, message, line: at.el.line, column: at.el.column, path: at.path });
  }

  /** Records why a child that `finish` will keep didn't map (its warning says so). */
  keepLater(node: Node, why: string): void {
    this.reasons.set(node.el, why);
  }

  private readonly reasons = new Map<XmlElement, string>();

  /** Keeps an element verbatim, with a warning. */
  keep(node: Node, why?: string): void {
    why = this.reasons.get(node.el) ?? why;
    this.kept.push({ path: node.path, xml: writeElement(node.el) });
    const unknown = !this.known.has(node.el.name);
    const message = unknown
      ? `Unknown element <${node.el.name}> at ${node.path} (line ${node.el.line}): kept verbatim in x-salesforce`
      : `<${node.el.name}> at ${node.path} (line ${node.el.line}): ${why ?? 'no Parlance equivalent'}; kept verbatim in x-salesforce`;
    this.warnings.push({ code: unknown ? MetadataCode.UnknownElement : MetadataCode.Kept, message, line: node.el.line, column: node.el.column, path: node.path });
  }
}

/** An element being read, with its path; tracks which children were taken. */
export class Node {
  private readonly taken = new Set<XmlElement>();
  readonly path: string;
  constructor(
    readonly el: XmlElement,
    parentPath: string,
    index: number,
  ) {
    this.path = parentPath === '' ? '' : `${parentPath === '/' ? '' : `${parentPath}/`}${el.name}[${index}]`;
  }

  static root(el: XmlElement): Node {
    return new Node(el, '', 0);
  }

  /** Every child named `name`, taken. */
  all(name: string): Node[] {
    const out: Node[] = [];
    let i = 0;
    for (const c of this.el.children) {
      if (c.name !== name) continue;
      this.taken.add(c);
      out.push(new Node(c, this.path === '' ? '/' : this.path, i++));
    }
    return out;
  }

  /** The first child named `name`, taken (later ones stay, and are kept by `finish`). */
  one(name: string): Node | undefined {
    let i = 0;
    for (const c of this.el.children) {
      if (c.name !== name) continue;
      if (i === 0) {
        this.taken.add(c);
        return new Node(c, this.path === '' ? '/' : this.path, 0);
      }
      i++;
    }
    return undefined;
  }

  /** The text of the first child named `name`, taken; undefined when absent. */
  text(name: string): string | undefined {
    return this.one(name)?.el.text;
  }

  /** Takes the child `name` only when its text is `expected` (a value the writer derives); otherwise it is left to be kept. */
  derived(name: string, expected: string): void {
    const first = this.el.children.find((c) => c.name === name);
    if (first !== undefined && first.children.length === 0 && first.text === expected && Object.keys(first.attributes).length === 0) this.taken.add(first);
  }

  /** Leaves a taken child to be kept after all (its value didn't map). */
  release(child: Node): void {
    this.taken.delete(child.el);
  }

  /** Keeps every child not taken. */
  finish(log: ImportLog, why?: string): void {
    const counts = new Map<string, number>();
    for (const c of this.el.children) {
      const i = counts.get(c.name) ?? 0;
      counts.set(c.name, i + 1);
      if (!this.taken.has(c)) log.keep(new Node(c, this.path === '' ? '/' : this.path, i), why);
    }
  }
}

/** Problems in document order. */
export function byLine(problems: readonly MetadataProblem[]): MetadataProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

// ---------------------------------------------------------------------------------------------
// Writing

function segments(path: string): Array<{ name: string; index: number }> {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      const m = /^(.*)\[(\d+)\]$/.exec(s);
      return m !== null ? { name: m[1] as string, index: Number(m[2]) } : { name: s, index: 0 };
    });
}

/**
 * Puts kept elements back into a written tree, in their order: each at its index among its
 * same-named siblings, replacing a derived element of the same name (`derived` holds the
 * elements the writer derived rather than mapped). Returns warnings for elements whose parent is
 * gone.
 */
export function placeKept(root: XmlElement, kept: readonly KeptElement[] | undefined, derived: ReadonlySet<XmlElement>): MetadataProblem[] {
  const problems: MetadataProblem[] = [];
  for (const k of kept ?? []) {
    const segs = segments(k.path);
    const last = segs.pop();
    const parsed = parseXml(k.xml);
    if (last === undefined || !parsed.ok) {
      problems.push({ code: MetadataCode.Unplaced, message: `x-salesforce element ${k.path}: not a valid kept element; left out`, path: k.path });
      continue;
    }
    let parent: XmlElement | undefined = root;
    for (const s of segs) parent = parent?.children.filter((c) => c.name === s.name)[s.index];
    if (parent === undefined) {
      problems.push({ code: MetadataCode.Unplaced, message: `x-salesforce element ${k.path}: its parent is no longer in the definition; left out`, path: k.path });
      continue;
    }
    const same = parent.children.filter((c) => c.name === last.name);
    const replaced = same.find((c) => derived.has(c));
    if (replaced !== undefined) {
      parent.children.splice(parent.children.indexOf(replaced), 1, parsed.root);
      continue;
    }
    const before = same[last.index];
    if (before !== undefined) parent.children.splice(parent.children.indexOf(before), 0, parsed.root);
    else {
      // After the last same-named sibling, or in alphabetical place.
      const lastSame = same[same.length - 1];
      const at = lastSame !== undefined ? parent.children.indexOf(lastSame) + 1 : parent.children.findIndex((c) => c.name > last.name);
      parent.children.splice(at === -1 ? parent.children.length : at, 0, parsed.root);
    }
  }
  return problems;
}
