/**
 * From numbers to what to do: the verdicts `analyze` lists, and the hint `decode` adds when it
 * found no packet. A firmware author tunes a receiver with a gain resistor, the sensor's
 * distance from the screen and a shield against room light; each verdict names the measured
 * number and the knob that moves it.
 *
 * The thresholds follow CHANNEL.md: a tuned circuit swings 0.3–0.6 of full scale and 0.1 is the
 * vendor decoder's stated limit; the decoder copes with ±3 % sampler clocks and 25 % held levels.
 */
import { isLampRate } from '../decoder/framer.js';
import { MAX_AMBIGUOUS_PERIODS } from '../decoder/report.js';
import type { SignalReport } from '../decoder/types.js';
import type { DecodeRun } from './decode-capture.js';
import type { FlickerEstimate } from './flicker-meter.js';
import { fixed, fraction, glitchesText, level, lightStepsText, mainsRipple, percent, plural, rippleText, stallsText } from './format.js';

export type Severity = 'problem' | 'note' | 'good';

export interface Advice {
  readonly severity: Severity;
  readonly text: string;
}

export interface SignalFacts {
  readonly report: SignalReport;
  /** Range of the raw samples (for captures where no levels were learned). */
  readonly min: number;
  readonly max: number;
  readonly durationS: number;
  /** Nominal sample (frame) rate, Hz, when known. */
  readonly sampleRate?: number | undefined;
  /** Ripple of room light at 100/120 Hz, when it could be measured. */
  readonly flicker?: FlickerEstimate | undefined;
  /** Video: the knobs are exposure and framing, not a gain resistor. */
  readonly camera: boolean;
  /**
   * False when the full scale is a placeholder (volts, no --full-scale): then swing, clipping and
   * headroom as fractions of it are not judged. Default true.
   */
  readonly fullScaleKnown?: boolean | undefined;
  /** Samples above the stated full scale (0 or undefined when none was stated). */
  readonly aboveFullScale?: number | undefined;
  /** Photodiode with timestamps: jumps in the times (samples the sampler lost) and the longest, seconds. */
  readonly timestampGaps?: { readonly count: number; readonly longestS: number } | undefined;
  /** Photodiode: the capture was also read turned over (more light as smaller values), and held no preamble that way either. */
  readonly readBothWays?: boolean | undefined;
  /** Video: the fraction of the frame an automatically found region covers (undefined when --roi gave it). */
  readonly foundRegionCoverage?: number | undefined;
  /** Every transmission that broke off was cut off by the end of the stream (the recording stopped first). */
  readonly endedMidPacket?: boolean | undefined;
}

/** An automatically found region wider than this fraction of the frame may have missed a small screen. */
const WIDE_REGION = 0.5;
/** Swing below this fraction of full scale is too weak; below the second, weaker than a tuned circuit. */
const WEAK_SWING = 0.1;
const LOW_SWING = 0.25;
/** A transmission takes at least this long (the clear packet at 60 fps, 2.5 s, plus margin). */
const SHORTEST_USEFUL_S = 3;
/** Saturated samples above this fraction are a problem. */
const SATURATING = 0.001;
/** White closer to the ceiling than this is a warning. */
const NEAR_CEILING = 0.9;
/** Below this fraction of full scale a photodiode circuit is linear: a squashed white there is the screen's doing. */
const LINEAR_TOP = 0.75;
/** The slowest rate flashers use (20 fps on a 60 Hz screen: three refreshes a level). */
const SLOWEST_COMMON_FPS = 20;
/** Grey/white gap (fraction of swing) and decision margin (σ) below which decisions are unsafe. */
const CLOSE_GAP = 0.2;
const LOW_MARGIN_SIGMAS = 4;
/** Flicker ripple (peak-to-peak, fraction of swing) that is strong, and that is worth a note. */
const STRONG_FLICKER = 0.25;
const NOTICEABLE_FLICKER = 0.1;
/** Quiet windows (0.1 s each) the flicker must be measured in to be judged. */
const MIN_FLICKER_WINDOWS = 3;
/**
 * The same for ripple at the mains frequency itself (a half-wave lamp, hum), which the decoder
 * does not cancel: in the lamp study (README) the typical tier loses captures from a lamp 20 %
 * deep, some 0.04–0.2 of the swing.
 */
