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
 * - the minimum after it is a valley only if it lies deep enough below that pulse's peak (see
 *   VALLEY_DEPTH) — the ripple of PWM dimming inside a bright pulse never gets that deep;
 * - the valley is confirmed once the signal rises the hysteresis above it *and* stands a fifth of
 *   the envelope above `lo` — flicker wobbling in a dark gap never gets that bright;
 * - in sync, at a camera's rates or under PWM dimming, both are judged against the learned floor
 *   and grey instead (see `lock`).
 *
 * The envelope moves once per piece of samples, so these thresholds are constants in the loop;
 * the loop visits every `stride`-th sample (the smoothing makes nothing narrower), and measures
 * the sample noise where the light is dark. A segment runs from one valley to the next: the
 * second half of a gap, a pulse, the first half of the next gap. `measure` summarises its raw
 * samples into a `Pulse`, and the timing stage (timing.ts) checks it against the pulse clock.
 */
import { HISTORY, type Conditioner } from './condition.js';

/** Hysteresis, as a fraction of the envelope's peak-to-peak. */
const HYSTERESIS = 0.05;
/** The highest crest of ripple in a dark gap, in hystereses above its floor, that `riseShift` times a rise past. */
const RISE_CREST_HEIGHT = 2;
/**
 * A valley must lie below this fraction of its pulse's height above the envelope's bottom, or it
 * is a dip inside the pulse. Under PWM dimming the sampler beats with the bursts and the smoothed
 * light sags to about half in the beat's nodes, so there a valley must go deeper. (Without PWM,
 * dips inside a pulse come from flicker, which the timing stage merges back anyway, so the rule
 * is lenient: a dim grey after a white on a slow LCD has a shallow valley behind it.)
 */
const VALLEY_DEPTH = 0.62;
const VALLEY_DEPTH_PWM = 0.35;
/** A pulse starts only once the signal stands this fraction of the envelope above its bottom. */
const RISE_LEVEL = 0.2;
/**
 * …or, locked under PWM dimming, this fraction of the way from the learned floor to grey (in
 * place of halfway, as at a camera's rates: see `lock`). The envelope is white's there, and a
 * grey frame whose samples the beat put on the bursts' flanks reaches only a third to half of
 * grey's height — not a fifth of the envelope's.
 */
const PWM_RISE_SHARE = 1 / 3;
/**
 * Locked under PWM dimming, a valley must also lie below this fraction of the way from the
 * learned floor to grey: an OLED goes dark between frames at once, while the node where the
 * sampler beats with the bursts of a (held) bright frame stays well above the floor.
 */
const PWM_VALLEY_SHARE = 0.5;
/** The envelope forgets with this time constant, seconds: long enough to remember black through a run of white pulses. */
const ENVELOPE_S = 1;
/**
 * The ring's index mask, and the longest segment (samples: a longer one is cut anyway, there is
 * no pulse in it). Module constants, which the compiler folds into the loops; it does not fold
 * exported or imported bindings.
 */
const MASK = HISTORY - 1;
const SEGMENT_LIMIT = HISTORY >> 1;
export const MAX_SEGMENT = SEGMENT_LIMIT;
/**
 * Samples at the ring's newest end that stay in it until the next segment closes (see
 * `Pulse.keepTop`): the ring less a longest segment, two pieces (BLOCK) and a stride, rounded down.
 */
export const KEEP_SPAN = HISTORY >> 2;
/** KEEP_SPAN for this module's hot code (the compiler folds a module-local constant, not an exported one). */
const KEEP = KEEP_SPAN;

