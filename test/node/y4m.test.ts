import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { fileChunks } from '../../src/node/byte-source.js';
import type { LumaFrame } from '../../src/node/luma-frames.js';
import { openY4M, Y4MWriter } from '../../src/node/y4m.js';
import { frameRateOf, parseY4MHeader } from '../../src/node/y4m-format.js';
import { Random } from '../../src/util/random.js';
import { chunked, concatBytes, expectBlinkUpError, tempFolder, utf8 } from './helpers.js';


/** Frames of random luma, `width × height`. */
function randomFrames(count: number, width: number, height: number, seed: number): Uint8Array[] {
  const random = new Random(seed);
  return Array.from({ length: count }, () => new Uint8Array(width * height).map(() => random.int(0, 255)));
}

/** Write frames with Y4MWriter into memory. */
async function y4mBytes(frames: readonly Uint8Array[], options: ConstructorParameters<typeof Y4MWriter>[1]): Promise<Uint8Array> {
  const sink = new PassThrough();
  const parts: Uint8Array[] = [];
  sink.on('data', (part: Uint8Array) => parts.push(part));
  const writer = new Y4MWriter(sink, options);
  for (const frame of frames) await writer.writeFrame(frame);
  await writer.finish();
  sink.end();
  await finished(sink);
  return concatBytes(parts);
}

/** Read all frames, copying each plane (the reader reuses its buffer). */
async function readAll(input: Parameters<typeof openY4M>[0]): Promise<{ info: Awaited<ReturnType<typeof openY4M>>['info']; frames: LumaFrame[] }> {
  const video = await openY4M(input);
  const frames: LumaFrame[] = [];
  for await (const frame of video.frames()) frames.push({ ...frame, luma: frame.luma.slice() });
  return { info: video.info, frames };
}

