/**
 * Stage 5b — frame-sequence estimation, for a camera's one to four samples per display refresh.
 *
 * A camera sample integrates light over its exposure, and a rolling shutter spreads the patch's
 * rows over time while the display writes its rows over a refresh: every sample is a weighted mix
 * of the few refreshes around it, and a slow LCD adds the afterglow of the refresh before. Pulses
 * then no longer stand apart, but the mix is linear and its weights change only with the slowly
 * drifting phase between the two clocks. So instead of cutting pulses, this stage estimates the
 * sequence of display levels itself:
 *
 * - the time axis is the display's refresh grid, assumed 60 Hz and `slots` camera samples long
 *   (a slot is a sample's place in its refresh); a flash level lasts `refreshesPerFrame`
 *   refreshes, or one more when the display held it (levels are delayed, never skipped);
 * - a sample in slot q of refresh m is predicted as c[q] + Σk g[q][k]·light(x[m+1−k]), k = 0…3:
 *   the refresh after it (a late row or a long exposure reaches into it), its own and two before.
 *   light(black) = 0, light(white) = 1, light(grey) = γ, plus a small learned correction for each
 *   change of level (a slow LCD's unequal rise and fall). The weights are learned (normalised LMS
 *   on decided levels), so the phase, exposure, shutter and pixel response never need modelling,
 *   and clock drift is followed as the weights move;
 * - a Viterbi search over refreshes, whose states are the last four refresh levels, how long the
 *   newest level has lasted and how far into the known preamble and sync magic the sequence is,
 *   keeps only sequences the line code allows (dark and bright frames alternate, a frame lasts n
 *   or n + 1 refreshes) and scores each sample by its squared error;
 * - the model is first fitted to the preamble (grey only); once the sync magic's three whites
 *   are decided, the model is refitted by least squares on every sample of the sync (whose levels
 *   are then known) and the search runs again from the preamble with it: no body bit is handed
 *   over before (a white dimmer than expected is found by its fitted light, as the framer finds
 *   the magic's first white). If the same frames read as preamble greys fit as well, the whites
 *   were greys: the search runs again for a magic after them;
 * - decisions are taken `DELAY` refreshes late, when the survivors have merged. A bit's soft value
 *   compares the decided sequence with the same sequence with that frame's grey and white swapped:
 *   +1 when the samples sit on the decided prediction, 0 halfway — the slicer's scale, so repair
 *   works on these bits as on any other;
 * - a frame the camera dropped keeps its place on the grid but is no observation: it adds
 *   nothing to any path's score, teaches the model nothing and weighs in no soft bit.
 *
 * Everything is preallocated from the plan (a ring of backpointers `DELAY` refreshes deep); per
 * sample the work is a few hundred multiply-adds (81 level histories, about a hundred states).
 */
import { HISTORY } from './condition.js';
import { NormalEquations } from './least-squares.js';

/** Where the samples are: the conditioner's history (the last HISTORY samples by absolute index). */
export interface SampleHistory {
  value(index: number): number;
}

/** The history of camera frames, where a frame the camera dropped is marked. */
export interface FrameHistory extends SampleHistory {
  /** A camera frame that was missing: its value is only interpolated, and no observation. */
  missing(index: number): boolean;
  /** A camera frame kept as an exact copy of the one before (a still picture, a frozen recording): a reading, but no fresh look. */
  copied(index: number): boolean;
}

/** Display levels as the line code numbers them. */
const BLACK = 0;
const GREY = 1;
const WHITE = 2;
/** Refresh rate assumed for the display (nearly every phone and monitor), Hz. */
export const REFRESH_HZ = 60;
/** Refreshes a sample's prediction reads: the next, its own, and two before (a third before gained nothing in the sweeps). */
const TAPS = 4;
const HISTORIES = 3 ** TAPS;
/** Most camera samples per refresh handled here (240 fps on 60 Hz), and most refreshes per flash level. */
const MAX_SLOTS = 4;
const MAX_REFRESHES_PER_FRAME = 3;
/** How far a sample rate may sit from a whole number of samples per refresh. */
const RATE_TOLERANCE = 0.01;
/** How far the measured flash frame may sit from a whole number of refreshes. */
const FRAME_TOLERANCE = 0.35;
/** A level is held one refresh longer with about this probability (CHANNEL.md: 0–5 %, up to 25 %). */
const HOLD_PROBABILITY = 0.05;
/** Refreshes between the newest sample and a decision: long enough for the survivors to merge. */
const DELAY = 24;
/** Decision delay while learning from the preamble (it is short, and its pattern simple). */
const TRAINING_DELAY = 6;
const TRAINING_PASSES = 3;
/** LMS step sizes (normalised) while training and while decoding. */
const TRAINING_STEP = 0.3;
const STEP = 0.05;
/** Step sizes of the changing refreshes' corrections, in the body and while in sync (slow: they are small). */
const PAIR_STEP = 0.005;
const SYNC_PAIR_STEP = 0.02;
/** Steps while the known preamble and magic are decided (they teach white fast). */
const SYNC_STEP = 0.2;
/** Step size of the grey level γ, in the body and while in sync. */
const GREY_STEP = 0.02;
const SYNC_GREY_STEP = 0.1;
/**
 * Starting guess of γ, grey light / white light: #9f's 0.35, the darkest grey in use (#bf ≈ 0.52,
 * and a camera's mixing of rows raises the ratio further). White is then expected bright, so a
 * dimmer white is first taken for grey — until `WHITE_RATIO` finds it (see `discoverWhite`).
 */