/** One segment between two valleys, summarised. Reused: copy what you keep. */
export class Pulse {
  /** Raw sample range [start, end) of the segment. */
  start = 0;
  end = 0;
  /** Rising edge of this pulse, fractional sample index. */
  edge = 0;
  /** Samples from this pulse's rising edge to the next pulse's. */
  period = 0;
  /**
   * Samples from `edge` to where the light itself began to rise, for timing the flash (the
   * report): more than 0 where room light's ripple in the dark gap before it rose first and
   * `edge` went back to that (see `PulseSegmenter.riseShift`) — and the same for the next
   * pulse's edge, so that its period is `period + nextShift − shift`.
   */
  shift = 0;
  nextShift = 0;
  /**
   * The pulse's level as the framer decides on it, set by the timing stage once the frame clock
   * is known (see `measureLate` in timing.ts): read late in the pulse's first frame, where a slow
   * LCD carries least of the previous pulse's afterglow.
   */
  late = 0;
  /** Smoothed signal at the valley before the pulse and at the pulse's peak. */
  floor = 0;
  peak = 0;
  /** The segment holds no pulse (it started with a cut: a timeout, a length limit, the stream start). */
  empty = false;
  /** Timing merged or split this pulse: its edge and period are estimates, not measurements. */
  repaired = false;
  /** A camera frame inside the pulse was missing (restored by interpolation, see Conditioner.missing): its value is partly a guess. Set by the decoder. */
  gapped = false;
  /**
   * Start and end of the pulse and its period, seconds: set by the decoder as it frames the pulse.
   * They travel here, not as arguments: a number passed to a call that is not inlined is boxed
   * (a heap number each, every pulse).
   */
  startS = 0;
  endS = 0;
  periodS = 0;
  /**
   * When the pulse's light began to rise, seconds (its start if the edge is unknown): a segment
   * begins at the valley before the pulse, which may lie far back in a long gap — a stalled
   * flasher, a pause in the timestamps.
   */
  edgeS = 0;
  /**
   * `top` is read for few pulses (while hunting, and by a few of timing's tests), but reading
   * every sample of every segment for it was a quarter of the per-pulse work: so it is measured
   * on first read, from the ring (`topFrom`, samples [start, end) against `topMid`), and kept.
   * The timing stage makes sure the samples are still there (see `keepTop`).
   */
  private topValue = 0;
  private topDue = false;
  private topMid = 0;
  private topFrom: Conditioner | null = null;

  /** Mean of the raw samples in the bright part (at or above the midpoint of floor and peak). */
  get top(): number {
    if (this.topDue) {
      this.topDue = false;
      this.topValue = brightMean(this.topFrom!, this.start, this.end, this.topMid);
    }
    return this.topValue;
  }

  set top(value: number) {
    this.topValue = value;
    this.topDue = false;
  }

  /** `top` is to be measured (when first read) over [start, end) of `history`, against `mid`. */
  measureTopLater(history: Conditioner, mid: number): void {
    this.topFrom = history;
    this.topMid = mid;
    this.topDue = true;
  }

  /**
   * Measures `top` now if its samples might leave the ring before the next segment closes. A
   * segment is at most half the ring long (MAX_SEGMENT), and pieces are BLOCK samples: from one
   * segment's close to the next the ring moves on by less than HISTORY − KEEP_SPAN, so samples in
   * the last KEEP_SPAN are still there then.
   */
  keepTop(history: Conditioner): void {
    // (`=== true`: a boolean field's plain test compiles to a test for every kind of value.)
    if (this.topDue === true && this.start < history.count - KEEP) void this.top;
  }

  copyFrom(o: Pulse): this {
    this.start = o.start;
    this.end = o.end;
    this.edge = o.edge;
    this.period = o.period;
    this.shift = o.shift;
    this.nextShift = o.nextShift;
    this.topValue = o.topValue;
    this.topDue = o.topDue;
    this.topMid = o.topMid;
    this.topFrom = o.topFrom;
    this.late = o.late;
    this.floor = o.floor;
    this.peak = o.peak;
    this.empty = o.empty;
    this.repaired = o.repaired;
    this.gapped = o.gapped;
    return this;
  }
}

/** Receives each segment the segmenter closes. */
export interface SegmentSink {
  onSegment(): void;
}

/** |second difference| median of white noise N(0, σ²) is 0.6745·√6·σ. */
const D2_MEDIAN_TO_SIGMA = 1 / (0.6745 * Math.sqrt(6));
/** Relative step of the running median of |second difference|. */
const NOISE_STEP = 0.04;
/**
 * Measurements whose median seeds the running median. One alone may be an edge's curvature or a
 * noise peak several times the typical: with noisy light the running median then started far
 * too high, and at 4 % a step (measured only in dark gaps) took seconds to come down — long
 * enough for the framer to judge a whole preamble too weak for the noise.
 */
