/**
 * How strongly room light flickers at the sensor: the ripple at 100 Hz (50 Hz mains) and 120 Hz
 * (60 Hz mains), the flicker of most lamps, and at 50 and 60 Hz, the mains frequency itself — a
 * lamp with a half-wave driver, or hum in the sensor's wiring, which the decoder does not cancel
 * (a half-wave lamp shows at 100 Hz too, weaker) — measured where the screen is quiet: before,
 * between and after transmissions.
 * While the screen flashes, its own pulses have energy at those frequencies too, so windows near
 * the pulses of a transmission are left out — and only those: a deep lamp's ripple in the dark
 * is itself taken for a preamble's pulses, again and again, until new light ends the run, and
 * windows near every judged pulse would leave none to measure that very lamp in. So preamble
 * pulses that come at a lamp's period (1/50 or 1/60 s) leave their windows out only once a
 * packet's body follows them.
 *
 * The capture is cut into 0.1 s windows (a whole number of cycles of each frequency); each
 * window's ripple amplitude comes from a single-bin Fourier sum over its samples, at their own
 * times (jitter and gaps included). A window is final once the decoder has judged the samples
 * well after it (a preamble is recognised only after ten or so pulses, and its body follows some
 * 34 pulses later): the meter sees each chunk before the decoder does, so windows are settled at
 * the next chunk. Memory is a chunk and a few seconds of window summaries, however long the capture.
 */
import { LAMP_HZ, LAMP_TOLERANCE } from '../decoder/framer.js';
import type { PulseInfo } from '../decoder/types.js';
import { MIN_FLICKER_RATE } from '../decoder/flicker.js';

/** The frequencies measured: twice the mains frequency (most lamps), then the mains frequency itself. */
const ROOM_LIGHT_HZ = [100, 120, 50, 60] as const;
/**
 * Ripple at the mains frequency itself is reported where it is this many times that at twice it:
 * a half-wave lamp's fundamental is about 2.4 times its second harmonic, and hum has almost none.
 */
const LAMP_DOMINANCE = 1.5;
/**
 * Every one of them is a harmonic of 10 Hz: a sample's phasors at all four come from one cosine
 * and one sine, at 10 Hz, raised to the harmonics by complex multiplication — four times fewer
 * calls to the (slow) trigonometric functions.
 */
const BASE_HZ = 10;
const HIGHEST_HARMONIC = Math.max(...ROOM_LIGHT_HZ) / BASE_HZ;
/** Harmonic of BASE_HZ → its frequency's index in ROOM_LIGHT_HZ (−1: not measured). */
const SLOT_OF_HARMONIC = Int8Array.from({ length: HIGHEST_HARMONIC + 1 }, (_, h) => ROOM_LIGHT_HZ.indexOf(h * BASE_HZ as never));

/** The grid the decoder times pulse starts on, s: a millisecond or two (at 1 kHz a 16.7 ms period reads 16 or 18 ms). */
const PULSE_GRID_S = 0.002;

/**
 * Whether pulses `periodS` apart come at a lamp's period, 1/50 or 1/60 s, as the decoder judges
 * it (`isLampRate`: within the sampler's clock error), give or take its pulse grid.
 */
function atLampPeriod(periodS: number): boolean {
  for (const hz of LAMP_HZ) if (Math.abs(periodS - 1 / hz) <= LAMP_TOLERANCE / hz + PULSE_GRID_S) return true;
  return false;
}

const WINDOW_S = 0.1;
/**
 * A preamble is recognised after ten or so pulses: the windows this many pulse periods before a
 * judged pulse may hold its start. (A pulse as the decoder reports it runs valley to valley: one period.)
 */
const LEAD_PERIODS = 12;
const MIN_LEAD_S = 0.2;
/** After the last pulse a slow LCD is still falling to black for a few time constants. */
const TAIL_S = 0.2;
/**
 * A window is final once the stream is this far past its end: past a whole preamble and sync
 * magic at 20 fps (34 pulses of 0.1 s) and the lead before it, so that a body can still mark it.
 */
const SETTLE_S = 6;

export interface FlickerEstimate {
  /** The frequency with the largest ripple: 100 or 120 Hz, or 50 or 60 Hz for a lamp flickering at the mains frequency itself. */
  readonly hz: number;
  /** Mean peak-to-peak ripple over the quiet windows, input units. */
  readonly peakToPeak: number;
  /** Quiet windows measured. */
  readonly windows: number;
}

interface Window {
  readonly startS: number;
  readonly endS: number;
  readonly amplitude: Float64Array;
  /** Variance the measured frequencies explain, and what they leave: noise in quiet light, far more where a flash goes on. */
  readonly explained: number;
  readonly residual: number;
  /** The window's mean, squared (the scale of the rounding in `residual`). */
  readonly meanSquared: number;
  busy: boolean;
}

