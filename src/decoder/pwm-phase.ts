/**
 * Stage 2c — the PWM phase model: valuing pulses of a PWM-dimmed screen by what the sampler
 * could have seen, not by what it happened to catch.
 *
 * A PWM-dimmed OLED emits its level only in bursts, and a sampler at 1 kHz beats with 240–480 Hz
 * PWM: inside one frame its few samples land at nearly the same phases of the bursts, and those
 * phases creep from frame to frame. So the brightest samples of a white frame caught at the
 * bursts' flanks can read lower than those of a grey frame caught at the bursts' tops — no
 * statistic of one pulse's samples alone can tell.
 *
 * But the PWM runs on its own steady clock, so every sample's phase within the burst cycle is
 * known once its rate is: `phase = frac(rate · t)`. This stage
 *
 * 1. measures that rate (as the sampler's clock sees it, aliased into half the sample rate)
 *    from the preamble's grey pulses — the peak of their periodogram;
 * 2. learns the template: what a grey frame puts on the sensor at each phase (the burst shape
 *    through the sensor's time constant and the sampler's jitter), phase-binned;
 * 3. values each pulse by a least-squares fit of the template to its lit samples,
 *    `a = Σ (x − floor)·T(phase) / Σ T(phase)²`, so a sample at a dark phase weighs nothing and
 *    one at a burst's top weighs most;
 * 4. keeps rate and phase in step with a tracking loop fed by every pulse (`track`: the preamble
 *    gives the rate to a fraction of a hertz, which would slide the phase a cycle in seconds),
 *    and sharpens the template with every confidently decided pulse (`adapt`).
 *
 * Values come out in the units of the preamble's grey peaks, as the rest of the decoder expects.
 * Their errors (jitter on the bursts' flanks, the template's own) grow with the level, which is
 * why the slicer compares them by ratio while the model is in use (LevelTracker.relativeNoise).
 */
import { HISTORY, type Conditioner } from './condition.js';
import type { Pulse } from './pulses.js';

/** Phase bins of the template. */
const BINS = 24;
/** Pulses remembered for learning (the preamble has 24 grey pulses and the magic two more). */
const RING = 32;
/** A lit sample stands this fraction of its pulse's peak above the floor (a caught burst). */
const LIT_FRACTION = 0.4;
/** Fewest lit samples the rate and template are learned from. */
const MIN_SAMPLES = 48;
/** Lowest and highest aliased PWM rate searched, fractions of the sample rate. */
const LOWEST_RATE = 0.01;
const HIGHEST_RATE = 0.5;
/** Coarse periodogram steps per 1/span (Hz), then FINE_STEPS across two coarse steps around the best. */
const COARSE_STEPS = 3;
const FINE_STEPS = 24;
/** Most coarse steps (at high sample rates the grid is coarser than 1/span). */
const MAX_COARSE_STEPS = 2048;
/** Most lit samples learned from (the newest pulses are kept). */
const MAX_LEARN = 1024;
/** Pulses between two attempts to learn. */
const RETRY_PULSES = 4;
/** A periodogram peak must hold this share of the lit samples' variance, or there is no steady PWM. */
const MIN_PEAK_SHARE = 0.2;
/** Tracking loop: share of each pulse's phase error taken at once, and into the rate. */
const PHASE_GAIN = 0.2;
const RATE_GAIN = 0.01;
/** Least share of independent information in the template and its slope over a pulse's samples for the loop to trust it. */
const CONDITION = 0.2;
/** Weight of a confidently decided pulse's samples in the template. */
const ADAPT_RATE = 0.1;
/** A clipped sample bounds a pulse's level only where the template reaches this share of its peak. */
const BRIGHT_TEMPLATE = 0.5;
/** Largest phase error one pulse may report, cycles. */
const MAX_STEP = 0.1;
/** Updates further apart than this do not adjust the rate (a gap in the pulses). */
const MAX_UPDATE_GAP_S = 0.2;
/** Most lit samples a pulse contributes (longer runs are not pulses). */
const MAX_LIT = 512;

