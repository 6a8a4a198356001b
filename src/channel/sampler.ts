/**
 * Sampler stage: when the microcontroller reads the ADC, and what its own clock says about it.
 *
 * The sampler believes it samples at `sampleRate`, but its clock runs `samplerClockPpm` fast or
 * slow (crystals: ±50 ppm; RC oscillators: ±2–3 %), every read is a little early or late
 * (jitter, not accumulating), and now and then the loop stalls for a few milliseconds (a gap:
 * later samples are all delayed). With `timestamps`, each sample carries the time the sampler's
 * clock read when it was taken — which includes the jitter and the gaps but is scaled by the
 * clock error, exactly like a real `micros()` stamp.
 */
import type { Random } from '../util/random.js';
import { checkBoolean, checkRange, withDefaults } from './validate.js';

export interface SamplerOptions {
  /** Nominal sample rate, Hz (1000 in the vendor tuning tool; 500–4000 in practice). Default 1000. */
  readonly sampleRate: number;
  /** Sampler clock error, ppm; positive = the clock runs fast, so more samples per true second. Default 0. */
  readonly samplerClockPpm: number;
  /** Random timing error of each sample, µs rms (clipped to ±40 % of a period). Default 50. */
  readonly jitterUs: number;
  /** Mean number of sampling stalls per second. Default 0. */
  readonly gapRatePerS: number;
  /** Mean length of a stall, ms (each is uniform in 0.5–1.5 × this). Default 5. */
  readonly gapMs: number;
  /** Return per-sample timestamps (`times`). Default false. */
  readonly timestamps: boolean;
  /** Resolution of those timestamps, µs. Default 1. */
  readonly timestampResolutionUs: number;
}

/** Typical sampler (CHANNEL.md "typical" column): 1 kHz, crystal clock, 50 µs jitter. */
export const SAMPLER_DEFAULTS: SamplerOptions = {
  sampleRate: 1000,
  samplerClockPpm: 0,
  jitterUs: 50,
  gapRatePerS: 0,
  gapMs: 5,
  timestamps: false,
  timestampResolutionUs: 1,
};

export function resolveSamplerOptions(partial?: Partial<SamplerOptions>): SamplerOptions {
  const o = withDefaults(SAMPLER_DEFAULTS, partial);
  checkRange('sampleRate', o.sampleRate, 1, 1_000_000);
  checkRange('samplerClockPpm', o.samplerClockPpm, -100_000, 100_000);
  checkRange('jitterUs', o.jitterUs, 0, 1_000_000);
  checkRange('gapRatePerS', o.gapRatePerS, 0, 1000);
  checkRange('gapMs', o.gapMs, 0, 60_000);
  checkBoolean('timestamps', o.timestamps);
  checkRange('timestampResolutionUs', o.timestampResolutionUs, 0, 1_000_000);
  return o;
}

/** When each sample is taken. */
export interface SamplePlan {
  /** True time of each sample, s, strictly increasing, all within [0, durationS). */
  readonly trueTimesS: Float64Array;
  /** The sampler's own timestamps, s from its first sample (only when `timestamps` is set). */
  readonly believedTimesS?: Float64Array;
  /** Number of stalls that happened. */
  readonly gaps: number;
}

/** Choose the sample instants covering [0, durationS). */
export function planSamples(durationS: number, options: SamplerOptions, rng: Random): SamplePlan {
  const clock = 1 + options.samplerClockPpm * 1e-6;
  const period = 1 / (options.sampleRate * clock); // true seconds between nominal samples
  const jitterS = options.jitterUs * 1e-6;
  const maxJitter = 0.4 * period; // never reorders samples
  const gapChance = options.gapRatePerS * period;
  const gapMeanS = options.gapMs * 1e-3;
  const start = rng.next() * period; // the capture starts at an arbitrary phase
  const capacity = Math.max(0, Math.ceil((durationS - start) / period) + 1);
  const times = new Float64Array(capacity);
  let count = 0;
  let gaps = 0;
  let delay = 0; // accumulated stalls, true seconds
  for (let n = 0; ; n++) {
    if (gapChance > 0 && rng.chance(gapChance)) {
      delay += gapMeanS * rng.uniform(0.5, 1.5);
      gaps++;
    }
    const nominal = start + n * period + delay;
    if (nominal >= durationS) break;
    let jitter = jitterS > 0 ? jitterS * rng.normal() : 0;
    if (jitter > maxJitter) jitter = maxJitter;
    else if (jitter < -maxJitter) jitter = -maxJitter;
    const t = nominal + jitter;
    if (t < 0 || t >= durationS) continue;
    times[count++] = t;
  }
  const trueTimesS = times.subarray(0, count);
  if (!options.timestamps) return { trueTimesS, gaps };
  const resolution = options.timestampResolutionUs * 1e-6;
  const believedTimesS = new Float64Array(count);
  const t0 = count > 0 ? trueTimesS[0]! : 0;
  for (let i = 0; i < count; i++) {
    const believed = (trueTimesS[i]! - t0) * clock;
    believedTimesS[i] = resolution > 0 ? Math.round(believed / resolution) * resolution : believed;
  }
  return { trueTimesS, believedTimesS, gaps };
}

/**
 * Reads the sensor output at the planned instants while the fine grid streams past, by linear
 * interpolation between grid points (the sensor output is smooth: it is low-pass filtered).
 */
export class SamplePicker {
  private next = 0;
  private previous = Number.NaN;

  /** `out[i]` receives the sensor output at `timesS[i]`. */
  constructor(
    private readonly timesS: Float64Array,
    private readonly out: Float32Array,
  ) {}

  /**
   * Take the samples that fall in this block. `buf[i]` is the sensor output at t0 + (i+1)·dt;
   * the output at t0 is the last value of the previous block.
   */
  take(buf: Float64Array, count: number, t0: number, dt: number): void {
    if (count === 0) return;
    const times = this.timesS;
    const out = this.out;
    const end = t0 + count * dt;
    const before = Number.isNaN(this.previous) ? buf[0]! : this.previous;
    let n = this.next;
    while (n < times.length && times[n]! <= end) {
      const u = (times[n]! - t0) / dt;
      let j = Math.floor(u);
      if (j < 0) j = 0;
      if (j >= count) j = count - 1;
      const y0 = j === 0 ? before : buf[j - 1]!;
      const y1 = buf[j]!;
      const frac = u - j;
      out[n] = y0 + (frac < 1 ? frac : 1) * (y1 - y0);
      n++;
    }
    this.next = n;
    this.previous = buf[count - 1]!;
  }

  /** How many samples have been taken so far. */
  get taken(): number {
    return this.next;
  }
}