const GREY_GUESS = 0.35;
/** Rates at which the noise variance and the recent fit are followed, per sample. */
const NOISE_RATE = 0.01;
const FIT_RATE = 0.1;
/** The signal has gone (the transmission ended or the screen left the view) when the recent fit is this much worse than the noise. */
const LOST_FIT = 50;
/** A preamble frame this many times brighter than grey is the magic's first white (as in framer.ts). */
const WHITE_RATIO = 1.35;
/** White frames in the sync magic: once this many are decided, white is known well enough to decode. */
const MAGIC_WHITES = 3;
/** A replay reads the samples again from the start: they must still be in the conditioner's history. */
const MAX_REPLAY = HISTORY >> 1;
/** Bits decided after a preamble locked before the sync magic must have ended. */
const MAX_SYNC_BITS = 48;
/**
 * Beyond the decided level, the soft value falls by this much per unit of fit: to 0 where the
 * samples stand as far beyond it as the other level stands on the near side (grey read as dark
 * as black is below it, for a #bf grey).
 */
const BEYOND_SLOPE = 0.5;
/** The most a bright frame the camera never saw afresh counts for: in doubt (the repair's 0.25). */
const UNSEEN_LIMIT = 0.2;
/**
 * How much better the decided magic's whites must explain the sync than the same frames read as
 * preamble greys (ratio of mean squared residuals). Genuine magics score 3–10⁴ across the camera
 * tiers, whites found among preamble greys 0–1.1.
 */
const MAGIC_EVIDENCE = 2;
/** Magics rejected before the stage gives up on a transmission (each costs a replay of the sync). */
const MAX_REJECTIONS = 8;
/** Rounds of the alternating least-squares refit on the sync (each solves the weights, then the corrections). */
const REFIT_ROUNDS = 6;
/** Unknowns of the refit: the nine changing-refresh corrections, or one slot's offset and weights. */
const REFIT_UNKNOWNS = 9;

/** How a stream maps onto the refresh grid. */
export interface SequencePlan {
  /** Camera samples per display refresh (1–4). */
  readonly slots: number;
  /** Refreshes per flash level without holds (1 at 60 fps on 60 Hz, 2 at 30 fps, 3 at 20 fps). */
  readonly refreshesPerFrame: number;
}

/**
 * The plan for a stream of `sampleRate` samples per second whose bits (a dark and a bright frame)
 * are `bitPeriod` samples long, or null when the samples do not fall on a 60 Hz refresh grid.
 */
export function planSequence(sampleRate: number, bitPeriod: number): SequencePlan | null {
  const slots = slotsPerRefresh(sampleRate);
  if (slots === 0) return null;
  const refreshes = (0.5 * bitPeriod) / slots;
  const n = Math.round(refreshes);
  if (n < 1 || n > MAX_REFRESHES_PER_FRAME || Math.abs(refreshes - n) > FRAME_TOLERANCE) return null;
  return { slots, refreshesPerFrame: n };
}

/** Samples per 60 Hz refresh when a sample rate puts a whole number (1–4) of them in each, else 0. */
export function slotsPerRefresh(sampleRate: number): number {
  const perRefresh = sampleRate / REFRESH_HZ;
  const slots = Math.round(perRefresh);
  return slots >= 1 && slots <= MAX_SLOTS && Math.abs(perRefresh - slots) <= RATE_TOLERANCE * slots ? slots : 0;
}

/** Where decided bits go. Return false to stop the stage. */
export interface SequenceSink {
  /** One bit: its soft value (slicer scale) and the first and last sample of its bright frame. */
  onBit(soft: number, first: number, last: number): boolean;
}

/** What the pulse path has learned when the preamble locks: the valley and grey pulse values, input units. */
export interface SequenceStart {
  readonly floor: number;
  readonly grey: number;
}

/**
 * Where a state stands in the transmission's known start: the preamble's zeros, the sync magic's
 * tail after its first 1 (1 0 1 0 1 0: positions 1–5 have seen that many of its bits), the last
 * magic bit, then the body. Bits are known until the body, so the search cannot misplace the
 * magic's whites, and the body's first bit is where the path says the magic ended.
 */
const PREAMBLE = 0;
const MAGIC_DONE = 6;
const BODY = 7;
const POSITIONS = 8;
/** The magic's tail: the bit each position expects next (position 0 may also stay in the preamble). */
const MAGIC_NEXT = [1, 0, 1, 0, 1, 0] as const;
/** −log prior of the magic starting at a given bright frame: a lone bright frame must look white to start it. */
const MAGIC_START_COST = Math.log(20);

/** The trellis of one plan: states, allowed transitions and their costs. */
class Trellis {
  /** Per state: code of its four refresh levels (newest first, base 3), the newest level's length, its position. */
  readonly history: Uint8Array;
  readonly run: Uint8Array;
  readonly position: Uint8Array;
  readonly size: number;
  /** Transitions: from, to, cost (−log probability); `white` marks a switch to white, `magicStart` the magic's first white. */
  readonly from: Int16Array;
  readonly to: Int16Array;
  readonly cost: Float64Array;
  readonly white: Uint8Array;
  readonly magicStart: Uint8Array;

