/**
 * The automatic region search, over a video of any length in bounded memory.
 *
 * Each frame is kept only as its grid of block means (a few KB) in a window of at most
 * `capacity` frames. When the window is full, the flashing blocks are chosen from how much each
 * changed from frame to frame over the whole window, and the older half of the window leaves it as
 * brightness values (the chosen blocks' area-weighted mean light); the search goes on with the
 * newer half. So a flash that starts late in a long clip is found as soon as a window holds
 * it, memory stays at one window, and no value waits longer than one window.
 *
 * The region changes only when it must: the blocks chosen before are kept while their mean
 * variance is at least half the best group's, so a patch that keeps flashing is measured
 * over the same blocks from window to window (no steps in level from edge blocks hovering at
 * the threshold), while a stronger flash elsewhere takes over — also from a wide group of
 * noisy blocks chosen while nothing flashed, which may well include the patch. A region
 * chosen because nothing varied at all (the whole frame) is always chosen again.
 */
import { blockArea, blockMeans, chooseFlashingBlocks, type BlockGrid } from './auto-region.js';
import type { LumaPlane } from './luma-frames.js';
import type { Roi } from './region.js';

/** The blocks currently measured, and what the window they were chosen from showed. */
export interface SearchChoice {
  /** Block indices, ascending, and the pixels they cover. */
  readonly blocks: Int32Array;
  readonly area: number;
  /** Bounding rectangle of the blocks. */
  readonly roi: Roi;
  /** Frames in the window the blocks were (last) chosen from. */
  readonly framesExamined: number;
  /** Index of the first frame measured over these blocks. */
  readonly fromFrame: number;
  /** Standard deviation of the region's brightness over that window; ≈ 0 means nothing flashed. */
  readonly contrast: number;
  /** True when nothing varied at all and the whole frame was taken. */
  readonly nothingVaried: boolean;
}

const NO_VALUES = new Float64Array(0);

/** The current blocks are kept while their mean variance is at least this fraction of the best group's. */
const KEEP_FRACTION = 0.5;

export class RegionSearch {
  /** Block means of the frames not yet turned into values, oldest first. */
  private window: Float32Array[] = [];
  /** Arrays of frames that left the window, reused for new frames. */
  private readonly spare: Float32Array[] = [];
  /** Index of the frame at the start of the window. */
  private windowStart = 0;
  private current: SearchChoice | undefined;
  private readonly rowSums: Float64Array;
  /** Per block: Σ of squared frame-to-frame differences over the window (see `reconsider`). */
  private readonly variance: Float64Array;

  constructor(
    readonly grid: BlockGrid,
    /** Frames held at most (at least 2). */
    readonly capacity: number,
    /** A block is a candidate above this fraction of the largest block variance. */
    readonly threshold: number,
  ) {
    const blocks = grid.columns * grid.rows;
    this.rowSums = new Float64Array(grid.columns);
    this.variance = new Float64Array(blocks);
  }

  /** The region measured so far (none before the first window is full or the input ends). */
  get choice(): SearchChoice | undefined {
    return this.current;
  }

  /** Take one frame; returns the values of the frames that left the window (often none). */
  push(luma: LumaPlane, lut: Float64Array): Float64Array {
    const means = this.spare.pop() ?? new Float32Array(this.grid.columns * this.grid.rows);
    blockMeans(luma, this.grid, lut, means, this.rowSums);
    this.window.push(means);
    if (this.window.length < this.capacity) return NO_VALUES;
    return this.release(Math.floor(this.capacity / 2));
  }

  /** End of input: the values of every frame still in the window. */
  finish(): Float64Array {
    return this.release(this.window.length);
  }

  /** Choose the blocks from the whole window, then turn its oldest `count` frames into values. */
  private release(count: number): Float64Array {
    const frames = this.window;
    const chosen = this.reconsider();
    const { blocks, area } = chosen;
    const weights = Float64Array.from(blocks, (b) => blockArea(this.grid, b));
    const windowValues = new Float64Array(frames.length);
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i]!;
      let sum = 0;
      for (let k = 0; k < blocks.length; k++) sum += f[blocks[k]!]! * weights[k]!;
      windowValues[i] = sum / area;
    }
    this.current = { ...chosen, contrast: standardDeviation(windowValues) };
    // (A loop, not push(...splice): spreading a whole window's frames as arguments overflows the stack.)
    for (const frame of frames.splice(0, count)) this.spare.push(frame);
    this.windowStart += count;
    return windowValues.slice(0, count);
  }

  /**
   * How much each block changes from frame to frame over the window (Σ of squared differences
   * of consecutive frames), then keep or replace the current blocks. Frame-to-frame change, not
   * variance about the mean: a flash changes level every frame or two, while a lamp switched on,
   * a scene lit up or a hand moving the camera changes the picture seldom, however much — with
   * the variance a room light switched each second took the region from the screen.
   */
  private reconsider(): SearchChoice {
    const { variance } = this;
    const frames = this.window;
    const blocks = variance.length;
    variance.fill(0);
    for (let k = 1; k < frames.length; k++) {
      const f = frames[k]!;
      const before = frames[k - 1]!;
      for (let b = 0; b < blocks; b++) {
        const d = f[b]! - before[b]!;
        variance[b]! += d * d;
      }
    }

    const best = chooseFlashingBlocks(variance, this.grid, this.threshold);
    const current = this.current;
    if (current && !current.nothingVaried && meanOf(variance, current.blocks) >= KEEP_FRACTION * meanOf(variance, best.blocks)) {
      return { ...current, framesExamined: frames.length };
    }
    let maxVariance = 0;
    for (let b = 0; b < blocks; b++) maxVariance = Math.max(maxVariance, variance[b]!);
    let area = 0;
    for (const b of best.blocks) area += blockArea(this.grid, b);
    return {
      blocks: best.blocks,
      area,
      roi: best.roi,
      framesExamined: frames.length,
      fromFrame: this.windowStart,
      contrast: 0,
      nothingVaried: !(maxVariance > 0),
    };
  }
}

function meanOf(values: Float64Array, indices: Int32Array): number {
  let sum = 0;
  for (const i of indices) sum += values[i]!;
  return sum / indices.length;
}

function standardDeviation(values: Float64Array): number {
  if (values.length < 2) return 0;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) * (v - mean);
  return Math.sqrt(sq / values.length);
}
