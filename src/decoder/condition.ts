/**
 * Stage 1 — conditioning. Every sample that enters the decoder passes here first:
 *
 * - values that are not light (NaN, ±Infinity, magnitudes beyond ±1e15 from a broken reader)
 *   are counted and skipped, so nothing downstream ever sees a non-finite number;
 * - the sample and its time go into a fixed-size history ring, from which the pulse stage later
 *   measures whole pulses (the decoder's memory is this ring, whatever the stream length);
 * - a boxcar of about 4 ms keeps a moving sum for pulse segmentation: it spans one period of
 *   240 Hz PWM (two of 480 Hz), so dimming ripple cancels, yet it is short enough that a 120 fps
 *   frame keeps its full contrast;
 * - the input range is watched for the report: full scale (given or inferred) and saturation.
 */

/** Largest magnitude accepted as a sample. */
export const MAX_ABS_SAMPLE = 1e15;

/** History kept, samples (a power of two). Bounds the longest pulse the decoder can measure. */
export const HISTORY = 1 << 13;
const MASK = HISTORY - 1;

/** The smoothing window, seconds: one period of the slowest common PWM dimming (240 Hz). */
export const SMOOTHING_S = 1 / 240;
/** Longest smoothing window, samples (at very high sample rates the window is capped). */
const MAX_SMOOTHING = 64;
/** Recompute the moving sum from scratch this often, so rounding never accumulates. */
const RESUM_EVERY = 4096;

/** Samples within this fraction of full scale of the top count as saturated. */
const SATURATION_MARGIN = 0.06;
/** Samples per saturation window. */
const SATURATION_WINDOW = 1024;

/** Sample rate → boxcar length in samples (≥ 1). */
export function smoothingLength(sampleRate: number): number {
  const n = Math.round(sampleRate * SMOOTHING_S);
  return n < 1 ? 1 : n > MAX_SMOOTHING ? MAX_SMOOTHING : n;
}

/** ADC resolutions common enough to guess a full scale from. */
const COMMON_ADC_BITS = [8, 10, 12, 14, 16, 20, 24] as const;

/**
 * Full scale of an input whose largest value so far is `max`: the smallest common ADC range
 * (2^bits − 1 for 8, 10, 12, 14, 16, 20 or 24 bits) that holds it, or 1 for values that look
 * like fractions. A guess — callers who know their ADC should say so.
 */
export function inferFullScale(max: number): number {
  if (!(max > 1)) return 1;
  for (const bits of COMMON_ADC_BITS) {
    const fs = 2 ** bits - 1;
    if (max <= fs) return fs;
  }
  return max;
}

export class Conditioner {
  /** Raw samples, ring-indexed by `index & (HISTORY − 1)`. */
  readonly values = new Float64Array(HISTORY);
  /** Time of each sample, seconds, same indexing. */
  readonly times = new Float64Array(HISTORY);
  /** Samples accepted so far; the next sample gets this index. */
  count = 0;
  /** Samples skipped as non-finite or absurd. */
  skipped = 0;
  /** Sum of the last `width` samples (fewer at the very start). */
  sum = 0;
  /** Boxcar length, samples. */
  readonly width: number;

  /** Largest and smallest accepted values (for full-scale inference). */
  max = -Infinity;
  min = Infinity;
  /** Full scale: given, or inferred from `max`. */
  private readonly givenFullScale: number;
  private ceiling = Infinity;
  private saturatedInWindow = 0;
  private windowFill = 0;
  /** Saturated samples overall. */
  saturated = 0;
  /** Fraction of the last complete window that was saturated. */
  recentSaturation = 0;
  private lastTime = -Infinity;

  constructor(width: number, fullScale: number) {
    this.width = width;
    this.givenFullScale = fullScale;
    if (fullScale > 0) this.ceiling = fullScale * (1 - SATURATION_MARGIN);
  }

  /** The full scale used for fractions: given, or inferred from the largest value seen. */
  get fullScale(): number {
    return this.givenFullScale > 0 ? this.givenFullScale : inferFullScale(this.max);
  }

  /**
   * Appends one already-validated sample at time `t` (seconds). Returns true when a saturation
   * window just completed (the caller then checks `recentSaturation`).
   */
  append(x: number, t: number): boolean {
    const i = this.count;
    const slot = i & MASK;
    if (t < this.lastTime) t = this.lastTime; // timestamps never run backwards downstream
    this.lastTime = t;
    this.values[slot] = x;
    this.times[slot] = t;
    this.count = i + 1;
    if (i >= this.width) this.sum += x - this.values[(i - this.width) & MASK]!;
    else this.sum += x;
    if ((i & (RESUM_EVERY - 1)) === RESUM_EVERY - 1) this.resum();
    if (x > this.max) {
      this.max = x;
      if (!(this.givenFullScale > 0)) this.ceiling = inferFullScale(x) * (1 - SATURATION_MARGIN);
    }
    if (x < this.min) this.min = x;
    if (x >= this.ceiling) {
      this.saturated++;
      this.saturatedInWindow++;
    }
    if (++this.windowFill === SATURATION_WINDOW) {
      this.recentSaturation = this.saturatedInWindow / SATURATION_WINDOW;
      this.saturatedInWindow = 0;
      this.windowFill = 0;
      return true;
    }
    return false;
  }

  /** Sample `index` (must be within the last HISTORY samples). */
  value(index: number): number {
    return this.values[index & MASK]!;
  }

  /** Time of sample `index`, seconds (must be within the last HISTORY samples). */
  time(index: number): number {
    return this.times[index & MASK]!;
  }

  /** Time at a fractional sample position, interpolated between its neighbours. */
  timeAt(position: number): number {
    const i = Math.floor(position);
    const oldest = this.count - HISTORY;
    if (i < oldest) return this.time(oldest);
    if (i >= this.count - 1) return this.time(this.count - 1);
    const f = position - i;
    const a = this.time(i);
    return a + f * (this.time(i + 1) - a);
  }

  /** Oldest index still in the history. */
  get oldest(): number {
    return this.count > HISTORY ? this.count - HISTORY : 0;
  }

  private resum(): void {
    const n = Math.min(this.width, this.count);
    let s = 0;
    for (let k = this.count - n; k < this.count; k++) s += this.values[k & MASK]!;
    this.sum = s;
  }
}
