/**
 * The mains-flicker canceller (src/decoder/flicker.ts) on synthetic signals whose flicker is
 * known exactly, and the decoder end to end under flicker deeper than it tolerates without it.
 */
import { describe, expect, it } from 'vitest';
import { BLOCK } from '../../src/decoder/condition.js';
import { decodeSamples } from '../../src/decoder/index.js';
import { FlickerCanceller } from '../../src/decoder/flicker.js';
import { encodePacket } from '../../src/packet/index.js';
import { Random } from '../../src/util/random.js';
import { BASIC, capture, sameBytes } from './helpers.js';

const RATE = 1000;
const SWING = 1000;
const BLACK = 300;

/**
 * A screen flashing black, then grey or white at random, at `fps` (the tri-level line code's
 * shape, with instant pixels), with 1 LSB of noise: the signal the flicker rides on.
 */
function pulseTrain(seconds: number, fps: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const out = new Float64Array(Math.round(seconds * RATE));
  const frame = RATE / fps;
  let level = 0;
  for (let i = 0; i < out.length; i++) {
    const f = Math.floor(i / frame);
    if (i % frame < 1) level = f % 2 === 0 ? 0 : rng.chance(0.5) ? 0.52 : 1;
    out[i] = BLACK + SWING * level + rng.uniform(-1, 1);
  }
  return out;
}

/** The signal with a sinusoid of `amplitude` at `hz` (on the sampler's clock) added. */
function withFlicker(signal: Float64Array, hz: number, amplitude: number, phase: number): Float64Array {
  return signal.map((x, i) => x + amplitude * Math.cos((2 * Math.PI * hz * i) / RATE + phase));
}

interface Run {
  /** What came out: the cleaned pieces, or the samples as they were where the stage passed them through. */
  readonly output: Float64Array;
  /** Pieces the stage cleaned. */
  readonly cleaned: number;
  readonly canceller: FlickerCanceller;
}

/** Feeds `samples` piece by piece, as the decoder does; `receiving(t)`: a transmission is being received at `t` seconds. */
function run(samples: Float64Array, times: Float64Array | null = null, receiving = (_t: number): boolean => false): Run {
  const reception = { receiving: false };
  const canceller = new FlickerCanceller(RATE, reception);
  const output = new Float64Array(samples.length);
  // A ring like the conditioner's, so that pieces wrap at its end.
  const ring = new Float64Array(4 * BLOCK);
  let cleaned = 0;
  for (let from = 0; from < samples.length; from += BLOCK) {
    const to = Math.min(samples.length, from + BLOCK);
    const at = (from + 100) % ring.length;
    reception.receiving = receiving(from / RATE);
    if (canceller.clean(samples, times, from, to, ring, at)) {
      cleaned++;
      for (let i = from; i < to; i++) output[i] = ring[(at + i - from) % ring.length]!;
      expect(canceller.readingsMax).toBe(Math.max(...samples.subarray(from, to).filter((x) => !Number.isNaN(x))));
      if (times) expect(Array.from(canceller.times.subarray(0, to - from))).toEqual(Array.from(times.subarray(from, to)));
    } else output.set(samples.subarray(from, to), from);
  }
  return { output, cleaned, canceller };
}

/** Largest |output − clean signal| from `fromS` seconds on. */
function worstError(output: Float64Array, clean: Float64Array, fromS: number): number {
  let worst = 0;
  for (let i = Math.round(fromS * RATE); i < clean.length; i++) worst = Math.max(worst, Math.abs(output[i]! - clean[i]!));
  return worst;
}

