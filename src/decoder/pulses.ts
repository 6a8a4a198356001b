/**
 * Stage 2 — pulse segmentation. Every bit is a dark frame then a bright one, so the signal is a
 * train of pulses; this stage cuts it at the valleys between them.
 *
 * A fixed threshold between black and grey fails as soon as the pixels are slow: after a white
 * pulse an LCD may fall only a third of the way to black before the next pulse starts. So this
 * is a zig-zag detector on the smoothed signal: a valley is confirmed once the signal has risen
 * `hysteresis` above its running minimum, a peak once it has fallen `hysteresis` below its
 * running maximum. The hysteresis is a fraction of the swing — of a slowly decaying min/max
 * envelope while hunting, of the learned grey pulse once the preamble has been seen — so it
 * scales with the signal and ignores noise and ripple smaller than that fraction.
 *
 * A segment runs from one valley to the next: the second half of a gap, a pulse, the first half
 * of the next gap. `measure` summarises its raw samples into a `Pulse`.
 */
import { HISTORY, type Conditioner } from './condition.js';

/** Hysteresis while hunting, as a fraction of the envelope's peak-to-peak. */
const HUNT_HYSTERESIS = 0.25;
/** The envelope forgets with this time constant, seconds (several pulses at 20 fps). */
const ENVELOPE_S = 0.25;
/** A segment longer than this (samples) is cut anyway: there is no pulse in it. */
export const MAX_SEGMENT = HISTORY >> 1;

/** One segment between two valleys, summarised. Reused: copy what you keep. */
export class Pulse {
  /** Raw sample range [start, end) of the segment. */
  start = 0;
  end = 0;
  /** Rising edge of this pulse, fractional sample index. */
  edge = 0;
  /** Samples from this pulse's rising edge to the next pulse's. */
  period = 0;
  /** Mean of the raw samples in the bright part (above the midpoint of floor and peak). */
  top = 0;
  /** Spread (rms) of those samples about `top`. */
  topSpread = 0;
  /** Smoothed signal at the valley before the pulse and at the pulse's peak. */
  floor = 0;
  peak = 0;
  /** Sum and count of all raw samples in the segment (its light, for energy measures). */
  sum = 0;
  count = 0;
  /** The segment holds no pulse (it started with a cut: a timeout, a length limit, the stream start). */
  empty = false;
}

export class PulseSegmenter {
  /** Boxcar length the moving sums come from. */
  private readonly width: number;
  private readonly invWidth: number;
  private readonly decay: number;
  private rising = false;
  private peakSum = -Infinity;
  private peakAt = 0;
  private valleySum = Infinity;
  private valleyAt = 0;
  private lastSum = 0;
  private hi = -Infinity;
  private lo = Infinity;
  /** Hysteresis in moving-sum units while locked; NaN while hunting. */
  private lockedHysteresis = Number.NaN;
  /** Smallest hysteresis, moving-sum units (from the noise): ripple below it is never a pulse. */
  private floorHysteresis = 0;
  /** While locked: samples after a peak with no new pulse before the pulse is closed anyway. */
  private gapTimeout = Infinity;
  /** The open segment started with a cut, not a valley: it holds no pulse of its own. */
  private openEmpty = true;

  /** The boundary just confirmed by `step`: raw index, rising edge after it, valley level. */
  boundaryAt = 0;
  boundaryEdge = 0;
  boundaryValley = 0;
  /** Peak (smoothed, input units) between the previous boundary and this one. */
  boundaryPeak = 0;
  /** The segment just closed holds no pulse (it started or ended with a cut). */
  boundaryEmpty = true;
  /** Start of the open segment (the previous boundary), raw sample index, its edge and valley. */
  segmentStart = 0;
  segmentEdge = Number.NaN;
  segmentValley = 0;

  constructor(width: number, sampleRate: number) {
    this.width = width;
    this.invWidth = 1 / width;
    this.decay = 1 - Math.exp(-1 / Math.max(1, ENVELOPE_S * sampleRate));
  }

  /** True while the smoothed signal is in the lower quarter of the envelope (a dark gap). */
  get dark(): boolean {
    return this.lastSum < this.lo + 0.25 * (this.hi - this.lo);
  }

  /**
   * Switch to a hysteresis of `h` input units (the learned grey pulse says how big pulses are),
   * and close a pulse if no other follows within `gapTimeout` samples of its peak.
   */
  lock(h: number, gapTimeout: number): void {
    this.lockedHysteresis = h * this.width;
    this.gapTimeout = gapTimeout;
  }

  unlock(): void {
    this.lockedHysteresis = Number.NaN;
    this.gapTimeout = Infinity;
  }

  /** Ripple of this size (input units, per sample rms) is noise, never a pulse. */
  setNoise(sigma: number): void {
    this.floorHysteresis = 4 * sigma * Math.sqrt(this.width);
  }

