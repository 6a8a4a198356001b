/**
 * What the display can do, learnt from requestAnimationFrame timestamps.
 *
 * A screen changes what it shows only at a refresh, and rAF calls back once per refresh when the
 * page keeps up, so the callbacks' timestamps trace the display's refresh clock — except for the
 * odd late callback (a busy main thread, a garbage collection), which every estimate here is
 * built to shrug off.
 */

/** Median of the gaps between consecutive timestamps (ms). NaN with fewer than two timestamps. */
export function medianInterval(timestamps: ArrayLike<number>): number {
  const n = timestamps.length - 1;
  if (n < 1) return Number.NaN;
  const gaps = new Float64Array(n);
  for (let i = 0; i < n; i++) gaps[i] = timestamps[i + 1]! - timestamps[i]!;
  gaps.sort();
  return n % 2 === 1 ? gaps[(n - 1) >> 1]! : (gaps[n / 2 - 1]! + gaps[n / 2]!) / 2;
}

/**
 * The refresh period (ms) from a run of callback timestamps. The median gap is a rough value
 * that late callbacks cannot bend; with it each timestamp gets its refresh number (a late gap
 * counts as several refreshes), and a straight-line fit of time against refresh number gives
 * the period to a small fraction of the jitter of any one timestamp.
 */
export function measurePeriod(timestamps: ArrayLike<number>): number {
  const rough = medianInterval(timestamps);
  if (!(rough > 0) || !Number.isFinite(rough)) return Number.NaN;
  const n = timestamps.length;
  const t0 = timestamps[0]!;
  let k = 0;
  let sk = 0;
  let st = 0;
  let skk = 0;
  let skt = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) k += Math.max(1, Math.round((timestamps[i]! - timestamps[i - 1]!) / rough));
    const t = timestamps[i]! - t0;
    sk += k;
    st += t;
    skk += k * k;
    skt += k * t;
  }
  const slope = (n * skt - sk * st) / (n * skk - sk * sk);
  return slope > 0 ? slope : rough;
}

/**
 * The display's refresh grid, locked to callback timestamps.
 *
 * Each callback is placed on the grid by rounding: one refresh after the previous callback when
 * on time, two when a refresh went by without a callback (the callback came more than 1.5 periods
 * late), none when it falls in the same refresh. Measuring against the grid rather than against the
 * previous timestamp keeps jitter from being read as a late refresh followed by an early one.
 * The grid follows the timestamps with a critically damped second-order loop (phase and period),
 * so a period estimate that is slightly off, or a display clock that drifts, never adds up.
 */
export class RefreshGrid {
  private gridMs: number;
  private period: number;
  private readonly minPeriod: number;
  private readonly maxPeriod: number;

  /** `periodMs` as measured, `startMs` the timestamp of a refresh. */
  constructor(periodMs: number, startMs: number) {
    this.period = periodMs;
    this.gridMs = startMs;
    this.minPeriod = 0.8 * periodMs;
    this.maxPeriod = 1.25 * periodMs;
  }

  get periodMs(): number {
    return this.period;
  }

  /** Whole refreshes from the previous callback to this one, whose painting belongs at `atMs`. */
  advance(atMs: number): number {
    const n = Math.round((atMs - this.gridMs) / this.period);
    if (n <= 0) return 0;
    const error = atMs - (this.gridMs + n * this.period);
    this.gridMs += n * this.period + PHASE_GAIN * error;
    this.period = Math.min(this.maxPeriod, Math.max(this.minPeriod, this.period + (PERIOD_GAIN * error) / n));
    return n;
  }
}

/**
 * The refresh a callback's painting belongs to, as a time on the refresh grid.
 *
 * A callback's timestamp is the start of the frame it was called for. When the main thread was
 * busy, browsers still run that frame's callbacks afterwards with the old timestamp (Chromium
 * does, after a long task), and whatever they paint reaches the screen refreshes later than the
 * timestamp says. Counting from the stale timestamp would credit the missed refreshes to the
 * level painted *next* and cut that level short on screen. So a callback that runs a whole
 * refresh or more after its timestamp is placed on the last refresh boundary before it ran.
 */
export function paintTime(timestampMs: number, nowMs: number, periodMs: number): number {
  const lag = nowMs - timestampMs;
  return lag >= periodMs ? timestampMs + periodMs * Math.floor(lag / periodMs) : timestampMs;
}

/** Loop gains: the phase settles within about 20 refreshes; period gain = phase gain² / 4 (critical damping). */
const PHASE_GAIN = 0.1;
const PERIOD_GAIN = (PHASE_GAIN * PHASE_GAIN) / 4;

/** The rate a level sequence was made for, and, for a Schedule, the hold it was made with. */
export interface HoldTarget {
  /** Levels per second wanted. */
  readonly fps: number;
  /** Display rate the schedule assumed (Schedule input only). */
  readonly refreshHz?: number;
  /** Refreshes per level the schedule chose for `refreshHz` (Schedule input only). */
  readonly refreshesPerFrame?: number;
}

/** A measured rate within this fraction of the schedule's is the display the schedule was made for. */
const SAME_DISPLAY_TOLERANCE = 0.05;

/**
 * Refreshes each level is held on a display measured at `displayHz`. A schedule made for this
 * display keeps its own hold; otherwise the hold comes from the wanted rate (a 60 Hz schedule
 * on a 120 Hz phone still flashes at its fps, with twice the refreshes per level). At least one.
 */
export function refreshesPerLevel(displayHz: number, target: HoldTarget): number {
  const { refreshHz, refreshesPerFrame } = target;
  if (refreshHz !== undefined && refreshesPerFrame !== undefined && Math.abs(displayHz - refreshHz) <= SAME_DISPLAY_TOLERANCE * refreshHz) {
    return refreshesPerFrame;
  }
  return Math.max(1, Math.round(displayHz / target.fps));
}
