/**
 * The automatic region search over videos longer than its window: a flash that starts late,
 * a flash that moves, and the same blocks kept while a patch keeps flashing.
 */
import { describe, expect, it } from 'vitest';
import type { Roi } from '../../src/node/region.js';
import { RegionBrightness, type RegionChoice } from '../../src/node/region-brightness.js';
import { Random } from '../../src/util/random.js';

const WIDTH = 160;
const HEIGHT = 96;
const BLOCK = 8;
const WINDOW = 40;

/** sRGB encode of linear light (8-bit). */
const encode = (linear: number): number => Math.round(255 * (linear <= 0.0031308 ? 12.92 * linear : 1.055 * linear ** (1 / 2.4) - 0.055));

interface Flash {
  readonly from: number;
  readonly to: number;
  readonly patch: Roi;
}

/**
 * `frames` frames of a static textured scene with sensor noise; during each flash its patch
 * shows black, grey or white at random. `truth[f]` is the patch's level, NaN when nothing flashes.
 */
function scene(frames: number, flashes: readonly Flash[], seed: number): { lumas: Uint8Array[]; truth: number[] } {
  const random = new Random(seed);
  const texture = new Uint8Array(WIDTH * HEIGHT).map(() => random.int(30, 220));
  const lumas: Uint8Array[] = [];
  const truth: number[] = [];
  for (let f = 0; f < frames; f++) {
    const flash = flashes.find((s) => f >= s.from && f < s.to);
    const level = flash ? [0.002, 0.35, 1][random.int(0, 2)]! : Number.NaN;
    truth.push(level);
    const luma = new Uint8Array(WIDTH * HEIGHT);
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        const p = flash?.patch;
        const inPatch = p !== undefined && x >= p.x && x < p.x + p.w && y >= p.y && y < p.y + p.h;
        const base = inPatch ? encode(level * 0.8 + 0.05) : texture[y * WIDTH + x]!;
        luma[y * WIDTH + x] = Math.max(0, Math.min(255, base + random.int(-6, 6)));
      }
    }
    lumas.push(luma);
  }
  return { lumas, truth };
}

/** Push every frame; the values in frame order, and the region reported with each batch of values. */
function run(lumas: readonly Uint8Array[]): { values: number[]; regions: { firstFrame: number; region: RegionChoice }[] } {
  const tracker = new RegionBrightness(WIDTH, HEIGHT, { blockSize: BLOCK, maxStoredFrames: WINDOW });
  const values: number[] = [];
  const regions: { firstFrame: number; region: RegionChoice }[] = [];
  const take = (batch: Float64Array) => {
    if (batch.length > 0) regions.push({ firstFrame: values.length, region: tracker.region! });
    values.push(...batch);
  };
  lumas.forEach((luma, i) => {
    take(tracker.push(luma));
    expect(i + 1 - values.length, `frames waiting after frame ${i}`).toBeLessThanOrEqual(WINDOW); // bounded delay, bounded memory
  });
  take(tracker.finish().values);
  return { values, regions };
}

function overlap(a: Roi, b: Roi): number {
  const w = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return (w * h) / (a.w * a.h + b.w * b.h - w * h);
}

