/**
 * Opening a capture for `decode` and `analyze`: a file, a folder of PNG frames, or `-` (stdin).
 *
 * The reader is chosen by `--format`; else a folder is PNG frames and a known extension names
 * its format; else the first bytes decide: a Y4M stream starts with `YUV4MPEG2` (so
 * `ffmpeg … -pix_fmt gray -f yuv4mpegpipe - | blinkup decode -` needs no option), anything else is read as
 * CSV text.
 *
 * Whatever the source, the result is one stream of sample chunks for the decoder: photodiode
 * samples as logged, or — for video — the linear-light brightness of the flashing region of each
 * frame. Nothing is read whole; the timing (a rate, or a time per sample) comes from the user,
 * the file's header or the video, and absurd rates are refused before any decoding.
 */
import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { readBinarySamples } from '../node/binary-samples.js';
import { byteChunks, fileChunks } from '../node/byte-source.js';
import { readCsvSamples } from '../node/csv-samples.js';
import type { LumaFrame, LumaFrameSource } from '../node/luma-frames.js';
import { openPngFolder } from '../node/png-frames.js';
import { brightnessSamples, type RegionChoice } from '../node/region-brightness.js';
import { sameRoi, type Roi } from '../node/region.js';
import type { SampleChunk } from '../node/sample-chunk.js';
import { Y4M_MAGIC } from '../node/y4m-format.js';
import { openY4M } from '../node/y4m.js';
import { BlinkUpError, ErrorCode } from '../packet/errors.js';
import type { CliContext } from './context.js';
import { usageError } from './errors.js';
import { untilInterrupted } from './interruptible.js';

export const CAPTURE_FORMATS = ['csv', 'u16le', 'f32le', 'y4m', 'png'] as const;
export type CaptureFormat = (typeof CAPTURE_FORMATS)[number];

/**
 * Sample rates accepted, Hz. Below 50 Hz a 20 fps flash is not even sampled once per level;
 * above 1 MHz the number is a unit mix-up (a time column in µs read as seconds), not a sensor.
 */
export const RATE_LIMITS = { min: 50, max: 1_000_000 } as const;
/** How far a rate estimated from a time column may stand beyond the limits (its times are rounded). */
const RATE_SLACK = 0.01;
/** Camera frame rates accepted, fps (slow-motion phones reach 960). */
export const FPS_LIMITS = { min: 1, max: 1000 } as const;

/** Extensions that name a format; anything else is recognised by its first bytes. */
const EXTENSIONS: Readonly<Record<string, CaptureFormat>> = {
  '.csv': 'csv', '.tsv': 'csv', '.txt': 'csv',
  '.u16': 'u16le', '.u16le': 'u16le',
  '.f32': 'f32le', '.f32le': 'f32le',
  '.y4m': 'y4m',
};

/** Video containers decode does not open itself (no codec here): ffmpeg turns them into Y4M. */
const CONTAINER_EXTENSIONS: Readonly<Record<string, string>> = {
  '.mp4': 'an MP4 video', '.m4v': 'an MP4 video', '.mov': 'a QuickTime video', '.3gp': 'a 3GP video',
  '.mkv': 'a Matroska video', '.webm': 'a WebM video', '.avi': 'an AVI video',
};
/**
 * The pipe that turns any video into Y4M for `decode -`. `-pix_fmt gray` because ffmpeg writes
 * Y4M only in a few pixel formats and refuses the rest (10-bit HDR phone video, a VP9 WebM made
 * from PNGs is RGB); grey is always one of them, and the luma is all the decoder reads.
 */
function y4mPipe(input: string): string {
  return `ffmpeg -i ${input} -pix_fmt gray -f yuv4mpegpipe - | blinkup decode -`;
}

/** Bytes enough to recognise a Y4M stream or a video container by its first bytes. */
const HEAD_BYTES = 12;