describe('FlickerCanceller', () => {
  it.each([
    { hz: 101.7, family: 100, fps: 60 },
    { hz: 117.2, family: 120, fps: 30 },
    { hz: 120.4, family: 120, fps: 60 },
  ])('removes a $hz Hz sinusoid of 0.4 of the swing from a $fps fps pulse train', ({ hz, family, fps }) => {
    const clean = pulseTrain(8, fps, 7);
    const { output, canceller } = run(withFlicker(clean, hz, 0.4 * SWING, 1));
    // Before: 0.4 of the swing. After the first second: a few hundredths.
    expect(worstError(output, clean, 1)).toBeLessThan(0.06 * SWING);
    const m = canceller.measurement!;
    expect(m.familyHz).toBe(family);
    expect(m.hz).toBeCloseTo(hz, 1);
    expect(m.amplitude).toBeGreaterThan(0.36 * SWING);
    expect(m.amplitude).toBeLessThan(0.44 * SWING);
  });

  it('starts no new look for flicker while a transmission is being received', () => {
    // Room light switched on at 2 s: found at the look 6 s after the first, unless a
    // transmission is then being received (until 9 s here), and at the first look after it.
    const clean = pulseTrain(16, 60, 4);
    const read = clean.map((x, i) => (i < 2 * RATE ? x : x + 0.4 * SWING * Math.cos((2 * Math.PI * 100.3 * i) / RATE)));
    const firstCleaned = (r: Run): number => r.output.findIndex((x, i) => Math.abs(x - read[i]!) > 1) / RATE;
    const free = run(read);
    expect(firstCleaned(free)).toBeGreaterThan(6);
    expect(firstCleaned(free)).toBeLessThan(7);
    const busy = run(read, null, (t) => t < 9);
    expect(firstCleaned(busy)).toBeGreaterThan(9);
    expect(firstCleaned(busy)).toBeLessThan(10);
  });

  it('cleans from the first piece on when the stream starts with flicker alone', () => {
    const clean = new Float64Array(2000).fill(BLACK);
    const { output } = run(withFlicker(clean, 99, 200, 2));
    expect(worstError(output, clean, 0)).toBeLessThan(10);
  });

  it('leaves a flicker-free signal untouched (and spends nothing on it)', () => {
    for (const fps of [20, 30, 60, 120]) {
      const signal = pulseTrain(8, fps, 11);
      const { output, cleaned } = run(signal);
      expect(cleaned).toBe(0);
      expect(output).toEqual(signal);
    }
  });

  it('finds no flicker in a constant stream (its rounding noise demodulates to ~1e-14, against a span of 0)', () => {
    for (const level of [1234, 0.3, 1e6]) {
      const { cleaned, canceller } = run(new Float64Array(20 * RATE).fill(level));
      expect(cleaned).toBe(0);
      expect(canceller.measurement).toBeNull();
    }
  });

  it('leaves flicker far smaller than the swing alone', () => {
    const signal = withFlicker(pulseTrain(8, 60, 5), 100, 0.02 * SWING, 0);
    expect(run(signal).cleaned).toBeLessThanOrEqual(1);
  });

  it('follows the samples’ own timestamps (jitter, a gap) and passes what is not a number through', () => {
    const rng = new Random(3);
    const n = 6000;
    const times = new Float64Array(n);
    for (let i = 0; i < n; i++) times[i] = (i + (i >= 3000 ? 40 : 0)) / RATE + rng.uniform(-1e-4, 1e-4);
    const clean = pulseTrain(n / RATE, 60, 3);
    const samples = clean.map((x, i) => x + 300 * Math.cos(2 * Math.PI * 118.5 * times[i]!));
    samples[4000] = Number.NaN;
    const { output } = run(samples, times);
    expect(output[4000]).toBeNaN();
    output[4000] = clean[4000]!;
    expect(worstError(output, clean, 1)).toBeLessThan(0.06 * SWING);
  });
});

