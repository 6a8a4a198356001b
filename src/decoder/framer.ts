/**
 * Stage 5 — framing: the receiver's state machine, one pulse at a time.
 *
 *   HUNT      waits for a run of alike pulses at a steady rate: the preamble's grey pulses.
 *             Black and grey (and the pulse rate) are learned from that run.
 *   PREAMBLE  more grey pulses, until one is clearly brighter than grey: the first 1 of the
 *             sync magic 0x2A (0 0 1 0 1 0 1 0; its first two 0s look like preamble). White is
 *             learned from it.
 *   MAGIC     the rest of the magic, 0 1 0 1 0, must follow exactly; anything else was not a
 *             preamble and the hunt starts again.
 *   BODY      one soft bit per pulse: the length byte L, then L entry bytes and two CRC bytes.
 *
 * A pulse that cannot be grey or white loses sync, and so does a gap with no pulse (the
 * segmenter's timeout or a cut) — unless the next pulse comes within STALL_S: the flasher
 * stalled, and the transmission goes on. The framer does not judge the bytes: CRC, structure, repair and combining happen
 * after it, on the soft bits it collected.
 */
import { HOLE_SPAN, type ClipRecord, type HoleRecord } from './condition.js';
import type { Reception } from './flicker.js';
import type { LevelTracker } from './levels.js';
import { LightStepWatch, STRAY_SOFT } from './light-step.js';
import type { Pulse } from './pulses.js';
import { confidence, softValue } from './slicer.js';
import { FEW_SAMPLES_PER_FRAME, type PulseReference } from './timing.js';

export const FramerState = { HUNT: 0, PREAMBLE: 1, MAGIC: 2, BODY: 3 } as const;
export type FramerState = (typeof FramerState)[keyof typeof FramerState];

export const FrameResult = { NONE: 0, PACKET: 1, LOST: 2 } as const;
export type FrameResult = (typeof FrameResult)[keyof typeof FrameResult];

/**
 * The states and results, and the camera's period bound, as the per-pulse code below uses them:
 * module constants, which the compiler folds, where it loads and checks `FramerState.HUNT` (or
 * an imported binding) at every use.
 */
const HUNT = FramerState.HUNT;
const PREAMBLE = FramerState.PREAMBLE;
const MAGIC = FramerState.MAGIC;
const BODY = FramerState.BODY;
const NONE = FrameResult.NONE;
const PACKET = FrameResult.PACKET;
const LOST = FrameResult.LOST;

/** FEW_SAMPLES_PER_FRAME and STRAY_SOFT, module-local (the compiler folds them; an imported binding it loads and checks). */
const FEW_SAMPLES = FEW_SAMPLES_PER_FRAME;
const STRAY = STRAY_SOFT;
/** Alike pulses in a row before they are taken for a preamble (it has 24, plus the magic's two). */
export const MIN_PREAMBLE = 10;
/** The preamble's clock is the median of this many recent intervals. */
const RUN_INTERVALS = 7;
/** The clock is at least this fraction of the shortest mean of three intervals in a row (see PreambleRun.medianInterval). */
const JITTER_FLOOR = 0.85;
/**
 * A pulse this many grey heights above the floor is white: #bf white is ≈ 1.9 grey in light, #9f
 * ≈ 2.9 — but only ≈ 1.33 and 1.6 in gamma-encoded values (a camera's or an image's brightness
 * not linearised, the encoder's own frame codes). So the bar is WHITE_RATIO, lowered toward
 * CLEAN_WHITE_RATIO where the preamble's greys are steady: a white must stand WHITE_SPREADS mean
 * deviations of the greys above grey, so that noise or a slow pixel never makes a grey white.
 * Under PWM dimming, where a grey's value beats with the sampler, and at a camera's few samples
 * per frame, the bar stays up.
 */
const WHITE_RATIO = 1.35;
const CLEAN_WHITE_RATIO = 1.2;
const WHITE_SPREADS = 8;
/**
 * A sensor driven into its rail clips white down towards grey: the magic's first white may stand
 * only a few per cent of grey's height above grey. A preamble pulse that reaches the ADC's top,
 * where no grey of the preamble did, is that white if it stands this many grey heights above the
 * floor, and twice as far above grey as the brightest grey (a flicker crest, a held grey) rose.
 */
const CLIPPED_WHITE_RATIO = 1.04;
/** Greys the spread is measured over before the bar may come down. */
const SPREAD_GREYS = 4;
/**
 * A pulse this many grey heights above the floor is no white of this preamble (its white stands
 * at most about 5.5: #9f, a slow pixel's valley, a camera's blur) but a new, far stronger light: the
 * run was a ripple mistaken for a preamble — a lamp flickering at the mains frequency itself, or
 * mains hum in the sensor's wiring, in the dark before the flash — and the hunt starts again from
 * this pulse.
 */