const NOISE_SEEDS = 9;
/** `noiseMedian` once NOISE_SEEDS seeds were kept: their median is due (see `process`). */
const SEEDS_KEPT = -1 - NOISE_SEEDS;
/** Seconds without a noise measure after which steady light seeds it (see `seedFromPiece`). */
const UNSEEDED_S = 2;
/**
 * Below this rate (a camera's frames) every sample lies on an edge or next to one, and steady
 * light is no guide to the noise: no seeding from it.
 */
const PIECE_SEED_MIN_RATE = 400;
/** Smoothed noise sigmas a piece of steady light spans at most (noise alone spans about five or six over 256 samples). */
const STEADY_SPAN_SIGMAS = 8;
/** Samples between the seeds taken from a piece: spread over it, as in the gaps (every fourth). */
const PIECE_SEED_STRIDE = 4;

export class PulseSegmenter {
  private readonly history: Conditioner;
  private readonly decay: number;
  /** The envelope's step for the last piece length (see `updateEnvelopeStep`). */
  private stepLength = 0;
  private step = 0;
  private readonly invSqrtWidth: number;
  /** Samples by which the smoothed minimum lags the raw one (half the boxcar: kept, not worked out each segment). */
  private readonly lag: number;
  /** Every how many samples the zig-zag looks at the smoothed signal. */
  private readonly stride: number;
  private rising = false;
  private peak = -Infinity;
  private peakAt = 0;
  private valley = Infinity;
  private valleyAt = 0;
  private last = 0;
  /** The next sample the zig-zag visits (across a hand-over inside `process`). */
  private next = 0;
  private hi = -Infinity;
  private lo = Infinity;
  /**
   * Running median of |second difference| of the raw samples in dark gaps. Negative until seeded:
   * −1 − the number of seeds kept in `noiseSeeds` (SEEDS_KEPT once all are).
   */
  private noiseMedian = -1;
  /** Samples processed with the noise still unmeasured, and how many may be before steady light seeds it (Infinity: never). */
  private unseeded = 0;
  private readonly seedFromLightAfter: number;
  private readonly noiseSeeds = new Float64Array(NOISE_SEEDS);
  private readonly pieceSeeds = new Float64Array(NOISE_SEEDS);
  /** While locked: samples after a peak with no new pulse before the pulse is closed anyway. */
  private gapTimeout = Infinity;
  /** While locked at a camera's few samples per frame: the learned valley and grey levels (else NaN). */
  private lockedFloor = Number.NaN;
  private lockedGrey = Number.NaN;
  /** The open segment started with a cut, not a valley: it holds no pulse of its own. */
  private openEmpty = true;
  /** The hysteresis of the piece being scanned (for `findRisingEdge`: a number passed to a call that is not inlined is boxed, once a pulse). */
  private hysteresis = 0;

  /** The boundary just closed: raw index, rising edge after it, valley level. */
  boundaryAt = 0;
  boundaryEdge = 0;
  /** How far after `boundaryEdge` the light itself began to rise (see `riseShift`). */
  boundaryShift = 0;
  /** Where the light began to rise past a ripple crest, found by `findRisingEdge` (−1: no crest). */
  private riseFromAt = -1;
  boundaryValley = 0;
  /** Peak (smoothed) between the previous boundary and this one. */
  boundaryPeak = 0;
  /** The segment just closed holds no pulse (it started or ended with a cut). */
  boundaryEmpty = true;
  /** Start of the open segment (the previous boundary), raw sample index, its edge and valley. */
  segmentStart = 0;
  segmentEdge = Number.NaN;
  segmentShift = 0;
  segmentValley = 0;

  /** `history`: where the samples and the smoothed signal are. */
  constructor(history: Conditioner, sampleRate: number) {
    this.history = history;
    this.stride = Math.max(1, history.width >> 1);
    this.invSqrtWidth = 1 / Math.sqrt(history.width);
    this.lag = (history.width - 1) >> 1;
    this.decay = 1 - Math.exp(-1 / Math.max(1, ENVELOPE_S * sampleRate));
    this.seedFromLightAfter = sampleRate >= PIECE_SEED_MIN_RATE ? UNSEEDED_S * sampleRate : Infinity;
  }

