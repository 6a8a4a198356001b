/**
 * Glitches, before anything reads the samples as light. A serial link or an ADC that corrupts
 * one sample now and then (a 16-bit word read as 65535, an ADC's full scale, a sign error) puts
 * a lone value far outside the light. Left in, one such sample loses the packet: the
 * segmenter's envelope jumps to it, a grey pulse reads white, the flicker tracker takes it for
 * a huge sinusoid. So it is replaced by the mean of its neighbours, and counted for the report.
 *
 * A glitch lies GLITCH_MARGIN of the recent peak-to-peak beyond the recent extremes of the
 * samples, and GLITCH_STANDOUT of it (and GLITCH_NOISE_SIGMAS noise sigmas) beyond both its
 * neighbours: light through a sensor cannot jump that far and back within one sample — except
 * the bursts of a PWM-dimmed screen, which do nothing else. Under PWM a glitch must therefore lie
 * GLITCH_MARGIN_PWM beyond the extremes, which hold the bursts the sampler caught lately, and as
 * far beyond its neighbours.
 *
 * New light leaves the range too — a screen lighting up, a first white after a grey preamble,
 * the first bursts of a PWM-dimmed screen — but never as one sample: so a glitch must also be
 * alone within GLITCH_REACH_S either side: no other sample there beyond the range by
 * LIGHT_BEYOND of the margin, and no other spike (a dimmed screen's bursts come every few
 * milliseconds; a frame lasts 8 or more). A sample whose neighbourhood has not all come yet is
 * judged only if it reads above the ADC's stated full scale, which no light can. Nothing is a
 * glitch before the range has been watched for WATCH_S and the noise is measured.
 *
 * Cost: the range follows each piece's extremes, which the stage that calls this gathers anyway;
 * only a piece that leaves the range is looked at sample by sample.
 */

const GLITCH_MARGIN = 0.25;
const GLITCH_STANDOUT = 0.5;
const GLITCH_MARGIN_PWM = 2;
const GLITCH_NOISE_SIGMAS = 8;
/** The recent extremes are forgotten with this time constant, s, and must have been watched this long before anything is a glitch. */
const RANGE_MEMORY_S = 2;
const WATCH_S = 0.25;
const GLITCH_REACH_S = 0.02;
const LIGHT_BEYOND = 0.25;
/**
 * …and no other spike there — a sample beyond both its neighbours by this share of the glitch's
 * height above its own, or SPIKE_NOISE_SIGMAS noise sigmas if more: PWM bursts that beat with the
 * sampler come as a row of spikes, one now and then taller than the rest.
 */
const SPIKE_SHARE = 0.15;
const SPIKE_NOISE_SIGMAS = 4;

export class GlitchGuard {
  /** Recent extremes of the samples (NaN until the first piece). */
  private low = Number.NaN;
  private high = Number.NaN;
  /** RANGE_MEMORY_S, WATCH_S and GLITCH_REACH_S in samples. */
  private readonly memory: number;
  private readonly watch: number;
  private readonly reach: number;
  /** How far the range moves towards a piece of `stepLength` samples. */
  private stepLength = 0;
  private step = 0;
  /** The piece being guarded left the range (see `followPiece`). */
  private left = false;
  /** Samples the range has followed. */
  private watched = 0;
  /** Sample noise rms, input units, as the later stages measure it in the dark gaps (0 until measured). */
  noise = 0;
  /** Glitches replaced so far. */
  replaced = 0;

  /** The ADC's full scale as stated (Infinity if it was not: an inferred one proves nothing). */
  private readonly fullScale: number;

  /** `fullScale`: as stated by the caller (0 if not). */
  constructor(sampleRate: number, fullScale: number) {
    this.fullScale = fullScale > 0 ? fullScale : Infinity;
    this.memory = RANGE_MEMORY_S * sampleRate;
    this.watch = WATCH_S * sampleRate;
    this.reach = Math.round(GLITCH_REACH_S * sampleRate);
  }

  /** How far beyond the recent range a glitch lies (`pwm`: the screen is PWM-dimmed). */
  private margin(pwm: boolean): number {
    return (pwm ? GLITCH_MARGIN_PWM : GLITCH_MARGIN) * (this.high - this.low);
  }

  /** Whether a piece with these extremes reaches beyond the recent range by the glitch margin: worth a look, sample by sample. */
  leaves(min: number, max: number, pwm: boolean): boolean {
    if (!this.judging) return false;
    const margin = this.margin(pwm);
    this.left = max > this.high + margin || min < this.low - margin;
    return this.left;
  }

  /** Glitches are judged: the range has been watched long enough and the noise is measured. */
  get judging(): boolean {
    return this.noise > 0 && this.watched >= this.watch;
  }

