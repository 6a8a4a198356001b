/**
 * Camera frames → one brightness sample per frame: the stage that turns a video into the
 * kind of stream a photodiode gives, for the same decoder.
 *
 * With a region given, each frame costs one pass over the region's pixels and its value is
 * available at once. Without one, the region is searched for: each frame is kept only as a
 * grid of block means (a few KB), and once enough frames are seen — the whole input, or a
 * memory budget's worth — the flashing blocks are chosen, the stored frames' values are
 * computed from their block means, and later frames are measured directly over the same
 * blocks, so the values are the same quantity before and after the choice.
 */
import { BlinkUpError } from '../packet/errors.js';
import { blockArea, blockGridFor, blockMeans, chooseFlashingBlocks, type BlockGrid } from './auto-region.js';
import { linearLightTable, type LinearLightOptions } from './linear-light.js';
import type { LumaFrameSource, LumaPlane } from './luma-frames.js';
import { sumRowsLinear } from './linear-sum.js';
import { checkRoi, checkTableFits, type Roi } from './region.js';
import type { SampleChunk } from './sample-chunk.js';

export interface RegionBrightnessOptions extends LinearLightOptions {
  /** The region to measure; when absent it is found automatically. */
  readonly roi?: Roi;
  /** Automatic search: block side in pixels (default: about 64 blocks across the larger side). */
  readonly blockSize?: number;
  /** Automatic search: a block is a candidate above this fraction of the largest block variance (default 0.4). */
  readonly threshold?: number;
  /** Automatic search: frames looked at before the region is fixed (default: 64 MiB of block means). */
  readonly maxStoredFrames?: number;
}

/** The region measured, and how it was found. */
export interface RegionChoice {
  /** Pixel rectangle: the given region, or the bounding box of the chosen blocks. */
  readonly roi: Roi;
  readonly automatic: boolean;
  /** Fraction of the frame's area measured (the chosen blocks when automatic). */
  readonly coverage: number;
  /** Automatic: frames the search looked at. */
  readonly framesExamined?: number;
  /** Automatic: block side and number of blocks chosen. */
  readonly blockSize?: number;
  readonly blockCount?: number;
  /** Automatic: standard deviation over the examined frames of the region's linear brightness; ≈ 0 means nothing flashed. */
  readonly contrast?: number;
}

const NO_VALUES = new Float64Array(0);
const SEARCH_MEMORY_BYTES = 64 * 1024 * 1024;

