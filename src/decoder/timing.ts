/**
 * Stage 2b — timing: segments become pulses, checked against the pulse clock.
 *
 * The segmenter cuts at valleys, and the valleys are not always where the frames are:
 *
 * - mains flicker riding on a slow LCD's decay can add a valley inside a dark gap, and deep PWM
 *   ripple one inside a bright pulse. Such a cut leaves a segment that is far too short for the
 *   clock, or dark, or that starts right after the previous pulse went dark; it is merged with
 *   its neighbour, and the pulse keeps the edge of the piece that rose most.
 * - after a white pulse a slow LCD (or a camera's blur) may still be brighter than the dim grey
 *   that follows, so no valley separates them: one segment holds two pulses and is about two
 *   periods long. It is cut half a frame after the white's run above the grey/white threshold
 *   ends (or before it starts, when the grey came first). Two periods may also be one white whose
 *   bright and dark frames were both held a refresh longer: its white run is then two frames
 *   long, and the split test checks that first; and a second part without light undoes the cut.
 *
 * This stage also values every pulse (`measureLate`). The clock is the preamble run's while
 * hunting and the learned one in sync. One pulse is held back until the next segment shows
 * whether it must be merged.
 */
import { HISTORY, type Conditioner } from './condition.js';
import { KEEP_SPAN, MAX_SEGMENT, Pulse, remeasure, smoothedAt } from './pulses.js';
import type { PwmPhaseModel } from './pwm-phase.js';

/**
 * The ring's index mask (every ring of the Conditioner is HISTORY long). A module constant, which
 * the compiler folds into the loops below; it does not fold imported bindings or `ring.length - 1`.
 */
const MASK = HISTORY - 1;
/** KEEP_SPAN and MAX_SEGMENT, module-local for the same reason. */
const KEEP = KEEP_SPAN;
const LONGEST_SEGMENT = MAX_SEGMENT;

/** What a pulse is expected to look like: its period, the valley before it, and its (grey) level. */
export interface PulseReference {
  period: number;
  floor: number;
  level: number;
  /** Smoothed height of a (grey) pulse above its valley. */
  amplitude: number;
  /** The clock is trustworthy enough to split segments by (in sync, not while hunting). */
  locked: boolean;
  /** Grey/white threshold (before white is known: what a pulse must exceed to be taken for white). */
  threshold: number;
  /** White has been seen (the sync magic), so `threshold` lies halfway between grey and white. */
  whiteKnown: boolean;
  /** Only a few samples per display frame (a camera): see FEW_SAMPLES_PER_FRAME. */
  fewSamples: boolean;
  /** While hunting: a segment rising this many samples after the pending pulse's edge is no piece of it. */
  maxGap: number;
}

/** A segment shorter than this many periods is a piece of a pulse… */
const MERGE_BELOW = 0.6;
/** …unless it is this far from the floor to grey, the next rises like a pulse, and their edges span more than TWO_PULSES periods. */
const LIT_AS_GREY = 0.65;
const TWO_PULSES = 1.4;
/** A segment below this fraction of the way from floor to grey, and rising less than it from its own valley, is no pulse. */
const DARK_BELOW = 0.5;
const HUNT_DARK_BELOW = 0.3;
/** A pulse cannot start sooner than this many frames after the previous one went dark. */
const EARLIEST_AFTER_DARK = 0.3;
/** A segment at least this many periods long may hold two pulses. */
const SPLIT_FROM = 1.75;
/** Up to this many periods, two held frames (one pulse) are possible; beyond, it is two pulses. */
const HELD_UP_TO = 2.25;
/** A white run this many frames long (and a sample more for a camera's blur) is one held white, not a white with a grey behind it. */
const HELD_WHITE_FRAMES = 1.5;