export interface CaptureOptions {
  readonly format?: CaptureFormat | undefined;
  /** Sample rate of a photodiode capture, Hz. */
  readonly rate?: number | undefined;
  /** Frame rate of a video, fps (overrides the video's own). */
  readonly fps?: number | undefined;
  /** Region of the video frames to measure (default: found automatically). */
  readonly roi?: Roi | undefined;
  /** The ADC's full scale (photodiode captures only: checked against the format here, applied by the decoder). */
  readonly fullScale?: number | undefined;
  /** CSV: the column of the samples, a 0-based index or a header name (default: the reader's choice). */
  readonly column?: number | string | undefined;
}

/** Where the times of the samples come from, in words for the report. */
export type TimingSource = '--rate' | 'file header' | 'time column' | '--fps' | 'video header' | 'times file' | 'frame manifest';

/** An opened capture. Its chunks can be iterated once. */
export interface Capture {
  readonly format: CaptureFormat;
  /** The path, or "stdin". */
  readonly name: string;
  /** True for video (Y4M, PNG frames): each sample is one frame's region brightness. */
  readonly camera: boolean;
  /** Sample chunks in order, with times when the source has them. Throws BlinkUpError on bad input. */
  chunks(): AsyncIterable<SampleChunk>;
  /** Nominal sample (or frame) rate, Hz, and where it came from; for CSV known after the first chunk. */
  readonly sampleRate: number | undefined;
  readonly timing: TimingSource | undefined;
  /** The ADC's full scale, when the capture states it (a CSV header's `Full Scale`; video is linear light, 1). */
  readonly fullScale: number | undefined;
  /** Video: the region measured last, known from the first chunk on. */
  readonly region: RegionChoice | undefined;
  /**
   * Video: every region measured so far, in order — the automatic search moves to where the
   * flash is, each region from its `fromFrame` on. (Undefined for samples.)
   */
  readonly regions?: readonly RegionChoice[];
  /** Video: frame size in pixels. */
  readonly frameSize: { readonly width: number; readonly height: number } | undefined;
  /** What the user should know about the input once it was read (a video that ended mid-frame), or undefined. */
  readonly warning: string | undefined;
}

/** Video: the fraction of the frame the region covers when the search found it (undefined when --roi gave it, or not video). */
export function foundRegionCoverage(capture: Capture): number | undefined {
  return capture.region?.automatic === true ? capture.region.coverage : undefined;
}

/** Prints what the user should know about an input once it was read (see `Capture.warning`) to stderr. */
export function warnAboutInput(capture: Capture, ctx: CliContext): void {
  if (ctx.interrupted === true) ctx.stderr.write('blinkup: warning: interrupted: decoded what was read until then\n');
  if (capture.warning !== undefined) ctx.stderr.write(`blinkup: warning: ${capture.warning}\n`);
}

/**
 * Opens `path` (`-` for stdin) as a capture and runs `use` on it; bad usage and unreadable input
 * throw (exit 2). However `use` ends, the input is let go: a refusal after opening — an option
 * that does not apply to what was found (--invert for a video), a region outside its frames —
 * would otherwise leave a file's handle to the garbage collector.
 */
export async function withCapture<T>(path: string, options: CaptureOptions, ctx: CliContext, use: (capture: Capture) => Promise<T>): Promise<T> {
  const { capture, release } = await openCapture(path, options, ctx);
  try {
    return await use(capture);
  } finally {
    await release();
  }
}

/** A capture, and how to let its input go (a no-op once it was read to its end). */
interface Opened {
  readonly capture: Capture;
  release(): Promise<void>;
}