  constructor(n: number) {
    // Enumerate the recurrent states: start anywhere plausible, then keep applying transitions
    // until the set stops changing (states that only a wrong start could reach drop out).
    const key = (h: number, r: number, p: number): number => (h * 8 + r) * POSITIONS + p;
    const next = (h: number, r: number, p: number, out: number[][]): void => {
      const newest = h % 3;
      const shifted = (h * 3) % HISTORIES;
      if (r < n + 1) out.push([shifted + newest, r + 1, p, r < n ? 0 : -Math.log(HOLD_PROBABILITY), 0]);
      if (r < n) return;
      const stay = r === n ? -Math.log(1 - HOLD_PROBABILITY) : 0;
      if (newest !== BLACK) {
        out.push([shifted + BLACK, 1, p, stay, 0]);
        return;
      }
      // A bright frame: a bit, as the position allows.
      if (p === PREAMBLE) {
        out.push([shifted + GREY, 1, PREAMBLE, stay, 0]);
        out.push([shifted + WHITE, 1, 1, stay + MAGIC_START_COST, 1]);
      } else if (p < MAGIC_DONE) {
        const bit = MAGIC_NEXT[p]!;
        out.push([shifted + (bit ? WHITE : GREY), 1, p + 1, stay, bit]);
      } else {
        out.push([shifted + GREY, 1, BODY, stay, 0]);
        out.push([shifted + WHITE, 1, BODY, stay, 1]);
      }
    };
    let set = new Set<number>();
    for (let h = 0; h < HISTORIES; h++) for (let r = 1; r <= n + 1; r++) for (let p = 0; p < POSITIONS; p++) set.add(key(h, r, p));
    const decode = (k: number): [number, number, number] => [Math.floor(k / (8 * POSITIONS)), Math.floor(k / POSITIONS) % 8, k % POSITIONS];
    for (let pass = 0; pass < 2 * TAPS * (n + 1); pass++) {
      const image = new Set<number>();
      const out: number[][] = [];
      for (const k of set) next(...decode(k), out);
      for (const [h, r, p] of out) image.add(key(h!, r!, p!));
      const stable = image.size === set.size;
      set = image;
      if (stable) break;
    }
    // A search starts in the preamble; later positions are reached from it.
    const keys = [...set].sort((a, b) => a - b);
    const index = new Map(keys.map((k, i) => [k, i]));
    this.size = keys.length;
    this.history = Uint8Array.from(keys, (k) => decode(k)[0]);
    this.run = Uint8Array.from(keys, (k) => decode(k)[1]);
    this.position = Uint8Array.from(keys, (k) => decode(k)[2]);
    const edges: number[][] = [];
    for (const k of keys) {
      const out: number[][] = [];
      next(...decode(k), out);
      for (const [h, r, p, c, w] of out) {
        const to = index.get(key(h!, r!, p!));
        if (to !== undefined) edges.push([index.get(k)!, to, c!, w!]);
      }
    }
    this.from = Int16Array.from(edges, (e) => e[0]!);
    this.to = Int16Array.from(edges, (e) => e[1]!);
    this.cost = Float64Array.from(edges, (e) => e[2]!);
    this.white = Uint8Array.from(edges, (e) => e[3]!);
    this.magicStart = Uint8Array.from(edges, (e) => (this.position[e[0]!] === PREAMBLE && this.position[e[1]!] === 1 ? 1 : 0));
  }
}

/** A copy of the model's parameters (to try a fit on other labels and go back). */
class ModelState {
  readonly offset = new Float64Array(MAX_SLOTS);
  readonly weight = new Float64Array(MAX_SLOTS * TAPS);
  readonly transition = new Float64Array(9);
  grey = 0;
  noise = 0;
}

/** A history code with every white level read as grey. */
function greyed(code: number): number {
  let out = 0;
  for (let k = TAPS - 1; k >= 0; k--) {
    const level = levelAt(code, k);
    out = out * 3 + (level === WHITE ? GREY : level);
  }
  return out;
}

/** Level of refresh `k` back (0 = newest) in a history code. */
function levelAt(history: number, k: number): number {
  return Math.floor(history / 3 ** k) % 3;
}