/**
 * A flash the decoder never locked on (light dimmed by a shadow, a stalled flasher) has its
 * pulses' harmonics in the bins too, but far more besides: a window is taken for flashing where
 * what the measured frequencies leave unexplained is both over FLASH_SHARE of what they explain
 * (a lamp's window leaves only noise) and over FLASH_RESIDUAL times the least any window left
 * (in steady light they explain nothing, and noise is all there is).
 */
const FLASH_SHARE = 0.5;
const FLASH_RESIDUAL = 10;

export class FlickerMeter {
  // Sums of the open window: Σx, Σx², and per frequency Σx·cos, Σx·sin, Σcos, Σsin.
  private n = 0;
  private sx = 0;
  private sxx = 0;
  /** The least unexplained variance of any window so far (see FLASH_RESIDUAL). */
  private leastResidual = Infinity;
  private readonly sums = new Float64Array(4 * ROOM_LIGHT_HZ.length);
  private windowStart = Number.NaN;
  private lastTime = Number.NaN;
  private index = 0;
  private pending: Window[] = [];
  /** End of the latest judged pulse: the open window is busy if it started before. */
  private busyUntil = -Infinity;
  /** Start of a preamble at a lamp's period being received (NaN: none): its windows are busy if a body follows. */
  private preambleFrom = Number.NaN;
  /** Start of the latest pulse judged, and of the latest (not a body's) at a lamp's period. */
  private lastPulseS = Number.NaN;
  private lampPulseS = -Infinity;
  private readonly quietSum = new Float64Array(ROOM_LIGHT_HZ.length);
  private quiet = 0;
  private disabled = false;

  /**
   * One chunk; `times` when the samples carry them, else they are `sampleRate` apart. Below
   * MIN_FLICKER_RATE (a camera's frame rate, a slow logger) flicker aliases: the meter turns off.
   */
  add(values: ArrayLike<number>, times: ArrayLike<number> | undefined, sampleRate: number | undefined): void {
    if (this.disabled) return;
    if (!(sampleRate! >= MIN_FLICKER_RATE)) {
      this.disabled = true;
      return;
    }
    // The decoder has now judged every earlier chunk: windows well before its end are final.
    this.settle();
    for (let i = 0; i < values.length; i++, this.index++) {
      const x = values[i]!;
      const t = times ? times[i]! : this.index / sampleRate!;
      if (!Number.isFinite(x) || !Number.isFinite(t)) continue;
      if (this.windowStart !== this.windowStart) this.windowStart = t;
      if (t >= this.windowStart + WINDOW_S) this.closeWindow(t);
      this.accumulate(x, t);
      this.lastTime = t;
    }
  }

  /**
   * The decoder judged a pulse. A packet's body, and a preamble at a flash's rate, mean the screen
   * was not quiet around them (nor in the hunt before, back to the lamp's last ripple pulse); a
   * preamble at a lamp's rate that ends in a new hunt was ripple (or, at 120 fps, whose period is
   * the 60 Hz mains', a flash that never got as far as its body), and a pulse met while hunting may
   * be ripple too: neither counts.
   */
  pulse(p: Pick<PulseInfo, 'stage' | 'startS' | 'endS'>): void {
    // Start to start: a pulse's own span ends at its last sample, a sample short of the period.
    const period = p.startS - this.lastPulseS;
    this.lastPulseS = p.startS;
    const span = p.endS - p.startS;
    const lampLike = p.stage !== 'data' && atLampPeriod(period);
    if (p.stage === 'hunt') this.preambleFrom = Number.NaN;
    else if (p.stage === 'preamble' && lampLike) {
      if (this.preambleFrom !== this.preambleFrom) this.preambleFrom = p.startS;
    } else if (p.stage === 'preamble') {
      // A preamble at a flash's own rate is the screen, and so was the hunt before it — back to
      // the last pulse at a lamp's period, which was not.
      this.preambleFrom = Number.NaN;
      this.activity(p.startS, p.endS, span, this.lampPulseS);
    } else {
      // A packet's body: the screen, and so was a preamble at a lamp's period right before it (120 fps).
      const confirmed = this.preambleFrom === this.preambleFrom;
      this.activity(confirmed ? this.preambleFrom : p.startS, p.endS, span, confirmed ? -Infinity : this.lampPulseS);
      this.preambleFrom = Number.NaN;
    }
    if (lampLike) this.lampPulseS = p.startS;
  }

  /**
   * The screen was not quiet over [startS, endS], in pulses `periodS` long, nor in the hunt before
   * a preamble's lock — back to LEAD_PERIODS of them, but not to `notBeforeS`.
   */
  private activity(startS: number, endS: number, periodS: number, notBeforeS = -Infinity): void {
    const until = endS + TAIL_S;
    const from = Math.max(startS - Math.max(MIN_LEAD_S, LEAD_PERIODS * periodS), Math.min(startS, notBeforeS));
    for (const w of this.pending) if (w.endS > from && w.startS < until) w.busy = true;
    if (until > this.busyUntil) this.busyUntil = until;
  }