async function openCapture(path: string, options: CaptureOptions, ctx: CliContext): Promise<Opened> {
  checkRates(options);
  if (path === '-') {
    if (options.format === 'png') throw usageError('PNG frames are read from a folder, not from stdin');
    const peeked = await peek(untilInterrupted(byteChunks(ctx.stdin), ctx), HEAD_BYTES);
    // Nothing at all on a pipe is seldom an empty capture: the program feeding it failed (ffmpeg
    // refusing a pixel format) and said why on stderr, just above this line.
    if (peeked.head.length === 0 && ctx.interrupted !== true) throw new BlinkUpError(ErrorCode.INPUT_INVALID, 'stdin is empty: the program feeding the pipe probably failed (look at its messages above)');
    return releasedOnRefusal(peeked, () => openStream(options.format ?? sniff(peeked.head, 'stdin'), 'stdin', peeked.stream, options));
  }
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    const reason = err.code === 'ENOENT' ? 'no such file or folder' : err.code === 'EACCES' ? 'permission denied' : (err.code ?? 'unreadable');
    throw new BlinkUpError(ErrorCode.INPUT_INVALID, `cannot read ${path}: ${reason}`);
  });
  if (info.isDirectory()) {
    if (options.format !== undefined && options.format !== 'png') throw usageError(`${path} is a folder; --format ${options.format} reads a file`);
    // (Each frame's file is read whole and closed: nothing is held open between frames.)
    return { capture: await openFrames(path, options), release: async () => undefined };
  }
  if (options.format === 'png') throw usageError(`--format png reads a folder of PNG frames; ${path} is a file`);
  const extension = extname(path).toLowerCase();
  if (options.format === undefined && CONTAINER_EXTENSIONS[extension]) throw notAContainerReader(CONTAINER_EXTENSIONS[extension]!, path);
  const format = options.format ?? EXTENSIONS[extension];
  const peeked = await peek(untilInterrupted(fileChunks(path), ctx), HEAD_BYTES);
  return releasedOnRefusal(peeked, () => {
    // A video or an image named .y4m (a renamed MP4): say what it is, not only that it is no Y4M.
    if (format === 'y4m' && options.format === undefined && !startsWithY4M(peeked.head)) {
      const foreign = foreignInput(peeked.head, path);
      if (foreign !== null) throw foreign;
    }
    return openStream(format ?? sniff(peeked.head, path), path, peeked.stream, options);
  });
}

/** `open()`'s capture, released with the peeked source; if it refuses the input, the source is let go at once (a file's handle closed). */
async function releasedOnRefusal(peeked: Peeked, open: () => Capture | Promise<Capture>): Promise<Opened> {
  try {
    return { capture: await open(), release: () => peeked.release() };
  } catch (err) {
    await peeked.release();
    throw err;
  }
}

function checkRates(o: CaptureOptions): void {
  if (o.rate !== undefined) checkRate(o.rate, '--rate');
  if (o.fps !== undefined && !(o.fps >= FPS_LIMITS.min && o.fps <= FPS_LIMITS.max)) {
    throw usageError(`--fps must be ${FPS_LIMITS.min}–${FPS_LIMITS.max} frames per second (got ${o.fps})`);
  }
}

/** Once the format is known: refuse options that belong to the other kind of capture, rather than ignore them. */
function checkApplicable(format: CaptureFormat, o: CaptureOptions): void {
  const video = format === 'y4m' || format === 'png';
  if (video && o.rate !== undefined) throw usageError(`--rate is for photodiode captures; give a video's frame rate with --fps`);
  if (video && o.fullScale !== undefined) throw usageError(`--full-scale is for photodiode captures: a video's brightness is linear light from 0 to 1, whatever its bit depth`);
  if (!video && o.fps !== undefined) throw usageError(`--fps is for video; give the sample rate of a ${format} capture with --rate`);
  if (!video && o.roi !== undefined) throw usageError(`--roi applies to video (y4m, png), not to a ${format} capture`);
  if (format !== 'csv' && o.column !== undefined) throw usageError(`--column is for CSV captures, not ${format}`);
}

