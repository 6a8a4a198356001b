/**
 * `analyze`'s human report: the numbers a hardware designer tunes a receiver with, grouped the
 * way they are tuned — levels and swing (gain), noise and margins (filtering, shielding), timing
 * (the flasher and the sampler's clock) — then the verdicts, problems first.
 */
import type { SignalReport } from '../decoder/types.js';
import type { FullScaleSource } from './decode-capture.js';
import type { FlickerEstimate } from './flicker-meter.js';
import { clockText, fixed, level, percent, plural, rateText, signed, untimedText } from './format.js';
import { namesLamp, type Advice } from './signal-advice.js';

export interface AnalysisFacts {
  readonly name: string;
  readonly samples: number;
  /** Values that were not numbers, read as missing samples. */
  readonly missing?: number;
  readonly durationS: number;
  /** Smallest and largest sample. */
  readonly min: number;
  readonly max: number;
  readonly sampleRate: number | undefined;
  readonly timing: string | undefined;
  /** Video: each region measured, in order (the automatic search may move to another). */
  readonly regions?: readonly string[] | undefined;
  readonly fullScaleSource: FullScaleSource;
  readonly report: SignalReport;
  readonly flicker: FlickerEstimate | undefined;
  readonly packets: number;
  readonly failures: number;
  /** Why the first of them failed (see `failedCheckOf`). */
  readonly failedCheck?: string | undefined;
  readonly syncLosses: number;
  readonly advice: readonly Advice[];
  readonly plot?: string | undefined;
}

/** After "full scale N" in the Levels line: where N came from. */
const SCALE_NOTES: Readonly<Record<FullScaleSource, string>> = {
  given: '',
  capture: ', from the capture',
  inferred: ', inferred from the largest value: give --full-scale if your ADC differs',
  unknown: ', a placeholder: the samples are not ADC codes; give --full-scale',
};

const MARK: Readonly<Record<Advice['severity'], string>> = { problem: 'problem', note: 'note   ', good: 'good   ' };

export function renderAnalysis(f: AnalysisFacts): string {
  const r = f.report;
  const rate = rateText(f.sampleRate, f.timing);
  const out: string[] = [
    `Capture   ${f.name}: ${f.samples} samples${f.missing ? ` (and ${f.missing} missing: not numbers)` : ''} in ${fixed(f.durationS, 2)} s${rate}`,
    ...(f.regions ?? []).map((region, i) => `${i === 0 ? 'Region   ' : '         '} ${region}`),
    `Decoded   ${f.packets} ${plural(f.packets, 'packet')}, ${f.failures} failed ${plural(f.failures, 'check')}${f.failedCheck !== undefined ? ` (${f.failedCheck})` : ''}, ${f.syncLosses} broken off`,
    '',
  ];
  const scaleNote = SCALE_NOTES[f.fullScaleSource];
  const known = f.fullScaleSource !== 'unknown';
  const ofFullScale = (x: number): string => (known ? `${fixed(x, 3)} of full scale` : 'full scale unknown');
  if (r.swing > 0) {
    out.push(
      `Levels    black ${level(r.black)}   grey ${level(r.grey)}   white ${level(r.white)}   (full scale ${level(r.fullScale)}${scaleNote})`,
      `Swing     ${level(r.swing)} ${known ? `= ${ofFullScale(r.swingFraction)} (a tuned circuit: 0.3–0.6; the vendor's limit: 0.1)` : '(full scale unknown)'}`,
      `Grey      ${fixed(r.greyRatio, 2)} of the way from black to white (#bf ≈ 0.52, #9f ≈ 0.35 on a linear sensor)`,
      `Noise     ${level(r.noiseRms)} rms, SNR ${fixed(r.snrDb, 1)} dB`,
      `Margin    grey/white gap ${fixed(r.greyWhiteSeparation, 2)} of the swing` +
        (Number.isFinite(r.marginSigmas) ? `, ${fixed(r.marginSigmas, 1)} σ of pulse scatter; bit confidence ${fixed(r.minConfidence, 2)} min, ${fixed(r.meanConfidence, 2)} mean` : '; pulse scatter not measured (no bit judged against learned levels)'),
      `Clipping  ${known ? `${percent(r.saturationFraction)} of samples at the top of the range` : 'unknown (no full scale)'}`,
      r.fps > 0
        ? `Timing    ${fixed(r.fps, 2)} fps flashing (nominal ${r.nominalFps}), ${clockText(r)}, ${r.heldLevels} held ${plural(r.heldLevels, 'level')} in ${r.pulses} pulses`
        : `Timing    ${untimedText(r.timedPeriods)}, in ${r.pulses} pulses`,
    );
  } else {
    out.push(
      `Levels    unknown: ${r.levelsOutOfOrder ? 'the levels lost their order (black < grey < white) as the light changed' : 'no preamble found'} (full scale ${level(r.fullScale)}${scaleNote})`,
      f.max >= f.min
        ? `Samples   ${level(f.min)} to ${level(f.max)} (${ofFullScale((f.max - f.min) / r.fullScale)}), noise ${level(r.noiseRms)} rms, ${percent(r.saturationFraction)} at the top of the range`
        : `Samples   none that is a number (${r.nonFiniteSamples} NaN or ±Infinity)`,
    );
  }
  out.push(`Room      ${flickerLine(f.flicker, r, f.max - f.min)}`);
  if (f.plot) out.push(`Plot      ${f.plot}`);
  out.push('', 'Verdict');
  for (const a of f.advice) out.push(`  ${MARK[a.severity]}  ${a.text}`);
  return `${out.join('\n')}\n`;
}

/** `range`: the samples' span, the scale the verdicts judge ripple by while no swing was learned. */
function flickerLine(flicker: FlickerEstimate | undefined, r: SignalReport, range: number): string {
  if (!flicker) return 'mains flicker not measured (no quiet stretch without flashing, or a sample rate below 400 Hz)';
  const relative = r.swing > 0 ? ` = ${fixed(flicker.peakToPeak / r.swing, 3)} of the swing` : '';
  // (Said only where the verdicts name the lamp too: judged, and more than noise.)
  const lamp = namesLamp(flicker, r.swing > 0 ? r.swing : range) ? ': the mains frequency itself (a half-wave lamp, or hum), not cancelled' : '';
  return `${flicker.hz} Hz ripple ${level(flicker.peakToPeak)} peak-to-peak${relative} (${flicker.windows} quiet windows of 0.1 s)${lamp}`;
}
