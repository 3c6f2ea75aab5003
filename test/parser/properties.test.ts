/**
 * Property tests for the parser and printer, each over at least 10,000 generated inputs.
 *
 * (a) Any text, however broken, only ever yields diagnostics or a result: neither parsing nor
 *     compiling (nor evaluating what compiles) throws, and each input finishes quickly.
 * (b) print() is a faithful inverse of parse(): an arbitrary tree prints to text that parses back
 *     to the same tree; parse → print → parse → print is a fixpoint for valid formulas written
 *     with any spacing, comments, letter case and redundant parentheses; and every node's span
 *     covers exactly the text of that node.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFormula, type Diagnostic } from '../../src/index.js';
import { children, print, withoutSpans, type Expr } from '../../src/formula/ast.js';
import { FormulaSyntax } from '../../src/formula/parser/parse.js';
import { anyText, FRAGMENTS, fragmentText, MAX_LENGTH, noisy, options, record, tree } from './generators.js';
import { runs } from '../helpers/runs.js';

const RUNS = runs(10_000);
/** Generous: a parse + compile + evaluate takes about a millisecond at most (CPU time). */
const SLOW_MS = 1000;

const syntax = new FormulaSyntax();

/** A cheap assertion for the hot loops (vitest's `expect` costs more than the parse). */
function check(condition: boolean, what: string, text: string): void {
  if (!condition) throw new Error(`${what}: ${JSON.stringify(text.slice(0, 300))}`);
}

function checkDiagnostics(diagnostics: readonly Diagnostic[], text: string): void {
  for (const d of diagnostics) {
    const { start, end, line, column } = d.span;
    check(/^[EW]_[A-Z_]+$/.test(d.code) && d.message.length > 0, `bad diagnostic ${d.code} ${d.message}`, text);
    check(start >= 0 && end >= start && end <= text.length && line >= 1 && column >= 1, `bad span ${JSON.stringify(d.span)}`, text);
  }
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Parses, compiles and (when it compiles) evaluates; any throw fails the property. */
function survives(text: string): void {
  const started = cpuMs();
  const parsed = syntax.parse(text);
  checkDiagnostics(parsed.diagnostics, text);
  check((parsed.ast === null) === parsed.diagnostics.some((d) => d.severity === 'error'), 'a tree exactly when there is no error', text);
  const compiled = compileFormula(text, options);
  checkDiagnostics(compiled.diagnostics, text);
  check(parsed.ast !== null || !compiled.ok, 'compiles only what parses', text);
  if (compiled.ok) {
    const result = compiled.evaluate({ record, listItem: { index: 1, value: { Field: 'f', Name: 'n' }, isFirst: true, isLast: false }, now: '2024-01-02T03:04:05Z' });
    check(typeof result === 'object' && result !== null, 'evaluate returns a result', text);
  }
  // CPU time, not wall time, so a busy machine does not make this flaky.
  const elapsed = cpuMs() - started;
  check(elapsed < SLOW_MS, `took ${elapsed.toFixed(0)} ms of CPU`, text);
}

function* nodes(root: Expr): Generator<Expr> {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Expr;
    yield node;
    stack.push(...children(node));
  }
}

function parsed(text: string): Expr {
  const r = syntax.parse(text);
  if (r.ast === null) throw new Error(`${JSON.stringify(text)} does not parse: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.ast;
}

/** Compares trees by shape; JSON text is a cheap deep-equality for these plain values. */
function sameTree(actual: Expr, expected: Expr, what: string): void {
  const [a, b] = [JSON.stringify(withoutSpans(actual)), JSON.stringify(withoutSpans(expected))];
  if (a !== b) expect(withoutSpans(actual), what).toEqual(withoutSpans(expected)); // the readable diff
}

// ---------------------------------------------------------------------------------------------

const startedCpu = cpuMs();
afterAll(() => {
  console.log(`parser properties: ${((cpuMs() - startedCpu) / 1000).toFixed(1)} s of CPU`);
});

describe('parser robustness (a)', () => {
  it('arbitrary Unicode text yields diagnostics or a result, never a throw or a hang', () => {
    fc.assert(fc.property(anyText, survives), { numRuns: RUNS });
  });

  it('text built from formula fragments yields diagnostics or a result, never a throw or a hang', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 20, arbitrary: fragmentText(40) }, { weight: 1, arbitrary: fragmentText(1500) }), survives),
      { numRuns: RUNS },
    );
  });

  it('valid formulas, and valid formulas with a cut or an inserted fragment, yield diagnostics or a result', () => {
    const edited = fc
      .tuple(noisy(), fc.nat(), fc.nat(6), fc.constantFrom('', ...FRAGMENTS), fc.nat(2))
      .map(([text, at, cut, insert, how]) => {
        if (how === 0) return text;
        const i = at % (text.length + 1);
        return (text.slice(0, i) + insert + text.slice(i + (how === 1 ? cut : 0))).slice(0, MAX_LENGTH);
      });
    fc.assert(fc.property(edited, survives), { numRuns: RUNS });
  });
});

describe('printer and parser round trips (b)', () => {
  it('print(tree) parses back to the same tree', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const text = print(t);
        sameTree(parsed(text), t, text);
      }),
      { numRuns: RUNS },
    );
  });

  it('the noisy writer only writes valid formulas, and parse → print → parse → print is a fixpoint', () => {
    fc.assert(
      fc.property(noisy(), (text) => {
        const first = parsed(text);
        const printed = print(first);
        const second = parsed(printed);
        sameTree(second, first, printed);
        if (print(second) !== printed) expect(print(second)).toBe(printed);
      }),
      { numRuns: RUNS },
    );
  });

  it('every node span covers exactly that node: its text parses to the same node', () => {
    fc.assert(
      fc.property(noisy(), (text) => {
        for (const node of nodes(parsed(text))) {
          check(node.span.start >= 0 && node.span.end <= text.length, `span ${JSON.stringify(node.span)} out of range`, text);
          const own = text.slice(node.span.start, node.span.end);
          sameTree(parsed(own), node, `span of ${print(node)} in ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
