/**
 * The photodiode channel: display → light path → sensor → sampler → ADC, composed.
 *
 * Physics runs in continuous time on a fine internal grid (≥ 20 kHz, and ≥ 8 samples per
 * sampler period and ≥ 16 steps per PWM period): the display's light is integrated exactly over
 * each step, the sensor's first-order response is applied exactly for that step, and the sampler
 * reads the result at its own (wrong, jittery) instants. The grid streams through one small
 * block buffer, so memory is the output plus O(1), and a 15 s capture takes a few milliseconds.
 */
import { DISPLAY_DEFAULTS, DisplayLight, type DisplayOptions, resolveDisplayOptions, scheduleDisplay, type TransmissionTruth } from './display.js';
import { LIGHT_PATH_DEFAULTS, LightPath, type LightPathOptions, resolveLightPathOptions } from './light-path.js';
import { resolveSensorOptions, Sensor, SENSOR_DEFAULTS, type SensorOptions } from './sensor.js';
import { planSamples, resolveSamplerOptions, SAMPLER_DEFAULTS, SamplePicker, type SamplerOptions } from './sampler.js';
import { Adc, ADC_DEFAULTS, type AdcOptions, resolveAdcOptions } from './adc.js';
import { Stream, streamRandom } from './seeding.js';
import { firstAtOrAfter } from './sorted.js';
import { checkRange } from './validate.js';

/** Every option of every stage of the photodiode channel (names are unique across stages). */
export interface PhotodiodeChannelOptions extends DisplayOptions, LightPathOptions, SensorOptions, SamplerOptions, AdcOptions {
  /** Internal simulation grid rate, Hz; chosen from the other options when undefined. */
  readonly simulationRateHz?: number | undefined;
}

/** The typical channel of CHANNEL.md: 60 fps LCD, swing 0.4, 12-bit ADC at 1 kHz. */
export const PHOTODIODE_DEFAULTS: PhotodiodeChannelOptions = {
  ...DISPLAY_DEFAULTS,
  ...LIGHT_PATH_DEFAULTS,
  ...SENSOR_DEFAULTS,
  ...SAMPLER_DEFAULTS,
  ...ADC_DEFAULTS,
};

/** Defaults filled in, every value checked (`OPTION_INVALID`). */
export function resolvePhotodiodeOptions(partial?: Partial<PhotodiodeChannelOptions>): PhotodiodeChannelOptions {
  const resolved: PhotodiodeChannelOptions = {
    ...resolveDisplayOptions(partial),
    ...resolveLightPathOptions(partial),
    ...resolveSensorOptions(partial),
    ...resolveSamplerOptions(partial),
    ...resolveAdcOptions(partial),
    simulationRateHz: partial?.simulationRateHz,
  };
  if (resolved.simulationRateHz !== undefined) checkRange('simulationRateHz', resolved.simulationRateHz, 1000, 10_000_000);
  return resolved;
}

/** Internal grid rate: fine enough for the pixels, the sensor, the sampler and the PWM. */
export function simulationRateFor(options: PhotodiodeChannelOptions): number {
  if (options.simulationRateHz !== undefined) return options.simulationRateHz;
  return Math.max(20_000, 8 * options.sampleRate, 16 * options.pwmHz);
}

/** A transmission as it landed in the capture. */
export interface CapturedTransmission extends TransmissionTruth {
  /** Index of the first sample taken at or after `startS`. */
  readonly startSample: number;
  /** Index of the first sample taken at or after `endS` (may equal the sample count). */
  readonly endSample: number;
}

/** What really happened, for tests and benchmarks to score a decoder against. */
export interface PhotodiodeTruth {
  /** Start of the first transmission, true seconds from the start of the simulation. */
  readonly transmissionStartS: number;
  /** End of the last transmission, true seconds. */
  readonly transmissionEndS: number;
  readonly transmissions: readonly CapturedTransmission[];
  /** Simulated span, true seconds (lead-in + transmissions + gaps + lead-out). */
  readonly durationS: number;
  /** True time of each sample, s. */
  readonly sampleTimesS: Float64Array;
  /** True sample rate: nominal × (1 + clock error), Hz. */
  readonly trueSampleRate: number;
  /** True display refresh period, s. */
  readonly refreshPeriodS: number;
  /** Levels held an extra refresh, over all transmissions. */
  readonly heldLevels: number;
  /** Steady-state codes of black, grey and white (mean flicker, no drift, no noise). */
  readonly nominalCodes: { readonly black: number; readonly grey: number; readonly white: number };
  /** Samples taken while the sensor was saturated. */
  readonly saturatedSamples: number;
  /** Sampling stalls that happened. */
  readonly gaps: number;
}