describe('decoding under deep mains flicker', () => {
  it.each([
    { flickerHz: 100, samplerClockPpm: -25_000 },
    { flickerHz: 120, samplerClockPpm: 15_000 },
  ])('decodes with $flickerHz Hz room light as bright as grey, flickering 90 % deep ($samplerClockPpm ppm clock)', ({ flickerHz, samplerClockPpm }) => {
    // Room light of 0.6 of the swing, 90 % deep: the flicker swings by ±0.54 of the screen's swing.
    const cap = capture({ ambient: 0.6, flickerHz, flickerDepth: 0.9, samplerClockPpm }, 21);
    const result = decodeSamples(cap.samples, { sampleRate: cap.sampleRate });
    expect(result.packets).toHaveLength(1);
    expect(sameBytes(result.packets[0]!.bytes, encodePacket(BASIC))).toBe(true);
    // The report says what was cancelled: on a sampler clock running slow the flicker looks faster.
    const { report } = result;
    expect(report.flickerHz).toBeCloseTo(flickerHz / (1 + samplerClockPpm * 1e-6), 1);
    const amplitude = 0.6 * 0.9 * cap.options.swing * cap.fullScale;
    expect(report.flickerAmplitude).toBeGreaterThan(0.85 * amplitude);
    expect(report.flickerAmplitude).toBeLessThan(1.15 * amplitude);
  });

  it.each([false, true])('decodes under deep flicker with samples that are not numbers (timestamps: %s), which the cleaned pieces leave to the general path', (timed) => {
    const cap = capture({ ambient: 0.6, flickerHz: 100, flickerDepth: 0.9 }, 21);
    const samples = Float64Array.from(cap.samples);
    const bad = 10;
    for (let k = 1; k <= bad; k++) samples[Math.floor((k * samples.length) / (bad + 1))] = k % 2 === 0 ? Number.NaN : Infinity;
    const times = timed ? samples.map((_, i) => i / cap.sampleRate) : undefined;
    const result = decodeSamples(samples, { sampleRate: cap.sampleRate, times });
    expect(result.packets).toHaveLength(1);
    expect(sameBytes(result.packets[0]!.bytes, encodePacket(BASIC))).toBe(true);
    expect(result.report.nonFiniteSamples).toBe(bad);
    expect(result.report.flickerHz).toBeCloseTo(100, 0);
  });

  it.each([
    { flickerHz: 50, flickerDepth: 0.05, fps: 30, greyCode: 0x9f },
    { flickerHz: 50, flickerDepth: 0.05, fps: 60, greyCode: 0xbf },
    { flickerHz: 60, flickerDepth: 0.05, fps: 30, greyCode: 0xbf },
    { flickerHz: 60, flickerDepth: 0.05, fps: 20, greyCode: 0x9f },
    { flickerHz: 50, flickerDepth: 0.3, fps: 20, greyCode: 0x9f, seed: 21 },
    { flickerHz: 50, flickerDepth: 0.3, fps: 30, greyCode: 0xbf, seed: 22 },
    { flickerHz: 60, flickerDepth: 0.3, fps: 30, greyCode: 0x9f, seed: 24 },
  ])('takes no lamp ripple at $flickerHz Hz, $flickerDepth deep, in the dark before the flash for a preamble ($fps fps)', ({ flickerHz, flickerDepth, fps, greyCode, seed = 23 }) => {
    // Room light of 0.3 of the swing from a lamp that flickers at the mains frequency itself (a
    // half-wave LED driver): in the dark lead-in its ripple stands far above the noise and comes
    // at a pulse period, so it passes for a preamble's greys — until the flash's first pulse
    // shows it was none: 5 % deep, by standing some twenty of their heights above the floor;
    // 30 % deep, only two or three, but lasting several of their periods.
    const cap = capture({ ambient: 0.3, flickerHz, flickerDepth, fps, greyCode, noiseLsb: 1 }, seed);
    const result = decodeSamples(cap.samples, { sampleRate: cap.sampleRate });
    expect(result.packets).toHaveLength(1);
    expect(sameBytes(result.packets[0]!.bytes, encodePacket(BASIC))).toBe(true);
    // The report says what was taken back, and at what rate the ripple came.
    expect(result.report.rippleRuns).toBeGreaterThanOrEqual(1);
    expect(result.report.rippleHz).toBeCloseTo(flickerHz, -0.5);
  });

  it('reports no flicker where the room light is steady', () => {
    const cap = capture({ flickerDepth: 0 }, 22);
    const result = decodeSamples(cap.samples, { sampleRate: cap.sampleRate });
    expect(result.packets).toHaveLength(1);
    expect(result.report.flickerHz).toBeUndefined();
    expect(result.report.flickerAmplitude).toBeUndefined();
    expect(result.report.rippleRuns).toBe(0);
    expect(result.report.rippleHz).toBeUndefined();
  });
});
