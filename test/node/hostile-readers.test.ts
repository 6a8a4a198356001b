/**
 * Seeded fuzzing of the readers (issue 6): truncated and corrupted inputs must end in the
 * data read so far or in a BlinkUpError — never another exception, never a hang.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBinarySamples } from '../../src/node/binary-samples.js';
import { fileChunks } from '../../src/node/byte-source.js';
import { encodeGreyPng, openPngFolder } from '../../src/node/png-frames.js';
import { openY4M } from '../../src/node/y4m.js';
import { isBlinkUpError } from '../../src/packet/errors.js';
import { Random } from '../../src/util/random.js';
import { chunked, expectBlinkUpError, tempFolder, utf8 } from './helpers.js';

/** Run `work`; a failure must be a BlinkUpError. Returns its message, or undefined on success. */
async function outcome(work: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await work();
    return undefined;
  } catch (err) {
    if (!isBlinkUpError(err)) throw err;
    return err.message;
  }
}

function mutate(bytes: Uint8Array, random: Random): Uint8Array {
  const out = bytes.slice();
  switch (random.int(0, 3)) {
    case 0:
      return out.subarray(0, random.int(0, out.length)); // truncated
    case 1:
      for (let k = random.int(1, 4); k > 0; k--) out[random.int(0, Math.min(out.length - 1, 80))] = random.int(0, 255); // header damage
      return out;
    case 2:
      for (let k = random.int(1, 8); k > 0; k--) out[random.int(0, out.length - 1)] = random.int(0, 255); // anywhere
      return out;
    default: {
      const junk = new Uint8Array(random.int(1, 300)).map(() => random.int(0, 255));
      const at = random.int(0, out.length);
      return Uint8Array.from([...out.subarray(0, at), ...junk, ...out.subarray(at)]); // inserted junk
    }
  }
}

describe('hostile input to the readers', () => {
  it('Y4M: mutated streams read or fail with BlinkUpError', async () => {
    const random = new Random(606);
    const frame = (v: number, bytes: number) => Uint8Array.from([...utf8('FRAME\n'), ...new Uint8Array(bytes).fill(v)]);
    const streams = [
      Uint8Array.from([...utf8('YUV4MPEG2 W8 H4 F30:1 Ip A1:1 Cmono\n'), ...frame(1, 32), ...frame(2, 32), ...frame(3, 32)]),
      Uint8Array.from([...utf8('YUV4MPEG2 W8 H4 F25:1 C420p10 XCOLORRANGE=LIMITED\n'), ...frame(4, 96), ...frame(5, 96)]),
    ];
    let failures = 0;
    for (let trial = 0; trial < 400; trial++) {
      const bytes = mutate(streams[trial % 2]!, random);
      const message = await outcome(async () => {
        for await (const f of (await openY4M(chunked(bytes, random.int(1, 64)))).frames()) void f;
      });
      if (message !== undefined) failures++;
    }
    expect(failures).toBeGreaterThan(100); // the mutations do break streams…
    expect(failures).toBeLessThan(400); // …and some survive (a changed pixel is still a video)
  });

  it('u16le/f32le: any length reads or fails with BlinkUpError', async () => {
    const random = new Random(7);
    for (let trial = 0; trial < 200; trial++) {
      const bytes = new Uint8Array(random.int(0, 50)).map(() => random.int(0, 255));
      await outcome(async () => {
        for await (const c of readBinarySamples(chunked(bytes, random.int(1, 9)), { format: trial % 2 ? 'u16le' : 'f32le' })) void c;
      });
    }
  });

  it('PNG folders: a damaged frame is reported by name', async () => {
    const random = new Random(99);
    const good = encodeGreyPng(new Uint8Array(12 * 8).map((_, i) => i), 12, 8);
    const root = tempFolder('png-fuzz');
    let named = 0;
    for (let trial = 0; trial < 40; trial++) {
      const dir = join(root, String(trial));
      mkdirSync(dir);
      writeFileSync(join(dir, 'f1.png'), good);
      writeFileSync(join(dir, 'f2.png'), mutate(good, random));
      writeFileSync(join(dir, 'f3.png'), good);
      const message = await outcome(async () => {
        for await (const f of (await openPngFolder(dir, { fps: 30 })).frames()) void f;
      });
      if (message !== undefined) {
        expect(message).toMatch(/^(cannot read )?f2\.png/);
        named++;
      }
    }
    expect(named).toBeGreaterThan(20);
  });

  it('a folder where a file is expected', async () => {
    const dir = tempFolder('as-file');
    await expectBlinkUpError(openY4M(fileChunks(dir)), 'INPUT_INVALID');
    await expectBlinkUpError(
      (async () => {
        for await (const c of readBinarySamples(fileChunks(dir), { format: 'u16le' })) void c;
      })(),
      'INPUT_INVALID',
    );
  });
});
