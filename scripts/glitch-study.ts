/**
 * Glitch study: one corrupt sample (a serial link's 65535, an ADC's full scale, a sign error, or
 * 1.3 × the capture's brightest sample) put at a random place in the middle 70 % of a simulated
 * capture. Prints, per channel tier and glitch, how many seeds decode the right packet with the
 * glitch, and how many decode without it. The decoder is told the ADC's full scale, as
 * `blinkup decode` is by a capture's header or `--full-scale`.
 *
 *   node --import tsx scripts/glitch-study.ts [--seeds 40]
 */
import { simulatePhotodiode, TIERS } from '../src/channel/index.js';
import { decodeSamples } from '../src/decoder/index.js';
import { toLevels } from '../src/line/index.js';
import { encodePacket } from '../src/packet/index.js';
import { Random } from '../src/util/random.js';
import { randomPayload } from '../test/decoder/sweep.js';

const seedsArg = process.argv.indexOf('--seeds');
const SEEDS = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 40;
const FIRST_SEED = 910_000;

const GLITCHES: [string, (top: number) => number][] = [
  ['65535', () => 65535],
  ['4095', () => 4095],
  ['-4095', () => -4095],
  ['1.3 x top', (top) => 1.3 * top],
];

for (const tier of ['typical', 'hard', 'flicker'] as const) {
  for (const [name, value] of GLITCHES) {
    let clean = 0;
    let decoded = 0;
    let wrong = 0;
    for (let k = 0; k < SEEDS; k++) {
      const seed = FIRST_SEED + k;
      const rng = new Random(seed);
      const packet = encodePacket(randomPayload(rng));
      const options = tier === 'typical' ? {} : { ...TIERS[tier](rng), repeat: 1 };
      const capture = simulatePhotodiode(toLevels(packet), options, seed);
      const same = (p: { bytes: Uint8Array }): boolean => p.bytes.length === packet.length && p.bytes.every((b, i) => b === packet[i]);
      const samples = Float32Array.from(capture.samples);
      let top = -Infinity;
      for (const x of samples) top = Math.max(top, x);
      if (decodeSamples(samples, { sampleRate: capture.sampleRate, fullScale: capture.fullScale }).packets.some(same)) clean++;
      samples[Math.floor((0.15 + 0.7 * rng.next()) * samples.length)] = value(top);
      const r = decodeSamples(samples, { sampleRate: capture.sampleRate, fullScale: capture.fullScale });
      if (r.packets.some(same)) decoded++;
      if (r.packets.some((p) => !same(p))) wrong++;
    }
    console.log(`${tier.padEnd(8)} ${name.padEnd(10)} decoded ${decoded}/${SEEDS} with the glitch, ${clean}/${SEEDS} without${wrong ? `, WRONG ${wrong}` : ''}`);
  }
}
