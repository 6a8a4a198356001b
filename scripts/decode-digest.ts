/**
 * A fingerprint of what the decoder decides, for changes that must not change it (speed work,
 * refactoring). Decodes a fixed, seeded set of simulated captures — every photodiode and camera
 * tier, the decoder benchmark's long capture, and a few captures with timestamps or cut into odd
 * chunks — and hashes every event (type, packet bytes, times, quality, reasons), every pulse the
 * slicer judged (through the onPulse hook) and the final report, all numbers at full precision.
 *
 *   node --import tsx scripts/decode-digest.ts            one digest per group, then the total
 *   node --import tsx scripts/decode-digest.ts --seeds 10 fewer captures per tier (a quicker look)
 *
 * Two runs print the same lines exactly when the decoder decided everything the same way. The
 * per-group lines say where a difference is; the decoded counts say whether it matters.
 */
import { createHash, type Hash } from 'node:crypto';
import { simulateCameraBrightness, simulatePhotodiode, TIERS, type CameraTier, type PhotodiodeTier } from '../src/channel/index.js';
import { TriLevelDecoder, type DecodeEvent, type DecoderOptions, type PulseInfo } from '../src/decoder/index.js';
import { toLevels } from '../src/line/index.js';
import { encodePacket } from '../src/packet/index.js';
import { Random } from '../src/util/random.js';
import { srgbCodeToLinear } from '../src/util/srgb.js';
import { randomPayload } from '../test/decoder/sweep.js';

const seedsArg = process.argv.indexOf('--seeds');
const SEEDS = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 40;
const FIRST_SEED = 7001;

/** Feeds a hash with text and numbers; numbers at full precision (shortest exact form). */
class Digest {
  private readonly hash: Hash = createHash('sha256');
  num(x: number): this {
    this.hash.update(Object.is(x, -0) ? '-0;' : `${x};`);
    return this;
  }
  text(s: string): this {
    this.hash.update(`${s.length}:${s};`);
    return this;
  }
  bytes(b: Uint8Array): this {
    this.hash.update(`${b.length}:`).update(b);
    return this;
  }
  hex(): string {
    return this.hash.digest('hex').slice(0, 16);
  }
}

function digestEvent(d: Digest, e: DecodeEvent): void {
  d.text(e.type);
  switch (e.type) {
    case 'packet':
    case 'crc-failure': {
      d.bytes(e.bytes).num(e.startS).num(e.endS);
      const q = e.quality;
      d.num(q.minConfidence).num(q.meanConfidence).num(q.black).num(q.grey).num(q.white).num(q.fps).num(q.timingRepairs);
      if (e.type === 'packet') d.num(e.repairedBits).num(e.combined);
      else d.text(e.reason).text(e.code);
      break;
    }
    case 'sync-lost':
      d.num(e.atS).text(e.reason).num(e.bitsReceived);
      break;
    case 'saturation':
      d.num(e.atS).num(e.fraction);
      break;
  }
}

function digestPulse(d: Digest, p: PulseInfo): void {
  d.num(p.startS).num(p.endS).num(p.value).num(p.decision).num(p.confidence).num(p.black).num(p.grey).num(p.white).num(p.threshold);
}

/** One group of captures: its hash, and how many packets it decoded. */
class Group {
  readonly digest = new Digest();
  captures = 0;
  packets = 0;
  constructor(readonly name: string) {}

  /** Decodes `samples` pushed in chunks of `chunk` (0: all at once) and hashes everything. */
  decode(samples: ArrayLike<number>, options: DecoderOptions, times?: ArrayLike<number>, chunk = 0): void {
    const d = this.digest;
    const decoder = new TriLevelDecoder({ ...options, onPulse: (p) => digestPulse(d, p) });
    const events: DecodeEvent[] = [];
    if (chunk > 0) {
      for (let i = 0; i < samples.length; i += chunk) {
        const end = Math.min(samples.length, i + chunk);
        const stamps = times ? Array.prototype.slice.call(times, i, end) : undefined;
        events.push(...decoder.push(Array.prototype.slice.call(samples, i, end), stamps));
      }
    } else {
      events.push(...decoder.push(samples, times));
    }
    events.push(...decoder.flush());
    for (const e of events) {
      digestEvent(d, e);
      if (e.type === 'packet') this.packets++;
    }
    const report = decoder.report();
    for (const [key, value] of Object.entries(report)) d.text(key).num(value as number);
    this.captures++;
  }
}

function photodiodeGroup(name: string, tier: PhotodiodeTier, repeat: number, timestamps = false, chunk = 0): Group {
  const group = new Group(name);
  for (let k = 0; k < SEEDS; k++) {
    const seed = FIRST_SEED + k;
    const rng = new Random(seed);
    const packet = encodePacket(randomPayload(rng));
    const capture = simulatePhotodiode(toLevels(packet), { ...tier(rng), repeat, timestamps }, seed);
    if (capture.times) group.decode(capture.samples, { fullScale: capture.fullScale }, capture.times, chunk);
    else group.decode(capture.samples, { sampleRate: capture.sampleRate }, undefined, chunk);
  }
  return group;
}

function cameraGroup(name: string, tier: CameraTier): Group {
  const group = new Group(name);
  for (let k = 0; k < SEEDS; k++) {
    const seed = FIRST_SEED + k;
    const rng = new Random(seed);
    const packet = encodePacket(randomPayload(rng));
    const clip = simulateCameraBrightness(toLevels(packet), { ...tier(rng), repeat: 1 }, seed);
    group.decode(
      clip.values.map((v) => srgbCodeToLinear(v)),
      { sampleRate: clip.fps },
    );
  }
  return group;
}

/** The capture of bench/decoder.bench.ts, whole and in odd chunks. */
function benchGroup(): Group {
  const group = new Group('bench');
  const packet = encodePacket({ ssid: 'HomeNetwork', password: 'correct horse', planId: '0123456789abcdef', token: 'fedcba9876543210' });
  const capture = simulatePhotodiode(
    toLevels(packet),
    { repeat: 40, repeatGapS: 0.4, heldLevelProbability: 0.05, samplerClockPpm: 8000, flickerDepth: 0.2 },
    0xdec0de,
  );
  const options = { sampleRate: capture.sampleRate, fullScale: capture.fullScale };
  group.decode(capture.samples, options);
  group.decode(capture.samples, options, undefined, 997);
  return group;
}

const groups = [
  () => photodiodeGroup('typical', TIERS.typical, 1),
  () => photodiodeGroup('hard', TIERS.hard, 1),
  () => photodiodeGroup('swing005 x3', TIERS.swing005, 3),
  () => photodiodeGroup('typical timestamps', TIERS.typical, 1, true),
  () => photodiodeGroup('hard chunks of 61', TIERS.hard, 1, false, 61),
  () => cameraGroup('cam240on60', TIERS.cam240on60),
  () => cameraGroup('cam120on60', TIERS.cam120on60),
  () => cameraGroup('cam60on30', TIERS.cam60on30),
  () => cameraGroup('cam60on60', TIERS.cam60on60),
  benchGroup,
];

const total = new Digest();
for (const make of groups) {
  const g = make();
  const hex = g.digest.hex();
  total.text(hex);
  console.log(`${g.name.padEnd(20)} ${hex}  ${String(g.captures).padStart(3)} captures, ${g.packets} packets`);
}
console.log(`${'total'.padEnd(20)} ${total.hex()}  (${SEEDS} seeds per tier)`);
