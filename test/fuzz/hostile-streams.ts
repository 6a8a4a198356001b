/**
 * Seeded generators of what a sensor, a file or a pipe may hand the decoder: numbers that are
 * not light (NaN, ±Infinity, 1e300), constants, square waves at every rate, random level
 * sequences, real transmissions cut short or buried in garbage, preambles that lead nowhere,
 * timestamps that stall, jump or run backwards.
 *
 * Each stream says which packet (if any) it really carries, so a check can tell a decoded
 * packet that was sent from one that was not. Streams are rendered directly (no channel
 * simulator): this is about hostile numbers, not physics, and thousands are needed per second.
 */
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import type { Payload } from '../../src/packet/types.js';
import { Random } from '../../src/util/random.js';

export interface HostileStream {
  readonly kind: HostileKind;
  readonly samples: Float64Array;
  /** Per-sample timestamps, seconds; when absent the stream is decoded at `sampleRate`. */
  readonly times?: Float64Array;
  readonly sampleRate: number;
  /** The packet flashed in the stream, whole or in part; none for pure garbage. */
  readonly sent?: Uint8Array;
}

export const HOSTILE_KINDS = [
  'non-finite',
  'constant',
  'square',
  'random-levels',
  'truncated',
  'preamble-only',
  'garbled-transmission',
  'extreme-scale',
  'timestamps',
] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

/** Values a broken reader or an overflowing computation can produce. */
const SPECIALS = [Number.NaN, Infinity, -Infinity, 1e300, -1e300, 1e15, -1e15, 1e16, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -0, 0] as const;

const HEX = '0123456789abcdef';

/** A random valid payload (its packet is what "sent" means for the transmission kinds). */
export function randomPayload(rng: Random): Payload {
  if (rng.chance(0.1)) return { kind: 'clear' };
  let planId = '';
  let token = '';
  for (let i = 0; i < 16; i++) {
    planId += HEX[rng.int(0, 15)];
    token += HEX[rng.int(0, 15)];
  }
  const ssid = rng.chance(0.2) ? '' : randomAscii(rng, rng.int(1, 20));
  return { ssid, password: ssid && rng.chance(0.8) ? randomAscii(rng, rng.int(8, 30)) : '', planId, token };
}

function randomAscii(rng: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(rng.int(0x20, 0x7e));
  return s;
}

/**
 * Renders frame levels (0/1/2) as samples: each frame lasts `rate / fps` samples (fractional,
 * so the phase drifts as on a real sampler), black/grey/white map to the given values, plus
 * Gaussian noise of `noise` (same units).
 */
export function renderLevels(
  levels: ArrayLike<number>,
  o: { rate: number; fps: number; black: number; grey: number; white: number; noise: number; leadS?: number },
  rng: Random,
): Float64Array {
  const perFrame = o.rate / o.fps;
  const lead = Math.round((o.leadS ?? 0.3) * o.rate);
  const n = lead + Math.ceil(levels.length * perFrame) + lead;
  const out = new Float64Array(n);
  const value = [o.black, o.grey, o.white];
  for (let i = 0; i < n; i++) {
    const frame = Math.floor((i - lead) / perFrame);
    const level = frame >= 0 && frame < levels.length ? levels[frame]! : 0;
    out[i] = value[level]! + (o.noise > 0 ? o.noise * rng.normal() : 0);
  }
  return out;
}

/** A plausible set of levels: black above zero (ambient), grey about half of the white swing. */
function randomLevelValues(rng: Random, scale: number): { black: number; grey: number; white: number } {
  const black = rng.uniform(0, 0.4) * scale;
  const swing = rng.uniform(0.05, 0.6) * scale;
  return { black, grey: black + rng.uniform(0.3, 0.6) * swing, white: black + swing };
}

const FLASH_FPS = [20, 30, 60, 120] as const;

function transmission(rng: Random, scale = 4095): { samples: Float64Array; sent: Uint8Array; rate: number } {
  const sent = encodePacket(randomPayload(rng));
  const rate = rng.pick([500, 1000, 1000, 2000, 4000]);
  const fps = rng.pick(FLASH_FPS);
  const v = randomLevelValues(rng, scale);
  const samples = renderLevels(toLevels(sent), { rate, fps, ...v, noise: rng.uniform(0, 0.02) * (v.white - v.black) }, rng);
  return { samples, sent, rate };
}

