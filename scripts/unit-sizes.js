#!/usr/bin/env node
/**
 * Reports the units over the size guide of docs/architecture.md: source files under src/ over
 * 500 lines and functions (declarations, methods, arrow functions, function expressions) over 80
 * lines, largest first. A report, not a check: docs/architecture.md lists the ones kept, with why.
 *
 *   node scripts/unit-sizes.js [--files N] [--functions N]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const MAX_FILE = arg('--files', 500);
const MAX_FUNCTION = arg('--functions', 80);
const root = new URL('..', import.meta.url).pathname;

function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** A function's name: its own, or the variable, property or class member it is assigned to. */
function nameOf(node) {
  if (node.name !== undefined) return node.name.getText();
  const p = node.parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) return p.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  return '(anonymous)';
}

const files = [];
const functions = [];
for (const file of sourceFiles('src')) {
  const text = readFileSync(join(root, file), 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_FILE) files.push([lines, file]);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (last - first + 1 > MAX_FUNCTION) functions.push([last - first + 1, `${file}:${first + 1} ${nameOf(node)}`]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
const byLength = (a, b) => b[0] - a[0] || a[1].localeCompare(b[1]);
process.stdout.write(`Files over ${MAX_FILE} lines: ${files.length}\n${files.sort(byLength).map(([n, f]) => `  ${n} ${f}\n`).join('')}`);
process.stdout.write(`Functions over ${MAX_FUNCTION} lines: ${functions.length}\n${functions.sort(byLength).map(([n, f]) => `  ${n} ${f}\n`).join('')}`);
