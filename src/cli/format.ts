/** Numbers for people: fixed decimals, percentages, levels in input units, plurals. '?' for unknown values. */
import { decimationFactor } from '../decoder/decimate.js';
import { isLampRate } from '../decoder/framer.js';
import { MAX_AMBIGUOUS_PERIODS } from '../decoder/report.js';

export function fixed(x: number, decimals: number): string {
  return Number.isFinite(x) ? x.toFixed(decimals) : '?';
}

/** A fraction for a verdict: 0.31 → "0.31", 0.034 → "0.03", 0.0042 → "0.004" (never "0.00" for a small non-zero value). */
export function fraction(x: number): string {
  if (!Number.isFinite(x)) return '?';
  return Math.abs(x) >= 0.095 || x === 0 ? x.toFixed(2) : String(Number(x.toPrecision(1)));
}

/** 0.0213 → "2.1 %", 0.25 → "25 %", 0.0004 → "0.04 %". */
export function percent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '?';
  const p = 100 * fraction;
  return `${p === 0 || p >= 10 ? p.toFixed(0) : p >= 1 ? p.toFixed(1) : p.toPrecision(1)} %`;
}

/** A level in input units, as precise as it is useful: ADC codes whole, fractions to 3 digits. */
export function level(x: number): string {
  if (!Number.isFinite(x)) return '?';
  return Math.abs(x) >= 100 ? x.toFixed(0) : String(Number(x.toPrecision(3)));
}

/**
 * "1 glitch (a lone sample far outside the signal) replaced by the mean of its neighbours", or
 * the plural; `detail` goes inside the parentheses.
 */
export function glitchesText(n: number, detail = ''): string {
  return n === 1
    ? `1 glitch (a lone sample far outside the signal${detail}) replaced by the mean of its neighbours`
    : `${n} glitches (lone samples far outside the signal${detail}) replaced by the mean of their neighbours`;
}

/** "the flasher stalled twice inside a transmission (waited out…)": the decode line and analyze's note say it alike. */
export function stallsText(n: number, detail = ''): string {
  return `the flasher stalled ${n === 1 ? 'once' : `${n} times`} inside a transmission (waited out${detail})`;
}

/** "the light stepped once inside a transmission (…)": steps the levels followed (report.lightSteps). */
export function lightStepsText(n: number): string {
  return `the light stepped ${n === 1 ? 'once' : `${n} times`} inside a transmission (a shadow, or the sensor or phone moved; the levels followed)`;
}

/**
 * Whether runs taken for a preamble until new light came (report.rippleRuns) were ripple at the
 * mains frequency (report.rippleHz: see `isLampRate`), a lamp or hum worth naming. At other rates
 * they were a few stray pulses in the dark (weak 100/120 Hz flicker before the decoder cancels
 * it, noise), which the hunt took back as it should.
 */
export function mainsRipple(r: { rippleRuns: number; rippleHz?: number }): boolean {
  return r.rippleRuns > 0 && r.rippleHz !== undefined && isLampRate(r.rippleHz);
}

/**
 * "ripple at 50 Hz in the dark passed for a preamble once until the flash came (…)": runs of
 * pulses taken for a preamble that new light showed to be mains ripple (see `mainsRipple`).
 */
export function rippleText(runs: number, hz: number): string {
  return `ripple at ${fixed(hz, 0)} Hz in the dark passed for a preamble ${runs === 1 ? 'once' : `${runs} times`} until the flash came (a lamp flickering at the mains frequency, or mains hum in the sensor's wiring)`;
}

/** Why the report gives no flash rate, clock error or held levels: too few pulse periods timed in sync. */
export function untimedText(timedPeriods: number): string {
  return `flash rate, sampler clock and held levels not measured (${timedPeriods} pulse ${plural(timedPeriods, 'period')} timed in sync: too few)`;
}

/** +780 or -1200. */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** The sampler clock as a report gives it, or why it was not measured. */
export function clockText(r: { clockErrorPpm: number; ambiguousPeriods: number }): string {
  if (Number.isFinite(r.clockErrorPpm)) return `sampler clock ${signed(Math.round(r.clockErrorPpm))} ppm`;
  if (r.ambiguousPeriods > MAX_AMBIGUOUS_PERIODS) return `sampler clock not measured: ${Math.round(100 * r.ambiguousPeriods)} % of pulse periods lay between whole refreshes (slow pixels or noise moved their edges)`;
  return 'sampler clock not measurable at under 4 samples per refresh';
}

export function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/**
 * ` at N Hz (where the rate came from)` for a capture's summary line ('' without a rate) — and
 * above the decoder's stage rate, that it decoded means of runs of samples (see decimate.ts: the
 * noise it reports is theirs).
 */
export function rateText(sampleRate: number | undefined, timing: string | undefined): string {
  if (sampleRate === undefined) return '';
  const runs = decimationFactor(sampleRate);
  return ` at ${Number(sampleRate.toPrecision(6))} Hz (${timing}${runs > 1 ? `; decoded as means of ${runs} samples` : ''})`;
}