const STRONG_LAMP = 0.1;
const NOTICEABLE_LAMP = 0.03;
/** Clock error the decoder copes with, ppm. */
const CLOCK_LIMIT_PPM = 30_000;
/**
 * Samples per flashed frame below which period measurements are too coarse to judge a clock by:
 * at 120 fps sampled at 1 kHz (8 a frame) a slow LCD's edges wander by a good part of a frame,
 * and simulated captures there measured clocks off by up to 3 %.
 */
const MIN_SAMPLES_FOR_CLOCK = 10;
/** A jump in the timestamps this long swallows most of a 60 fps frame: a pulse may be lost. */
const LOST_PULSE_S = 0.015;
/** Fraction of levels held an extra refresh that points at a struggling transmitter. */
const MANY_HELD = 0.1;
/** A screen dimmed by PWM, and what to do about it: its light comes in bursts the sampler catches or misses. */
const PWM_BURSTS = "the screen's light comes in bursts (an OLED dimmed by PWM below full brightness)";
const PWM_FIX = "turn the screen's brightness to full (a fixture's LED: PWM at 20 kHz or more), or let the receiver average the bursts (a low-pass of about 2 ms: a capacitor across the load resistor)";
/** Said instead of judging swing and clipping when the values are volts and no full scale was given. */
const UNKNOWN_SCALE = 'the samples are not ADC codes (volts?), so swing and clipping cannot be judged: give --full-scale, e.g. the ADC reference voltage';

/** Every verdict for the signal, problems first; "good signal" when there is no problem. */
export function adviseSignal(f: SignalFacts): Advice[] {
  const r = f.report;
  const out = r.swing > 0 ? adviseLearned(f) : adviseUnlearned(f);
  adviseGaps(f, out);
  adviseGlitches(f, out);
  adviseSampleRate(f, out);
  if (!out.some((a) => a.severity === 'problem')) adviseNoPacket(f, out);
  out.sort((a, b) => rank(a.severity) - rank(b.severity));
  if (!out.some((a) => a.severity === 'problem') && r.swing > 0) {
    const swing = f.fullScaleKnown === false ? '' : `swing ${fixed(r.swingFraction, 2)} of full scale, `;
    // (No margin when no pulse was judged against a learned level: a packet the camera-rate stage read.)
    const margin = Number.isFinite(r.marginSigmas) ? `, decision margin ${fixed(r.marginSigmas, 1)} σ` : '';
    out.push({ severity: 'good', text: `good signal: ${swing}SNR ${fixed(r.snrDb, 0)} dB${margin}` });
  }
  return out;
}

/** The dark standing above this fraction of full scale: room light fills the sensor (see roomLightClips). */
const ROOM_LIGHT_FILLS = 0.5;
/** Lowest sample rate of CHANNEL.md's sampler range. */
const LOWEST_TESTED_RATE = 500;

/** A bit read with less confidence than this was in doubt (as the decoder's NEAR_COPY rule holds). */
const DOUBTFUL_BIT = 0.5;

/**
 * A transmission failed or broke off and none decoded, though no measure of the signal is at
 * fault: never call that a good signal. (With a problem found, that problem is the likelier cause.)
 */