const TAU = 2 * Math.PI;

export class PwmPhaseModel {
  /** PWM cycles per second on the sampler's time base (aliased), NaN until learned. */
  private rate = Number.NaN;
  /** The phase is `rate · (t − origin) + offset` cycles: origin and offset move with each update of the tracking loop. */
  private origin = 0;
  private offset = 0;
  /** Light above the floor a grey frame puts on the sensor at each phase bin. */
  private readonly template = new Float64Array(BINS);
  /** Pulse value units per template unit: the learned grey's peak above the floor. */
  private scale = 1;
  /** Recent pulses that may be preamble greys: [start, end) and their lit threshold. */
  private readonly starts = new Float64Array(RING);
  private readonly ends = new Float64Array(RING);
  private readonly thresholds = new Float64Array(RING);
  private noted = 0;

  /** The `noted` count at the last learning attempt. */
  private lastAttempt = -Infinity;
  /** Learning buffers: times and light of the preamble's lit samples, and the periodogram's phasors. */
  private readonly learnTime = new Float64Array(MAX_LEARN);
  private readonly learnValue = new Float64Array(MAX_LEARN);
  private readonly phasorRe = new Float64Array(MAX_LEARN);
  private readonly phasorIm = new Float64Array(MAX_LEARN);
  private readonly stepRe = new Float64Array(MAX_LEARN);
  private readonly stepIm = new Float64Array(MAX_LEARN);
  /** Lit samples clipped at the ADC's top in the pulse last valued (see `fit`). */
  clipped = 0;
  /** Scratch: lit sample indices and values. */
  private readonly litIndex = new Float64Array(MAX_LIT);
  private readonly litValue = new Float64Array(MAX_LIT);

  /** Nominal sample rate, Hz: aliased PWM rates lie below half of it. */
  private readonly sampleRate: number;

  constructor(sampleRate: number) {
    this.sampleRate = sampleRate;
  }

  /** The model is learned and values pulses. */
  get active(): boolean {
    return this.rate === this.rate;
  }

  /** Remembers a pulse that may belong to a preamble (for `learn`). */
  note(p: Pulse): void {
    const k = this.noted++ % RING;
    this.starts[k] = p.start;
    this.ends[k] = p.end;
    this.thresholds[k] = p.floor + LIT_FRACTION * (p.peak - p.floor);
  }

  /**
   * Learns rate and template from the remembered pulses that start at or after sample `from`
   * (the preamble run's first pulse), all grey, against `floor`. Returns whether a steady PWM
   * was found; if not the model stays inactive (and tries again a few pulses later).
   */
  learn(history: Conditioner, from: number, floor: number): boolean {
    this.rate = Number.NaN;
    if (this.noted - this.lastAttempt < RETRY_PULSES) return false;
    this.lastAttempt = this.noted;
    const n = this.gather(history, from, floor);
    if (n < MIN_SAMPLES) return false;
    const times = this.learnTime;
    const y = this.learnValue;
    const t0 = times[0]!;
    const span = times[n - 1]! - t0;
    if (!(span > 0)) return false;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += y[i]!;
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (y[i]! - mean) ** 2;
    if (!(variance > 0)) return false;
    const rate = this.strongestRate(n, mean, span);
    // A pure tone of amplitude A over N samples has power (A·N/2)² and variance N·A²/2.
    if (!((2 * rate.power) / (n * variance) >= MIN_PEAK_SHARE)) return false;
    this.rate = rate.hz;
    this.offset = 0;
    this.origin = t0;
    if (!this.buildTemplate(n)) {
      this.rate = Number.NaN;
      return false;
    }
    return true;
  }