export class PulseAssembler {
  /**
   * The caller measures each segment into `segment`, then calls `push`. Pulses are handed on by
   * reference, not copied: the segment becomes the pending pulse, the pending pulse a ready one,
   * and the ready slot's old object (read by the caller already) takes the next segment. Each
   * object has one holder at a time.
   */
  segment = new Pulse();
  private pending = new Pulse();
  private hasPending = false;
  /**
   * Finished pulses of the last call, `ready[0 … count)`: valid until the next call. At most
   * four: the pending pulse and a segment with no next one in sight may each be split in two.
   */
  readonly ready: Pulse[] = [new Pulse(), new Pulse(), new Pulse(), new Pulse()];
  count = 0;
  /** Segments merged and split so far (the decoder reads and resets these per packet). */
  repairs = 0;
  /**
   * Last sample of the last released pulse still in its upper half (−Infinity after an empty
   * one). Only `continues` reads it, and only for a short piece: so it is found on first read,
   * from the ring (`brightEnd` over the pulse's range, kept below; see `keepForNext`).
   */
  private lastBrightEndValue = -Infinity;
  private brightEndDue = false;
  /** The last released pulse's range and midpoint of floor and peak, for `lastBrightEnd`. */
  private lastStart = 0;
  private lastEnd = 0;
  private lastMid = 0;
  private history: Conditioner | null = null;
  /** Values pulses of a PWM-dimmed screen once it has learned the PWM (see pwm-phase.ts). */
  private readonly pwmModel: PwmPhaseModel;

  constructor(pwmModel: PwmPhaseModel) {
    this.pwmModel = pwmModel;
  }

  /** Takes the next segment (measured into `segment`); returns how many pulses are now finished (in `ready`). */
  push(ref: PulseReference | null, history: Conditioner): number {
    this.count = 0;
    const seg = this.segment;
    const p = this.pending;
    // (Boolean fields and results are compared with `true` in this per-pulse code: a plain test
    // compiles to a test for every kind of value, as the compiler does not know they hold only
    // booleans.)
    // (A merged pulse never outgrows the longest segment: the ring must still hold all of it —
    // measured from overwritten slots, and again with every piece merged into it, it would cost
    // more the longer a stray reference kept merging.)
    if (this.hasPending === true && seg.empty !== true && ref !== null && seg.end - p.start <= LONGEST_SEGMENT && this.continues(seg, ref, history) === true) {
      this.merge(seg, history);
    } else {
      if (this.hasPending === true) this.release(ref, history);
      // The segment becomes the pending pulse; the object `release` left in `pending` takes the next segment.
      this.segment = this.pending;
      this.pending = seg;
      seg.repaired = false;
      this.hasPending = true;
      // Nothing can be merged into an empty segment or one whose successor never came.
      if (seg.empty === true || !(seg.period < Infinity)) this.release(ref, history);
    }
    this.keepForNext(history);
    return this.count;
  }

  /**
   * `seg` is a piece of the pending pulse: the pulse takes it in. It starts at whichever piece rose
   * most from its valley: the real pulse after a flicker wobble, or the first half of a pulse that
   * ripple cut in two. (Out of line: rare, and `push` runs once a segment.)
   */
  private merge(seg: Pulse, history: Conditioner): void {
    const p = this.pending;
    const end = seg.edge + seg.period;
    if (seg.peak - seg.floor > p.peak - p.floor) {
      p.edge = seg.edge;
      p.shift = seg.shift;
      p.floor = seg.floor;
    }
    p.period = end - p.edge;
    p.nextShift = seg.nextShift;
    p.end = seg.end;
    remeasure(history, p);
    p.repaired = true;
    this.repairs++;
  }

  /**
   * What the next segment's `continues` may read of the pending and the last released pulse is
   * measured lazily, from the ring: measure it now if its samples could be gone by then.
   */
  private keepForNext(history: Conditioner): void {
    if (this.hasPending === true) this.pending.keepTop(history);
    if (this.brightEndDue === true && this.lastStart < history.count - KEEP) void this.lastBrightEnd;
  }

  /** Releases the held-back pulse (end of stream). */
  flush(ref: PulseReference | null, history: Conditioner): number {
    this.count = 0;
    if (this.hasPending) this.release(ref, history);
    return this.count;
  }

  reset(): void {
    this.hasPending = false;
    this.count = 0;
    this.repairs = 0;
    this.lastBrightEndValue = -Infinity;
    this.brightEndDue = false;
  }

