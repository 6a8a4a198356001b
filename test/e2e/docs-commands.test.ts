/**
 * The shell examples of docs/decoding.md, run as written (with `blinkup` the built executable):
 * where the docs show a command's output right after it, every line they show must come out, in
 * order. The simulator is seeded, so the figures are exact — a decoder change that moves an SNR or a
 * bit confidence fails here until the docs say what the commands now print. A line `…` stands for
 * any lines, and a line ending in ` …` for any line that begins the same. Lines the docs leave out
 * (simulate's summary on stderr) may come in between. Blocks that call ffmpeg need it (skipped
 * without it, unless BLINKUP_REQUIRE_SYSTEM_TOOLS=1).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/blinkup.js');
const DOC = 'docs/decoding.md';
const HAVE_FFMPEG = spawnSync('ffmpeg', ['-version']).status === 0;
const REQUIRED = process.env.BLINKUP_REQUIRE_SYSTEM_TOOLS === '1';

interface Example {
  readonly line: number;
  readonly script: string;
  readonly shown: string[];
}

/** Each ```sh block followed at once by a plain ``` block: the command and the output shown. */
function examples(): Example[] {
  const text = readFileSync(join(ROOT, DOC), 'utf8');
  const blocks = [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)];
  const out: Example[] = [];
  for (let k = 0; k + 1 < blocks.length; k++) {
    const [command, output] = [blocks[k]!, blocks[k + 1]!];
    if (command[1] !== 'sh' || output[1] !== '') continue;
    if (text.slice(command.index! + command[0].length, output.index).trim() !== '') continue;
    const shown = output[2]!.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
    out.push({ line: text.slice(0, command.index).split('\n').length, script: command[2]!, shown });
  }
  return out;
}

/** Whether `shown` (with its `…` wildcards) comes out of `printed` in order. Returns the first line not found. */
function firstMissing(shown: readonly string[], printed: readonly string[]): string | undefined {
  let at = 0;
  for (const line of shown) {
    if (line.trim() === '…') continue;
    const prefix = line.endsWith(' …') ? line.slice(0, -2) : undefined;
    while (at < printed.length && !(prefix !== undefined ? printed[at]!.startsWith(prefix) : printed[at] === line)) at++;
    if (at === printed.length) return line;
    at++;
  }
  return undefined;
}

// The examples share files (wifi.txt, hard.csv …): one folder, run in the docs' order.
const dir = mkdtempSync(join(tmpdir(), 'blinkup-docs-sh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PRELUDE = `blinkup() { "${process.execPath}" "${BIN}" "$@"; }\nprintf '%s' 'correct horse' > wifi.txt\n`;

describe(`${DOC}: commands print what the docs show`, () => {
  const all = examples();

  it('finds the examples', () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
  });

  for (const example of all) {
    const needsFfmpeg = /\bffmpeg\b/.test(example.script);
    it.skipIf(needsFfmpeg && !HAVE_FFMPEG && !REQUIRED)(`${DOC}:${example.line}`, () => {
      // What a terminal shows: stdout and stderr as they came, in one stream.
      const r = spawnSync('bash', ['-c', `exec 2>&1\n${PRELUDE}${example.script}`], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      const printed = r.stdout.split('\n').map((l) => l.trimEnd());
      const missing = firstMissing(example.shown, printed);
      expect(missing, `not printed:\n${missing}\n--- printed:\n${printed.join('\n')}`).toBeUndefined();
    });
  }
});