describe('Y4M writer and reader', () => {
  it('round-trips mono and 420 luma at any chunking, with times from the frame rate', async () => {
    const frames = randomFrames(4, 5, 3, 1); // odd sizes: 420 chroma planes are 3×2
    for (const layout of ['mono', '420'] as const) {
      const bytes = await y4mBytes(frames, { width: 5, height: 3, fps: 30000 / 1001, layout });
      expect(new TextDecoder().decode(bytes.subarray(0, 60))).toContain(`W5 H3 F30000:1001`);
      for (const size of [1, 7, 1 << 16]) {
        const { info, frames: got } = await readAll(chunked(bytes, size));
        expect(info).toMatchObject({ width: 5, height: 3, bitDepth: 8 });
        expect(info.fps).toBe(30000 / 1001);
        expect(got.map((f) => [...f.luma])).toEqual(frames.map((f) => [...f]));
        expect(got[3]!.timeS).toBeCloseTo((3 * 1001) / 30000, 12);
      }
    }
  });

  it('writes to a file and reads it back through the file reader', async () => {
    const path = join(tempFolder('y4m'), 'clip.y4m');
    const frames = randomFrames(3, 64, 48, 2);
    const out = createWriteStream(path);
    const writer = new Y4MWriter(out, { width: 64, height: 48, fps: 60, layout: '420' });
    for (const frame of frames) await writer.writeFrame(frame);
    out.end();
    await finished(out);
    const { frames: got } = await readAll(fileChunks(path, 1000));
    expect(got.map((f) => f.index)).toEqual([0, 1, 2]);
    expect(got[2]!.luma).toEqual(frames[2]);
  });

  it('skips 422, 444, 411 and 444alpha chroma, and accepts FRAME parameters', async () => {
    const cases = [
      ['422', 2 * 2 * 3],
      ['444', 2 * 4 * 3],
      ['411', 2 * 1 * 3],
      ['444alpha', 3 * 4 * 3],
      ['420paldv', 2 * 2 * 2],
      ['mono', 0],
    ] as const;
    for (const [colorspace, chroma] of cases) {
      const luma = [randomFrames(1, 4, 3, 3)[0]!, randomFrames(1, 4, 3, 4)[0]!];
      const frame = (y: Uint8Array, params: string) => concatBytes([utf8(`FRAME${params}\n`), y, new Uint8Array(chroma).fill(0x0a)]);
      const bytes = concatBytes([utf8(`YUV4MPEG2 W4 H3 F25:1 It A0:0 C${colorspace} XYSCSS=FOO\n`), frame(luma[0]!, ''), frame(luma[1]!, ' Ib Xfoo')]);
      const { frames } = await readAll(chunked(bytes, 5));
      expect(frames.map((f) => [...f.luma]), colorspace).toEqual(luma.map((y) => [...y]));
    }
  });

  it('reads high bit depth as little-endian 16-bit planes', async () => {
    for (const colorspace of ['420p10', 'mono16', '444p12']) {
      const header = parseY4MHeader(`YUV4MPEG2 W2 H2 F60:1 C${colorspace}`);
      const samples = [0, 1, 1023, 65535 & ((1 << header.bitDepth) - 1)];
      const luma = new Uint8Array(8);
      samples.forEach((v, i) => new DataView(luma.buffer).setUint16(2 * i, v, true));
      const bytes = concatBytes([utf8(`YUV4MPEG2 W2 H2 F60:1 C${colorspace}\nFRAME\n`), luma, new Uint8Array(header.frameBytes - 8)]);
      const { info, frames } = await readAll(chunked(bytes, 3));
      expect(info.bitDepth).toBe(header.bitDepth);
      expect(frames[0]!.luma).toBeInstanceOf(Uint16Array);
      expect([...frames[0]!.luma]).toEqual(samples);
    }
  });

  it('reuses one luma buffer unless asked not to', async () => {
    const bytes = await y4mBytes(randomFrames(3, 8, 8, 5), { width: 8, height: 8, fps: 30 });
    const buffers = async (reuseBuffer: boolean) => {
      const seen = new Set<ArrayBufferLike>();
      for await (const frame of (await openY4M(bytes, { reuseBuffer })).frames()) seen.add(frame.luma.buffer);
      return seen.size;
    };
    expect(await buffers(true)).toBe(1);
    expect(await buffers(false)).toBe(3);
  });

  it('takes untagged colour video as video range and untagged grey as full range, as ffmpeg does', async () => {
    const range = async (header: string) => (await openY4M([new TextEncoder().encode(`${header}\n`)])).info.colorRange;
    expect(await range('YUV4MPEG2 W8 H8 F30:1 C420jpeg')).toBe('limited');
    expect(await range('YUV4MPEG2 W8 H8 F30:1 C444p10')).toBe('limited');
    expect(await range('YUV4MPEG2 W8 H8 F30:1 Cmono')).toBeUndefined();
    expect(await range('YUV4MPEG2 W8 H8 F30:1 C420jpeg XCOLORRANGE=FULL')).toBe('full');
  });

  it('parses header details: colour range, unknown rate, defaults', () => {
    expect(parseY4MHeader('YUV4MPEG2 W8 H8 F0:0 XCOLORRANGE=LIMITED')).toMatchObject({ colorspace: '420jpeg', colorRange: 'limited', frameBytes: 96 });
    expect(parseY4MHeader('YUV4MPEG2 W8 H8').fps).toBeUndefined();
    expect(frameRateOf(29.97)).toEqual({ num: 30000, den: 1001 });
    expect(frameRateOf(12.5)).toEqual({ num: 25, den: 2 });
    expect(frameRateOf({ num: 30000, den: 1001 })).toEqual({ num: 30000, den: 1001 });
  });
});

