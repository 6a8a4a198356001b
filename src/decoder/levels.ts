/**
 * Stage 3 — level tracking. What black, grey and white look like is never assumed: the preamble
 * (24 grey pulses) teaches black and grey, the sync magic's three white pulses teach white, and
 * every decided bit afterwards nudges its level, so slow drift (auto-brightness, a moving hand)
 * is followed. The grey level is learned, not assumed: #bf is ≈ 52 % of white's light, the 2014
 * flasher's #9f ≈ 35 %, and a camera sees other ratios again.
 *
 * Two kinds of value are tracked: `grey`/`white` are pulse values (`Pulse.late`, see timing.ts),
 * `floor` is the smoothed valley between pulses, and `amplitude` the smoothed height of a grey
 * pulse above its valley — the timing stage's yardstick for what is a pulse at all.
 */
import type { Pulse } from './pulses.js';
import { FEW_SAMPLES_PER_FRAME } from './timing.js';

/** How fast levels follow the data: weight of each new pulse (≈ 1/20: a time constant of 20 pulses). */
const TRACK_RATE = 0.05;
/**
 * How fast grey and white follow on a photodiode without PWM dimming (a time constant of about
 * 8 pulses): light that drifts by 30 % a second (a hand moving the phone) outran the slower pace.
 * Not at a camera's few samples per frame (FEW_SAMPLES_PER_FRAME), whose frame mixing scatters
 * pulse values more, nor under PWM, whose values beat with the sampler.
 */
const LEVEL_RATE = 0.12;
/** Samples per bit below which a camera's few samples per frame keep the slower pace (a module constant: the compiler folds it). */
const LEVEL_RATE_MIN_PERIOD = 2 * FEW_SAMPLES_PER_FRAME;
/**
 * A decided pulse moves the other level too (see `track`) only if its value lies this share of
 * the grey/white gap beyond their midpoint — PWM beating with the sampler, a slow pixel's
 * afterglow, put values near the threshold — …
 */
const SURE_SHARE = 0.35;
/**
 * …and only while grey stands this share of white's height above the floor: where a camera's
 * blur fills the gaps nearly to grey, grey's small height says nothing of the gain.
 */
const MIN_GREY_SHARE = 0.2;
/**
 * With relative noise (PWM dimming), where the threshold lies between grey and white, as a share
 * of their log ratio above the floor (½ would be their geometric mean). The errors are lopsided:
 * a pulse value is read from the bursts' peaks the sampler caught, and a white whose frame the
 * beat sampled on the bursts' flanks reads low — down to halfway — while a grey cannot read above
 * the tops of its own bursts. In simulated hard-tier PWM captures (seeds 230000–230199, outside
 * the benchmark's) 99.5 % of the greys lay below 0.17 of the way and 0.5 % of the whites below
 * 0.69 at 60 fps; at 120 fps, where a frame holds fewer bursts, 0.25 and 0.51. Between 0.33 and
 * 0.38 of the way misdecided the fewest pulses (at 120 fps 17 of 7654, the geometric mean 24).
 */
export const PWM_THRESHOLD_SHARE = 0.35;
/**
 * A decided pulse moves its level as if it lay no farther from it than this share of the
 * grey/white gap, or OUTLIER_SPREADS times the pulses' usual miss if that is more (see `track`).
 * On a panel that steps its light over three refreshes, whites after a held white read up to
 * twice the grey/white gap above the others; unclipped they pulled white, and grey with it, until
 * the ordinary whites read grey (30 fps: 59 of 100 typical captures decoded; 75 clipped at 1.25,
 * 83 at 0.75). Drift of half the light a second misses by as much, but on every pulse: the usual
 * miss grows with it and the clip gives way. A step of the light up by 60 % is followed sooner
 * unclipped, before light-step.ts has seen it: 0.75 lost 1–2 such captures in 100 of each tier,
 * 1.25 one in two tiers.
 */