export class FrameSequenceDecoder {
  readonly plan: SequencePlan;
  private readonly trellis: Trellis;
  private readonly slots: number;
  /** Model: per slot an offset and TAPS weights; γ the light of grey. */
  private readonly offset = new Float64Array(MAX_SLOTS);
  private readonly weight = new Float64Array(MAX_SLOTS * TAPS);
  private grey = GREY_GUESS;
  /**
   * Per (level before, level) pair: what a refresh's light differs from its level's (negative:
   * a slow pixel still rising; positive: still glowing from the level before). An LCD rises and
   * falls at different speeds, which no weighting of fixed levels can say. 0 for a level held;
   * the oldest tap reads levels plain.
   */
  private readonly transition = new Float64Array(9);
  private noise = 0;
  private fit = 0;
  /** Per history code: its TAPS light values (recomputed when γ moves) and the current slot's prediction. */
  private readonly light = new Float64Array(HISTORIES * TAPS);
  private readonly prediction = new Float64Array(HISTORIES);
  /** Scratch: the light of each tap's refresh for the sample being learned from. */
  private readonly regressors = new Float64Array(TAPS);
  /** Path metrics (current and scratch), backpointers per refresh step (a ring). */
  private metric: Float64Array;
  private scratch: Float64Array;
  private readonly back: Int16Array;
  private readonly depth: number;
  /** The decided path of one traceback: states of steps d … d + delay. */
  private readonly path: Int16Array;
  /** Levels of refreshes d − TAPS + 2 … d + delay + 1 along that path. */
  private readonly levels: Uint8Array;
  /** First sample of refresh 0, next sample to run, refresh steps taken, samples into the refresh. */
  private origin = 0;
  private next = 0;
  private step = 0;
  private slot = 0;
  /** Steps already decided (decisions are made in order). */
  private decided = 0;
  private delay = DELAY;
  private learnRate = STEP;
  private allowWhite = true;
  /** First sample the search runs from; whether it has been rerun once the magic was learned, or is about to be. */
  private start = 0;
  private replayNow = false;
  /** White frames decided so far, and whether enough have taught the model (no body bit leaves before). */
  private whitesLearned = 0;
  private taught = false;
  /** White has been seen (decided, or discovered in a frame taken for grey). */
  private whiteSeen = false;
  /** Bright frames decided before the body (the search gives up after MAX_SYNC_BITS). */
  private brightBeforeBody = 0;
  /** Step of the state that started the magic on the current pass, and the first step a magic may start at (after one rejected). */
  private magicStep = 0;
  private firstMagicStep = 0;
  /** Magics rejected so far (see `refitSync`). */
  private rejections = 0;
  /** The model no longer explains the signal (set while running; the caller ends the packet). */
  lost = false;
  /** Per refresh step since the search's start: the decided history code (the sync's known levels, for `refitSync`). */
  private readonly decidedCodes = new Uint8Array(MAX_REPLAY + DELAY + TAPS);
  /** The same with whites read as grey (the hypothesis that the magic was not there), and a saved model. */
  private readonly greyCodes = new Uint8Array(MAX_REPLAY + DELAY + TAPS);
  private readonly saved = new ModelState();
  /** The model fitted to the sync read as preamble greys: the search's model after a rejected magic. */
  private readonly greyModel = new ModelState();
  /** Sample noise the preamble left (a floor for the refit's residual: the sync is too short to measure it). */
  private trainedNoise = 0;
  /** Scratch of the refit: its normal equations, unknowns and regressors. */
  private readonly equations = new NormalEquations(REFIT_UNKNOWNS);
  private readonly unknowns = new Float64Array(REFIT_UNKNOWNS);
  private readonly row = new Float64Array(REFIT_UNKNOWNS);

  constructor(plan: SequencePlan) {
    this.plan = plan;
    this.slots = plan.slots;
    this.trellis = new Trellis(plan.refreshesPerFrame);
    const s = this.trellis.size;
    this.metric = new Float64Array(s);
    this.scratch = new Float64Array(s);
    this.depth = DELAY + 2;
    this.back = new Int16Array(this.depth * s);
    this.path = new Int16Array(DELAY + 1);
    this.levels = new Uint8Array(DELAY + TAPS);
  }

  /**
   * Learns the model from the preamble samples [from, to) (grey pulses only) and restarts at
   * `from`, ready for `run`. `start` gives the pulse path's floor and grey as a first guess.
   */
  begin(history: FrameHistory, from: number, to: number, start: SequenceStart): void {
    // A first guess the preamble then refines: the valley as the offset, and grey as far above it
    // as the pulse path saw.
    const black = start.floor;
    const amplitude = Math.max(start.grey - start.floor, 1e-9);
    for (let q = 0; q < this.slots; q++) {
      this.offset[q] = black;
      for (let k = 0; k < TAPS; k++) this.weight[q * TAPS + k] = k === 1 ? amplitude / GREY_GUESS : 0;
    }
    this.grey = GREY_GUESS;
    this.transition.fill(0);
    this.noise = (0.1 * amplitude) ** 2;
    this.updateLight();
    this.start = from;
    this.replayNow = this.whiteSeen = this.taught = false;
    this.whitesLearned = 0;
    for (let pass = 0; pass < TRAINING_PASSES; pass++) {
      this.restart(from, TRAINING_DELAY, TRAINING_STEP, false);
      this.run(history, to, null);
    }
    this.trainedNoise = this.noise;
    this.firstMagicStep = this.rejections = 0;
    this.restart(from, DELAY, STEP, true);
  }

  private restart(from: number, delay: number, rate: number, allowWhite: boolean): void {
    this.origin = this.next = from;
    this.step = this.slot = this.decided = 0;
    this.delay = delay;
    this.learnRate = rate;
    this.allowWhite = allowWhite;
    const t = this.trellis;
    for (let k = 0; k < t.size; k++) this.metric[k] = t.position[k] === PREAMBLE ? 0 : Infinity;
    this.brightBeforeBody = 0;
    this.fit = this.noise;
    this.lost = false;
  }

  /** Runs samples up to `to` (exclusive), handing decided bits to `sink` (null: learn only). */
  run(history: FrameHistory, to: number, sink: SequenceSink | null): void {
    const slots = this.slots;
    while (this.next < to) {
      if (this.slot === 0 && this.step > 0 && this.atRefreshStart(history, sink)) {
        if (!this.replayNow) return;
        this.replayNow = false;
        this.restart(this.start, DELAY, STEP, true);
      }
      if (!history.missing(this.next)) this.observe(history.value(this.next), this.slot);
      this.next++;
      if (++this.slot === slots) {
        this.slot = 0;
        this.step++;
      }
    }
  }

