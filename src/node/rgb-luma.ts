/**
 * Luma (Y′) from gamma-encoded RGB, the way video does it: a weighted sum of the encoded
 * R′G′B′ values. The weights are fixed-point /256 so the loop stays in integers; they sum to
 * 256, so a grey pixel (R′ = G′ = B′) keeps its exact value.
 */

export type LumaWeights = 'rec709' | 'rec601';

/** [R, G, B] weights × 256: Rec.709 (HD video, sRGB) 0.2126/0.7152/0.0722; Rec.601 (SD) 0.299/0.587/0.114. */
const WEIGHTS: Record<LumaWeights, readonly [number, number, number]> = {
  rec709: [54, 183, 19],
  rec601: [77, 150, 29],
};

/** Convert RGBA pixels (alpha ignored) to 8-bit luma in `out` (length = pixel count). */
export function rgbaToLuma(rgba: Uint8Array, out: Uint8Array, weights: LumaWeights = 'rec709'): Uint8Array {
  const [wr, wg, wb] = WEIGHTS[weights];
  for (let i = 0, p = 0; i < out.length; i++, p += 4) {
    out[i] = (wr * rgba[p]! + wg * rgba[p + 1]! + wb * rgba[p + 2]! + 128) >> 8;
  }
  return out;
}