const NEW_LIGHT_RATIO = 8;
/**
 * …and so is a white that lasts more than NEW_LIGHT_PERIODS of the run's periods (a white and its
 * dark, both held, last two) but fewer than LAMP_NEW_LIGHT (a 20 fps flash's bit at 60 Hz), where
 * the run came at a lamp's ripple rate (see `isLampRate`). Elsewhere a long white is the flasher stalling on it, which keeps it on screen and
 * then goes on. (At 120 fps, whose clock is the 60 Hz mains', a stall of 0.1 s or more on that
 * white outlasts LAMP_NEW_LIGHT; a shorter one is taken for new light, and costs the transmission.)
 */
const NEW_LIGHT_PERIODS = 2.5;
const LAMP_NEW_LIGHT = 6.5;
/** A lamp's ripple at the mains frequency itself, Hz, and how far the sampler's clock may move its period (a little beyond ±3 %). */
export const LAMP_HZ = [50, 60] as const;
export const LAMP_TOLERANCE = 0.04;

/**
 * Whether pulses coming `hz` times a second on the sampler's clock are a lamp's ripple at the
 * mains frequency (a half-wave LED driver), or mains hum in a sensor's wiring: 50 or 60 Hz.
 */
export function isLampRate(hz: number): boolean {
  for (const f of LAMP_HZ) if (Math.abs(1 / hz - 1 / f) < LAMP_TOLERANCE / f) return true;
  return false;
}
/** Below this many grey heights a pulse is no grey pulse. */
const MIN_GREY_RATIO = 0.5;
/** The magic after its first 1. */
const MAGIC_TAIL = [0, 1, 0, 1, 0] as const;
/** A pulse-to-pulse period beyond this many ordinary periods has a held frame in it. */
const HELD_PERIOD = 1.3;
/** Up to this many samples per display frame, every sample mixes two frames (a 60 fps camera on 60 fps flashing). */
const ONE_SAMPLE_PER_FRAME = 1.5;
/** A pulse-to-pulse period beyond this many ordinary periods means pulses are missing — or a stall. */
const MAX_PERIOD_RATIO = 3.2;
/**
 * Longest stall of the flasher waited out once the preamble locked, seconds beyond the pulse's
 * ordinary period. Levels are delayed, never skipped: an app that stalls (a browser's busy main
 * thread, a weak phone) keeps showing its level — a long pulse, or a long dark gap — and the
 * next bit follows when it wakes. The cost: a body cut short (its flash stopped, or pulses were
 * lost) that is followed this soon by another flash takes that flash's first pulses for its
 * last bits. The preamble has 24 grey pulses and the hunt needs 10 (MIN_PREAMBLE), so the next
 * flash still locks unless more than 14 bits were missing.
 */
export const STALL_S = 0.5;
/** What a pulse is to a stall being waited out (see `Framer.stallState`). */
const NO_STALL = 0;
const STALL_GOES_ON = 1;
const STALL_TOO_LONG = 2;
type StallState = typeof NO_STALL | typeof STALL_GOES_ON | typeof STALL_TOO_LONG;
/** Why a packet's body broke off without a next pulse (the decoder's flush says the first too). */
export const STREAM_ENDED = 'the stream ended before the packet did';
const PULSES_STOPPED = 'the pulses stopped before the packet ended';
/**
 * Bit periods of dark after the last pulse beyond which the stream did not cut the flash off at
 * its end: the pulses had stopped short of the packet's end (bits lost on the way) before it.
 * (More than the trailer's six black frames, three bit periods.)
 */
const DARK_AFTER_STOP = 4;
/** Why sync was lost when the stream ended `darkS` after the packet's last pulse (a bit period `bitS`). */
function endedReason(darkS: number, bitS: number, missingBits: number): string {
  if (!(bitS > 0 && darkS > DARK_AFTER_STOP * bitS)) return STREAM_ENDED;
  return `the pulses stopped ${missingBits} ${missingBits === 1 ? 'bit' : 'bits'} short of the packet's end, with dark after them until the stream ended (bits lost on the way: samples dropped, or levels merged)`;
}
/**
 * Shortest pulse period accepted while hunting, seconds: just longer than a cycle of 100 Hz
 * mains flicker (whose wobble must never pass for a preamble), and short enough for 120 fps
 * (16.7 ms) with the edge jitter of PWM dimming.
 */
export const MIN_PERIOD_S = 0.0105;
/** Longest pulse period while hunting, seconds: two frames at 10 fps, each held a refresh longer. */
const MAX_HUNT_PERIOD_S = 0.25;
/**
 * A preamble pulse must stand this many sample noise sigmas above its valley — about twice as
 * many sigmas of the smoothed signal pulses are measured on (the boxcar of 4 samples at 1 kHz
 * halves the noise). At 5, a capture at 120 fps with 100 LSB of noise, whose blurred valleys
 * leave grey pulses 4.7 sigmas high, never locked on a preamble; in pure noise none locks at 3.5.
 */