  /** End of stream: decides the remaining steps from the best final state. */
  finish(history: FrameHistory, sink: SequenceSink): void {
    if (this.step === 0 && this.slot === 0) return;
    const last = this.slot === 0 ? this.step - 1 : this.step;
    const best = this.best();
    // Trace back to the first undecided step, then decide forwards.
    const count = last - this.decided;
    if (count < 0 || count > this.delay) return;
    this.trace(best, last, count);
    for (let k = 0; k <= count; k++) {
      if (!this.decide(history, this.decided, k, sink, last)) return;
      this.decided++;
    }
  }

  /** At the start of a refresh: decide the step `delay` back, then extend the trellis by a refresh. */
  private atRefreshStart(history: FrameHistory, sink: SequenceSink | null): boolean {
    const last = this.step - 1;
    const d = last - this.delay;
    if (d >= this.decided) {
      this.trace(this.best(), last, this.delay);
      const stop = !this.decide(history, d, 0, sink, last);
      this.decided = d + 1;
      if (stop) return true;
    }
    this.extend();
    return false;
  }

  /** Viterbi add-compare-select into the next refresh; metrics renormalised to a minimum of 0. */
  private extend(): void {
    const t = this.trellis;
    const old = this.metric;
    const now = this.scratch;
    now.fill(Infinity);
    const back = this.back;
    const row = (this.step % this.depth) * t.size;
    const allowWhite = this.allowWhite;
    const magicAllowed = this.step >= this.firstMagicStep;
    for (let e = 0; e < t.from.length; e++) {
      if (!allowWhite && t.white[e] === 1) continue;
      if (!magicAllowed && t.magicStart[e] === 1) continue;
      const from = t.from[e]!;
      const m = old[from]! + t.cost[e]!;
      const to = t.to[e]!;
      if (m < now[to]!) {
        now[to] = m;
        back[row + to] = from;
      }
    }
    let min = Infinity;
    for (let s = 0; s < t.size; s++) if (now[s]! < min) min = now[s]!;
    for (let s = 0; s < t.size; s++) now[s] = now[s]! - min;
    this.metric = now;
    this.scratch = old;
  }

  /** Adds one sample's squared error (in noise units) to every state. */
  private observe(y: number, q: number): void {
    const t = this.trellis;
    const pred = this.prediction;
    const w = this.weight;
    const base = q * TAPS;
    const c = this.offset[q]!;
    const light = this.light;
    for (let h = 0; h < HISTORIES; h++) {
      const l = h * TAPS;
      let sum = c;
      for (let k = 0; k < TAPS; k++) sum += w[base + k]! * light[l + k]!;
      pred[h] = sum;
    }
    const scale = 0.5 / this.noise;
    const metric = this.metric;
    for (let s = 0; s < t.size; s++) {
      const e = y - pred[t.history[s]!]!;
      metric[s] = metric[s]! + e * e * scale;
    }
  }

  private best(): number {
    const metric = this.metric;
    let best = 0;
    for (let s = 1; s < metric.length; s++) if (metric[s]! < metric[best]!) best = s;
    return best;
  }

  /** Traces back `count` steps from `state` at step `last`: path[0 … count] = states of steps last − count … last. */
  private trace(state: number, last: number, count: number): void {
    const t = this.trellis;
    let s = state;
    this.path[count] = s;
    for (let k = count; k > 0; k--) {
      s = this.back[((last - count + k) % this.depth) * t.size + s]!;
      this.path[k - 1] = s;
    }
    // Refresh levels along the path: the first state's four, then each later state's newest.
    const first = t.history[this.path[0]!]!;
    for (let k = 0; k < TAPS; k++) this.levels[k] = levelAt(first, TAPS - 1 - k);
    for (let k = 1; k <= count; k++) this.levels[TAPS - 1 + k] = t.history[this.path[k]!]! % 3;
  }

  /**
   * The decision for step `d` (path index `k`; the path runs to step `last`): learn from its
   * samples, and if a bright frame starts in the refresh after it, hand over its bit.
   * Returns false when the sink wants to stop.
   */
  private decide(history: FrameHistory, d: number, k: number, sink: SequenceSink | null, last: number): boolean {
    const t = this.trellis;
    const state = this.path[k]!;
    if (d < this.decidedCodes.length) this.decidedCodes[d] = t.history[state]!;
    this.learn(history, d, t.history[state]!, this.taught && t.position[state] === BODY);
    if (this.lost || sink === null) return !this.lost;
    const newest = t.history[state]! % 3;
    if (t.run[state] !== 1 || newest === BLACK) return true;
    if (t.position[state] === PREAMBLE && !this.whiteSeen && this.discoverWhite(history, d + 1, k + TAPS - 1, k + (last - d) + TAPS - 1)) {
      this.replayNow = true;
      return false;
    }
    if (t.position[state] !== PREAMBLE) this.whiteSeen = true;
    if (t.position[state] === 1) this.magicStep = d;
    if (newest === WHITE && ++this.whitesLearned === MAGIC_WHITES && !this.taught) {
      // White is known now (the magic's, or failing that the body's first): decode again from
      // the preamble with it, unless the start has left the history meanwhile. If the whites
      // turn out to be greys, search again for a magic after the one found.
      this.taught = true;
      if (this.next - this.start < MAX_REPLAY) {
        this.replayNow = this.refitSync(history, d + 1) || this.rejectMagic();
        this.lost = !this.replayNow;
        return false;
      }
    }
    if (t.position[state] !== BODY || !this.taught) {
      // Still before the body: a search that never finds the sync magic gives up.
      if (++this.brightBeforeBody > MAX_SYNC_BITS) this.lost = true;
      return !this.lost;
    }
    // The bright frame: refreshes d + 1 … d + len along the path (levels index j ↔ refresh d − TAPS + 2 + j − k).
    const at = k + TAPS - 1; // index of refresh d + 1 in `levels`
    const end = k + (last - d) + TAPS - 1; // last index filled
    let len = 1;
    while (at + len <= end && len <= this.plan.refreshesPerFrame && this.levels[at + len] === newest) len++;
    const soft = this.softBit(history, d + 1, at, len, end, newest);
    const first = this.origin + (d + 1) * this.slots;
    return sink.onBit(soft, first, first + len * this.slots - 1);
  }

