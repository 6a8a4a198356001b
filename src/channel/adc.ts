/**
 * ADC stage: sensor voltage (a fraction of full scale) → integer codes, with the converter's own
 * noise (≈ 1 LSB rms on a quiet board) added before quantisation, as it is in the hardware.
 */
import type { Random } from '../util/random.js';
import { checkInteger, checkRange, withDefaults } from './validate.js';

export interface AdcOptions {
  /** Resolution, bits (10–16 in practice). Default 12. */
  readonly adcBits: number;
  /** Input-referred noise, LSB rms. Default 1. */
  readonly noiseLsb: number;
}

/** Typical ADC (CHANNEL.md "typical" column): 12 bits, 1 LSB rms noise. */
export const ADC_DEFAULTS: AdcOptions = {
  adcBits: 12,
  noiseLsb: 1,
};

export function resolveAdcOptions(partial?: Partial<AdcOptions>): AdcOptions {
  const o = withDefaults(ADC_DEFAULTS, partial);
  checkInteger('adcBits', o.adcBits, 1, 24);
  checkRange('noiseLsb', o.noiseLsb, 0, 1e6);
  return o;
}

/** Highest code of an ADC with `bits` bits. */
export function adcFullScale(bits: number): number {
  return 2 ** bits - 1;
}

export class Adc {
  /** Highest code, 2^bits − 1. */
  readonly fullScale: number;
  private readonly noiseLsb: number;
  private readonly rng: Random;

  constructor(options: AdcOptions, rng: Random) {
    this.fullScale = adcFullScale(options.adcBits);
    this.noiseLsb = options.noiseLsb;
    this.rng = rng;
  }

  /** In place: voltages (fraction of full scale) → codes in [0, fullScale]. Returns how many clipped. */
  convert(values: Float32Array): number {
    const fs = this.fullScale;
    const sigma = this.noiseLsb;
    const rng = this.rng;
    let clipped = 0;
    for (let i = 0; i < values.length; i++) {
      let code = Math.round(values[i]! * fs + (sigma > 0 ? sigma * rng.normal() : 0));
      if (code > fs) {
        code = fs;
        clipped++;
      } else if (code < 0) {
        code = 0;
        clipped++;
      }
      values[i] = code;
    }
    return clipped;
  }
}