function adviseNoPacket(f: SignalFacts, out: Advice[]): void {
  const r = f.report;
  const camera = f.camera;
  if (r.packets > 0) return;
  if (r.failures > 0) {
    if (r.minConfidence >= DOUBTFUL_BIT) {
      // Every bit read clearly: the packet as sent fails its check (a good signal, a bad sender).
      // (Why it fails is said beside it: decode's line, analyze's count of failed checks.)
      out.push(problem('every bit was read clearly, so the packet fails its check as it was sent: check the app or fixture that makes it'));
      return;
    }
    // The levels stand apart on the whole, but some bits did not (a burst of noise or
    // interference, a level merged with its neighbour): the least sure bit says how close it came.
    const least = Number.isFinite(r.minConfidence) ? ` (least sure bit ${fixed(r.minConfidence, 2)})` : '';
    out.push(problem(`the levels look sound on the whole, but bits of the transmission were misread${least}: a burst of noise or interference, or a level merged with its neighbour — flash again, or flash the packet repeatedly (copies are combined)`));
    return;
  }
  if (!(r.syncLosses > 0)) return;
  if (f.endedMidPacket === true) {
    out.push(problem('the recording stopped before the flashing ended: record from before the flash starts until after it ends (a transmission takes 3–30 s)'));
    return;
  }
  out.push(
    problem(
      `the signal itself looks sound, but the pulses stopped short of the packet's end: the flasher stalled for longer than is waited out (half a second), the light was blocked, or bits were lost on the way (${camera ? 'a camera that dropped frames: film at a steady rate, with nothing else running' : 'a sampler that drops samples: log a time column and the gaps show'}) — flash again, keeping the flashing page in front`,
    ),
  );
}

function rank(s: Severity): number {
  return s === 'problem' ? 0 : s === 'note' ? 1 : 2;
}

/** Pulse values scattering more than this many times the samples' noise were moved by the light, not by noise. */
const LIGHT_MOVED_SCATTER = 4;

