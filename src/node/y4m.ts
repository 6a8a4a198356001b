/**
 * Streaming Y4M video: read the luma plane of each frame from a file or a pipe
 * (`ffmpeg -i clip.mp4 -pix_fmt gray -f yuv4mpegpipe - | blinkup decode -`), and write luma frames as Y4M.
 *
 * The reader holds one frame's luma plane (reused from frame to frame) and skips the chroma
 * planes without copying them, so memory stays at one luma plane however long the video.
 */
import { once } from 'node:events';
import { BlinkUpError, isBlinkUpError } from '../packet/errors.js';
import { byteChunks, type ByteInput } from './byte-source.js';
import { ByteReader } from './byte-reader.js';
import type { LumaFrame, LumaFrameSource, LumaSourceInfo } from './luma-frames.js';
import {
  formatY4MHeader, frameRateOf, isFrameLine, parseY4MHeader, Y4M_LIMITS, Y4M_MAX_LINE_BYTES,
  type FrameRate, type Y4MHeader, type Y4MLimits,
} from './y4m-format.js';

export interface Y4MReadOptions extends Partial<Y4MLimits> {
  /**
   * Reuse one buffer for every frame's luma (default true): a yielded plane is valid until
   * the next frame is requested. Set false to get a fresh plane per frame.
   */
  readonly reuseBuffer?: boolean;
  /**
   * A last frame cut short by the end of the stream (ffmpeg stopped, a full disk) ends the video
   * after the whole frames before it, rather than failing it; `truncation` then says so. (Default
   * false: refused as INPUT_INVALID.)
   */
  readonly endAtTruncatedFrame?: boolean;
  /**
   * A frame after the first whose FRAME line is damaged (bytes overwritten, a copy gone wrong)
   * ends the video after the frames before it, rather than failing it; `truncation` then says so.
   * Reading cannot go on past it: without its line the frames after it cannot be found. (Default
   * false: refused as INPUT_INVALID. A damaged first frame is refused either way: nothing was read.)
   */
  readonly endAtDamagedFrame?: boolean;
}

export interface Y4MInfo extends LumaSourceInfo {
  readonly header: Y4MHeader;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Y4M stores 16-bit samples little-endian; on a big-endian host swap them in place. */
function toHostOrder(bytes: Uint8Array): void {
  if (LITTLE_ENDIAN_HOST) return;
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const b = bytes[i]!;
    bytes[i] = bytes[i + 1]!;
    bytes[i + 1] = b;
  }
}

/** The video range of the code values: the header's `XCOLORRANGE`, else ffmpeg's assumption for its colourspace. */
function colorRangeOf(header: Y4MHeader): 'full' | 'limited' | undefined {
  return header.colorRange ?? (header.chroma === 'mono' ? undefined : 'limited');
}

class Y4MReader implements LumaFrameSource {
  readonly info: Y4MInfo;
  private started = false;
  /** Why the video ended before the stream did, when `endAtTruncatedFrame` or `endAtDamagedFrame` ended it early. */
  truncation: string | undefined;

  constructor(
    private readonly reader: ByteReader,
    header: Y4MHeader,
    private readonly reuseBuffer: boolean,
    private readonly endAtTruncatedFrame: boolean,
    private readonly endAtDamagedFrame: boolean,
  ) {
    this.info = {
      width: header.width,
      height: header.height,
      bitDepth: header.bitDepth,
      ...(header.fps !== undefined ? { fps: header.fps } : {}),
      // Untagged, as ffmpeg reads it: colour (YUV) video is in video range (16–235), grey (Cmono)
      // in full range. (An untagged H.264 made from PNG frames is limited: read as full, its
      // white stood at 0.83 and clipping went unseen.)
      ...(colorRangeOf(header) !== undefined ? { colorRange: colorRangeOf(header)! } : {}),
      header,
    };
  }

  async *frames(): AsyncGenerator<LumaFrame, void, undefined> {
    if (this.started) throw new BlinkUpError('OPTION_INVALID', 'a Y4M stream can be read only once');
    this.started = true;
    const { header } = this.info;
    const chromaBytes = header.frameBytes - header.lumaBytes;
    const rate = header.frameRate;
    let plane = new Uint8Array(header.lumaBytes);
    // However the reading ends — the last frame, bad input, a caller that stops early — the
    // source is let go (a file's handle closed, not left for the garbage collector).
    try {
      for (let index = 0; ; index++) {
        let line: string | null;
        try {
          line = await this.reader.readLine(Y4M_MAX_LINE_BYTES, `the FRAME header of frame ${index + 1}`);
          if (line !== null && !isFrameLine(line)) throw new BlinkUpError('INPUT_INVALID', `Y4M frame ${index + 1} does not start with FRAME`);
        } catch (err) {
          if (!this.endAtDamagedFrame || index === 0 || !isBlinkUpError(err)) throw err;
          this.truncation = `${err.message}; the video ends with frame ${index}`;
          return;
        }
        if (line === null) return; // clean end after the last whole frame
        if (!this.reuseBuffer && index > 0) plane = new Uint8Array(header.lumaBytes);
        const got = (await this.reader.readInto(plane)) + (await this.reader.skip(chromaBytes));
        if (got < header.frameBytes) {
          const message = `Y4M frame ${index + 1} is truncated: ${got} of ${header.frameBytes} bytes`;
          if (!this.endAtTruncatedFrame) throw new BlinkUpError('INPUT_INVALID', message);
          this.truncation = `${message}; the video ends with frame ${index}`;
          return;
        }
        let luma: Uint8Array | Uint16Array = plane;
        if (header.bitDepth > 8) {
          toHostOrder(plane);
          luma = new Uint16Array(plane.buffer, plane.byteOffset, header.width * header.height);
        }
        yield rate ? { index, timeS: (index * rate.den) / rate.num, luma } : { index, luma };
      }
    } finally {
      await this.reader.close();
    }
  }
}

