/**
 * Stage 1 — conditioning. Every sample that enters the decoder passes here first:
 *
 * - values that are not light (NaN, ±Infinity, magnitudes beyond ±1e15 from a broken reader)
 *   are counted and skipped, so nothing downstream ever sees a non-finite number;
 * - samples are processed straight from the caller's arrays in tight loops, in pieces that end on
 *   a fixed grid of `BLOCK` samples counted from the start of the stream — so how the caller
 *   cuts the stream into chunks can never change a result, and no sample costs a function call;
 * - the sample and its time go into a fixed-size history ring, from which later stages measure
 *   whole pulses (the decoder's memory is this ring, whatever the stream length);
 * - a boxcar of about 4 ms smooths the signal for pulse segmentation: it spans one period of
 *   240 Hz PWM (two of 480 Hz), so dimming ripple largely cancels, yet it is short enough that a
 *   120 fps frame keeps its full contrast;
 * - the input range is watched for the report: full scale (given or inferred) and saturation;
 * - a glitch — one sample far outside the signal's recent range, a serial link's or an ADC's
 *   error rather than light — is replaced by the mean of its neighbours (see glitches.ts);
 * - camera frames keep their place on the frame grid when the camera dropped some (see
 *   `storeFrames`): a missing frame is restored by interpolation and marked as no observation.
 */

import { GlitchGuard } from './glitches.js';
import type { Pulse } from './pulses.js';
import { IN_AT, IN_CAPACITY, type Kernels, kernels, OUT_AT, SCRATCH_AT } from './kernels.js';

/** Largest magnitude accepted as a sample. */
export const MAX_ABS_SAMPLE = 1e15;

/** Ring size, samples (a power of two): the history kept, less a BLOCK (see `oldest`). Bounds the longest pulse the decoder can measure. */
export const HISTORY = 1 << 13;
const MASK = HISTORY - 1;
/** Where `smooth` starts in the conditioner's buffer (a local constant: the compiler folds it, not an export). */
const SMOOTH_AT = HISTORY;
/** Samples processed together. Blocks are aligned to the stream, never to the caller's chunks. */
export const BLOCK = 256;
/**
 * HISTORY, BLOCK, MAX_ABS_SAMPLE and the kernel's memory layout as module-local constants, for
 * this module's own code: the compiler folds those, where each use of an exported or imported
 * binding loads it.
 */
const RING = HISTORY;
const ABS_LIMIT = MAX_ABS_SAMPLE;
const PIECE = BLOCK;
const IN = IN_AT;
const OUT = OUT_AT;
const STATS = SCRATCH_AT;
const IN_MAX = IN_CAPACITY;

/** The smoothing window, seconds: one period of the slowest common PWM dimming (240 Hz). */
export const SMOOTHING_S = 1 / 240;
/** Longest smoothing window, samples (at very high sample rates the window is capped). */
const MAX_SMOOTHING = 64;

/** Samples within this fraction of full scale of the top count as saturated. */
const SATURATION_MARGIN = 0.06;
/** Samples per saturation window (a multiple of BLOCK). */
const SATURATION_WINDOW = 4 * PIECE;

/**
 * PWM is declared above this ripple score and dropped below the second (see `notePwm`). Without
 * PWM the score stays low, as flicker and noise jump in the gaps as much as in the pulses — up to
 * about 0.05 where an LCD's unequal rise and fall dominate (120 fps). PWM that beats slowly with
 * the sampler (a kHz rate near a multiple of the sample rate, or near half of one) scores only
 * 0.05–0.15: its samples creep across the bursts, so most jumps are small — and that is the PWM
 * that most needs the envelope, because its beat darkens whole stretches of a frame.
 */
const PWM_ON = 0.08;
const PWM_OFF = 0.04;
const PWM_SCORE_RATE = 0.25;
/** Widest PWM envelope window, samples. */
const MAX_ENVELOPE = 64;
/** A piece whose range is less than this share of the recent span is steady light: no PWM test. */
const PWM_MIN_SPAN = 0.1;
/** How far the recent span's extremes relax toward each piece's (about 2 s at 1 kHz: a bright flash before must not make a dim one after it look steady). */
const SPAN_DECAY = 1 / 8;
/**
 * PWM envelope window while the frame clock is unknown, in boxcar widths. Sampled at 1 kHz, PWM
 * at 240–480 Hz beats with the sampler: at 358 Hz, say, the samples fall on three phases that
 * creep across the on-time, and with 20–30 % on-time none of them lands in a burst for several
 * milliseconds — a dark node inside a bright frame that would pass for the gap between two
 * frames. One and a half widths (6 ms at 1 kHz) bridge most nodes and stay shorter than a
 * 120 fps frame.
 */
const HUNT_ENVELOPE = 1.5;
/** Bright and dark samples a piece needs before its ripple counts. */
const MIN_CLASS = 16;

/** A timestamp this many sample intervals before the last one means the timestamps restarted (see `continueTime`). */
export const RESTART_INTERVALS = 5;
/**
 * Timestamps this many sample intervals apart (or more), and at least HOLE_MIN_S, leave a hole:
 * samples the logger lost (see `noteStep`). Samples that came with the one before them (within
 * a quarter interval: a coarse clock's shared tick — milliseconds at 4 kHz, Windows' 15.6 ms — or
 * a host that stamps a USB packet's lines as they arrive) account for their part of the jump.
 */
export const HOLE_INTERVALS = 4;
const HOLE_MIN_S = 0.002;
/** Samples over which the sampling interval is measured for the hole test. */
const HOLE_WINDOW = 256;
/** A step shorter than this fraction of the sampling interval: the sample came with the one before. */
const TIED = 0.25;
/** Holes remembered (the most recent ones): far more than a pulse's span can hold. */
const HOLES = 16;
/** Longest run of missing camera frames restored on the grid; a longer gap is a pause, not a drop. */
const MAX_MISSING_FRAMES = 4;
/** Marks of a camera frame in `restored`: observed (0), missing and interpolated, or a copy in a still picture. */
const RESTORED = 1;
const COPIED = 2;
/** A camera frame this far (in frame periods) from the grid of the one before puts its clock off the grid. */
const GRID_TOLERANCE = 0.25;

/** ADC resolutions common enough to guess a full scale from. */
const COMMON_ADC_BITS = [8, 10, 12, 14, 16, 20, 24] as const;

/** Sample rate → boxcar length in samples (≥ 1). */
export function smoothingLength(sampleRate: number): number {
  const n = Math.round(sampleRate * SMOOTHING_S);
  return n < 1 ? 1 : n > MAX_SMOOTHING ? MAX_SMOOTHING : n;
}