/** The decoder learned black, grey and white: judge them. */
function adviseLearned(f: SignalFacts): Advice[] {
  const r = f.report;
  const out: Advice[] = [];
  if (f.fullScaleKnown === false) out.push(note(UNKNOWN_SCALE));
  else if (aboveFullScale(f)) out.push(problem(aboveFullScaleText(f)));
  else adviseHeadroomAndSwing(f, out);
  let lampNamed = false;
  if (r.greyWhiteSeparation < CLOSE_GAP) {
    out.push(problem(`grey and white are too close (gap ${fixed(r.greyWhiteSeparation, 2)} of the swing): ${squashedWhiteCause(f)}`));
  } else if (r.marginSigmas < LOW_MARGIN_SIGMAS) {
    // Pulse values that scatter far more than the samples' own noise were moved by the light
    // itself (auto-brightness, a hand, a shadow), which less noise would not cure.
    const scatter = (0.5 * (r.white - r.grey)) / r.marginSigmas;
    const moved = r.noiseRms > 0 && scatter > LIGHT_MOVED_SCATTER * r.noiseRms;
    const lamp = lampRipple(f.flicker, r.swing);
    lampNamed = !f.camera && lamp >= NOTICEABLE_LAMP;
    const fix = f.camera
      ? 'fill more of the frame with the screen and avoid auto-exposure'
      : lampNamed
        ? `a lamp's ${f.flicker!.hz} Hz ripple (${fraction(lamp)} of the swing, not cancelled) moves them: shield the sensor from that lamp`
        : moved
        ? `they scatter ${fixed(scatter / r.noiseRms, 0)} × the samples' noise, so the light itself moved (auto-brightness, a hand, a shadow): hold the phone still against the sensor and turn off auto-brightness`
        : 'reduce noise (shorter leads, a filter capacitor) or raise the swing';
    out.push(problem(`pulse values scatter too much for the grey/white gap (margin ${fixed(r.marginSigmas, 1)} σ): ${fix}`));
  }
  // (A lamp named as the scatter's cause is not named again.)
  if (!lampNamed) adviseFlicker(f, r.swing, 'the swing', out);
  // Time the sampler lost counts into the measured flash rate: no clock verdict from it.
  const clockMeasurable = f.sampleRate !== undefined && f.sampleRate / r.fps >= MIN_SAMPLES_FOR_CLOCK && !losesPulses(f);
  // A lamp's uncancelled ripple, or PWM bursts the sampler catches or misses, move the pulse edges
  // that the clock and the held levels are timed by: then they are only said to read so.
  const lampMoves = !f.camera && namesLamp(f.flicker, r.swing);
  const edgesMoved = lampMoves || (!f.camera && r.pwmSamples > 0);
  const moved = lampMoves
    ? ", though the lamp's ripple moves the pulse edges it is timed by: shield the lamp, then measure again"
    : ', though PWM bursts move the pulse edges it is timed by: measure again with the screen at full brightness';
  if (clockMeasurable && Math.abs(r.clockErrorPpm) > CLOCK_LIMIT_PPM) {
    const clock = f.camera ? 'camera clock' : 'sampler clock';
    const off = `${fixed(Math.abs(r.clockErrorPpm) / 1e4, 1)} % ${r.clockErrorPpm > 0 ? 'fast' : 'slow'}`;
    if (edgesMoved) out.push(note(`the ${clock} reads ${off}${moved}`));
    else out.push(problem(`the ${clock} is ${off}, beyond the ±3 % the decoder is tested at (it often decodes such a clock, with less margin for a weak signal): check the ${f.camera ? 'frame rate' : 'sample rate or use a crystal'}`));
  }
  const frames = 2 * r.pulses;
  if (frames > 0 && r.heldLevels / frames > MANY_HELD) {
    const held = `${r.heldLevels} ${plural(r.heldLevels, 'level')} (${percent(r.heldLevels / frames)})`;
    if (edgesMoved) out.push(note(`${held} seem to have stayed an extra refresh${moved}`));
    else out.push(note(`${held} stayed an extra refresh: the flashing phone or browser is dropping frames (close other apps, turn off battery saving)`));
  }
  if (r.ambiguousPeriods > MAX_AMBIGUOUS_PERIODS) {
    // (Not at a camera's rates: there `ambiguousPeriods` is NaN.)
    out.push(note(`pulse edges wander: ${percent(r.ambiguousPeriods)} of pulse periods lay between whole refreshes (slow pixels, or noise), so the clock is not measured and held levels are rough; flashing at ${r.nominalFps / 2} fps gives the pixels time to settle`));
  }
  if (r.pwmSamples > 0 && !f.camera) {
    if (r.packets > 0) out.push(note(`${PWM_BURSTS}: decoded, but the bursts the sampler misses make pulses uneven; ${PWM_FIX}`));
    // First among the problems: the bursts are what scatter the pulse values and the margin.
    else out.unshift(problem(`${PWM_BURSTS} that the sampler catches or misses: ${PWM_FIX}`));
  }
  if (r.packets > 0 && r.minConfidence < DOUBTFUL_BIT) {
    const fix = r.pwmSamples > 0 ? PWM_FIX : namesLamp(f.flicker, r.swing) ? 'shield the sensor from the lamp flickering at the mains frequency' : 'reduce noise or raise the swing';
    out.push(note(`decoded, but with a bit in doubt (least sure ${fixed(r.minConfidence, 2)}, margin ${fixed(r.marginSigmas, 1)} σ): little margin is left — ${fix}`));
  }
  if (mainsRipple(r)) {
    // The same ripple rides on the flash, uncancelled: it costs packets when deep (README, lamp table).
    const text = `${rippleText(r.rippleRuns, r.rippleHz!)}: shield the sensor from that lamp, or look for hum in its wiring — the ripple rides on the flash too, and is not cancelled`;
    out.push(r.packets > 0 ? note(text) : problem(text));
  }
  if (r.lightSteps > 0) {
    out.push(note(`${lightStepsText(r.lightSteps)}: hold the sensor or the phone steady, out of moving shadows — a step of a third or more can lose bits before the levels follow`));
  }
  if (r.flasherStalls > 0) {
    // After a step down, pulses dimmed below the levels read as a pause until the levels follow:
    // the count may be the step's, not the flasher's.
    const advice =
      r.lightSteps > 0
        ? 'the flashing phone or browser is busy (close other apps, keep the flashing page in front) — or, with the light stepping, pulses dimmed below the levels read as a pause until they followed'
        : 'the flashing phone or browser is busy (close other apps, keep the flashing page in front)';
    out.push(note(`${stallsText(r.flasherStalls, '; a stall over half a second breaks it off')}: ${advice}`));
  }
  return out;
}

/**
 * Why white stands little above grey. Linear sensors see grey at 0.35–0.52 of the way to white;
 * much closer means white is squashed — by a sensor clipping or leaving its linear range near the
 * top, or, when white stands far below the top, by the screen itself: it did not reach its white
 * within a frame (slow pixels, or a driver that steps a big change over several refreshes, so a
 * white after black shows hardly brighter than a grey). More refreshes a level give it time.
 */
