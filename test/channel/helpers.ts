/** Shared helpers for the channel tests: level sequences and picking samples by true time. */
import type { PhotodiodeCapture } from '../../src/channel/photodiode.js';
import { concatBytes } from '../node/helpers.js';

/** `count` frames of one level. */
export function steady(level: 0 | 1 | 2, count: number): Uint8Array {
  return new Uint8Array(count).fill(level);
}

/** Concatenate level runs. */
export function runs(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

/** Samples whose true time lies in [fromS, toS). */
export function samplesBetween(capture: PhotodiodeCapture, fromS: number, toS: number): number[] {
  const out: number[] = [];
  const times = capture.truth.sampleTimesS;
  for (let i = 0; i < times.length; i++) if (times[i]! >= fromS && times[i]! < toS) out.push(capture.samples[i]!);
  return out;
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

export function rms(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return Math.sqrt(s / xs.length);
}

/** A channel with every random or slow effect off, for exact physical checks. */
export const QUIET = {
  noiseLsb: 0,
  flickerDepth: 0,
  driftPerS: 0,
  heldLevelProbability: 0,
  jitterUs: 0,
  blackLevel: 0,
} as const;
