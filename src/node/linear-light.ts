/**
 * Undoing the camera's gamma: code values (8-bit, or 9–16-bit) → linear light in [0, 1].
 *
 * A camera (and sRGB PNG) stores brightness gamma-encoded, so the mean of code values over a
 * region is not the mean light. Averaging in linear light makes a region's brightness add up
 * the way a photodiode's does (a half-white region reads half), which keeps the decoder's
 * level model the same for cameras and photodiodes. The conversion is a lookup table built
 * once per setting, so the per-pixel cost is one load.
 */
import { BlinkUpError } from '../packet/errors.js';

/** The encoding to undo: sRGB (PNGs, most phone video in practice), BT.709 camera OETF, a plain power law, or none. */
export type Transfer = 'srgb' | 'bt709' | 'linear' | { readonly gamma: number };

export interface LinearLightOptions {
  /** Default `srgb`. */
  readonly transfer?: Transfer;
  /** Bits per code value, 8–16 (default 8). */
  readonly bitDepth?: number;
  /** `limited` maps video range (16–235 at 8 bits) to 0–1; default `full`. */
  readonly range?: 'full' | 'limited';
}

function decoder(transfer: Transfer): (v: number) => number {
  if (transfer === 'srgb') return (v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  if (transfer === 'bt709') return (v) => (v < 0.081 ? v / 4.5 : ((v + 0.099) / 1.099) ** (1 / 0.45));
  if (transfer === 'linear') return (v) => v;
  const { gamma } = transfer;
  return (v) => v ** gamma;
}

const tables = new Map<string, Float64Array>();

/**
 * The table mapping each code value to linear light in [0, 1]: 256 entries for 8-bit data,
 * 65536 for 16-bit planes (codes above the bit depth's maximum read as full white), so any
 * value a plane can hold indexes it without a bounds check. Tables are cached; don't modify them.
 */
export function linearLightTable(options: LinearLightOptions = {}): Float64Array {
  const transfer = options.transfer ?? 'srgb';
  const bitDepth = options.bitDepth ?? 8;
  const range = options.range ?? 'full';
  if (!Number.isInteger(bitDepth) || bitDepth < 8 || bitDepth > 16) {
    throw new BlinkUpError('OPTION_INVALID', `bitDepth must be an integer from 8 to 16, got ${bitDepth}`);
  }
  if (typeof transfer === 'object' && !(transfer.gamma > 0 && transfer.gamma <= 10)) {
    throw new BlinkUpError('OPTION_INVALID', 'gamma must be above 0 and at most 10');
  }
  const key = `${typeof transfer === 'object' ? `gamma${transfer.gamma}` : transfer}/${bitDepth}/${range}`;
  const cached = tables.get(key);
  if (cached) return cached;

  const maxCode = (1 << bitDepth) - 1;
  const scale = 1 << (bitDepth - 8);
  const black = range === 'limited' ? 16 * scale : 0;
  const white = range === 'limited' ? 235 * scale : maxCode;
  const decode = decoder(transfer);
  const table = new Float64Array(bitDepth === 8 ? 256 : 65536);
  for (let code = 0; code < table.length; code++) {
    const v = Math.min(1, Math.max(0, (Math.min(code, maxCode) - black) / (white - black)));
    table[code] = decode(v);
  }
  tables.set(key, table);
  return table;
}