  private get lastBrightEnd(): number {
    if (this.brightEndDue) {
      this.brightEndDue = false;
      this.lastBrightEndValue = brightEnd(this.history!, this.lastStart, this.lastEnd, this.lastMid);
    }
    return this.lastBrightEndValue;
  }

  /**
   * Whether `seg` is a piece of the pending pulse rather than a pulse of its own. (Only the tests
   * that settle nearly every segment are here; the rare cases that need a closer look are out of
   * line, so that this stays small — and cheap — once a segment.)
   */
  private continues(seg: Pulse, ref: PulseReference, history: Conditioner): boolean {
    const p = this.pending;
    if (p.empty === true) return false;
    // Light that rises after a pause (the next transmission) is never a piece of the pulse before it.
    if (ref.locked !== true && seg.edge - p.edge > ref.maxGap) return false;
    // A piece is short by both measures: edge to edge (a dim rise may be found late) and valley
    // to valley (a valley in a flat gap may be found anywhere). False while the period is unknown.
    if (p.period < MERGE_BELOW * ref.period && p.end - p.start < MERGE_BELOW * ref.period) return this.pieceContinues(seg, ref, history);
    // A flicker wobble barely rises from its own valley. In sync that is not enough: a dim grey
    // after a white on a slow LCD rises little too, but it is as bright as grey — and it comes a
    // frame after the white went dark, where a wobble on the afterglow comes right away.
    // Rises are compared on the smoothed signal (under PWM the raw bursts stand far higher).
    // (While hunting a camera stream the run's height may come from a first pulse that rose from
    // true black, where later ones rise from a blurred valley: only a much smaller rise is a
    // wobble then.)
    const rise = (ref.locked === true || ref.fewSamples !== true ? DARK_BELOW : HUNT_DARK_BELOW) * ref.amplitude;
    if (!(seg.peak - seg.floor < rise)) return false;
    return this.wobbleContinues(seg, ref, history);
  }

  /**
   * The pending pulse is a short piece: it continues into `seg` unless the piece is nearly as
   * bright as grey and the next segment rises like a pulse, and their edges span well over a
   * period: then the piece is a dim grey after a white whose rise was found late (the slow
   * pixel's afterglow and a flicker trough hide its start). (PWM ripple cuts one pulse into
   * pieces too, but their edges span about one period.) A real grey comes a dark frame after the
   * white before it; a piece that rises right as the white fades is that white's afterglow cut by
   * flicker.
   */
  private pieceContinues(seg: Pulse, ref: PulseReference, history: Conditioner): boolean {
    const p = this.pending;
    // (Tested in turn: the piece's `top` and the last bright end are measured only when needed.)
    const twoPulses = ref.locked && !history.pwm && p.period + seg.period > TWO_PULSES * ref.period;
    if (!twoPulses) return true;
    const nextRises = seg.peak - seg.floor >= DARK_BELOW * ref.amplitude;
    if (!nextRises) return true;
    const pieceLit = p.top >= ref.floor + LIT_AS_GREY * (ref.level - ref.floor);
    const afterDark = p.edge >= this.lastBrightEnd + EARLIEST_AFTER_DARK * 0.5 * ref.period;
    return !(pieceLit && afterDark);
  }

  /** `seg` barely rises from its valley: a wobble, and so a piece of the pending pulse, unless (in sync) it is as bright as grey and comes a dark frame after it. */
  private wobbleContinues(seg: Pulse, ref: PulseReference, history: Conditioner): boolean {
    if (!ref.locked) return true;
    const p = this.pending;
    // Under PWM dimming a grey frame the sampler's beat caught on the bursts' flanks is dim too:
    // there only the timing tells (the raw samples' level says little, see measureLate).
    if (!history.pwm && seg.top < ref.floor + DARK_BELOW * (ref.level - ref.floor)) return true;
    return seg.edge < brightEnd(history, p.start, p.end, 0.5 * (p.floor + p.peak)) + EARLIEST_AFTER_DARK * 0.5 * ref.period;
  }

