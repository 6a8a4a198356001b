/**
 * Stage 3b — sudden steps of the light. A shadow falls on the screen, or the hand jerks the phone
 * closer: from one pulse on, all the light above black is scaled by one factor — the valleys
 * between pulses too, which the level tracker's floor follows only slowly, so heights are
 * measured from black, the darkest the light was around the preamble. Level tracking
 * (levels.ts) follows drift, not this: after a step of −30 % a white reads nearer grey than
 * white, and decisions made with the old levels pull the levels the wrong way before they pull
 * them the right one. The bits read meanwhile are lost, and one wrong bit fails the CRC.
 *
 * So the framer shows a `LightStepWatch` every body pulse whose soft value strays from ±1. Where
 * several of the last pulses lie far from both levels, it looks for one factor that puts every
 * recent pulse on grey or on white — both levels among them, so that a run of one bit cannot be
 * read as the other level scaled. If one fits them all, closely, and no factor near 1 does, the
 * light stepped: the framer takes its levels to the step and decides the bits read since it
 * again (framer.ts).
 *
 * Not at a camera's few samples per frame (the framer does not ask), whose mixed frames scatter
 * pulse values too much for one factor to say anything. Under PWM dimming, where values scatter
 * too (they beat with the sampler), the usual miss raises the bar (SCATTERS).
 */
import type { LevelTracker } from './levels.js';

/** Recent pulses looked at: off-level ones among them, and the longest run one factor may fit. */
const WINDOW = 8;
/** A pulse this share (or more) of a level's height away from both grey and white is off them. */
const OFF_LEVEL = 0.15;
/**
 * Soft values (±1 on the levels) this far from ±1 may be off-level: what the framer shows the
 * watch. A soft unit is half the grey/white gap, so a miss of OFF_LEVEL is 0.3 / (r − 1) soft
 * units from grey and 0.3 r / (r − 1) from white, where r is white's height over grey's: with
 * #bf's r of 1.9, 0.33 and 0.63; with #9f's 2.9, 0.16 and 0.46 (a camera's or gamma's lower
 * ratios, more). Every off-level pulse is shown, and few others.
 */
export const STRAY_SOFT = 0.15;
/** Off-level pulses among the last WINDOW before a step is looked for. */
const MIN_OFF = 3;
/** Fewest pulses since the step that may pin its factor down. */
const MIN_FIT = 4;
/**
 * Where pulses miss their levels by less than this share on average, one pulse fewer of each
 * (MIN_OFF, MIN_FIT) will do: a clean signal shows a step sooner, before a step of 40 % costs a
 * pulse the timing stage cannot see (in typical captures stepped × 0.6, 55 → 58 of 100 decode;
 * flicker 56 → 64), and noisy ones, where three pulses fit a factor by chance, still ask four.
 */
const QUIET_SCATTER = 0.02;
/** After the step every fitted pulse must lie within this share of its level's height. */
const FIT = 0.08;
/** Factors this near 1 are drift, which the level tracker follows: no step. */
const MIN_STEP = 0.15;
/**
 * Factors outside these are no step to follow: by half the light, a grey rises too little from
 * its valley to pass for a pulse at all (timing.ts), and bits are lost, not misread.
 */
const LEAST_GAIN = 0.4;
const MOST_GAIN = 2.5;
/**
 * Noise scatters pulse values, and among many scattered pulses one factor now and then fits a
 * few (in typical captures with 150 LSB of noise, one in four). So a pulse is off-level only
 * beyond this many times the pulses' usual miss from their level, and a step must be as large.
 */
const SCATTERS = 6;
/** Pulses before an off-level one over which the usual miss is measured. */
const SCATTER_SPAN = 32;
/** Fewer pulses than this to measure it from (the body's first), the preamble greys' say it. */
const MIN_SCATTER_SPAN = 8;
/** Pulses before an off-level one whose values say where grey and white were before it. */
const CALM_SPAN = 16;

export class LightStepWatch {
  /** First bit a fit may reach back to (the body's first, or the first after a step or a hole). */
  private since = 0;
  /** The scatter of the preamble's greys, as a share of grey's height (see `begin`). */
  private preambleScatter = 0;
  /** Bits of the recent off-level pulses, ring-indexed by `offCount`; the last of them (−∞: none lately). */
  private readonly offBits = new Int32Array(WINDOW);
  private offCount = 0;
  private lastOff = Number.NEGATIVE_INFINITY;
  /**
   * Grey and white above black as they were before the first of the recent off-level pulses:
   * after a step the tracker pulls them toward the misread pulses (whites read as greys raise
   * grey; the first was tracked before the watch saw it), so a step is measured against the
   * levels before it, as the pulses before it show them. And the usual miss then.
   */
  private calmGrey = Number.NaN;
  private calmWhite = Number.NaN;
  private scatter = 0;
  /** What the last `note` that found a step found: the levels after it (above black), and over how many bits (the last included). */
  grey = Number.NaN;
  white = Number.NaN;
  span = 0;

  /**
   * Fits start at bit `since` (a body begins, or bits before it were erased); `preambleScatter`:
   * the preamble greys' mean miss from grey, as a share of grey's height above black.
   */
  begin(since: number, preambleScatter = this.preambleScatter): void {
    this.since = since;
    this.preambleScatter = preambleScatter > 0 ? preambleScatter : 0;
    this.lastOff = Number.NEGATIVE_INFINITY;
  }