const MIN_PULSE_SNR = 3.5;
/**
 * The first pulse after the preamble locked: from here on pulses are valued late in their frame
 * (see timing.ts), so grey is relearned that way — unless the pulse stands far above the run's
 * greys (compared as the run was, by its top): where noise broke the run until the preamble's
 * end, it is the sync magic's first white. (Out of the framer's per-pulse code, whose compiled
 * form has no room to spare.)
 */
function relearnGrey(p: Pulse, levels: LevelTracker): void {
  if (p.late === p.late && !(levels.ratio(p.top) > WHITE_RATIO)) levels.grey = p.late;
}

/** Longest packet: L = 255 entry bytes, plus L itself and the CRC. */
export const MAX_PACKET_BITS = (255 + 3) * 8;
/**
 * Bit periods between two pulses' rising edges beyond which a bit went missing between them: one
 * period is a bit, a level held a refresh longer makes it up to one and a half.
 */
const LOST_BIT_PERIODS = 1.75;
/** Most bits erased for one hole in the samples; a longer hole loses sync (the repair could not cover more anyway). */
const MAX_ERASED = 3;
/** Smallest possible L: the clear packet 02 07 00. */
const MIN_LENGTH = 2;

/**
 * Running description of a candidate preamble: alike pulses in a row. Its clock is measured
 * between the rising edges of accepted pulses, so a stray dark segment in between (mains flicker
 * on a slow pixel's decay) is simply skipped.
 */
class PreambleRun {
  count = 0;
  /** Means over the run: pulse value, smoothed peak and valley, smoothed height. */
  top = 0;
  peak = 0;
  floor = 0;
  amplitude = 0;
  /** Typical edge-to-edge interval, samples (NaN until two pulses). */
  period = Number.NaN;
  startS = 0;
  /** First sample of the run's first pulse. */
  startIndex = 0;
  /** Rising edge of the run's last pulse, samples (NaN while empty). */
  lastEdge = Number.NaN;
  private readonly intervals = new Float64Array(RUN_INTERVALS);
  private readonly sorted = new Float64Array(RUN_INTERVALS);
  private intervalCount = 0;

  /** Shortest period accepted, samples. */
  minPeriod = 0;

  /** A segment that is no pulse at all next to the run's (low, and barely rising from its valley). */
  isDark(p: Pulse): boolean {
    if (this.count === 0) return false;
    return p.peak < this.floor + 0.5 * this.amplitude && p.peak - p.floor < 0.5 * this.amplitude;
  }

  /** Whether `p` looks like the pulses already in the run. */
  accepts(p: Pulse): boolean {
    if (p.empty || !(p.edge === p.edge)) return false;
    if (this.count === 0) return true;
    // Alike on the smoothed signal: raw samples of a PWM-dimmed screen scatter far more.
    const height = this.amplitude;
    if (!(height > 0)) return false;
    if (Math.abs(p.peak - this.peak) > 0.3 * height) return false;
    if (p.peak - p.floor < 0.5 * height) return false;
    const interval = p.edge - this.lastEdge;
    if (!(interval >= this.minPeriod)) return false;
    if (this.count < 3) return true;
    const r = interval / this.period;
    return r > 0.55 && r < 2.2;
  }

  /** Adds pulse `p` (its `startS` set) to the run. */
  add(p: Pulse): void {
    if (this.count === 0) {
      this.startS = p.edgeS;
      this.startIndex = p.start;
    }
    const n = ++this.count;
    this.top += (p.top - this.top) / n;
    this.peak += (p.peak - this.peak) / n;
    this.floor += (p.floor - this.floor) / n;
    this.amplitude += (p.peak - p.floor - this.amplitude) / n;
    if (n > 1) {
      this.intervals[this.intervalCount++ % RUN_INTERVALS] = p.edge - this.lastEdge;
      this.period = this.medianInterval();
    }
    this.lastEdge = p.edge;
  }

  /**
   * The ordinary interval among the last few: held frames lengthen many (a quarter of all frames
   * on a weak phone, so often half the intervals) and a stray first pulse may shorten one. So
   * with five or more intervals it is the second shortest, else the median. Not at a camera's
   * few samples per frame, though: there intervals are whole samples that jitter by one, and
   * the second shortest is a sample short — the median is the better guess.
   *
   * And at 120 fps a dim rise wobbling with mains flicker on a slow LCD jitters its edge by a
   * quarter of a period, shortening one interval and lengthening the next, so the second shortest
   * comes out far too short. Over three intervals in a row the inner edges' jitter cancels, so the
   * clock is no shorter than JITTER_FLOOR of their shortest mean (which is at most one held frame
   * too long per window where the second shortest is right).
   */
  private medianInterval(): number {
    const n = Math.min(this.intervalCount, RUN_INTERVALS);
    const sorted = this.sorted;
    // Insertion sort of the few intervals, in place: sorting a view of them would make a new
    // object every pulse. (Intervals are numbers, never NaN: see `accepts`.)
    for (let i = 0; i < n; i++) {
      const x = this.intervals[i]!;
      let j = i;
      for (; j > 0 && sorted[j - 1]! > x; j--) sorted[j] = sorted[j - 1]!;
      sorted[j] = x;
    }
    const median = n % 2 === 1 ? sorted[n >> 1]! : 0.5 * (sorted[(n >> 1) - 1]! + sorted[n >> 1]!);
    if (n < 5 || median < 2 * FEW_SAMPLES) return median;
    // The ring in order of arrival: the oldest of the last n intervals first.
    const newest = this.intervalCount - 1;
    let shortestWindow = Infinity;
    for (let k = newest - n + 1; k + 2 <= newest; k++) {
      let sum = 0;
      for (let j = k; j < k + 3; j++) sum += this.intervals[j % RUN_INTERVALS]!;
      if (sum < shortestWindow) shortestWindow = sum;
    }
    return Math.max(sorted[1]!, (JITTER_FLOOR * shortestWindow) / 3);
  }

