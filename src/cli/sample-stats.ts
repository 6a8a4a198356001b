/**
 * What a capture held, independent of whether the decoder found anything in it: how many
 * samples, over how long, and the range of their values. When no preamble was found the
 * decoder has learned no levels, and these numbers are what is left to tell the user why
 * ("the signal spans 0.03 of full scale", "the capture is 1.2 s long").
 */
/** A step between timestamps longer than this many sample intervals is samples lost, not jitter. */
const GAP_INTERVALS = 5;

export class SampleStats {
  /** Finite samples seen. */
  count = 0;
  /** Values that were not numbers (NaN, ±Infinity): missing samples, whose places count in the duration. */
  missing = 0;
  min = Infinity;
  max = -Infinity;
  /** True once a finite sample has a fractional part: the values are not ADC codes (volts, say). */
  fractional = false;
  /** Samples above the stated full scale (see the constructor). */
  aboveFullScale = 0;
  /** Jumps in the timestamps of more than GAP_INTERVALS sample intervals (lost samples), and the longest, seconds. */
  gaps = 0;
  longestGapS = 0;
  /** Time the timestamps cover, s: their steps forward added up (a restart, where they jump back, adds nothing). */
  private elapsedS = 0;
  private lastTime = Number.NaN;

  /**
   * Takes one chunk (NaN and ±Infinity are not samples: the decoder skips them too). With
   * timestamps and the nominal `sampleRate`, jumps in the times are counted as gaps; with the
   * ADC's stated `fullScale`, samples above it.
   */
  add(values: ArrayLike<number>, times: ArrayLike<number> | undefined, sampleRate?: number, fullScale?: number): void {
    let { min, max, count, fractional, aboveFullScale, missing } = this;
    const top = fullScale !== undefined && fullScale > 0 ? fullScale : Infinity;
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (!Number.isFinite(x)) {
        missing++;
        continue;
      }
      count++;
      if (x < min) min = x;
      if (x > max) max = x;
      if (x > top) aboveFullScale++;
      if (x !== Math.floor(x)) fractional = true;
    }
    this.aboveFullScale = aboveFullScale;
    this.min = min;
    this.max = max;
    this.count = count;
    this.missing = missing;
    this.fractional = fractional;
    if (times && times.length > 0) {
      if (sampleRate !== undefined && sampleRate > 0) this.findGaps(times, GAP_INTERVALS / sampleRate);
      let previous = this.lastTime;
      let elapsed = this.elapsedS;
      for (let i = 0; i < times.length; i++) {
        const t = times[i]!;
        if (t > previous) elapsed += t - previous;
        if (Number.isFinite(t)) previous = t;
      }
      this.elapsedS = elapsed;
      this.lastTime = previous;
    }
  }

  /**
   * Whether the values can be read against a full scale nobody stated: ADC codes (whole numbers
   * from 0) or fractions of full scale (0–1). Volts from a scope (0.3–1.6, or below zero) are
   * neither, and a full scale guessed from their largest value means nothing.
   */
  get scaleImplied(): boolean {
    if (this.count === 0) return true;
    if (this.min < 0) return false;
    return !this.fractional || this.max <= 1;
  }

  private findGaps(times: ArrayLike<number>, limit: number): void {
    let previous = this.lastTime; // NaN before the first chunk: no step to measure
    for (let i = 0; i < times.length; i++) {
      const step = times[i]! - previous;
      if (step > limit) {
        this.gaps++;
        if (step > this.longestGapS) this.longestGapS = step;
      }
      previous = times[i]!;
    }
  }

  /** Span of the capture, seconds: from its timestamps, else the samples' places (missing ones too) ÷ rate. */
  durationS(sampleRate: number | undefined): number {
    if (this.lastTime === this.lastTime) return this.elapsedS;
    return sampleRate ? (this.count + this.missing) / sampleRate : Number.NaN;
  }
}

