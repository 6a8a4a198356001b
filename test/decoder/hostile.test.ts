/**
 * Hostile and degenerate streams: the decoder must never throw on numbers, never invent a packet,
 * stay deterministic whatever the chunking, and keep separate decoders separate.
 */
import { describe, expect, it } from 'vitest';
import { decodeSamples, TriLevelDecoder, type DecodeEvent, type DecoderOptions } from '../../src/decoder/index.js';
import { Random } from '../../src/util/random.js';
import { capture, plainEvents } from './helpers.js';

function decodeInChunks(samples: ArrayLike<number>, size: number, rate: number | undefined, times?: ArrayLike<number>): { events: DecodeEvent[]; report: unknown } {
  const d = new TriLevelDecoder(rate === undefined ? {} : { sampleRate: rate });
  const events: DecodeEvent[] = [];
  for (let i = 0; i < samples.length; i += size) {
    const end = Math.min(samples.length, i + size);
    const chunk = Array.prototype.slice.call(samples, i, end) as number[];
    events.push(...(times ? d.push(chunk, Array.prototype.slice.call(times, i, end) as number[]) : d.push(chunk)));
  }
  events.push(...d.flush());
  return { events, report: d.report() };
}

describe('hostile numeric input', () => {
  const cases: [string, () => number[]][] = [
    ['NaN everywhere', () => new Array(5000).fill(Number.NaN)],
    ['±Infinity', () => Array.from({ length: 5000 }, (_, i) => (i % 2 ? Infinity : -Infinity))],
    ['huge values', () => Array.from({ length: 5000 }, (_, i) => (i % 3 ? 1e300 : -1e300))],
    ['negative values', () => Array.from({ length: 5000 }, (_, i) => -1000 - 500 * Math.sin(i / 7))],
    ['a constant', () => new Array(20_000).fill(1234)],
    ['zeros', () => new Array(20_000).fill(0)],
    ['a square wave at 5 samples per level', () => Array.from({ length: 20_000 }, (_, i) => (Math.floor(i / 5) % 2 ? 3000 : 100))],
    ['a square wave at 17 samples per level', () => Array.from({ length: 20_000 }, (_, i) => (Math.floor(i / 17) % 2 ? 3000 : 100))],
    ['a square wave at 50 samples per level', () => Array.from({ length: 20_000 }, (_, i) => (Math.floor(i / 50) % 2 ? 3000 : 100))],
    ['single-sample spikes', () => Array.from({ length: 20_000 }, (_, i) => (i % 97 === 0 ? 4000 : 10))],
    ['a mixture of everything', () => {
      const r = new Random(3);
      const pool = [Number.NaN, Infinity, -Infinity, 1e308, -1e308, 0, -0, 5e-324, 4095, -1];
      return Array.from({ length: 20_000 }, () => (r.chance(0.3) ? pool[r.int(0, pool.length - 1)]! : r.uniform(0, 4095)));
    }],
  ];

  // At a logger's rate, and at an oscilloscope's, where the samples are decimated first (decimate.ts).
  it.each(cases.flatMap(([name, make]) => [1000, 1_000_000].map((rate) => [name, make, rate] as const)))('%s at %i Hz: no throw, no packet, a finite report', (_name, make, rate) => {
    const samples = make();
    const result = decodeSamples(samples, { sampleRate: rate });
    expect(result.packets).toHaveLength(0);
    expect(result.report.samples + result.report.nonFiniteSamples).toBe(samples.length);
    for (const key of ['samples', 'pulses', 'packets', 'failures', 'nonFiniteSamples'] as const) {
      expect(Number.isFinite(result.report[key])).toBe(true);
    }
    expect(JSON.stringify(result.report)).not.toContain('Infinity');
  });

  it('counts what it skips', () => {
    const result = decodeSamples([1, Number.NaN, 2, Infinity, 3, -Infinity, 4, 2e15], { sampleRate: 1000 });
    expect(result.report.nonFiniteSamples).toBe(4);
    expect(result.report.samples).toBe(4);
  });

  it('accepts empty chunks, plain arrays and odd typed arrays', () => {
    const d = new TriLevelDecoder({ sampleRate: 1000 });
    expect(d.push([])).toEqual([]);
    expect(d.push(new Float32Array(0))).toEqual([]);
    expect(d.push(new Uint16Array([1, 2, 3]))).toEqual([]);
    expect(d.push(new Int8Array([-1, -2, 3]))).toEqual([]);
    expect(d.push([1, 2, 3], [0.001, 0.002])).toEqual([]); // the sample without a time is skipped
    expect(d.flush()).toEqual([]);
    expect(d.flush()).toEqual([]);
    expect(d.report().samples).toBe(8);
    expect(d.report().nonFiniteSamples).toBe(1);
  });

  it('survives timestamps that are NaN, repeat, or run backwards', () => {
    const n = 3000;
    const values = Array.from({ length: n }, (_, i) => 1000 + 500 * Math.sin(i / 9));
    const times = Array.from({ length: n }, (_, i) => (i % 50 === 0 ? Number.NaN : i % 7 === 0 ? 0.5 : i / 1000));
    const result = decodeSamples(values, { times });
    expect(result.packets).toHaveLength(0);
    expect(result.report.nonFiniteSamples).toBe(n / 50);
  });

  it('does not decode a packet from a capture cut inside the preamble', () => {
    const cap = capture({}, 21);
    const tx = cap.truth.transmissions[0]!;
    const cut = cap.samples.subarray(0, tx.startSample + 700); // about 20 of the 32 preamble bits
    const result = decodeSamples(cut, { sampleRate: cap.sampleRate });
    expect(result.packets).toHaveLength(0);
    expect(result.failures).toHaveLength(0);
  });
});