  clear(): void {
    this.count = 0;
    this.intervalCount = 0;
    this.top = this.peak = this.floor = this.amplitude = 0;
    this.period = this.lastEdge = Number.NaN;
  }

  /** A new run, starting with `p` if it can start one. */
  restart(p: Pulse): void {
    this.clear();
    if (this.accepts(p)) this.add(p);
  }
}

/**
 * A pulse that rose from a valley standing this much higher, as a share of its own height, than
 * the valleys usually stand against grey's, is not shown to the light-step watch: its light did
 * not start from the dark. On a panel that steps its light, the white after a held white rises
 * from a third of the way up and reads a quarter or more above the other whites; a run of such
 * whites fitted one factor, with the ordinary whites as the new greys, and passed for a step of
 * the light (4 steps at 20 fps: 77 → 94 of 100 decode without it). A true step scales valley and
 * pulse alike, and the share stays where it was (the step study is unchanged).
 */
const RAISED_VALLEY = 0.15;

export class Framer implements Reception {
  state: FramerState = HUNT;
  /** Soft bits of the packet being received (L first), see slicer.ts. */
  readonly soft = new Float32Array(MAX_PACKET_BITS);
  bits = 0;
  /** The pulse value of each bit, for the light-step watch (unset where a bit was erased). */
  private readonly values = new Float64Array(MAX_PACKET_BITS);
  /** Bits of this packet whose pulse timing merged or split. */
  timingRepairs = 0;
  private expected = 0;
  private magicPos = 0;
  /** Grey pulses seen since the preamble locked, and misread ones in a row. */
  private greysSeen = 0;
  /** Mean absolute deviation of the preamble's grey values from grey (see WHITE_SPREADS). */
  private greySpread = 0;
  /** The brightest of the preamble's greys (see CLIPPED_WHITE_RATIO). */
  private greyTop = -Infinity;
  private misses = 0;
  private readonly run = new PreambleRun();
  /** Watches the body's pulses for a sudden step of the light (see light-step.ts). */
  private readonly steps = new LightStepWatch();

  /** Nominal samples per second. */
  private readonly sampleRate: number;

  /** Where samples went missing (null: the framer's bits come from elsewhere; see `fillHole`). */
  private readonly holes: HoleRecord | null;

  /** Where the readings clip (null: unknown; see `clippedWhite`). */
  private readonly clip: ClipRecord | null;

  /**
   * `sampleRate`: nominal samples per second, for the shortest plausible pulse period; `holes`:
   * the conditioner's record of missing samples; `clip`: its record of where readings clip.
   */
  constructor(sampleRate: number, holes: HoleRecord | null = null, clip: ClipRecord | null = null) {
    this.sampleRate = sampleRate;
    this.holes = holes;
    this.clip = clip;
    this.run.minPeriod = MIN_PERIOD_S * sampleRate;
  }
  /** Start of the transmission (first preamble pulse seen) and end of the last pulse, seconds. */
  startS = 0;
  endS = 0;
  /** Why and when sync was lost (after a LOST result). */
  lostReason = '';
  lostAtS = 0;
  /** Rising edge of the pulse after which the flasher stalled (NaN when none is being waited out), seconds. */
  private stalledFromS = Number.NaN;
  /** Stalls of the flasher waited out from the sync magic on, since the stream began (`reset` keeps it: it ends a stream). */
  stalls = 0;
  /** Steps of the light followed in a body since the stream began (see `followStep`; `reset` keeps it). */
  lightSteps = 0;
  /**
   * Runs of pulses taken for a preamble that new light then showed to be ripple (see `newLight`)
   * since the stream began, and the rate of the last, pulses a second on the sampler's nominal
   * clock (NaN: none). `reset` keeps both.
   */
  rippleRuns = 0;
  rippleHz = Number.NaN;
  /** Set while the decoder flushes: a missing next pulse is then the end of the stream. */
  ending = false;
  /** The last pulse's decision (0 none, 1 grey, 2 white) and confidence, for the pulse hook. */
  decision: 0 | 1 | 2 = 0;
  confidence = 0;
  /**
   * Rising edges of the pulse before the last past the hunt and of the last, seconds (see
   * `fillHole`). A typed array, not two fields: a number stored to a field may be boxed, a heap
   * number on every pulse.
   */
  private readonly edges = Float64Array.of(Number.NaN, Number.NaN);
  /** Bits of this packet erased because their pulses fell into a hole in the samples (see `fillHole`). */
  erased = 0;
  /** Sum and count of ordinary pulse periods (seconds) during this transmission, for its rate. */
  periodSumS = 0;
  periodCount = 0;
  private readonly ref: PulseReference = { period: 0, floor: 0, level: 0, amplitude: 0, locked: false, threshold: Number.NaN, whiteKnown: false, fewSamples: false, maxGap: Infinity };

