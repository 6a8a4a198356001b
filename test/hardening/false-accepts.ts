/**
 * False accepts: how often the decoder, with its bit-flip repair and repetition combining on,
 * hands out a packet that was never sent. Shared by the vitest suite (a scaled-down run that
 * must find none) and bench/false-accepts.ts (10⁷ noise samples, 10⁵ level sequences).
 *
 * Two sources of input:
 *
 * - **Noise**, fed straight to the decoder at 1 kHz in streams of 10⁴–10⁵ samples: white
 *   Gaussian, uniform, 1/f-like (a sum of slow random processes), square waves and PWM-like
 *   pulse trains at random rates whose pulses take two or three random heights (the closest
 *   noise gets to tri-level data).
 * - **Level sequences**, one 0/1/2 per frame, through the channel simulator (the typical or
 *   the hard channel of issue 3, drawn at random): independent random levels; black/bright pairs
 *   with random bits; a genuine preamble and sync magic followed by random bits (so the
 *   decoder always frames a "packet" and the CRC, the structure check and the repair are all
 *   that stand between noise and a false packet); and the hardest case for those — a genuine
 *   preamble followed by a structurally valid packet whose CRC is wrong, flashed up to three
 *   times, where only the CRC (10 bits in effect, see crc16.test.ts), the repair's limits and
 *   the combiner's care are left.
 *
 * A quarter of the level sequences are filmed instead: the brightness of the screen patch per
 * frame of a camera (one of the four camera tiers of issue 4), turned back into linear light —
 * at those rates the decoder also runs its frame-sequence stage, which knows the preamble and
 * sync magic and so must be kept as honest as the pulse path.
 *
 * Every stream also counts what the decoder framed (packets and CRC failures), so the figure
 * says how many times the checks were actually put to the test.
 */
import { simulateCameraBrightness, simulatePhotodiode, TIERS, type PhotodiodeChannelOptions } from '../../src/channel/index.js';
import { TriLevelDecoder, type DecodeEvent } from '../../src/decoder/index.js';
import { PREAMBLE, TRAILER_FRAMES, toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import { Random } from '../../src/util/random.js';
import { randomPayload } from '../fuzz/hostile-streams.js';

export const NOISE_KINDS = ['gaussian', 'uniform', 'random-walk', 'square', 'pulse-train'] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

export const SEQUENCE_KINDS = ['random-levels', 'random-bits', 'preamble-random-bits', 'preamble-wrong-crc'] as const;
export type SequenceKind = (typeof SEQUENCE_KINDS)[number];

/** Per kind: inputs fed, transmissions the decoder framed (reached the CRC), packets it accepted (all false). */
export interface KindCount {
  inputs: number;
  samples: number;
  framed: number;
  falseAccepts: number;
}

export interface FalseAcceptResult {
  readonly seed: number;
  readonly noise: Record<NoiseKind, KindCount>;
  readonly sequences: Record<SequenceKind, KindCount>;
  /** The same kinds of level sequence, filmed by a camera. */
  readonly cameraSequences: Record<SequenceKind, KindCount>;
  readonly noiseSamples: number;
  readonly sequenceCount: number;
  readonly falseAccepts: number;
  readonly framed: number;
  readonly ms: number;
}

const NOISE_RATE = 1000;
const CHUNK = 4096;

function emptyCounts<K extends string>(kinds: readonly K[]): Record<K, KindCount> {
  return Object.fromEntries(kinds.map((k) => [k, { inputs: 0, samples: 0, framed: 0, falseAccepts: 0 }])) as Record<K, KindCount>;
}

/** `n` samples of one kind of noise, with random parameters, in 12-bit ADC-like units. */
export function noiseSamples(kind: NoiseKind, n: number, rng: Random): Float64Array {
  const out = new Float64Array(n);
  const base = rng.uniform(0, 3000);
  const scale = rng.uniform(1, 1000);
  switch (kind) {
    case 'gaussian':
      for (let i = 0; i < n; i++) out[i] = base + scale * rng.normal();
      break;
    case 'uniform':
      for (let i = 0; i < n; i++) out[i] = base + scale * rng.next();
      break;
    case 'random-walk': {
      // Three first-order processes with time constants from 10 ms to 10 s: a 1/f-like spectrum.
      const taus = [rng.uniform(5, 20), rng.uniform(100, 500), rng.uniform(2000, 10_000)];
      const state = [0, 0, 0];
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let k = 0; k < 3; k++) {
          const a = 1 / taus[k]!;
          state[k] = state[k]! * (1 - a) + Math.sqrt(2 * a) * rng.normal();
          v += state[k]!;
        }
        out[i] = base + scale * v;
      }
      break;
    }
    case 'square': {
      // A fixed or slowly gliding rate from 0.5 to 250 Hz, any duty, a little noise.
      let hz = rng.uniform(0.5, 250);
      const glide = rng.chance(0.3) ? rng.uniform(-0.5, 0.5) / NOISE_RATE : 0;
      const duty = rng.uniform(0.1, 0.9);
      const noise = scale * rng.uniform(0, 0.1);
      let phase = 0;
      for (let i = 0; i < n; i++) {
        phase = (phase + hz / NOISE_RATE) % 1;
        hz = Math.min(250, Math.max(0.5, hz + glide));
        out[i] = base + (phase < duty ? scale : 0) + noise * rng.normal();
      }
      break;
    }
    case 'pulse-train': {
      // Pulses at a random rate (10–300 Hz, jittered), each of one of two or three random heights.
      const hz = rng.uniform(10, 300);
      const period = NOISE_RATE / hz;
      const duty = rng.uniform(0.2, 0.8);
      const heights = Array.from({ length: rng.int(2, 3) }, () => rng.uniform(0.2, 1) * scale);
      const noise = scale * rng.uniform(0, 0.05);
      let next = 0;
      let end = 0;
      let height = 0;
      for (let i = 0; i < n; i++) {
        if (i >= next) {
          height = rng.pick(heights);
          end = i + duty * period;
          next = i + period * rng.uniform(0.9, 1.1);
        }
        out[i] = base + (i < end ? height : 0) + noise * rng.normal();
      }
      break;
    }
  }
  return out;
}