  private release(ref: PulseReference | null, history: Conditioner): void {
    this.hasPending = false;
    const p = this.pending;
    const ratio = ref !== null ? p.period / ref.period : 1;
    const first = this.count;
    // PWM means an OLED, whose pixels are fast: no pulse there hides another. However long the
    // segment (or with no next pulse in sight: an infinite period), it may be a white and a
    // grey: a white held through a stall of the flasher and the grey that came when it woke,
    // or a white and a grey before one. `split` tells (and a long gap after the white — missing
    // pulses, a stall — leaves its second part dark: no split).
    // (Boolean fields compared with `true`, as in measureLate: a cheaper test.)
    const splittable =
      ref !== null && ref.locked === true && p.empty !== true && history.pwm !== true && ratio >= SPLIT_FROM;
    let last = p;
    if (!splittable || !this.split(p, ref, history)) {
      // The pending pulse itself becomes ready; the ready slot's old object is the new `pending`.
      this.pending = this.ready[this.count]!;
      this.ready[this.count++] = p;
      measureLate(p, ref, history, this.pwmModel);
    } else {
      for (let k = first; k < this.count; k++) measureLate(this.ready[k]!, ref, history, this.pwmModel);
      last = this.ready[this.count - 1]!;
    }
    this.lastBrightEndValue = -Infinity;
    this.brightEndDue = last.empty !== true;
    if (this.brightEndDue) {
      this.lastStart = last.start;
      this.lastEnd = last.end;
      this.lastMid = 0.5 * (last.floor + last.peak);
      this.history = history;
    }
  }

  /** Splits a segment of two periods or more into two pulses; false when it is one held pulse (or one pulse and a gap). */
  private split(p: Pulse, ref: PulseReference, history: Conditioner): boolean {
    const frame = 0.5 * ref.period;
    const e = Math.round(p.edge);
    if (e < history.oldest || e + 2 * frame >= history.count) return false;
    measureLate(p, ref, history, this.pwmModel);
    if (!(p.late > ref.threshold)) return false;
    // A white held a refresh longer stays white for two frames; a white with a grey behind it
    // drops below the grey/white threshold after one (plus a slow pixel's fall, or a camera's
    // blur of neighbouring frames).
    // (Before the sync magic has shown white, the threshold is halfway to this pulse.)
    const level = ref.whiteKnown ? ref.threshold : 0.5 * (ref.level + p.late);
    const run = whiteRun(history, e, p.end, level);
    const blur = ref.fewSamples ? 1 : 0;
    if (p.period / ref.period < HELD_UP_TO && run.length >= HELD_WHITE_FRAMES * frame + blur) return false;
    // The grey begins a dark frame after the white: half a frame after the white run ends (the
    // run outlasts the white frame by a slow pixel's fall or a camera's blur) is inside that gap.
    // With a camera's blur a grey can also hide the white after it: then the white run starts
    // late, and the cut goes half a frame before it.
    const whiteLate = run.end - run.length - e > 0.75 * ref.period;
    const at = Math.round(whiteLate ? run.end - run.length - 0.5 * frame : run.end + 0.5 * frame);
    // Each part must have room for a frame of light, or there was only one pulse after all.
    if (at - p.start < frame || p.end - at < frame) return false;
    const a = this.ready[this.count++]!.copyFrom(p);
    a.end = at;
    a.period = at - p.edge;
    a.nextShift = 0;
    a.repaired = true;
    remeasure(history, a);
    const b = this.ready[this.count++]!.copyFrom(p);
    b.start = at;
    b.edge = at;
    b.shift = 0;
    b.period = p.edge + p.period - at;
    b.floor = smoothedAt(history, at);
    b.repaired = true;
    remeasure(history, b);
    // Both parts must hold light. A dark second part: the white and its gap were both held. A
    // dark first part before a white found late: the light only wobbled in the gap before it
    // (room-light flicker through a long pause of the flasher), and no grey hid there.
    const dark = ref.floor + DARK_BELOW * (ref.level - ref.floor);
    measureLate(b, ref, history, this.pwmModel);
    if (whiteLate) measureLate(a, ref, history, this.pwmModel);
    if (b.late < dark || (whiteLate && a.late < dark)) {
      this.count -= 2;
      return false;
    }
    this.repairs++;
    return true;
  }
}