  /** A transmission is being received: the framer is past the hunt (see flicker.ts, `Reception`). */
  get receiving(): boolean {
    return this.state !== HUNT;
  }

  /** First sample of the preamble run being hunted or locked on. */
  get preambleStart(): number {
    return this.run.startIndex;
  }

  /** The pulse period the framer believes in, samples: the learned one, or the candidate preamble's (NaN if none). */
  clock(levels: LevelTracker): number {
    if (this.state !== HUNT) return levels.period;
    return this.run.count >= 3 ? this.run.period : Number.NaN;
  }

  /**
   * While hunting: only a few samples per display frame (a camera)? Until the run has a clock,
   * the sample rate says whether even 120 fps could be well sampled.
   */
  private fewSamples(): boolean {
    const run = this.run;
    return run.count >= 2 ? run.period < 2 * FEW_SAMPLES : this.sampleRate < FEW_SAMPLES * 120;
  }

  /**
   * Longest pulse period a preamble run can hold, samples: beyond it the light paused. (The run's
   * own period counts only up to the longest a preamble has: two glitches seconds apart make a
   * "run" too, whose period must not stretch the bound that would end it.)
   */
  private huntGap(): number {
    const longest = MAX_HUNT_PERIOD_S * this.sampleRate;
    const period = this.run.period > longest ? longest : this.run.period; // (NaN stays NaN: no run yet)
    const relative = MAX_PERIOD_RATIO * period;
    return relative > longest ? relative : longest;
  }

  /** What the next pulse should look like (for the timing stage), or null while nothing is known. */
  reference(levels: LevelTracker): PulseReference | null {
    const ref = this.ref;
    if (this.state === HUNT) {
      const run = this.run;
      if (run.count < 1) return null;
      // While hunting the run's clock is too young to merge by: only dark pieces are merged.
      ref.period = Number.NaN;
      ref.floor = run.floor;
      ref.level = run.top;
      ref.amplitude = run.amplitude;
      ref.locked = false;
      ref.threshold = Number.NaN;
      ref.whiteKnown = false;
      ref.maxGap = this.huntGap();
      ref.fewSamples = this.fewSamples();
    } else {
      ref.period = levels.period;
      ref.floor = levels.floor;
      ref.level = levels.grey;
      ref.amplitude = levels.amplitude;
      ref.locked = true;
      ref.fewSamples = levels.period < 2 * FEW_SAMPLES;
      // Before the magic's first white, "white" is anything that much brighter than grey.
      ref.whiteKnown = levels.white === levels.white;
      if (ref.whiteKnown) levels.storeThreshold(ref);
      else ref.threshold = levels.floor + this.whiteRatio(levels) * (levels.grey - levels.floor);
    }
    return ref;
  }

  /** Consumes one pulse (its times in seconds set: see Pulse.startS). */
  push(p: Pulse, levels: LevelTracker): FrameResult {
    this.decision = 0;
    this.confidence = 0;
    // Past the hunt, a stall being waited out comes first: its dark is no pulse, and a pulse
    // too late for it ends the transmission (or the preamble) where the pulses stopped.
    if (this.state !== HUNT) {
      // (Rarely is a stall being waited out: its closer look stays out of this per-pulse code.)
      const stall = this.stalledFromS === this.stalledFromS ? this.stallState(p) : NO_STALL;
      if (stall === STALL_GOES_ON) return NONE;
      if (stall === STALL_TOO_LONG) return this.state === BODY ? this.stoppedInBody(p) : this.rehunt(p);
      if (p.empty !== true) {
        const edges = this.edges;
        edges[0] = edges[1]!;
        edges[1] = p.edgeS;
      }
    }
    switch (this.state) {
      case HUNT:
        return this.hunt(p, levels);
      case PREAMBLE:
        return this.preamble(p, levels);
      case MAGIC:
        return this.magic(p, levels);
      default:
        return this.body(p, levels);
    }
  }