function squashedWhiteCause(f: SignalFacts): string {
  const r = f.report;
  if (r.saturationFraction > SATURATING) return 'the sensor clips white down towards grey; lower the gain';
  if (f.camera) return 'white is compressed: lower the exposure';
  if (f.fullScaleKnown === false || !(r.white < LINEAR_TOP * r.fullScale)) return 'the sensor is not linear near the top: lower the gain';
  const screen = "white stands well below the top of the range, so the screen itself falls short of white within a frame (slow pixels, or a driver that steps a big change over several refreshes)";
  return r.nominalFps > SLOWEST_COMMON_FPS
    ? `${screen}: flash at ${SLOWEST_COMMON_FPS} fps, so that each level lasts three refreshes`
    : `${screen}: check that the flashing page shows full white (no night mode or reduced white point)`;
}

/** Clipping, headroom and swing: fractions of the full scale, so only when it is known. */
function adviseHeadroomAndSwing(f: SignalFacts, out: Advice[]): void {
  const r = f.report;
  const clipped = `${f.camera ? 'the screen is overexposed' : 'sensor saturates'} (${percent(r.saturationFraction)} of samples at the top of the range)`;
  const fix = f.camera ? 'lower the exposure or the screen brightness' : 'lower the gain or move the sensor away from the screen';
  if (r.saturationFraction > SATURATING && r.grey < NEAR_CEILING * r.fullScale && !(r.greyWhiteSeparation < CLOSE_GAP)) {
    // Only white clips, and grey stays clear of the top: decoding is unaffected (the encoder's
    // own frames put white at the top of the range by design), and where nothing decoded, the
    // clipping is not what failed. Tri-level fails once grey clips too.
    const effect = r.packets > 0 ? 'and decoding is unaffected' : 'so that is not what failed';
    out.push(note(`${clipped}, but grey stays clear of it ${effect}: before a brighter screen clips grey too, ${fix}`));
  } else if (r.saturationFraction > SATURATING) {
    out.push(problem(`${clipped}: ${roomLightClips(f, r.black) ? roomLightFix(r.black / r.fullScale) : fix}`));
  } else if (r.white > NEAR_CEILING * r.fullScale) {
    out.push(note(`white is at ${fixed(r.white / r.fullScale, 2)} of full scale, close to saturating: ${f.camera ? 'a little less exposure' : 'a little less gain'} would leave headroom`));
  }
  const swing = fraction(r.swingFraction);
  if (r.swingFraction < WEAK_SWING) out.push(problem(`swing is ${swing} of full scale: ${weakSwingFix(f.camera)}`));
  else if (r.swingFraction < LOW_SWING) out.push(note(`swing is ${swing} of full scale, below the 0.3–0.6 of a tuned circuit: ${weakSwingFix(f.camera)} for more margin`));
}