  /**
   * Soft value of the bright frame of `len` refreshes starting at refresh `r` (index `at` in
   * `levels`): how much better the samples it touches fit the decided level than the other
   * bright level, in units of the difference the swap makes (1 = on the decided prediction).
   * Samples beyond the decided level, away from the other, fit it less and less: a bright frame
   * the camera saw dark (a frame the screen or the recording lost) is no sure grey, though it is
   * further from white than grey is — such frames, 128 bits apart, once passed the CRC together.
   */
  private softBit(history: FrameHistory, r: number, at: number, len: number, end: number, level: number): number {
    const other = level === WHITE ? GREY : WHITE;
    let better = 0;
    let scale = 0;
    let own = 0;
    this.eachSampleReading(history, r, at, len, end, (i, q, j, m) => {
      if (m >= r && m < r + len && !history.copied(i)) own++;
      const y = history.value(i);
      const a = this.predict(q, j, m, r, 0, BLACK);
      const b = this.predict(q, j, m, r, len, other);
      const ea = y - a;
      const eb = y - b;
      better += eb * eb - ea * ea;
      scale += (a - b) * (a - b);
    });
    const fit = scale > 0 ? better / scale : 0;
    const read = fit <= 1 ? Math.max(0, fit) : Math.max(0, 1 - (fit - 1) * BEYOND_SLOPE);
    // A frame none of whose own samples the camera saw afresh (it dropped them, or the recording
    // froze on an earlier frame) was only glimpsed in its neighbours' edges: a hint, never sure —
    // in doubt, for the repair to weigh. (Read as sure, such bits went wrong in twos that the CRC
    // cannot see.)
    const magnitude = own > 0 ? read : Math.min(read, UNSEEN_LIMIT);
    return level === WHITE ? magnitude : -magnitude;
  }

  /**
   * Whether the preamble frame starting at refresh `r` (index `at` in `levels`, filled to `end`)
   * taken for grey is really much brighter: the sync magic's first white, dimmer than the
   * model's white. Its light is fitted by least squares with everything else as decided; if it
   * is `WHITE_RATIO` times grey or more, white is rescaled to it (grey predictions unchanged).
   */
  private discoverWhite(history: FrameHistory, r: number, at: number, end: number): boolean {
    const lv = this.levels;
    let len = 1;
    while (at + len <= end && len <= this.plan.refreshesPerFrame && lv[at + len] === GREY) len++;
    let ru = 0;
    let uu = 0;
    this.eachSampleReading(history, r, at, len, end, (i, q, j, m) => {
      // The frame's light at 0, and the weight its light has in this sample.
      const rest = this.predict(q, j, m, r, len, BLACK);
      const u = this.predict(q, j, m, r, len, WHITE) - rest;
      ru += (history.value(i) - rest) * u;
      uu += u * u;
    });
    if (!(uu > 0)) return false;
    const light = ru / uu; // in units of the model's white
    if (!(light > WHITE_RATIO * this.grey && light < 1)) return false;
    const w = this.weight;
    for (let k = 0; k < this.slots * TAPS; k++) w[k] = w[k]! * light;
    this.grey /= light;
    for (let k = 0; k < 9; k++) this.transition[k] = this.transition[k]! / light;
    this.updateLight();
    this.whiteSeen = true;
    return true;
  }

  /**
   * Visits every sample observed so far that reads the frame shown on refreshes [r, r + len) (index
   * `at` in `levels`, filled to `end`): the samples of refreshes r − 1 … r + len + TAPS − 3 (one
   * tap after the frame, the rest before), with their slot `q`, refresh `m` and the index `j` of
   * that refresh in `levels`.
   */
  private eachSampleReading(
    history: FrameHistory,
    r: number,
    at: number,
    len: number,
    end: number,
    visit: (i: number, q: number, j: number, m: number) => void,
  ): void {
    for (let m = r - 1; m <= r + len + TAPS - 3; m++) {
      const j = at + (m - r);
      if (j - (TAPS - 2) < 0 || j + 1 > end) continue;
      for (let q = 0; q < this.slots; q++) {
        const i = this.origin + m * this.slots + q;
        if (i < this.next && !history.missing(i)) visit(i, q, j, m);
      }
    }
  }