  private hunt(p: Pulse, levels: LevelTracker): FrameResult {
    const run = this.run;
    if (run.isDark(p)) {
      // Dark beside the run, but beginning further after the run's last pulse than a preamble's
      // longest period: the run is over, and `p` may begin the next. (Else a glitch long ago,
      // taken for a run, would leave every pulse since — a whole transmission's — too dim to count.)
      if (!(p.start - run.lastEdge > this.huntGap())) return NONE;
      run.clear();
    }
    if (run.accepts(p)) run.add(p);
    // A pulse a dropped camera frame cut short (its value partly interpolated) neither joins the
    // run nor ends it: a phone drops a frame every second or so, and the preamble lasts about one.
    else if (p.gapped === true && run.count > 0) return NONE;
    else run.restart(p);
    // Light that stops (the end of a transmission, the pause before a repeat) ends the run: a
    // stale run of bright pulses would make the timing stage merge the next preamble's dimmer
    // greys as dark pieces (see PulseAssembler.continues).
    if (!(p.period <= this.huntGap())) {
      run.clear();
      return NONE;
    }
    if (run.count >= MIN_PREAMBLE && run.period >= run.minPeriod && run.amplitude > MIN_PULSE_SNR * levels.noise) {
      levels.learnPreamble(run.top, run.floor, run.amplitude, run.period);
      this.startS = run.startS;
      this.greysSeen = 0;
      this.greySpread = 0;
      this.greyTop = -Infinity;
      this.misses = 0;
      this.periodSumS = 0;
      this.periodCount = 0;
      this.state = PREAMBLE;
    }
    return NONE;
  }

  /** Grey heights above the floor a preamble pulse must reach to be taken for white (see WHITE_RATIO). */
  private whiteRatio(levels: LevelTracker): number {
    // The bar stays up under PWM, until a few greys were seen, and at a camera's few samples per
    // frame (whose mixed frames read a held or stalled grey brighter than the rest).
    if (levels.pwm === true || this.greysSeen < SPREAD_GREYS || levels.period < 2 * FEW_SAMPLES) return WHITE_RATIO;
    const bar = 1 + (WHITE_SPREADS * this.greySpread) / (levels.grey - levels.floor);
    return bar > WHITE_RATIO ? WHITE_RATIO : bar < CLEAN_WHITE_RATIO ? CLEAN_WHITE_RATIO : bar;
  }

  /**
   * Whether a preamble pulse valued `value` (`ratio` grey heights above the floor) is the magic's
   * first white clipped at the ADC's top (see CLIPPED_WHITE_RATIO). Not under PWM, whose bursts
   * clip whatever their level, nor before a few greys were seen.
   */
  private clippedWhite(value: number, ratio: number, levels: LevelTracker): boolean {
    const clip = this.clip === null ? Infinity : this.clip.clipLevel;
    if (!(value >= clip) || !(this.greyTop < clip) || levels.pwm === true || this.greysSeen < SPREAD_GREYS) return false;
    return ratio > CLIPPED_WHITE_RATIO && value - levels.grey > 2 * (this.greyTop - levels.grey);
  }

  private preamble(p: Pulse, levels: LevelTracker): FrameResult {
    if (p.empty) return this.rehunt(p);
    if (this.greysSeen === 0) relearnGrey(p, levels);
    this.noteStall(p, levels);
    const r = levels.ratio(p.late);
    if (!(r >= MIN_GREY_RATIO)) {
      // One misread pulse (a PWM beat, a flicker dip) is forgiven; two in a row end the preamble.
      if (++this.misses > 1) return this.rehunt(p);
      this.decision = 1;
      return NONE;
    }
    this.misses = 0;
    if (r > NEW_LIGHT_RATIO) return this.newLight(p, levels);
    // At a camera's one sample per frame a grey held a refresh longer fills two samples and
    // looks brighter; a pulse that long is not taken for the magic's first white.
    const held = levels.period < 2 * ONE_SAMPLE_PER_FRAME && p.period > HELD_PERIOD * levels.period;
    if ((r > this.whiteRatio(levels) || this.clippedWhite(p.late, r, levels)) && !held) {
      if (this.isNewLight(p.period, levels.period)) return this.newLight(p, levels);
      levels.learnWhite(p.late);
      this.decision = 2;
      this.confidence = 1;
      this.magicPos = 0;
      this.state = MAGIC;
    } else if (!held) {
      this.decision = 1;
      this.greysSeen++;
      this.greySpread += (Math.abs(p.late - levels.grey) - this.greySpread) / this.greysSeen;
      if (p.late > this.greyTop) this.greyTop = p.late;
      levels.track(0, p, true);
    } else {
      this.decision = 1;
    }
    this.notePeriod(p, levels);
    return NONE;
  }

  /**
   * Whether a first white `period` samples long, after a run whose clock is `clock`, is new light
   * rather than the magic's white, held or stalled (see NEW_LIGHT_PERIODS).
   */
  private isNewLight(period: number, clock: number): boolean {
    return period > NEW_LIGHT_PERIODS * clock && period < LAMP_NEW_LIGHT * clock && isLampRate(this.sampleRate / clock);
  }

  /**
   * New light came (see NEW_LIGHT_RATIO): the run locked on was ripple in the dark before it, at
   * its clock's rate, and the hunt starts again from pulse `p`. (Out of the per-pulse path.)
   */
  private newLight(p: Pulse, levels: LevelTracker): FrameResult {
    this.rippleRuns++;
    this.rippleHz = this.sampleRate / levels.period;
    return this.rehunt(p);
  }

