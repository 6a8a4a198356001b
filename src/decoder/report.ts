/**
 * The signal report: what the decoder saw, in the numbers a hardware designer tunes a receiver
 * with — levels, swing, noise and SNR, how far apart grey and white are compared with how much
 * pulse values scatter, saturation, the flash rate and the sampler's clock error, held frames.
 * Everything is accumulated in O(1) memory as the stream goes by.
 */
import type { LevelTracker } from './levels.js';
import type { Pulse } from './pulses.js';
import type { SignalReport } from './types.js';

/**
 * Flash rates a display shows (each level a whole number of refreshes): SDK 0.3.0's 60, 30 and
 * 20 fps and the other divisions of a 60 Hz screen down to 10 fps, 120 fps on 120 Hz (and 40 fps
 * there), 90 and 45 on 90 Hz, 144, 72, 48 and 36 on 144 Hz — with the refreshes per level of
 * each. Neighbours are at least 6 % apart, so a sampler clock off by up to ±3 % still names the
 * right one.
 */
const NOMINAL_RATES: readonly { fps: number; refreshesPerFrame: number }[] = [
  { fps: 144, refreshesPerFrame: 1 },
  { fps: 120, refreshesPerFrame: 1 },
  { fps: 90, refreshesPerFrame: 1 },
  { fps: 72, refreshesPerFrame: 2 },
  { fps: 60, refreshesPerFrame: 1 },
  { fps: 48, refreshesPerFrame: 3 },
  { fps: 45, refreshesPerFrame: 2 },
  { fps: 40, refreshesPerFrame: 3 },
  { fps: 36, refreshesPerFrame: 4 },
  { fps: 30, refreshesPerFrame: 2 },
  { fps: 20, refreshesPerFrame: 3 },
  { fps: 15, refreshesPerFrame: 4 },
  { fps: 12, refreshesPerFrame: 5 },
  { fps: 10, refreshesPerFrame: 6 },
];
/**
 * Below this many samples per display refresh one period's length cannot say how many refreshes
 * it lasted (a sample either way is a quarter refresh or more), so held frames and the clock
 * cannot be told apart period by period.
 */
const MIN_SAMPLES_PER_REFRESH = 4;
/**
 * Fewer pulse periods timed in sync than this — a few bits before the sync was lost — say little
 * of the flash rate (a noisy capture's 21 periods named a 60 fps flash 72 fps and counted 30 held
 * levels that were not there): then none of it is reported.
 */
export const MIN_TIMED_PERIODS = 64;
/** Share of each ordinary period by which the report's own clock follows (see `notePeriod`). */
const RISE_CLOCK_RATE = 0.05;

/**
 * A period more than this fraction of a refresh from a whole number of refreshes is ambiguous:
 * its edges moved (slow pixels, noise) and it may be counted one refresh off.
 */
const AMBIGUOUS_REFRESH = 0.3;
/**
 * Above this share of ambiguous periods the clock is not reported: each period counted one
 * refresh off moves it by a refresh in the total, and in simulated 120 fps LCD captures with
 * over a tenth of their periods ambiguous the clock came out 1 000–100 000 ppm wrong, where
 * below that it was within a few hundred.
 */
export const MAX_AMBIGUOUS_PERIODS = 0.1;
/** Period ratios are binned in steps of 1 / RATIO_STEPS up to RATIO_BINS / RATIO_STEPS. */
const RATIO_STEPS = 48;
const RATIO_BINS = 4 * RATIO_STEPS;

/** The nominal flash rate nearest `fps` and its display's refreshes per frame. */
export function nearestNominalFps(fps: number): { fps: number; refreshesPerFrame: number } {
  let best = { fps: Number.NaN, refreshesPerFrame: 1 };
  let bestErr = Infinity;
  if (!(fps > 0)) return best;
  for (const rate of NOMINAL_RATES) {
    const err = Math.abs(Math.log(fps / rate.fps));
    if (err < bestErr) {
      bestErr = err;
      best = { ...rate };
    }
  }
  return best;
}

export class ReportBuilder {
  pulses = 0;
  packets = 0;
  failures = 0;
  syncLosses = 0;
  private bits = 0;
  private confidenceSum = 0;
  private minConfidence = Infinity;
  private residualSq = 0;
  private residuals = 0;
  private periodSumS = 0;
  private periodCount = 0;
  /**
   * Every in-sync pulse period, binned by its ratio to the ordinary period (bin b holds ratios
   * near b / RATIO_STEPS): how many, and their total length in seconds. Held frames and the
   * exact clock both come out of these.
   */
  private readonly ratioCount = new Float64Array(RATIO_BINS);
  private readonly ratioSumS = new Float64Array(RATIO_BINS);
  /** The bit period followed since ripple first moved an edge in this stream (see `notePeriod`), samples; NaN before. */
  private riseClock = Number.NaN;

