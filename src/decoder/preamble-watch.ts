/**
 * Stage 5a — watching for the end of a preamble at a camera's few samples per refresh.
 *
 * There every sample mixes neighbouring frames and the valleys between pulses fill in, so the
 * pulse path's hunt sometimes locks late, in the body, or not at all. The preamble is easy to see
 * as what it is: 24 bits of black/grey alternation, a signal periodic in the bit period
 * P = 2·n·slots samples (n refreshes per flash level) and anti-periodic in half of it. The sync
 * magic's first white breaks that pattern. So per sample this keeps running sums over the last
 * few bits for each candidate n, and reports where a long periodic stretch (a preamble, with a
 * swing well above the noise) has just ended: the frame-sequence stage can learn from its last
 * bits and find the magic right after them.
 *
 * O(1) per sample and no allocation: three candidates, each a handful of running sums over
 * samples still in the conditioner's history.
 */
import type { SampleHistory, SequencePlan } from './frame-sequence.js';

/** Bits in the window judged. */
const WINDOW_BITS = 8;
/** Bits a periodic stretch must last to be taken for a preamble (it has 26 zeros before the magic's first 1). */
const MIN_STRETCH_BITS = 14;
/** The window learned from ends this many bits before the break was noticed (the break lags the first white). */
const BREAK_LAG_BITS = 2;
/** Refreshes per flash level tried: 60, 30 and 20 fps flashing on a 60 Hz display. */
const MAX_REFRESHES_PER_FRAME = 3;
/** Correlation a window must show at the bit period, and below which it must be at half of it. */
const MIN_PERIODIC = 0.8;
const MAX_HALF_PERIODIC = -0.3;
/**
 * The window's standard deviation must exceed the sample noise this many times, and this fraction
 * of its mean (black/grey flashing is no ripple on a steady level).
 */
const MIN_SNR = 8;
const MIN_CONTRAST = 0.05;
/** After this many samples without a look (the stage was busy), the sums start afresh. */
const MAX_GAP = 4096;

/** Running sums of one candidate period over a sliding window. */
class Candidate {
  readonly plan: SequencePlan;
  readonly period: number;
  readonly half: number;
  readonly window: number;
  sum = 0;
  squares = 0;
  lagged = 0;
  halfLagged = 0;
  /** Samples in a row whose window looked periodic. */
  stretch = 0;

  constructor(plan: SequencePlan) {
    this.plan = plan;
    this.period = 2 * plan.refreshesPerFrame * plan.slots;
    this.half = this.period >> 1;
    this.window = WINDOW_BITS * this.period;
  }

  reset(): void {
    this.sum = this.squares = this.lagged = this.halfLagged = this.stretch = 0;
  }

  /** Normalised autocorrelations of the window at the period and half of it, and its swing. */
  periodic(noise: number): boolean {
    const n = this.window;
    const mean = this.sum / n;
    const variance = this.squares / n - mean * mean;
    if (!(variance > (MIN_SNR * noise) ** 2) || !(variance > (MIN_CONTRAST * mean) ** 2)) return false;
    const atPeriod = (this.lagged / n - mean * mean) / variance;
    const atHalf = (this.halfLagged / n - mean * mean) / variance;
    return atPeriod > MIN_PERIODIC && atHalf < MAX_HALF_PERIODIC;
  }
}

export class PreambleWatch {
  private readonly candidates: Candidate[] = [];
  /** Sums start here (a restart, or the end of the last transmission decoded). */
  private armedFrom = 0;
  /** Next sample to take in. */
  private next = 0;
  /** The preamble's last bits before the break, [from, to), and the plan its period gave. */
  from = 0;
  to = 0;
  plan: SequencePlan | null = null;

  constructor(slots: number) {
    for (let n = 1; n <= MAX_REFRESHES_PER_FRAME; n++) this.candidates.push(new Candidate({ slots, refreshesPerFrame: n }));
  }

  /** Starts afresh at `index` (a transmission was just decoded up to there). */
  rearm(index: number): void {
    this.armedFrom = this.next = index;
    for (const c of this.candidates) c.reset();
  }

  /**
   * Takes in samples up to `to` (exclusive), with sample noise `noise`; true when a preamble has
   * just ended there (then `from`, `to` and `plan` describe its last bits).
   */
  scan(history: SampleHistory, to: number, noise: number): boolean {
    if (this.next < to - MAX_GAP) this.rearm(to - MAX_GAP);
    const candidates = this.candidates;
    for (let i = this.next; i < to; i++) {
      const x = history.value(i);
      const age = i - this.armedFrom;
      for (let k = 0; k < candidates.length; k++) {
        const c = candidates[k]!;
        c.sum += x;
        c.squares += x * x;
        if (age >= c.period) c.lagged += x * history.value(i - c.period);
        if (age >= c.half) c.halfLagged += x * history.value(i - c.half);
        if (age < c.window) continue;
        // The sample leaving the window, with the products it was counted in.
        const old = i - c.window;
        const y = history.value(old);
        c.sum -= y;
        c.squares -= y * y;
        if (old - this.armedFrom >= c.period) c.lagged -= y * history.value(old - c.period);
        if (old - this.armedFrom >= c.half) c.halfLagged -= y * history.value(old - c.half);
        if (age < c.window + c.period) continue;
        if (c.periodic(noise)) {
          c.stretch++;
          continue;
        }
        const long = c.stretch >= (MIN_STRETCH_BITS - WINDOW_BITS) * c.period;
        c.stretch = 0;
        if (!long) continue;
        this.next = i + 1;
        this.to = i + 1 - BREAK_LAG_BITS * c.period;
        this.from = this.to - c.window;
        this.plan = c.plan;
        return true;
      }
    }
    this.next = to;
    return false;
  }
}
