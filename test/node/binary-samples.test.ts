import { describe, expect, it } from 'vitest';
import { readBinarySamples } from '../../src/node/binary-samples.js';
import { Random } from '../../src/util/random.js';
import { chunked, collect, expectBlinkUpError } from './helpers.js';

function u16le(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setUint16(2 * i, v, true));
  return bytes;
}

function f32le(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return bytes;
}

describe('readBinarySamples', () => {
  const random = new Random(5);
  const counts = Array.from({ length: 1001 }, () => random.int(0, 65535));
  const floats = Array.from({ length: 777 }, () => Math.fround(random.uniform(-2, 2)));

  it('reads u16le and f32le whatever the chunk boundaries (split samples, odd offsets)', async () => {
    for (const size of [1, 3, 5, 4096, 1 << 20]) {
      expect((await collect(readBinarySamples(chunked(u16le(counts), size), { format: 'u16le' }))).values).toEqual(counts);
      expect((await collect(readBinarySamples(chunked(f32le(floats), size), { format: 'f32le' }))).values).toEqual(floats);
    }
  });

  it('after a whole first chunk, hands on what each read completed (a live stream does not wait for a chunk to fill)', async () => {
    const counts = Array.from({ length: 1000 }, (_, i) => i);
    const got = await collect(readBinarySamples(chunked(u16le(counts), 101), { format: 'u16le', chunkSamples: 300 }));
    expect(got.values).toEqual(counts);
    expect(got.sizes[0]).toBe(300);
    expect(got.sizes.slice(1).every((n) => n > 0 && n <= 51)).toBe(true);
  });

  it('reads f32le specials and yields chunks of chunkSamples without times', async () => {
    const got = await collect(readBinarySamples(f32le([Number.NaN, Infinity, -0, 1]), { format: 'f32le', chunkSamples: 3 }));
    expect(got.values).toEqual([Number.NaN, Infinity, -0, 1]);
    expect(got.sizes).toEqual([3, 1]);
    expect(got.times).toBeUndefined();
  });

  it('refuses a trailing partial sample unless asked to drop it', async () => {
    const bytes = new Uint8Array([...u16le([1, 2, 3]), 0xff]);
    const message = await expectBlinkUpError(collect(readBinarySamples(bytes, { format: 'u16le' })), 'INPUT_INVALID');
    expect(message).toContain('1 stray byte(s) after 3 samples');
    expect((await collect(readBinarySamples(bytes, { format: 'u16le', partialSample: 'drop' }))).values).toEqual([1, 2, 3]);
  });

  it('refuses empty input, too-short input and bad options', async () => {
    await expectBlinkUpError(collect(readBinarySamples(new Uint8Array(0), { format: 'f32le' })), 'INPUT_INVALID');
    await expectBlinkUpError(collect(readBinarySamples(new Uint8Array(3), { format: 'f32le' })), 'INPUT_INVALID');
    await expectBlinkUpError(collect(readBinarySamples(new Uint8Array(4), { format: 'u8' as 'u16le' })), 'OPTION_INVALID');
    await expectBlinkUpError(collect(readBinarySamples(new Uint8Array(4), { format: 'u16le', chunkSamples: 0 })), 'OPTION_INVALID');
  });
});
