/**
 * `blinkup decode` on hostile files (issue 6), through the real executable: every reader on
 * truncated, corrupt and oversized input, empty files, folders where files belong — exit 2 with
 * exactly one `blinkup: …` line and no stack trace, in bounded time. Then a seeded fuzz of
 * damaged good captures, in process (the same program from the sources, milliseconds a case).
 *
 * test/cli/decode.test.ts checks the wording of the common refusals; this file checks the
 * promise across many more inputs.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/util/random.js';
import { runCli, runInProcess } from '../cli/run-cli.js';
import { HOSTILE_CASES, judge, materialize, mutatedCase } from './hostile-files.js';

const dir = mkdtempSync(join(tmpdir(), 'blinkup-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Generous for a loaded machine; a hang or a read of a whole huge file would blow it. */
const MAX_MS = 15_000;

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  });
  await Promise.all(runners);
}

/** One case per reader and path kind, run through the real executable (bin → dist, a process each). */
const SPAWNED = ['binary data named .csv', 'a line of 1 MB', 'empty u16le', 'Y4M frames of 1.5 GB', 'Y4M with a short frame', 'a frame of another size', 'a PNG claiming 100000×100000 pixels', 'a folder where a CSV file is expected'];

describe('decode on hostile files', () => {
  it(`${HOSTILE_CASES.length} named cases: exit 2 (or 1 where the input is still readable), one line, no stack`, async () => {
    const broken: string[] = [];
    for (const [i, c] of HOSTILE_CASES.entries()) {
      const args = materialize(c, join(dir, `case-${i}`));
      const t0 = performance.now();
      const problem = judge(c, await runInProcess(args), performance.now() - t0, MAX_MS);
      if (problem) broken.push(`${c.name}: ${problem}`);
    }
    expect(broken).toEqual([]);
  });

  // A reader that stops early (bad input) must close its file, not leave the handle to the garbage
  // collector: a library user's long-running process would gather them (Node warns, and will throw).
  it.skipIf(!existsSync('/proc/self/fd'))('leaves no file open after any of them', async () => {
    const openFiles = (): number => readdirSync('/proc/self/fd').length;
    const cases = HOSTILE_CASES.map((c, i) => materialize(c, join(dir, `fd-${i}`)));
    // Inputs refused on their first bytes or on an option, after the file was opened to look at them.
    const png = join(dir, 'image.y4m');
    writeFileSync(png, Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13));
    const csv = join(dir, 'capture.csv');
    writeFileSync(csv, 'value\n1\n2\n3\n');
    cases.push(['decode', png], ['decode', csv, '--fps', '30'], ['decode', csv, '--roi', '0,0,1,1']);
    // Refused once the video's header was read: an option that does not apply to video, a region outside its frames.
    const video = new URL('../../fixtures/captures/camera.y4m', import.meta.url).pathname;
    cases.push(['decode', video, '--invert'], ['analyze', video, '--invert'], ['decode', video, '--roi', '4,4,8,8'], ['analyze', video, '--roi', '4,4,8,8']);
    await runInProcess(cases[0]!); // modules loaded, once
    const before = openFiles();
    for (const args of cases) await runInProcess(args);
    expect(openFiles()).toBeLessThanOrEqual(before);
  });

  it(`the real executable: ${SPAWNED.length} of them, each in its own process`, async () => {
    const cases = HOSTILE_CASES.filter((c) => SPAWNED.includes(c.name));
    expect(cases).toHaveLength(SPAWNED.length);
    const broken: string[] = [];
    await pool(cases, 3, async (c, i) => {
      const args = materialize(c, join(dir, `spawned-${i}`));
      const t0 = performance.now();
      const problem = judge(c, await runCli(args), performance.now() - t0, MAX_MS);
      if (problem) broken.push(`${c.name}: ${problem}`);
    });
    expect(broken).toEqual([]);
  });
});

describe('decode on damaged captures (seeded, in process)', () => {
  it('120 mutated CSV, u16le and Y4M captures: exit 0 (only with the packet sent), 1 or 2, never a crash', async () => {
    const rng = new Random(0x6a4d);
    const broken: string[] = [];
    const statuses = [0, 0, 0];
    for (let i = 0; i < 120; i++) {
      const c = mutatedCase(rng, i);
      const args = materialize(c, join(dir, `mutated-${i}`));
      const t0 = performance.now();
      const r = await runInProcess(args);
      const problem = judge(c, r, performance.now() - t0, MAX_MS);
      if (problem) broken.push(`${c.name}: ${problem}`);
      statuses[r.status]!++;
    }
    expect(broken).toEqual([]);
    // The mutations do reach every outcome (a test that only ever sees exit 2 proves little).
    expect(statuses.every((n) => n > 0), `exit statuses 0/1/2: ${statuses.join('/')}`).toBe(true);
  });
});