/**
 * Open a Y4M stream: reads and checks the header now, the frames when iterated.
 * Bad headers, unsupported colourspaces, sizes over the limits and truncated or damaged frames
 * are refused with `BlinkUpError` (INPUT_INVALID or LIMIT_EXCEEDED), unless the options say to
 * end the video at such a frame.
 */
export async function openY4M(input: ByteInput, options: Y4MReadOptions = {}): Promise<LumaFrameSource & { readonly info: Y4MInfo; readonly truncation: string | undefined }> {
  const limits: Y4MLimits = {
    maxSide: options.maxSide ?? Y4M_LIMITS.maxSide,
    maxFrameBytes: options.maxFrameBytes ?? Y4M_LIMITS.maxFrameBytes,
  };
  const reader = new ByteReader(byteChunks(input));
  try {
    const line = await reader.readLine(Y4M_MAX_LINE_BYTES, 'the Y4M stream header');
    if (line === null) throw new BlinkUpError('INPUT_INVALID', 'the input is empty');
    return new Y4MReader(reader, parseY4MHeader(line, limits), options.reuseBuffer ?? true, options.endAtTruncatedFrame ?? false, options.endAtDamagedFrame ?? false);
  } catch (err) {
    await reader.close();
    throw err;
  }
}

export interface Y4MWriterOptions {
  readonly width: number;
  readonly height: number;
  /** Frames per second, or an exact ratio such as { num: 30000, den: 1001 }. */
  readonly fps: number | FrameRate;
  /** `mono` (Y only, smallest) or `420` with neutral chroma, for players that need colour (default mono). */
  readonly layout?: 'mono' | '420';
}

/**
 * Writes 8-bit luma frames as a Y4M stream to a Node writable (file, stdout, pipe), waiting
 * for the stream to drain when it is full. Does not end the stream: its owner does.
 */
export class Y4MWriter {
  private readonly header: Uint8Array;
  private readonly frameLine = new TextEncoder().encode('FRAME\n');
  private readonly chromaBytes: number;
  private headerWritten = false;
  /** Frames written so far. */
  frames = 0;

  constructor(
    private readonly sink: NodeJS.WritableStream,
    private readonly options: Y4MWriterOptions,
  ) {
    const { width, height } = options;
    for (const [name, side] of [['width', width], ['height', height]] as const) {
      if (!Number.isInteger(side) || side < 1 || side > Y4M_LIMITS.maxSide) {
        throw new BlinkUpError('OPTION_INVALID', `Y4M ${name} must be an integer from 1 to ${Y4M_LIMITS.maxSide}`);
      }
    }
    const layout = options.layout ?? 'mono';
    this.header = new TextEncoder().encode(formatY4MHeader(width, height, frameRateOf(options.fps), layout));
    this.chromaBytes = layout === '420' ? 2 * Math.ceil(width / 2) * Math.ceil(height / 2) : 0;
  }

  /** Append one frame. The bytes are copied, so the caller may reuse `luma` at once. */
  async writeFrame(luma: Uint8Array): Promise<void> {
    const lumaBytes = this.options.width * this.options.height;
    if (luma.length !== lumaBytes) {
      throw new BlinkUpError('INPUT_INVALID', `a luma frame must have ${lumaBytes} bytes, got ${luma.length}`);
    }
    const headerBytes = this.headerWritten ? 0 : this.header.length;
    const out = new Uint8Array(headerBytes + this.frameLine.length + lumaBytes + this.chromaBytes);
    out.set(this.header.subarray(0, headerBytes), 0);
    out.set(this.frameLine, headerBytes);
    out.set(luma, headerBytes + this.frameLine.length);
    out.fill(128, headerBytes + this.frameLine.length + lumaBytes); // neutral chroma: grey stays grey
    this.headerWritten = true;
    this.frames++;
    await this.write(out);
  }

  /** Write the header if no frame was written (an empty but valid stream). Call after the last frame. */
  async finish(): Promise<void> {
    if (this.headerWritten) return;
    this.headerWritten = true;
    await this.write(this.header);
  }

  private async write(bytes: Uint8Array): Promise<void> {
    if (!this.sink.write(bytes)) await once(this.sink, 'drain');
  }
}
