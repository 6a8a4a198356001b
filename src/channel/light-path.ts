/**
 * Light path stage: emitted light → illuminance at the sensor, expressed directly in fractions
 * of the ADC's full scale (the sensor and the ADC are linear up to saturation, so one gain
 * covers the optics, the phototransistor's current gain and the load resistor).
 *
 * The screen term is scaled so that the time-averaged white − black difference is `swing` of
 * full scale. Room light adds an offset (so black is far above zero) that flickers at twice the
 * mains frequency, a slow random drift of the screen's coupling stands for auto-brightness and a
 * hand that moves, and an optional step of it for a shadow or a jerk of the hand.
 */
import type { Random } from '../util/random.js';
import { SlowDrift } from './drift.js';
import { checkRange, withDefaults } from './validate.js';

export interface LightPathOptions {
  /**
   * Time-averaged (white − black) at the sensor as a fraction of ADC full scale: 0.3–0.6 on a
   * tuned circuit, 0.1 at the vendor decoder's stated limit. Values above 1 saturate. Default 0.4.
   */
  readonly swing: number;
  /**
   * Room light at the sensor in units of the screen's (white − black) illuminance: 300 lux of
   * room light against a 1500-lux white screen at a few cm is 0.2. Default 0.2.
   */
  readonly ambient: number;
  /** Flicker frequency of the room light, Hz (twice the mains frequency: 100 or 120). Default 100. */
  readonly flickerHz: number;
  /** Flicker modulation depth of the room light, 0 (steady) … 1 (goes dark each cycle). Default 0.2. */
  readonly flickerDepth: number;
  /** Fastest relative change of the screen's coupling, per second (0.02 = 2 %/s). Default 0.01. */
  readonly driftPerS: number;
  /**
   * A sudden change of the screen's coupling — a shadow, the phone jerked closer or away: from
   * `stepAtS` seconds into the capture on, the screen's light is multiplied by `stepGain`.
   * Default 1 (no step).
   */
  readonly stepGain: number;
  /** When the step happens, seconds from the start of the capture. Default 0. */
  readonly stepAtS: number;
}

/** Typical light path (CHANNEL.md "typical" column). */
export const LIGHT_PATH_DEFAULTS: LightPathOptions = {
  swing: 0.4,
  ambient: 0.2,
  flickerHz: 100,
  flickerDepth: 0.2,
  driftPerS: 0.01,
  stepGain: 1,
  stepAtS: 0,
};

export function resolveLightPathOptions(partial?: Partial<LightPathOptions>): LightPathOptions {
  const o = withDefaults(LIGHT_PATH_DEFAULTS, partial);
  checkRange('swing', o.swing, 1e-6, 100);
  checkRange('ambient', o.ambient, 0, 1000);
  checkRange('flickerHz', o.flickerHz, 0, 100_000);
  checkRange('flickerDepth', o.flickerDepth, 0, 1);
  checkRange('driftPerS', o.driftPerS, 0, 1);
  checkRange('stepGain', o.stepGain, 0.01, 100);
  checkRange('stepAtS', o.stepAtS, 0, 1e6);
  return o;
}

/** What the light path needs to know about the display to calibrate `swing`. */
export interface ScreenLight {
  /** Light of a black pixel (white = 1). */
  readonly levelLight: readonly [number, number, number];
  /** Mean fraction of time the panel emits (PWM duty). */
  readonly meanDuty: number;
}

/** Applies gain, ambient light, flicker and drift in place, block by block. */
export class LightPath {
  /** Full-scale fraction per unit of emitted light (before drift). */
  readonly screenGain: number;
  /** Mean room-light offset, fraction of full scale. */
  readonly ambientLevel: number;
  private readonly flickerDepth: number;
  private readonly flickerOmega: number;
  private readonly flickerPhase: number;
  private readonly drift: SlowDrift;
  private readonly stepGain: number;
  private readonly stepAtS: number;

  constructor(options: LightPathOptions, screen: ScreenLight, durationS: number, rng: Random) {
    const [black, , white] = screen.levelLight;
    this.screenGain = options.swing / ((white - black) * screen.meanDuty);
    this.ambientLevel = options.ambient * options.swing;
    this.flickerDepth = options.flickerHz > 0 ? options.flickerDepth : 0;
    this.flickerOmega = 2 * Math.PI * options.flickerHz;
    this.flickerPhase = rng.uniform(0, 2 * Math.PI);
    this.drift = new SlowDrift(options.driftPerS, durationS, rng);
    this.stepGain = options.stepGain;
    this.stepAtS = options.stepAtS;
  }

  /** Steady-state sensor input for a steady emitted `light`, fraction of full scale (no drift, mean flicker). */
  steadyLevel(light: number): number {
    return this.screenGain * light + this.ambientLevel;
  }

  /** In place: mean emitted light over each step → mean sensor illuminance (full-scale fraction). */
  apply(buf: Float64Array, count: number, t0: number, dt: number): void {
    const gain = this.screenGain;
    const ambient = this.ambientLevel;
    const depth = this.flickerDepth;
    const omega = this.flickerOmega;
    const phase = this.flickerPhase;
    for (let i = 0; i < count; i++) {
      // Drift and flicker are slow against the step: evaluate them at its middle.
      const t = t0 + (i + 0.5) * dt;
      const room = depth > 0 ? ambient * (1 + depth * Math.cos(omega * t + phase)) : ambient;
      const step = t >= this.stepAtS ? this.stepGain : 1;
      buf[i] = gain * step * this.drift.at(t) * buf[i]! + room;
    }
  }
}
