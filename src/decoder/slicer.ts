/**
 * Stage 4 — slicing: a pulse value becomes a soft bit. The soft value is the distance from the
 * grey/white threshold in units of half the grey/white gap: −1 sits on grey, +1 on white, 0 is a
 * coin toss. Its sign is the bit, its magnitude (capped at 1) the bit's confidence, and the soft
 * values themselves are what repetition combining adds up.
 */
import { PWM_THRESHOLD_SHARE, type LevelTracker } from './levels.js';

/** Soft values are clipped here so one wild pulse cannot outvote several repetitions. */
const LIMIT = 2;
/**
 * The same, exported. `softValue` clips with the module-local LIMIT: the compiler folds that,
 * but not an exported binding, whose unknown type would have it box every soft value.
 */
export const SOFT_LIMIT = LIMIT;

/**
 * Soft value of a pulse value against the current levels. With relative noise (see
 * LevelTracker.relativeNoise) the distances are measured in log ratios above the floor, so a
 * white read 20 % low is as doubtful as a grey read 20 % high; and as the threshold then lies
 * nearer grey (PWM_THRESHOLD_SHARE of the way), each side is scaled by its own distance, so
 * that grey still reads −1 and white +1.
 */
export function softValue(value: number, levels: LevelTracker): number {
  // The usual case kept small, for the compiler to inline: a number passed to or returned from a
  // call that is not inlined is boxed (twice a pulse).
  const s = levels.relativeNoise ? relativeSoftValue(value, levels) : linearSoftValue(value, levels);
  return s > LIMIT ? LIMIT : s < -LIMIT ? -LIMIT : s === s ? s : 0;
}

/** Distance from the threshold in half grey/white gaps (unclipped). */
function linearSoftValue(value: number, levels: LevelTracker): number {
  const half = levels.halfGap;
  return half > 0 ? (value - levels.threshold) / half : 0;
}

/** In log ratios above the floor, each side scaled by its own distance (unclipped; linear until both levels are known). */
function relativeSoftValue(value: number, levels: LevelTracker): number {
  const grey = levels.grey - levels.floor;
  const white = levels.white - levels.floor;
  if (!(grey > 0 && white > grey)) return linearSoftValue(value, levels);
  const x = value - levels.floor;
  const span = Math.log(white / grey);
  const above = x > 0 ? Math.log(x / grey) - PWM_THRESHOLD_SHARE * span : -Infinity;
  return above >= 0 ? above / ((1 - PWM_THRESHOLD_SHARE) * span) : above / (PWM_THRESHOLD_SHARE * span);
}

/** Confidence of a soft value: 0 at the threshold, 1 at (or beyond) a learned level. */
export function confidence(soft: number): number {
  const a = soft < 0 ? -soft : soft;
  return a > 1 ? 1 : a;
}
