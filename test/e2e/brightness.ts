/**
 * Painted frames → the signal a light sensor on the screen would have seen. Each frame's region
 * of interest becomes one linear-light value through the library's camera path (luma, then sRGB
 * undone, averaged over the region); the screen holds each value until the next frame, and a
 * virtual photodiode samples that at a fixed rate.
 */
import { PNG } from 'pngjs';
import { regionMeanLinear, type Roi } from '../../src/node/region.js';
import { rgbaToLuma } from '../../src/node/rgb-luma.js';
import type { PaintedFrame } from './screencast.js';

/** A rectangle in CSS pixels (as getBoundingClientRect gives it). */
export interface CssRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface BrightnessTrace {
  /** Swap time of each painted frame, seconds. */
  readonly timesS: Float64Array;
  /** Mean linear light of the region in each frame, 0…1. */
  readonly values: Float64Array;
}

/** The mean linear light of `region` (CSS pixels) in every painted frame. */
export function regionBrightness(frames: readonly PaintedFrame[], region: CssRect): BrightnessTrace {
  const timesS = new Float64Array(frames.length);
  const values = new Float64Array(frames.length);
  let luma = new Uint8Array(0);
  frames.forEach((frame, i) => {
    const png = PNG.sync.read(frame.png);
    if (luma.length !== png.width * png.height) luma = new Uint8Array(png.width * png.height);
    rgbaToLuma(png.data, luma);
    const scale = png.width / frame.deviceWidth;
    const roi: Roi = {
      x: Math.round(region.x * scale),
      y: Math.round((region.y - frame.offsetTop) * scale),
      w: Math.max(1, Math.floor(region.width * scale)),
      h: Math.max(1, Math.floor(region.height * scale)),
    };
    timesS[i] = frame.timeS;
    values[i] = regionMeanLinear(luma, png.width, png.height, roi);
  });
  return { timesS, values };
}

/**
 * Samples the held brightness at `rateHz` from the first frame to `tailS` after the last:
 * what a photodiode pressed to the screen would read (the imp samples its sensor at about 1 kHz).
 */
export function sampleHeld(trace: BrightnessTrace, rateHz: number, tailS = 0.5): { values: Float64Array; times: Float64Array } {
  const { timesS, values: frameValues } = trace;
  const start = timesS[0]!;
  const n = Math.floor((timesS[timesS.length - 1]! + tailS - start) * rateHz);
  const values = new Float64Array(n);
  const times = new Float64Array(n);
  let frame = 0;
  for (let i = 0; i < n; i++) {
    const t = start + i / rateHz;
    while (frame + 1 < timesS.length && timesS[frame + 1]! <= t) frame++;
    values[i] = frameValues[frame]!;
    times[i] = t;
  }
  return { values, times };
}