function checkRate(rate: number, where: string): number {
  if (!(rate >= RATE_LIMITS.min && rate <= RATE_LIMITS.max)) {
    const shown = Number.isFinite(rate) ? String(Number(rate.toPrecision(6))) : String(rate);
    throw usageError(`sample rate from ${where} must be ${RATE_LIMITS.min} Hz–${RATE_LIMITS.max / 1e6} MHz (got ${shown} Hz)`);
  }
  return rate;
}

/** The format the first bytes show: Y4M, or else CSV text — a video container or an image is refused with the way to read it. */
function sniff(head: Uint8Array, name: string): CaptureFormat {
  if (startsWithY4M(head)) return 'y4m';
  const foreign = foreignInput(head, name);
  if (foreign !== null) throw foreign;
  return 'csv';
}

function startsWithY4M(head: Uint8Array): boolean {
  return new TextDecoder('latin1').decode(head).startsWith(Y4M_MAGIC);
}

/** The error for a video container or an image, which blinkup does not read as they are (null for anything else). */
function foreignInput(head: Uint8Array, name: string): BlinkUpError | null {
  const text = new TextDecoder('latin1').decode(head);
  const container = containerOf(text);
  if (container !== null) return notAContainerReader(container, name);
  const image = imageOf(text);
  if (image !== null) return usageError(`${name} is ${image}: decode reads a camera's frames as a folder of PNG images (blinkup decode frames/ --fps <n>) or as Y4M video`);
  return null;
}

/** What kind of image the first bytes open (PNG, JPEG, GIF), or null. */
function imageOf(head: string): string | null {
  if (head.startsWith('\x89PNG\r\n\x1a\n')) return 'a PNG image';
  if (head.startsWith('\xff\xd8\xff')) return 'a JPEG image';
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'a GIF image';
  return null;
}

/** What kind of video container the first bytes open (MP4/QuickTime, Matroska/WebM, AVI), or null. */
function containerOf(head: string): string | null {
  if (head.slice(4, 8) === 'ftyp') return 'an MP4 video';
  if (head.startsWith('\x1a\x45\xdf\xa3')) return 'a Matroska or WebM video';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'AVI ') return 'an AVI video';
  return null;
}

function notAContainerReader(kind: string, name: string): BlinkUpError {
  const input = name === 'stdin' ? '<video>' : name;
  return usageError(`${name} is ${kind}, which blinkup reads only as Y4M: ${y4mPipe(input)} (or analyze -)`);
}

function openStream(format: CaptureFormat, name: string, bytes: AsyncIterable<Uint8Array>, o: CaptureOptions): Promise<Capture> | Capture {
  checkApplicable(format, o);
  switch (format) {
    case 'csv':
      return new CsvCapture(name, bytes, o.rate, o.column);
    case 'u16le':
    case 'f32le':
      if (o.rate === undefined) throw usageError(`${format} samples carry no timing: give the sample rate with --rate <Hz>`);
      return new BinaryCapture(format, name, bytes, o.rate);
    case 'y4m':
      return openVideo(name, bytes, o);
    case 'png':
      throw usageError('PNG frames are read from a folder');
  }
}

/**
 * Data lines of a CSV capture that are not numbers are read as missing samples: a logger's serial
 * noise, or a board's boot message when it reset mid-capture, should not cost the whole capture,
 * however long the log. Only the start of the file is judged — before anything has been decoded,
 * so no packet is ever printed and then taken back: more than this share of the first
 * JUDGED_LINES data lines (or of all, in a shorter file), and it is broken, or no capture (a wrong
 * --column), and is refused with the first one's reason.
 */
const JUDGED_LINES = 1000;
const MAX_BAD_SHARE = 0.1;

/** CSV: the rate is --rate (overriding any time column), else each sample's time column, else the header's sample interval. */
class CsvCapture implements Capture {
  readonly format = 'csv';
  readonly camera = false;
  readonly region = undefined;
  readonly frameSize = undefined;
  sampleRate: number | undefined;
  timing: TimingSource | undefined;
  fullScale: number | undefined;
  /** Data lines that were not numbers, read as missing samples, and why the first was not. */
  private badLines = 0;
  private firstBadLine = '';

