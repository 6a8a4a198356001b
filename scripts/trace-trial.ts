/**
 * One robustness trial, traced: the channel the seed drew, the decoder's events, and (with -v)
 * every pulse the slicer judged next to what was really on screen — for finding out why a
 * seed of bench/robustness.ts fails.
 *
 *   node --import tsx scripts/trace-trial.ts <tier> <seed> [-v] [--repeat N]     (any photodiode tier: typical, hard, pwmwide, …)
 *
 * With --repeat N the packet is flashed N times (as `photodiodeTrial(…, { repeat: N })` does) and
 * each pulse is judged against the copy on screen at its time.
 * A pulse line ends with `<<<<` when its decision contradicts the frame under its middle, and
 * with `BRIGHTS[…]` when it spans other than one bright frame (timing merged or split wrongly).
 * Bit numbers count from the length byte's first bit (negative: preamble and sync magic).
 */
import { PHOTODIODE_TIER_NAMES, simulatePhotodiode, TIERS, type PhotodiodeTierName } from '../src/channel/index.js';
import { decodeSamples } from '../src/decoder/index.js';
import { toLevels } from '../src/line/index.js';
import { encodePacket } from '../src/packet/index.js';
import { Random } from '../src/util/random.js';
import { randomPayload } from '../test/decoder/sweep.js';

const tier = process.argv[2] as PhotodiodeTierName;
const seed = Number(process.argv[3]);
if (!PHOTODIODE_TIER_NAMES.includes(tier) || !Number.isInteger(seed)) {
  console.error(`usage: trace-trial.ts <${PHOTODIODE_TIER_NAMES.join('|')}> <seed> [-v] [--repeat N]`);
  process.exit(2);
}
const verbose = process.argv.includes('-v');
const repeatAt = process.argv.indexOf('--repeat');
const repeat = repeatAt >= 0 ? Number(process.argv[repeatAt + 1]) : 1;
if (!(Number.isInteger(repeat) && repeat >= 1)) {
  console.error('--repeat needs a whole number of copies ≥ 1');
  process.exit(2);
}
// Piped into `head`, the trace just stops.
process.stdout.on('error', () => process.exit(0));

// Exactly as test/decoder/sweep.ts draws the trial.
const rng = new Random(seed);
const packet = encodePacket(randomPayload(rng));
const channel = { ...TIERS[tier](rng), repeat, timestamps: false };
const round = (_key: string, v: unknown): unknown => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v);
console.log(JSON.stringify(channel, round));
const levels = toLevels(packet);
const capture = simulatePhotodiode(levels, channel, seed);
const { truth } = capture;
console.log('codes', JSON.stringify(truth.nominalCodes, round), 'held levels', truth.heldLevels);

/** Sampler seconds → true seconds. */
const trueTime = (s: number): number => (s * capture.sampleRate) / truth.trueSampleRate;
/** The copy on screen at true time t (the last one begun). */
function copyAt(t: number): (typeof truth.transmissions)[number] {
  let copy = truth.transmissions[0]!;
  for (const c of truth.transmissions) if (c.startS <= t) copy = c;
  return copy;
}
/** Index of the frame of `sent` on screen at true time t. */
function frameAt(sent: (typeof truth.transmissions)[number], t: number): number {
  let j = -1;
  for (let k = 0; k < sent.levelStartS.length - 1; k++) if (sent.levelStartS[k]! <= t) j = k;
  return j;
}
/** Bit number of frame j (its bright frame is 2·bit + 65, the preamble and magic take 64 frames). */
const bitOf = (j: number): number => (j - 1) / 2 - 32;

let n = 0;
const result = decodeSamples(capture.samples, {
  sampleRate: capture.sampleRate,
  onPulse: (p) => {
    if (!verbose) return;
    const a = trueTime(p.startS);
    const b = trueTime(p.endS);
    const sent = copyAt(0.5 * (a + b));
    const middle = frameAt(sent, 0.5 * (a + b));
    const onScreen = levels[middle] ?? -1;
    const brights: number[] = [];
    for (let k = 0; k < sent.levelStartS.length - 1; k++) {
      if (levels[k] === 0) continue;
      const s0 = sent.levelStartS[k]!;
      const s1 = sent.levelStartS[k + 1]!;
      if (Math.min(s1, b) - Math.max(s0, a) > 0.5 * (s1 - s0)) brights.push(bitOf(k));
    }
    const spans = p.decision !== 0 && brights.length !== 1 ? ` BRIGHTS[${brights.join(',')}]` : '';
    const wrong = p.decision !== 0 && onScreen > 0 && p.decision !== onScreen ? ' <<<<' : '';
    const f = (x: number): string => x.toFixed(1);
    console.log(
      `${String(n++).padStart(4)} ${p.startS.toFixed(3)}-${p.endS.toFixed(3)} v=${f(p.value)} d=${p.decision} c=${p.confidence.toFixed(2)} ` +
        `floor=${f(p.black)} g=${f(p.grey)} w=${f(p.white)} th=${f(p.threshold)} bit=${bitOf(middle)} screen=${onScreen}${spans}${wrong}`,
    );
  },
});

for (const e of result.events) {
  if (e.type === 'packet') {
    const same = e.bytes.length === packet.length && e.bytes.every((v, i) => v === packet[i]);
    console.log(same ? 'PACKET (the one sent)' : 'FALSE PACKET', 'repaired bits', e.repairedBits, 'combined', e.combined);
  } else if (e.type === 'crc-failure') {
    const wrongBits: number[] = [];
    for (let i = 0; i < Math.min(e.bytes.length, packet.length) * 8; i++) {
      if (((e.bytes[i >> 3]! ^ packet[i >> 3]!) >> (7 - (i & 7))) & 1) wrongBits.push(i);
    }
    console.log(`CRC FAILURE ${e.code}: ${e.bytes.length} of ${packet.length} bytes, ${wrongBits.length} bits wrong (${wrongBits.slice(0, 20).join(',')}), least confidence ${e.quality.minConfidence.toFixed(2)}`);
  } else {
    console.log(e.type, JSON.stringify(e, round));
  }
}
const r = result.report;
console.log('report', JSON.stringify({ black: r.black, grey: r.grey, white: r.white, noise: r.noiseRms, fps: r.fps, held: r.heldLevels, pulses: r.pulses }, round));
