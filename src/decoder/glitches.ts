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
 * LIGHT_BEYOND of the margin, and no jump between two others of QUIET of the glitch's height (a
 * dimmed screen's bursts come every few milliseconds and jump as far; a frame lasts 8 or more). Nothing is a glitch before the range has been watched for WATCH_S and the
 * noise is measured.
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
const WATCH_S = 1;
const GLITCH_REACH_S = 0.02;
const LIGHT_BEYOND = 0.25;
/** …and no jump between two other samples there larger than this share of the glitch's height above its neighbours. */
const QUIET = 0.5;

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
  /** Samples the range has followed. */
  private watched = 0;
  /** Sample noise rms, input units, as the later stages measure it in the dark gaps (0 until measured). */
  noise = 0;
  /** Glitches replaced so far. */
  replaced = 0;

  constructor(sampleRate: number) {
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
    if (!(this.noise > 0) || this.watched < this.watch) return false;
    const margin = this.margin(pwm);
    return max > this.high + margin || min < this.low - margin;
  }

  /** The range follows a piece of `n` samples with these extremes (its glitches already replaced). */
  follow(min: number, max: number, n: number): void {
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
   * of their neighbours. A sample within GLITCH_REACH_S of `end` is not judged: what follows it
   * has not come yet. Returns how many were replaced.
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
      if (up ? !(x - standOut > before && x - standOut > after) : !(x + standOut < before && x + standOut < after)) continue;
      // Alone: new light does not come as one sample. Its whole neighbourhood must be there (a
      // sample near the end of what has come is not judged), none of it beyond the range, and
      // none of it jumping from sample to sample as PWM bursts do.
      if (i + reach >= end) continue;
      const height = up ? x - Math.max(before, after) : Math.min(before, after) - x;
      let alone = true;
      let last = at(Math.max(oldest, i - reach));
      for (let j = Math.max(oldest, i - reach) + 1; j <= i + reach && alone; j++) {
        const y = at(j);
        if (j !== i && j - 1 !== i && Math.abs(y - last) > QUIET * height) alone = false;
        if (j !== i && (up ? y > outAbove : y < outBelow)) alone = false;
        last = y;
      }
      if (!alone) continue;
      values[i & mask] = 0.5 * (before + after);
      found++;
    }
    this.replaced += found;
    return found;
  }
}
