/**
 * The YUV4MPEG2 (Y4M) container as `ffmpeg -f yuv4mpegpipe` writes it: one text header line
 * `YUV4MPEG2 W1920 H1080 F30000:1001 Ip A1:1 C420jpeg …`, then per frame a line
 * `FRAME[ params]` followed by the raw planes (Y, then chroma), 8-bit or 16-bit little-endian.
 *
 * This module only parses and formats headers and computes plane sizes; streaming is in y4m.ts.
 */
import { BlinkUpError } from '../packet/errors.js';

/** How the chroma planes are subsampled; decides how many bytes follow the luma plane. */
export type ChromaLayout = '420' | '422' | '444' | '411' | '444alpha' | 'mono';

export interface FrameRate {
  readonly num: number;
  readonly den: number;
}

export interface Y4MHeader {
  readonly width: number;
  readonly height: number;
  /** Exact frame rate from `F`, absent when the header has none or says `F0:0` (unknown). */
  readonly frameRate?: FrameRate;
  /** `frameRate` as a number. */
  readonly fps?: number;
  /** The `C` token as written (default `420jpeg`). */
  readonly colorspace: string;
  readonly chroma: ChromaLayout;
  /** Bits per sample; above 8 each sample is 2 bytes little-endian. */
  readonly bitDepth: number;
  /** From ffmpeg's `XCOLORRANGE=` extension, when present. */
  readonly colorRange?: 'full' | 'limited';
  /** Bytes of the luma plane and of a whole frame's planes (without the FRAME line). */
  readonly lumaBytes: number;
  readonly frameBytes: number;
}

export interface Y4MLimits {
  /** Largest accepted width or height (default 16384). */
  readonly maxSide: number;
  /** Largest accepted frame in bytes, all planes (default 256 MiB). */
  readonly maxFrameBytes: number;
}

export const Y4M_LIMITS: Y4MLimits = { maxSide: 16384, maxFrameBytes: 256 * 1024 * 1024 };

/** Longest header or FRAME line accepted: real ones are well under 200 bytes. */
export const Y4M_MAX_LINE_BYTES = 4096;

export const Y4M_MAGIC = 'YUV4MPEG2';

/** `C` tokens: 8-bit layouts with optional chroma siting, `…pNN` high bit depth, `monoNN`. */
const EIGHT_BIT = /^(420|422|444|411)(jpeg|paldv|mpeg2)?$/;
const HIGH_BIT = /^(420|422|444)p(9|1[0-6])$/;
const MONO = /^mono(9|1[0-6])?$/;

function parseColorspace(token: string): { chroma: ChromaLayout; bitDepth: number } {
  let m = EIGHT_BIT.exec(token);
  if (m) return { chroma: m[1] as ChromaLayout, bitDepth: 8 };
  m = HIGH_BIT.exec(token);
  if (m) return { chroma: m[1] as ChromaLayout, bitDepth: Number(m[2]) };
  m = MONO.exec(token);
  if (m) return { chroma: 'mono', bitDepth: m[1] ? Number(m[1]) : 8 };
  if (token === '444alpha') return { chroma: '444alpha', bitDepth: 8 };
  // (JSON-quoted: a header ending in \r — a file converted to CRLF line ends — shows the \r.)
  throw new BlinkUpError('INPUT_INVALID', `Y4M colourspace ${JSON.stringify(`C${token.slice(0, 16)}`)} is not supported (420, 422, 444, 411, mono and their high-bit-depth forms are)`);
}

/** Samples in the planes that follow luma, per frame (ffmpeg rounds odd sizes up). */
function chromaSamples(chroma: ChromaLayout, width: number, height: number): number {
  const halfW = Math.ceil(width / 2);
  switch (chroma) {
    case '420': return 2 * halfW * Math.ceil(height / 2);
    case '422': return 2 * halfW * height;
    case '411': return 2 * Math.ceil(width / 4) * height;
    case '444': return 2 * width * height;
    case '444alpha': return 3 * width * height;
    case 'mono': return 0;
  }
}

function parseDimension(value: string, name: string, limits: Y4MLimits): number {
  const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1)) throw new BlinkUpError('INPUT_INVALID', `Y4M header has an invalid ${name}`);
  if (n > limits.maxSide) throw new BlinkUpError('LIMIT_EXCEEDED', `Y4M ${name} ${n} exceeds the limit of ${limits.maxSide}`);
  return n;
}