/**
 * Full scale of an input whose largest value so far is `max`: the smallest common ADC range
 * (2^bits − 1 for 8, 10, 12, 14, 16, 20 or 24 bits) that holds it, beyond 24 bits the smallest
 * 2^n − 1 that does (scaled values: never `max` itself, which would make the largest sample read
 * as saturated), or 1 for values that look like fractions. A guess — callers who know their ADC
 * should say so.
 */
export function inferFullScale(max: number): number {
  if (!(max > 1)) return 1;
  for (const bits of COMMON_ADC_BITS) {
    const fs = 2 ** bits - 1;
    if (max <= fs) return fs;
  }
  return 2 ** Math.ceil(Math.log2(max + 1)) - 1;
}

/** Where samples went missing: holes in the timestamps (see `Conditioner.holes`). */
export interface HoleRecord {
  /** Holes so far. */
  readonly holes: number;
  /** Seconds missing between two times; `HOLE_SPAN` then holds the earliest and latest of them. */
  missingBetween(fromS: number, toS: number): number;
}

/** Where the readings clip (see `Conditioner.clipLevel`). */
export interface ClipRecord {
  /** Readings at or above this are clipped by the ADC (Infinity while full scale is unknown). */
  readonly clipLevel: number;
}

export class Conditioner implements HoleRecord, ClipRecord {
  /**
   * `values` then `smooth` in one buffer: the hot loop writes both, and each array it touches
   * costs it checks on every sample.
   */
  private readonly rings = new Float64Array(2 * RING);
  /** Raw samples, ring-indexed by `index & (HISTORY − 1)`. */
  readonly values = this.rings.subarray(0, RING);
  /** The boxcar-smoothed signal, same indexing: `smooth[i]` is the mean of samples i − width + 1 … i. */
  readonly smooth = this.rings.subarray(SMOOTH_AT);
  /** Time of each sample, seconds, same indexing. */
  readonly times = new Float64Array(RING);
  /** The WebAssembly kernels (see kernels.ts), or null: the JavaScript loops. */
  private readonly kernel = kernels();
  /** The kernel's smoothed output of a whole piece: a view made once (making one a piece costs about as much as copying it). */
  private readonly kernelOut = this.kernel === null ? null : this.kernel.f64.subarray(OUT, OUT + PIECE);
  /** The kernel's inputs of whole pieces, by the piece's place in the ring (see `kernelInput`). */
  private readonly kernelInputs: Float64Array[] = [];
  /** Samples kept so far; the next one gets this index. Written only by `setCount`. */
  count = 0;
  /**
   * Oldest index still in the history. The last BLOCK slots of the ring (those next to be
   * written) do not count: the flicker stage writes the next piece there before it is conditioned,
   * and a piece rejected by `smoothBox` was copied there. A field kept with
   * `count` rather than a getter: later stages read it on every pulse, and a field load never
   * costs a call.
   */
  oldest = 0;
  /** Samples offered so far, skipped ones included (the grid that pieces are aligned to). */
  offered = 0;
  /** Samples skipped as non-finite or absurd. */
  skipped = 0;
  /** Boxcar length, samples. */
  readonly width: number;
  private sum = 0;
  /** Sampling interval, s, and the time of offered sample 0 (for samples without timestamps). */
  private readonly dt: number;
  private origin = 0;
  private lastTime = -Infinity;
  /**
   * Added to every timestamp since the timestamps last restarted (see `continueTime`), s; and how
   * many times they did.
   */
  private timeShift = 0;
  timestampRestarts = 0;
  /**
   * Holes in the timestamps — stretches where a logger lost samples, or wrote no number for
   * them — as [start, end) in seconds (the samples either side), the last HOLES of them, ring-
   * indexed by `holes`, which counts them all. The framer asks which bits fell into one.
   */
  holes = 0;
  /** Samples stamped together with the one before since the timestamps last moved on (see `noteStep`). */
  private tiedSamples = 0;
  /** The hole the last step opened, which samples stamped together after it shrink (−1: none). */
  private closingHole = -1;
  private readonly holeStarts = new Float64Array(HOLES);
  private readonly holeEnds = new Float64Array(HOLES);

  /** Largest value seen (for full-scale inference). */
  max = -Infinity;
  /** Extremes of the smoothed light over recent pieces (they relax by SPAN_DECAY a piece): the span the PWM test judges a piece's range against. */
  private spanLow = Infinity;
  private spanHigh = -Infinity;
  private readonly givenFullScale: number;
  private ceiling = Infinity;
  private saturatedInWindow = 0;
  /** Saturated samples overall. */
  saturated = 0;
  /** Fraction of the last complete saturation window that was saturated. */
  recentSaturation = 0;
  /** Extremes of the smoothed signal over the last piece processed. */
  lastPieceMin = Infinity;
  lastPieceMax = -Infinity;
  /** What the smoothing loops gather over the piece being processed. */
  private readonly piece = new PieceStats();
  /** The valid samples of a piece that took the general path, in order, with the camera frames restored (see `process`). */
  private readonly kept = new Float64Array(PIECE * (1 + MAX_MISSING_FRAMES));
  /** A piece written to the ring by the stage before that must take the general path, copied out of the ring (see `processStored`). */
  private readonly incoming = new Float64Array(PIECE);
  /** PWM dimming detected (see `notePwm`), its running score, and the last envelope value. */
  pwm = false;
  /** Window of the PWM envelope, samples (see `smoothPwm`). */
  private envelopeWidth: number;
  private pwmScore = 0;
  /** Samples smoothed as PWM bursts (by their envelope), for the report. */
  pwmSamples = 0;
  private lastEnvelope = 0;
  /** No sample has been skipped or timestamped yet: sample i was taken at i / sampleRate. */
  private implicitTimes = true;
  /** The samples are camera frames, one per `sampleRate` period unless the camera dropped some (see `storeFrames`). */
  private readonly frames: boolean;
  /** Per ring slot: RESTORED where a camera frame was missing and its value is only interpolated, COPIED where it was kept as a copy (see `copied`). */
  private readonly restored = new Uint8Array(RING);
  /** The last camera frame received (a frame equal to it is a copy), and the copies of it held back since, with their times. */
  private lastFrame = Number.NaN;
  private copies = 0;
  private readonly copyTimes = new Float64Array(MAX_MISSING_FRAMES);
  /** Camera frames restored on the grid (dropped by the camera, or copies of the frame before). */
  missingFrames = 0;
  /** A camera frame arrived off the frame grid: the frames do not sit on a steady clock. */
  private offGrid = false;
  /** Replaces glitches (null for camera frames: there one sample may be a whole pulse). */
  private readonly guard: GlitchGuard | null;
  /** The piece being processed was guarded as readings, before the flicker stage (see `guardReadings`). */
  private guardedAhead = false;
  /** A piece of readings with its glitches replaced, and its times (see `guardReadings`). */
  private readonly guarded = new Float64Array(PIECE);
  private readonly guardedTimes = new Float64Array(PIECE);
  /** A piece of readings after its neighbours, ring-indexed (a power of two above BLOCK and a neighbourhood). */
  private readonly staging: Float64Array;
  /** The running sum and PWM envelope as the piece being processed found them (to smooth it again once its glitches are gone). */
  private sumBefore = 0;
  private envelopeBefore = 0;