  /**
   * Body bit `bit`, of pulse value `values[bit]`, strays from the levels (its soft value is more
   * than STRAY_SOFT from ±1); `values[since … bit − 1]` are the values of the bits before it.
   * Returns true when it and the few before it show the light stepped: `grey`, `white` and `span`
   * then say to what levels and over how many bits, and the watch starts afresh.
   */
  note(values: Float64Array, bit: number, levels: LevelTracker): boolean {
    const black = levels.black;
    if (bit - this.lastOff > WINDOW) this.calm(values, bit, black, levels.grey - black, levels.white - black);
    const calmGrey = this.calmGrey;
    const calmWhite = this.calmWhite;
    if (!(calmGrey > 0 && calmWhite > calmGrey)) return false;
    if (!(missOf(values[bit]! - black, levels.grey - black, levels.white - black) > Math.max(OFF_LEVEL, SCATTERS * this.scatter))) return false;
    this.lastOff = bit;
    this.offBits[this.offCount++ & (WINDOW - 1)] = bit;
    let recent = 0;
    for (let k = 0; k < WINDOW && k < this.offCount; k++) if (bit - this.offBits[k]! < WINDOW) recent++;
    const quiet = this.scatter < QUIET_SCATTER;
    if (recent < (quiet ? MIN_OFF - 1 : MIN_OFF)) return false;
    // The longest run of recent pulses one factor fits: the step lies before its first.
    for (let span = Math.min(bit - this.since + 1, WINDOW), least = quiet ? MIN_FIT - 1 : MIN_FIT; span >= least; span--) {
      const gain = this.fit(values, bit - span + 1, bit + 1, black);
      if (gain > 0) {
        this.grey = gain * calmGrey;
        this.white = gain * calmWhite;
        this.span = span;
        this.begin(bit + 1);
        return true;
      }
    }
    return false;
  }

  /**
   * No pulse strayed lately: the calm levels are the mean grey and white of the bits just before
   * `bit` (or, short of two of each, the tracked `grey` and `white` above `black`), and the usual
   * miss is that of the bits before `bit`.
   */
  private calm(values: Float64Array, bit: number, black: number, grey: number, white: number): void {
    this.offCount = 0;
    let greys = 0;
    let greySum = 0;
    let whites = 0;
    let whiteSum = 0;
    const mid = 0.5 * (grey + white);
    for (let k = Math.max(this.since, bit - CALM_SPAN); k < bit; k++) {
      const h = values[k]! - black;
      if (!(missOf(h, grey, white) <= OFF_LEVEL)) continue;
      if (h > mid) {
        whites++;
        whiteSum += h;
      } else {
        greys++;
        greySum += h;
      }
    }
    if (greys >= 2 && whites >= 2) {
      grey = greySum / greys;
      white = whiteSum / whites;
    }
    this.calmGrey = grey;
    this.calmWhite = white;
    const from = Math.max(this.since, bit - SCATTER_SPAN);
    if (bit - from < MIN_SCATTER_SPAN) {
      this.scatter = this.preambleScatter;
      return;
    }
    // Off-level pulses (a glitch, a slow pixel's afterglow) are left out: the miss of the rest.
    let sum = 0;
    let n = 0;
    for (let k = from; k < bit; k++) {
      const miss = missOf(values[k]! - black, grey, white);
      if (miss <= OFF_LEVEL) {
        sum += miss;
        n++;
      }
    }
    this.scatter = n > 0 ? sum / n : this.preambleScatter;
  }

  /**
   * The factor that puts each of the bits [from, to) on the calm grey or white, both levels among
   * them, every pulse within FIT — or 0 if there is none, or it is too near 1 to be a step.
   */
  private fit(values: Float64Array, from: number, to: number, black: number): number {
    const grey = this.calmGrey;
    const white = this.calmWhite;
    // Each pulse, read as either level, proposes a factor; the proposal that fits worst-case
    // best is kept, then refined by least squares over the levels it assigns.
    let best = 0;
    let bestWorst = FIT;
    for (let k = from; k < to; k++) {
      for (let asWhite = 0; asWhite < 2; asWhite++) {
        const gain = (values[k]! - black) / (asWhite === 0 ? grey : white);
        if (!(gain > 0)) continue;
        const worst = worstMiss(values, from, to, black, gain * grey, gain * white);
        if (worst < bestWorst) {
          bestWorst = worst;
          best = gain;
        }
      }
    }
    if (best === 0) return 0;
    // Least squares: gain = Σ h·level / Σ level² over the levels the best proposal assigns.
    let hl = 0;
    let ll = 0;
    let whites = 0;
    const mid = 0.5 * best * (grey + white);
    for (let k = from; k < to; k++) {
      const h = values[k]! - black;
      const level = h > mid ? white : grey;
      if (h > mid) whites++;
      hl += h * level;
      ll += level * level;
    }
    const gain = hl / ll;
    if (whites === 0 || whites === to - from) return 0;
    const step = Math.abs(gain - 1);
    if (step < MIN_STEP || step < SCATTERS * this.scatter || !(gain > LEAST_GAIN && gain < MOST_GAIN)) return 0;
    return worstMiss(values, from, to, black, gain * grey, gain * white) < FIT ? gain : 0;
  }
}

/** The miss of height `h` from the nearer of `grey` and `white` (heights), as a share of that level's height. */
function missOf(h: number, grey: number, white: number): number {
  return Math.min(Math.abs(h - grey) / grey, Math.abs(h - white) / white);
}

/** The largest miss of the values [from, to) above `black` from the nearer of `grey` and `white`. */
function worstMiss(values: Float64Array, from: number, to: number, black: number, grey: number, white: number): number {
  let worst = 0;
  for (let k = from; k < to; k++) {
    const miss = missOf(values[k]! - black, grey, white);
    if (!(miss <= worst)) worst = miss;
  }
  return worst;
}
