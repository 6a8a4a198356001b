/**
 * Camera frames → one brightness sample per frame: the stage that turns a video into the
 * kind of stream a photodiode gives, for the same decoder.
 *
 * With a region given, each frame costs one pass over the region's pixels and its value is
 * available at once. Without one, the region is searched for (region-search.ts): each frame
 * is kept only as a grid of block means in a window of bounded size, the flashing blocks are
 * chosen from the window, and frames leave the window as the chosen blocks' mean light, a
 * half window at a time, so values come with a delay of at most one window however long
 * the video, and a flash that starts late is still found.
 */
import { BlinkUpError } from '../packet/errors.js';
import { blockGridFor } from './auto-region.js';
import { linearLightTable, type LinearLightOptions } from './linear-light.js';
import type { LumaFrameSource, LumaPlane } from './luma-frames.js';
import { sumRowsLinear } from './linear-sum.js';
import { checkRoi, checkTableFits, type Roi } from './region.js';
import { RegionSearch } from './region-search.js';
import type { SampleChunk } from './sample-chunk.js';

export interface RegionBrightnessOptions extends LinearLightOptions {
  /** The region to measure; when absent it is found automatically. */
  readonly roi?: Roi;
  /** Automatic search: block side in pixels (default: about 64 blocks across the larger side). */
  readonly blockSize?: number;
  /** Automatic search: a block is a candidate above this fraction of the largest block variance (default 0.4). */
  readonly threshold?: number;
  /**
   * Automatic search: frames held at once, the window the region is chosen from (default:
   * SEARCH_WINDOW_S of frames at `fps`, SEARCH_WINDOW_FRAMES when the rate is unknown, and never
   * more than 64 MiB of block means). Values come a half window at a time.
   */
  readonly maxStoredFrames?: number;
  /** Automatic search: frames per second, when known (the default window spans SEARCH_WINDOW_S). */
  readonly fps?: number;
}

/** The region measured, and how it was found. */
export interface RegionChoice {
  /** Pixel rectangle: the given region, or the bounding box of the chosen blocks. */
  readonly roi: Roi;
  readonly automatic: boolean;
  /** Fraction of the frame's area measured (the chosen blocks when automatic). */
  readonly coverage: number;
  /** Automatic: frames in the window the region was (last) chosen from. */
  readonly framesExamined?: number;
  /** Automatic: the first frame measured over this region (the search may move it in a long video). */
  readonly fromFrame?: number;
  /** Automatic: block side and number of blocks chosen. */
  readonly blockSize?: number;
  readonly blockCount?: number;
  /** Automatic: standard deviation over the examined frames of the region's linear brightness; ≈ 0 means nothing flashed. */
  readonly contrast?: number;
}

const NO_VALUES = new Float64Array(0);
const SEARCH_MEMORY_BYTES = 64 * 1024 * 1024;
/** What each stored frame costs beyond its block means: the typed array object itself, bytes (about). */
const FRAME_OVERHEAD_BYTES = 128;
/**
 * The default search window, seconds: long enough to hold several seconds of any flash (a
 * transmission lasts 5–40 s), short enough that a live camera piped in shows its first values
 * within the window and then every half window (a window of all the memory allowed was 8 minutes
 * of 160×120 at 120 fps: a live pipe printed nothing until it closed).
 */
export const SEARCH_WINDOW_S = 20;
/** The default window when the frame rate is unknown: SEARCH_WINDOW_S at 240 fps. */
const SEARCH_WINDOW_FRAMES = 4800;

/**
 * Streaming region brightness: `push` each frame's luma, receive the brightness values
 * (linear light, 0–1) that became available, in frame order; `finish` at the end.
 */
export class RegionBrightness {
  private readonly lut: Float64Array;
  private finished = false;
  /** A given region, measured directly, and its description. */
  private readonly given: { readonly roi: Roi; readonly choice: RegionChoice } | undefined;
  /** Otherwise the automatic search. */
  private readonly search: RegionSearch | undefined;