/** Black frames between repeated transmissions (a second at 60 fps). */
const REPEAT_GAP_FRAMES = 60;

function hex16(rng: Random): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += '0123456789abcdef'[rng.int(0, 15)];
  return s;
}

/** The frames of `packet` with its CRC replaced by any other value. */
function withWrongCrc(packet: Uint8Array, rng: Random): Uint8Array {
  const n = packet.length;
  const crc = (packet[n - 2]! << 8) | packet[n - 1]!;
  let wrong = crc;
  while (wrong === crc) wrong = rng.int(0, 0xffff);
  packet[n - 2] = wrong >> 8;
  packet[n - 1] = wrong & 0xff;
  return toLevels(packet);
}

/** The bits of `bytes`, MSB first, as black/bright frame pairs. */
function pairFrames(bytes: ArrayLike<number>): number[] {
  const frames: number[] = [];
  for (let i = 0; i < bytes.length; i++) for (let b = 7; b >= 0; b--) frames.push(0, (bytes[i]! >> b) & 1 ? 2 : 1);
  return frames;
}

/** One random level sequence of `kind`, and how many times it is flashed. */
export function levelSequence(kind: SequenceKind, rng: Random): { levels: Uint8Array; repeat: number } {
  switch (kind) {
    case 'random-levels':
      return { levels: Uint8Array.from({ length: rng.int(200, 800) }, () => rng.int(0, 2)), repeat: 1 };
    case 'random-bits':
      return { levels: Uint8Array.from([...pairFrames(rng.bytes(rng.int(15, 50))), ...new Array(TRAILER_FRAMES).fill(0)]), repeat: 1 };
    case 'preamble-random-bits': {
      // Random L, then exactly the L entry bytes and two CRC bytes it announces, all random. Half
      // the lengths are short (≤ 40), where a random body is likeliest to pass the structure check.
      const length = rng.chance(0.5) ? rng.int(0, 40) : rng.int(0, 255);
      const body = [length, ...rng.bytes(length + 2)];
      return { levels: Uint8Array.from([...pairFrames(PREAMBLE), ...pairFrames(body), ...new Array(TRAILER_FRAMES).fill(0)]), repeat: 1 };
    }
    case 'preamble-wrong-crc': {
      // Real packets whose CRC is replaced by another value: structure valid, CRC wrong. Flashed
      // up to three times, either the same packet or — as a factory sends one token after
      // another — different packets of the same length, which repetition combining must not mix.
      const payload = randomPayload(rng);
      const copies = rng.int(1, 3);
      const same = rng.chance(0.5);
      const parts: number[] = [];
      for (let c = 0; c < copies; c++) {
        const p = same || payload.kind === 'clear' ? payload : { ...payload, token: hex16(rng) };
        parts.push(...withWrongCrc(encodePacket(p), rng), ...new Array(REPEAT_GAP_FRAMES).fill(0));
      }
      return { levels: Uint8Array.from(parts), repeat: 1 };
    }
  }
}

