/**
 * The signal report: what the decoder saw, in the numbers a hardware designer tunes a receiver
 * with — levels, swing, noise and SNR, how far apart grey and white are compared with how much
 * pulse values scatter, saturation, the flash rate and the sampler's clock error, held frames.
 * Everything is accumulated in O(1) memory as the stream goes by.
 */
import type { SignalReport } from './types.js';

/**
 * Flash rates a display shows (each level a whole number of refreshes): SDK 0.3.0's 60, 30 and
 * 20 fps and the other divisions of a 60 Hz screen down to 10 fps, 120 fps on 120 Hz (and 40 fps
 * there), 90 and 45 on 90 Hz — with the refreshes per level of each.
 */
const NOMINAL_RATES: readonly { fps: number; refreshesPerFrame: number }[] = [
  { fps: 120, refreshesPerFrame: 1 },
  { fps: 90, refreshesPerFrame: 1 },
  { fps: 60, refreshesPerFrame: 1 },
  { fps: 45, refreshesPerFrame: 2 },
  { fps: 40, refreshesPerFrame: 3 },
  { fps: 30, refreshesPerFrame: 2 },
  { fps: 20, refreshesPerFrame: 3 },
  { fps: 15, refreshesPerFrame: 4 },
  { fps: 12, refreshesPerFrame: 5 },
  { fps: 10, refreshesPerFrame: 6 },
];
/** Excess period, in fractions of a period, is binned this finely for counting held frames. */
const HOLD_BINS = 24;
const HOLD_BIN_WIDTH = 1 / 12;

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
  /** Pulses whose period exceeded the ordinary one, binned by the excess (for held-frame counting). */
  private readonly holdBins = new Float64Array(HOLD_BINS);

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

  /** A pulse period while in sync: `ratio` to the ordinary period, and its length in seconds. */
  notePeriod(ratio: number, periodS: number): void {
    if (ratio > 0.8 && ratio < 1.2 && periodS > 0 && periodS < Infinity) {
      this.periodSumS += periodS;
      this.periodCount++;
    }
    const excess = ratio - 1;
    if (excess > 0.5 * HOLD_BIN_WIDTH && ratio < 3.2) {
      const bin = Math.min(HOLD_BINS - 1, Math.round(excess / HOLD_BIN_WIDTH));
      this.holdBins[bin]!++;
    }
  }

  /** Flash rate from the ordinary periods (a period is one bit: two frames). */
  get fps(): number {
    return this.periodCount > 0 ? (2 * this.periodCount) / this.periodSumS : Number.NaN;
  }

  /** Held frames: each long period is one or more refreshes too long. */
  heldLevels(refreshesPerFrame: number): number {
    // A period is two frames; one refresh is 1 / (2k) of it.
    const refresh = 1 / (2 * refreshesPerFrame);
    let held = 0;
    for (let b = 1; b < HOLD_BINS; b++) {
      const refreshes = Math.round((b * HOLD_BIN_WIDTH) / refresh);
      held += this.holdBins[b]! * refreshes;
    }
    return held;
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
  }): SignalReport {
    const { black, grey, white, fullScale, noiseRms } = inputs;
    const swing = white - black;
    const fps = this.fps;
    const nominal = nearestNominalFps(fps);
    const rmsResidual = this.residuals > 1 ? Math.sqrt(this.residualSq / this.residuals) : Number.NaN;
    return {
      black,
      grey,
      white,
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
      nominalFps: nominal.fps,
      // Periods are measured on the sampler's clock: a fast sampler counts too many samples per
      // display frame, so the flash looks slow by the same factor.
      clockErrorPpm: (nominal.fps / fps - 1) * 1e6,
      heldLevels: this.heldLevels(nominal.refreshesPerFrame),
      pulses: this.pulses,
      samples: inputs.samples,
      nonFiniteSamples: inputs.skipped,
      packets: this.packets,
      failures: this.failures,
      syncLosses: this.syncLosses,
    };
  }
}