  /**
   * Copies the lit samples (time, light above `floor`) of the remembered pulses starting at or
   * after `from` into the learning buffers, oldest first, newest pulses kept if they overflow.
   * Returns how many.
   */
  private gather(history: Conditioner, from: number, floor: number): number {
    const count = Math.min(this.noted, RING);
    // Newest pulses first, to know which fit.
    let total = 0;
    let first = this.noted;
    for (let j = this.noted - 1; j >= this.noted - count; j--) {
      const k = j % RING;
      const start = this.starts[k]!;
      if (start < from || start < history.oldest) break;
      const lit = this.litSamples(history, start, this.ends[k]!, this.thresholds[k]!);
      if (total + lit > MAX_LEARN) break;
      total += lit;
      first = j;
    }
    let n = 0;
    for (let j = first; j < this.noted; j++) {
      const k = j % RING;
      const lit = this.litSamples(history, this.starts[k]!, this.ends[k]!, this.thresholds[k]!);
      for (let i = 0; i < lit && n < MAX_LEARN; i++, n++) {
        this.learnTime[n] = history.time(this.litIndex[i]!);
        this.learnValue[n] = this.litValue[i]! - floor;
      }
    }
    return n;
  }

  /**
   * The highest peak of the periodogram of the learning samples (mean removed) between
   * LOWEST_RATE and HIGHEST_RATE of the sample rate: a coarse grid, then a fine one around the
   * best. Each sample's phasor is advanced by rotation from one grid frequency to the next, so
   * the grid costs a complex multiplication per sample and step, not a sine and a cosine.
   */
  private strongestRate(n: number, mean: number, span: number): { hz: number; power: number } {
    const times = this.learnTime;
    const y = this.learnValue;
    const t0 = times[0]!;
    const scan = (from: number, step: number, steps: number): { hz: number; power: number } => {
      const re = this.phasorRe;
      const im = this.phasorIm;
      const cr = this.stepRe;
      const ci = this.stepIm;
      for (let i = 0; i < n; i++) {
        const t = times[i]! - t0;
        const a = y[i]! - mean;
        re[i] = a * Math.cos(TAU * from * t);
        im[i] = -a * Math.sin(TAU * from * t);
        cr[i] = Math.cos(TAU * step * t);
        ci[i] = -Math.sin(TAU * step * t);
      }
      let best = { hz: from, power: -1 };
      for (let k = 0; k < steps; k++) {
        let sr = 0;
        let si = 0;
        for (let i = 0; i < n; i++) {
          const r = re[i]!;
          const m = im[i]!;
          sr += r;
          si += m;
          re[i] = r * cr[i]! - m * ci[i]!;
          im[i] = r * ci[i]! + m * cr[i]!;
        }
        const power = sr * sr + si * si;
        if (power > best.power) best = { hz: from + k * step, power };
      }
      return best;
    };
    const low = LOWEST_RATE * this.sampleRate;
    const high = HIGHEST_RATE * this.sampleRate;
    const step = Math.max(1 / (COARSE_STEPS * span), (high - low) / MAX_COARSE_STEPS);
    const coarse = scan(low, step, Math.floor((high - low) / step) + 1);
    const fine = (2 * step) / FINE_STEPS;
    const refined = scan(coarse.hz - step, fine, FINE_STEPS + 1);
    return refined.power > coarse.power ? refined : coarse;
  }

  /**
   * The template from the learning samples: mean light above the floor in each phase bin, empty
   * bins interpolated from their neighbours; its peak sets the value scale. False when too few
   * bins were seen or nothing is bright.
   */
  private buildTemplate(n: number): boolean {
    const sum = new Float64Array(BINS);
    const hits = new Float64Array(BINS);
    for (let i = 0; i < n; i++) {
      const b = this.bin(this.learnTime[i]!);
      sum[b] += this.learnValue[i]!;
      hits[b]++;
    }
    let filled = 0;
    for (let b = 0; b < BINS; b++) if (hits[b]! > 0) filled++;
    if (filled < BINS / 2) return false;
    const t = this.template;
    for (let b = 0; b < BINS; b++) t[b] = hits[b]! > 0 ? sum[b]! / hits[b]! : Number.NaN;
    for (let b = 0; b < BINS; b++) {
      if (t[b] === t[b]) continue;
      let l = 1;
      while (!(hits[(b - l + BINS) % BINS]! > 0)) l++;
      let r = 1;
      while (!(hits[(b + r) % BINS]! > 0)) r++;
      const a = t[(b - l + BINS) % BINS]!;
      const c = t[(b + r) % BINS]!;
      t[b] = a + ((c - a) * l) / (l + r);
    }
    let peak = 0;
    for (let b = 0; b < BINS; b++) peak = Math.max(peak, t[b]!);
    if (!(peak > 0)) return false;
    this.scale = peak;
    return true;
  }

