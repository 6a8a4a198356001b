/**
 * Streaming readers for raw binary captures: `u16le` (what an ADC logger or the imp's
 * 16-bit sampler dumps) and `f32le` (floating-point samples, e.g. from a scope or numpy).
 *
 * Chunks from a file or pipe may split a sample anywhere; the few bytes of a split sample
 * are carried to the next chunk. Input ending inside a sample is INPUT_INVALID unless the
 * caller chooses to drop the stray bytes.
 */
import { BlinkUpError } from '../packet/errors.js';
import { byteChunks, type ByteInput } from './byte-source.js';
import { DEFAULT_CHUNK_SAMPLES, MAX_CHUNK_SAMPLES, type SampleChunk } from './sample-chunk.js';

export type BinarySampleFormat = 'u16le' | 'f32le';

const BYTES_PER_SAMPLE: Record<BinarySampleFormat, number> = { u16le: 2, f32le: 4 };

export interface BinaryReadOptions {
  readonly format: BinarySampleFormat;
  /** Samples per yielded chunk (default 4096). */
  readonly chunkSamples?: number;
  /** What to do when the input ends inside a sample: refuse (default) or drop the stray bytes. */
  readonly partialSample?: 'error' | 'drop';
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Decode `count` samples starting at `bytes[offset]` into `out[outIndex…]`. */
function decodeSamples(format: BinarySampleFormat, bytes: Uint8Array, offset: number, count: number, out: Float64Array, outIndex: number): void {
  const address = bytes.byteOffset + offset;
  if (LITTLE_ENDIAN_HOST && address % BYTES_PER_SAMPLE[format] === 0) {
    // Aligned on a little-endian host: a typed view converts in one native copy.
    const view = format === 'u16le' ? new Uint16Array(bytes.buffer, address, count) : new Float32Array(bytes.buffer, address, count);
    out.set(view, outIndex);
    return;
  }
  const data = new DataView(bytes.buffer, address, count * BYTES_PER_SAMPLE[format]);
  if (format === 'u16le') for (let i = 0; i < count; i++) out[outIndex + i] = data.getUint16(2 * i, true);
  else for (let i = 0; i < count; i++) out[outIndex + i] = data.getFloat32(4 * i, true);
}

/**
 * Read raw little-endian samples as a stream of chunks (up to `chunkSamples` each). Values
 * are the raw numbers (0…65535 for u16le); times are absent, the rate comes from the caller.
 */
export async function* readBinarySamples(input: ByteInput, options: BinaryReadOptions): AsyncGenerator<SampleChunk, void, undefined> {
  const { format } = options;
  const width = BYTES_PER_SAMPLE[format];
  if (width === undefined) throw new BlinkUpError('OPTION_INVALID', 'format must be u16le or f32le');
  const chunkSamples = options.chunkSamples ?? DEFAULT_CHUNK_SAMPLES;
  if (!Number.isInteger(chunkSamples) || chunkSamples < 1 || chunkSamples > MAX_CHUNK_SAMPLES) {
    throw new BlinkUpError('OPTION_INVALID', `chunkSamples must be an integer from 1 to ${MAX_CHUNK_SAMPLES}`);
  }

  const stray = new Uint8Array(width); // bytes of a sample split across input chunks
  let strayLength = 0;
  let total = 0;
  let values = new Float64Array(chunkSamples);
  let filled = 0;

  for await (const bytes of byteChunks(input)) {
    let pos = 0;
    if (strayLength > 0) {
      const take = Math.min(width - strayLength, bytes.length);
      stray.set(bytes.subarray(0, take), strayLength);
      strayLength += take;
      pos = take;
      if (strayLength < width) continue;
      decodeSamples(format, stray, 0, 1, values, filled++);
      strayLength = 0;
      if (filled === chunkSamples) {
        yield { values };
        total += filled;
        values = new Float64Array(chunkSamples);
        filled = 0;
      }
    }
    while (bytes.length - pos >= width) {
      const count = Math.min(chunkSamples - filled, Math.floor((bytes.length - pos) / width));
      decodeSamples(format, bytes, pos, count, values, filled);
      filled += count;
      pos += count * width;
      if (filled === chunkSamples) {
        yield { values };
        total += filled;
        values = new Float64Array(chunkSamples);
        filled = 0;
      }
    }
    stray.set(bytes.subarray(pos), 0);
    strayLength = bytes.length - pos;
    // Once a whole first chunk went out, the samples these bytes completed go out too: a live
    // stream (a logger on a serial port) must not wait seconds for a chunk to fill.
    if (total > 0 && filled > 0) {
      yield { values: values.subarray(0, filled) };
      total += filled;
      values = new Float64Array(chunkSamples);
      filled = 0;
    }
  }

  if (filled > 0) yield { values: values.subarray(0, filled) };
  total += filled;
  if (strayLength > 0 && options.partialSample !== 'drop') {
    throw new BlinkUpError('INPUT_INVALID', `${format} input ends inside a sample (${strayLength} stray byte(s) after ${total} samples)`);
  }
  if (total === 0) throw new BlinkUpError('INPUT_INVALID', strayLength > 0 ? `${format} input is shorter than one sample` : 'the input is empty');
}
