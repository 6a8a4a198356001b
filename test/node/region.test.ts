import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { blockGridFor, chooseFlashingBlocks } from '../../src/node/auto-region.js';
import { linearLightTable } from '../../src/node/linear-light.js';
import { parseRoi, regionMeanLinear, type Roi } from '../../src/node/region.js';
import { brightnessSamples, RegionBrightness } from '../../src/node/region-brightness.js';
import { openY4M, Y4MWriter } from '../../src/node/y4m.js';
import { Random } from '../../src/util/random.js';
import { expectBlinkUpError } from './helpers.js';

/** sRGB encode of linear light, as a camera would store it (8-bit). */
const encode = (linear: number): number => Math.round(255 * (linear <= 0.0031308 ? 12.92 * linear : 1.055 * linear ** (1 / 2.4) - 0.055));

/** The plain reference: mean of lut over the region, one pixel at a time. */
function naiveMean(luma: ArrayLike<number>, width: number, roi: Roi, lut: Float64Array): number {
  let sum = 0;
  for (let y = roi.y; y < roi.y + roi.h; y++) for (let x = roi.x; x < roi.x + roi.w; x++) sum += lut[luma[y * width + x]!]!;
  return sum / (roi.w * roi.h);
}

function overlap(a: Roi, b: Roi): number {
  const w = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return (w * h) / (a.w * a.h + b.w * b.h - w * h);
}

/**
 * A camera view: a static noisy textured background, sensor noise in every frame, and a
 * patch flashing black/grey/white (random levels) — the screen.
 */
function flashingScene(width: number, height: number, patch: Roi, frames: number, seed: number) {
  const random = new Random(seed);
  const texture = new Uint8Array(width * height).map(() => random.int(30, 220));
  const levels = [0.002, 0.35, 1];
  const truth: number[] = [];
  const lumas: Uint8Array[] = [];
  for (let f = 0; f < frames; f++) {
    const level = levels[random.int(0, 2)]!;
    truth.push(level);
    const code = encode(level * 0.8 + 0.05);
    const luma = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inPatch = x >= patch.x && x < patch.x + patch.w && y >= patch.y && y < patch.y + patch.h;
        const base = inPatch ? code : texture[y * width + x]!;
        luma[y * width + x] = Math.max(0, Math.min(255, base + random.int(-6, 6)));
      }
    }
    lumas.push(luma);
  }
  return { lumas, truth };
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('linear light', () => {
  it('undoes sRGB, BT.709, a power law, video range and high bit depth', () => {
    const srgb = linearLightTable();
    expect([srgb[0], srgb[255]]).toEqual([0, 1]);
    expect(srgb[188]).toBeCloseTo(0.5, 2);
    expect(linearLightTable({ transfer: 'bt709' })[255]).toBeCloseTo(1, 12);
    expect(linearLightTable({ transfer: { gamma: 2 } })[51]).toBeCloseTo(0.04, 12);
    expect(linearLightTable({ transfer: 'linear' })[51]).toBeCloseTo(0.2, 12);
    const limited = linearLightTable({ range: 'limited', transfer: 'linear' });
    expect([limited[0], limited[16], limited[235], limited[250]]).toEqual([0, 0, 1, 1]);
    const ten = linearLightTable({ bitDepth: 10 });
    expect(ten.length).toBe(65536);
    expect([ten[1023], ten[4000]]).toEqual([1, 1]);
    expect(linearLightTable()).toBe(srgb); // cached
    expect(() => linearLightTable({ bitDepth: 7 })).toThrow(/bitDepth/);
  });
});

describe('regionMeanLinear', () => {
  const width = 37;
  const height = 23;
  const random = new Random(1);
  const luma = new Uint8Array(width * height).map(() => random.int(0, 255));
  const lut = linearLightTable();

  it('equals the plain per-pixel mean for any region (unroll remainders included)', () => {
    for (let trial = 0; trial < 200; trial++) {
      const x = random.int(0, width - 1);
      const y = random.int(0, height - 1);
      const roi = { x, y, w: random.int(1, width - x), h: random.int(1, height - y) };
      expect(regionMeanLinear(luma, width, height, roi, lut)).toBeCloseTo(naiveMean(luma, width, roi, lut), 12);
    }
  });

  it('averages light, not code values: half black, half white reads 0.5', () => {
    const plane = new Uint8Array(16).fill(0, 0, 8).fill(255, 8);
    expect(regionMeanLinear(plane, 4, 4, { x: 0, y: 0, w: 4, h: 4 })).toBe(0.5);
  });

  it('reads 16-bit planes with a table of their bit depth', () => {
    const plane = new Uint16Array([0, 1023, 1023, 0]);
    expect(regionMeanLinear(plane, 2, 2, { x: 0, y: 0, w: 2, h: 2 }, linearLightTable({ bitDepth: 10 }))).toBe(0.5);
  });

  it('refuses regions outside the frame, wrong plane sizes and too-small tables', async () => {
    expect(() => regionMeanLinear(luma, width, height, { x: 30, y: 0, w: 8, h: 1 })).toThrow(/reaches outside the 37×23 frame/);
    expect(() => regionMeanLinear(luma, width, height, { x: 0.5, y: 0, w: 8, h: 1 })).toThrow(/whole-pixel/);
    expect(() => regionMeanLinear(luma.subarray(1), width, height, { x: 0, y: 0, w: 1, h: 1 })).toThrow(/needs 851 samples/);
    expect(() => regionMeanLinear(new Uint16Array(4), 2, 2, { x: 0, y: 0, w: 1, h: 1 })).toThrow(/65536-entry/);
  });

  it('parses --roi text', () => {
    expect(parseRoi('10, 20,30,40')).toEqual({ x: 10, y: 20, w: 30, h: 40 });
    for (const bad of ['1,2,3', '-1,2,3,4', 'a,b,c,d', '1,2,0,4', '1.5,2,3,4', '']) expect(() => parseRoi(bad), bad).toThrow(/region/);
  });
});