  /** A data bit was decided: its confidence and how far its value lay from its level. */
  noteBit(confidence: number, residual: number): void {
    this.bits++;
    this.confidenceSum += confidence;
    if (confidence < this.minConfidence) this.minConfidence = confidence;
    if (residual === residual) {
      this.residualSq += residual * residual;
      this.residuals++;
    }
  }

  /**
   * A pulse's period while in sync: its ratio to the ordinary period (`levels.period`, or the
   * report's own once ripple moved an edge), and its length in seconds. Handed the objects: numbers passed to a call that is not inlined are boxed.
   */
  notePeriod(p: Pulse, levels: LevelTracker): void {
    // From where the light itself rose (past room light's ripple: see Pulse.shift). Once ripple
    // has moved an edge, the decoder's clock (learned from edges the ripple snapped) is off too:
    // periods are then judged against a clock of their own, followed from the decoder's.
    const period = p.period + p.nextShift - p.shift;
    if ((p.shift > 0 || p.nextShift > 0) && !(this.riseClock > 0)) this.riseClock = levels.period;
    let reference = levels.period;
    if (this.riseClock > 0) {
      const r = period / this.riseClock;
      if (r > 0.8 && r < 1.2) this.riseClock += RISE_CLOCK_RATE * (period - this.riseClock);
      reference = this.riseClock;
    }
    const ratio = period / reference;
    const periodS = p.period > 0 ? (p.periodS * period) / p.period : p.periodS;
    if (!(periodS > 0 && periodS < Infinity && ratio > 0)) return;
    if (ratio > 0.8 && ratio < 1.2) {
      this.periodSumS += periodS;
      this.periodCount++;
    }
    const bin = Math.round(ratio * RATIO_STEPS);
    if (bin < RATIO_BINS) {
      this.ratioCount[bin]!++;
      this.ratioSumS[bin]! += periodS;
    }
  }

  /** Pulse periods timed in sync (every one binned). */
  private get timedPeriods(): number {
    let n = 0;
    for (let b = 0; b < RATIO_BINS; b++) n += this.ratioCount[b]!;
    return n;
  }

  /** Flash rate and held levels: counted refresh by refresh (or from the total at a camera's rates), unless too few periods were timed to say. */
  private timing(nominal: { fps: number; refreshesPerFrame: number }, coarse: boolean): { fps: number; held: number } {
    if (this.timedPeriods < MIN_TIMED_PERIODS) return { fps: Number.NaN, held: Number.NaN };
    return coarse ? this.clockAssumedExact(nominal) : this.clock(nominal.refreshesPerFrame);
  }

  /** Rough flash rate from the ordinary periods (a period is one bit: two frames). */
  private get roughFps(): number {
    return this.periodCount > 0 ? (2 * this.periodCount) / this.periodSumS : Number.NaN;
  }

  /**
   * The flash rate from every period within 40 % of the bit period. A camera whose rate is no
   * multiple of the flash rate (100 fps filming 60) times each period as a whole number of its
   * frames — 3 or 4 where a bit lasts 3.3 — and the learned period, and the ordinary periods
   * near it, lean to one of them (72 fps where 60 flashed); the mean over both is right. Levels
   * held a refresh longer (1.5 periods or more) stay out.
   */
  private get quantisedFps(): number {
    let count = 0;
    let seconds = 0;
    for (let b = Math.ceil(0.6 * RATIO_STEPS); b <= 1.4 * RATIO_STEPS && b < RATIO_BINS; b++) {
      count += this.ratioCount[b]!;
      seconds += this.ratioSumS[b]!;
    }
    return count > 0 ? (2 * count) / seconds : Number.NaN;
  }

  /**
   * The flash rate from every period: each lasted a whole number of refreshes (two frames of k
   * refreshes, plus any held ones), so refreshes counted over seconds summed gives the rate far
   * more precisely than the ordinary periods alone. Also the held refreshes counted.
   */
  private clock(refreshesPerFrame: number): { fps: number; held: number } {
    const k = refreshesPerFrame;
    let refreshes = 0;
    let seconds = 0;
    let held = 0;
    for (let b = 0; b < RATIO_BINS; b++) {
      const n = this.ratioCount[b]!;
      if (n === 0) continue;
      const perPeriod = Math.max(1, Math.round((b / RATIO_STEPS) * 2 * k));
      refreshes += n * perPeriod;
      seconds += this.ratioSumS[b]!;
      if (perPeriod > 2 * k) held += n * (perPeriod - 2 * k);
    }
    return { fps: seconds > 0 ? refreshes / k / seconds : Number.NaN, held };
  }

  /** Share of the timed periods that lie between two whole numbers of refreshes (see AMBIGUOUS_REFRESH). */
  private ambiguousShare(refreshesPerFrame: number): number {
    let ambiguous = 0;
    let all = 0;
    for (let b = 0; b < RATIO_BINS; b++) {
      const n = this.ratioCount[b]!;
      if (n === 0) continue;
      const refreshes = (b / RATIO_STEPS) * 2 * refreshesPerFrame;
      all += n;
      if (Math.abs(refreshes - Math.round(refreshes)) > AMBIGUOUS_REFRESH) ambiguous += n;
    }
    return all > 0 ? ambiguous / all : Number.NaN;
  }