  /** The bottom of the envelope: the darkest the smoothed light has been lately (black). */
  get bottom(): number {
    return this.lo;
  }

  /** Sample noise rms measured in the dark gaps, input units (0 until measured). */
  get noise(): number {
    return this.noiseMedian > 0 ? this.noiseMedian * D2_MEDIAN_TO_SIGMA : 0;
  }

  /**
   * In sync: close a pulse if no other follows within `gapTimeout` samples of its peak (whole
   * samples: an integer crosses a call the compiler does not inline without a box); and, when
   * `floor` and `grey` (the valley and grey levels learned from the preamble) are given, judge a
   * valley's depth from that floor if it lies above the envelope's bottom, and accept a rise
   * that reaches halfway to grey — a camera's blur keeps the gaps well above black (only the
   * quiet before the flash shows black), and a dim grey may not rise a fifth of the envelope.
   * Under PWM dimming (`grey` then the smoothed grey peak) the rise need reach only a third of
   * the way (PWM_RISE_SHARE), and a valley must lie below halfway (PWM_VALLEY_SHARE).
   */
  lock(gapTimeout: number, floor: number, grey: number): void {
    this.gapTimeout = gapTimeout;
    this.lockedFloor = floor;
    this.lockedGrey = grey;
  }

  unlock(): void {
    this.gapTimeout = Infinity;
    this.lockedFloor = this.lockedGrey = Number.NaN;
  }

