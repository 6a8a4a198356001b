import { describe, expect, it } from 'vitest';
import { cameraFrames, simulateCameraBrightness, type CameraChannelOptions } from '../../src/channel/camera.js';
import { srgbCodeToLinear, srgbToLinear } from '../../src/util/srgb.js';
import { toLevels } from '../../src/line/trilevel.js';
import { isBlinkUpError } from '../../src/packet/errors.js';
import { rms, runs, steady } from './helpers.js';

/** A camera with every random or slow effect off. */
const STILL: Partial<CameraChannelOptions> = {
  pixelNoise: 0,
  aeDriftPerS: 0,
  flickerDepth: 0,
  heldLevelProbability: 0,
  blackLevel: 0,
  panel: 'oled',
  oledResponseMs: 0.001,
};

/** Mean of the patch of a luma frame. */
function patchMean(luma: Uint8Array, width: number, p: { x0: number; y0: number; x1: number; y1: number }): number {
  let sum = 0;
  for (let y = p.y0; y < p.y1; y++) for (let x = p.x0; x < p.x1; x++) sum += luma[y * width + x]!;
  return sum / ((p.y1 - p.y0) * (p.x1 - p.x0));
}

describe('camera: exposure mixes display frames', () => {
  it('each frame is the sRGB encoding of the light its exposure window collected', () => {
    // 30 fps flashing (33 ms levels) filmed at 60 fps with a global shutter; a 2 % camera clock
    // error slides the exposure windows across the display's edges.
    const levels = runs(...Array.from({ length: 24 }, (_, i) => steady(i % 2 === 0 ? 0 : 2, 3)));
    const opts = {
      ...STILL, fps: 30, refreshHz: 60, cameraFps: 60, exposure: 0.8, readout: 0, displayScan: 0,
      cameraClockPpm: 20_000, screenWhite: 0.8, screenReflection: 0.02, simulationRateHz: 200_000,
    };
    const c = simulateCameraBrightness(levels, opts, 3);
    const t = c.truth.transmissions[0]!;
    const E = c.truth.exposureS;
    expect(E).toBeCloseTo(0.8 / 60 / 1.02, 12);
    let mixes = 0;
    for (let f = 0; f < c.values.length; f++) {
      const a = c.truth.frameStartS[f]!;
      let white = 0;
      for (let i = 0; i < levels.length; i++) {
        if (levels[i] !== 2) continue;
        white += Math.max(0, Math.min(a + E, t.levelStartS[i + 1]!) - Math.max(a, t.levelStartS[i]!));
      }
      const fraction = white / E;
      if (fraction > 0.05 && fraction < 0.95) mixes++;
      // compared in linear light: the 8-bit scale is very steep near black
      expect(Math.abs(srgbToLinear(c.values[f]! / 255) - (0.8 * fraction + 0.02))).toBeLessThan(2e-4);
    }
    expect(mixes).toBeGreaterThan(10);
  });

  it('outputs gamma-encoded 8-bit values: a grey screen reads its code value again', () => {
    const c = simulateCameraBrightness(steady(1, 60), { ...STILL, screenWhite: 1, screenReflection: 0, greyCode: 0x9f }, 1);
    const t = c.truth.transmissions[0]!;
    const grey = Array.from(c.values.slice(t.startFrame + 2, t.endFrame - 2));
    expect(grey.length).toBeGreaterThan(40);
    for (const v of grey) expect(v).toBeCloseTo(0x9f, 1);
    expect(c.truth.nominalValues.grey).toBeCloseTo(0x9f, 6);
    expect(srgbToLinear(c.truth.nominalValues.grey / 255)).toBeCloseTo(srgbCodeToLinear(0x9f), 9);
  });

  /** Largest (bottom − top) difference down the patch's first column over the frames of several seeded clips. */
  function widestGradient(levels: Uint8Array, opts: Partial<CameraChannelOptions>): { widest: number; smallest: number } {
    let widest = 0;
    let smallest = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const clip = cameraFrames(levels, { ...opts, width: 40, height: 60 }, seed);
      const { y0, y1, x0 } = clip.truth.patchPixels;
      for (const frame of clip) {
        const column = Array.from({ length: y1 - y0 }, (_, k) => frame.luma[(y0 + k) * clip.width + x0]!);
        widest = Math.max(widest, column[column.length - 1]! - column[0]!);
        smallest = Math.min(smallest, column[column.length - 1]! - column[0]!);
      }
    }
    return { widest, smallest };
  }

  it('a rolling shutter shows an edge as a gradient down the patch; a global shutter does not', () => {
    const levels = runs(steady(0, 30), steady(2, 30));
    const opts = { ...STILL, fps: 60, cameraFps: 30, exposure: 0.2, displayScan: 0, patch: { x: 0.2, y: 0.1, width: 0.5, height: 0.8 } };
    expect(widestGradient(levels, { ...opts, readout: 0 })).toEqual({ widest: 0, smallest: 0 });
    const rolling = widestGradient(levels, { ...opts, readout: 0.9 });
    // later rows start later: they see more of the white after the rising edge, less after the fall
    expect(rolling.widest).toBeGreaterThan(150);
    expect(rolling.smallest).toBeLessThan(-150);
  });

  it('a display scanning the patch as fast as the shutter reads it cancels the rolling shutter', () => {
    // readout × patch height = one refresh: each row starts exactly when the display reaches it.
    const levels = runs(steady(0, 30), steady(2, 30), steady(1, 30));
    const opts = { ...STILL, fps: 60, cameraFps: 30, exposure: 0.3, readout: 1, patch: { x: 0.25, y: 0.25, width: 0.5, height: 0.5 } };
    const matched = widestGradient(levels, { ...opts, displayScan: 1 });
    expect(Math.max(matched.widest, -matched.smallest)).toBeLessThanOrEqual(1);
    const unmatched = widestGradient(levels, { ...opts, displayScan: 0 });
    expect(unmatched.widest).toBeGreaterThan(50);
  });
});