  constructor(
    readonly name: string,
    private readonly bytes: AsyncIterable<Uint8Array>,
    rate: number | undefined,
    private readonly column: number | string | undefined,
  ) {
    if (rate !== undefined) {
      this.sampleRate = rate;
      this.timing = '--rate';
    }
  }

  async *chunks(): AsyncGenerator<SampleChunk, void, undefined> {
    let first = true;
    // --rate times the samples: a time column is then ignored, not read in a unit it may not have
    // (an Arduino's micros() taken as seconds); the value column stays the same.
    const given = this.timing === '--rate';
    const badLine = (reason: string, dataLine: number): boolean => {
      if (this.badLines++ === 0) this.firstBadLine = reason;
      if (dataLine <= JUDGED_LINES && this.badLines > MAX_BAD_SHARE * JUDGED_LINES) throw this.tooManyBadLines(dataLine);
      return true;
    };
    let dataLines = 0;
    let badBefore = 0;
    const columns = { ...(given ? { timeColumn: false as const } : {}), ...(this.column !== undefined ? { valueColumn: this.column } : {}) };
    for await (const chunk of readCsvSamples(this.bytes, { ...columns, badLine })) {
      if (first) {
        first = false;
        this.learnTiming(chunk.info.sampleIntervalS, chunk.times);
        this.fullScale = chunk.info.fullScale;
      }
      // Data lines read: a bad line is a sample (NaN) where no time column times them, else left out.
      dataLines += chunk.times === undefined ? chunk.values.length : chunk.values.length + this.badLines - badBefore;
      badBefore = this.badLines;
      yield chunk;
    }
    if (dataLines < JUDGED_LINES && this.badLines > MAX_BAD_SHARE * dataLines) throw this.tooManyBadLines(dataLines);
  }

  private tooManyBadLines(dataLines: number): BlinkUpError {
    return new BlinkUpError(
      ErrorCode.INPUT_INVALID,
      `${this.firstBadLine}, and ${this.badLines} of the first ${dataLines} data lines are not numbers (at most ${MAX_BAD_SHARE * 100} % may be): broken, or no capture`,
    );
  }

  get warning(): string | undefined {
    const n = this.badLines;
    if (n === 0) return undefined;
    return `${n === 1 ? 'a data line was' : `${n} data lines were`} not numbers (the first: ${this.firstBadLine}): read as missing samples`;
  }

  private learnTiming(intervalS: number | undefined, times: Float64Array | undefined): void {
    if (times) {
      // The time column gives each sample's time; its spacing must be a plausible rate.
      const n = times.length;
      const span = n > 1 ? times[n - 1]! - times[0]! : Number.NaN;
      const estimate = span > 0 ? (n - 1) / span : Number.NaN;
      if (n > 1 && this.sampleRate === undefined) {
        // (A time column's rounding moves the estimate a little: a scope at exactly 1 MHz is no error.)
        if (!(estimate >= RATE_LIMITS.min * (1 - RATE_SLACK) && estimate <= RATE_LIMITS.max * (1 + RATE_SLACK))) {
          throw new BlinkUpError(
            ErrorCode.INPUT_INVALID,
            `the time column of ${this.name} implies ${describeRate(estimate)}, which is not a plausible sample rate (is it in seconds?): name its unit in the header (time_ms, time_us) or give --rate <Hz>`,
          );
        }
        this.sampleRate = estimate;
      }
      this.timing ??= 'time column';
      return;
    }
    if (this.sampleRate !== undefined) return;
    if (intervalS === undefined) {
      throw usageError(`${this.name} has no time column and its header states no sample interval: give the sample rate with --rate <Hz>`);
    }
    this.sampleRate = checkRate(1 / intervalS, `the sample interval in ${this.name}'s header`);
    this.timing = 'file header';
  }
}