/** Below this many samples per display frame (a camera), a pulse is valued by its brightest sample. */
export const FEW_SAMPLES_PER_FRAME = 4.5;
/** The same, for this module's hot code: the compiler folds a module-local constant, not an exported one. */
const FEW_SAMPLES = FEW_SAMPLES_PER_FRAME;
/** Window of the first frame, as fractions of a frame after its start, that `late` reads. */
const LATE_FROM = 0.25;
const LATE_TO = 1;

/**
 * Sets `p.late`: the level of the pulse's first frame, read as the mean of its largest quarter of
 * samples (after the frame's first quarter: a slow pixel approaches its level from below).
 * Under PWM dimming, the largest tenth of the whole bright part: the bursts' peaks, not their
 * average (which depends on how the sampler happens to hit them), scale with the level — unless
 * they clip at the ADC's top, where only the PWM template's censored fit still measures the level.
 */
function measureLate(p: Pulse, ref: PulseReference | null, history: Conditioner, model: PwmPhaseModel): void {
  // Without a clock (or a window in the ring) the pulse's bright part stands in: `p.top`.
  // (Boolean fields are compared with `true`: a plain test of a field compiles to a test for
  // every kind of value, as the compiler does not know the field holds only booleans.)
  if (ref === null || p.empty === true || !(p.edge === p.edge) || !(ref.period > 0)) {
    p.late = p.top;
    return;
  }
  const pwm = history.pwm === true;
  if (pwm && model.active) {
    // The PWM's phase is known: the burst template fitted to the pulse's lit samples. It errs
    // where the sampler's jitter moves samples along steep flanks, the bursts' peaks where the
    // beat hides them; the mean of the two is steadier than either.
    const v = model.value(history, p, ref.floor);
    if (v === v && model.clipped > 0) {
      // Clipped bursts: their peaks read full scale whatever the light, and only the
      // template's censored fit still tells a white from a grey.
      p.late = v;
      return;
    }
    if (v === v) {
      p.late = 0.5 * (v + topShare(history, p.start, p.end, 0.5 * (p.floor + p.peak), PWM_PEAK_SHARE));
      return;
    }
  }
  if (pwm) {
    // A PWM-dimmed OLED has no afterglow to avoid, and the more bursts the better: read the
    // whole bright part of the pulse.
    p.late = topShare(history, p.start, p.end, 0.5 * (p.floor + p.peak), PWM_PEAK_SHARE);
    return;
  }
  const frame = 0.5 * ref.period;
  if (frame < FEW_SAMPLES) {
    // A camera's few samples per frame each mix light of neighbouring frames; the pulse's
    // brightest sample is the one that saw most of its frame.
    p.late = maxOf(history, p.start, p.end);
    return;
  }
  // The edge is where the boxcar first rose a little above the valley: where the raw rise began.
  // But mains flicker in a long (held) gap can lift the light a little early, and the window
  // would then read the gap: the pulse cannot have begun much before its rise crossed halfway.
  const oldest = history.oldest;
  // Usually the light stands halfway up a quarter frame after the edge: the half rise is then no
  // later, the edge stands, and the walk to the half rise is not needed. (`probe`: the last sample
  // whose quarter frame before it lies at or before the edge, as the subtraction below rounds.)
  const lead = LATE_FROM * frame;
  let probe = Math.floor(p.edge + lead);
  if (probe - lead > p.edge) probe--;
  const edge = standsHalfway(history, p, probe, oldest) ? p.edge : Math.max(p.edge, halfRise(history, p, oldest) - lead);
  const from = Math.max(p.start, Math.round(edge + LATE_FROM * frame));
  const to = Math.min(p.end, Math.max(from + 1, Math.round(edge + LATE_TO * frame)));
  if (from < oldest || to > history.count || to <= from) {
    p.late = p.top;
    return;
  }
  p.late = settledTop(history, from, to);
}