/** No preamble was found, so no levels: what the raw samples say. */
function adviseUnlearned(f: SignalFacts): Advice[] {
  const r = f.report;
  const out: Advice[] = [];
  const range = f.max - f.min;
  const spanned = range / r.fullScale;
  const above = aboveFullScale(f);
  const known = f.fullScaleKnown !== false && !above;
  // Samples held at the top span little because they are clipped, not because the light is weak
  // or the noise strong: more gain would be the wrong advice.
  const clipped = r.saturationFraction > SATURATING;
  if (f.fullScaleKnown === false) out.push(note(UNKNOWN_SCALE));
  else if (above) out.push(problem(aboveFullScaleText(f)));
  // A video too slow for the flash mixes its frames: its swing and exposure then mislead, so the
  // frame rate comes first (a screen recording at 30 fps of 60 fps flashing).
  if (f.camera && f.sampleRate !== undefined && f.sampleRate < 40 && f.max > f.min) out.push(problem(lowerFirst(cameraRateAdvice(f.sampleRate))));
  if (!(f.max >= f.min)) {
    out.push(problem(`the capture holds no sample that is a number (${r.nonFiniteSamples} NaN or ±Infinity): check what the logger writes`));
  } else if (!(range > 0)) {
    out.push(problem(`the signal is constant: ${f.camera ? 'is the screen in the picture?' : 'is the sensor connected and facing the screen?'}`));
  } else if (known && spanned < WEAK_SWING && !clipped) {
    out.push(problem(`signal swing is ${fraction(spanned)} of full scale: ${weakSwingFix(f.camera)}`));
  }
  if (known && clipped) {
    const fix = f.camera ? 'lower the exposure' : roomLightClips(f, f.min) ? roomLightFix(f.min / r.fullScale) : 'lower the gain or move the sensor away';
    out.push(problem(`${f.camera ? 'the picture is overexposed' : 'sensor saturates'} (${percent(r.saturationFraction)} of samples at the top of the range): ${fix}`));
  }
  if (r.pwmSamples > 0 && !f.camera) {
    out.push(problem(`${PWM_BURSTS} and the sampler caught too few of them to find the preamble: ${PWM_FIX}`));
  }
  if (range > 0 && r.noiseRms > 0 && range < 8 * r.noiseRms && !clipped) {
    out.push(problem(`the signal is buried in noise (range ${fixed(range / r.noiseRms, 1)} × the noise): ${weakSwingFix(f.camera)}`));
  }
  if (f.durationS < SHORTEST_USEFUL_S) {
    out.push(problem(`the capture is only ${fixed(f.durationS, 1)} s long and a transmission takes 3–30 s: record from before the flashing starts until after it ends`));
  }
  adviseFlicker(f, range, 'the signal range', out);
  if (range > 0 && r.levelsOutOfOrder && !out.some((a) => a.severity === 'problem')) {
    // A transmission was received, but the levels it was judged on lost their order.
    const steady = f.camera ? "lock the camera's exposure and hold it still" : "hold the phone still and turn off the screen's auto-brightness";
    out.push(problem(`a transmission was received, but the light changed so much meanwhile that black, grey and white lost their order: ${steady}`));
  } else if (range > 0 && !out.some((a) => a.severity === 'problem')) {
    // Nothing wrong with the samples themselves, yet no preamble: never leave the verdict empty.
    const spans = known ? ` (it spans ${fraction(spanned)} of full scale)` : '';
    const source = f.camera ? 'the flashing screen in the picture' : 'the screen flashing BlinkUp';
    // A phototransistor pulling its output down (common emitter) gives less for more light: the decoder needs the opposite.
    const polarity = f.camera ? '' : f.readBothWays === true ? ' (it was read either way up: more light as larger values, and as smaller)' : ', and does more light give larger values (if not, add --invert)';
    // A camera below two frames per flashed frame blurs pulses into each other as a slow LCD does.
    const blur = f.camera
      ? cameraRateAdvice(f.sampleRate)
      : 'Slow pixels (an old LCD, or an OLED whose driver steps big changes over several refreshes) smear pulses at 60 fps and faster (flash at 30 or 20 fps)';
    // A region found over most of the frame: what changed most was the whole scene (a lamp, a
    // moving camera), not a small flashing patch — the search may have missed the screen.
    const coverage = f.foundRegionCoverage;
    const region = coverage !== undefined && coverage > WIDE_REGION ? `. The region found covers ${Math.round(100 * coverage)} % of the frame: if the screen is in the picture, give its place with --roi x,y,w,h` : '';
    out.push(problem(`the signal changes${spans} but holds no BlinkUp preamble: was ${source} while this was recorded${polarity}? ${blur}; --plot shows them${region}`));
  }
  return out;
}

/**
 * A camera needs about two frames per flashed frame (one where every frame mixes two flashed
 * ones decodes only now and then): with the video's frame rate known and below twice BlinkUp's
 * slowest flashing (20 fps), the advice says what this video can follow.
 */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function cameraRateAdvice(fps: number | undefined): string {
  const general = 'A camera needs two frames or more per flashed frame (flashing at 60 fps needs a camera at 120 fps or more)';
  if (fps === undefined || !(fps < 40)) return general;
  return `A camera needs two frames or more per flashed frame, and this video has ${fixed(fps, fps % 1 === 0 ? 0 : 2)} a second: flash at 20 fps and film at 40 fps or more (60 fps is common)`;
}