function describeRate(hz: number): string {
  return Number.isFinite(hz) ? `${Number(hz.toPrecision(3))} Hz` : 'no rate at all';
}

/** Raw u16le / f32le samples: values only, the rate from --rate. */
class BinaryCapture implements Capture {
  readonly warning = undefined;
  readonly camera = false;
  readonly region = undefined;
  readonly frameSize = undefined;
  readonly timing = '--rate';
  readonly fullScale = undefined;

  constructor(
    readonly format: 'u16le' | 'f32le',
    readonly name: string,
    private readonly bytes: AsyncIterable<Uint8Array>,
    readonly sampleRate: number,
  ) {}

  chunks(): AsyncIterable<SampleChunk> {
    return readBinarySamples(this.bytes, { format: this.format });
  }
}

async function openVideo(name: string, bytes: AsyncIterable<Uint8Array>, o: CaptureOptions): Promise<Capture> {
  // A video cut off mid-frame (ffmpeg stopped, a full disk) or with a damaged frame still gives
  // the frames before it: one bad frame late in a long clip should not cost the packets before it.
  const video = await openY4M(bytes, { endAtTruncatedFrame: true, endAtDamagedFrame: true });
  const { fps } = video.info;
  // The header's rate is usually right (ffmpeg writes it): say when --fps replaces it.
  const override = o.fps !== undefined && fps !== undefined && Math.abs(o.fps - fps) > 1e-3 * fps ? `--fps ${o.fps} replaces the ${Number(fps.toPrecision(6))} fps of ${name}'s header` : undefined;
  const notice = (): string | undefined => warnings(override, video.truncation);
  if (o.fps !== undefined) return new VideoCapture('y4m', name, retimed(video, o.fps), o.fps, '--fps', o.roi, notice);
  if (fps === undefined) throw usageError(`${name} states no frame rate: give it with --fps <n>`);
  return new VideoCapture('y4m', name, video, checkFps(fps, `${name}'s header`), 'video header', o.roi, notice);
}

/**
 * Frames of a PNG folder that cannot be read (empty, cut short, not a PNG: a copy or a camera's
 * writer that failed) are read as frames the camera dropped, up to this share of the folder; a
 * folder with more is broken, and is refused.
 */
const MAX_UNREADABLE_FRAME_SHARE = 0.05;

async function openFrames(dir: string, o: CaptureOptions): Promise<Capture> {
  checkApplicable('png', o);
  const frames = await openPngFolder(dir, { ...(o.fps !== undefined ? { fps: o.fps } : {}), maxUnreadableShare: MAX_UNREADABLE_FRAME_SHARE });
  const { timing, fps } = frames.info;
  if (fps === undefined) throw usageError(`${dir} has no times file or manifest saying when frames were taken: give the frame rate with --fps <n>`);
  const source: TimingSource = timing === 'fps' ? '--fps' : timing === 'times-file' ? 'times file' : 'frame manifest';
  const { ignored, replaced } = frames.info;
  const notice = (): string | undefined =>
    warnings(
      ignored.length > 0 ? `left out ${ignored.length} PNG ${ignored.length === 1 ? 'file' : 'files'} without a frame number (${ignored.slice(0, 3).join(', ')}${ignored.length > 3 ? ', …' : ''})` : undefined,
      replaced !== undefined ? `--fps ${o.fps} replaces the frame times in ${join(dir, replaced)}` : undefined,
      unreadableText(frames.unreadable),
    );
  return new VideoCapture('png', dir, frames, checkFps(fps, `${dir}'s ${source}`), source, o.roi, notice);
}

/** The warning for frames left out as unreadable, naming the first (undefined when none was). */
function unreadableText(unreadable: readonly string[]): string | undefined {
  if (unreadable.length === 0) return undefined;
  if (unreadable.length === 1) return `${unreadable[0]}: read as a missing frame`;
  return `${unreadable.length} PNG frames cannot be read, read as missing frames (the first: ${unreadable[0]})`;
}