  /**
   * `width`: boxcar length; `sampleRate`: nominal Hz (times of samples without timestamps; the
   * frame period of camera frames); `fullScale`: 0 to infer; `frames`: the samples are camera frames.
   */
  constructor(width: number, sampleRate: number, fullScale: number, frames = false) {
    this.width = width;
    this.frames = frames;
    this.envelopeWidth = width;
    this.dt = 1 / sampleRate;
    this.givenFullScale = fullScale;
    if (fullScale > 0) this.ceiling = fullScale * (1 - SATURATION_MARGIN);
    this.guard = !frames && width >= 2 ? new GlitchGuard(sampleRate, fullScale) : null;
    this.staging = new Float64Array(this.guard === null ? 1 : 2 ** Math.ceil(Math.log2(PIECE + this.guard.neighbourhood + 1)));
  }

  /** Nominal time between samples, s. */
  get sampleInterval(): number {
    return this.dt;
  }

  /**
   * Readings at or above this are clipped by the ADC (Infinity while full scale is unknown): such
   * a sample says only that the light was at least this bright.
   */
  get clipLevel(): number {
    return this.ceiling;
  }

  /** The full scale used for fractions: given, or inferred from the largest value seen. */
  get fullScale(): number {
    return this.givenFullScale > 0 ? this.givenFullScale : inferFullScale(this.max);
  }

  /**
   * What the later stages believe half a display frame lasts, in whole samples (NaN: unknown; an
   * integer crosses a call the compiler does not inline without a box). Under PWM the envelope
   * widens to it; unknown, it is `HUNT_ENVELOPE` boxcar widths.
   */
  setHalfFrame(halfFrame: number): void {
    const w = halfFrame > 0 ? halfFrame : Math.round(this.width * HUNT_ENVELOPE);
    this.envelopeWidth = w > this.width ? (w < MAX_ENVELOPE ? w : MAX_ENVELOPE) : this.width;
  }

  /** How many of the next offered samples fit before the grid point where the current piece must end. */
  get room(): number {
    return PIECE - (this.offered % PIECE);
  }

  /**
   * The ring slot (in `values`) where the next sample goes. The flicker stage writes its cleaned
   * piece straight to the slots from here on, wrapping at the ring's end (see `processStored`):
   * the usual path then smooths it in place, with no copy.
   */
  get nextSlot(): number {
    return this.count & MASK;
  }

  /**
   * Conditions `chunk[from, to)` (with `times[from, to)` in seconds, or the nominal clock when
   * `times` is null): skips what is not a number, stores the rest with their times, smooths.
   * `to − from` must not exceed `room`. Returns true when the piece completed a saturation
   * window (`recentSaturation` then holds its fraction). `raw`: when `chunk` was cleaned of mains
   * flicker (see flicker.ts), the same piece as the sensor read it, from index `rawFrom` — full
   * scale and saturation are properties of the readings, not of the cleaned signal.
   */
  process(chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, to: number, raw: ArrayLike<number> | null = null, rawFrom = 0): boolean {
    const first = this.count;
    this.piece.begin(this.lastPieceMin, this.lastPieceMax);
    this.sumBefore = this.sum;
    this.envelopeBefore = this.lastEnvelope;
    let i = from;
    // While every sample so far came on the nominal clock, times are implicit: the fast path,
    // straight from the caller's array, until a sample that is not a number. Camera frames
    // always take the general path (a frame may be missing; they come at most 240 a second).
    if (times === null && this.implicitTimes && !this.frames) {
      i = this.take(chunk, from, to);
      this.offered += i - from;
    }
    if (i < to) {
      if (this.implicitTimes) this.makeTimesExplicit();
      this.take(this.kept, 0, this.frames ? this.storeFrames(chunk, times, i, to) : this.storeTimed(chunk, times, i, to));
    }
    // A piece whose glitches were replaced is judged on what was kept of it, not on the readings.
    const glitched = this.guardPiece(first);
    this.endPiece(first);
    if (raw !== null && !glitched) this.noteReadings(largestReading(raw, rawFrom, rawFrom + to - from), raw, rawFrom, rawFrom + to - from);
    else this.noteRange(first);
    return this.closesWindow();
  }

  /**
   * Conditions the `n` samples the flicker stage wrote to the ring slots from `nextSlot` on (see
   * `process`; `times` is null or holds their times from index 0; `raw[rawFrom, rawFrom + n)` are
   * the readings they were cleaned from, the largest of them `readingsMax`). Samples on the
   * nominal clock, with no PWM, are smoothed where they lie; anything else — a sample that is not
   * a number, times to store, PWM — takes the general path from a copy, as `process` would.
   */
  processStored(n: number, times: ArrayLike<number> | null, readingsMax: number, raw: ArrayLike<number>, rawFrom: number): boolean {
    const first = this.count;
    if (times === null && this.implicitTimes && !this.frames && !this.pwm) {
      this.piece.begin(this.lastPieceMin, this.lastPieceMax);
      this.sumBefore = this.sum;
      this.envelopeBefore = this.lastEnvelope;
      if (this.smoothBox(n)) {
        this.offered += n;
        const glitched = this.guardPiece(first);
        this.endPiece(first);
        if (glitched) this.noteRange(first);
        else this.noteReadings(readingsMax, raw, rawFrom, rawFrom + n);
        return this.closesWindow();
      }
    }
    const incoming = this.incoming;
    for (let k = 0; k < n; k++) incoming[k] = this.values[(first + k) & MASK]!;
    return this.process(incoming, times, 0, n, raw, rawFrom);
  }

  /** True when the piece just processed completed a saturation window (`recentSaturation` then holds its fraction). */
  private closesWindow(): boolean {
    if (this.offered % SATURATION_WINDOW !== 0) return false;
    this.recentSaturation = this.saturatedInWindow / SATURATION_WINDOW;
    this.saturatedInWindow = 0;
    return true;
  }

