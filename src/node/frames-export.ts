/**
 * A transmission as a folder of PNG frames (`frame-00001.png` …) plus `manifest.json`: the form
 * a video tool, a slideshow player or a camera test rig can take.
 *
 * Every frame shows one of three solid greys, so each distinct level is PNG-encoded once and
 * its bytes are written for every frame at that level; an 850-frame sequence takes a few tens
 * of milliseconds, most of it the file system.
 */
import { readdir, unlink, writeFile } from 'node:fs/promises';
import { makeDirectory } from './make-directory.js';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { BlinkUpError, ErrorCode } from '../packet/errors.js';
import type { Schedule } from '../schedule/schedule.js';
import { formatManifest, type FrameManifest } from '../export/manifest.js';
import { LEVEL_CODE_VALUES } from '../export/levels.js';

export interface FrameSize {
  width: number;
  height: number;
}

export interface FrameFolderOptions {
  /** Pixel size of every frame (default 256×256). */
  size?: FrameSize;
  /** Written as `manifest.json`, with `files` set to the frame name pattern. */
  manifest?: FrameManifest;
  /** Called after each frame file is written. */
  onProgress?: (written: number, total: number) => void;
}

export interface FrameFolderResult {
  dir: string;
  frameCount: number;
  /** Bytes written, manifest included. */
  bytes: number;
  /** Path of manifest.json, if one was written. */
  manifestPath?: string;
}

export const DEFAULT_FRAME_SIZE: Readonly<FrameSize> = Object.freeze({ width: 256, height: 256 });
/** Largest frame side accepted: beyond this a solid-grey frame is only a way to fill a disk. */
export const MAX_FRAME_SIDE = 8192;
/** printf-style pattern of frame file names (1-based), as ffmpeg's `-i frame-%05d.png` expects. */
export const FRAME_FILE_PATTERN = 'frame-%05d.png';
const FRAME_FILE = /^frame-(\d{5})\.png$/;
/** Files written at once: enough to keep the file system busy, few enough to bound memory. */
const WRITES_IN_FLIGHT = 32;

/** File name of frame `index` (0-based): frame-00001.png for index 0. */
export function frameFileName(index: number): string {
  return `frame-${String(index + 1).padStart(5, '0')}.png`;
}

/** A solid 8-bit greyscale PNG of code value `value`. */
export function solidGreyPng(value: number, size: FrameSize = DEFAULT_FRAME_SIZE): Uint8Array {
  checkSize(size);
  const png = new PNG({ width: size.width, height: size.height, colorType: 0, inputColorType: 0, bitDepth: 8 });
  png.data = Buffer.alloc(size.width * size.height, value);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8 });
}

/**
 * Writes one PNG per frame of `schedule` into `dir` (created if needed) and, if given, the
 * manifest. Frame files left over from a longer sequence written there before are removed, so
 * the folder always holds exactly one transmission; other files are left alone.
 */
export async function writeFrameFolder(schedule: Schedule, dir: string, options: FrameFolderOptions = {}): Promise<FrameFolderResult> {
  const size = options.size ?? DEFAULT_FRAME_SIZE;
  checkSize(size);
  const pngs = LEVEL_CODE_VALUES.map((v) => solidGreyPng(v, size));
  await makeDirectory(dir);
  await removeStaleFrames(dir, schedule.frameCount);

  const total = schedule.frameCount;
  let bytes = 0;
  let next = 0;
  let written = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      const png = pngs[schedule.levels[i]!]!;
      await writeFile(join(dir, frameFileName(i)), png);
      bytes += png.length;
      options.onProgress?.(++written, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITES_IN_FLIGHT, total) }, worker));

  const result: FrameFolderResult = { dir, frameCount: total, bytes };
  if (options.manifest) {
    const text = formatManifest({ ...options.manifest, files: FRAME_FILE_PATTERN });
    result.manifestPath = join(dir, 'manifest.json');
    await writeFile(result.manifestPath, text);
    result.bytes += Buffer.byteLength(text);
  }
  return result;
}

/** Names a PNG folder reader takes for per-frame times (see png-frames.ts). */
const STALE_TIMES = new Set(['times', 'times.txt']);

/**
 * Frames of an earlier, longer sequence in the folder go, and so does a frame times file (a
 * camera clip's, from `simulate --camera --format png`): it described the frames these replace,
 * and a reader of the folder would take the new frames for the old times.
 */
export async function removeStaleFrames(dir: string, frameCount: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const m = FRAME_FILE.exec(name);
    if ((m && Number(m[1]) > frameCount) || STALE_TIMES.has(name)) await unlink(join(dir, name));
  }
}

function checkSize(size: FrameSize): void {
  const ok = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= MAX_FRAME_SIDE;
  if (!ok(size.width) || !ok(size.height)) {
    throw new BlinkUpError(ErrorCode.LIMIT_EXCEEDED, `frame size must be 1–${MAX_FRAME_SIDE} pixels a side (got ${size.width}x${size.height})`);
  }
}