describe('Y4M hostile input', () => {
  const good = 'YUV4MPEG2 W4 H2 F30:1 Cmono\n';

  it('refuses bad headers with clear messages', async () => {
    const bad: Array<[string, string, RegExp]> = [
      ['PNG\r\n\u001a\n', 'INPUT_INVALID', /not a Y4M stream/],
      ['YUV4MPEG2 H2 F30:1\n', 'INPUT_INVALID', /width \(W\) or height/],
      ['YUV4MPEG2 W0 H2\n', 'INPUT_INVALID', /invalid width/],
      ['YUV4MPEG2 W4x H2\n', 'INPUT_INVALID', /invalid width/],
      ['YUV4MPEG2 W4 H2 F30:0\n', 'INPUT_INVALID', /frame rate/],
      ['YUV4MPEG2 W4 H2 Cyuyv\n', 'INPUT_INVALID', /colourspace/],
      ['YUV4MPEG2 W20000 H2\n', 'LIMIT_EXCEEDED', /width 20000 exceeds/],
      ['YUV4MPEG2 W16000 H16000 C444p16\n', 'LIMIT_EXCEEDED', /over the limit/],
      ['', 'INPUT_INVALID', /empty/],
      ['YUV4MPEG2 W4 H2', 'INPUT_INVALID', /ends inside the Y4M stream header/],
      [`YUV4MPEG2 W4 H2 X${'a'.repeat(5000)}\n`, 'INPUT_INVALID', /longer than 4096 bytes/],
    ];
    for (const [text, code, pattern] of bad) {
      expect(await expectBlinkUpError(openY4M(text), code as 'INPUT_INVALID'), text.slice(0, 30)).toMatch(pattern);
    }
  });

  it('refuses binary junk without a newline quickly', async () => {
    const junk = new Uint8Array(1 << 20).fill(0x41);
    await expectBlinkUpError(openY4M(chunked(junk, 65536)), 'INPUT_INVALID');
  });

  it('refuses a short final frame, a missing FRAME marker and a cut FRAME line', async () => {
    const frame = concatBytes([utf8('FRAME\n'), new Uint8Array(8)]);
    const cases: Array<[Uint8Array, RegExp]> = [
      [concatBytes([utf8(good), frame, frame.subarray(0, 10)]), /frame 2 is truncated: 4 of 8 bytes/],
      [concatBytes([utf8(good), frame, utf8('FRAMEX\n')]), /frame 2 does not start with FRAME/],
      [concatBytes([utf8(good), frame, utf8('FRA')]), /ends inside the FRAME header of frame 2/],
    ];
    for (const [bytes, pattern] of cases) {
      const work = (async () => {
        for await (const f of (await openY4M(chunked(bytes, 3))).frames()) void f;
      })();
      expect(await expectBlinkUpError(work, 'INPUT_INVALID')).toMatch(pattern);
    }
  });

  it('with endAtDamagedFrame, a damaged FRAME line ends the video after the frames before it', async () => {
    const frame = (v: number): Uint8Array => concatBytes([utf8('FRAME\n'), new Uint8Array(8).fill(v)]);
    const overwritten = (bytes: Uint8Array): Uint8Array => concatBytes([utf8(good), frame(1), frame(2), bytes, new Uint8Array(8), frame(4)]);
    const cases: Array<[Uint8Array, RegExp]> = [
      [overwritten(utf8('FRAMX\n')), /^Y4M frame 3 does not start with FRAME; the video ends with frame 2$/],
      // Zeros where the line was: no line end within any FRAME line's length.
      [concatBytes([utf8(good), frame(1), frame(2), new Uint8Array(5000)]), /^the FRAME header of frame 3 is longer than 4096 bytes.*; the video ends with frame 2$/],
    ];
    for (const [bytes, pattern] of cases) {
      const video = await openY4M(chunked(bytes, 5), { endAtDamagedFrame: true });
      const values: number[] = [];
      for await (const f of video.frames()) values.push(f.luma[0]!);
      expect(values).toEqual([1, 2]);
      expect(video.truncation).toMatch(pattern);
    }
    // Nothing before a damaged first frame: refused, as without the option.
    const first = (async () => {
      for await (const f of (await openY4M(concatBytes([utf8(good), utf8('FRAMX\n'), new Uint8Array(8)]), { endAtDamagedFrame: true })).frames()) void f;
    })();
    expect(await expectBlinkUpError(first, 'INPUT_INVALID')).toMatch(/frame 1 does not start with FRAME/);
  });

  it('writer refuses wrong frame sizes and bad geometry', async () => {
    const sink = new PassThrough();
    await expectBlinkUpError(new Y4MWriter(sink, { width: 4, height: 2, fps: 30 }).writeFrame(new Uint8Array(7)), 'INPUT_INVALID');
    expect(() => new Y4MWriter(sink, { width: 0, height: 2, fps: 30 })).toThrow(/width/);
    expect(() => new Y4MWriter(sink, { width: 4, height: 2, fps: -1 })).toThrow(/fps/);
  });
});