/** Share of a settled frame's samples that `late` averages: the top quarter. */
const SETTLED_SHARE = 0.25;
/**
 * Share of a PWM-dimmed pulse's bright samples that `late` averages. At 1 kHz a 240–480 Hz PWM
 * beats with the sampler, and at 20–40 % on-time only about one sample in ten lands on a burst's
 * top; the rest fall on its flanks, so a wider share reads the beat phase as well as the level.
 */
const PWM_PEAK_SHARE = 0.1;
/** Scratch for `topShare` (a pulse window is at most this many samples long). */
const TOP_SCRATCH_SIZE = 256;
const TOP_SCRATCH = new Float64Array(TOP_SCRATCH_SIZE);

/**
 * Mean of the largest `share` (by count, at least one) of the samples in [from, to) — only those
 * where the smoothed signal stands at or above `brightFrom`, if that is finite: the level a slow pixel
 * settles at, or the peaks of the PWM bursts the sampler caught. Steadier than the single
 * largest sample, and blind to the dips in between. (At most the first 1024 samples count.)
 */
function topShare(history: Conditioner, from: number, to: number, brightFrom: number, share: number): number {
  const values = history.values;
  const smooth = history.smooth;
  const mask = values.length - 1;
  const filtered = brightFrom > -Infinity;
  const lag = (history.width - 1) >> 1;
  const last = history.count - 1;
  const end = Math.min(to, from + 4 * TOP_SCRATCH_SIZE);
  let n = end - from;
  if (filtered) {
    n = 0;
    for (let i = from; i < end; i++) if (smooth[Math.min(i + lag, last) & mask]! >= brightFrom) n++;
    if (n === 0) return Math.max(values[from & mask]!, values[(to - 1) & mask]!);
  }
  const k = Math.max(1, Math.floor(n * share));
  const top = TOP_SCRATCH;
  let size = 0;
  // Keep the k largest in ascending order by insertion: windows are short.
  for (let i = from; i < end; i++) {
    if (filtered && smooth[Math.min(i + lag, last) & mask]! < brightFrom) continue;
    const x = values[i & mask]!;
    if (size < k) {
      let j = size++;
      while (j > 0 && top[j - 1]! > x) {
        top[j] = top[j - 1]!;
        j--;
      }
      top[j] = x;
    } else if (x > top[0]!) {
      let j = 0;
      while (j + 1 < k && top[j + 1]! < x) {
        top[j] = top[j + 1]!;
        j++;
      }
      top[j] = x;
    }
  }
  let sum = 0;
  for (let j = 0; j < size; j++) sum += top[j]!;
  return sum / size;
}

/**
 * `topShare(history, from, to, -Infinity, SETTLED_SHARE)`, the value of nearly every pulse: a
 * frame at the usual rates holds 12–15 samples, whose largest quarter is the three largest. Those
 * are kept in registers rather than sorted into scratch (the same sum, smallest first).
 * (Its bytecode stays just under the compiler's limit for inlining a function, 460 bytes: out of
 * line, it cost `measureLate` a call and a boxed result per pulse.)
 */