/** One rectangle per horizontal run of chosen blocks: the union is the measured region. */
function blockRuns(blocks: Int32Array, grid: BlockGrid): Roi[] {
  const runs: Roi[] = [];
  for (let k = 0; k < blocks.length; ) {
    const first = blocks[k]!;
    let last = first;
    while (k + 1 < blocks.length && blocks[k + 1] === last + 1 && (last + 1) % grid.columns !== 0) last = blocks[++k]!;
    k++;
    const bx = first % grid.columns;
    const by = (first - bx) / grid.columns;
    const x = bx * grid.size;
    const y = by * grid.size;
    runs.push({
      x,
      y,
      w: Math.min(grid.width, (last % grid.columns + 1) * grid.size) - x,
      h: Math.min(grid.height, y + grid.size) - y,
    });
  }
  return runs;
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

/**
 * Streaming region brightness: `push` each frame's luma, receive the brightness values
 * (linear light, 0–1) that became available, in frame order; `finish` at the end.
 */
export class RegionBrightness {
  private readonly lut: Float64Array;
  /** Rectangles measured per frame once the region is known, and their total area. */
  private rects: Roi[] | undefined;
  private area = 0;
  private choice: RegionChoice | undefined;
  private finished = false;

  // Automatic search state: per-frame block means until the region is chosen.
  private readonly grid: BlockGrid | undefined;
  private readonly maxStoredFrames: number;
  private readonly threshold: number;
  private stored: Float32Array[] = [];
  private readonly rowSums: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
    options: RegionBrightnessOptions = {},
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new BlinkUpError('OPTION_INVALID', 'frame width and height must be positive integers');
    }
    this.lut = linearLightTable(options);
    this.threshold = options.threshold ?? 0.4;
    if (!(this.threshold > 0 && this.threshold <= 1)) throw new BlinkUpError('OPTION_INVALID', 'threshold must be above 0 and at most 1');
    if (options.roi) {
      const roi = checkRoi(options.roi, width, height);
      this.useRegion([roi], { roi, automatic: false, coverage: (roi.w * roi.h) / (width * height) });
      this.grid = undefined;
      this.maxStoredFrames = 0;
      this.rowSums = new Float64Array(0);
      return;
    }
    const blockSize = options.blockSize;
    if (blockSize !== undefined && (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > Math.max(width, height))) {
      throw new BlinkUpError('OPTION_INVALID', 'blockSize must be a whole number of pixels within the frame');
    }
    this.grid = blockGridFor(width, height, blockSize);
    const blocks = this.grid.columns * this.grid.rows;
    this.maxStoredFrames = options.maxStoredFrames ?? Math.max(16, Math.floor(SEARCH_MEMORY_BYTES / (4 * blocks)));
    if (!Number.isInteger(this.maxStoredFrames) || this.maxStoredFrames < 1) {
      throw new BlinkUpError('OPTION_INVALID', 'maxStoredFrames must be a positive integer');
    }
    this.rowSums = new Float64Array(this.grid.columns);
  }

  /** The region, once known (at once when given; after the search otherwise). */
  get region(): RegionChoice | undefined {
    return this.choice;
  }

  /** Take one frame; returns the brightness values now available (none while searching). */
  push(luma: LumaPlane): Float64Array {
    if (this.finished) throw new BlinkUpError('OPTION_INVALID', 'push after finish');
    if (luma.length !== this.width * this.height) {
      throw new BlinkUpError('INPUT_INVALID', `a ${this.width}×${this.height} frame needs ${this.width * this.height} luma samples, got ${luma.length}`);
    }
    checkTableFits(luma, this.lut);
    if (this.rects) return Float64Array.of(this.measure(luma));
    const grid = this.grid!;
    const means = new Float32Array(grid.columns * grid.rows);
    blockMeans(luma, grid, this.lut, means, this.rowSums);
    this.stored.push(means);
    if (this.stored.length < this.maxStoredFrames) return NO_VALUES;
    return this.decide();
  }

  /** End of input: choose the region if still searching; returns the values not yet returned. */
  finish(): { values: Float64Array; region: RegionChoice } {
    if (this.finished) throw new BlinkUpError('OPTION_INVALID', 'finish called twice');
    this.finished = true;
    const values = this.rects ? NO_VALUES : this.decide();
    return { values, region: this.choice! };
  }

  /** Mean linear light over the chosen rectangles of one frame (allocates nothing). */
  private measure(luma: LumaPlane): number {
    let sum = 0;
    for (const { x, y, w, h } of this.rects!) sum += sumRowsLinear(luma, this.lut, y * this.width + x, this.width, h, w);
    return sum / this.area;
  }

  private useRegion(rects: Roi[], choice: RegionChoice): void {
    this.rects = rects;
    this.area = rects.reduce((a, r) => a + r.w * r.h, 0);
    this.choice = choice;
  }

  /** Choose the flashing blocks from the stored frames and turn those frames into values. */
  private decide(): Float64Array {
    const grid = this.grid!;
    const frames = this.stored;
    this.stored = [];
    const blocks = grid.columns * grid.rows;

    // Temporal variance of each block (two passes over the stored means).
    const mean = new Float64Array(blocks);
    const variance = new Float64Array(blocks);
    for (const f of frames) for (let b = 0; b < blocks; b++) mean[b]! += f[b]!;
    for (let b = 0; b < blocks; b++) mean[b]! /= Math.max(1, frames.length);
    for (const f of frames) {
      for (let b = 0; b < blocks; b++) {
        const d = f[b]! - mean[b]!;
        variance[b]! += d * d;
      }
    }
    const chosen = chooseFlashingBlocks(variance, grid, this.threshold);

    const weights = Array.from(chosen.blocks, (b) => blockArea(grid, b));
    const totalArea = weights.reduce((a, w) => a + w, 0);
    const values = new Float64Array(frames.length);
    frames.forEach((f, i) => {
      let sum = 0;
      chosen.blocks.forEach((b, k) => (sum += f[b]! * weights[k]!));
      values[i] = sum / totalArea;
    });

    this.useRegion(blockRuns(chosen.blocks, grid), {
      roi: chosen.roi,
      automatic: true,
      coverage: totalArea / (this.width * this.height),
      framesExamined: frames.length,
      blockSize: grid.size,
      blockCount: chosen.blocks.length,
      contrast: standardDeviation(values),
    });
    return values;
  }
}

/** Brightness samples of a camera source, each chunk with the region measured. */
export interface BrightnessChunk extends SampleChunk {
  readonly region: RegionChoice;
}

/**
 * A camera source (Y4M, PNG folder) as a stream of brightness samples with frame times, ready
 * for the decoder. The source's bit depth and stated video range are used unless `options`
 * say otherwise. With automatic search the first chunk comes when the region is chosen.
 */
export async function* brightnessSamples(source: LumaFrameSource, options: RegionBrightnessOptions = {}): AsyncGenerator<BrightnessChunk, void, undefined> {
  const { width, height, bitDepth, colorRange } = source.info;
  const tracker = new RegionBrightness(width, height, { bitDepth, ...(colorRange ? { range: colorRange } : {}), ...options });
  const pendingTimes: number[] = []; // times of frames whose values are not out yet
  let timed: boolean | undefined;
  const chunk = (values: Float64Array): BrightnessChunk => {
    const region = tracker.region!;
    if (!timed) return { values, region };
    const times = Float64Array.from(pendingTimes.splice(0, values.length));
    return { values, times, region };
  };
  for await (const frame of source.frames()) {
    timed ??= frame.timeS !== undefined;
    if (timed) pendingTimes.push(frame.timeS ?? Number.NaN);
    const values = tracker.push(frame.luma);
    if (values.length > 0) yield chunk(values);
  }
  if (timed === undefined) throw new BlinkUpError('INPUT_INVALID', 'the video has no frames');
  const { values } = tracker.finish();
  if (values.length > 0) yield chunk(values);
}