  /**
   * Feeds the moving sum at sample `n`. Returns true when a segment closed — at a confirmed
   * valley, at a gap timeout, or cut for length; the boundary fields then describe it.
   */
  step(s: number, n: number): boolean {
    const hi = this.hi;
    const lo = this.lo;
    this.hi = s > hi ? s : hi - (hi - s) * this.decay;
    this.lo = s < lo ? s : lo + (s - lo) * this.decay;
    let h = this.lockedHysteresis;
    if (!(h > 0)) h = (this.hi - this.lo) * HUNT_HYSTERESIS;
    if (h < this.floorHysteresis) h = this.floorHysteresis;
    const prev = this.lastSum;
    this.lastSum = s;
    if (this.rising) {
      if (s >= this.peakSum) {
        this.peakSum = s;
        this.peakAt = n;
      } else if (s < this.peakSum - h) {
        this.rising = false;
        this.valleySum = s;
        this.valleyAt = n;
      }
    } else if (s < this.valleySum) {
      this.valleySum = s;
      this.valleyAt = n;
    } else if (s > this.valleySum + h) {
      // Rising edge: where the signal crossed valley + h, interpolated between samples.
      const level = this.valleySum + h;
      const frac = s > prev ? (level - prev) / (s - prev) : 1;
      this.close(this.valleyAt, n - 1 + (frac < 0 ? 0 : frac > 1 ? 1 : frac), this.valleySum, false);
      this.rising = true;
      this.peakSum = s;
      this.peakAt = n;
      return true;
    } else if (!this.openEmpty && n - this.peakAt > this.gapTimeout) {
      // The light stayed dark far longer than a gap: the pulse before was the last one.
      this.close(this.valleyAt, Infinity, this.valleySum, true);
      this.peakSum = -Infinity;
      return true;
    }
    if (n - this.segmentStart >= MAX_SEGMENT) {
      this.close(n + ((this.width - 1) >> 1), Number.NaN, s, true);
      this.openEmpty = true;
      this.rising = false;
      this.valleySum = s;
      this.valleyAt = n;
      this.peakSum = -Infinity;
      return true;
    }
    return false;
  }

  /** End of stream: the open segment ends with the last sample. */
  finish(n: number): boolean {
    if (n <= this.segmentStart) return false;
    this.close(n + ((this.width - 1) >> 1), Infinity, this.rising ? this.lastSum : this.valleySum, true);
    this.rising = false;
    this.valleySum = Infinity;
    this.peakSum = -Infinity;
    return true;
  }

  /** Closes the open segment at smoothed index `valleyAt`; `cut`: what follows holds no pulse of its own. */
  private close(valleyAt: number, edge: number, valley: number, cut: boolean): void {
    // The boxcar lags by (width − 1)/2 samples: the valley of the raw signal is that much earlier.
    let at = valleyAt - ((this.width - 1) >> 1);
    if (at <= this.segmentStart) at = this.segmentStart + 1;
    this.boundaryAt = at;
    this.boundaryEdge = edge;
    this.boundaryValley = valley * this.invWidth;
    this.boundaryPeak = (this.peakSum > -Infinity ? this.peakSum : valley) * this.invWidth;
    this.boundaryEmpty = this.openEmpty;
    this.openEmpty = cut;
  }

  /** After the caller measured the segment, the boundary becomes the start of the next one. */
  advance(): void {
    this.segmentStart = this.boundaryAt;
    this.segmentEdge = this.boundaryEdge;
    this.segmentValley = this.boundaryValley;
  }

  /**
   * Summarises the segment that the last `step` closed — from the previous boundary to this one —
   * into `out`, reading raw samples from the conditioner's history.
   */
  measure(history: Conditioner, out: Pulse): Pulse {
    const start = Math.max(this.segmentStart, history.oldest);
    const end = Math.min(this.boundaryAt, history.count);
    out.start = start;
    out.end = end;
    out.edge = this.segmentEdge;
    out.period = this.boundaryEdge - this.segmentEdge;
    out.floor = this.segmentValley;
    out.peak = this.boundaryPeak;
    out.empty = this.boundaryEmpty;
    measureRange(history, start, end, 0.5 * (this.segmentValley + this.boundaryPeak), out);
    return out;
  }

  reset(): void {
    this.rising = false;
    this.peakSum = -Infinity;
    this.valleySum = Infinity;
    this.hi = -Infinity;
    this.lo = Infinity;
    this.unlock();
    this.openEmpty = true;
  }
}

/**
 * Raw samples [start, end) → sum, count, and the mean and rms spread of the samples at or above
 * `mid`: the bright part of the pulse. Taking only those makes the value immune to how long the
 * pulse is and, under PWM dimming, to how many of its samples caught the light on.
 */
export function measureRange(history: Conditioner, start: number, end: number, mid: number, out: Pulse): void {
  const values = history.values;
  const mask = HISTORY - 1;
  let sum = 0;
  let topSum = 0;
  let topSq = 0;
  let topCount = 0;
  let max = -Infinity;
  for (let i = start; i < end; i++) {
    const x = values[i & mask]!;
    sum += x;
    if (x > max) max = x;
    if (x >= mid) {
      topSum += x;
      topSq += x * x;
      topCount++;
    }
  }
  out.sum = sum;
  out.count = end - start;
  if (topCount > 0) {
    const mean = topSum / topCount;
    out.top = mean;
    const v = topSq / topCount - mean * mean;
    out.topSpread = v > 0 ? Math.sqrt(v) : 0;
  } else {
    out.top = end > start ? max : mid;
    out.topSpread = 0;
  }
}
