/**
 * What each tri-level symbol looks like on a screen or an LED.
 *
 * SDK 0.3.0 draws #000000, #bfbfbf and #ffffff (PROTOCOL.md §3). Those are sRGB code values;
 * a photodiode sees linear light, in which #bf is about 52 % of white. An LED driven by PWM
 * emits light in proportion to its duty cycle, so a fixture that wants to look like a phone
 * screen drives grey at the linear-light value, not at 191/255.
 */
import { srgbToLinear } from '../util/srgb.js';

/** sRGB code value (0–255) the SDK draws for level 0, 1 and 2. */
export const LEVEL_CODE_VALUES: readonly number[] = Object.freeze([0x00, 0xbf, 0xff]);

/** CSS colour of each level, as the SDK writes it. */
export const LEVEL_COLOURS: readonly string[] = Object.freeze(LEVEL_CODE_VALUES.map((v) => `#${hex2(v).repeat(3)}`));

/** Relative light output (0–1) of each level on an sRGB display. */
export const LEVEL_LINEAR_LIGHT: readonly number[] = Object.freeze(LEVEL_CODE_VALUES.map((v) => srgbToLinear(v / 255)));

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0');
}
