import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodeGreyPng, openPngFolder, parseTimes, sortFrameNames, writePngFrames } from '../../src/node/png-frames.js';
import { rgbaToLuma } from '../../src/node/rgb-luma.js';
import { Random } from '../../src/util/random.js';
import { expectBlinkUpError, tempFolder } from './helpers.js';

const W = 6;
const H = 4;

function randomLuma(seed: number, width = W, height = H): Uint8Array {
  const random = new Random(seed);
  return new Uint8Array(width * height).map(() => random.int(0, 255));
}

/** Read every frame of a folder, copying each plane (the reader reuses its buffer). */
async function readFolder(dir: string, options = {}) {
  const source = await openPngFolder(dir, options);
  const frames: Array<{ index: number; timeS?: number; luma: number[] }> = [];
  for await (const f of source.frames()) frames.push({ ...f, luma: [...f.luma] });
  return { info: source.info, frames };
}

/** A folder holding exactly the given files. */
function folderWith(files: Record<string, Uint8Array | string>): string {
  const dir = tempFolder('png');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('PNG frame folders', () => {
  it('round-trips luma frames with their times file', async () => {
    const dir = join(tempFolder('png-rt'), 'frames');
    const frames = [randomLuma(1), randomLuma(2), randomLuma(3)];
    expect(await writePngFrames(dir, frames, { width: W, height: H, times: [0, 1 / 240, 2 / 240] })).toBe(3);
    const { info, frames: got } = await readFolder(dir);
    expect(info).toMatchObject({ width: W, height: H, bitDepth: 8, frameCount: 3, timing: 'times-file', files: ['frame-00001.png', 'frame-00002.png', 'frame-00003.png'] });
    expect(info.fps).toBeCloseTo(240, 9);
    expect(got.map((f) => f.luma)).toEqual(frames.map((f) => [...f]));
    expect(got.map((f) => f.timeS)).toEqual([0, 1 / 240, 2 / 240]);
  });

  it('orders frames by the number in the name, times them by it at a given rate, and ignores other files', async () => {
    const names = ['frame-10.png', 'frame-2.png', 'frame-1.png', 'Frame-3.PNG'];
    const files: Record<string, Uint8Array | string> = { 'notes.txt': 'hello' };
    names.forEach((name) => {
      const value = Number(/\d+/.exec(name)![0]);
      files[name] = encodeGreyPng(new Uint8Array(W * H).fill(value), W, H);
    });
    const { frames, info } = await readFolder(folderWith(files), { fps: 30 });
    expect(info.files).toEqual(['frame-1.png', 'frame-2.png', 'Frame-3.PNG', 'frame-10.png']);
    expect(frames.map((f) => f.luma[0])).toEqual([1, 2, 3, 10]);
    // Frames 4 to 9 are not there (dropped, or deleted): frame 10 comes 9 frame periods after frame 1.
    expect(frames.map((f) => f.timeS)).toEqual([0, 1 / 30, 2 / 30, 9 / 30]);
    expect(info.timing).toBe('fps');
    expect(sortFrameNames(['a10', 'a9', 'a010'])).toEqual(['a9', 'a010', 'a10']);
  });

  it('sets aside a PNG without a frame number among numbered frames, and refuses two frames with one number', async () => {
    const png = encodeGreyPng(new Uint8Array(W * H), W, H);
    const { info, frames } = await readFolder(folderWith({ '00001.png': png, '00002.png': png, 'cover.png': png }), { fps: 30 });
    expect(info.files).toEqual(['00001.png', '00002.png']);
    expect(info.ignored).toEqual(['cover.png']);
    expect(frames).toHaveLength(2);
    await expect(openPngFolder(folderWith({ '00500.png': png, '00501.png': png, 'frame-00500.png': png }), { fps: 30 })).rejects.toThrow(
      /00500\.png and frame-00500\.png are both frame 500: keep one set of frames in the folder/,
    );
  });

  it('refuses a blinkup manifest that describes a different number of frames (an export left beside other frames)', async () => {
    const png = encodeGreyPng(new Uint8Array(W * H), W, H);
    const manifest = JSON.stringify({ format: 'blinkup-frames', fps: 30, frameCount: 822 });
    await expect(openPngFolder(folderWith({ '00001.png': png, '00002.png': png, 'manifest.json': manifest }))).rejects.toThrow(
      /manifest\.json describes 822 frames, but the folder holds 2: it belongs to other frames/,
    );
  });

  it('converts RGB, RGBA and 16-bit PNGs to 8-bit luma', async () => {
    const rgba = new Uint8Array(W * H * 4);
    const random = new Random(9);
    for (let i = 0; i < rgba.length; i++) rgba[i] = random.int(0, 255);
    const expected = [...rgbaToLuma(rgba, new Uint8Array(W * H))];
    const write = (colorType: 2 | 6) => {
      const png = new PNG({ width: W, height: H });
      png.data = Buffer.from(rgba);
      if (colorType === 2) for (let i = 3; i < rgba.length; i += 4) png.data[i] = 255; // pngjs would blend a dropped alpha
      return PNG.sync.write(png, { colorType, inputColorType: 6, inputHasAlpha: true });
    };
    const grey16 = new Uint16Array(W * H).map((_, i) => i * 257); // 8-bit value i, scaled to 16 bits
    const png16 = new PNG({ width: W, height: H, bitDepth: 16 });
    png16.data = Buffer.from(grey16.buffer);
    const files = {
      'a1.png': write(2),
      'a2.png': write(6), // alpha is ignored: camera frames are opaque
      'a3.png': PNG.sync.write(png16, { colorType: 0, inputColorType: 0, bitDepth: 16 }),
    };
    const { frames } = await readFolder(folderWith(files));
    expect(frames[0]!.luma).toEqual(expected);
    expect(frames[1]!.luma).toEqual(expected);
    expect(frames[2]!.luma).toEqual(Array.from({ length: W * H }, (_, i) => i));
  });

  it('uses Rec.601 weights when asked; grey is unchanged by either', () => {
    const red = new Uint8Array([255, 0, 0, 255, 77, 77, 77, 255]);
    expect([...rgbaToLuma(red, new Uint8Array(2), 'rec709')]).toEqual([54, 77]);
    expect([...rgbaToLuma(red, new Uint8Array(2), 'rec601')]).toEqual([77, 77]);
  });

  it('takes the frame rate of a blinkup manifest, and frames without timing have no times', async () => {
    const png = encodeGreyPng(randomLuma(4), W, H);
    const withManifest = await readFolder(folderWith({ 'frame-00001.png': png, 'manifest.json': JSON.stringify({ format: 'blinkup-frames', fps: 20 }) }));
    expect(withManifest.info).toMatchObject({ timing: 'manifest', fps: 20 });
    const bare = await readFolder(folderWith({ 'f.png': png, 'manifest.json': '{not json' }));
    expect(bare.info.timing).toBe('none');
    expect(bare.frames[0]!.timeS).toBeUndefined();
  });

  it('parses times files strictly', () => {
    expect([...parseTimes('# t\n0\n\n0.5\r\n1e0\n')]).toEqual([0, 0.5, 1]);
    expect(() => parseTimes('0\n1\n1\n')).toThrow(/line 3: timestamps must increase/);
    expect(() => parseTimes('0\nsecret\n')).toThrow(/^times line 2: not a number$/);
  });
});

describe('PNG frame folders: hostile input', () => {
  const good = encodeGreyPng(randomLuma(5), W, H);

  it('names a corrupt frame', async () => {
    const corrupt = good.slice();
    corrupt.fill(0x55, 41, corrupt.length - 12); // inside IDAT, keep the signature and IHDR
    const dir = folderWith({ '1.png': good, '2.png': corrupt });
    expect(await expectBlinkUpError(readFolder(dir), 'INPUT_INVALID')).toMatch(/^2\.png is not a valid PNG/);
    const truncated = folderWith({ '1.png': good, '2.png': good.subarray(0, 40) });
    expect(await expectBlinkUpError(readFolder(truncated), 'INPUT_INVALID')).toMatch(/^2\.png/);
    const text = folderWith({ '1.png': good, '2.png': 'not an image at all, just text' });
    expect(await expectBlinkUpError(readFolder(text), 'INPUT_INVALID')).toBe('2.png is not a PNG file');
  });

  it('names a frame of a different size', async () => {
    const dir = folderWith({ '1.png': good, '2.png': encodeGreyPng(randomLuma(6, 4, 4), 4, 4) });
    expect(await expectBlinkUpError(readFolder(dir), 'INPUT_INVALID')).toBe(`2.png is 4×4, but 1.png is ${W}×${H}: all frames must have one size`);
  });

  describe('unreadable frames, where the caller allows some (maxUnreadableShare)', () => {
    /** 20 numbered frames, frame n's first pixel n, with `broken` in place of some. */
    const folder = (broken: Record<number, Uint8Array | string>, extra: Record<string, string> = {}): string =>
      folderWith({
        ...Object.fromEntries(Array.from({ length: 20 }, (_, n) => [`f-${String(n).padStart(3, '0')}.png`, broken[n] ?? encodeGreyPng(new Uint8Array(W * H).fill(n), W, H)])),
        ...extra,
      });

    it('are left out as dropped frames: the frames after them keep their times, and each is named', async () => {
      const dir = folder({ 0: new Uint8Array(0), 7: good.subarray(0, 60), 12: 'no image' });
      const source = await openPngFolder(dir, { fps: 10, maxUnreadableShare: 0.15 });
      const frames: Array<[number, number]> = [];
      for await (const f of source.frames()) frames.push([f.luma[0]!, f.timeS!]);
      expect(frames.map(([v]) => v)).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19]);
      expect(frames.map(([v, t]) => Math.round(t * 10) - v)).toEqual(new Array(17).fill(0)); // timed by number: gaps where frames were left out
      expect(source.unreadable).toEqual(['f-000.png is not a PNG file', 'f-007.png is not a valid PNG (cut short or damaged)', 'f-012.png is not a PNG file']);
    });

    it('keep the gap in a times file too', async () => {
      const times = Array.from({ length: 20 }, (_, n) => `${n / 100}`).join('\n');
      const source = await openPngFolder(folder({ 5: 'no image' }, { times }), { maxUnreadableShare: 0.05 });
      const got: number[] = [];
      for await (const f of source.frames()) got.push(f.timeS!);
      expect(got).toHaveLength(19);
      expect(got[5]! - got[4]!).toBeCloseTo(0.02, 9);
    });

    it('more than the share, or any in a folder without timing, refuse it', async () => {
      const three = folder({ 3: '', 4: '', 5: '' });
      const tooMany = (async () => {
        for await (const f of (await openPngFolder(three, { fps: 10, maxUnreadableShare: 0.1 })).frames()) void f;
      })();
      expect(await expectBlinkUpError(tooMany, 'INPUT_INVALID')).toBe(`more than 10 % of the frames in ${three} cannot be read (3 of 20 so far; the first: f-003.png is not a PNG file)`);
      const untimed = (async () => {
        for await (const f of (await openPngFolder(folder({ 3: '' }), { maxUnreadableShare: 0.1 })).frames()) void f;
      })();
      expect(await expectBlinkUpError(untimed, 'INPUT_INVALID')).toBe('f-003.png is not a PNG file');
    });
  });

  it('refuses an absurd frame size before decoding', async () => {
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(16, 100_000);
    await expectBlinkUpError(openPngFolder(folderWith({ '1.png': huge })), 'LIMIT_EXCEEDED');
  });

  it('refuses an empty folder, a file, a missing path, and a wrong times file', async () => {
    expect(await expectBlinkUpError(openPngFolder(folderWith({})), 'INPUT_INVALID')).toMatch(/^no PNG frames in/);
    const dir = folderWith({ 'a.png': good });
    expect(await expectBlinkUpError(openPngFolder(join(dir, 'a.png')), 'INPUT_INVALID')).toMatch(/is not a folder/);
    await expectBlinkUpError(openPngFolder(join(dir, 'missing')), 'INPUT_INVALID');
    await expectBlinkUpError(openPngFolder(folderWith({ 'a.png': good, times: '0\n1\n' })), 'INPUT_INVALID');
    await expectBlinkUpError(openPngFolder(dir, { fps: 0 }), 'OPTION_INVALID');
    const withSub = folderWith({ 'a.png': good });
    mkdirSync(join(withSub, 'b.png'));
    expect((await openPngFolder(withSub)).info.files).toEqual(['a.png']); // a folder named *.png is not a frame
  });

  it('writer refuses wrongly sized planes and mismatched times', async () => {
    expect(() => encodeGreyPng(new Uint8Array(5), W, H)).toThrow(/needs 24 luma bytes/);
    await expectBlinkUpError(writePngFrames(tempFolder('png-w'), [randomLuma(1)], { width: W, height: H, times: [0, 1] }), 'OPTION_INVALID');
  });
});
