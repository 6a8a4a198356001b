/**
 * The code examples of README.md and docs/ run as a reader would paste them, against the built
 * package (dist/, which `npm test` builds first): every example that shows its output in
 * `// → …` lines must print exactly those lines, in order. An example whose figures drifted
 * (a decoder change moved an SNR) fails here, not in a reader's terminal.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const OUTPUT = /^\s*\/\/ → (.*)$/;

interface Example {
  readonly name: string;
  readonly code: string;
  readonly expected: string[];
}

/** The ```js blocks of `file` that show their output. */
function examples(file: string): Example[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: Example[] = [];
  for (const m of text.matchAll(/^```js\n([\s\S]*?)^```$/gm)) {
    const code = m[1]!;
    const expected = code.split('\n').flatMap((line) => OUTPUT.exec(line)?.[1] ?? []);
    const line = text.slice(0, m.index).split('\n').length;
    if (expected.length > 0) out.push({ name: `${file}:${line}`, code, expected });
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'blinkup-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The package's import names, pointed at the build. */
function againstBuild(code: string): string {
  return code
    .replaceAll("from 'blinkup-codec/node'", `from '${join(ROOT, 'dist/node/index.js')}'`)
    .replaceAll("from 'blinkup-codec'", `from '${join(ROOT, 'dist/index.js')}'`);
}

const all = DOCS.flatMap(examples);

describe('documented examples print what the docs say', () => {
  it('finds the examples (README and docs/encoding.md show output)', () => {
    expect(all.map((e) => e.name.split(':')[0])).toEqual(expect.arrayContaining(['README.md', 'docs/encoding.md']));
  });

  it.each(all.map((e) => [e.name, e] as const))('%s', (_, example) => {
    const file = join(dir, `${example.name.replace(/[/:.]/g, '-')}.mjs`);
    writeFileSync(file, againstBuild(example.code));
    const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual(example.expected);
  });
});
