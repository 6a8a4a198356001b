/**
 * Display stage: a level sequence → the light a screen (or LED) emits over time.
 *
 * A screen changes what it shows only at a refresh, so each level lasts a whole number of
 * refreshes; a weak phone or a throttled browser sometimes misses a refresh and the level stays
 * one refresh longer (delayed, never skipped). Code values become light through the sRGB
 * transfer. Pixels do not switch instantly: an LCD approaches each new level along a first-order
 * curve with separate rise and fall time constants (so with slow pixels the gap between two
 * pulses may never get back to black), an OLED switches in about 0.1 ms but may be dimmed by
 * pulse-width modulation, which chops the light into PWM-rate bursts.
 *
 * Light is in units of the panel's full white (white = 1) and is rendered as its mean over each
 * step of a fine time grid, which is exact for the first-order pixel and for the PWM duty cycle
 * whatever the step, and keeps the later stages simple.
 */
import { BlinkUpError, ErrorCode } from '../packet/errors.js';
import type { Random } from '../util/random.js';
import { schedule } from '../schedule/schedule.js';
import { srgbCodeToLinear } from '../util/srgb.js';
import { checkChoice, checkInteger, checkRange, withDefaults } from './validate.js';

export type PanelType = 'lcd' | 'oled';

/** How the transmitter shows the levels. Times in seconds unless the name says otherwise. */
export interface DisplayOptions {
  /** Panel refresh rate, Hz (60, 90, 120, 144, …). Default 60. */
  readonly refreshHz: number;
  /**
   * Flashing rate in levels per second; must divide `refreshHz` (each level is held
   * refreshHz / fps refreshes: 1 at 60 fps on 60 Hz, 2 at 30 fps, 3 at 20 fps). Default 60.
   */
  readonly fps: number;
  /** Probability that a level stays one extra refresh (a missed refresh). Default 0.02. */
  readonly heldLevelProbability: number;
  /**
   * Stalls of the flashing app per transmission (a busy main thread, a weak phone): the level on
   * screen stays up `stallS` longer, then flashing goes on where it was. At levels drawn from the
   * seed, anywhere in the transmission. Default 0.
   */
  readonly stalls: number;
  /** Length of each stall, s. Default 0.2. */
  readonly stallS: number;
  /** Display clock error, ppm; positive means the panel refreshes faster than nominal. Default 0. */
  readonly displayClockPpm: number;
  /** Code value of the grey level (0xbf in SDK 0.3.0, 0x9f in the 2014 flasher). Default 0xbf. */
  readonly greyCode: number;
  /** Light of a black pixel as a fraction of white's (backlight leakage). Default 0.001. */
  readonly blackLevel: number;
  /** Panel technology. Default 'lcd'. */
  readonly panel: PanelType;
  /** LCD first-order time constant towards a brighter level, ms. Default 3 on 60 Hz, scaled by 60 / refreshHz on faster panels. */
  readonly lcdRiseMs: number;
  /** LCD first-order time constant towards a darker level, ms. Default 10 on 60 Hz, scaled by 60 / refreshHz on faster panels. */
  readonly lcdFallMs: number;
  /** OLED first-order time constant (both directions), ms. Default 0.1. */
  readonly oledResponseMs: number;
  /**
   * Refreshes over which the panel's driver spreads a step from black to white (some OLED drivers
   * stage a big step over about three refreshes): the light shown moves by at most
   * 1 / `stagedRefreshes` of the black-to-white range at each refresh, so at one refresh per level
   * a white after black shows no brighter than a grey. 1 (the default) switches at once.
   */
  readonly stagedRefreshes: number;
  /** PWM dimming frequency, Hz; 0 for steady light. Default 0. */
  readonly pwmHz: number;
  /** PWM on-time as a fraction of each period, (0, 1]; light is emitted only then. Default 1. */
  readonly pwmDuty: number;
  /** Black shown before the first transmission, s. Default 0.5. */
  readonly leadInS: number;
  /** Black shown after the last transmission, s. Default 0.5. */
  readonly leadOutS: number;
  /** How many times the app flashes the sequence. Default 1. */
  readonly repeat: number;
  /** Black between repetitions, s. Default 1. */
  readonly repeatGapS: number;
  /** Where in a refresh period t = 0 falls, [0, 1); drawn from the seed when undefined. */
  readonly refreshPhase?: number | undefined;
}