/** Correlation of measured values with the flashed levels over frames [from, to). */
function correlation(values: readonly number[], truth: readonly number[], from: number, to: number): number {
  const a = values.slice(from, to);
  const b = truth.slice(from, to);
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((x, i) => {
    ab += (x - ma) * (b[i]! - mb);
    aa += (x - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  });
  return ab / Math.sqrt(aa * bb);
}

/** The region the values of frame `f` were measured over. */
function regionAt(regions: { firstFrame: number; region: RegionChoice }[], f: number): RegionChoice {
  return regions.filter((r) => r.firstFrame <= f).at(-1)!.region;
}

describe('automatic region over a video longer than the search window', () => {
  const patchA: Roi = { x: 101, y: 19, w: 36, h: 22 }; // ~5 % of the frame, not aligned to blocks
  const patchB: Roi = { x: 13, y: 57, w: 40, h: 20 };

  it('finds a flash that starts after several windows of a still scene', () => {
    const { lumas, truth } = scene(240, [{ from: 130, to: 240, patch: patchA }], 5);
    const { values, regions } = run(lumas);
    expect(values).toHaveLength(240);
    for (let f = 130; f < 240; f += 10) expect(overlap(regionAt(regions, f).roi, patchA), `frame ${f}`).toBeGreaterThan(0.5); // blocks of 8 px around a patch not aligned to them
    expect(correlation(values, truth, 130, 240)).toBeGreaterThan(0.999);
    expect(regions.at(-1)!.region.contrast).toBeGreaterThan(0.2);
  });

  it('finds the flash, not a room light switched on and off that changes the whole picture more', () => {
    const { lumas, truth } = scene(240, [{ from: 0, to: 240, patch: patchA }], 9);
    // Every 30 frames (half a second at 60 fps) the room outside the patch goes from dark to bright
    // or back: far more variance than the flash's, but a change only once in 30 frames.
    lumas.forEach((luma, f) => {
      const room = Math.floor(f / 30) % 2 === 0 ? 8 : 248;
      for (let y = 0; y < HEIGHT; y++) {
        for (let x = 0; x < WIDTH; x++) {
          const inPatch = x >= patchA.x && x < patchA.x + patchA.w && y >= patchA.y && y < patchA.y + patchA.h;
          if (!inPatch) luma[y * WIDTH + x] = room + ((x * 7 + y * 13) % 5);
        }
      }
    });
    const { values, regions } = run(lumas);
    for (let f = 0; f < 240; f += 10) expect(overlap(regionAt(regions, f).roi, patchA), `frame ${f}`).toBeGreaterThan(0.5);
    // (Edge blocks of the patch, not aligned to it, still see a little of the room.)
    expect(correlation(values, truth, 0, 240)).toBeGreaterThan(0.95);
  });

  it('follows a flash that stops and starts again elsewhere', () => {
    const { lumas, truth } = scene(280, [{ from: 0, to: 90, patch: patchA }, { from: 180, to: 280, patch: patchB }], 6);
    const { values, regions } = run(lumas);
    expect(correlation(values, truth, 0, 90)).toBeGreaterThan(0.999);
    expect(correlation(values, truth, 180, 280)).toBeGreaterThan(0.999);
    expect(overlap(regionAt(regions, 50).roi, patchA)).toBeGreaterThan(0.5); // blocks of 8 px around a patch not aligned to them
    expect(overlap(regions.at(-1)!.region.roi, patchB)).toBeGreaterThan(0.5); // blocks of 8 px around a patch not aligned to them
    expect(regions.at(-1)!.region.fromFrame).toBeLessThanOrEqual(180);
  });

  it('keeps measuring the same blocks while the patch keeps flashing', () => {
    const { lumas, truth } = scene(200, [{ from: 0, to: 200, patch: patchA }], 7);
    const { values, regions } = run(lumas);
    expect(regions.length).toBeGreaterThan(5);
    for (const { region } of regions) {
      expect(region).toMatchObject({ roi: regions[0]!.region.roi, fromFrame: 0 });
      expect(region.framesExamined).toBeLessThanOrEqual(WINDOW);
    }
    expect(correlation(values, truth, 0, 200)).toBeGreaterThan(0.999);
  });
});

describe('the default search window', () => {
  /** Frames pushed before the first values come out. */
  function firstValuesAfter(width: number, height: number, fps: number | undefined, limit: number): number {
    const tracker = new RegionBrightness(width, height, fps === undefined ? {} : { fps });
    const luma = new Uint8Array(width * height);
    for (let f = 1; f <= limit; f++) {
      luma.fill(f % 2 === 0 ? 40 : 200);
      if (tracker.push(luma).length > 0) return f;
    }
    return Infinity;
  }

  it('spans 20 seconds at the source frame rate, so a live camera shows values within it', () => {
    expect(firstValuesAfter(160, 120, 120, 10_000)).toBe(2400);
    expect(firstValuesAfter(160, 120, undefined, 10_000)).toBe(4800);
  });

  it('releases a long window of tiny frames at the end without overflowing the stack', () => {
    // A 1×1 video at 1000 fps: 20 000 frames a window; the end of input releases them all at once.
    const tracker = new RegionBrightness(1, 1, { maxStoredFrames: 300_000 });
    const luma = new Uint8Array(1);
    for (let f = 0; f < 250_000; f++) {
      luma[0] = f % 3 === 0 ? 200 : 40;
      tracker.push(luma);
    }
    expect(tracker.finish().values).toHaveLength(250_000);
  });
});
