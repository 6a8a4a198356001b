/**
 * Summing linear light along the rows of a luma plane: the hot loop of region brightness
 * and of the automatic region search.
 *
 * The straightforward sum is one table lookup and one add per pixel. For 8-bit planes this
 * module halves the lookups: the plane's bytes are read four at a time as 32-bit words, and
 * each 16-bit half indexes a 65 536-entry pair table holding lut[a] + lut[b] for the two
 * pixels it packs. A sum of two table entries is symmetric, so the table is the same whichever
 * byte order the host uses. The result equals the per-pixel sum up to float rounding (one
 * rounding per pair, then the adds, in a different order).
 *
 * Planes deeper than 8 bits (Uint16Array) are summed one sample at a time: a pair table of
 * 16-bit samples would need 2³² entries.
 */
import type { LumaPlane } from './luma-frames.js';

const PAIR_TABLE_SIZE = 1 << 16;

const pairTables = new WeakMap<Float64Array, Float64Array>();

/**
 * pair[v] = lut[v & 0xff] + lut[v >>> 8]: the linear light of two neighbouring 8-bit pixels
 * read together as one 16-bit value. Built once per table (512 KB) and cached, so, like the
 * linear-light tables themselves, `lut` must not be modified after use.
 */
export function pairTableFor(lut: Float64Array): Float64Array {
  let pair = pairTables.get(lut);
  if (pair === undefined) {
    pair = new Float64Array(PAIR_TABLE_SIZE);
    for (let v = 0; v < PAIR_TABLE_SIZE; v++) pair[v] = lut[v & 0xff]! + lut[v >>> 8]!;
    pairTables.set(lut, pair);
  }
  return pair;
}

/** The whole buffer under an 8-bit plane, as bytes and as aligned 32-bit words (no copies). */
export interface BufferWords {
  readonly bytes: Uint8Array;
  /** Word k holds bytes 4k … 4k+3; bytes past the last whole word are only in `bytes`. */
  readonly words: Uint32Array;
}

const bufferViews = new WeakMap<ArrayBufferLike, BufferWords>();

/**
 * Views of the buffer under `plane`, cached per buffer so a reader that reuses one frame
 * buffer costs nothing per frame. Positions in these views are buffer offsets: plane index
 * i is position plane.byteOffset + i (read byteOffset once per call, not per row: the
 * getter is not cheap).
 */
export function bufferWordsOf(plane: Uint8Array): BufferWords {
  const buffer = plane.buffer;
  const byteLength = buffer.byteLength;
  let views = bufferViews.get(buffer);
  if (views === undefined || views.bytes.length !== byteLength) {
    views = { bytes: new Uint8Array(buffer, 0, byteLength), words: new Uint32Array(buffer, 0, byteLength >>> 2) };
    bufferViews.set(buffer, views);
  }
  return views;
}

/**
 * Σ lut[bytes[p]] for buffer positions p in [start, end), with `words` the same buffer's
 * words and `pair = pairTableFor(lut)`: bytes up to the first 4-byte boundary one at a time,
 * then whole words (four per step into four accumulators, so the adds don't wait on each
 * other), then the bytes after the last whole word.
 */
export function sumBytesLinear(bytes: Uint8Array, words: Uint32Array, lut: Float64Array, pair: Float64Array, start: number, end: number): number {
  let a = 0;
  let p = start;
  for (; p < end && (p & 3) !== 0; p++) a += lut[bytes[p]!]!;
  if (p >= end) return a;
  let w = p >>> 2;
  const wordEnd = end >>> 2;
  let b = 0;
  let c = 0;
  let d = 0;
  for (const stop = wordEnd - 3; w < stop; w += 4) {
    const w0 = words[w]!;
    const w1 = words[w + 1]!;
    const w2 = words[w + 2]!;
    const w3 = words[w + 3]!;
    a += pair[w0 & 0xffff]! + pair[w0 >>> 16]!;
    b += pair[w1 & 0xffff]! + pair[w1 >>> 16]!;
    c += pair[w2 & 0xffff]! + pair[w2 >>> 16]!;
    d += pair[w3 & 0xffff]! + pair[w3 >>> 16]!;
  }
  for (; w < wordEnd; w++) {
    const w0 = words[w]!;
    a += pair[w0 & 0xffff]! + pair[w0 >>> 16]!;
  }
  for (p = wordEnd * 4; p < end; p++) b += lut[bytes[p]!]!;
  return a + b + c + d;
}