/** The warnings that apply, as one line (undefined when none does). */
function warnings(...found: (string | undefined)[]): string | undefined {
  const text = found.filter((w) => w !== undefined).join('; ');
  return text === '' ? undefined : text;
}

function checkFps(fps: number, where: string): number {
  if (!(fps >= FPS_LIMITS.min && fps <= FPS_LIMITS.max)) {
    throw new BlinkUpError(ErrorCode.INPUT_INVALID, `the frame rate in ${where} (${Number(fps.toPrecision(6))} fps) is outside ${FPS_LIMITS.min}–${FPS_LIMITS.max} fps; give the real one with --fps <n>`);
  }
  return fps;
}

/** Video: one brightness sample per frame, of the given region or the one found flashing. */
class VideoCapture implements Capture {
  readonly camera = true;
  /** Region brightness is linear light, 0 (black) to 1 (white). */
  readonly fullScale = 1;
  region: RegionChoice | undefined;
  readonly regions: RegionChoice[] = [];
  readonly frameSize: { readonly width: number; readonly height: number };

  constructor(
    readonly format: 'y4m' | 'png',
    readonly name: string,
    private readonly source: LumaFrameSource,
    readonly sampleRate: number,
    readonly timing: TimingSource,
    private readonly roi: Roi | undefined,
    /** What the source found to warn about, asked once it was read. */
    private readonly notice: () => string | undefined = () => undefined,
  ) {
    this.frameSize = { width: source.info.width, height: source.info.height };
  }

  get warning(): string | undefined {
    return this.notice();
  }

  async *chunks(): AsyncGenerator<SampleChunk, void, undefined> {
    // The source's bit depth and video range (from a Y4M header) are applied by brightnessSamples.
    for await (const chunk of brightnessSamples(this.source, this.roi ? { roi: this.roi } : {})) {
      this.region = chunk.region;
      // The search chooses again every half window: only another rectangle is another region.
      const last = this.regions.at(-1);
      if (last === undefined || !sameRoi(last.roi, chunk.region.roi)) this.regions.push(chunk.region);
      yield chunk;
    }
  }
}

/** The same frames, timed by `fps` instead of the source's own clock. */
function retimed(source: LumaFrameSource, fps: number): LumaFrameSource {
  return {
    info: { ...source.info, fps },
    async *frames(): AsyncGenerator<LumaFrame, void, undefined> {
      for await (const frame of source.frames()) yield { index: frame.index, timeS: frame.index / fps, luma: frame.luma };
    },
  };
}

/**
 * The first `n` bytes of a stream (fewer if it is shorter), and the stream again from its start:
 * stdin cannot be rewound, so the bytes looked at are handed on in front of the rest.
 */
interface Peeked {
  readonly head: Uint8Array;
  readonly stream: AsyncIterable<Uint8Array>;
  /** Lets the source go when the stream will not be read (the input was refused on its head). */
  release(): Promise<void>;
}

async function peek(source: AsyncIterable<Uint8Array>, n: number): Promise<Peeked> {
  const iterator = source[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < n) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    seen.push(next.value);
    length += next.value.length;
  }
  const head = new Uint8Array(Math.min(n, length));
  let at = 0;
  for (const chunk of seen) {
    if (at >= head.length) break;
    const part = chunk.subarray(0, head.length - at);
    head.set(part, at);
    at += part.length;
  }
  async function* replay(): AsyncGenerator<Uint8Array, void, undefined> {
    try {
      yield* seen;
      if (done) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      // A reader that stops early (bad input, a header that was all it needed) lets the source
      // go now: a file's handle is closed, not left for the garbage collector.
      await iterator.return?.();
    }
  }
  return { head, stream: replay(), release: async () => void (await iterator.return?.()) };
}