  /**
   * Stores and smooths `source[from, to)` until the first sample that is not a number (whose
   * index it returns, or `to`).
   */
  private take(source: ArrayLike<number>, from: number, to: number): number {
    if (!this.pwm) {
      this.copyToRing(source, from, to);
      if (this.smoothBox(to - from)) return to;
      // Rare: a sample that is not a number. Smooth the samples before it again.
      const end = firstNotNumber(source, from, to);
      this.smoothBox(end - from);
      return end;
    }
    const first = this.count;
    const end = this.store(source, from, to);
    this.smoothPwm(first);
    this.pwmSamples += this.count - first;
    return end;
  }

  /**
   * Copies `source[from, to)` to the ring slots from `count` on, unchecked. A typed array is
   * copied by `set`, the engine's own conversion, far cheaper than a loop; and the smoothing loop
   * then reads one array only, the ring, rather than also the caller's (whose type varies, and
   * each array a loop touches costs it checks on every sample).
   */
  private copyToRing(source: ArrayLike<number>, from: number, to: number): void {
    const start = this.count & MASK;
    if (ArrayBuffer.isView(source) && !(source instanceof DataView)) {
      const view = source as unknown as Float64Array; // any typed array: `set` converts
      const head = Math.min(to, from + RING - start); // the part before the ring wraps
      this.rings.set(view.subarray(from, head), start);
      if (head < to) this.rings.set(view.subarray(head, to), 0);
    } else {
      const values = this.values;
      for (let i = from; i < to; i++) values[(start + i - from) & MASK] = +source[i]!;
    }
  }

  /** Stores samples until the first one that is not a number (whose index it returns, or `to`). */
  private store(source: ArrayLike<number>, from: number, to: number): number {
    const values = this.values;
    const limit = ABS_LIMIT;
    let count = this.count;
    let i = from;
    for (; i < to; i++) {
      const x = +source[i]!;
      if (!(x >= -limit && x <= limit)) break;
      values[count & MASK] = x;
      count++;
    }
    this.setCount(count);
    return i;
  }

  /**
   * The general path: explicit times (given, or the nominal clock), skipping what is not a
   * number. Stores the times of the valid samples and copies their values to `kept`; returns
   * how many there are.
   */
  private storeTimed(chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, to: number): number {
    const kept = this.kept;
    const stamps = this.times;
    const dt = this.dt;
    const limit = ABS_LIMIT;
    let offered = this.offered;
    let origin = this.origin;
    let n = 0;
    for (let i = from; i < to; i++) {
      const x = +chunk[i]!;
      const index = offered++;
      let t = times === null ? origin + index * dt : +times[i]!;
      if (!(x >= -limit && x <= limit) || !(t >= -limit && t <= limit)) continue;
      if (times !== null) {
        t = this.continueTime(t);
        origin = t - index * dt; // samples pushed later without times continue this clock
      }
      const lastTime = this.lastTime;
      if (t < lastTime) t = lastTime; // timestamps never run backwards downstream
      if (lastTime > -Infinity) this.noteStep(t, lastTime, this.count + n);
      this.lastTime = t;
      stamps[(this.count + n) & MASK] = t;
      kept[n++] = x;
    }
    this.skipped += to - from - n;
    this.offered = offered;
    this.origin = origin;
    return n;
  }

  /**
   * A timestamp `t` on the decoder's time line. Timestamps that jump back by more than
   * RESTART_INTERVALS sample intervals restarted — a logger reset, captures joined into one file —
   * rather than jittered: the samples from there on are placed one interval after the last one
   * before, and the restart is counted. (Left as they were, every later sample would have stood
   * at the time of the last one before, and every pulse after lasted no time at all.)
   */
  private continueTime(t: number): number {
    const shifted = t + this.timeShift;
    if (!(shifted < this.lastTime - RESTART_INTERVALS * this.dt)) return shifted;
    this.timeShift += this.lastTime + this.dt - shifted;
    this.timestampRestarts++;
    return this.lastTime + this.dt;
  }

  /**
   * The step from the last sample (time `lastTime`) to sample `index` at time `t`: a hole if it
   * is HOLE_INTERVALS sampling intervals and HOLE_MIN_S longer than the samples since the
   * timestamps last moved on account for. The interval is as the timestamps run over the last
   * HOLE_WINDOW samples (the nominal one before there are that many): a host that stamps each
   * USB packet's lines as they arrive gives bursts, and the rate guessed from the first of them
   * is far off.
   */
  private noteStep(t: number, lastTime: number, index: number): void {
    const ref = index - 1 - HOLE_WINDOW;
    const interval = ref >= this.oldest ? (lastTime - this.times[ref & MASK]!) / HOLE_WINDOW : this.dt;
    // Stamped together: far closer than any interval (a hole in the window stretches the measured
    // one, and the nominal one may be a guess from a burst; neither may make a sample's own step a tie).
    if (t - lastTime < TIED * (interval < this.dt ? interval : this.dt)) {
      this.tiedSamples++;
      // Samples stamped together right after a jump were late, not missing (a host stamps them
      // as they arrive after a hiccup): each takes its interval back from the hole.
      if (this.closingHole >= 0) {
        const k = this.closingHole % HOLES;
        this.holeEnds[k] = Math.max(this.holeStarts[k]!, this.holeEnds[k]! - interval);
      }
      return;
    }
    const unexplained = t - lastTime - this.tiedSamples * interval;
    this.tiedSamples = 0;
    this.closingHole = -1;
    if (unexplained >= HOLE_INTERVALS * interval && unexplained >= HOLE_MIN_S) {
      this.closingHole = this.holes;
      this.noteHole(lastTime, t);
    }
  }

  /** Samples are missing between times `fromS` and `toS` (see `holes`). */
  private noteHole(fromS: number, toS: number): void {
    const k = this.holes++ % HOLES;
    this.holeStarts[k] = fromS;
    this.holeEnds[k] = toS;
  }

  /**
   * How long samples were missing between times `fromS` and `toS`, seconds (0 if no hole of
   * those remembered overlaps them). `HOLE_SPAN` then holds the earliest and latest time missing.
   */
  missingBetween(fromS: number, toS: number): number {
    let missing = 0;
    let first = Infinity;
    let last = -Infinity;
    for (let k = Math.max(0, this.holes - HOLES); k < this.holes; k++) {
      const start = Math.max(fromS, this.holeStarts[k % HOLES]!);
      const end = Math.min(toS, this.holeEnds[k % HOLES]!);
      if (!(end > start)) continue;
      missing += end - start;
      if (start < first) first = start;
      if (end > last) last = end;
    }
    HOLE_SPAN[0] = first;
    HOLE_SPAN[1] = last;
    return missing;
  }