describe('determinism', () => {
  it('gives identical events and reports in chunks of 1, 7, 4096 and all at once', () => {
    const cap = capture({ greyCode: 0x9f, lcdFallMs: 13, heldLevelProbability: 0.1, repeat: 2, repeatGapS: 0.3 }, 31);
    const samples = cap.samples.subarray(0, 25_000);
    const whole = decodeInChunks(samples, samples.length, cap.sampleRate);
    expect(whole.events.some((e) => e.type === 'packet')).toBe(true);
    for (const size of [1, 7, 4096]) {
      const chunked = decodeInChunks(samples, size, cap.sampleRate);
      expect(plainEvents(chunked.events)).toEqual(plainEvents(whole.events));
      expect(chunked.report).toEqual(whole.report);
    }
  });

  it('is chunking-invariant with timestamps too (PWM-dimmed OLED, jitter, stalls)', () => {
    const cap = capture({ panel: 'oled', pwmHz: 320, pwmDuty: 0.4, timestamps: true, gapRatePerS: 1 }, 32);
    const whole = decodeInChunks(cap.samples, cap.samples.length, undefined, cap.times!);
    expect(whole.events.some((e) => e.type === 'packet')).toBe(true);
    for (const size of [1, 7, 4096]) {
      expect(plainEvents(decodeInChunks(cap.samples, size, undefined, cap.times!).events)).toEqual(plainEvents(whole.events));
    }
  });

  it('keeps many decoders apart: interleaved pushes give each its own result', () => {
    const caps = [capture({}, 41), capture({ fps: 30 }, 42), capture({ panel: 'oled', pwmHz: 400, pwmDuty: 0.3 }, 43)];
    const alone = caps.map((c) => plainEvents(decodeSamples(c.samples, { sampleRate: c.sampleRate }).events));
    const decoders = caps.map((c) => new TriLevelDecoder({ sampleRate: c.sampleRate }));
    const events: DecodeEvent[][] = caps.map(() => []);
    const longest = Math.max(...caps.map((c) => c.samples.length));
    for (let i = 0; i < longest; i += 333) {
      caps.forEach((c, k) => events[k]!.push(...decoders[k]!.push(c.samples.subarray(i, i + 333))));
    }
    decoders.forEach((d, k) => events[k]!.push(...d.flush()));
    expect(events.map(plainEvents)).toEqual(alone);
    expect(alone.every((e) => e.length > 0)).toBe(true);
  });
});

describe('timestamps that restart', () => {
  // A logger reset, or two captures joined into one file: the second part's times start again at 0.
  const first = capture({ timestamps: true }, 71);
  const second = capture({ timestamps: true }, 72);
  const joinedValues = [...first.samples, ...second.samples];
  const joinedTimes = [...first.times!, ...second.times!];

  it('the samples after a restart are placed right after those before, and both packets decode in order', () => {
    const r = decodeSamples(joinedValues, { times: joinedTimes });
    expect(r.packets).toHaveLength(2);
    expect(r.report.timestampRestarts).toBe(1);
    const [a, b] = r.packets;
    const firstEnd = first.times![first.times!.length - 1]!;
    expect(a!.endS).toBeLessThan(firstEnd);
    // Before, every sample after the restart stood at the last time before it: packet 2 lasted 40 ms.
    expect(b!.startS).toBeGreaterThan(firstEnd);
    expect(b!.endS - b!.startS).toBeGreaterThan(0.9 * (a!.endS - a!.startS));
  });

  it('jitter that steps back less than 5 sample intervals is not a restart', () => {
    const times = Array.from(first.times!, (t, i) => (i % 50 === 25 ? t - 0.003 : t));
    expect(decodeSamples(first.samples, { times }).report.timestampRestarts).toBe(0);
  });
});

describe('input that is not numbers, and options that are not options', () => {
  it('refuses samples or times that are not an array or a typed array of numbers, with INPUT_INVALID', () => {
    const d = new TriLevelDecoder({ sampleRate: 1000 });
    for (const bad of ['12345', { length: 1e12 }, new BigInt64Array(3), 42]) {
      expect(() => d.push(bad as unknown as number[])).toThrow(expect.objectContaining({ name: 'BlinkUpError', code: 'INPUT_INVALID' }));
    }
    expect(() => d.push([1, 2], 'ab' as unknown as number[])).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(d.push(null as unknown as number[])).toEqual([]); // nothing to read, as an empty chunk
  });

  it('refuses options of the wrong kind with OPTION_INVALID, never a TypeError or a silent default', () => {
    const bad: unknown[] = [null, 'fast', { sampleRate: 1000, repair: 'yes' }, { sampleRate: 1000, repair: 5 }, { sampleRate: 1000, repair: { maxFlips: 1e9, candidates: 1e9 } },
      { sampleRate: 1000, repair: { maxFlips: Number.NaN, candidates: 1 } }, { sampleRate: 1000, combine: 'no' }];
    for (const options of bad) {
      expect(() => new TriLevelDecoder(options as DecoderOptions), JSON.stringify(options)).toThrow(expect.objectContaining({ name: 'BlinkUpError', code: 'OPTION_INVALID' }));
    }
    expect(() => decodeSamples([1, 2, 3], undefined as unknown as DecoderOptions)).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }));
    expect(() => new TriLevelDecoder({ sampleRate: 1000, repair: { maxFlips: 3, candidates: 3 }, combine: false })).not.toThrow();
  });
});
