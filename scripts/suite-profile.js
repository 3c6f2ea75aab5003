#!/usr/bin/env node
/**
 * Per-file durations of a test run, slowest first, from vitest's JSON report:
 *
 *   npx vitest run --reporter=default --reporter=json --outputFile=/tmp/run.json
 *   node scripts/suite-profile.js /tmp/run.json [files=15] [/tmp/earlier-run.json]
 *
 * With a second report, prints both runs' durations side by side (a Markdown table).
 * Durations are wall time per file: on a shared machine, compare files with each other.
 */
import { readFileSync } from 'node:fs';

function load(path) {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  return new Map(
    report.testResults.map((f) => [f.name.replace(`${process.cwd()}/`, ''), { seconds: (f.endTime - f.startTime) / 1000, tests: f.assertionResults.length, status: f.status }]),
  );
}

const [path, count = '15', earlierPath] = process.argv.slice(2);
if (path === undefined) {
  process.stderr.write('usage: node scripts/suite-profile.js <vitest JSON report> [files] [earlier report]\n');
  process.exit(2);
}
const run = load(path);
const earlier = earlierPath === undefined ? undefined : load(earlierPath);
const order = [...(earlier ?? run).entries()].sort((a, b) => b[1].seconds - a[1].seconds).slice(0, Number(count));
const total = (m) => [...m.values()].reduce((s, f) => s + f.seconds, 0).toFixed(0);
if (earlier === undefined) {
  for (const [file, f] of order) console.log(`${f.seconds.toFixed(1).padStart(7)} s ${String(f.tests).padStart(5)} tests  ${f.status === 'passed' ? '' : `${f.status} `}${file}`);
  console.log(`${run.size} files, ${total(run)} s in all`);
} else {
  console.log('| file | before (s) | after (s) |\n|---|---:|---:|');
  for (const [file, f] of order) console.log(`| ${file} | ${f.seconds.toFixed(1)} | ${run.get(file)?.seconds.toFixed(1) ?? '-'} |`);
  console.log(`| all files (sum) | ${total(earlier)} | ${total(run)} |`);
}