  /**
   * The general path for camera frames: like `storeTimed`, but a frame the camera dropped keeps
   * its place on the frame grid. A camera under load drops frames; the gap shows in the
   * timestamps, as a skipped sample (NaN) on the nominal clock, or, in a constant-rate stream
   * (ffmpeg's Y4M of a variable-frame-rate clip), as the previous frame repeated. A region's mean
   * over a new frame never equals the last one exactly (pixel noise sees to that), so an exact
   * repeat is taken for a copy and skipped — except at the ends of the range, where a clipped
   * patch does repeat, and in a run longer than `MAX_MISSING_FRAMES`: a still picture (a video
   * made from slower frames holds each one for several), whose copies are put back as they were.
   * When a frame comes k frame periods after the last, the k − 1 missing ones are restored
   * between them (see `restoreMissing`). Returns how many samples are in `kept`.
   */
  private storeFrames(chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, to: number): number {
    const limit = ABS_LIMIT;
    let n = 0;
    for (let i = from; i < to; i++) {
      const x = +chunk[i]!;
      const index = this.offered++;
      let t = times === null ? this.origin + index * this.dt : +times[i]!;
      if (!(x >= -limit && x <= limit) || !(t >= -limit && t <= limit)) {
        this.skipped++;
        continue;
      }
      if (times !== null) {
        t = this.continueTime(t);
        this.origin = t - index * this.dt;
      }
      if (t < this.lastTime) t = this.lastTime;
      if (x === this.lastFrame && x > 0 && x < this.ceiling) {
        if (++this.copies <= MAX_MISSING_FRAMES) {
          this.copyTimes[this.copies - 1] = t;
          continue;
        }
        // A still picture: the copies held back were real frames too — kept, but marked as copies
        // (a recording that froze shows the screen's light no more than a dropped frame does).
        if (this.copies === MAX_MISSING_FRAMES + 1) for (const held of this.copyTimes) n = this.keepCopy(held, x, n);
        n = this.keepCopy(t, x, n);
        continue;
      }
      this.copies = 0;
      n = this.keepFrame(t, x, this.restoreMissing(t, x, n));
    }
    return n;
  }

  /** Stores camera frame `x` at time `t` as observed; returns the new count in `kept`. */
  private keepFrame(t: number, x: number, n: number): number {
    this.lastTime = t;
    this.lastFrame = x;
    const slot = (this.count + n) & MASK;
    this.times[slot] = t;
    this.restored[slot] = 0;
    this.kept[n] = x;
    return n + 1;
  }

  /** Stores camera frame `x` at time `t`, an exact copy of the one before in a still picture (see `copied`). */
  private keepCopy(t: number, x: number, n: number): number {
    const slot = (this.count + n) & MASK;
    const kept = this.keepFrame(t, x, n);
    this.restored[slot] = COPIED;
    return kept;
  }

  /**
   * A camera frame `x` at time `t` after a gap: the frames missing since the last one are put
   * back on the grid, their values interpolated (so the pulse path keeps its sample grid, and a
   * gap neither splits nor merges pulses) and marked as no observation (see `missing`). A gap
   * longer than `MAX_MISSING_FRAMES` is a pause and left as it is. Returns the new count in `kept`.
   */
  private restoreMissing(t: number, x: number, n: number): number {
    const gap = (t - this.lastTime) / this.dt;
    if (!(gap < Infinity)) return n; // the first frame
    const periods = Math.round(gap);
    if (periods < 1 || Math.abs(gap - periods) > GRID_TOLERANCE) this.offGrid = true;
    if (periods < 2 || periods > MAX_MISSING_FRAMES + 1) return n;
    const t0 = this.lastTime;
    const x0 = this.lastFrame;
    for (let k = 1; k < periods; k++) {
      const slot = (this.count + n) & MASK;
      this.times[slot] = t0 + ((t - t0) * k) / periods;
      this.restored[slot] = RESTORED;
      this.kept[n++] = x0 + ((x - x0) * k) / periods;
    }
    this.missingFrames += periods - 1;
    return n;
  }

  /**
   * The usual path, in one pass over the `n` samples just copied to the ring (see `copyToRing`):
   * runs the boxcar over each, and gathers the piece's extremes and the ripple statistics that
   * tell PWM dimming apart (see `notePwm`). Checking every sample for being a number would cost
   * as much again, so the check is made once, afterwards: a NaN or ±Infinity leaves the running
   * sum non-finite for good, and an absurd magnitude shows in the extremes. Then nothing is kept
   * and false is returned: the slots written lie in the BLOCK ahead of `count`, which `oldest`
   * leaves out of the history. Once the boxcar is full the loop runs as a WebAssembly kernel where
   * one is available (see kernels.ts): the same values, bit for bit (test/decoder/kernels.test.ts).
   */
  private smoothBox(n: number): boolean {
    const kernel = this.kernel;
    return kernel !== null && this.count >= this.width && this.width + n <= IN_MAX ? this.smoothBoxInKernel(kernel, n) : this.smoothBoxLoop(n);
  }

  /** `smoothBox`'s loop in JavaScript: the fallback, and the start of a stream (the boxcar not yet full). */
  private smoothBoxLoop(n: number): boolean {
    const rings = this.rings;
    const width = this.width;
    const inv = 1 / width;
    const piece = this.piece;
    const mid = piece.mid;
    let { low, high, rawMin, rawMax, bright } = piece;
    // The ripple sums go in two parts, this call's even samples and its odd ones (swapped after
    // every sample), added to the piece's at the end: the kernel sums two samples at a time so.
    let brightRipple = 0;
    let brightRippleOther = 0;
    let darkRipple = 0;
    let darkRippleOther = 0;
    const first = this.count;
    // The loop counts samples into the piece, not the stream index: no overflow check on every
    // sample, and `count` is written once. From k = full on, the boxcar is full.
    const full = width - first;
    const length = n | 0; // a piece is short: said so, the compiler drops the overflow check on k++
    let sum = this.sum;
    let previous = rings[(first - 1) & MASK]!;
    for (let k = 0; k < length; k++) {
      const slot = (first + k) & MASK;
      const x = rings[slot]!;
      // Before the first `width` samples the slot leaving the boxcar was never written: 0.
      sum += x - rings[(slot - width) & MASK]!;
      const y = k >= full ? sum * inv : sum / (first + k + 1);
      rings[SMOOTH_AT + slot] = y;
      // Math.min/max/abs rather than ifs: each compiles to a few instructions, where an if makes
      // a branch whose two arms end in register moves. (They differ from the ifs only for NaN,
      // which rejects the piece either way, and in the sign of a zero extreme, which no use sees.)
      low = Math.min(low, y);
      high = Math.max(high, y);
      rawMin = Math.min(rawMin, x);
      rawMax = Math.max(rawMax, x);
      const d = x - previous;
      previous = x;
      const ripple = Math.abs(d);
      // Tallied without a branch: the light crosses `mid` at every edge of every pulse, where a
      // branch would be mispredicted. (`share` is 1 or 0, and adding ripple × 0 changes no sum.)
      const share = +(y > mid);
      bright += share;
      const brightSum = brightRipple + ripple * share;
      brightRipple = brightRippleOther;
      brightRippleOther = brightSum;
      const darkSum = darkRipple + ripple * (1 - share);
      darkRipple = darkRippleOther;
      darkRippleOther = darkSum;
    }
    return this.keepSmoothed(n, sum, low, high, rawMin, rawMax, piece.brightRipple + (brightRipple + brightRippleOther), bright, piece.darkRipple + (darkRipple + darkRippleOther));
  }