const OUTLIER_SHARE = 1.25;
const OUTLIER_SPREADS = 4;
/**
 * Moving grey with white keeps their ratio, so a ratio gone wrong stayed wrong: after light that
 * doubled in a second, grey settled a tenth of the gap too high and white a third too low, for
 * good. Each level therefore also keeps the mean of its own pulses' misses (each clipped to
 * MISS_LIMIT of the gap, so that outliers do not steer it), and when it is moved with the other
 * level it takes this share of that mean as well: the ratio heals, and under drift, where both
 * lag the same way, both catch up (drift study at 50 %/s: typical 85 → 88, slowlcd 53 → 59).
 */
const MISS_PULL = 0.3;
const MISS_LIMIT = 0.25;

export class LevelTracker {
  /** Pulse value of grey and white (NaN until learned). */
  grey = Number.NaN;
  white = Number.NaN;
  /** Smoothed valley between pulses (black, or above it with slow pixels or a camera's blur). */
  floor = Number.NaN;
  /** Black: the darkest the light was around the preamble (for the report; NaN until learned). */
  black = Number.NaN;
  /** Smoothed height of a grey pulse above its valley. */
  amplitude = Number.NaN;
  /** Samples from one rising edge to the next, without held frames. */
  period = Number.NaN;
  /** Sample noise rms (kept here by the decoder so the framer can judge pulse heights). */
  noise = 0;
  /**
   * The pulse values' errors grow with the level (as under PWM dimming, where the sampler's
   * jitter on the bursts' flanks and the template's errors scale with the light): grey and
   * white are then compared by ratio, and the threshold is their geometric mean above the floor.
   */
  relativeNoise = false;
  /** The light comes in PWM bursts (the conditioner's finding, set by the decoder once a piece). */
  pwm = false;
  /** Smoothed distance of decided pulses from their level, as a share of the grey/white gap. */
  missShare = 0;
  /** Mean signed miss of the pulses decided grey, and white (value − level, clipped; see MISS_PULL). */
  greyMiss = 0;
  whiteMiss = 0;

  /** Learned from a preamble run: mean grey value, valley, smoothed amplitude and typical period. */
  learnPreamble(grey: number, floor: number, amplitude: number, period: number): void {
    this.grey = grey;
    this.floor = floor;
    this.amplitude = amplitude;
    this.period = period;
    this.white = Number.NaN;
    this.black = floor;
    this.missShare = this.greyMiss = this.whiteMiss = 0;
  }

  /** Grey-relative height of a pulse value: 0 at the floor, 1 at grey. */
  ratio(value: number): number {
    return (value - this.floor) / (this.grey - this.floor);
  }

  /** The first white pulse of the sync magic. */
  learnWhite(value: number): void {
    this.white = value;
  }

  /**
   * Between grey and white: above it a pulse is a 1. Midway; with relative noise, by ratio above
   * the floor and PWM_THRESHOLD_SHARE of the way from grey to white.
   */
  get threshold(): number {
    // The usual case kept small, for the compiler to inline: a number returned from a call that
    // is not inlined is boxed (once a pulse).
    return this.relativeNoise ? this.relativeThreshold() : 0.5 * (this.grey + this.white);
  }

  /**
   * Stores `threshold` in `ref.threshold`, for per-pulse callers whose compiler may run out of
   * inlining budget: a number stored by a call that is not inlined stays unboxed, where one
   * returned by a call that is not inlined comes back boxed (a heap number every pulse). So this
   * spells out the getter's usual case rather than call it.
   */
  storeThreshold(ref: { threshold: number }): void {
    ref.threshold = this.relativeNoise ? this.relativeThreshold() : 0.5 * (this.grey + this.white);
  }

  private relativeThreshold(): number {
    if (this.grey > this.floor && this.white > this.grey) {
      const grey = this.grey - this.floor;
      return this.floor + grey * Math.pow((this.white - this.floor) / grey, PWM_THRESHOLD_SHARE);
    }
    return 0.5 * (this.grey + this.white);
  }

  /** Half the grey/white gap: the distance from either level to the threshold. */
  get halfGap(): number {
    return 0.5 * (this.white - this.grey);
  }