function settledTop(history: Conditioner, from: number, to: number): number {
  // (As `Math.floor((to - from) * SETTLED_SHARE) !== 3`, in plain comparisons: less bytecode.)
  const n = to - from;
  if (!(n >= 12 && n < 16)) return topShare(history, from, to, -Infinity, SETTLED_SHARE);
  const values = history.values;
  // The three largest so far, a ≤ b ≤ c (the first three samples replace the −Infinity). Each
  // sample taken in goes where it belongs among them, pushing the smaller ones down.
  let a = -Infinity;
  let b = -Infinity;
  let c = -Infinity;
  // The window holds 12 to 15 samples (its top quarter is three): the first twelve four a turn,
  // in order, with no test of the window's end (the ring's checks are paid once a turn), then
  // the rest one by one. (Spelled out per sample: a helper that is not inlined would box them.
  // Each loop has its own index: one shared by both was kept as a double.)
  const twelve = from + 12;
  for (let i = from; i < twelve; i += 4) {
    const w = values[i & MASK]!;
    const x = values[(i + 1) & MASK]!;
    const y = values[(i + 2) & MASK]!;
    const z = values[(i + 3) & MASK]!;
    if (w > a) {
      if (w > b) {
        a = b;
        if (w > c) {
          b = c;
          c = w;
        } else b = w;
      } else a = w;
    }
    if (x > a) {
      if (x > b) {
        a = b;
        if (x > c) {
          b = c;
          c = x;
        } else b = x;
      } else a = x;
    }
    if (y > a) {
      if (y > b) {
        a = b;
        if (y > c) {
          b = c;
          c = y;
        } else b = y;
      } else a = y;
    }
    if (z > a) {
      if (z > b) {
        a = b;
        if (z > c) {
          b = c;
          c = z;
        } else b = z;
      } else a = z;
    }
  }
  for (let i = twelve; i < to; i++) {
    const x = values[i & MASK]!;
    if (x > a) {
      if (x > b) {
        a = b;
        if (x > c) {
          b = c;
          c = x;
        } else b = x;
      } else a = x;
    }
  }
  return (0 + a + b + c) / 3; // (summed from 0, as the scratch's sum is)
}

/** Last sample of a pulse's [start, end) whose smoothed light is still at or above `mid`, the midpoint of its floor and peak (its start if none). */
function brightEnd(history: Conditioner, start: number, end: number, mid: number): number {
  const from = Math.max(start, history.oldest);
  // As `smoothedAt(history, i) >= mid` for each i, walking back, with the ring read directly.
  const smooth = history.smooth;
  const lag = (history.width - 1) >> 1;
  const last = history.count - 1;
  for (let i = end - 1; i > from; i--) {
    const at = i + lag;
    if (smooth[(at < last ? at : last) & MASK]! >= mid) return i;
  }
  return start;
}

/**
 * First sample of `p` whose smoothed light stands halfway from its valley to its peak (−Infinity
 * if none). `oldest`: the history's `oldest`, as the caller read it.
 */
function halfRise(history: Conditioner, p: Pulse, oldest: number): number {
  const half = 0.5 * (p.floor + p.peak);
  const from = Math.max(p.start, oldest);
  const end = p.end;
  // As `smoothedAt(history, i) >= half` for each i, with the ring read directly: the smoothed
  // light centred on i is smooth[i + lag] while that exists, and the newest smoothed value after.
  // The walk is split there, so the usual loop has no clamp.
  const smooth = history.smooth;
  const lag = (history.width - 1) >> 1;
  const last = history.count - 1;
  const centred = Math.min(end, last - lag);
  let i = from;
  for (; i < centred; i++) if (smooth[(i + lag) & MASK]! >= half) return i;
  if (i < end && smooth[last & MASK]! >= half) return i;
  return -Infinity;
}

/** Whether the smoothed light centred on sample `i` of `p` stands halfway from its valley to its peak, as `halfRise` judges it (false where that would need the newest smoothed value). */
function standsHalfway(history: Conditioner, p: Pulse, i: number, oldest: number): boolean {
  const lag = (history.width - 1) >> 1;
  const from = Math.max(p.start, oldest);
  const centred = Math.min(p.end, history.count - 1 - lag);
  return i >= from && i < centred && history.smooth[(i + lag) & MASK]! >= 0.5 * (p.floor + p.peak);
}

/** Largest raw sample over [from, to). */
function maxOf(history: Conditioner, from: number, to: number): number {
  let max = -Infinity;
  for (let i = from; i < to; i++) max = Math.max(max, history.value(i));
  return max;
}

/** From the first sample at or above `level` in [from, to) until the smoothed signal drops below it. */
function whiteRun(history: Conditioner, from: number, to: number, level: number): { length: number; end: number } {
  let i = from;
  while (i < to && smoothedAt(history, i) < level) i++;
  const start = i;
  while (i < to && smoothedAt(history, i) >= level) i++;
  return { length: i - start, end: i };
}
