/**
 * Heap of one decoder over a long stream, for limits.test.ts: run as
 *
 *   node --expose-gc --import tsx test/hardening/memory-probe.ts <minutes> <sample rate>
 *
 * it feeds that much signal at that rate — transmissions, quiet stretches, noise bursts, non-
 * finite values — in 4096-sample chunks, collects garbage at ten checkpoints and prints one JSON
 * line: the heap used at each checkpoint, packets and failures seen, samples fed.
 */
import { simulatePhotodiode, TIERS } from '../../src/channel/index.js';
import { TriLevelDecoder } from '../../src/decoder/index.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import { Random } from '../../src/util/random.js';
import { randomPayload } from '../fuzz/hostile-streams.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const minutes = Number(process.argv[2] ?? 60);
const rate = Number(process.argv[3] ?? 1000);
const total = Math.round(minutes * 60 * rate);
const rng = new Random(60);

// A few different transmissions (different lengths keep several combiner slots busy), a weak one
// that fails its CRC now and then, and noise: played in a random order until the hour is full.
const pieces: Float32Array[] = [];
for (let k = 0; k < 4; k++) {
  const channel = k === 3 ? { ...TIERS.swing005(rng), sampleRate: rate } : { ...TIERS.typical(rng), sampleRate: rate };
  pieces.push(simulatePhotodiode(toLevels(encodePacket(randomPayload(rng))), channel, k + 1).samples);
}
const noise = new Float32Array(20 * rate);
for (let i = 0; i < noise.length; i++) noise[i] = rng.chance(0.001) ? Number.NaN : 2000 + 400 * rng.normal();
pieces.push(noise);

const decoder = new TriLevelDecoder({ sampleRate: rate });
const chunk = new Float32Array(4096);
const heap: number[] = [];
let packets = 0;
let failures = 0;
let fed = 0;
let piece = pieces[0]!;
let at = 0;
let nextCheckpoint = total / 10;
while (fed < total) {
  for (let i = 0; i < chunk.length; i++) {
    if (at >= piece.length) {
      piece = rng.pick(pieces);
      at = 0;
    }
    chunk[i] = piece[at++]!;
  }
  for (const e of decoder.push(chunk)) {
    if (e.type === 'packet') packets++;
    else if (e.type === 'crc-failure') failures++;
  }
  fed += chunk.length;
  if (fed >= nextCheckpoint) {
    gc();
    heap.push(process.memoryUsage().heapUsed);
    nextCheckpoint += total / 10;
  }
}
decoder.flush();
process.stdout.write(`${JSON.stringify({ heap, packets, failures, samples: fed, report: decoder.report().samples })}\n`);