  /**
   * After a decision on pulse `p` (`bit`): move the decided level, the floor and (if `clock`: its
   * period is a measurement) the period a little toward what was seen. Handed the pulse, not its
   * numbers: numbers passed to a call that is not inlined are boxed (four a pulse).
   */
  track(bit: number, p: Pulse, clock: boolean): void {
    // A pulse far off its level, where the others lie close to theirs, is an outlier (a white
    // after a held white on a panel that steps its light), not drift, which moves every pulse,
    // nor a step of the light, which light-step.ts follows: it moves its level only so far.
    const gap = this.white - this.grey;
    const level = bit ? this.white : this.grey;
    const reach = gap * Math.max(OUTLIER_SHARE, OUTLIER_SPREADS * this.missShare);
    const value = gap > 0 ? Math.min(level + reach, Math.max(level - reach, p.late)) : p.late;
    if (gap > 0) this.missShare += TRACK_RATE * (Math.abs(value - level) / gap - this.missShare);
    const floor = p.floor;
    const amplitude = p.peak - p.floor;
    // (`=== true`: a plain test of an argument compiles to a test for every kind of value.)
    const period = clock === true ? p.period : Number.NaN;
    // Drift (auto-brightness, a moving hand) scales all the screen's light above the floor at
    // once: the level not seen moves by the same factor as the one seen, so both follow however
    // long a run of one bit (before, a drift of 30 % a second lost a third of the captures). Not under
    // PWM dimming, whose pulse values beat with the sampler: one level's error would move both.
    const floorNow = this.floor;
    const rate = this.pwm !== true && this.period >= LEVEL_RATE_MIN_PERIOD ? LEVEL_RATE : TRACK_RATE;
    const shared =
      this.pwm !== true &&
      this.grey - floorNow > MIN_GREY_SHARE * (this.white - floorNow) &&
      Math.abs(value - 0.5 * (this.grey + this.white)) > SURE_SHARE * (this.white - this.grey);
    const limit = MISS_LIMIT * gap;
    const miss = gap > 0 ? Math.min(limit, Math.max(-limit, value - level)) : 0;
    if (bit) {
      this.whiteMiss += TRACK_RATE * (miss - this.whiteMiss);
      const white = this.white + rate * (value - this.white);
      if (shared) {
        this.grey = floorNow + movedBy(white - floorNow, this.white - floorNow) * (this.grey - floorNow) + MISS_PULL * this.greyMiss;
        this.greyMiss *= 1 - MISS_PULL;
      }
      this.white = white;
    } else {
      this.greyMiss += TRACK_RATE * (miss - this.greyMiss);
      const grey = this.grey + rate * (value - this.grey);
      if (shared) {
        this.white = floorNow + movedBy(grey - floorNow, this.grey - floorNow) * (this.white - floorNow) + MISS_PULL * this.whiteMiss;
        this.whiteMiss *= 1 - MISS_PULL;
      }
      this.grey = grey;
      this.amplitude += TRACK_RATE * (amplitude - this.amplitude);
    }
    this.floor += TRACK_RATE * (floor - this.floor);
    // Held frames make some periods longer; only ordinary ones refine the clock.
    if (period > 0.8 * this.period && period < 1.2 * this.period) this.period += TRACK_RATE * (period - this.period);
  }

  /**
   * The light above black stepped (see light-step.ts): grey and white are now `grey` and `white`
   * above black, and the floor and the pulse height follow grey's change.
   */
  stepTo(grey: number, white: number): void {
    const black = this.black;
    const gain = grey / (this.grey - black);
    this.grey = black + grey;
    this.white = black + white;
    this.greyMiss = this.whiteMiss = 0; // measured against the levels before the step
    if (gain > 0 && gain < Infinity) {
      this.floor = black + gain * (this.floor - black);
      this.amplitude *= gain;
    }
  }

  get learned(): boolean {
    return this.grey === this.grey && this.white === this.white;
  }

  reset(): void {
    this.grey = this.white = this.floor = this.black = this.amplitude = this.period = Number.NaN;
    this.relativeNoise = false;
    this.pwm = false;
    this.missShare = this.greyMiss = this.whiteMiss = 0;
  }
}

/** The factor a level's height moved by, `now / before` — or 1 if that is no plausible gain. */
function movedBy(now: number, before: number): number {
  const gain = now / before;
  return gain > 0 && gain < 2 ? gain : 1;
}
