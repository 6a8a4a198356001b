/**
 * Seeded robustness sweeps: encode a random payload, send it through the channel simulator under
 * one tier's random conditions, decode, and score against what was sent. Shared by the vitest
 * suite (small sweeps) and bench/robustness.ts (≥ 200 trials per tier).
 */
import { simulateCameraBrightness, simulatePhotodiode, TIERS, type CameraTier, type CameraTierName, type PhotodiodeTier, type PhotodiodeTierName } from '../../src/channel/index.js';
import { decodeSamples, type DecoderOptions, type PacketEvent } from '../../src/decoder/index.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import type { ConfigPayload } from '../../src/packet/types.js';
import { Random } from '../../src/util/random.js';

const HEX = '0123456789abcdef';
const PRINTABLE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.!';

function randomText(rng: Random, min: number, max: number, alphabet: string): string {
  let s = '';
  for (let n = rng.int(min, max); n > 0; n--) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

/** A plausible Wi-Fi payload: SSID 4–16 characters, passphrase 8–24, random plan and token. */
export function randomPayload(rng: Random): ConfigPayload {
  return {
    ssid: randomText(rng, 4, 16, PRINTABLE),
    password: randomText(rng, 8, 24, PRINTABLE),
    planId: randomText(rng, 16, 16, HEX),
    token: randomText(rng, 16, 16, HEX),
  };
}

export interface TrialOutcome {
  /** The sent packet was decoded (from one copy, repaired, or combined). */
  readonly decoded: boolean;
  /** Packets decoded that were not sent (must never happen). */
  readonly falsePackets: number;
  /** How the first correct packet was obtained. */
  readonly repairedBits: number;
  readonly combined: number;
}

export interface PhotodiodeTrialOptions {
  /** Transmissions of the same packet in the capture. Default 1. */
  readonly repeat?: number;
  /** Decoder options (sampleRate and fullScale come from the capture). */
  readonly decoder?: Omit<DecoderOptions, 'sampleRate'>;
  /** Pass the sampler's timestamps instead of the nominal rate. */
  readonly timestamps?: boolean;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** A trial's outcome: was the sent packet among those decoded, and how; any other packet is false. */
export function score(packets: readonly PacketEvent[], sent: Uint8Array): TrialOutcome {
  const good = packets.find((p) => sameBytes(p.bytes, sent));
  return {
    decoded: good !== undefined,
    falsePackets: packets.filter((p) => !sameBytes(p.bytes, sent)).length,
    repairedBits: good?.repairedBits ?? 0,
    combined: good?.combined ?? 0,
  };
}

/** One trial of a photodiode tier; everything follows from `seed`. */
export function photodiodeTrial(tier: PhotodiodeTier, seed: number, options: PhotodiodeTrialOptions = {}): TrialOutcome {
  const rng = new Random(seed);
  const packet = encodePacket(randomPayload(rng));
  const channel = { ...tier(rng), repeat: options.repeat ?? 1, timestamps: options.timestamps ?? false };
  const capture = simulatePhotodiode(toLevels(packet), channel, seed);
  const result = decodeSamples(capture.samples, {
    ...options.decoder,
    ...(capture.times ? { times: capture.times } : { sampleRate: capture.sampleRate }),
  });
  return score(result.packets, packet);
}

export interface SweepSummary {
  readonly trials: number;
  readonly decoded: number;
  readonly rate: number;
  readonly falsePackets: number;
  readonly repaired: number;
  readonly combined: number;
  /** Seeds of the trials that failed (for debugging). */
  readonly failedSeeds: number[];
}

/** `trials` photodiode trials of a named tier with seeds firstSeed, firstSeed + 1, … */
export function photodiodeSweep(
  tierName: PhotodiodeTierName,
  trials: number,
  firstSeed: number,
  options: PhotodiodeTrialOptions = {},
): SweepSummary {
  return sweep(trials, firstSeed, (seed) => photodiodeTrial(TIERS[tierName], seed, options));
}

/** Runs `trial` on seeds firstSeed, firstSeed + 1, … and tallies the outcomes. */
export function sweep(trials: number, firstSeed: number, trial: (seed: number) => TrialOutcome): SweepSummary {
  let decoded = 0;
  let falsePackets = 0;
  let repaired = 0;
  let combined = 0;
  const failedSeeds: number[] = [];
  for (let k = 0; k < trials; k++) {
    const seed = firstSeed + k;
    const o = trial(seed);
    if (o.decoded) decoded++;
    else failedSeeds.push(seed);
    if (o.repairedBits > 0) repaired++;
    if (o.combined > 1) combined++;
    falsePackets += o.falsePackets;
  }
  return { trials, decoded, rate: decoded / trials, falsePackets, repaired, combined, failedSeeds };
}

export interface CameraTrialOptions {
  /** Decoder options (sampleRate comes from the clip). */
  readonly decoder?: Omit<DecoderOptions, 'sampleRate'>;
  /**
   * Feed the patch's mean linear light, as region brightness measures it (default true); false feeds
   * the gamma-encoded 8-bit means as they are.
   */
  readonly linear?: boolean;
  /**
   * Frames the camera drops (phones under load, variable-frame-rate video): a fraction of frames
   * missing, delivered either with timestamps that show the gaps (a PNG folder with a times file)
   * or as a constant-rate stream with the previous frame repeated in each empty slot (what
   * `ffmpeg -f yuv4mpegpipe` makes of a variable-frame-rate clip).
   */
  readonly drops?: { readonly rate: number; readonly as: 'timestamps' | 'repeats' };
}

/**
 * One trial of a camera tier: the brightness of the screen patch per camera frame (what region
 * brightness would give), turned back into linear light, decoded at the camera's frame rate.
 */
export function cameraTrial(tier: CameraTier, seed: number, options: CameraTrialOptions = {}): TrialOutcome {
  const rng = new Random(seed);
  const packet = encodePacket(randomPayload(rng));
  const drops = options.drops;
  const clip = simulateCameraBrightness(toLevels(packet), { ...tier(rng), repeat: 1, ...(drops ? { dropRate: drops.rate, timestamps: true } : {}) }, seed);
  const values = options.linear === false ? clip.values : clip.linear;
  const result =
    drops?.as === 'timestamps'
      ? decodeSamples(values, { ...options.decoder, times: clip.times! })
      : decodeSamples(drops ? repeatIntoEmptySlots(values, clip.times!, clip.fps) : values, { ...options.decoder, sampleRate: clip.fps });
  return score(result.packets, packet);
}

/** A constant-rate stream from frames with gaps: each empty slot holds the frame before it again. */
function repeatIntoEmptySlots(values: ArrayLike<number>, times: ArrayLike<number>, fps: number): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const slots = i === 0 ? 1 : Math.max(1, Math.round((times[i]! - times[i - 1]!) * fps));
    for (let k = 1; k < slots; k++) out.push(values[i - 1]!);
    out.push(values[i]!);
  }
  return Float64Array.from(out);
}

/** `trials` camera trials of a named tier with seeds firstSeed, firstSeed + 1, … */
export function cameraSweep(
  tierName: CameraTierName,
  trials: number,
  firstSeed: number,
  options: CameraTrialOptions = {},
): SweepSummary {
  return sweep(trials, firstSeed, (seed) => cameraTrial(TIERS[tierName], seed, options));
}