  /**
   * `smoothBox`'s loop as the WebAssembly kernel, on the memory every decoder shares: the piece and
   * the boxcar's `width` samples before it are copied in, the smoothed values copied back.
   */
  private smoothBoxInKernel(kernel: Kernels, n: number): boolean {
    const rings = this.rings;
    const width = this.width;
    const piece = this.piece;
    const mem = kernel.f64;
    const first = this.count;
    const start = (first - width) & MASK;
    const total = width + n;
    if (start + total <= RING) mem.set(n === PIECE && (first & (PIECE - 1)) === 0 ? this.kernelInput(first) : rings.subarray(start, start + total), IN);
    else {
      mem.set(rings.subarray(start, RING), IN);
      mem.set(rings.subarray(0, start + total - RING), IN + RING - start);
    }
    mem[STATS] = piece.low;
    mem[STATS + 1] = piece.high;
    mem[STATS + 2] = piece.rawMin;
    mem[STATS + 3] = piece.rawMax;
    mem[STATS + 4] = piece.brightRipple;
    mem[STATS + 5] = piece.bright;
    mem[STATS + 6] = piece.darkRipple;
    const sum = kernel.box(n, width, 1 / width, piece.mid, this.sum);
    const slot = first & MASK;
    if (slot + n <= RING) rings.set(n === PIECE ? this.kernelOut! : mem.subarray(OUT, OUT + n), SMOOTH_AT + slot);
    else {
      const head = RING - slot;
      rings.set(mem.subarray(OUT, OUT + head), SMOOTH_AT + slot);
      rings.set(mem.subarray(OUT + head, OUT + n), SMOOTH_AT);
    }
    return this.keepSmoothed(n, sum, mem[STATS]!, mem[STATS + 1]!, mem[STATS + 2]!, mem[STATS + 3]!, mem[STATS + 4]!, mem[STATS + 5]!, mem[STATS + 6]!);
  }

  /**
   * The kernel's input for the whole piece at ring slot `first & MASK` (a multiple of BLOCK, as
   * every piece's is while no sample is skipped): the piece and the boxcar before it, as a view of
   * the ring made once per slot.
   */
  private kernelInput(first: number): Float64Array {
    const k = (first & MASK) / PIECE;
    const start = (first - this.width) & MASK;
    return (this.kernelInputs[k] ??= this.rings.subarray(start, start + this.width + PIECE));
  }

  /** The end of `smoothBox`: keeps the `n` samples smoothed and the piece's statistics, or (a sample not a number, or absurd) nothing. */
  private keepSmoothed(n: number, sum: number, low: number, high: number, rawMin: number, rawMax: number, brightRipple: number, bright: number, darkRipple: number): boolean {
    if (!(sum - sum === 0 && rawMin >= -ABS_LIMIT && rawMax <= ABS_LIMIT)) return false;
    this.setCount(this.count + n);
    this.sum = sum;
    this.piece.keep(low, high, rawMin, rawMax, brightRipple, bright, darkRipple);
    return true;
  }

  /**
   * PWM dimming chops a bright frame into bursts the sampler catches or misses; averaging
   * leaves deep ripple. Instead each sample is first replaced by the largest of the last
   * `envelopeWidth` (at least one PWM period, so a burst's top is in every window; half a
   * frame once the frame clock is known, so the nodes where the sampler beats with the PWM are
   * bridged too), then lightly averaged. Smooths the stored samples [first, count).
   */
  private smoothPwm(first: number): void {
    const values = this.values;
    const smooth = this.smooth;
    const width = this.envelopeWidth;
    const piece = this.piece;
    const mid = piece.mid;
    let { low, high, rawMin, rawMax, bright } = piece;
    // The ripple sums go in two parts, this call's even samples and its odd ones (swapped after
    // every sample), added to the piece's at the end: the kernel sums two samples at a time so.
    let brightRipple = 0;
    let brightRippleOther = 0;
    let darkRipple = 0;
    let darkRippleOther = 0;
    let previous = this.lastEnvelope;
    for (let n = first; n < this.count; n++) {
      const x = values[n & MASK]!;
      let envelope = x;
      for (let k = n - width + 1 > 0 ? n - width + 1 : 0; k < n; k++) envelope = Math.max(envelope, values[k & MASK]!);
      const y = n > 0 ? 0.5 * (envelope + previous) : envelope;
      previous = envelope;
      smooth[n & MASK] = y;
      if (y < low) low = y;
      if (y > high) high = y;
      if (x < rawMin) rawMin = x;
      if (x > rawMax) rawMax = x;
      const d = x - values[(n - 1) & MASK]!;
      const ripple = d < 0 ? -d : d;
      if (y > mid) {
        brightRipple += ripple;
        bright++;
      } else {
        darkRipple += ripple;
      }
    }
    this.lastEnvelope = previous;
    piece.keep(low, high, rawMin, rawMax, brightRipple, bright, darkRipple);
  }

  /** Glitches replaced so far. */
  get glitches(): number {
    return this.guard === null ? 0 : this.guard.replaced;
  }

  /** Sample noise rms, as the later stages measure it (the glitch test needs it). */
  set noise(rms: number) {
    if (this.guard !== null) this.guard.noise = rms;
  }

  /**
   * The piece [first, count) is stored and smoothed: if it reaches beyond the recent range, its
   * glitches are replaced and it is smoothed again; then the range follows it. Returns true when
   * glitches were replaced. (The test is on the extremes the smoothing gathered anyway: a piece
   * inside the range costs nothing here.)
   */
  private guardPiece(first: number): boolean {
    const guard = this.guard;
    const ahead = this.guardedAhead;
    this.guardedAhead = false;
    if (guard === null || ahead || this.count === first) return false;
    const piece = this.piece;
    const count = this.count;
    let found = 0;
    if (guard.leaves(piece.rawMin, piece.rawMax, this.pwm)) {
      found = guard.remove(this.values, MASK, first, count, this.oldest, this.pwm);
    }
    if (found > 0) {
      // Smoothed again as the piece first was: the same state, the same order of operations.
      this.setCount(first);
      this.sum = this.sumBefore;
      this.lastEnvelope = this.envelopeBefore;
      piece.begin(this.lastPieceMin, this.lastPieceMax);
      if (this.pwm) {
        this.setCount(count);
        this.smoothPwm(first);
      } else this.smoothBox(count - first);
    }
    guard.followPiece(this.values, MASK, first, count, piece.rawMin, piece.rawMax);
    return found > 0;
  }

