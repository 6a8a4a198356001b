/**
 * Sensor stage: a phototransistor with its load resistor is a first-order low-pass (the
 * junction capacitance charging through the resistor: ≈ 0.1–0.2 ms at 7.5–10 kΩ, ≈ 0.7 ms at
 * 47 kΩ, ≈ 1.5 ms at 100 kΩ) whose output cannot rise above a little below the supply rail.
 * In saturation grey and white read the same, which the decoder must notice and report.
 */
import { checkRange, withDefaults } from './validate.js';

export interface SensorOptions {
  /** First-order time constant of the phototransistor circuit, ms (0 = instantaneous). Default 0.15. */
  readonly sensorTauMs: number;
  /** Highest output, fraction of ADC full scale (the transistor saturates near the rail). Default 0.95. */
  readonly saturation: number;
}

/** Typical sensor (CHANNEL.md "typical" column): 0.15 ms, clipping at 95 % of full scale. */
export const SENSOR_DEFAULTS: SensorOptions = {
  sensorTauMs: 0.15,
  saturation: 0.95,
};

export function resolveSensorOptions(partial?: Partial<SensorOptions>): SensorOptions {
  const o = withDefaults(SENSOR_DEFAULTS, partial);
  checkRange('sensorTauMs', o.sensorTauMs, 0, 1000);
  checkRange('saturation', o.saturation, 0.01, 1);
  return o;
}

/** Filters and clips a block of illuminance values in place. Stateful: feed blocks in time order. */
export class Sensor {
  private readonly alpha: number;
  private readonly saturation: number;
  private output = Number.NaN;

  /** `dt`: the step of the grid the sensor will be fed, s. */
  constructor(options: SensorOptions, dt: number) {
    // Exact discretisation of dy/dt = (x − y)/τ for an input held constant over each step.
    this.alpha = options.sensorTauMs > 0 ? 1 - Math.exp(-dt / (options.sensorTauMs * 1e-3)) : 1;
    this.saturation = options.saturation;
  }

  /** In place: mean illuminance over each step → sensor output at the end of that step. */
  apply(buf: Float64Array, count: number): void {
    const alpha = this.alpha;
    const top = this.saturation;
    let y = this.output;
    if (Number.isNaN(y) && count > 0) y = Math.min(Math.max(buf[0]!, 0), top); // settled before t = 0
    for (let i = 0; i < count; i++) {
      y += alpha * (buf[i]! - y);
      if (y > top) y = top;
      else if (y < 0) y = 0;
      buf[i] = y;
    }
    this.output = y;
  }

  /** Output at the end of the last step applied (NaN before the first block). */
  get last(): number {
    return this.output;
  }
}