  /**
   * Held frames when periods are too coarse to count one by one (a camera at 2 samples per
   * refresh): the periods' total length, in refreshes of the nominal rate, less two frames per
   * period. Quantisation errors average out in the total, but a clock error cannot be told from
   * held frames any more: the clock is taken as exact, and the caller reports it unmeasured.
   */
  private clockAssumedExact(nominal: { fps: number; refreshesPerFrame: number }): { fps: number; held: number } {
    const k = nominal.refreshesPerFrame;
    let periods = 0;
    let seconds = 0;
    for (let b = 0; b < RATIO_BINS; b++) {
      periods += this.ratioCount[b]!;
      seconds += this.ratioSumS[b]!;
    }
    if (!(seconds > 0)) return { fps: Number.NaN, held: 0 };
    const refreshes = Math.round(seconds * nominal.fps * k);
    const held = Math.max(0, refreshes - 2 * k * periods);
    return { fps: (2 * k * periods + held) / k / seconds, held };
  }

  snapshot(inputs: {
    black: number;
    grey: number;
    white: number;
    fullScale: number;
    noiseRms: number;
    saturated: number;
    samples: number;
    skipped: number;
    /** Time between samples, s (nominal, or as the timestamps run). */
    sampleIntervalS: number;
    missingFrames: number;
    glitches: number;
    timestampRestarts: number;
    stalls: number;
    lightSteps: number;
    pwmSamples: number;
    rippleRuns: number;
  }): SignalReport {
    const { fullScale, noiseRms } = inputs;
    // Levels out of order (auto-exposure or a hand moved the light as it was received) are no
    // levels: reported as unknown, not as a negative swing.
    const ordered = inputs.black < inputs.grey && inputs.grey < inputs.white;
    const black = ordered ? inputs.black : Number.NaN;
    const grey = ordered ? inputs.grey : Number.NaN;
    const white = ordered ? inputs.white : Number.NaN;
    const swing = white - black;
    let nominal = nearestNominalFps(this.roughFps);
    const samplesPerRefresh = 1 / (inputs.sampleIntervalS * nominal.fps * nominal.refreshesPerFrame);
    const coarse = samplesPerRefresh < MIN_SAMPLES_PER_REFRESH;
    if (coarse) nominal = nearestNominalFps(this.quantisedFps);
    const { fps, held } = this.timing(nominal, coarse);
    const ambiguous = coarse ? Number.NaN : this.ambiguousShare(nominal.refreshesPerFrame);
    const rmsResidual = this.residuals > 1 ? Math.sqrt(this.residualSq / this.residuals) : Number.NaN;
    return {
      black,
      grey,
      white,
      // (NaN levels compare false: only levels that were learned can be out of order.)
      levelsOutOfOrder: !ordered && inputs.black === inputs.black && inputs.grey === inputs.grey && inputs.white === inputs.white,
      swing,
      swingFraction: swing / fullScale,
      fullScale,
      noiseRms,
      snrDb: noiseRms > 0 ? 20 * Math.log10(swing / noiseRms) : swing > 0 ? Infinity : Number.NaN,
      greyWhiteSeparation: (white - grey) / swing,
      marginSigmas: (0.5 * (white - grey)) / rmsResidual,
      greyRatio: (grey - black) / swing,
      minConfidence: this.bits > 0 ? this.minConfidence : Number.NaN,
      meanConfidence: this.bits > 0 ? this.confidenceSum / this.bits : Number.NaN,
      saturationFraction: inputs.samples > 0 ? inputs.saturated / inputs.samples : 0,
      fps,
      nominalFps: fps > 0 ? nominal.fps : Number.NaN,
      // Periods are measured on the sampler's clock: a fast sampler counts too many samples per
      // display frame, so the flash looks slow by the same factor.
      clockErrorPpm: coarse || !(fps > 0) || ambiguous > MAX_AMBIGUOUS_PERIODS ? Number.NaN : (nominal.fps / fps - 1) * 1e6,
      heldLevels: held,
      ambiguousPeriods: ambiguous,
      timedPeriods: this.timedPeriods,
      pulses: this.pulses,
      samples: inputs.samples,
      nonFiniteSamples: inputs.skipped,
      missingFrames: inputs.missingFrames,
      glitchSamples: inputs.glitches,
      timestampRestarts: inputs.timestampRestarts,
      flasherStalls: inputs.stalls,
      lightSteps: inputs.lightSteps,
      pwmSamples: inputs.pwmSamples,
      rippleRuns: inputs.rippleRuns,
      packets: this.packets,
      failures: this.failures,
      syncLosses: this.syncLosses,
    };
  }
}
