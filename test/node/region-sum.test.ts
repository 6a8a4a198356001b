/**
 * The fast linear-light sums (pair table over 32-bit words) against the plain per-pixel sum,
 * on random planes whose rows and regions start and end at every byte alignment.
 */
import { describe, expect, it } from 'vitest';
import { blockGridFor, blockMeans } from '../../src/node/auto-region.js';
import { linearLightTable } from '../../src/node/linear-light.js';
import { bufferWordsOf, pairTableFor, sumBytesLinear, sumRowsLinear } from '../../src/node/linear-sum.js';
import { regionMeanLinear, type Roi } from '../../src/node/region.js';
import { Random } from '../../src/util/random.js';

/** The reference: Σ lut[plane[·]] over a rectangle, one pixel at a time. */
function naiveSum(plane: ArrayLike<number>, width: number, roi: Roi, lut: Float64Array): number {
  let sum = 0;
  for (let y = roi.y; y < roi.y + roi.h; y++) for (let x = roi.x; x < roi.x + roi.w; x++) sum += lut[plane[y * width + x]!]!;
  return sum;
}

/** Equal up to float rounding: a relative error far below one part in 10¹⁰. */
function expectSameSum(got: number, want: number, what: string): void {
  expect(Math.abs(got - want), what).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
}

/** A random 8-bit plane placed at byte offset `shift` of a buffer with `spare` bytes after it. */
function randomPlane(random: Random, samples: number, shift: number, spare: number): Uint8Array {
  const buffer = new Uint8Array(shift + samples + spare).map(() => random.int(0, 255));
  return buffer.subarray(shift, shift + samples);
}

function randomRoi(random: Random, width: number, height: number): Roi {
  const x = random.int(0, width - 1);
  const y = random.int(0, height - 1);
  return { x, y, w: random.int(1, width - x), h: random.int(1, height - y) };
}

describe('linear-light sums over 8-bit planes', () => {
  const random = new Random(77);
  const tables = [linearLightTable(), linearLightTable({ transfer: 'bt709', range: 'limited' }), linearLightTable({ transfer: { gamma: 2.2 } })];

  it('match the per-pixel sum for odd widths, every buffer alignment and random regions', () => {
    for (let trial = 0; trial < 300; trial++) {
      const width = random.int(1, 41);
      const height = random.int(1, 9);
      const plane = randomPlane(random, width * height, random.int(0, 7), random.int(0, 3));
      const lut = tables[trial % tables.length]!;
      const roi = randomRoi(random, width, height);
      const what = `trial ${trial}: ${width}×${height} at byte ${plane.byteOffset}, roi ${roi.x},${roi.y},${roi.w},${roi.h}`;
      expectSameSum(sumRowsLinear(plane, lut, roi.y * width + roi.x, width, roi.h, roi.w), naiveSum(plane, width, roi, lut), what);
    }
  });

  it('match at the frame edges and over the whole frame, including a buffer not a whole number of words', () => {
    const lut = tables[0]!;
    for (const [width, height] of [[1, 1], [3, 1], [1, 7], [5, 3], [33, 17], [1920, 4]] as const) {
      for (let shift = 0; shift < 4; shift++) {
        const plane = randomPlane(random, width * height, shift, 0);
        const edges: Roi[] = [
          { x: 0, y: 0, w: width, h: height },
          { x: width - 1, y: 0, w: 1, h: height },
          { x: 0, y: height - 1, w: width, h: 1 },
          { x: Math.floor(width / 2), y: Math.floor(height / 2), w: width - Math.floor(width / 2), h: height - Math.floor(height / 2) },
        ];
        for (const roi of edges) {
          const want = naiveSum(plane, width, roi, lut) / (roi.w * roi.h);
          expectSameSum(regionMeanLinear(plane, width, height, roi, lut), want, `${width}×${height} shift ${shift} roi ${JSON.stringify(roi)}`);
        }
      }
    }
  });

  it('read a shared buffer in place, by buffer position, and build one pair table per lookup table', () => {
    const buffer = new Uint8Array(66).map((_, i) => (i * 37) & 0xff);
    const a = buffer.subarray(1, 30);
    const b = buffer.subarray(30);
    const views = bufferWordsOf(a);
    expect(bufferWordsOf(b)).toBe(views);
    expect(views.words).toHaveLength(16);
    expect(views.bytes).toHaveLength(66);
    const lut = tables[1]!;
    expect(pairTableFor(lut)).toBe(pairTableFor(lut));
    expect(pairTableFor(lut)[(200 << 8) | 17]).toBe(lut[200]! + lut[17]!);
    for (const [start, end] of [[3, 28], [0, 66], [61, 66], [5, 6], [8, 8]] as const) {
      const want = Array.from(buffer.subarray(start, end), (v) => lut[v]!).reduce((s, v) => s + v, 0);
      expectSameSum(sumBytesLinear(views.bytes, views.words, lut, pairTableFor(lut), start, end), want, `buffer bytes ${start}..${end}`);
    }
  });

  it('block means equal per-block naive means on odd-sized frames and blocks, rows aligned to words or not', () => {
    const lut = tables[0]!;
    for (const [width, height, size] of [[37, 23, 8], [64, 48, undefined], [50, 9, 7], [44, 10, 12], [3, 3, 1]] as const) {
      for (let shift = 0; shift < 4; shift++) {
        const plane = randomPlane(random, width * height, shift, 1);
        const grid = blockGridFor(width, height, size);
        const out = new Float32Array(grid.columns * grid.rows);
        blockMeans(plane, grid, lut, out, new Float64Array(grid.columns));
        for (let by = 0; by < grid.rows; by++) {
          for (let bx = 0; bx < grid.columns; bx++) {
            const roi = { x: bx * grid.size, y: by * grid.size, w: Math.min(width, (bx + 1) * grid.size) - bx * grid.size, h: Math.min(height, (by + 1) * grid.size) - by * grid.size };
            const want = naiveSum(plane, width, roi, lut) / (roi.w * roi.h);
            expect(out[by * grid.columns + bx], `${width}×${height} blocks of ${grid.size} at byte ${shift}, block ${bx},${by}`).toBeCloseTo(want, 6); // Float32 output
          }
        }
      }
    }
  });
});

describe('linear-light sums over 16-bit planes', () => {
  it('match the per-pixel sum, sample by sample', () => {
    const random = new Random(78);
    const lut = linearLightTable({ bitDepth: 10 });
    const width = 29;
    const height = 11;
    const plane = new Uint16Array(width * height).map(() => random.int(0, 1023));
    for (let trial = 0; trial < 50; trial++) {
      const roi = randomRoi(random, width, height);
      expectSameSum(sumRowsLinear(plane, lut, roi.y * width + roi.x, width, roi.h, roi.w), naiveSum(plane, width, roi, lut), `roi ${JSON.stringify(roi)}`);
    }
  });
});