  /**
   * Guards readings `chunk[from, to)` (times in `times`, or null) before a stage that reads them
   * as light sample by sample (the flicker tracker: a glitch would pass for a huge sinusoid).
   * Returns the piece to use instead, from index 0 — the readings with their glitches replaced,
   * and their times — or null if they are fine as they are. The conditioner then leaves this
   * piece alone. Costs one pass over the readings for their extremes.
   */
  guardReadings(chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, to: number): { values: Float64Array; times: Float64Array | null } | null {
    const guard = this.guard;
    if (guard === null) return null;
    this.guardedAhead = true;
    readingExtremes(chunk, from, to);
    let min = EXTREMES[0]!;
    let max = EXTREMES[1]!;
    let found = 0;
    const n = to - from;
    const out = this.guarded;
    const left = guard.leaves(min, max, this.pwm);
    if (left) {
      // The readings go to a small ring after their neighbours from the history (cleaned of
      // flicker: close enough for a neighbour), indexed as the history is.
      const staging = this.staging;
      const mask = staging.length - 1;
      const first = this.count;
      const oldest = Math.max(this.oldest, first - guard.neighbourhood);
      for (let i = oldest; i < first; i++) staging[i & mask] = this.values[i & MASK]!;
      for (let k = 0; k < n; k++) staging[(first + k) & mask] = +chunk[from + k]!;
      found = guard.remove(staging, mask, first, first + n, oldest, this.pwm);
      if (found > 0) {
        for (let k = 0; k < n; k++) out[k] = staging[(first + k) & mask]!;
        readingExtremes(out, 0, n);
        min = EXTREMES[0]!;
        max = EXTREMES[1]!;
      }
    }
    // (Until glitches are judged the range follows the readings sample by sample: see `followPiece`.)
    if (found === 0 && (left || !guard.judging)) for (let k = 0; k < n; k++) out[k] = +chunk[from + k]!;
    guard.followPiece(out, PIECE - 1, 0, n, min, max);
    if (found === 0) return null;
    if (times !== null) for (let k = 0; k < n; k++) this.guardedTimes[k] = +times[from + k]!;
    return { values: out, times: times === null ? null : this.guardedTimes };
  }

  /** The piece [first, count) is stored and smoothed: its extremes, the PWM test, bookkeeping. */
  private endPiece(first: number): void {
    const piece = this.piece;
    const n = this.count - first;
    if (n > 0) {
      this.lastPieceMin = piece.low;
      this.lastPieceMax = piece.high;
      this.spanLow = piece.low < this.spanLow ? piece.low : this.spanLow + (piece.low - this.spanLow) * SPAN_DECAY;
      this.spanHigh = piece.high > this.spanHigh ? piece.high : this.spanHigh - (this.spanHigh - piece.high) * SPAN_DECAY;
    }
    this.notePwm(piece.brightRipple, piece.bright, piece.darkRipple, n - piece.bright, piece.rawMax - piece.rawMin);
    this.afterPiece(first);
  }

  /**
   * Mains flicker and noise move the light whether the screen is bright or dark; PWM ripple
   * exists only while it is bright. So the mean sample-to-sample jump in bright parts minus that
   * in dark parts, against the piece's range, says whether the screen is PWM-dimmed. It is
   * averaged over pieces, with hysteresis, and switches the smoothing.
   */
  private notePwm(brightRipple: number, bright: number, darkRipple: number, dark: number, range: number): void {
    // Below ~360 Hz (a camera, whose exposure integrates the PWM) every sample jumps: no test.
    if (this.width < 2 || bright < MIN_CLASS || dark < MIN_CLASS || !(range > 0)) return;
    // A piece of steady light (a held level, the quiet between flashes) shows no PWM: it counts
    // as none, so the score falls after a dimmed screen has gone. (Its few codes of noise, split
    // into "bright" and "dark" unevenly, would pass for ripple.)
    const steady = range < PWM_MIN_SPAN * (this.spanHigh - this.spanLow);
    const score = steady ? 0 : (brightRipple / bright - darkRipple / dark) / range;
    this.pwmScore += PWM_SCORE_RATE * (score - this.pwmScore);
    if (!this.pwm && this.pwmScore > PWM_ON) {
      this.pwm = true;
      this.lastEnvelope = this.count > 0 ? this.values[(this.count - 1) & MASK]! : 0;
    } else if (this.pwm && this.pwmScore < PWM_OFF) {
      this.pwm = false;
      // The boxcar's running sum was not kept meanwhile.
      let sum = 0;
      for (let i = Math.max(0, this.count - this.width); i < this.count; i++) sum += this.values[i & MASK]!;
      this.sum = sum;
    }
  }

  /** From now on every sample's time is stored; the history so far gets its nominal times. */
  private makeTimesExplicit(): void {
    this.implicitTimes = false;
    for (let i = this.oldest; i < this.count; i++) this.times[i & MASK] = this.origin + i * this.dt;
    this.lastTime = this.count > 0 ? this.times[(this.count - 1) & MASK]! : -Infinity;
  }

  /** Per-piece bookkeeping: range and saturation of the stored samples [first, count). */
  private noteRange(first: number): void {
    if (this.count === first) return;
    const max = this.piece.rawMax;
    this.noteMax(max);
    // Counting saturated samples needs a pass only when the piece reached the ceiling.
    if (max >= this.ceiling) {
      let saturated = 0;
      for (let i = first; i < this.count; i++) if (this.values[i & MASK]! >= this.ceiling) saturated++;
      this.countSaturated(saturated);
    }
  }

  /** The same bookkeeping over the readings `raw[from, to)` of a cleaned piece, the largest of them `max` (see `largestReading`). */
  private noteReadings(max: number, raw: ArrayLike<number>, from: number, to: number): void {
    if (max === -Infinity) return;
    this.noteMax(max);
    if (max >= this.ceiling) {
      let saturated = 0;
      for (let i = from; i < to; i++) if (+raw[i]! >= this.ceiling && +raw[i]! <= ABS_LIMIT) saturated++;
      this.countSaturated(saturated);
    }
  }