  /**
   * The pulse's level in value units (`floor` + the learned grey peak for a grey pulse): the
   * template fitted to its lit samples. NaN when the pulse has no lit samples.
   */
  value(history: Conditioner, p: Pulse, floor: number): number {
    const a = this.fit(history, p, floor);
    return a === a ? floor + a * this.scale : Number.NaN;
  }

  /**
   * The tracking loop, after every pulse of the transmission. A pulse's lit samples are fitted
   * with the template and its slope, `x − floor ≈ a·T(θ) − b·T′(θ)`: `a` is the pulse's level
   * and `δ = b / a` how far (cycles) its bursts sit beside where the model expects them
   * (`T(θ − δ) ≈ T(θ) − δ·T′(θ)`), whatever the level — so a misjudged bit cannot mislead the
   * loop. The error moves the phase and, integrated, the rate: a small error in the rate
   * learned from the preamble would otherwise slide the phase a cycle in a few seconds.
   */
  track(history: Conditioner, p: Pulse, floor: number): void {
    const lit = this.litSamples(history, p.start, p.end, p.floor + LIT_FRACTION * (p.peak - p.floor));
    let tt = 0;
    let ts = 0;
    let ss = 0;
    let xt = 0;
    let xs = 0;
    for (let i = 0; i < lit; i++) {
      const theta = this.phase(history.time(this.litIndex[i]!));
      const t = this.at(theta);
      const s = -this.slope(theta);
      const x = this.litValue[i]! - floor;
      tt += t * t;
      ts += t * s;
      ss += s * s;
      xt += x * t;
      xs += x * s;
    }
    // Where the samples fall on one flank only, a shift and a change of level look alike: no update.
    const det = tt * ss - ts * ts;
    if (!(det > CONDITION * tt * ss)) return;
    const a = (xt * ss - xs * ts) / det;
    const b = (xs * tt - xt * ts) / det;
    if (!(a > 0)) return;
    let delta = b / a;
    delta = delta > MAX_STEP ? MAX_STEP : delta < -MAX_STEP ? -MAX_STEP : delta;
    const now = history.time(this.litIndex[lit - 1]!);
    const dt = now - this.origin;
    // The bursts came δ later in phase than expected: the model's phase is δ ahead. The phase
    // is re-anchored at this pulse, so a new rate bends only the phases still to come.
    this.offset = this.rate * dt + this.offset - PHASE_GAIN * delta;
    this.origin = now;
    if (dt > 0 && dt < MAX_UPDATE_GAP_S) this.rate -= (RATE_GAIN * delta) / dt;
  }

  /**
   * After a confident decision: the template moves toward what this pulse showed, read at the
   * decided level (`value`, value units). The preamble's few pulses leave it coarse; the
   * packet's hundreds of pulses sharpen it, and it follows slow changes of the bursts' shape.
   */
  adapt(history: Conditioner, p: Pulse, floor: number, value: number): void {
    const level = (value - floor) / this.scale;
    if (!(level > 0)) return;
    const lit = this.litSamples(history, p.start, p.end, p.floor + LIT_FRACTION * (p.peak - p.floor));
    const t = this.template;
    const clip = history.clipLevel;
    for (let i = 0; i < lit; i++) {
      // A clipped sample shows less than the light was: it would flatten the template's top.
      if (this.litValue[i]! >= clip) continue;
      const b = this.bin(history.time(this.litIndex[i]!));
      t[b] = t[b]! + ADAPT_RATE * ((this.litValue[i]! - floor) / level - t[b]!);
    }
  }