/** A simulated photodiode capture: what a microcontroller would have logged. */
export interface PhotodiodeCapture {
  /** ADC codes, integers in [0, fullScale]. */
  readonly samples: Float32Array;
  /** Nominal sample rate, Hz (what the sampler believes). */
  readonly sampleRate: number;
  /** Highest code, 2^bits − 1. */
  readonly fullScale: number;
  /** Per-sample timestamps by the sampler's clock, s (only when `timestamps` was set). */
  readonly times?: Float64Array;
  readonly truth: PhotodiodeTruth;
  /** The options the capture was made with, defaults filled in. */
  readonly options: PhotodiodeChannelOptions;
}

const BLOCK = 2048;

/**
 * Simulate a photodiode watching `levels` (0 black, 1 grey, 2 white per frame, as `toLevels`
 * makes them) being flashed. Deterministic: the same levels, options and seed give the same
 * capture, bit for bit. Throws `OPTION_INVALID`, `RATE_UNSUPPORTED` or `LEVELS_INVALID`.
 */
export function simulatePhotodiode(levels: Uint8Array, options?: Partial<PhotodiodeChannelOptions>, seed = 1): PhotodiodeCapture {
  const opts = resolvePhotodiodeOptions(options);
  const display = scheduleDisplay(levels, opts, streamRandom(seed, Stream.display));
  const durationS = display.durationS;
  const dt = 1 / simulationRateFor(opts);
  const emitter = new DisplayLight(display, opts);
  const lightPath = new LightPath(opts, display, durationS, streamRandom(seed, Stream.lightPath));
  const sensor = new Sensor(opts, dt);
  const plan = planSamples(durationS, opts, streamRandom(seed, Stream.sampler));
  const samples = new Float32Array(plan.trueTimesS.length);
  const picker = new SamplePicker(plan.trueTimesS, samples);

  const block = new Float64Array(BLOCK);
  const steps = Math.ceil(durationS / dt);
  for (let first = 0; first < steps; first += BLOCK) {
    const count = Math.min(BLOCK, steps - first);
    const t0 = first * dt;
    emitter.render(block, count, t0, dt);
    lightPath.apply(block, count, t0, dt);
    sensor.apply(block, count);
    picker.take(block, count, t0, dt);
  }

  let saturatedSamples = 0;
  const saturatedAt = Math.fround(opts.saturation); // samples hold the clipped value in float32
  for (let i = 0; i < samples.length; i++) if (samples[i]! >= saturatedAt) saturatedSamples++;
  const adc = new Adc(opts, streamRandom(seed, Stream.adc));
  adc.convert(samples);

  const fs = adc.fullScale;
  const code = (light: number): number => Math.min(lightPath.steadyLevel(light * display.meanDuty), opts.saturation) * fs;
  const [black, grey, white] = display.levelLight;
  const times = plan.trueTimesS;
  const transmissions = display.transmissions.map((t) => ({
    ...t,
    startSample: firstAtOrAfter(times, t.startS),
    endSample: firstAtOrAfter(times, t.endS),
  }));
  const truth: PhotodiodeTruth = {
    transmissionStartS: transmissions[0]!.startS,
    transmissionEndS: transmissions[transmissions.length - 1]!.endS,
    transmissions,
    durationS,
    sampleTimesS: times,
    trueSampleRate: opts.sampleRate * (1 + opts.samplerClockPpm * 1e-6),
    refreshPeriodS: display.refreshPeriodS,
    heldLevels: transmissions.reduce((sum, t) => sum + t.heldLevels, 0),
    nominalCodes: { black: code(black), grey: code(grey), white: code(white) },
    saturatedSamples,
    gaps: plan.gaps,
  };
  const capture = { samples, sampleRate: opts.sampleRate, fullScale: fs, truth, options: opts };
  return plan.believedTimesS ? { ...capture, times: plan.believedTimesS } : capture;
}