  /**
   * Runs the zig-zag over samples [from, to) of the history (already smoothed) and hands every
   * segment it closes to `sink` — at a confirmed valley, at a gap timeout, or cut for length.
   * The loop keeps its state in locals and writes it back only around the (rare) hand-overs.
   */
  process(from: number, to: number, sink: SegmentSink): void {
    if (to <= from) return;
    const history = this.history;
    const values = history.values;
    const smooth = history.smooth;
    // The envelope moves once per piece, towards the piece's own extremes: thresholds are then
    // constants in the loop below, which is what makes it fast.
    this.updateEnvelopeStep(to - from);
    const k = this.step;
    const top = history.lastPieceMax;
    const bottom = history.lastPieceMin;
    const hi = (this.hi = top > this.hi ? top : this.hi - (this.hi - top) * k);
    const lo = (this.lo = bottom < this.lo ? bottom : this.lo + (bottom - this.lo) * k);
    const span = hi - lo;
    // Ripple smaller than a few noise sigmas of the smoothed signal is never a pulse.
    const floorH = 4 * this.noise * this.invSqrtWidth;
    const h = span * HYSTERESIS > floorH ? span * HYSTERESIS : floorH;
    this.hysteresis = h;
    // Dark enough to measure noise in: the bottom tenth of the envelope (a dim grey's edges,
    // blurred over a camera's few samples, reach well into the bottom quarter).
    const darkBelow = lo + 0.1 * span;
    const depth = history.pwm ? VALLEY_DEPTH_PWM : VALLEY_DEPTH;
    const riseShare = history.pwm ? PWM_RISE_SHARE : 0.5;
    const pwmDip = history.pwm ? this.lockedFloor + PWM_VALLEY_SHARE * (this.lockedGrey - this.lockedFloor) : Number.NaN;
    const riseToGrey = this.lockedFloor + riseShare * (this.lockedGrey - this.lockedFloor);
    const riseAbove = riseToGrey < lo + RISE_LEVEL * span ? riseToGrey : lo + RISE_LEVEL * span;
    // The boxcar is `width` samples wide, so nothing it passes is narrower than half of that:
    // visiting every `stride`-th sample (on a grid fixed to the stream) misses no valley.
    const stride = this.stride;
    this.next = Math.ceil(from / stride) * stride;
    // One scan per segment closed. The zig-zag's state crosses a hand-over only in fields: no
    // local is then live across the sink's call, so the compiler need not keep the scan's
    // locals on the stack (it would store them there on every sample).
    for (;;) {
      let n = this.next;
      let rising = this.rising === true; // typed as a boolean for the compiler (a field's type it does not know)
      let peak = this.peak;
      let peakAt = this.peakAt;
      let valley = this.valley;
      let valleyAt = this.valleyAt;
      let median = this.noiseMedian;
      // Only the sink changes these (it locks and unlocks, and advances the open segment).
      const lockedGrey = this.lockedGrey;
      const base = this.lockedFloor > lo && !history.pwm ? this.lockedFloor : lo;
      const gapTimeout = this.gapTimeout;
      // The first sample at which the open segment must be closed without a valley: at the
      // length limit (`cut`), or while falling after a real pulse, `lateBy` samples after its
      // peak (the gap timeout).
      const cut = this.segmentStart + SEGMENT_LIMIT;
      const lateBy = this.openEmpty ? Infinity : gapTimeout + 1;
      let deadline = !rising && peakAt + lateBy < cut ? peakAt + lateBy : cut;
      let closed = 0; // 0: nothing, 1: valley, 2: timeout, 3: length cut
      for (; n < to; n += stride) {
        const s = smooth[n & MASK]!;
        // Noise, measured where the light is dark (PWM ripple and edges live in the bright parts) —
        // three dark samples in a row, so that at a camera's few samples per frame an edge is not
        // taken for noise — on every fourth sample: plenty for a running median. (The dark test
        // comes first: one compare settles every visit in the bright part.)
        if (s < darkBelow && (n & 3) < stride && n >= 2 && smooth[(n - 1) & MASK]! < darkBelow && smooth[(n - 2) & MASK]! < darkBelow) {
          const d2 = values[n & MASK]! - 2 * values[(n - 1) & MASK]! + values[(n - 2) & MASK]!;
          const a = d2 < 0 ? -d2 : d2;
          if (median < 0) {
            // A seed, kept until the piece ends (no call here: one in this loop costs every sample).
            if (median > SEEDS_KEPT) {
              this.noiseSeeds[-1 - median] = a;
              median--;
            }
          } else if (a > median) median = median > 0 ? median * (1 + NOISE_STEP) : a * NOISE_STEP;
          else if (a < median) median *= 1 - NOISE_STEP;
        }
        if (rising) {
          if (s >= peak) {
            peak = s;
            peakAt = n;
          } else if (s < peak - h) {
            rising = false;
            valley = s;
            valleyAt = n;
            // A level held long (a stalled flasher) peaks anywhere along it: a gap after it is
            // timed from where the light left it. (A quarter of the timeout is about a frame: a
            // pulse of one or two frames keeps its peak.)
            if (n - peakAt > 0.25 * lateBy) peakAt = n;
            deadline = peakAt + lateBy < cut ? peakAt + lateBy : cut;
          }
        } else if (s < valley) {
          valley = s;
          valleyAt = n;
        } else if (s > valley + h) {
          if (peak > -Infinity && (valley > base + depth * (peak - base) || valley > pwmDip)) {
            // A shallow dip: ripple inside the same pulse (or, under PWM, a beat node in it).
            rising = true;
            deadline = cut;
            if (s > peak) {
              peak = s;
              peakAt = n;
            }
          } else if (s > riseAbove || s > valley + riseShare * (lockedGrey - valley)) {
            // Halfway to grey from the learned floor, or from this valley: after a run of whites a
            // slow LCD's afterglow lifts the learned floor nearly to grey, and a grey after a true
            // dip must still count (a third of the way under PWM; NaN unless locked at a camera's
            // rates or under PWM: no effect elsewhere).
            closed = 1;
            break;
          }
        }
        if (n >= deadline) {
          if (!rising && n < cut && s > riseAbove) {
            // Still as bright as a pulse must rise (a grey after a white on a slow LCD falls
            // into it without a valley): a level held long (a stalled flasher), not a gap. The
            // gap, if one comes, is timed from here.
            peakAt = n;
            deadline = n + lateBy < cut ? n + lateBy : cut;
            continue;
          }
          closed = n - peakAt > gapTimeout && !rising ? 2 : 3;
          break;
        }
      }
      this.rising = rising;
      this.peak = peak;
      this.peakAt = peakAt;
      this.valley = valley;
      this.valleyAt = valleyAt;
      this.noiseMedian = median;
      if (closed === 0) break;
      this.handOver(closed, n, sink);
      this.next = n + stride;
    }
    if (this.noiseMedian === SEEDS_KEPT) this.noiseMedian = middleOf(this.noiseSeeds);
    else if (this.noiseMedian < 0 && (this.unseeded += to - from) >= this.seedFromLightAfter && !history.pwm) this.seedFromPiece(from, to);
    this.last = smooth[(to - 1) & MASK]!;
  }

