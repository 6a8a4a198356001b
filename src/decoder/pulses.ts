/**
 * Stage 2 — pulse segmentation. Every bit is a dark frame then a bright one, so the signal is a
 * train of pulses; this stage cuts it at the valleys between them.
 *
 * A fixed threshold between black and grey fails as soon as the pixels are slow: after a white
 * pulse an LCD may fall only a third of the way to black before a dim grey pulse lifts it a
 * little again. So this is a zig-zag detector on the smoothed signal, with every threshold
 * relative to a slowly forgetting min/max envelope (`lo`, `hi`) of the signal:
 *
 * - a peak ends once the signal falls a small hysteresis (5 % of the envelope) below it;
 * - the minimum after it is a valley only if it lies in the lower half of that pulse's height
 *   above `lo` — the ripple of PWM dimming inside a bright pulse never gets that deep;
 * - the valley is confirmed once the signal rises the hysteresis above it *and* stands a fifth of
 *   the envelope above `lo` — flicker wobbling in a dark gap never gets that bright.
 *
 * A segment runs from one valley to the next: the second half of a gap, a pulse, the first half
 * of the next gap. `measure` summarises its raw samples into a `Pulse`.
 */
import { HISTORY, type Conditioner } from './condition.js';

/** Hysteresis, as a fraction of the envelope's peak-to-peak. */
const HYSTERESIS = 0.05;
/** A valley must lie below this fraction of its pulse's height above the envelope's bottom. */
const VALLEY_DEPTH = 0.5;
/** A pulse starts only once the signal stands this fraction of the envelope above its bottom. */
const RISE_LEVEL = 0.2;
/** The envelope forgets with this time constant, seconds: long enough to remember black through a run of white pulses. */
const ENVELOPE_S = 1;
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
  /**
   * The same statistic over the second half of the pulse's first frame only (set by the timing
   * stage once the frame clock is known). A slow LCD is closest to the frame's level just before
   * it changes, so this value carries least of the previous pulse's afterglow.
   */
  late = 0;
  /** Smoothed signal at the valley before the pulse and at the pulse's peak. */
  floor = 0;
  peak = 0;
  /** Sum and count of all raw samples in the segment (its light, for energy measures). */
  sum = 0;
  count = 0;
  /** The segment holds no pulse (it started with a cut: a timeout, a length limit, the stream start). */
  empty = false;
  /** Timing merged or split this pulse: its edge and period are estimates, not measurements. */
  repaired = false;

  copyFrom(o: Pulse): this {
    this.start = o.start;
    this.end = o.end;
    this.edge = o.edge;
    this.period = o.period;
    this.top = o.top;
    this.topSpread = o.topSpread;
    this.late = o.late;
    this.floor = o.floor;
    this.peak = o.peak;
    this.sum = o.sum;
    this.count = o.count;
    this.empty = o.empty;
    this.repaired = o.repaired;
    return this;
  }
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

  /** In sync: close a pulse if no other follows within `gapTimeout` samples of its peak. */
  lock(gapTimeout: number): void {
    this.gapTimeout = gapTimeout;
  }

  unlock(): void {
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
    const hi0 = this.hi;
    const lo0 = this.lo;
    const hi = (this.hi = s > hi0 ? s : hi0 - (hi0 - s) * this.decay);
    const lo = (this.lo = s < lo0 ? s : lo0 + (s - lo0) * this.decay);
    let h = (hi - lo) * HYSTERESIS;
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
      if (this.peakSum > -Infinity && this.valleySum > lo + VALLEY_DEPTH * (this.peakSum - lo)) {
        // A shallow dip: ripple inside the same pulse.
        this.rising = true;
        if (s > this.peakSum) {
          this.peakSum = s;
          this.peakAt = n;
        }
      } else if (s > lo + RISE_LEVEL * (hi - lo)) {
        // Rising edge: where the signal crossed valley + h, interpolated between samples.
        const level = this.valleySum + h;
        const frac = s > prev ? (level - prev) / (s - prev) : 1;
        this.close(this.valleyAt, n - 1 + (frac < 0 ? 0 : frac > 1 ? 1 : frac), this.valleySum, false);
        this.rising = true;
        this.peakSum = s;
        this.peakAt = n;
        return true;
      }
    }
    if (!this.rising && !this.openEmpty && n - this.peakAt > this.gapTimeout) {
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

/**
 * Re-measures `out` over its (changed) range [start, end), keeping its `floor`: the smoothed peak
 * inside, then the bright-part statistics against the midpoint of floor and peak. Used when
 * timing merges two segments into one pulse or splits one segment into two.
 */
export function remeasure(history: Conditioner, out: Pulse): Pulse {
  const width = history.width;
  const values = history.values;
  const mask = HISTORY - 1;
  const { start, end } = out;
  let max = -Infinity;
  if (end - start >= width) {
    let sum = 0;
    for (let i = start; i < start + width; i++) sum += values[i & mask]!;
    max = sum;
    for (let i = start + width; i < end; i++) {
      sum += values[i & mask]! - values[(i - width) & mask]!;
      if (sum > max) max = sum;
    }
    max /= width;
  } else {
    for (let i = start; i < end; i++) if (values[i & mask]! > max) max = values[i & mask]!;
  }
  out.peak = max;
  measureRange(history, start, end, 0.5 * (out.floor + max), out);
  return out;
}

/** Smoothed (boxcar) value of the signal centred on raw index `at`. */
export function smoothedAt(history: Conditioner, at: number): number {
  const width = history.width;
  const values = history.values;
  const mask = HISTORY - 1;
  const first = at - ((width - 1) >> 1);
  let sum = 0;
  for (let i = first; i < first + width; i++) sum += values[i & mask]!;
  return sum / width;
}

/** Mean of the raw samples in [start, end) that are at or above `mid` (the largest sample if none is). */
export function topMean(history: Conditioner, start: number, end: number, mid: number): number {
  const values = history.values;
  const mask = HISTORY - 1;
  let sum = 0;
  let count = 0;
  let max = -Infinity;
  for (let i = start; i < end; i++) {
    const x = values[i & mask]!;
    if (x > max) max = x;
    if (x >= mid) {
      sum += x;
      count++;
    }
  }
  return count > 0 ? sum / count : max;
}
