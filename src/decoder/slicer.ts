/**
 * Stage 4 — slicing: a pulse value becomes a soft bit. The soft value is the distance from the
 * grey/white threshold in units of half the grey/white gap: −1 sits on grey, +1 on white, 0 is a
 * coin toss. Its sign is the bit, its magnitude (capped at 1) the bit's confidence, and the soft
 * values themselves are what repetition combining adds up.
 */
import type { LevelTracker } from './levels.js';

/** Soft values are clipped here so one wild pulse cannot outvote several repetitions. */
export const SOFT_LIMIT = 2;

/** Soft value of a pulse value against the current levels. */
export function softValue(value: number, levels: LevelTracker): number {
  const half = levels.halfGap;
  const s = half > 0 ? (value - levels.threshold) / half : 0;
  return s > SOFT_LIMIT ? SOFT_LIMIT : s < -SOFT_LIMIT ? -SOFT_LIMIT : s === s ? s : 0;
}

/** Confidence of a soft value: 0 at the threshold, 1 at (or beyond) a learned level. */
export function confidence(soft: number): number {
  const a = soft < 0 ? -soft : soft;
  return a > 1 ? 1 : a;
}