/** One hostile stream of a random kind (or of `kind`): up to a few hundred thousand samples. */
export function hostileStream(rng: Random, kind: HostileKind = rng.pick(HOSTILE_KINDS)): HostileStream {
  switch (kind) {
    case 'non-finite': {
      // Real signal values salted (or flooded) with values that are not light.
      const n = rng.int(0, 20_000);
      const density = rng.pick([0.001, 0.05, 0.5, 1]);
      const samples = new Float64Array(n);
      for (let i = 0; i < n; i++) samples[i] = rng.chance(density) ? rng.pick(SPECIALS) : rng.uniform(0, 4095);
      return { kind, samples, sampleRate: 1000 };
    }
    case 'constant': {
      const c = rng.pick([0, 1, 4095, -5, 1e-300, 1e14, -1e14, rng.uniform(-1e6, 1e6)]);
      return { kind, samples: new Float64Array(rng.int(0, 30_000)).fill(c), sampleRate: rng.pick([50, 1000, 1e5]) };
    }
    case 'square': {
      // Every period from 2 samples (the Nyquist rate) up to seconds, any duty, some noise; now and
      // then at a rate the decoder decimates (an oscilloscope's).
      const rate = rng.chance(0.2) ? rng.pick([8000, 2e5, 1e6]) : 1000;
      const period = rng.chance(0.5) ? rng.int(2, 120) : rng.uniform(2, 3000);
      const duty = rng.uniform(0.05, 0.95);
      const lo = rng.uniform(0, 2000);
      const hi = lo + rng.uniform(1, 2000);
      const noise = rng.chance(0.5) ? 0 : rng.uniform(0, 50);
      const samples = new Float64Array(rng.int(1000, 30_000));
      for (let i = 0; i < samples.length; i++) samples[i] = ((i % period) / period < duty ? hi : lo) + noise * rng.normal();
      return { kind, samples, sampleRate: rate };
    }
    case 'random-levels': {
      // Black/bright pairs with random bits (looks like data everywhere) or any level anywhere.
      const frames = rng.int(10, 1500);
      const levels = new Uint8Array(frames);
      const paired = rng.chance(0.5);
      for (let f = 0; f < frames; f++) levels[f] = paired ? (f % 2 === 0 ? 0 : rng.int(1, 2)) : rng.int(0, 2);
      const v = randomLevelValues(rng, 4095);
      return { kind, samples: renderLevels(levels, { rate: 1000, fps: rng.pick(FLASH_FPS), ...v, noise: rng.uniform(0, 20) }, rng), sampleRate: 1000 };
    }
    case 'truncated': {
      // A real transmission cut anywhere: before, inside or after the preamble or the packet.
      const t = transmission(rng);
      const cut = rng.int(0, t.samples.length);
      return { kind, samples: t.samples.subarray(0, cut), sampleRate: t.rate, sent: t.sent };
    }
    case 'preamble-only': {
      // The preamble, maybe the magic, then black, more preamble, or random bits — never a packet.
      const pairs = rng.int(10, 200);
      const tail = rng.pick(['black', 'magic', 'magic-then-black', 'magic-then-short'] as const);
      const levels: number[] = [];
      for (let p = 0; p < pairs; p++) levels.push(0, 1);
      if (tail !== 'black') for (const bit of [0, 0, 1, 0, 1, 0, 1, 0]) levels.push(0, bit ? 2 : 1);
      if (tail === 'magic-then-short') for (let b = rng.int(0, 40); b > 0; b--) levels.push(0, rng.int(1, 2));
      for (let k = 0; k < 30; k++) levels.push(0);
      const v = randomLevelValues(rng, 4095);
      return { kind, samples: renderLevels(levels, { rate: 1000, fps: rng.pick(FLASH_FPS), ...v, noise: rng.uniform(0, 10) }, rng), sampleRate: 1000 };
    }
    case 'garbled-transmission': {
      // A real transmission with bursts of non-finite values, spikes and dropouts.
      const t = transmission(rng);
      const s = t.samples.slice();
      for (let b = rng.int(1, 20); b > 0; b--) {
        const at = rng.int(0, s.length - 1);
        const len = rng.int(1, 200);
        const what = rng.int(0, 2);
        for (let i = at; i < Math.min(s.length, at + len); i++) s[i] = what === 0 ? rng.pick(SPECIALS) : what === 1 ? rng.uniform(-1e9, 1e9) : 0;
      }
      return { kind, samples: s, sampleRate: t.rate, sent: t.sent };
    }
    case 'extreme-scale': {
      // The same transmission in absurd units: tiny, huge, negative, offset far from zero.
      const scale = rng.pick([1e-12, 1e-6, 1, 1e9, 1e13]);
      const offset = rng.pick([0, -1e6, 1e12, -scale]);
      const sign = rng.chance(0.2) ? -1 : 1;
      const t = transmission(rng, 1);
      const s = t.samples.map((x) => offset + sign * x * scale);
      // Inverted light (sign −1) is no transmission; whatever comes out must still be what was sent.
      return { kind, samples: s, sampleRate: t.rate, sent: t.sent };
    }
    case 'timestamps': {
      // A stream of any other kind, with timestamps that misbehave.
      const inner = hostileStream(rng, rng.pick(HOSTILE_KINDS.filter((k) => k !== 'timestamps')));
      const n = inner.samples.length;
      const times = new Float64Array(n);
      const mode = rng.int(0, 5);
      const dt = 1 / inner.sampleRate;
      for (let i = 0; i < n; i++) {
        const ideal = i * dt;
        times[i] =
          mode === 0 ? ideal + rng.uniform(-0.3, 0.3) * dt // jitter
          : mode === 1 ? (rng.chance(0.01) ? Number.NaN : ideal) // holes
          : mode === 2 ? 5 // a clock that does not run
          : mode === 3 ? -ideal // backwards
          : mode === 4 ? ideal + (i > n / 2 ? 1e6 : 0) // a jump
          : ideal * rng.pick([1, 1e-9, 1e9]); // wrong units
      }
      return { ...inner, kind, times };
    }
  }
}

/** Chunk lengths for pushing `n` samples: 1, tiny, random, or everything at once; log-uniform up to 10⁶. */
export function chunkPlan(rng: Random, n: number): number[] {
  const mode = rng.int(0, 3);
  const sizes: number[] = [];
  for (let left = n; left > 0; ) {
    const size = mode === 0 ? 1 : mode === 1 ? rng.int(1, 16) : mode === 2 ? Math.ceil(Math.exp(rng.uniform(0, Math.log(1e6)))) : left;
    const take = Math.min(size, left);
    sizes.push(take);
    left -= take;
  }
  return sizes;
}

/** A fresh generator for case `index` of a run seeded with `seed`: any failing case reruns alone. */
export function caseRandom(seed: number, index: number): Random {
  return new Random((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}