/** sums[k] += the linear light of words [first + k·runLength, first + (k+1)·runLength), for k < runs. */
function addWordRunSums(words: Uint32Array, pair: Float64Array, first: number, runLength: number, runs: number, sums: Float64Array): void {
  for (let k = 0, w = first; k < runs; k++) {
    let a = 0;
    let b = 0;
    const stop = w + runLength;
    for (; w < stop - 1; w += 2) {
      const w0 = words[w]!;
      const w1 = words[w + 1]!;
      a += pair[w0 & 0xffff]! + pair[w0 >>> 16]!;
      b += pair[w1 & 0xffff]! + pair[w1 >>> 16]!;
    }
    if (w < stop) {
      const w0 = words[w++]!;
      a += pair[w0 & 0xffff]! + pair[w0 >>> 16]!;
    }
    sums[k]! += a + b;
  }
}

/** Σ lut[samples[i]] for i in [start, end), one sample at a time (planes above 8 bits). */
export function sumSamplesLinear(samples: LumaPlane, lut: Float64Array, start: number, end: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let i = start;
  for (const stop = end - 3; i < stop; i += 4) {
    a += lut[samples[i]!]!;
    b += lut[samples[i + 1]!]!;
    c += lut[samples[i + 2]!]!;
    d += lut[samples[i + 3]!]!;
  }
  for (; i < end; i++) a += lut[samples[i]!]!;
  return a + b + c + d;
}

/**
 * Σ of linear light over `rows` rows of `columns` samples, the first starting at `offset`
 * and each the next `rowStride` samples on: a rectangle of a row-major plane. Allocates
 * nothing (after the first call for a given table and buffer).
 */
export function sumRowsLinear(luma: LumaPlane, lut: Float64Array, offset: number, rowStride: number, rows: number, columns: number): number {
  let sum = 0;
  if (luma instanceof Uint8Array) {
    const { bytes, words } = bufferWordsOf(luma);
    const pair = pairTableFor(lut);
    for (let r = 0, start = luma.byteOffset + offset; r < rows; r++, start += rowStride) sum += sumBytesLinear(bytes, words, lut, pair, start, start + columns);
  } else {
    for (let r = 0, start = offset; r < rows; r++, start += rowStride) sum += sumSamplesLinear(luma, lut, start, start + columns);
  }
  return sum;
}

/**
 * Like `sumRowsLinear`, but each row is cut into consecutive `segment`-sample pieces (the
 * last may be shorter) and piece k of every row adds into `sums[k]`: the column sums of a
 * strip of blocks, in one call so the per-piece loop stays inside this module.
 */
export function addSegmentSumsLinear(luma: LumaPlane, lut: Float64Array, offset: number, rowStride: number, rows: number, columns: number, segment: number, sums: Float64Array): void {
  if (luma instanceof Uint8Array) {
    const { bytes, words } = bufferWordsOf(luma);
    const pair = pairTableFor(lut);
    // Pieces of whole words (the usual block grid: sides a multiple of 8, rows 4-byte aligned)
    // go straight to the word loop; the rest, and a short last piece, through sumBytesLinear.
    const wholeWords = (segment & 3) === 0 ? Math.floor(columns / segment) : 0;
    for (let r = 0, row = luma.byteOffset + offset; r < rows; r++, row += rowStride) {
      let k = 0;
      if ((row & 3) === 0 && wholeWords > 0) {
        addWordRunSums(words, pair, row >>> 2, segment >>> 2, wholeWords, sums);
        k = wholeWords;
      }
      for (let start = row + k * segment, rowEnd = row + columns; start < rowEnd; k++, start += segment) {
        sums[k]! += sumBytesLinear(bytes, words, lut, pair, start, Math.min(rowEnd, start + segment));
      }
    }
  } else {
    for (let r = 0, row = offset; r < rows; r++, row += rowStride) {
      for (let k = 0, start = row, rowEnd = row + columns; start < rowEnd; k++, start += segment) {
        sums[k]! += sumSamplesLinear(luma, lut, start, Math.min(rowEnd, start + segment));
      }
    }
  }
}
