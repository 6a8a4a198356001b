/**
 * What a capture held, independent of whether the decoder found anything in it: how many
 * samples, over how long, and the range of their values. When no preamble was found the
 * decoder has learned no levels, and these numbers are what is left to tell the user why
 * ("the signal spans 0.03 of full scale", "the capture is 1.2 s long").
 */
export class SampleStats {
  /** Finite samples seen. */
  count = 0;
  min = Infinity;
  max = -Infinity;
  private firstTime = Number.NaN;
  private lastTime = Number.NaN;

  /** Takes one chunk (NaN and ±Infinity are not samples: the decoder skips them too). */
  add(values: ArrayLike<number>, times: ArrayLike<number> | undefined): void {
    let { min, max, count } = this;
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (!Number.isFinite(x)) continue;
      count++;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    this.min = min;
    this.max = max;
    this.count = count;
    if (times && times.length > 0) {
      if (this.firstTime !== this.firstTime) this.firstTime = times[0]!;
      this.lastTime = times[times.length - 1]!;
    }
  }

  /** Span of the capture, seconds: from its timestamps, else samples ÷ rate. */
  durationS(sampleRate: number | undefined): number {
    if (this.lastTime === this.lastTime) return this.lastTime - this.firstTime;
    return sampleRate ? this.count / sampleRate : Number.NaN;
  }
}