  /**
   * Steady light holds no dark gap below the rest of it, so the noise, measured only in gaps,
   * may go unmeasured for minutes while a receiver waits — and a preamble's signal-to-noise test
   * then passes a code or two of ripple. Past UNSEEDED_S seconds with no measure, the noise is
   * seeded from every fourth sample of a piece (not under PWM, whose bursts are no noise, nor at a
   * camera's rates): a flash's few edges do not move a median of them.
   */
  private seedFromPiece(from: number, to: number): void {
    const history = this.history;
    const values = history.values;
    // (Its own scratch: `noiseSeeds` holds the gaps' seeds gathered so far.)
    const seeds = this.pieceSeeds;
    let kept = 0;
    for (let n = Math.max(from, 2); n < to && kept < NOISE_SEEDS; n += PIECE_SEED_STRIDE) {
      const d2 = values[n & MASK]! - 2 * values[(n - 1) & MASK]! + values[(n - 2) & MASK]!;
      seeds[kept++] = d2 < 0 ? -d2 : d2;
    }
    if (kept < NOISE_SEEDS) return;
    // Only light that is steady — the smoothed piece spans no more than its noise would — holds
    // no pulse to take for noise (a flash's pulses stand far above it).
    const median = middleOf(seeds);
    if (history.lastPieceMax - history.lastPieceMin <= STEADY_SPAN_SIGMAS * median * D2_MEDIAN_TO_SIGMA * this.invSqrtWidth) this.noiseMedian = median;
  }

  /**
   * Closes the open segment at visited sample `n` (`closed`: 1 at a confirmed valley, 2 at a gap
   * timeout, 3 cut for length), hands it to `sink`, and starts the next one.
   */
  private handOver(closed: number, n: number, sink: SegmentSink): void {
    const s = this.history.smooth[n & MASK]!;
    this.last = s;
    this.boundaryShift = 0;
    if (closed === 1) {
      this.findRisingEdge(n);
      this.riseShift(n);
      this.boundaryValley = this.valley;
      this.close(this.valleyAt, false);
      this.rising = true;
      this.peak = s;
      this.peakAt = n;
    } else if (closed === 2) {
      // The light stayed dark far longer than a gap: the pulse before was the last one.
      this.boundaryEdge = Infinity;
      this.boundaryValley = this.valley;
      this.close(this.valleyAt, true);
      this.peak = -Infinity;
      // The next pulse rises from where the light stands when it comes, not from the darkest
      // moment of a long gap: a stalled flasher's dark wobbles with room-light flicker, and a
      // rise found from a stale valley would begin at the first wobble.
      this.valley = s;
      this.valleyAt = n;
    } else {
      this.boundaryEdge = Number.NaN;
      this.boundaryValley = s;
      this.close(n, true);
      this.rising = false;
      this.valley = s;
      this.valleyAt = n;
      this.peak = -Infinity;
    }
    sink.onSegment();
  }

  /** Sets `step`: how far the envelope moves towards a piece of `n` samples, 1 − (1 − decay)^n (kept for whole pieces: pow is slow). */
  private updateEnvelopeStep(n: number): void {
    // Left in `step`, not returned: a returned number is boxed when this is not inlined (once a piece).
    if (n === this.stepLength) return;
    this.stepLength = n;
    this.step = 1 - Math.pow(1 - this.decay, n);
  }