/**
 * Samples beyond the stated full scale (a wrong --full-scale or header): every fraction of it,
 * and the clipping measured against it, would mislead. Video is linear light, never above 1.
 */
function aboveFullScale(f: SignalFacts): boolean {
  return !f.camera && f.fullScaleKnown !== false && f.max > f.report.fullScale && !glitchesOnly(f);
}

/** Every sample above the stated full scale was a glitch the decoder replaced (see adviseGlitches). */
function glitchesOnly(f: SignalFacts): boolean {
  return f.aboveFullScale !== undefined && f.aboveFullScale <= f.report.glitchSamples;
}

/** Glitches the decoder replaced: the capture decodes, but the link that carried it corrupts samples. */
function adviseGlitches(f: SignalFacts, out: Advice[]): void {
  const n = f.report.glitchSamples;
  if (!(n > 0)) return;
  const over = f.max > f.report.fullScale && glitchesOnly(f) ? `, up to ${level(f.max)} where the ADC's full scale is ${level(f.report.fullScale)}` : '';
  out.push(note(`${glitchesText(n, over)}: check the serial link or the ADC's wiring (ground, shielding)`));
}

function aboveFullScaleText(f: SignalFacts): string {
  return `samples reach ${level(f.max)}, above the full scale of ${level(f.report.fullScale)}: give the ADC's real full scale with --full-scale (4095 for 12 bits), or remove corrupt samples`;
}

function losesPulses(f: SignalFacts): boolean {
  return f.timestampGaps !== undefined && f.timestampGaps.longestS >= LOST_PULSE_S;
}

function adviseGaps(f: SignalFacts, out: Advice[]): void {
  const gaps = f.timestampGaps;
  if (!gaps || gaps.count === 0) return;
  const text = `the timestamps jump ${gaps.count} ${plural(gaps.count, 'time')} (longest ${fixed(gaps.longestS * 1000, 1)} ms): the sampler lost samples`;
  // Every transmission decoded: the gaps fell between them (two logs joined) or cost no pulse.
  const r = f.report;
  const allDecoded = r.packets > 0 && r.failures === 0 && r.syncLosses === 0;
  if (losesPulses(f) && !allDecoded) {
    out.push(problem(`${text}, and a gap that swallows a pulse erases its bit: the repair fills in one gap's worth a transmission, repeated transmissions the rest — buffer the samples or log over a faster link`));
  } else if (losesPulses(f)) out.push(note(`${text}, though every transmission decoded (the gaps fell between them, cost no pulse, or their bits were filled in): buffer the samples or log over a faster link before a gap costs a packet`));
  else out.push(note(`${text}; short gaps are bridged`));
}

/** Room-light ripple as a fraction of `scale`, judged on a few quiet windows at least (NaN if not measured). */
function flickerRipple(flicker: FlickerEstimate | undefined, scale: number): number {
  // Against a scale that is not nil: a constant signal's ripple is rounding, and a fifth of a
  // second says little about room light.
  const ripple = flicker && flicker.windows >= MIN_FLICKER_WINDOWS ? flicker.peakToPeak / scale : Number.NaN;
  return ripple < Infinity ? ripple : Number.NaN;
}

/** The ripple of a lamp flickering at the mains frequency itself (see flicker-meter.ts), as `flickerRipple` (NaN if none). */
function lampRipple(flicker: FlickerEstimate | undefined, scale: number): number {
  return flicker !== undefined && isLampRate(flicker.hz) ? flickerRipple(flicker, scale) : Number.NaN;
}

/** Whether the verdicts name a lamp at the mains frequency itself: judged, and a few hundredths of the swing or more. */
export function namesLamp(flicker: FlickerEstimate | undefined, swing: number): boolean {
  return lampRipple(flicker, swing) >= NOTICEABLE_LAMP;
}