  constructor(
    readonly width: number,
    readonly height: number,
    options: RegionBrightnessOptions = {},
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new BlinkUpError('OPTION_INVALID', 'frame width and height must be positive integers');
    }
    this.lut = linearLightTable(options);
    const threshold = options.threshold ?? 0.4;
    if (!(threshold > 0 && threshold <= 1)) throw new BlinkUpError('OPTION_INVALID', 'threshold must be above 0 and at most 1');
    if (options.roi) {
      const roi = checkRoi(options.roi, width, height);
      this.given = { roi, choice: { roi, automatic: false, coverage: (roi.w * roi.h) / (width * height) } };
      return;
    }
    const blockSize = options.blockSize;
    if (blockSize !== undefined && (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > Math.max(width, height))) {
      throw new BlinkUpError('OPTION_INVALID', 'blockSize must be a whole number of pixels within the frame');
    }
    const grid = blockGridFor(width, height, blockSize);
    const capacity = options.maxStoredFrames ?? defaultWindow(grid.columns * grid.rows, options.fps);
    if (!Number.isInteger(capacity) || capacity < 2) {
      throw new BlinkUpError('OPTION_INVALID', 'maxStoredFrames must be a whole number of at least 2');
    }
    this.search = new RegionSearch(grid, capacity, threshold);
  }

  /** The region measured: at once when given; once the search has chosen one otherwise. */
  get region(): RegionChoice | undefined {
    if (this.given) return this.given.choice;
    const found = this.search!.choice;
    if (!found) return undefined;
    const { grid } = this.search!;
    return {
      roi: found.roi,
      automatic: true,
      coverage: found.area / (this.width * this.height),
      framesExamined: found.framesExamined,
      fromFrame: found.fromFrame,
      blockSize: grid.size,
      blockCount: found.blocks.length,
      contrast: found.contrast,
    };
  }

  /** Take one frame; returns the brightness values now available (none while a search window fills). */
  push(luma: LumaPlane): Float64Array {
    if (this.finished) throw new BlinkUpError('OPTION_INVALID', 'push after finish');
    if (luma.length !== this.width * this.height) {
      throw new BlinkUpError('INPUT_INVALID', `a ${this.width}×${this.height} frame needs ${this.width * this.height} luma samples, got ${luma.length}`);
    }
    checkTableFits(luma, this.lut);
    if (this.given) {
      const { x, y, w, h } = this.given.roi;
      return Float64Array.of(sumRowsLinear(luma, this.lut, y * this.width + x, this.width, h, w) / (w * h));
    }
    return this.search!.push(luma, this.lut);
  }

  /** End of input: returns the values not yet returned, and the region measured last. */
  finish(): { values: Float64Array; region: RegionChoice } {
    if (this.finished) throw new BlinkUpError('OPTION_INVALID', 'finish called twice');
    this.finished = true;
    const values = this.search ? this.search.finish() : NO_VALUES;
    return { values, region: this.region! };
  }
}

/** Brightness samples of a camera source, each chunk with the region measured. */
export interface BrightnessChunk extends SampleChunk {
  readonly region: RegionChoice;
}

/** Frames in the default search window, for frames of `blocks` block means at `fps` (if known). */
function defaultWindow(blocks: number, fps: number | undefined): number {
  const byMemory = Math.floor(SEARCH_MEMORY_BYTES / (4 * blocks + FRAME_OVERHEAD_BYTES));
  const byTime = fps !== undefined && fps > 0 && fps < Infinity ? Math.ceil(SEARCH_WINDOW_S * fps) : SEARCH_WINDOW_FRAMES;
  return Math.max(16, Math.min(byMemory, byTime));
}

/**
 * A camera source (Y4M, PNG folder) as a stream of brightness samples with frame times, ready
 * for the decoder. The source's bit depth and stated video range are used unless `options`
 * say otherwise. With automatic search values come a half search window at a time, each chunk
 * with the region its frames were measured over.
 */
export async function* brightnessSamples(source: LumaFrameSource, options: RegionBrightnessOptions = {}): AsyncGenerator<BrightnessChunk, void, undefined> {
  const { width, height, bitDepth, colorRange, fps } = source.info;
  const tracker = new RegionBrightness(width, height, { bitDepth, ...(colorRange ? { range: colorRange } : {}), ...(fps ? { fps } : {}), ...options });
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