  /**
   * End of the capture: the mean ripple of the quiet windows, or undefined if none was quiet (or
   * the rate was too low). `flashPulseHz`: the rate the flash's pulses came at, if it was learned
   * (half its frame rate) — a flash at 120 fps pulses at 60 Hz, the 60 Hz mains' own period, and
   * one the decoder hunted through without a lock reads as ripple there: no lamp is read at it.
   */
  finish(flashPulseHz = Number.NaN): FlickerEstimate | undefined {
    if (this.disabled) return undefined;
    for (const w of this.pending) this.count(w);
    this.pending = [];
    if (this.quiet === 0) return undefined;
    const sums = this.quietSum;
    // The stronger of 100 and 120 Hz, unless a lamp at the mains frequency itself clearly stands
    // above it (in steady light every bin holds the same noise, and one of four would win by chance).
    let best = sums[1]! > sums[0]! ? 1 : 0;
    // The stronger of 50 and 60 Hz that is not the flash's own pulse rate.
    let lamp = -1;
    for (const k of [2, 3]) {
      const flash = Math.abs(ROOM_LIGHT_HZ[k]! - flashPulseHz) < 0.04 * ROOM_LIGHT_HZ[k]!;
      if (!flash && (lamp < 0 || sums[k]! > sums[lamp]!)) lamp = k;
    }
    if (lamp >= 0 && sums[lamp]! > LAMP_DOMINANCE * sums[best]!) best = lamp;
    // Peak-to-peak is twice the amplitude.
    return { hz: ROOM_LIGHT_HZ[best]!, peakToPeak: (2 * sums[best]!) / this.quiet, windows: this.quiet };
  }

  private accumulate(x: number, t: number): void {
    this.n++;
    this.sx += x;
    this.sxx += x * x;
    const s = this.sums;
    const phase = 2 * Math.PI * BASE_HZ * t;
    const c1 = Math.cos(phase);
    const s1 = Math.sin(phase);
    // (c, sn) = e^{i·h·phase} for h = 1, 2, …: each harmonic from the one before.
    let c = c1;
    let sn = s1;
    for (let h = 1; h <= HIGHEST_HARMONIC; h++) {
      if (h > 1) {
        const next = c * c1 - sn * s1;
        sn = sn * c1 + c * s1;
        c = next;
      }
      const k = SLOT_OF_HARMONIC[h]!;
      if (k < 0) continue;
      s[4 * k]! += x * c;
      s[4 * k + 1]! += x * sn;
      s[4 * k + 2]! += c;
      s[4 * k + 3]! += sn;
    }
  }

  private closeWindow(t: number): void {
    // A window needs enough samples to resolve every frequency; a stall leaves a short one out.
    if (this.n >= 8) {
      const mean = this.sx / this.n;
      const amplitude = new Float64Array(ROOM_LIGHT_HZ.length);
      const s = this.sums;
      // A sinusoid of amplitude A holds a variance of A²/2.
      let explained = 0;
      for (let k = 0; k < ROOM_LIGHT_HZ.length; k++) {
        // Σ(x − mean)·e^{−iωt}, from the raw sums.
        const re = s[4 * k]! - mean * s[4 * k + 2]!;
        const im = s[4 * k + 1]! - mean * s[4 * k + 3]!;
        amplitude[k] = (2 * Math.hypot(re, im)) / this.n;
        explained += 0.5 * amplitude[k]! ** 2;
      }
      const residual = Math.max(0, this.sxx / this.n - mean * mean - explained);
      if (residual < this.leastResidual) this.leastResidual = residual;
      this.pending.push({ startS: this.windowStart, endS: this.lastTime, amplitude, explained, residual, meanSquared: mean * mean, busy: this.windowStart < this.busyUntil });
    }
    this.n = 0;
    this.sx = 0;
    this.sxx = 0;
    this.sums.fill(0);
    // Windows are laid end to end; after a long stall the next starts at the sample.
    this.windowStart = t < this.windowStart + 2 * WINDOW_S ? this.windowStart + WINDOW_S : t;
  }

  /** See FLASH_SHARE. (The rounding of Σx² against the mean's square sets a floor under the least residual.) */
  private flashing(w: Window): boolean {
    return w.residual > FLASH_SHARE * w.explained && w.residual > FLASH_RESIDUAL * this.leastResidual + 1e-12 * w.meanSquared;
  }

  private settle(): void {
    let done = 0;
    while (done < this.pending.length && this.pending[done]!.endS < this.lastTime - SETTLE_S) this.count(this.pending[done++]!);
    if (done > 0) this.pending.splice(0, done);
  }

  private count(w: Window): void {
    if (w.busy || this.flashing(w)) return;
    this.quiet++;
    for (let k = 0; k < w.amplitude.length; k++) this.quietSum[k]! += w.amplitude[k]!;
  }
}