/** Typical transmitter (CHANNEL.md "typical" column): a 60 Hz LCD flashing at 60 fps. */
export const DISPLAY_DEFAULTS: DisplayOptions = {
  refreshHz: 60,
  fps: 60,
  heldLevelProbability: 0.02,
  stalls: 0,
  stallS: 0.2,
  displayClockPpm: 0,
  greyCode: 0xbf,
  blackLevel: 0.001,
  panel: 'lcd',
  lcdRiseMs: 3,
  lcdFallMs: 10,
  oledResponseMs: 0.1,
  stagedRefreshes: 1,
  pwmHz: 0,
  pwmDuty: 1,
  leadInS: 0.5,
  leadOutS: 0.5,
  repeat: 1,
  repeatGapS: 1,
};

/** Slowest PWM an LCD's backlight is dimmed with (CHANNEL.md: steady, or fast PWM at kHz). */
export const LCD_BACKLIGHT_MIN_PWM_HZ = 1000;

/**
 * Defaults filled in and every value range-checked (throws `OPTION_INVALID`). The default LCD
 * time constants are a 60 Hz panel's: a faster panel is sold with faster pixels (CHANNEL.md: keep
 * panels physically consistent; the tiers scale them the same way), so unless given they shrink
 * by 60 / refreshHz — a 120 Hz panel whose pixels took 10 ms to fall would blur its own frames.
 */
export function resolveDisplayOptions(partial?: Partial<DisplayOptions>): DisplayOptions {
  const scale = Math.min(1, 60 / (partial?.refreshHz ?? DISPLAY_DEFAULTS.refreshHz));
  const panel = { ...DISPLAY_DEFAULTS, lcdRiseMs: DISPLAY_DEFAULTS.lcdRiseMs * scale, lcdFallMs: DISPLAY_DEFAULTS.lcdFallMs * scale };
  const o = withDefaults(panel, partial);
  checkRange('refreshHz', o.refreshHz, 1, 1000);
  checkRange('fps', o.fps, 1, 1000);
  checkRange('heldLevelProbability', o.heldLevelProbability, 0, 0.95);
  checkInteger('stalls', o.stalls, 0, 1000);
  checkRange('stallS', o.stallS, 0, 60);
  checkRange('displayClockPpm', o.displayClockPpm, -100_000, 100_000);
  checkInteger('greyCode', o.greyCode, 0, 255);
  checkRange('blackLevel', o.blackLevel, 0, 0.5);
  checkChoice('panel', o.panel, ['lcd', 'oled'] as const);
  checkRange('lcdRiseMs', o.lcdRiseMs, 0.001, 1000);
  checkRange('lcdFallMs', o.lcdFallMs, 0.001, 1000);
  checkRange('oledResponseMs', o.oledResponseMs, 0.001, 100);
  checkInteger('stagedRefreshes', o.stagedRefreshes, 1, 10);
  checkRange('pwmHz', o.pwmHz, 0, 100_000);
  checkRange('pwmDuty', o.pwmDuty, 0.001, 1);
  // CHANNEL.md: an LCD's backlight is steady or PWM-dimmed at kHz; slower PWM dims an OLED.
  if (o.panel === 'lcd' && o.pwmHz > 0 && o.pwmHz < LCD_BACKLIGHT_MIN_PWM_HZ) {
    throw new BlinkUpError(ErrorCode.OPTION_INVALID, `option pwmHz must be 0 or at least ${LCD_BACKLIGHT_MIN_PWM_HZ} on an LCD, whose backlight is dimmed at kHz (PWM at ${o.pwmHz} Hz dims an OLED)`);
  }
  // A stall shorter than a refresh shows nothing: the level cannot stay up a fraction of one.
  if (o.stalls > 0 && o.stallS > 0 && o.stallS < 1 / o.refreshHz) {
    throw new BlinkUpError(ErrorCode.OPTION_INVALID, `option stallS must be 0 or at least one refresh (${(1000 / o.refreshHz).toFixed(1)} ms at ${o.refreshHz} Hz) for a stall to show`);
  }
  checkRange('leadInS', o.leadInS, 0, 86_400);
  checkRange('leadOutS', o.leadOutS, 0, 86_400);
  checkInteger('repeat', o.repeat, 1, 10_000);
  checkRange('repeatGapS', o.repeatGapS, 0, 86_400);
  if (o.refreshPhase !== undefined) checkRange('refreshPhase', o.refreshPhase, 0, 0.999999);
  return o;
}

/** When one flash of the whole sequence was on screen (true time, s). */
export interface TransmissionTruth {
  /** First level appears. */
  readonly startS: number;
  /** Last level (the trailer's final black) ends. */
  readonly endS: number;
  /** Start of each level; one extra entry at the end equal to `endS`. */
  readonly levelStartS: Float64Array;
  /** Levels that stayed one extra refresh. */
  readonly heldLevels: number;
  /** Indices of the levels at which the app stalled (see `DisplayOptions.stalls`), ascending. */
  readonly stalledLevels: readonly number[];
}