function adviseFlicker(f: SignalFacts, scale: number, what: string, out: Advice[]): void {
  const lamp = lampRipple(f.flicker, scale);
  if (lamp === lamp) {
    // Ripple that passed for a preamble already named the lamp (see `mainsRipple`).
    if (!(lamp >= NOTICEABLE_LAMP) || mainsRipple(f.report)) return;
    const text = `a lamp flickers at the mains frequency itself (${f.flicker!.hz} Hz ripple is ${fraction(lamp)} of ${what}: a half-wave LED driver, or hum in the sensor's wiring), which the decoder does not cancel`;
    if (lamp >= STRONG_LAMP) out.push(problem(`${text}: shield the sensor from that lamp, or look for hum in its wiring`));
    else out.push(note(`${text}; a hood around the sensor removes a lamp's`));
    return;
  }
  const ripple = flickerRipple(f.flicker, scale);
  if (!(ripple >= NOTICEABLE_FLICKER)) return;
  const text = `${f.flicker!.hz} Hz ripple from room light is ${fixed(ripple, 2)} of ${what}`;
  if (ripple >= STRONG_FLICKER) out.push(problem(`mains flicker is strong (${text}): shield the sensor from room light (a tube or a hood around it)`));
  else out.push(note(`mains flicker is noticeable (${text}); a hood around the sensor removes it`));
}

/**
 * The dark between flashes already stands over half the range: room light, not the screen, fills
 * the sensor, and the flash clips on top of it. Moving away from the screen would only shrink the
 * flash; lowering the gain shrinks both. (A photodiode only.)
 */
function roomLightClips(f: SignalFacts, dark: number): boolean {
  return !f.camera && dark > ROOM_LIGHT_FILLS * f.report.fullScale;
}

function roomLightFix(darkFraction: number): string {
  return `room light lifts even the dark to ${fixed(darkFraction, 2)} of full scale, and the flash clips on top of it: shield the sensor from room light (a hood or a tube against the screen), or lower the gain — moving it away from the screen only shrinks the flash`;
}

/** Below CHANNEL.md's sampler range room-light flicker is not cancelled, and PWM bursts are not told from pulses. */
function adviseSampleRate(f: SignalFacts, out: Advice[]): void {
  if (f.camera || f.sampleRate === undefined || !(f.sampleRate < LOWEST_TESTED_RATE)) return;
  out.push(note(`sampled at ${fixed(f.sampleRate, 0)} Hz, below the ${LOWEST_TESTED_RATE}–4000 Hz a receiver is tested at: there room-light flicker is not cancelled and PWM bursts are not recognised — sample at 1 kHz`));
}

function weakSwingFix(camera: boolean): string {
  return camera ? 'move the camera closer so the screen fills more of the frame, or raise the screen brightness' : 'raise the gain (a larger load resistor) or move the sensor closer to the screen';
}

function problem(text: string): Advice {
  return { severity: 'problem', text };
}

function note(text: string): Advice {
  return { severity: 'note', text };
}

/**
 * Why a run gave no packet, in one line: what happened to the transmissions that were seen
 * (none, broken off, failed their check) and the first problem with the signal.
 */
const BLIND_PAIR_HINT =
  'two bits read in doubt lay where the CRC cannot check them together (a shadow or a hand over two pulses, or frames a recording lost): hold the phone still against the sensor and flash again';

export function noPacketReason(run: DecodeRun, advice: readonly Advice[]): string {
  const t = run.tally;
  const parts: string[] = [];
  if (t.crcFailures > 0) parts.push(`CRC failed on ${t.crcFailures} ${plural(t.crcFailures, 'transmission')}`);
  if (t.otherFailures > 0) parts.push(`${t.otherFailures} ${plural(t.otherFailures, 'transmission')} failed the packet check (${t.firstOtherFailure!.reason})`);
  if (t.syncLosses > 0) parts.push(`${t.syncLosses} ${plural(t.syncLosses, 'transmission')} broke off (${t.firstSyncLoss!.reason})`);
  if (parts.length === 0) parts.push(`no preamble found in ${fixed(run.durationS, 1)} s of signal`);
  // A packet that checked but was refused for the CRC's blind spot: its cause is no noise.
  const hint = t.blindPair ? { text: BLIND_PAIR_HINT } : advice.find((a) => a.severity === 'problem');
  return `no packet decoded: ${parts.join(', ')}${hint ? `; ${hint.text}` : ''}`;
}
