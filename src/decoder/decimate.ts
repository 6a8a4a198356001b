/**
 * Stage −1 — decimation, for samplers far faster than a flash needs: an oscilloscope at
 * 100 kSa/s–10 MSa/s, say. The later stages are sized in samples for the rates of a photodiode
 * logger (the history ring holds 8192 samples, the boxcar at most 64): at 200 kHz a frame no
 * longer fit in the ring, and nothing decoded. Above STAGE_RATE, each run of `factor`
 * consecutive samples (counted from the start of the stream, so that how the caller cuts it into
 * chunks changes nothing) becomes one: the mean of its samples that are numbers, at the mean of
 * their times. A run with no number in it stays one sample that is not a number, which the
 * conditioner skips and counts. Averaging is the low-pass such a rate allows for free: it also
 * lowers the noise by √factor.
 */
import { BLOCK, MAX_ABS_SAMPLE } from './condition.js';

/**
 * Highest rate the later stages run at, Hz; faster streams are decimated to at most this. The top
 * of CHANNEL.md's sampler range, so that every rate in it runs as it did: above it the hard tier
 * decoded less and less (16 of 20 seeded captures at 10 kHz, 15 at 44.1 kHz, against 19 at 4 kHz),
 * and with decimation to here 20, 18 and 17 at 10, 44.1 and 100 kHz.
 */
export const STAGE_RATE = 4_000;

/** Samples of a stream at `rate` that become one for the later stages (1: none). */
export function decimationFactor(rate: number): number {
  return rate > STAGE_RATE ? Math.ceil(rate / STAGE_RATE) : 1;
}

/** Where decimated samples go: `values[0, n)`, with `times[0, n)` or null. */
export type DecimatedSink = (values: Float64Array, times: Float64Array | null, n: number) => void;

export class Decimator {
  /** Samples offered, and those that were numbers. */
  offered = 0;
  valid = 0;
  /** The run being summed: its samples so far (any), its numbers' sum and count, their times' sum. */
  private inRun = 0;
  private sum = 0;
  private numbers = 0;
  private timeSum = 0;
  /** The run's samples came with timestamps. */
  private timedRun = false;
  /** Decimated samples waiting to be handed on. */
  private readonly values = new Float64Array(BLOCK);
  private readonly times = new Float64Array(BLOCK);
  private count = 0;
  private timedOut = false;

  /** `factor`: samples a run (≥ 2); `sink`: where the decimated samples go, BLOCK at most at a time. */
  constructor(
    readonly factor: number,
    private readonly sink: DecimatedSink,
  ) {}

  /** Takes `chunk[from, to)` (with `times[from, to)`, or null for the nominal clock). */
  push(chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, to: number): void {
    const timed = times !== null;
    // A switch between timestamps and the nominal clock ends the run there.
    if (this.inRun > 0 && this.timedRun !== timed) this.closeRun();
    this.timedRun = timed;
    const factor = this.factor;
    const limit = MAX_ABS_SAMPLE;
    let { inRun, sum, numbers, timeSum } = this;
    let valid = 0;
    for (let i = from; i < to; i++) {
      const x = +chunk[i]!;
      if (x >= -limit && x <= limit) {
        const t = timed ? +times[i]! : 0;
        if (t >= -limit && t <= limit) {
          sum += x;
          timeSum += t;
          numbers++;
          valid++;
        }
      }
      if (++inRun === factor) {
        this.emit(numbers > 0 ? sum / numbers : Number.NaN, numbers > 0 ? timeSum / numbers : Number.NaN);
        inRun = numbers = 0;
        sum = timeSum = 0;
      }
    }
    this.inRun = inRun;
    this.sum = sum;
    this.numbers = numbers;
    this.timeSum = timeSum;
    this.offered += to - from;
    this.valid += valid;
    this.handOn();
  }

  /** End of stream: the last, shorter run becomes a sample too, and everything is handed on. */
  flush(): void {
    if (this.inRun > 0) this.closeRun();
    this.handOn();
  }

  private closeRun(): void {
    const n = this.numbers;
    this.emit(n > 0 ? this.sum / n : Number.NaN, n > 0 ? this.timeSum / n : Number.NaN);
    this.inRun = this.numbers = 0;
    this.sum = this.timeSum = 0;
  }

  private emit(value: number, time: number): void {
    if (this.count > 0 && this.timedOut !== this.timedRun) this.handOn();
    this.timedOut = this.timedRun;
    this.values[this.count] = value;
    this.times[this.count] = time;
    if (++this.count === BLOCK) this.handOn();
  }

  private handOn(): void {
    const n = this.count;
    if (n === 0) return;
    this.count = 0;
    this.sink(this.values, this.timedOut ? this.times : null, n);
  }
}