  private magic(p: Pulse, levels: LevelTracker): FrameResult {
    if (p.empty) return this.rehunt(p);
    const soft = softValue(p.late, levels);
    const bit = soft > 0 ? 1 : 0;
    if (bit !== MAGIC_TAIL[this.magicPos]) return this.rehunt(p);
    this.decide(soft);
    levels.track(bit, p, true);
    this.notePeriod(p, levels);
    if (++this.magicPos === MAGIC_TAIL.length) {
      this.startBody();
      this.steps.begin(0, this.greySpread / (levels.grey - levels.black));
    }
    this.noteStall(p, levels);
    return NONE;
  }

  private body(p: Pulse, levels: LevelTracker): FrameResult {
    // (Booleans compared with `true`: a plain test compiles to a test for every kind of value.)
    if (p.empty === true) return this.lose('no pulse where a bit was due', p.endS);
    const holes = this.holes;
    if (holes !== null && holes.holes > 0) {
      const result = this.fillHole(p, holes);
      if (result !== NONE) return result;
    }
    const soft = softValue(p.late, levels);
    levels.track(soft > 0 ? 1 : 0, p, p.repaired !== true);
    this.notePeriod(p, levels);
    if (p.repaired === true) this.timingRepairs++;
    const result = this.pushBit(soft, p.endS);
    if (result !== NONE) return result;
    if (this.ending === true && !(p.period < MAX_PERIOD_RATIO * levels.period)) {
      // (The last pulse's period is unknown, no pulse followed it: the time from its rise to the
      // stream's end, less a bit period, is the dark after it.)
      const bitS = this.meanPeriodS();
      return this.lose(endedReason(p.endS - p.edgeS - bitS, bitS, this.expected - this.bits), p.endS);
    }
    this.noteStall(p, levels);
    return NONE;
  }

  /**
   * Samples were missing before pulse `p` (a logger that lost some, with timestamps that show
   * it, or NaN written for them): a hole longer than a frame can swallow a pulse, or the dark
   * between two and merge them, and every bit after would slip by one. The pulses' timing tells
   * how many bits went missing — rising edges that many bit periods apart, no more than the hole
   * could hold — and each is erased: a soft bit of 0, no evidence either way, which the repair
   * (one hole's worth) and the combining of repeated copies can fill in. When bits went missing
   * and the hole began in the frame of the pulse before, or the dark after it, that pulse may be
   * two merged across the hole, valued as the later one: its bit is erased too. (Erasing it also
   * when the hole only hid part of its frame cost more packets than it saved: what is left of a
   * frame mostly reads right.)
   */
  private fillHole(p: Pulse, holes: HoleRecord): FrameResult {
    const period = this.meanPeriodS();
    const from = this.edges[0]!;
    if (!(period > 0)) return NONE;
    const missing = holes.missingBetween(from, p.edgeS);
    if (missing === 0) return NONE;
    const holeFromS = HOLE_SPAN[0]!;
    const frame = 0.5 * period;
    // (Math.max: never negative; a hole shorter than half a frame hides no frame of a bit.)
    const lost = Math.max(0, Math.min(Math.floor((p.edgeS - from) / period - (LOST_BIT_PERIODS - 1)), Math.ceil(missing / frame - 0.5)));
    if (lost > MAX_ERASED) return this.lose(`${Math.round(1000 * missing)} ms of samples missing (a gap in the timestamps)`, holeFromS);
    const merged = lost > 0 && holeFromS < from + 1.5 * frame;
    if (merged && this.bits > 0 && this.soft[this.bits - 1] !== 0) {
      this.soft[this.bits - 1] = 0;
      this.erased++;
    }
    this.erased += lost;
    // The light-step watch fits no erased bit.
    if (lost > 0) this.steps.begin(this.bits + lost);
    for (let k = 0; k < lost; k++) {
      const result = this.pushBit(0, holeFromS);
      if (result !== NONE) return result;
    }
    return NONE;
  }

  /**
   * After body pulse `p` was decided (the last bit; the decoder calls this, outside the framer's
   * per-pulse path, whose compiled code has no room to spare): a pulse that strays from the levels
   * may show a step of the light. If the light-step watch finds one (photodiode rates only: see
   * light-step.ts), the levels take the step and the bits read since it, this one too,
   * are decided again with them. The length byte, once it has set how many bits to read, is left
   * as it was read.
   */
  followStep(p: Pulse, levels: LevelTracker): void {
    const last = this.bits - 1;
    if (last < 0) return;
    this.values[last] = p.late;
    const soft = this.soft[last]!;
    const sure = soft < 0 ? -soft : soft;
    if (sure >= 1 - STRAY && sure <= 1 + STRAY) return;
    if (levels.period < 2 * FEW_SAMPLES || !(levels.black === levels.black)) return;
    const black = levels.black;
    if (p.floor - black > ((levels.floor - black) / (levels.grey - black) + RAISED_VALLEY) * (p.late - black)) return; // a raised valley
    const steps = this.steps;
    if (!steps.note(this.values, last, levels)) return;
    levels.stepTo(steps.grey, steps.white);
    this.lightSteps++;
    for (let bit = last - steps.span + 1; bit <= last; bit++) {
      if (bit < 8 && this.bits >= 8) continue;
      if (this.soft[bit] !== 0) this.soft[bit] = softValue(this.values[bit]!, levels);
    }
    this.decide(this.soft[last]!);
  }