function parseFrameRate(value: string): FrameRate | undefined {
  const m = /^(\d{1,10}):(\d{1,10})$/.exec(value);
  if (!m) throw new BlinkUpError('INPUT_INVALID', 'Y4M header has an invalid frame rate (F)');
  const num = Number(m[1]);
  const den = Number(m[2]);
  if (num === 0 && den === 0) return undefined; // the spec's "unknown"
  if (num === 0 || den === 0) throw new BlinkUpError('INPUT_INVALID', 'Y4M header has an invalid frame rate (F)');
  return { num, den };
}

/** Parse the stream header line (without its LF). Refuses anything that is not a usable Y4M header. */
export function parseY4MHeader(line: string, limits: Y4MLimits = Y4M_LIMITS): Y4MHeader {
  const tokens = line.split(' ');
  if (tokens[0] !== Y4M_MAGIC) throw new BlinkUpError('INPUT_INVALID', `not a Y4M stream (it must start with ${Y4M_MAGIC})`);
  let width: number | undefined;
  let height: number | undefined;
  let frameRate: FrameRate | undefined;
  let colorspace = '420jpeg';
  let colorRange: 'full' | 'limited' | undefined;
  for (const token of tokens.slice(1)) {
    if (token === '') continue;
    const value = token.slice(1);
    switch (token[0]) {
      case 'W': width = parseDimension(value, 'width', limits); break;
      case 'H': height = parseDimension(value, 'height', limits); break;
      case 'F': frameRate = parseFrameRate(value); break;
      case 'C': colorspace = value; break;
      case 'X':
        if (/^COLORRANGE=FULL$/i.test(value)) colorRange = 'full';
        else if (/^COLORRANGE=LIMITED$/i.test(value)) colorRange = 'limited';
        break;
      default: break; // I (interlacing), A (aspect) and unknown tags do not change the bytes
    }
  }
  if (width === undefined || height === undefined) throw new BlinkUpError('INPUT_INVALID', 'Y4M header lacks the frame width (W) or height (H)');
  const { chroma, bitDepth } = parseColorspace(colorspace);
  const bytesPerSample = bitDepth > 8 ? 2 : 1;
  const lumaBytes = width * height * bytesPerSample;
  const frameBytes = lumaBytes + chromaSamples(chroma, width, height) * bytesPerSample;
  if (frameBytes > limits.maxFrameBytes) {
    throw new BlinkUpError('LIMIT_EXCEEDED', `Y4M frames of ${width}×${height} (${colorspace}) take ${frameBytes} bytes, over the limit of ${limits.maxFrameBytes}`);
  }
  return {
    width,
    height,
    ...(frameRate ? { frameRate, fps: frameRate.num / frameRate.den } : {}),
    colorspace,
    chroma,
    bitDepth,
    ...(colorRange ? { colorRange } : {}),
    lumaBytes,
    frameBytes,
  };
}

/** Check a FRAME line (parameters after `FRAME ` are allowed and ignored). */
export function isFrameLine(line: string): boolean {
  return line === 'FRAME' || line.startsWith('FRAME ');
}

/** Express a frame rate in frames/s as the exact ratio Y4M wants (29.97 → 30000:1001). */
export function frameRateOf(fps: number | FrameRate): FrameRate {
  if (typeof fps === 'object') {
    if (!(Number.isInteger(fps.num) && Number.isInteger(fps.den) && fps.num > 0 && fps.den > 0)) {
      throw new BlinkUpError('OPTION_INVALID', 'frame rate must be a ratio of positive integers');
    }
    return fps;
  }
  if (!Number.isFinite(fps) || fps <= 0 || fps > 100_000) throw new BlinkUpError('OPTION_INVALID', 'fps must be a number above 0 and at most 100000');
  if (Number.isInteger(fps)) return { num: fps, den: 1 };
  // 29.97, 59.94, 23.976 as people write them mean the NTSC rates n·1000/1001.
  const ntsc = Math.round(fps * 1.001);
  if (Math.abs(ntsc / 1.001 - fps) < 5e-4) return { num: ntsc * 1000, den: 1001 };
  const num = Math.round(fps * 1000);
  const d = gcd(num, 1000);
  return { num: num / d, den: 1000 / d };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The header line (with LF) for luma video written as `mono` or as `420` with neutral chroma. */
export function formatY4MHeader(width: number, height: number, rate: FrameRate, layout: 'mono' | '420'): string {
  const colorspace = layout === 'mono' ? 'mono' : '420jpeg';
  return `${Y4M_MAGIC} W${width} H${height} F${rate.num}:${rate.den} Ip A1:1 C${colorspace} XCOLORRANGE=FULL\n`;
}