  /**
   * Prediction for a sample in slot `q` of refresh `m`, whose own refresh is `levels[j]`: the
   * levels along the decided path, except that refreshes [r, r + len) show `swapTo`.
   */
  private predict(q: number, j: number, m: number, r: number, len: number, swapTo: number): number {
    const w = this.weight;
    const b = q * TAPS;
    let sum = this.offset[q]!;
    for (let k = 0; k < TAPS; k++) {
      const refresh = m + 1 - k;
      const level = refresh >= r && refresh < r + len ? swapTo : this.levels[j + 1 - k]!;
      if (k === TAPS - 1) {
        sum += w[b + k]! * this.lightOf(level);
        continue;
      }
      const before = refresh - 1 >= r && refresh - 1 < r + len ? swapTo : this.levels[j - k]!;
      sum += w[b + k]! * this.pairLight(before, level);
    }
    return sum;
  }

  private lightOf(level: number): number {
    return level === WHITE ? 1 : level === GREY ? this.grey : 0;
  }

  /** Light of a refresh showing `level` after one showing `before`: a slow pixel is still on its way. */
  private pairLight(before: number, level: number): number {
    return this.lightOf(level) + this.transition[before * 3 + level]!;
  }

  /**
   * Normalised LMS on the samples of refresh `d`, whose decided levels are `code`; noise and fit
   * follow the errors. Until the body (of a taught model) the steps are large: the bits are known,
   * and white must be learned fast. A bad fit in the body ends it.
   */
  private learn(history: FrameHistory, d: number, code: number, inBody: boolean): void {
    const x = this.regressors;
    let norm = 1;
    let white = false;
    for (let k = 0; k < TAPS; k++) {
      x[k] = k === TAPS - 1 ? this.lightOf(levelAt(code, k)) : this.pairLight(levelAt(code, k + 1), levelAt(code, k));
      norm += x[k]! * x[k]!;
      if (x[k] === 1) white = true;
    }
    const w = this.weight;
    for (let q = 0; q < this.slots; q++) {
      const i = this.origin + d * this.slots + q;
      if (history.missing(i)) continue;
      const y = history.value(i);
      const b = q * TAPS;
      let pred = this.offset[q]!;
      for (let k = 0; k < TAPS; k++) pred += w[b + k]! * x[k]!;
      const e = y - pred;
      const mu = ((inBody ? this.learnRate : SYNC_STEP) * e) / norm;
      this.offset[q] = this.offset[q]! + mu;
      for (let k = 0; k < TAPS; k++) w[b + k] = w[b + k]! + mu * x[k]!;
      // The corrections of the refreshes that changed level.
      let ww = 1e-12;
      for (let k = 0; k < TAPS; k++) ww += w[b + k]! * w[b + k]!;
      const step = ((inBody ? PAIR_STEP : SYNC_PAIR_STEP) * e) / ww;
      for (let k = 0; k < TAPS - 1; k++) {
        const before = levelAt(code, k + 1);
        const level = levelAt(code, k);
        if (before !== level) this.transition[before * 3 + level] = this.transition[before * 3 + level]! + step * w[b + k]!;
      }
      // γ (only where white is seen too: grey alone cannot tell γ from the weights): how much of
      // the prediction is grey light, against the white amplitude of this slot.
      if (this.allowWhite && white) {
        let greyWeight = 0;
        let amplitude = 0;
        for (let k = 0; k < TAPS; k++) {
          if (levelAt(code, k) === GREY) greyWeight += w[b + k]!;
          amplitude += w[b + k]!;
        }
        if (greyWeight !== 0 && amplitude > 0) {
          const rate = inBody ? GREY_STEP : SYNC_GREY_STEP;
          this.grey = Math.min(0.9, Math.max(0.1, this.grey + (rate * e * greyWeight) / (amplitude * amplitude)));
        }
      }
      const e2 = e * e;
      this.noise += NOISE_RATE * (e2 - this.noise);
      this.fit += FIT_RATE * (e2 - this.fit);
      if (inBody && this.fit > LOST_FIT * this.noise) this.lost = true;
    }
    this.updateLight();
  }

  /**
   * Refits the model by least squares on the first `steps` decided refreshes, whose levels the
   * sync makes known. The preamble alone cannot teach the model: a black there always follows a
   * grey, so a slow LCD's afterglow is indistinguishable from a higher black, and the step-by-step
   * learning puts it into the offset. The magic's whites separate the two, but three of them move
   * a gradient learner too little; a fit on all the sync's samples at once settles it. The model
   * is bilinear (weights × light of the levels), so the fit alternates: the offsets and weights of
   * each slot with the lights fixed, then the changing-refresh corrections with the weights fixed,
   * each damped towards the values it starts from. γ stays as learned: a bright frame always
   * follows a black one, so where it appears its light and its rise correction are one number, and
   * γ alone shows only in the oldest tap and in held greys — too weakly for a fit on a short sync
   * (it would trade γ against the correction and drift far off).
   *
   * The known structure also tests the search's find: the same frames are fitted as if every
   * white were a preamble grey. Whites that are really greys fit no better than that (anything
   * the preamble model could not explain, a held black on a slow LCD say, can make the search
   * take greys for the magic); true whites fit far better. Returns whether the decided magic
   * explains the sync `MAGIC_EVIDENCE` times better.
   */
  private refitSync(history: SampleHistory, steps: number): boolean {
    const n = Math.min(steps, this.decidedCodes.length);
    if (n <= TAPS) return true;
    // The same refreshes with every white read as grey: what the preamble alone would look like.
    for (let d = 0; d < n; d++) this.greyCodes[d] = greyed(this.decidedCodes[d]!);
    this.saveModel(this.saved);
    const asGrey = this.fitTo(history, this.greyCodes, n);
    this.saveModel(this.greyModel);
    this.restoreModel(this.saved);
    const asDecided = this.fitTo(history, this.decidedCodes, n);
    this.noise = Math.max(this.trainedNoise, asDecided);
    return asGrey >= MAGIC_EVIDENCE * asDecided;
  }