  /**
   * Where the rise that just confirmed a valley began: the first crossing of half the hysteresis
   * (`h`) above the valley after the signal last stood within a quarter of it, interpolated
   * between samples and walked back from sample `n`. A dim rise wobbling with flicker crosses
   * the full hysteresis late, and noise in a flat gap crosses half of it early, but it does not
   * stay up. The boxcar's leading edge rises with the raw signal, so this is where the raw rise began.
   * The edge goes to `boundaryEdge` (a returned number would be boxed: this call is not inlined).
   */
  private findRisingEdge(n: number): void {
    const h = this.hysteresis;
    const smooth = this.history.smooth;
    const level = this.valley + 0.5 * h;
    const low = this.valley + 0.25 * h;
    const valleyAt = this.valleyAt;
    // Written straight to the field: a local holding either the index `n` or a fraction would be
    // kept boxed by the compiler (one heap number per crossing).
    this.boundaryEdge = n;
    // One ring read a step: each sample is `before` in one step and `now` in the next.
    let now = smooth[n & MASK]!;
    // On the way, the lowest point since the rise and whether a crest came before it (see `riseShift`).
    const top = now;
    let least = now;
    let leastAt = n;
    let crestSeen = false;
    // (Counted by `before`'s index `j`: its every use then needs no subtraction, nor its check.)
    for (let j = n - 1; j >= valleyAt; j--) {
      const before = smooth[j & MASK]!;
      if (!crestSeen) {
        if (before > least + 0.5 * h) {
          crestSeen = true;
          const crest = RISE_CREST_HEIGHT * h;
          if (before <= this.valley + crest && least <= this.valley + 0.5 * crest && top - least >= crest) this.riseFromAt = leastAt;
        } else if (before < least) {
          least = before;
          leastAt = j;
        }
      }
      if (before <= level && now > level) this.boundaryEdge = j + (level - before) / (now - before);
      if (before <= low) break;
      now = before;
    }
  }

  /**
   * Where the light itself began to rise, as a shift after `boundaryEdge` (0 if there): for
   * timing only. An OLED's dark gap is true black and shows all of room light's ripple, and where
   * that ripple rose just before the light did, `findRisingEdge` walks back over its crest to the
   * ripple's own rise: every edge snaps to a ripple crest, periods come out in whole ripple periods
   * (30, 30, 40 samples where 33.3 flashed) and the report counted held levels and a wrong rate.
   * So on its walk back from the rise it notes the first crest: no higher than twice the
   * hysteresis above the gap's floor, after a trough in its lower half, with a rise of more than
   * that after it, it is the ripple, and the light began at that trough (`riseFromAt`). (Decoding
   * keeps `findRisingEdge`'s edge: moving it cost noisy slow LCDs, whose slow rises carry ripple
   * dips of their own.)
   */
  private riseShift(n: number): void {
    const from = this.riseFromAt;
    this.riseFromAt = -1;
    if (from < 0) return;
    const smooth = this.history.smooth;
    const least = smooth[from & MASK]!;
    // The rise from the trough: where it first stood half a hysteresis above it.
    const level = least + 0.5 * this.hysteresis;
    let prior = least;
    for (let j = from + 1; j <= n; j++) {
      const v = smooth[j & MASK]!;
      if (v > level) {
        const rise = j - 1 + (level - prior) / (v - prior);
        if (rise > this.boundaryEdge) this.boundaryShift = rise - this.boundaryEdge;
        return;
      }
      prior = v;
    }
  }

  /** End of stream: the open segment ends with the last sample. */
  finish(n: number, sink: SegmentSink): void {
    if (n <= this.segmentStart) return;
    this.boundaryEdge = Infinity;
    this.boundaryShift = 0;
    this.boundaryValley = this.rising ? this.last : this.valley;
    this.close(n + this.lag, true);
    this.rising = false;
    this.valley = Infinity;
    this.peak = -Infinity;
    sink.onSegment();
  }