/** A channel for one sequence: the typical or the hard tier, simulated on a grid just fine enough. */
function channelFor(rng: Random, repeat: number): Partial<PhotodiodeChannelOptions> {
  const tier = rng.chance(0.5) ? TIERS.typical(rng) : TIERS.hard(rng);
  const sampleRate = tier.sampleRate ?? 1000;
  // 8 grid steps per sample and 16 per PWM period resolve everything that matters here; the
  // default (≥ 20 kHz) would only cost time.
  const simulationRateHz = Math.max(8 * sampleRate, 16 * (tier.pwmHz ?? 0), 1000);
  return { ...tier, repeat, simulationRateHz, leadInS: 0.3, leadOutS: 0.3 };
}

const CAMERA_TIERS = [TIERS.cam240on60, TIERS.cam120on60, TIERS.cam60on30, TIERS.cam60on60] as const;

/** A level sequence filmed under one of the camera tiers: linear-light brightness per camera frame. */
function filmed(levels: Uint8Array, repeat: number, rng: Random, seed: number): { samples: Float64Array; sampleRate: number } {
  const tier = CAMERA_TIERS[rng.int(0, CAMERA_TIERS.length - 1)]!;
  const clip = simulateCameraBrightness(levels, { ...tier(rng), repeat }, seed);
  return { samples: Float64Array.from(clip.linear), sampleRate: clip.fps };
}

/** Runs one input through a fresh decoder (repair and combining on, as by default); counts what it framed and accepted. */
function decodeInto(count: KindCount, samples: Float32Array | Float64Array, sampleRate: number): void {
  const decoder = new TriLevelDecoder({ sampleRate });
  const tally = (events: DecodeEvent[]): void => {
    for (const e of events) {
      if (e.type === 'packet') {
        count.framed++;
        count.falseAccepts++;
      } else if (e.type === 'crc-failure') count.framed++;
    }
  };
  for (let at = 0; at < samples.length; at += CHUNK) {
    tally(decoder.push(samples.subarray(at, at + CHUNK)));
  }
  tally(decoder.flush());
  count.inputs++;
  count.samples += samples.length;
}

export interface MeasureOptions {
  readonly noiseSamples: number;
  readonly sequences: number;
  readonly seed: number;
  /** Called now and then with the fraction done (0…1). */
  readonly onProgress?: (fraction: number) => void;
}

