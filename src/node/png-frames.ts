/**
 * A camera capture stored as a folder of PNG frames (what `ffmpeg -i clip.mp4 frames/%05d.png`
 * or a bench camera writes): read as 8-bit luma planes one file at a time, in the order of
 * the numbers in the file names (frame-2 before frame-10). And the reverse: luma planes
 * written as greyscale PNGs.
 *
 * Frame timing comes, in order of precedence, from the caller's `fps`, a `times` file in the
 * folder (one timestamp in seconds per line, one line per frame), or the `fps` of a
 * blinkup `manifest.json` (the encoder's frame export).
 *
 * A frame file that holds no whole PNG (empty, cut short, not a PNG) can be left out as a frame
 * the camera dropped, when the caller allows some (`maxUnreadableShare`): the frames keep their
 * times, so the decoder sees the gap.
 */
import { open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { makeDirectory } from './make-directory.js';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { frameRateOf } from '../decoder/frame-clock.js';
import { BlinkUpError } from '../packet/errors.js';
import type { LumaFrame, LumaFrameSource, LumaSourceInfo } from './luma-frames.js';
import { rgbaToLuma, type LumaWeights } from './rgb-luma.js';
import { frameFileName, removeStaleFrames } from './frames-export.js';

export interface PngFolderOptions {
  /** Frames per second; overrides a times file or manifest in the folder. */
  readonly fps?: number;
  /** RGB → luma weights (default rec709). Grey PNGs are unaffected. */
  readonly lumaWeights?: LumaWeights;
  /** Largest accepted width or height (default 16384). */
  readonly maxSide?: number;
  /** Largest accepted PNG file in bytes (default 256 MiB). */
  readonly maxFileBytes?: number;
  /**
   * The share of the frames (0–1) that may be unreadable — gone, empty, cut short, damaged, not a
   * PNG — in a timed folder: each is left out, as a frame the camera dropped (the frames after it
   * keep their times), and named in `unreadable`. More than this share is refused, as is any
   * unreadable frame by default (0) or in a folder without timing, where leaving one out would
   * close the gap. A frame of another size is refused whatever the share: it is another video.
   */
  readonly maxUnreadableShare?: number;
}

export interface PngFolderInfo extends LumaSourceInfo {
  readonly dir: string;
  /** Frame file names in reading order. */
  readonly files: readonly string[];
  readonly frameCount: number;
  /** Where frame times come from. */
  readonly timing: 'fps' | 'times-file' | 'manifest' | 'none';
  /** Per-frame timestamps (seconds) from a times file. */
  readonly times?: Float64Array;
  /**
   * The frame number in each file's name (`frame-00042.png`, ffmpeg's `%05d.png`), when every
   * frame has one: at a given frame rate a frame is timed by its number, so a gap in the
   * numbering is a gap in time (frames that were dropped or deleted), not frames run together.
   */
  readonly numbers?: Int32Array;
  /** PNG files left out: without a frame number where the others have one (a cover image). */
  readonly ignored: readonly string[];
  /** With the caller's `fps`: the side file in the folder whose timing it replaced, if any. */
  readonly replaced?: string;
}

export const PNG_LIMITS = { maxSide: 16384, maxFileBytes: 256 * 1024 * 1024 } as const;

/** Largest decoded frame: pngjs expands every frame to RGBA, 4 bytes a pixel. */
const MAX_DECODED_BYTES = 256 * 1024 * 1024;

/** Largest times file or manifest read (they are read whole, unlike frames). */
const MAX_SIDE_FILE_BYTES = 64 * 1024 * 1024;
const TIMES_FILES = ['times', 'times.txt'];
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
/** The frame number at the end of a frame file's name. */
const FRAME_NUMBER = /(\d{1,9})\.png$/i;

/**
 * The frames' numbers, when at least two files are numbered: every numbered file in order, the
 * rest set aside (a cover image beside ffmpeg's frames). Two files with one number are refused
 * (two sets of frames in one folder); numbers that do not rise in reading order (names with
 * different prefixes) time nothing.
 */
function frameNumbers(files: readonly string[]): { files: string[]; numbers: Int32Array | undefined; ignored: string[] } {
  const numbered = files.filter((f) => FRAME_NUMBER.test(f));
  if (numbered.length < 2) return { files: [...files], numbers: undefined, ignored: [] };
  const numbers = Int32Array.from(numbered, (f) => Number(FRAME_NUMBER.exec(f)![1]));
  const first = new Map<number, string>();
  numbered.forEach((f, i) => {
    const other = first.get(numbers[i]!);
    if (other !== undefined) throw new BlinkUpError('INPUT_INVALID', `${other} and ${f} are both frame ${numbers[i]}: keep one set of frames in the folder`);
    first.set(numbers[i]!, f);
  });
  const rising = numbers.every((n, i) => i === 0 || n > numbers[i - 1]!);
  return { files: numbered, numbers: rising ? numbers : undefined, ignored: files.filter((f) => !FRAME_NUMBER.test(f)) };
}

/** Sort file names by the numbers in them (frame-2 < frame-10), ties by plain order. */
export function sortFrameNames(names: readonly string[]): string[] {
  return [...names].sort((a, b) => naturalOrder.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}

function checkFps(fps: number): number {
  if (!Number.isFinite(fps) || fps <= 0 || fps > 100_000) throw new BlinkUpError('OPTION_INVALID', 'fps must be a number above 0 and at most 100000');
  return fps;
}

/** True when `bytes` start with a PNG's signature and have room for its IHDR. */
function looksLikePng(bytes: Uint8Array): boolean {
  return bytes.length >= 24 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Width and height from a PNG's IHDR, read before decoding so absurd sizes are refused cheaply. */
function pngSize(bytes: Uint8Array, name: string): { width: number; height: number } {
  if (!looksLikePng(bytes)) throw new BlinkUpError('INPUT_INVALID', `${name} is not a PNG file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The first 24 bytes of a file (fewer if it is shorter), or undefined when it cannot be opened. */
async function readHead(path: string): Promise<Uint8Array | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return undefined;
  try {
    const head = new Uint8Array(24);
    const { bytesRead } = await handle.read(head, 0, 24, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Read a small text file whole (times, manifest), or undefined when absent. */
async function readSideFile(path: string, name: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  if (info.size > MAX_SIDE_FILE_BYTES) throw new BlinkUpError('LIMIT_EXCEEDED', `${name} is larger than ${MAX_SIDE_FILE_BYTES} bytes`);
  return readFile(path, 'utf8');
}

/** One timestamp (seconds) per line; blank and `#` lines skipped; strictly increasing. */
export function parseTimes(text: string, name = 'times'): Float64Array {
  const times: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const t = line.length <= 64 ? Number(line) : Number.NaN;
    if (!Number.isFinite(t)) throw new BlinkUpError('INPUT_INVALID', `${name} line ${i + 1}: not a number`);
    if (times.length > 0 && t <= times[times.length - 1]!) {
      throw new BlinkUpError('INPUT_INVALID', `${name} line ${i + 1}: timestamps must increase`);
    }
    times.push(t);
  }
  return Float64Array.from(times);
}

/**
 * The frame rate a blinkup frame-export manifest states, if the folder has one. A manifest of a
 * different number of frames describes other frames (an encoder's export left beside a camera's
 * frames): refused, as a times file of the wrong length is, rather than trusted.
 */
function manifestFps(text: string | undefined, frames: number): number | undefined {
  if (text === undefined) return undefined;
  let manifest: { format?: unknown; fps?: unknown; frameCount?: unknown };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch {
    return undefined; // not ours, or not JSON: ignore it like any other file
  }
  if (manifest.format !== 'blinkup-frames') return undefined;
  const { fps, frameCount } = manifest;
  if (typeof frameCount === 'number' && frameCount !== frames) {
    throw new BlinkUpError('INPUT_INVALID', `manifest.json describes ${frameCount} frames, but the folder holds ${frames}: it belongs to other frames — remove it, or give the frame rate with --fps`);
  }
  return typeof fps === 'number' && fps > 0 && fps <= 100_000 ? fps : undefined;
}

/** A frame decoded, or why its file holds no whole PNG (the reason names the file). */
type FrameRead = { readonly png: PNG } | { readonly unreadable: string };

/**
 * Read and decode one frame file. A file that is gone, empty, cut short, damaged or no PNG is
 * `unreadable`; one over the size limit, or of another size than the frames', is refused.
 */
async function readFrame(path: string, name: string, maxBytes: number, size: FrameSize): Promise<FrameRead> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return { unreadable: `cannot read ${name}` };
  if (info.size > maxBytes) throw new BlinkUpError('LIMIT_EXCEEDED', `${name} is larger than ${maxBytes} bytes`);
  const bytes = await readFile(path).catch(() => undefined);
  if (bytes === undefined) return { unreadable: `cannot read ${name}` };
  if (!looksLikePng(bytes)) return { unreadable: `${name} is not a PNG file` };
  const dims = pngSize(bytes, name);
  if (dims.width !== size.width || dims.height !== size.height) {
    throw new BlinkUpError('INPUT_INVALID', `${name} is ${dims.width}×${dims.height}, but ${size.from} is ${size.width}×${size.height}: all frames must have one size`);
  }
  try {
    return { png: PNG.sync.read(bytes) };
  } catch {
    // (pngjs's own words — "There are some read requests waitng on finished stream" for a cut
    // file — tell a user nothing.)
    return { unreadable: `${name} is not a valid PNG (cut short or damaged)` };
  }
}

/** The frames' size, and the file it was read from (for messages). */
interface FrameSize {
  readonly width: number;
  readonly height: number;
  readonly from: string;
}

class PngFolderReader implements LumaFrameSource {
  private started = false;
  /** Frames left out as unreadable, each as why (naming its file), in reading order. */
  readonly unreadable: string[] = [];

  constructor(
    readonly info: PngFolderInfo,
    private readonly size: FrameSize,
    /** The share of the frames that may be left out as unreadable (0 where they are untimed). */
    private readonly unreadableShare: number,
    private readonly options: PngFolderOptions,
  ) {}

  async *frames(): AsyncGenerator<LumaFrame, void, undefined> {
    if (this.started) throw new BlinkUpError('OPTION_INVALID', 'a PNG folder reader can be iterated only once');
    this.started = true;
    const { dir, files, width, height, fps, times, numbers } = this.info;
    const maxFileBytes = this.options.maxFileBytes ?? PNG_LIMITS.maxFileBytes;
    const luma = new Uint8Array(width * height);
    for (let index = 0; index < files.length; index++) {
      const name = files[index]!;
      const read = await readFrame(join(dir, name), name, maxFileBytes, this.size);
      if ('unreadable' in read) {
        this.leaveOut(read.unreadable);
        continue; // the next frame's time keeps the gap
      }
      rgbaToLuma(read.png.data, luma, this.options.lumaWeights);
      const timeS = times ? times[index]! : fps !== undefined ? (numbers ? numbers[index]! - numbers[0]! : index) / fps : undefined;
      yield timeS !== undefined ? { index, timeS, luma } : { index, luma };
    }
  }

  /** Count an unreadable frame; refuse the folder once there are more than allowed. */
  private leaveOut(reason: string): void {
    this.unreadable.push(reason);
    const { dir, files } = this.info;
    const count = this.unreadable.length;
    if (count <= this.unreadableShare * files.length) return;
    if (this.unreadableShare === 0) throw new BlinkUpError('INPUT_INVALID', reason);
    const share = `${Number((100 * this.unreadableShare).toPrecision(3))} %`;
    throw new BlinkUpError('INPUT_INVALID', `more than ${share} of the frames in ${dir} cannot be read (${count} of ${files.length} so far; the first: ${this.unreadable[0]})`);
  }
}

/**
 * Open a folder of PNG frames: lists and sorts the frames, reads the timing and the first
 * frame's size now; decodes frames one at a time when iterated (one luma plane reused).
 */
export async function openPngFolder(dir: string, options: PngFolderOptions = {}): Promise<LumaFrameSource & { readonly info: PngFolderInfo; readonly unreadable: readonly string[] }> {
  const folder = await stat(dir).catch(() => {
    throw new BlinkUpError('INPUT_INVALID', `cannot read ${dir}: no such folder`);
  });
  if (!folder.isDirectory()) throw new BlinkUpError('INPUT_INVALID', `${dir} is not a folder of PNG frames`);
  const entries = await readdir(dir, { withFileTypes: true });
  const pngs = sortFrameNames(entries.filter((e) => e.isFile() && /\.png$/i.test(e.name)).map((e) => e.name));
  if (pngs.length === 0) throw new BlinkUpError('INPUT_INVALID', `no PNG frames in ${dir}`);
  const { files, numbers, ignored } = frameNumbers(pngs);
  const share = options.maxUnreadableShare ?? 0;
  if (!(share >= 0 && share <= 1)) throw new BlinkUpError('OPTION_INVALID', 'maxUnreadableShare must be from 0 to 1');

  let timing: PngFolderInfo['timing'] = 'none';
  let fps: number | undefined;
  let times: Float64Array | undefined;
  let replaced: string | undefined;
  if (options.fps !== undefined) {
    fps = checkFps(options.fps);
    timing = 'fps';
    const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    replaced = [...TIMES_FILES, 'manifest.json'].find((name) => names.has(name));
  } else {
    for (const name of TIMES_FILES) {
      const text = await readSideFile(join(dir, name), name);
      if (text === undefined) continue;
      times = parseTimes(text, name);
      if (times.length !== files.length) {
        throw new BlinkUpError('INPUT_INVALID', `${name} has ${times.length} timestamps for ${files.length} frames`);
      }
      // Not the mean spacing: a camera that dropped frames leaves gaps (see frame-clock.ts).
      if (times.length > 1) fps = frameRateOf(times);
      timing = 'times-file';
      break;
    }
    if (timing === 'none') {
      fps = manifestFps(await readSideFile(join(dir, 'manifest.json'), 'manifest.json'), files.length);
      if (fps !== undefined) timing = 'manifest';
    }
  }

  // Unreadable frames can be left out only where times keep their gaps.
  const unreadableShare = timing === 'none' ? 0 : share;
  const size = await frameSize(dir, files, Math.floor(unreadableShare * files.length), options.maxSide ?? PNG_LIMITS.maxSide);
  const { width, height } = size;

  const info: PngFolderInfo = {
    dir,
    files,
    width,
    height,
    bitDepth: 8,
    frameCount: files.length,
    timing,
    ...(fps !== undefined ? { fps } : {}),
    ...(times ? { times } : {}),
    ...(numbers ? { numbers } : {}),
    ignored,
    ...(replaced ? { replaced } : {}),
  };
  return new PngFolderReader(info, size, unreadableShare, options);
}

/**
 * The frames' size, from the first file's IHDR — or, when up to `skippable` frames may be
 * unreadable, from the first PNG among the first `skippable + 1` files.
 */
async function frameSize(dir: string, files: readonly string[], skippable: number, maxSide: number): Promise<FrameSize> {
  for (const from of files.slice(0, skippable + 1)) {
    const head = await readHead(join(dir, from));
    if (head === undefined || !looksLikePng(head)) continue;
    const { width, height } = pngSize(head, from);
    if (width < 1 || height < 1) throw new BlinkUpError('INPUT_INVALID', `${from} has no pixels`);
    if (width > maxSide || height > maxSide || width * height * 4 > MAX_DECODED_BYTES) {
      throw new BlinkUpError('LIMIT_EXCEEDED', `${from} is ${width}×${height}, over the limit of ${maxSide} pixels a side`);
    }
    return { width, height, from };
  }
  // None is a PNG: refused with why the first is not.
  const head = await readHead(join(dir, files[0]!));
  if (head === undefined) throw new BlinkUpError('INPUT_INVALID', `cannot read ${files[0]}`);
  throw new BlinkUpError('INPUT_INVALID', `${files[0]} is not a PNG file`);
}

/** An 8-bit greyscale PNG of a luma plane. */
export function encodeGreyPng(luma: Uint8Array, width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || luma.length !== width * height) {
    throw new BlinkUpError('INPUT_INVALID', `a ${width}×${height} grey image needs ${width * height} luma bytes, got ${luma.length}`);
  }
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8 });
  png.data = Buffer.from(luma.buffer, luma.byteOffset, luma.byteLength);
  const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8 });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength); // a plain view: `slice` copies, as for any Uint8Array
}

export interface PngFramesWriteOptions {
  readonly width: number;
  readonly height: number;
  /** Timestamps (seconds) to write as the folder's `times` file, one per frame. */
  readonly times?: ArrayLike<number>;
}

/**
 * Write luma planes as `frame-00001.png`, `frame-00002.png`, … into `dir` (created if needed),
 * one at a time, plus a `times` file when timestamps are given; the frames and times of an
 * earlier, longer clip there are removed. Returns the frame count.
 */
export async function writePngFrames(
  dir: string,
  frames: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options: PngFramesWriteOptions,
): Promise<number> {
  await makeDirectory(dir);
  let count = 0;
  for await (const luma of frames) {
    await writeFile(join(dir, frameFileName(count)), encodeGreyPng(luma, options.width, options.height));
    count++;
  }
  // A longer clip written to the folder before would leave its last frames (and its times) behind.
  await removeStaleFrames(dir, count);
  if (options.times) {
    if (options.times.length !== count) {
      throw new BlinkUpError('OPTION_INVALID', `${options.times.length} timestamps given for ${count} frames`);
    }
    await writeFile(join(dir, 'times'), `${Array.from(options.times, (t) => String(t)).join('\n')}\n`);
  }
  return count;
}