  /**
   * Closes the open segment at smoothed index `valleyAt` (its `boundaryEdge` and `boundaryValley`
   * already set: numbers passed to a call that is not inlined get boxed); `cut`: what follows
   * holds no pulse of its own.
   */
  private close(valleyAt: number, cut: boolean): void {
    let at = valleyAt - this.lag;
    if (at <= this.segmentStart) at = this.segmentStart + 1;
    this.boundaryAt = at;
    this.boundaryPeak = this.peak > -Infinity ? this.peak : this.boundaryValley;
    this.boundaryEmpty = this.openEmpty;
    this.openEmpty = cut;
  }

  /** After the caller measured the segment, the boundary becomes the start of the next one. */
  advance(): void {
    this.segmentStart = this.boundaryAt;
    this.segmentEdge = this.boundaryEdge;
    this.segmentShift = this.boundaryShift;
    this.segmentValley = this.boundaryValley;
  }

  /**
   * Summarises the segment just closed — from the previous boundary to this one — into `out`,
   * reading raw samples from the history.
   */
  measure(out: Pulse): Pulse {
    const history = this.history;
    const start = Math.max(this.segmentStart, history.oldest);
    const end = Math.min(this.boundaryAt, history.count);
    out.start = start;
    out.end = end;
    out.edge = this.segmentEdge;
    out.period = this.boundaryEdge - this.segmentEdge;
    out.shift = this.segmentShift;
    out.nextShift = this.boundaryShift;
    out.floor = this.segmentValley;
    out.peak = this.boundaryPeak;
    out.empty = this.boundaryEmpty;
    out.measureTopLater(history, 0.5 * (this.segmentValley + this.boundaryPeak));
    return out;
  }

  reset(): void {
    this.rising = false;
    this.peak = -Infinity;
    this.valley = Infinity;
    this.hi = -Infinity;
    this.lo = Infinity;
    this.unlock();
    this.openEmpty = true;
  }
}

/** The median of an odd number of values (sorted in place). */
function middleOf(values: Float64Array): number {
  return values.sort()[values.length >> 1]!;
}

/**
 * Raw samples [start, end) → the mean of the samples at or above `mid`: the bright part of the
 * pulse (or, if none is that bright, the largest). Taking only those makes the value immune to
 * how long the pulse is.
 */
function brightMean(history: Conditioner, start: number, end: number, mid: number): number {
  const values = history.values;
  let topSum = 0;
  let topCount = 0;
  // Two samples a turn: the ring's checks are paid once for both. (Sums in the same order.)
  let i = start;
  for (; i + 1 < end; i += 2) {
    const a = values[i & MASK]!;
    const b = values[(i + 1) & MASK]!;
    if (a >= mid) {
      topSum += a;
      topCount++;
    }
    if (b >= mid) {
      topSum += b;
      topCount++;
    }
  }
  if (i < end && values[i & MASK]! >= mid) {
    topSum += values[i & MASK]!;
    topCount++;
  }
  if (topCount > 0) return topSum / topCount;
  if (end > start) return largest(values, start, end);
  return mid;
}

/** Largest of the ring's samples [start, end). */
function largest(values: Float64Array, start: number, end: number): number {
  let max = -Infinity;
  for (let i = start; i < end; i++) max = Math.max(max, values[i & MASK]!);
  return max;
}

/**
 * Re-measures `out` over its (changed) range [start, end), keeping its `floor`: the smoothed peak
 * inside, then the bright-part statistics against the midpoint of floor and peak. Used when
 * timing merges two segments into one pulse or splits one segment into two.
 */
export function remeasure(history: Conditioner, out: Pulse): Pulse {
  const smooth = history.smooth;
  const { start, end } = out;
  const lag = (history.width - 1) >> 1;
  // The smoothed signal centred on raw sample i is smooth[i + lag].
  let max = -Infinity;
  for (let i = start + lag; i < end + lag && i < history.count; i++) if (smooth[i & MASK]! > max) max = smooth[i & MASK]!;
  out.peak = max;
  out.measureTopLater(history, 0.5 * (out.floor + max));
  return out;
}

/** Smoothed value of the signal centred on raw index `at`. */
export function smoothedAt(history: Conditioner, at: number): number {
  const i = Math.min(at + ((history.width - 1) >> 1), history.count - 1);
  return history.smoothed(i);
}