  /**
   * The magic found was preamble greys (see `refitSync`): the search runs again from the
   * preamble, the magic starting no earlier than after that one, with the model fitted to the
   * sync read as greys — the best model of the preamble so far, since it has seen whatever made
   * the search take greys for whites (a held black, say, showing how far below the preamble's
   * blacks a slow LCD's true black lies). False after `MAX_REJECTIONS`: the signal is not a
   * transmission this stage can follow.
   */
  private rejectMagic(): boolean {
    if (++this.rejections > MAX_REJECTIONS) return false;
    this.restoreModel(this.greyModel);
    this.firstMagicStep = this.magicStep + 1;
    this.taught = this.whiteSeen = false;
    this.whitesLearned = 0;
    return true;
  }

  /** Least-squares fit of the model to the first `n` refreshes labelled `codes`; returns the mean squared residual. */
  private fitTo(history: SampleHistory, codes: Uint8Array, n: number): number {
    for (let round = 0; round < REFIT_ROUNDS; round++) {
      this.refitWeights(history, codes, n);
      this.refitCorrections(history, codes, n);
    }
    let sum = 0;
    for (let d = 0; d < n; d++) {
      const code = codes[d]!;
      for (let q = 0; q < this.slots; q++) {
        const e = history.value(this.origin + d * this.slots + q) - this.predictCode(q, code);
        sum += e * e;
      }
    }
    return sum / (n * this.slots);
  }

  private saveModel(into: ModelState): void {
    into.offset.set(this.offset);
    into.weight.set(this.weight);
    into.transition.set(this.transition);
    into.grey = this.grey;
    into.noise = this.noise;
  }

  private restoreModel(from: ModelState): void {
    this.offset.set(from.offset);
    this.weight.set(from.weight);
    this.transition.set(from.transition);
    this.grey = from.grey;
    this.noise = from.noise;
    this.updateLight();
  }

  /** Least-squares offset and tap weights of each slot, the lights of the levels fixed. */
  private refitWeights(history: SampleHistory, codes: Uint8Array, n: number): void {
    const eq = this.equations;
    const a = this.row;
    const x = this.unknowns;
    const light = this.light;
    for (let q = 0; q < this.slots; q++) {
      eq.reset(1 + TAPS);
      for (let d = 0; d < n; d++) {
        const l = codes[d]! * TAPS;
        a[0] = 1;
        for (let k = 0; k < TAPS; k++) a[1 + k] = light[l + k]!;
        eq.add(a, history.value(this.origin + d * this.slots + q));
      }
      x[0] = this.offset[q]!;
      for (let k = 0; k < TAPS; k++) x[1 + k] = this.weight[q * TAPS + k]!;
      if (!eq.solveInto(x)) continue;
      this.offset[q] = x[0]!;
      for (let k = 0; k < TAPS; k++) this.weight[q * TAPS + k] = x[1 + k]!;
    }
  }

  /** Least-squares changing-refresh corrections, everything else fixed. */
  private refitCorrections(history: SampleHistory, codes: Uint8Array, n: number): void {
    const eq = this.equations;
    const a = this.row;
    const x = this.unknowns;
    eq.reset(9);
    for (let d = 0; d < n; d++) {
      const code = codes[d]!;
      for (let q = 0; q < this.slots; q++) {
        // What the sample says about the corrections once the offset and the levels' plain light are taken out.
        let y = history.value(this.origin + d * this.slots + q) - this.offset[q]!;
        a.fill(0);
        for (let k = 0; k < TAPS; k++) {
          const w = this.weight[q * TAPS + k]!;
          const level = levelAt(code, k);
          y -= w * this.lightOf(level);
          const before = k < TAPS - 1 ? levelAt(code, k + 1) : level;
          if (before !== level) a[before * 3 + level] = a[before * 3 + level]! + w;
        }
        eq.add(a, y);
      }
    }
    x.set(this.transition);
    if (!eq.solveInto(x)) return;
    this.transition.set(x.subarray(0, 9));
    this.updateLight();
  }

  /** The model's prediction for a sample in slot `q` whose refreshes' levels are `code`. */
  private predictCode(q: number, code: number): number {
    let sum = this.offset[q]!;
    for (let k = 0; k < TAPS; k++) sum += this.weight[q * TAPS + k]! * this.light[code * TAPS + k]!;
    return sum;
  }

  private updateLight(): void {
    const light = this.light;
    for (let h = 0; h < HISTORIES; h++) {
      for (let k = 0; k < TAPS; k++) light[h * TAPS + k] = k === TAPS - 1 ? this.lightOf(levelAt(h, k)) : this.pairLight(levelAt(h, k + 1), levelAt(h, k));
    }
  }
}