  private noteMax(max: number): void {
    if (max > this.max) {
      if (!(this.givenFullScale > 0)) this.rescale(max);
      this.max = max;
    }
  }

  private countSaturated(saturated: number): void {
    this.saturated += saturated;
    this.saturatedInWindow += saturated;
  }

  /** Per-piece bookkeeping: exact re-summing. */
  private afterPiece(first: number): void {
    if (this.count === first) return;
    // Rounding in the running sum never builds up: recompute it at every grid point.
    if (this.offered % PIECE === 0 && this.count >= this.width) {
      let sum = 0;
      for (let i = this.count - this.width; i < this.count; i++) sum += this.values[i & MASK]!;
      this.sum = sum;
    }
  }

  /**
   * A new largest value when full scale is inferred. Samples near the top of a guessed range
   * (ambient light at 250 passes for an 8-bit ADC's top) were not saturated once a larger value
   * shows the range is wider: that evidence is dropped rather than reported.
   */
  private rescale(max: number): void {
    const fullScale = inferFullScale(max);
    if (fullScale !== inferFullScale(this.max)) {
      this.saturated = 0;
      this.saturatedInWindow = 0;
      this.recentSaturation = 0;
    }
    this.ceiling = fullScale * (1 - SATURATION_MARGIN);
  }

  /** Sample `index` (must be within the last HISTORY samples). */
  value(index: number): number {
    return this.values[index & MASK]!;
  }

  /** Smoothed signal at `index` (the boxcar ending there). */
  smoothed(index: number): number {
    return this.smooth[index & MASK]!;
  }

  /** Whether sample `index` is a camera frame that was missing, its value only interpolated (no observation). */
  missing(index: number): boolean {
    return this.frames && this.restored[index & MASK] === RESTORED;
  }

  /**
   * Whether sample `index` is a camera frame kept as an exact copy of the one before, in a run too
   * long to be dropped frames (a still picture, or a recording that froze): it is a reading, but
   * no fresh look at the screen.
   */
  copied(index: number): boolean {
    return this.frames && this.restored[index & MASK] === COPIED;
  }

  /** Camera frames that sit on their frame grid (missing ones restored): as steady a clock as the nominal one. */
  get onFrameGrid(): boolean {
    return this.frames && !this.offGrid;
  }

  /** Time of sample `index`, seconds (must be within the last HISTORY samples). */
  time(index: number): number {
    // (`=== true`: a boolean field's plain test compiles to a test for every kind of value; the
    // timing code calls this several times a pulse.)
    return this.implicitTimes === true ? index * this.dt : this.times[index & MASK]!;
  }

  /** Time at a fractional sample position, interpolated between its neighbours. */
  timeAt(position: number): number {
    const i = Math.floor(position);
    const oldest = this.oldest;
    // `+` on the rare ends: the compiler does not inline those calls, and without it would not
    // know they return a number — it would then box every result, the common one's too.
    if (i < oldest) return +this.time(oldest);
    if (i >= this.count - 1) return +this.time(this.count - 1);
    const f = position - i;
    const a = this.time(i);
    return a + f * (this.time(i + 1) - a);
  }
  /**
   * Sets a pulse's times, seconds: `startS` and `endS` (its first and last samples), `edgeS` (its
   * rising edge; its start where the edge is unknown) and `periodS` (from that edge to the next
   * one's; Infinity if none followed). One call that stores four numbers rather than four calls
   * that return them: a number returned from, or handed to, a call the compiler does not inline
   * is boxed, a heap number on every pulse (and which calls it inlines varies from run to run).
   */
  timePulse(p: Pulse): void {
    const startS = (p.startS = this.time(p.start));
    p.endS = this.time(p.end - 1);
    const edgeS = (p.edgeS = p.edge > -Infinity && p.edge < Infinity ? this.timeAt(p.edge) : startS);
    p.periodS = p.period < Infinity ? this.timeAt(p.edge + p.period) - edgeS : Infinity;
  }


  /** Sets `count`, and with it `oldest`. */
  private setCount(count: number): void {
    this.count = count;
    this.oldest = count > RING - PIECE ? count - (RING - PIECE) : 0;
  }
}

/** Earliest and latest time missing of the last `missingBetween` (Infinity, −Infinity if none). */
export const HOLE_SPAN = new Float64Array(2);

/** [min, max] of the last `readingExtremes` (two numbers out of a call without an object for them). */
const EXTREMES = new Float64Array(2);

/** The extremes of the readings `values[from, to)` that are numbers to keep, into EXTREMES (Infinity, −Infinity if none). */
function readingExtremes(values: ArrayLike<number>, from: number, to: number): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = from; i < to; i++) {
    const x = +values[i]!;
    if (!(x >= -ABS_LIMIT && x <= ABS_LIMIT)) continue;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  EXTREMES[0] = min;
  EXTREMES[1] = max;
}

/** The largest of the readings `raw[from, to)`, NaN and values above MAX_ABS_SAMPLE left out (−Infinity if none). */
function largestReading(raw: ArrayLike<number>, from: number, to: number): number {
  let max = -Infinity;
  for (let i = from; i < to; i++) {
    const x = +raw[i]!;
    if (x > max && x <= ABS_LIMIT) max = x;
  }
  return max;
}

/** Index of the first of `source[from, to)` that is not a number to keep (or `to`). */
function firstNotNumber(source: ArrayLike<number>, from: number, to: number): number {
  let i = from;
  while (i < to && +source[i]! >= -ABS_LIMIT && +source[i]! <= ABS_LIMIT) i++;
  return i;
}

/** What the smoothing loops gather over one piece: they load it into locals and keep it back. */
class PieceStats {
  /** Midpoint of the previous piece's smoothed extremes: samples above it count as bright. */
  mid = 0;
  /** Extremes of the smoothed signal and of the raw samples. */
  low = Infinity;
  high = -Infinity;
  rawMin = Infinity;
  rawMax = -Infinity;
  /** Sum of |sample-to-sample jump| over bright and over dark samples, and the bright count. */
  brightRipple = 0;
  bright = 0;
  darkRipple = 0;

  begin(lastMin: number, lastMax: number): void {
    this.mid = 0.5 * (lastMin + lastMax);
    this.low = this.rawMin = Infinity;
    this.high = this.rawMax = -Infinity;
    this.brightRipple = this.darkRipple = 0;
    this.bright = 0;
  }

  keep(low: number, high: number, rawMin: number, rawMax: number, brightRipple: number, bright: number, darkRipple: number): void {
    this.low = low;
    this.high = high;
    this.rawMin = rawMin;
    this.rawMax = rawMax;
    this.brightRipple = brightRipple;
    this.bright = bright;
    this.darkRipple = darkRipple;
  }
}