  reset(): void {
    this.rate = Number.NaN;
    this.lastAttempt = -Infinity;
  }

  /**
   * Least-squares level of pulse `p` in template units (NaN: nothing lit). A sample clipped at
   * the ADC's top (`Conditioner.clipLevel`) is censored: it says only that the level was at
   * least what puts the template there. At low on-time a white's bursts peak at several times
   * full scale while a grey's may not clip at all, so fitting clipped samples as they read would
   * squash the white toward grey. They are left out of the fit and bound it from below instead —
   * only where the template is bright (a clipped sample on a burst's dark tail means a misplaced
   * phase, not more light).
   */
  private fit(history: Conditioner, p: Pulse, floor: number): number {
    const lit = this.litSamples(history, p.start, p.end, p.floor + LIT_FRACTION * (p.peak - p.floor));
    const clip = history.clipLevel;
    let xt = 0;
    let tt = 0;
    let atLeast = 0;
    this.clipped = 0;
    for (let i = 0; i < lit; i++) {
      const g = this.at(this.phase(history.time(this.litIndex[i]!)));
      if (!(g > 0)) continue;
      const x = this.litValue[i]! - floor;
      if (this.litValue[i]! >= clip) {
        this.clipped++;
        if (g >= BRIGHT_TEMPLATE * this.scale && x / g > atLeast) atLeast = x / g;
        continue;
      }
      xt += x * g;
      tt += g * g;
    }
    const a = tt > 0 ? xt / tt : Number.NaN;
    return a >= atLeast ? a : atLeast > 0 ? atLeast : a;
  }

  /** Phase bin of a sample taken at time `t` (for learning: the loop has not moved yet). */
  private bin(t: number): number {
    const b = Math.floor(this.phase(t) * BINS);
    return b < 0 ? 0 : b >= BINS ? BINS - 1 : b;
  }

  /** PWM phase of time `t`, cycles in [0, 1). */
  private phase(t: number): number {
    const u = this.rate * (t - this.origin) + this.offset;
    return u - Math.floor(u);
  }

  /** The template at phase `theta`, interpolated between bin centres. */
  private at(theta: number): number {
    const u = theta * BINS - 0.5;
    const b = Math.floor(u);
    const f = u - b;
    const t = this.template;
    return t[(b + BINS) % BINS]! * (1 - f) + t[(b + 1) % BINS]! * f;
  }

  /** The template's slope at phase `theta`, per cycle. */
  private slope(theta: number): number {
    const b = Math.floor(theta * BINS - 0.5);
    const t = this.template;
    return (t[(b + 1) % BINS]! - t[(b + BINS) % BINS]!) * BINS;
  }

  /**
   * The lit part of a pulse: every raw sample from the first to the last one in [start, end)
   * at or above `threshold` (the caught bursts' hull; samples between bursts in it are lit too,
   * at dark phases). Fills the scratch arrays and returns their length.
   */
  private litSamples(history: Conditioner, start: number, end: number, threshold: number): number {
    const values = history.values;
    const mask = HISTORY - 1;
    const from = Math.max(start, history.oldest);
    const to = Math.min(end, history.count);
    let first = -1;
    let last = -1;
    for (let i = from; i < to; i++) {
      if (values[i & mask]! >= threshold) {
        if (first < 0) first = i;
        last = i;
      }
    }
    if (first < 0) return 0;
    const n = Math.min(last + 1 - first, MAX_LIT);
    for (let k = 0; k < n; k++) {
      this.litIndex[k] = first + k;
      this.litValue[k] = values[(first + k) & mask]!;
    }
    return n;
  }
}