  /**
   * The range follows the piece [first, end) of the ring `values` (slot i & `mask`), whose
   * extremes are `min` and `max` (its glitches already replaced). A glitch that was not replaced
   * (before glitches are judged, or one too near the piece's end to judge) would set the range for
   * seconds, and every glitch like it would then lie inside it: so a piece that left the range, or
   * came before glitches are judged, moves it by its second largest and second smallest samples,
   * which one lone sample cannot move. (Any other piece lies within the range and its margin.)
   */
  followPiece(values: Float64Array, mask: number, first: number, end: number, min: number, max: number): void {
    const scan = (this.left || !this.judging) && end - first >= 2;
    this.left = false;
    if (scan) {
      let a = -Infinity; // largest, then second largest (b)
      let b = -Infinity;
      let c = Infinity; // smallest, then second smallest (d)
      let d = Infinity;
      for (let i = first; i < end; i++) {
        const x = values[i & mask]!;
        if (x > a) {
          b = a;
          a = x;
        } else if (x > b) b = x;
        if (x < c) {
          d = c;
          c = x;
        } else if (x < d) d = x;
      }
      min = d;
      max = b;
    }
    this.follow(min, max, end - first);
  }

  /** The range follows a piece of `n` samples with these extremes. */
  private follow(min: number, max: number, n: number): void {
    if (!(min <= max)) return;
    // (Pieces are nearly always the same length: exp is worked out again only when it changes.)
    if (n !== this.stepLength) {
      this.stepLength = n;
      this.step = 1 - Math.exp(-n / this.memory);
    }
    const k = this.step;
    const { high, low } = this;
    this.high = high === high && max <= high ? high - (high - max) * k : max;
    this.low = low === low && min >= low ? low + (min - low) * k : min;
    this.watched += n;
  }

  /** Samples a glitch's neighbourhood reaches either side (GLITCH_REACH_S). */
  get neighbourhood(): number {
    return this.reach;
  }

  /**
   * Replaces the glitches among samples [first, end) of the ring `values` (sample i in slot
   * i & `mask`; the samples before `first`, back to `oldest`, are its neighbours too) by the mean
   * of their neighbours. A sample within GLITCH_REACH_S of `end` is judged only if it reads above
   * the stated full scale: what follows it has not come yet. Returns how many were replaced.
   */
  remove(values: Float64Array, mask: number, first: number, end: number, oldest: number, pwm: boolean): number {
    const at = (i: number): number => values[i & mask]!;
    const { high, low, reach } = this;
    const span = high - low;
    const margin = this.margin(pwm);
    const standOut = Math.max(pwm ? GLITCH_MARGIN_PWM * span : GLITCH_STANDOUT * span, GLITCH_NOISE_SIGMAS * this.noise);
    const outAbove = high + LIGHT_BEYOND * margin;
    const outBelow = low - LIGHT_BEYOND * margin;
    let found = 0;
    for (let i = Math.max(first, oldest + 1); i < end - 1; i++) {
      const x = at(i);
      const up = x > high + margin;
      if (!(up || x < low - margin)) continue;
      const before = at(i - 1);
      const after = at(i + 1);
      if (!beyondBoth(x, before, after, standOut, up)) continue;
      // Alone: new light does not come as one sample. Its whole neighbourhood must be there (a
      // sample near the end of what has come is not judged — unless it reads above the ADC's
      // stated full scale, which no light can), none of it beyond the range, and none of it a
      // spike of its own, as PWM bursts are (a slow pixel's edge rises steadily).
      if (i + reach >= end && !(x > this.fullScale)) continue;
      const height = up ? x - Math.max(before, after) : Math.min(before, after) - x;
      const spike = Math.max(SPIKE_SHARE * height, SPIKE_NOISE_SIGMAS * this.noise);
      let alone = true;
      const from = Math.max(oldest + 1, i - reach);
      const last = Math.min(end - 1, i + reach);
      for (let j = Math.max(oldest, i - reach); j <= last && alone; j++) {
        if (j === i) continue;
        const y = at(j);
        if (up ? y > outAbove : y < outBelow) alone = false;
        else if (j >= from && j < last && j !== i - 1 && j !== i + 1 && beyondBoth(y, at(j - 1), at(j + 1), spike, up)) alone = false;
      }
      if (!alone) continue;
      values[i & mask] = 0.5 * (before + after);
      found++;
    }
    this.replaced += found;
    return found;
  }
}

/** Whether `x` lies more than `by` beyond both `a` and `b`: above them (`up`), or below. */
function beyondBoth(x: number, a: number, b: number, by: number, up: boolean): boolean {
  return up ? x - by > a && x - by > b : x + by < a && x + by < b;
}