export function measureFalseAccepts(o: MeasureOptions): FalseAcceptResult {
  const start = performance.now();
  const noise = emptyCounts(NOISE_KINDS);
  const sequences = emptyCounts(SEQUENCE_KINDS);
  const cameraSequences = emptyCounts(SEQUENCE_KINDS);
  const rng = new Random(o.seed);
  const work = o.noiseSamples / 1000 + o.sequences * 15; // rough cost units for progress
  let done = 0;
  for (let fed = 0, k = 0; fed < o.noiseSamples; k++) {
    const kind = NOISE_KINDS[k % NOISE_KINDS.length]!;
    const n = Math.min(o.noiseSamples - fed, rng.int(10_000, 100_000));
    decodeInto(noise[kind], noiseSamples(kind, n, rng), NOISE_RATE);
    fed += n;
    done += n / 1000;
    o.onProgress?.(done / work);
  }
  for (let s = 0; s < o.sequences; s++) {
    const kind = SEQUENCE_KINDS[s % SEQUENCE_KINDS.length]!;
    const { levels, repeat } = levelSequence(kind, rng);
    // Every fourth round of the kinds is filmed by a camera.
    if (Math.floor(s / SEQUENCE_KINDS.length) % 4 === 3) {
      const clip = filmed(levels, repeat, rng, o.seed + s);
      decodeInto(cameraSequences[kind], clip.samples, clip.sampleRate);
    } else {
      const capture = simulatePhotodiode(levels, channelFor(rng, repeat), o.seed + s);
      decodeInto(sequences[kind], capture.samples, capture.sampleRate);
    }
    done += 15;
    if (s % 50 === 49) o.onProgress?.(done / work);
  }
  const all = [...Object.values(noise), ...Object.values(sequences), ...Object.values(cameraSequences)];
  return {
    seed: o.seed,
    noise,
    sequences,
    cameraSequences,
    noiseSamples: o.noiseSamples,
    sequenceCount: o.sequences,
    falseAccepts: all.reduce((sum, c) => sum + c.falseAccepts, 0),
    framed: all.reduce((sum, c) => sum + c.framed, 0),
    ms: performance.now() - start,
  };
}

/** Genuine transmissions through weak channels: the floor the 10-bit CRC leaves (see the README). */
export interface GenuineResult {
  readonly trials: number;
  /** Transmissions flashed, transmissions the decoder framed, packets right and wrong. */
  readonly transmissions: number;
  readonly framed: number;
  readonly right: number;
  readonly wrong: number;
  /** Trials in which at least one sent packet was decoded. */
  readonly decodedTrials: number;
  readonly ms: number;
}

/**
 * `trials` weak-channel captures (the hard tier at swing 0.03–0.12, where many transmissions
 * fail): one to three transmissions each, of one packet or — as a factory line — of packets that
 * differ only in their token. Every decoded packet is checked against what was sent.
 */
export function measureGenuine(trials: number, seed: number, onProgress?: (fraction: number) => void): GenuineResult {
  const start = performance.now();
  const rng = new Random(seed ^ 0x6e6e);
  let transmissions = 0;
  let framed = 0;
  let right = 0;
  let wrong = 0;
  let decodedTrials = 0;
  for (let t = 0; t < trials; t++) {
    let payload = randomPayload(rng);
    while (payload.kind === 'clear') payload = randomPayload(rng);
    const copies = rng.int(1, 3);
    const same = rng.chance(0.5);
    const sent = new Set<string>();
    const parts: number[] = [];
    for (let c = 0; c < copies; c++) {
      const packet = encodePacket(same ? payload : { ...payload, token: hex16(rng) });
      sent.add(hexOf(packet));
      parts.push(...toLevels(packet), ...new Array(REPEAT_GAP_FRAMES).fill(0));
    }
    const hard = TIERS.hard(rng);
    const channel = { ...hard, swing: rng.uniform(0.03, 0.12), simulationRateHz: Math.max(8000, 16 * (hard.pwmHz ?? 0)), leadInS: 0.3, leadOutS: 0.3 };
    const capture = simulatePhotodiode(Uint8Array.from(parts), channel, seed + t);
    const decoder = new TriLevelDecoder({ sampleRate: capture.sampleRate });
    const events = [...decoder.push(capture.samples), ...decoder.flush()];
    let decoded = false;
    for (const e of events) {
      if (e.type === 'crc-failure') framed++;
      if (e.type !== 'packet') continue;
      framed++;
      if (sent.has(hexOf(e.bytes))) {
        right++;
        decoded = true;
      } else wrong++;
    }
    if (decoded) decodedTrials++;
    transmissions += copies;
    if (t % 20 === 19) onProgress?.((t + 1) / trials);
  }
  return { trials, transmissions, framed, right, wrong, decodedTrials, ms: performance.now() - start };
}

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
