/**
 * Decimation of fast samplers (src/decoder/decimate.ts): runs of samples averaged on a grid fixed
 * to the stream, and end to end, captures at oscilloscope rates that decoded nothing before it.
 */
import { describe, expect, it } from 'vitest';
import { simulatePhotodiode } from '../../src/channel/index.js';
import { decimationFactor, Decimator, STAGE_RATE } from '../../src/decoder/decimate.js';
import { decodeSamples, TriLevelDecoder, type DecodeEvent } from '../../src/decoder/index.js';
import { toLevels } from '../../src/line/index.js';
import { BASIC, capture, goldenVectors, hexToBytes, plainEvents, sameBytes } from './helpers.js';
import { encodePacket } from '../../src/packet/index.js';

/** A decimator whose output is collected: values, times (null where a batch had none). */
function collecting(factor: number): { decimator: Decimator; values: number[]; times: (number | null)[] } {
  const values: number[] = [];
  const times: (number | null)[] = [];
  const decimator = new Decimator(factor, (v, t, n) => {
    for (let i = 0; i < n; i++) {
      values.push(v[i]!);
      times.push(t === null ? null : t[i]!);
    }
  });
  return { decimator, values, times };
}

describe('Decimator', () => {
  it('averages runs of `factor` samples counted from the start, however the stream is cut', () => {
    const samples = Array.from({ length: 23 }, (_, i) => i * i);
    const whole = collecting(4);
    whole.decimator.push(samples, null, 0, samples.length);
    whole.decimator.flush();
    // Five whole runs, then the last three samples as a shorter one.
    const expected = [0, 1, 2, 3, 4].map((r) => (samples.slice(4 * r, 4 * r + 4).reduce((a, b) => a + b, 0)) / 4);
    expected.push((20 * 20 + 21 * 21 + 22 * 22) / 3);
    expect(whole.values).toEqual(expected);
    for (const cut of [1, 3, 5, 7]) {
      const parts = collecting(4);
      for (let i = 0; i < samples.length; i += cut) parts.decimator.push(samples, null, i, Math.min(samples.length, i + cut));
      parts.decimator.flush();
      expect(parts.values).toEqual(expected);
    }
    expect(whole.decimator.offered).toBe(23);
    expect(whole.decimator.valid).toBe(23);
  });

  it('averages the numbers of a run and their times; a run with none is one sample that is not a number', () => {
    const { decimator, values, times } = collecting(3);
    decimator.push([1, Number.NaN, 5, Number.NaN, Infinity, 1e20, 2, 4, 6], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, Number.NaN, 0.9], 0, 9);
    decimator.flush();
    expect(values).toEqual([3, Number.NaN, 4]);
    expect(times[0]).toBeCloseTo(0.2, 12);
    expect(times[1]).toBeNaN();
    expect(times[2]).toBeCloseTo(0.8, 12); // 2 at 0.7 and 6 at 0.9: 4 had no time
    expect(decimator.offered).toBe(9);
    expect(decimator.valid).toBe(4);
  });

  it('ends a run where the samples switch between timestamps and the nominal clock', () => {
    const { decimator, values, times } = collecting(4);
    decimator.push([1, 2], [0, 0.1], 0, 2);
    decimator.push([10, 20, 30, 40], null, 0, 4);
    decimator.flush();
    expect(values).toEqual([1.5, 25]);
    expect(times).toEqual([0.05, null]);
  });

  it('decimates only above the stages’ rate', () => {
    expect(decimationFactor(STAGE_RATE)).toBe(1);
    expect(decimationFactor(1000)).toBe(1);
    expect(decimationFactor(STAGE_RATE + 1)).toBe(2);
    expect(decimationFactor(1e6)).toBe(250);
    expect(decimationFactor(44_100)).toBe(12);
  });
});

describe('captures from fast samplers', () => {
  const clear = hexToBytes(goldenVectors().find((v) => v.name === 'clear-config')!.packetHex);

  it.each([200_000, 1_000_000])('decodes at %i samples a second, and counts the samples as given', (sampleRate) => {
    // Before decimation a frame no longer fit in the history ring from 200 kHz on: nothing decoded.
    const cap = simulatePhotodiode(toLevels(clear), { sampleRate }, 3);
    const result = decodeSamples(cap.samples, { sampleRate, fullScale: cap.fullScale });
    expect(result.packets.map((p) => p.payload)).toEqual([{ kind: 'clear' }]);
    expect(result.report.samples).toBe(cap.samples.length);
    expect(result.packets[0]!.quality.fps).toBeCloseTo(60, 0);
  });

  it('gives the same events however the stream is cut, and decodes from timestamps alone', () => {
    const cap = simulatePhotodiode(toLevels(encodePacket(BASIC)), { sampleRate: 100_000, timestamps: true, jitterUs: 2 }, 8);
    const run = (cut: number): DecodeEvent[] => {
      const d = new TriLevelDecoder({ sampleRate: 100_000 });
      const events: DecodeEvent[] = [];
      for (let i = 0; i < cap.samples.length; i += cut) events.push(...d.push(cap.samples.subarray(i, i + cut)));
      events.push(...d.flush());
      return events;
    };
    const whole = run(cap.samples.length);
    expect(whole.filter((e) => e.type === 'packet')).toHaveLength(1);
    expect(plainEvents(run(997))).toEqual(plainEvents(whole));
    const timed = decodeSamples(cap.samples, { times: cap.times! });
    expect(timed.packets).toHaveLength(1);
    expect(sameBytes(timed.packets[0]!.bytes, encodePacket(BASIC))).toBe(true);
  });

  it('leaves rates up to the stages’ own alone', () => {
    const cap = capture({ sampleRate: STAGE_RATE }, 2);
    const result = decodeSamples(cap.samples, { sampleRate: STAGE_RATE });
    expect(result.packets).toHaveLength(1);
    expect(result.report.samples).toBe(cap.samples.length);
  });
});