/**
 * What the display will show, decided once (held levels and phases drawn from the seed):
 * a list of segments of constant target light. Segment i runs from `segmentStartS[i]` to
 * `segmentStartS[i + 1]` (the last one to `durationS`).
 */
export interface DisplaySchedule {
  /** True refresh period (clock error included), s. */
  readonly refreshPeriodS: number;
  /** Refreshes per level before holds (refreshHz / fps). */
  readonly refreshesPerLevel: number;
  /** Lead-in, transmissions, gaps and lead-out, s. */
  readonly durationS: number;
  readonly segmentStartS: Float64Array;
  /** Target light of each segment (white = 1). */
  readonly segmentLight: Float32Array;
  /** Light of black, grey and white pixels, indexed by level. */
  readonly levelLight: readonly [number, number, number];
  /** Mean fraction of time the panel emits (the PWM duty, 1 without PWM). */
  readonly meanDuty: number;
  /** A time at which a PWM period starts, s. */
  readonly pwmPhaseS: number;
  readonly transmissions: readonly TransmissionTruth[];
}

/** Decide when every level is shown. Levels must be 0, 1 or 2 (`LEVELS_INVALID` otherwise). */
export function scheduleDisplay(levels: Uint8Array, options: DisplayOptions, rng: Random): DisplaySchedule {
  // The project's frame schedule is the single authority on which fps a refresh rate can show.
  const { refreshesPerFrame } = schedule(levels, { fps: options.fps, refreshHz: options.refreshHz });
  const refreshPeriodS = 1 / (options.refreshHz * (1 + options.displayClockPpm * 1e-6));
  const phase = (options.refreshPhase ?? rng.next()) * refreshPeriodS;
  const pwmPhaseS = options.pwmHz > 0 ? rng.next() / options.pwmHz : 0;
  // Refresh k happens at phase + k·period; working in whole refresh counts keeps every edge exact.
  const refreshTime = (k: number): number => phase + k * refreshPeriodS;
  const firstRefreshAtOrAfter = (t: number): number => Math.max(0, Math.ceil((t - phase) / refreshPeriodS - 1e-9));

  const black = options.blackLevel;
  const levelLight: [number, number, number] = [black, black + (1 - black) * srgbCodeToLinear(options.greyCode), 1];
  const n = levels.length;
  const segments = 1 + options.repeat * (n + 1);
  const segmentStartS = new Float64Array(segments);
  const segmentLight = new Float32Array(segments);
  segmentLight[0] = black;
  let s = 1;
  const transmissions: TransmissionTruth[] = [];
  let k = firstRefreshAtOrAfter(options.leadInS);
  for (let r = 0; r < options.repeat; r++) {
    if (r > 0) k = Math.max(k, firstRefreshAtOrAfter(transmissions[r - 1]!.endS + options.repeatGapS));
    const levelStartS = new Float64Array(n + 1);
    let held = 0;
    // (Drawn only when asked for: captures without stalls stay as every seed made them before.)
    const stalledLevels = Array.from({ length: options.stalls }, () => rng.int(0, n - 1)).sort((a, b) => a - b);
    const stallRefreshes = Math.round(options.stallS / refreshPeriodS);
    let nextStall = 0;
    for (let i = 0; i < n; i++) {
      levelStartS[i] = refreshTime(k);
      segmentStartS[s] = levelStartS[i]!;
      segmentLight[s++] = levelLight[levels[i]!]!;
      k += refreshesPerFrame;
      for (; nextStall < stalledLevels.length && stalledLevels[nextStall] === i; nextStall++) k += stallRefreshes;
      if (options.heldLevelProbability > 0 && rng.chance(options.heldLevelProbability)) {
        k++;
        held++;
      }
    }
    levelStartS[n] = refreshTime(k);
    segmentStartS[s] = levelStartS[n]!;
    segmentLight[s++] = black;
    transmissions.push({ startS: levelStartS[0]!, endS: levelStartS[n]!, levelStartS, heldLevels: held, stalledLevels });
  }
  const durationS = transmissions[transmissions.length - 1]!.endS + options.leadOutS;
  const staged = options.stagedRefreshes > 1 ? stageSteps(segmentStartS, segmentLight, refreshPeriodS, (1 - black) / options.stagedRefreshes) : null;
  return {
    refreshPeriodS,
    refreshesPerLevel: refreshesPerFrame,
    durationS,
    segmentStartS: staged ? staged.startS : segmentStartS,
    segmentLight: staged ? staged.light : segmentLight,
    levelLight,
    meanDuty: options.pwmHz > 0 ? options.pwmDuty : 1,
    pwmPhaseS,
    transmissions,
  };
}

