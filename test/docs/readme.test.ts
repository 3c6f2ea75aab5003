/**
 * Every `npx parlance …` command in README.md's shell blocks runs, from the repository root, and
 * succeeds; where the README shows the output in a `# …` line right after it, the output matches.
 * (bin/parlance.js runs dist/: `npm test` builds first.)
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8');
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] as string).split('\n'));
const commands: { command: string; expected?: string }[] = [];
for (const lines of blocks) {
  lines.forEach((line, i) => {
    if (!/(^|\| )npx parlance /.test(line)) return;
    const next = lines[i + 1];
    commands.push({ command: line, ...(next?.startsWith('# ') === true ? { expected: next.slice(2) } : {}) });
  });
}

describe('README commands', () => {
  it('has commands to check', () => {
    expect(commands.length).toBeGreaterThanOrEqual(3);
  });
  for (const { command, expected } of commands) {
    it(command, () => {
      const local = command.replace(/npx parlance /g, `node ${root}bin/parlance.js `);
      const out = execSync(local, { cwd: root, encoding: 'utf8', shell: '/bin/sh' });
      if (expected !== undefined) expect(out.trim()).toBe(expected);
    });
  }
});
