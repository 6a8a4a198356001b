import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildManifest } from '../../src/export/manifest.js';
import { toLevels } from '../../src/line/index.js';
import { frameFileName, MAX_FRAME_SIDE, solidGreyPng, writeFrameFolder } from '../../src/node/frames-export.js';
import { encodePacket, ErrorCode, type Payload } from '../../src/packet/index.js';
import { schedule } from '../../src/schedule/index.js';
import { GOLDEN_VECTORS } from '../packet/vectors.js';

const root = mkdtempSync(join(tmpdir(), 'blinkup-frames-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function transmission(payload: Payload) {
  const packet = encodePacket(payload);
  return { payload, packet, schedule: schedule(toLevels(packet)) };
}

function decodePng(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

describe('solidGreyPng', () => {
  it.each([0, 191, 255])('is a solid grey of code value %i and decodes to exactly that', (v) => {
    const png = PNG.sync.read(Buffer.from(solidGreyPng(v, { width: 7, height: 3 })));
    expect([png.width, png.height]).toEqual([7, 3]);
    for (let i = 0; i < png.data.length; i += 4) expect(Array.from(png.data.subarray(i, i + 4))).toEqual([v, v, v, 255]);
  });

  it.each([
    [0, 10],
    [10, MAX_FRAME_SIDE + 1],
    [1.5, 10],
  ])('refuses a %sx%s frame', (width, height) => {
    expect(() => solidGreyPng(0, { width, height })).toThrow(expect.objectContaining({ code: ErrorCode.LIMIT_EXCEEDED }));
  });
});

describe('writeFrameFolder', () => {
  const basic = transmission(GOLDEN_VECTORS[0]!.input);

  it('writes one PNG per frame with the exact grey of its level, and the manifest', async () => {
    const dir = join(root, 'basic');
    const progress: number[] = [];
    const started = performance.now();
    const result = await writeFrameFolder(basic.schedule, dir, {
      size: { width: 16, height: 9 },
      manifest: buildManifest(basic),
      onProgress: (n, total) => progress.push(n / total),
    });
    const elapsed = performance.now() - started;
    const frames = readdirSync(dir).filter((f) => f.startsWith('frame-')).sort();
    expect(frames).toHaveLength(854);
    expect(frames[0]).toBe('frame-00001.png');
    expect(frames[853]).toBe('frame-00854.png');
    expect(result).toMatchObject({ dir, frameCount: 854, manifestPath: join(dir, 'manifest.json') });
    expect(progress).toHaveLength(854);
    expect(progress.at(-1)).toBe(1);

    const grey = [0, 191, 255];
    for (const i of [0, 1, 53, 200, 853]) {
      const png = decodePng(join(dir, frameFileName(i)));
      expect([png.width, png.height]).toEqual([16, 9]);
      const v = grey[basic.schedule.levels[i]!]!;
      expect(Array.from(png.data.subarray(0, 4)), `frame ${i + 1}`).toEqual([v, v, v, 255]);
      expect(png.data.every((b, k) => (k % 4 === 3 ? b === 255 : b === v))).toBe(true);
    }
    // Frames of the same level are the same bytes: each level was encoded once.
    expect(readFileSync(join(dir, frameFileName(1)))).toEqual(readFileSync(join(dir, frameFileName(3))));

    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.files).toBe('frame-%05d.png');
    expect(manifest.levels).toBe(GOLDEN_VECTORS[0]!.frames);
    expect(manifest.payload.password).toBe('***');
    expect(elapsed).toBeLessThan(2000); // typically well under 100 ms; a loose bound for busy machines
  });

  it('replaces the frames of a longer earlier sequence and leaves other files alone', async () => {
    const dir = join(root, 'reuse');
    await writeFrameFolder(basic.schedule, dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const clear = transmission({ kind: 'clear' });
    await writeFrameFolder(clear.schedule, dir);
    const frames = readdirSync(dir).filter((f) => f.startsWith('frame-'));
    expect(frames).toHaveLength(150);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
  });

  it('removes the frame times of a camera clip whose frames it replaces', async () => {
    const dir = join(root, 'camera-folder');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'times'), '0\n0.0083\n0.0167\n');
    await writeFrameFolder(basic.schedule, dir);
    expect(existsSync(join(dir, 'times'))).toBe(false);
  });

  it('refuses an absurd frame size before writing anything', async () => {
    const dir = join(root, 'huge');
    await expect(writeFrameFolder(basic.schedule, dir, { size: { width: 100_000, height: 100_000 } })).rejects.toMatchObject({ code: ErrorCode.LIMIT_EXCEEDED });
    expect(existsSync(dir)).toBe(false);
  });
});
