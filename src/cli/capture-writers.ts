/**
 * Writing simulated captures in the forms `decode` reads: photodiode samples as CSV (with a
 * scope-style header stating the sample rate), raw u16le or f32le; camera clips as a Y4M stream
 * or a folder of PNG frames with a `times` file. Everything is written in blocks, waiting for
 * the destination to drain, so a pipe into `blinkup decode -` streams.
 */
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { CameraClip, PhotodiodeCapture } from '../channel/index.js';
import { writePngFrames } from '../node/png-frames.js';
import { Y4MWriter } from '../node/y4m.js';
import { BlinkUpError, ErrorCode } from '../packet/errors.js';
import type { CliContext } from './context.js';
import { usageError } from './errors.js';

/** Lines or samples per write: large enough to be quick, small enough to stream. */
const BLOCK = 16_384;

/** Where a capture goes: a file, or stdout for `-`. */
export interface Sink {
  readonly stream: NodeJS.WritableStream;
  /** Flushes and, for a file, closes it. */
  close(): Promise<void>;
}

/** Opens `path` for writing (`-` is stdout; binary data is not sent to a terminal). */
export async function openSink(path: string, ctx: CliContext, binary: boolean): Promise<Sink> {
  if (path === '-') {
    if (binary && (ctx.stdout as { isTTY?: boolean }).isTTY) throw usageError('not writing binary data to a terminal: use --out <file> or a pipe');
    return { stream: ctx.stdout, close: async () => {} };
  }
  const handle = await open(path, 'w');
  const stream = handle.createWriteStream();
  return {
    stream,
    close: async () => {
      stream.end();
      await once(stream, 'close');
    },
  };
}

async function write(sink: Sink, data: string | Uint8Array): Promise<void> {
  if (!sink.stream.write(data)) await once(sink.stream, 'drain');
}

/**
 * CSV as the reader expects it: `# comment`, `Sample Rate (Hz),<rate>` (the header line scope
 * exports use, so no --rate is needed to decode the file), `Full Scale,<code>` (so swing is
 * reported against the real ADC range), the column names, the samples.
 * With timestamps, the columns are `time_s,value`.
 */
export async function writeCsvCapture(sink: Sink, capture: PhotodiodeCapture, comment: string): Promise<void> {
  const { samples, times } = capture;
  await write(sink, `# ${comment}\nSample Rate (Hz),${capture.sampleRate}\nFull Scale,${capture.fullScale}\n${times ? 'time_s,value' : 'value'}\n`);
  for (let first = 0; first < samples.length; first += BLOCK) {
    const end = Math.min(samples.length, first + BLOCK);
    let text = '';
    for (let i = first; i < end; i++) text += times ? `${times[i]!.toFixed(6)},${samples[i]}\n` : `${samples[i]}\n`;
    await write(sink, text);
  }
}

/** Refuses a raw format that cannot hold an `adcBits`-bit ADC's codes (before anything is written). */
export function checkBinaryFormat(format: 'u16le' | 'f32le', adcBits: number): void {
  if (format === 'u16le' && adcBits > 16) {
    throw new BlinkUpError(ErrorCode.OPTION_INVALID, `u16le holds codes up to 65535; a ${adcBits}-bit ADC needs --format csv or f32le`);
  }
}

/** u16le: the ADC codes as they are; f32le: fractions of full scale (0–1), as a scope or numpy would save volts. */
export async function writeBinaryCapture(sink: Sink, capture: PhotodiodeCapture, format: 'u16le' | 'f32le'): Promise<void> {
  const { samples, fullScale } = capture;
  checkBinaryFormat(format, Math.log2(fullScale + 1));
  const width = format === 'u16le' ? 2 : 4;
  for (let first = 0; first < samples.length; first += BLOCK) {
    const end = Math.min(samples.length, first + BLOCK);
    const bytes = new Uint8Array((end - first) * width);
    const view = new DataView(bytes.buffer);
    for (let i = first; i < end; i++) {
      if (format === 'u16le') view.setUint16((i - first) * 2, samples[i]!, true);
      else view.setFloat32((i - first) * 4, samples[i]! / fullScale, true);
    }
    await write(sink, bytes);
  }
}

/** The clip as a mono Y4M stream, one frame rendered at a time. */
export async function writeY4mClip(sink: Sink, clip: CameraClip): Promise<void> {
  const writer = new Y4MWriter(sink.stream, { width: clip.width, height: clip.height, fps: clip.fps, layout: 'mono' });
  for (const frame of clip) await writer.writeFrame(frame.luma);
  await writer.finish();
}

/** The clip as frame-00001.png … in `dir`, with a `times` file giving each frame's time (so no --fps is needed). */
export async function writePngClip(dir: string, clip: CameraClip): Promise<void> {
  const times = new Float64Array(clip.frameCount);
  async function* frames(): AsyncGenerator<Uint8Array, void, undefined> {
    for (const frame of clip) {
      times[frame.index] = frame.timeS;
      yield frame.luma;
    }
  }
  await writePngFrames(dir, frames(), { width: clip.width, height: clip.height });
  // Written after the frames, when every time is known.
  const handle = await open(join(dir, 'times'), 'w');
  try {
    await handle.writeFile(`${Array.from(times, (t) => t.toFixed(6)).join('\n')}\n`);
  } finally {
    await handle.close();
  }
}
