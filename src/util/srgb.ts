/**
 * The sRGB transfer function. Screens turn code values into light through it, and cameras turn
 * light back into code values through (approximately) its inverse, so a photodiode sees grey
 * #bf as 52 % of white's light while a camera records it as 191 again.
 */

/** Encoded value in [0, 1] → linear light in [0, 1]. */
export function srgbToLinear(encoded: number): number {
  return encoded <= 0.04045 ? encoded / 12.92 : Math.pow((encoded + 0.055) / 1.055, 2.4);
}

/** Linear light in [0, 1] → encoded value in [0, 1] (inputs outside [0, 1] are clipped). */
export function linearToSrgb(linear: number): number {
  if (!(linear > 0)) return 0;
  if (linear >= 1) return 1;
  return linear <= 0.0031308 ? linear * 12.92 : 1.055 * Math.pow(linear, 1 / 2.4) - 0.055;
}

/** 8-bit code value (0–255) → linear light in [0, 1]. */
export function srgbCodeToLinear(code: number): number {
  return srgbToLinear(code / 255);
}