/**
 * A driver that stages its steps: the segments of constant target light (every boundary on a
 * refresh) become segments of the light actually shown, which moves towards each target by at
 * most `maxStep` a refresh — a staircase the (fast) pixel then follows.
 */
function stageSteps(startS: Float64Array, light: Float32Array, refreshPeriodS: number, maxStep: number): { startS: Float64Array; light: Float32Array } {
  const starts: number[] = [];
  const shownLight: number[] = [];
  let shown = light[0]!;
  for (let i = 0; i < startS.length; i++) {
    const target = light[i]!;
    const refreshes = i + 1 < startS.length ? Math.round((startS[i + 1]! - startS[i]!) / refreshPeriodS) : Infinity;
    for (let r = 0; r < refreshes; r++) {
      const step = target - shown;
      shown = Math.abs(step) <= maxStep ? target : shown + Math.sign(step) * maxStep;
      starts.push(startS[i]! + r * refreshPeriodS);
      shownLight.push(shown);
      if (shown === target) break; // the rest of the segment shows the target
    }
  }
  return { startS: Float64Array.from(starts), light: Float32Array.from(shownLight) };
}

/**
 * Renders the emitted light of a `DisplaySchedule` on a fine time grid, block by block.
 * Stateful (pixel state, current segment): blocks must be rendered in time order.
 */
export class DisplayLight {
  private readonly starts: Float64Array;
  private readonly light: Float32Array;
  private readonly riseS: number;
  private readonly fallS: number;
  private readonly pwmHz: number;
  private readonly pwmDuty: number;
  private readonly pwmPhaseS: number;
  private segment = 0;
  private pixel: number;

  constructor(display: DisplaySchedule, options: DisplayOptions) {
    this.starts = display.segmentStartS;
    this.light = display.segmentLight;
    const lcd = options.panel === 'lcd';
    this.riseS = (lcd ? options.lcdRiseMs : options.oledResponseMs) * 1e-3;
    this.fallS = (lcd ? options.lcdFallMs : options.oledResponseMs) * 1e-3;
    this.pwmHz = options.pwmHz;
    this.pwmDuty = options.pwmDuty;
    this.pwmPhaseS = display.pwmPhaseS;
    this.pixel = display.segmentLight[0]!; // the panel has shown black long before t = 0
  }

  /**
   * Fill `out[0..count)` with the mean light over steps [t0 + i·dt, t0 + (i+1)·dt).
   * Each call must continue exactly where the previous one ended.
   */
  render(out: Float64Array, count: number, t0: number, dt: number): void {
    const starts = this.starts;
    const light = this.light;
    const lastSegment = starts.length - 1;
    const riseS = this.riseS;
    const fallS = this.fallS;
    const riseDecay = Math.exp(-dt / riseS);
    const fallDecay = Math.exp(-dt / fallS);
    const pwm = this.pwmHz > 0;
    let segment = this.segment;
    let nextStart = segment < lastSegment ? starts[segment + 1]! : Infinity;
    let pixel = this.pixel;
    let onBefore = pwm ? this.pwmOnTime(t0) : 0;
    for (let i = 0; i < count; i++) {
      const a = t0 + i * dt;
      const b = a + dt;
      // Integrate the first-order pixel over the step, split where the target changes:
      // pixel(t) = target + (p0 − target)·e^(−t/τ), whose integral over h is
      // target·h + (p0 − target)·τ·(1 − e^(−h/τ)).
      let integral = 0;
      let s = a;
      for (;;) {
        const e = nextStart < b ? nextStart : b;
        const h = e - s;
        if (h > 0) {
          const target = light[segment]!;
          const rising = target >= pixel;
          const tau = rising ? riseS : fallS;
          const decay = s === a && e === b ? (rising ? riseDecay : fallDecay) : Math.exp(-h / tau);
          integral += target * h + (pixel - target) * tau * (1 - decay);
          pixel = target + (pixel - target) * decay;
        }
        if (e >= b) break;
        segment++;
        nextStart = segment < lastSegment ? starts[segment + 1]! : Infinity;
        s = e;
      }
      let mean = integral / dt;
      if (pwm) {
        const onAfter = this.pwmOnTime(b);
        mean *= (onAfter - onBefore) / dt;
        onBefore = onAfter;
      }
      out[i] = mean;
    }
    this.segment = segment;
    this.pixel = pixel;
  }

  /** Total PWM on-time from the PWM phase origin up to `t`, s. */
  private pwmOnTime(t: number): number {
    const u = (t - this.pwmPhaseS) * this.pwmHz;
    const period = Math.floor(u);
    const within = u - period;
    return (period * this.pwmDuty + (within < this.pwmDuty ? within : this.pwmDuty)) / this.pwmHz;
  }
}

