/**
 * Finding the flashing screen or LED in a video without being told where it is.
 *
 * Each frame is reduced to a coarse grid of block means (linear light, blocks of ~32 px in HD, a
 * pixel or two in a thumbnail-sized frame), a few thousand numbers per frame however large the
 * frame. What flashes is what changes most from frame to frame: blocks whose change (the sum of
 * squared differences between consecutive frames, see region-search.ts) exceeds a fraction of the
 * largest block's are candidates, and the connected group of candidates that changed most is the
 * region. Static texture does not change, sensor noise averages out over a block's pixels, and a
 * light switched on in the room changes the picture once where a flash changes it every frame or
 * two, so none competes with a flashing patch.
 */
import type { LumaPlane } from './luma-frames.js';
import { addSegmentSumsLinear } from './linear-sum.js';
import type { Roi } from './region.js';

/** How a frame is cut into blocks; edge blocks are smaller when the size does not divide. */
export interface BlockGrid {
  readonly width: number;
  readonly height: number;
  /** Block side in pixels. */
  readonly size: number;
  readonly columns: number;
  readonly rows: number;
}

/** Blocks across the larger side when the caller does not choose a block size. */
const TARGET_BLOCKS_ACROSS = 64;

/**
 * Blocks across the larger side at least, for small frames (a video scaled down to decode it
 * fast): at 8-pixel blocks a 32×24 frame had 4×3, and a screen patch of 8×8 pixels straddled four
 * of them, so the search took the whole frame.
 */
const MIN_BLOCKS_ACROSS = 16;

/**
 * A grid of about 64 blocks across the larger side, block sides a multiple of 8 pixels; or, in a
 * frame too small for MIN_BLOCKS_ACROSS such blocks, of smaller blocks (down to single pixels).
 */
export function blockGridFor(width: number, height: number, size?: number): BlockGrid {
  const larger = Math.max(width, height);
  const side = size ?? (larger >= 8 * MIN_BLOCKS_ACROSS ? 8 * Math.ceil(larger / TARGET_BLOCKS_ACROSS / 8) : Math.max(1, Math.floor(larger / MIN_BLOCKS_ACROSS)));
  return { width, height, size: side, columns: Math.ceil(width / side), rows: Math.ceil(height / side) };
}

/** Pixels in block `index` (edge blocks are cut by the frame border). */
export function blockArea(grid: BlockGrid, index: number): number {
  const bx = index % grid.columns;
  const by = (index - bx) / grid.columns;
  return (Math.min(grid.width, (bx + 1) * grid.size) - bx * grid.size) * (Math.min(grid.height, (by + 1) * grid.size) - by * grid.size);
}

/**
 * Mean linear light of every block of one frame, row-major into `out` (length columns × rows).
 * `rowSums` is scratch space of length `columns`, passed in so nothing is allocated per frame.
 */
export function blockMeans(luma: LumaPlane, grid: BlockGrid, lut: Float64Array, out: Float32Array, rowSums: Float64Array): void {
  const { width, height, size, columns, rows } = grid;
  for (let by = 0; by < rows; by++) {
    const y0 = by * size;
    const y1 = Math.min(height, y0 + size);
    rowSums.fill(0);
    addSegmentSumsLinear(luma, lut, y0 * width, width, y1 - y0, width, size, rowSums);
    for (let bx = 0; bx < columns; bx++) {
      const area = (Math.min(width, (bx + 1) * size) - bx * size) * (y1 - y0);
      out[by * columns + bx] = rowSums[bx]! / area;
    }
  }
}

/** The blocks chosen as the region, and their bounding rectangle in pixels. */
export interface FlashingBlocks {
  /** Block indices, ascending. */
  readonly blocks: Int32Array;
  readonly roi: Roi;
}

/**
 * Pick the region from per-block change over time (`variance`: any measure of it, the search
 * passes frame-to-frame change): blocks above `threshold` × the largest, grouped by
 * 4-connectivity; the group with the largest sum wins.
 * When nothing varies at all, the whole frame is the region.
 */
export function chooseFlashingBlocks(variance: Float64Array, grid: BlockGrid, threshold: number): FlashingBlocks {
  const { columns, rows } = grid;
  let max = 0;
  for (let i = 0; i < variance.length; i++) if (variance[i]! > max) max = variance[i]!;
  if (!(max > 0)) {
    return { blocks: Int32Array.from({ length: columns * rows }, (_, i) => i), roi: { x: 0, y: 0, w: grid.width, h: grid.height } };
  }

  const candidate = new Uint8Array(variance.length);
  for (let i = 0; i < variance.length; i++) candidate[i] = variance[i]! >= threshold * max ? 1 : 0;
  const group = new Int32Array(variance.length).fill(-1);
  const queue = new Int32Array(variance.length);
  let best: number[] = [];
  let bestScore = -1;
  for (let seed = 0; seed < variance.length; seed++) {
    if (!candidate[seed] || group[seed] !== -1) continue;
    // Flood-fill one group of touching candidate blocks.
    const members: number[] = [];
    let score = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    group[seed] = seed;
    while (head < tail) {
      const i = queue[head++]!;
      members.push(i);
      score += variance[i]!;
      const bx = i % columns;
      const neighbours = [bx > 0 ? i - 1 : -1, bx < columns - 1 ? i + 1 : -1, i - columns, i + columns];
      for (const n of neighbours) {
        if (n >= 0 && n < variance.length && candidate[n] && group[n] === -1) {
          group[n] = seed;
          queue[tail++] = n;
        }
      }
    }
    if (score > bestScore) {
      bestScore = score;
      best = members;
    }
  }

  const blocks = Int32Array.from(best).sort();
  let left = columns;
  let top = rows;
  let right = 0;
  let bottom = 0;
  for (const i of blocks) {
    const bx = i % columns;
    const by = (i - bx) / columns;
    left = Math.min(left, bx);
    right = Math.max(right, bx);
    top = Math.min(top, by);
    bottom = Math.max(bottom, by);
  }
  const x = left * grid.size;
  const y = top * grid.size;
  return {
    blocks,
    roi: { x, y, w: Math.min(grid.width, (right + 1) * grid.size) - x, h: Math.min(grid.height, (bottom + 1) * grid.size) - y },
  };
}