describe('camera: frames and timing', () => {
  const levels = toLevels(Uint8Array.from({ length: 20 }, (_, i) => (i * 53 + 7) & 0xff));

  it('region mean of the rendered frames equals the fast path', () => {
    const opts = { cameraFps: 120, fps: 60, pixelNoise: 2 };
    const fast = simulateCameraBrightness(levels, opts, 9);
    const clip = cameraFrames(levels, opts, 9);
    expect(clip.frameCount).toBe(fast.values.length);
    let worst = 0;
    for (const frame of clip) {
      worst = Math.max(worst, Math.abs(patchMean(frame.luma, clip.width, clip.truth.patchPixels) - fast.values[frame.index]!));
    }
    expect(worst).toBeLessThan(1);
  });

  it('the fast path gives the mean linear light of the rendered pixels, as region brightness measures it', () => {
    // A rolling shutter and a display scan put two display frames in many camera frames: there
    // the light of the mean code is darker than the mean light of the pixels.
    const opts = { cameraFps: 240, fps: 60, pixelNoise: 0.5 };
    const fast = simulateCameraBrightness(levels, opts, 4);
    const clip = cameraFrames(levels, opts, 4);
    const p = clip.truth.patchPixels;
    let worst = 0;
    let gamut = 0;
    for (const frame of clip) {
      let light = 0;
      for (let y = p.y0; y < p.y1; y++) for (let x = p.x0; x < p.x1; x++) light += srgbCodeToLinear(frame.luma[y * clip.width + x]!);
      light /= (p.y1 - p.y0) * (p.x1 - p.x0);
      worst = Math.max(worst, Math.abs(light - fast.linear[frame.index]!));
      gamut = Math.max(gamut, Math.abs(srgbCodeToLinear(fast.values[frame.index]!) - fast.linear[frame.index]!));
    }
    expect(worst).toBeLessThan(0.004);
    expect(gamut, 'the mean code, turned into light, differs where frames mix').toBeGreaterThan(4 * worst);
  });

  it('frame count and timestamps follow the camera clock; dropped frames leave gaps', () => {
    const ppm = 2000;
    const c = simulateCameraBrightness(levels, { cameraFps: 30, fps: 30, cameraClockPpm: ppm, dropRate: 0.1, timestamps: true }, 5);
    const times = c.times!;
    expect(c.truth.framePeriodS).toBeCloseTo(1 / (30 * (1 + ppm * 1e-6)), 12);
    expect(times.length).toBe(c.values.length);
    let gaps = 0;
    for (let f = 1; f < times.length; f++) {
      const slots = Math.round((times[f]! - times[f - 1]!) * 30);
      expect(slots).toBeGreaterThanOrEqual(1);
      gaps += slots - 1;
      // the camera believes its nominal rate: true and believed spacing differ by the clock error
      const trueSpacing = c.truth.frameStartS[f]! - c.truth.frameStartS[f - 1]!;
      expect(trueSpacing / (times[f]! - times[f - 1]!)).toBeCloseTo(1 / (1 + ppm * 1e-6), 9);
    }
    // every drop is a gap in the timestamps, except the few before the first or after the last frame
    expect(gaps).toBeGreaterThan(0.05 * c.values.length);
    expect(c.truth.droppedFrames - gaps).toBeGreaterThanOrEqual(0);
    expect(c.truth.droppedFrames - gaps).toBeLessThanOrEqual(3);
    // all slots of the simulated span are accounted for
    const slotsInSpan = Math.floor((c.truth.durationS - c.truth.readoutS - c.truth.exposureS - c.truth.frameStartS[0]! + times[0]! * 30 * c.truth.framePeriodS) / c.truth.framePeriodS) + 1;
    expect(c.values.length + c.truth.droppedFrames).toBe(slotsInSpan);
  });

  it('anti-banding shortens the exposure to whole flicker periods', () => {
    const c = simulateCameraBrightness(levels, { cameraFps: 30, exposureMs: 25, antiBandingHz: 100 }, 1);
    expect(c.truth.exposureS).toBeCloseTo(0.02, 12);
  });

  it('renders a textured background with pixel noise around the flashing patch', () => {
    const clip = cameraFrames(levels, { backgroundTexture: 0.4, pixelNoise: 0, flickerDepth: 0 }, 2);
    const plain = cameraFrames(levels, { backgroundTexture: 0, pixelNoise: 2, flickerDepth: 0, aeDriftPerS: 0 }, 2);
    const first = <T>(it: Iterable<T>): T => it[Symbol.iterator]().next().value as T;
    const background = (luma: Uint8Array): number[] => Array.from(luma.subarray(0, 160 * 20));
    expect(rms(background(first(clip).luma))).toBeGreaterThan(5);
    expect(rms(background(first(plain).luma))).toBeGreaterThan(1.6);
    expect(rms(background(first(plain).luma))).toBeLessThan(2.4);
    const { x0, y0, x1, y1 } = clip.truth.patchPixels;
    expect(((x1 - x0) * (y1 - y0)) / (clip.width * clip.height)).toBeGreaterThanOrEqual(0.05);
  });

  it('auto-exposure drifts the white level slowly', () => {
    const c = simulateCameraBrightness(steady(2, 600), { ...STILL, aeDriftPerS: 0.05, screenWhite: 0.5 }, 6);
    const t = c.truth.transmissions[0]!;
    const white = Array.from(c.values.slice(t.startFrame + 2, t.endFrame - 2), (v) => srgbToLinear(v / 255));
    const perFrame = white.slice(1).map((v, i) => Math.abs(v / white[i]! - 1));
    expect(Math.max(...white) / Math.min(...white)).toBeGreaterThan(1.01);
    expect(Math.max(...perFrame)).toBeLessThanOrEqual(0.05 / 60 + 1e-6);
  });

  it('is deterministic from the seed, and iterating a clip twice gives the same frames', () => {
    expect(simulateCameraBrightness(levels, {}, 3).values).toEqual(simulateCameraBrightness(levels, {}, 3).values);
    expect(simulateCameraBrightness(levels, {}, 3).values).not.toEqual(simulateCameraBrightness(levels, {}, 4).values);
    const clip = cameraFrames(levels, { width: 32, height: 24 }, 3);
    const a = Array.from(clip, (f) => f.luma);
    const b = Array.from(clip, (f) => f.luma);
    expect(a.length).toBe(clip.frameCount);
    expect(b).toEqual(a);
  });

  it('refuses impossible cameras with OPTION_INVALID', () => {
    for (const bad of [
      { cameraFps: 0 }, { exposureMs: 20, cameraFps: 60 }, { exposure: 1.2 }, { readoutMs: 40, cameraFps: 30 },
      { patch: { x: 0.8, y: 0.1, width: 0.3, height: 0.1 } }, { width: 0 }, { pixelNoise: -1 },
    ]) {
      try {
        simulateCameraBrightness(levels, bad);
        expect.unreachable(`accepted ${JSON.stringify(bad)}`);
      } catch (e) {
        expect(isBlinkUpError(e) && e.code).toBe('OPTION_INVALID');
      }
    }
  });
});