  /** A stall in the body outlasted STALL_S (or the stream ended): the packet broke off where its pulses stopped. */
  private stoppedInBody(p: Pulse): FrameResult {
    const result = this.lose(this.ending ? endedReason(p.endS - this.endS, this.meanPeriodS(), this.expected - this.bits) : PULSES_STOPPED, this.endS);
    // A pulse that came too late for this packet may begin the next flash's preamble.
    if (p.empty !== true) this.run.restart(p);
    return result;
  }

  /**
   * After a pulse whose period ran far beyond the clock (no next pulse in sight), the flasher may
   * have stalled: the next pulse is waited for (see STALL_S) rather than sync given up.
   */
  private noteStall(p: Pulse, levels: LevelTracker): void {
    if (!(p.period < MAX_PERIOD_RATIO * levels.period)) this.stalledFromS = p.edgeS;
  }

  /**
   * Where pulse `p` stands to the stall being waited out: none (`p` is the next pulse, in time:
   * the stall is over), `p` is the stall's dark, or the stall outlasted STALL_S (or the stream
   * ended) and the pulses stopped where they stopped.
   */
  private stallState(p: Pulse): StallState {
    if (p.empty !== true && this.stillStalled(p.edgeS)) {
      this.stalledFromS = Number.NaN;
      // Counted once the sync magic began: a run of pulses taken for a preamble may be none (a
      // camera's blurred frames lock on the wrong clock now and then), and its long periods no stalls.
      if (this.state !== PREAMBLE) this.stalls++;
      return NO_STALL;
    }
    if (p.empty === true && !this.ending && this.stillStalled(p.endS)) return STALL_GOES_ON;
    this.stalledFromS = Number.NaN;
    return STALL_TOO_LONG;
  }

  /** Whether a pulse rising at `atS` could still follow the stalled one (see STALL_S). */
  private stillStalled(atS: number): boolean {
    return atS - this.stalledFromS <= this.meanPeriodS() + STALL_S;
  }

  /** Mean bit period of this transmission so far, seconds (0 before any). */
  private meanPeriodS(): number {
    return this.periodCount > 0 ? this.periodSumS / this.periodCount : 0;
  }

  /** The sync magic was found by another stage (frame-sequence.ts): bits follow. */
  startBody(): void {
    this.state = BODY;
    this.bits = 0;
    this.timingRepairs = 0;
    this.erased = 0;
    this.steps.begin(0);
    this.stalledFromS = Number.NaN;
    this.expected = 8;
  }

  /** One soft bit of the body (ending at `endS`): length byte, then the packet. */
  pushBit(soft: number, endS: number): FrameResult {
    this.decide(soft);
    this.soft[this.bits++] = soft;
    this.endS = endS;
    if (this.bits === 8) {
      const length = this.byteAt(0);
      if (length < MIN_LENGTH) return this.lose(`length byte ${length} is impossible`, endS);
      this.expected = (length + 3) * 8;
    }
    if (this.bits === this.expected) {
      this.state = HUNT;
      this.run.clear();
      return PACKET;
    }
    return NONE;
  }

  /** Hard decision of byte `k` of the soft bits (MSB first). */
  byteAt(k: number): number {
    let v = 0;
    for (let i = 8 * k; i < 8 * k + 8; i++) v = (v << 1) | (this.soft[i]! > 0 ? 1 : 0);
    return v;
  }

  private decide(soft: number): void {
    this.decision = soft > 0 ? 2 : 1;
    this.confidence = confidence(soft);
  }

  private notePeriod(p: Pulse, levels: LevelTracker): void {
    const periodS = p.periodS;
    if (p.repaired !== true && p.period > 0.8 * levels.period && p.period < 1.2 * levels.period && periodS > 0) {
      this.periodSumS += periodS;
      this.periodCount++;
    }
  }

  private rehunt(p: Pulse): FrameResult {
    this.state = HUNT;
    this.stalledFromS = Number.NaN;
    this.run.restart(p);
    return NONE;
  }

  private lose(reason: string, atS: number): FrameResult {
    this.lostReason = reason;
    this.lostAtS = atS;
    this.stalledFromS = Number.NaN;
    this.state = HUNT;
    this.run.clear();
    return LOST;
  }

  reset(): void {
    this.state = HUNT;
    this.ending = false;
    this.stalledFromS = Number.NaN;
    this.bits = 0;
    this.run.clear();
  }
}