describe('automatic region', () => {
  const width = 640;
  const height = 360;
  const patch = { x: 410, y: 157, w: 144, h: 80 }; // 5 % of the frame, not aligned to blocks
  const scene = flashingScene(width, height, patch, 60, 42);

  it('finds a flashing patch covering 5 % of a noisy textured frame', () => {
    const tracker = new RegionBrightness(width, height);
    for (const luma of scene.lumas) expect(tracker.push(luma)).toHaveLength(0); // still searching
    const { values, region } = tracker.finish();
    expect(region.automatic).toBe(true);
    expect(overlap(region.roi, patch)).toBeGreaterThan(0.8);
    expect(region.coverage).toBeGreaterThan(0.035);
    expect(region.contrast).toBeGreaterThan(0.2);
    expect(values).toHaveLength(60);
    expect(correlation(values, scene.truth)).toBeGreaterThan(0.999);
  });

  it('gives the same values whether the search window holds the whole clip or a third of it', () => {
    const windowed = new RegionBrightness(width, height, { maxStoredFrames: 20 });
    const out: number[] = [];
    scene.lumas.forEach((luma, i) => {
      const values = windowed.push(luma);
      expect(values.length, `frame ${i}`).toBe(i >= 19 && (i - 19) % 10 === 0 ? 10 : 0); // half a window at a time
      out.push(...values);
    });
    const last = windowed.finish();
    expect(last.values).toHaveLength(10);
    out.push(...last.values);
    expect(last.region.framesExamined).toBe(10);
    const whole = new RegionBrightness(width, height);
    for (const luma of scene.lumas) whole.push(luma);
    const all = whole.finish();
    expect(last.region.roi).toEqual(all.region.roi);
    out.forEach((v, i) => expect(v).toBeCloseTo(all.values[i]!, 6));
  });

  it('measures a given region at once, one value per frame', () => {
    const tracker = new RegionBrightness(width, height, { roi: patch });
    const lut = linearLightTable();
    scene.lumas.slice(0, 5).forEach((luma) => {
      const values = tracker.push(luma);
      expect(values).toHaveLength(1);
      expect(values[0]).toBeCloseTo(naiveMean(luma, width, patch, lut), 12);
    });
    expect(tracker.finish()).toMatchObject({ values: new Float64Array(0), region: { roi: patch, automatic: false } });
  });

  it('falls back to the whole frame when nothing varies, and picks the strongest of two groups', () => {
    const still = new RegionBrightness(64, 48);
    for (let i = 0; i < 5; i++) still.push(new Uint8Array(64 * 48).fill(100));
    expect(still.finish().region).toMatchObject({ roi: { x: 0, y: 0, w: 64, h: 48 }, contrast: 0 });

    const grid = blockGridFor(80, 16, 8); // 10 × 2 blocks
    const variance = new Float64Array(20);
    variance.set([5, 5], 1); // group A: blocks 1, 2 (sum 10)
    variance.set([4, 4, 4], 6); // group B: blocks 6, 7, 8 (sum 12) — wins on total variance
    expect(chooseFlashingBlocks(variance, grid, 0.4)).toEqual({ blocks: Int32Array.from([6, 7, 8]), roi: { x: 48, y: 0, w: 24, h: 8 } });
  });

  it('refuses frames of the wrong size and bad options', () => {
    const tracker = new RegionBrightness(8, 8);
    expect(() => tracker.push(new Uint8Array(10))).toThrow(/needs 64 luma samples/);
    expect(() => new RegionBrightness(8, 8, { threshold: 0 })).toThrow(/threshold/);
    expect(() => new RegionBrightness(8, 8, { blockSize: 0 })).toThrow(/blockSize/);
    expect(() => new RegionBrightness(8, 8, { roi: { x: 4, y: 4, w: 5, h: 1 } })).toThrow(/outside/);
  });

  it('turns a Y4M stream into timed brightness samples', async () => {
    const sink = new PassThrough();
    const writer = new Y4MWriter(sink, { width, height, fps: 120 });
    const done = (async () => {
      for (const luma of scene.lumas.slice(0, 30)) await writer.writeFrame(luma);
      sink.end();
    })();
    const chunks = [];
    for await (const chunk of brightnessSamples(await openY4M(sink), { maxStoredFrames: 10 })) chunks.push(chunk);
    await done;
    expect(chunks.map((c) => c.values.length)).toEqual([5, 5, 5, 5, 5, 5]); // half a 10-frame window at a time
    expect(chunks[0]!.times![4]).toBeCloseTo(4 / 120, 12);
    expect(chunks[5]!.times![0]).toBeCloseTo(25 / 120, 12);
    expect(overlap(chunks[0]!.region.roi, patch)).toBeGreaterThan(0.7);
    await expectBlinkUpError(
      (async () => {
        for await (const c of brightnessSamples(await openY4M('YUV4MPEG2 W2 H2 Cmono\n'))) void c;
      })(),
      'INPUT_INVALID',
    );
  });
});
