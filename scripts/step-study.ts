/**
 * Light that steps: how many captures decode, per tier, when the screen's light is multiplied by
 * a factor from one moment on — a shadow, the phone jerked closer or away (the simulator's
 * `stepGain`, `blinkup simulate --step`). The moment is drawn from the middle 40 % of the
 * transmission, where bits are read. The figures of the README's step table.
 *
 *   node --import tsx scripts/step-study.ts [--seeds N]   (default 100)
 */
import { simulatePhotodiode, TIERS, type PhotodiodeTierName } from '../src/channel/index.js';
import { decodeSamples } from '../src/decoder/index.js';
import { toLevels } from '../src/line/index.js';
import { encodePacket } from '../src/packet/index.js';
import { Random } from '../src/util/random.js';
import { randomPayload, score, sweep, type TrialOutcome } from '../test/decoder/sweep.js';

const seedsArg = process.argv.indexOf('--seeds');
const SEEDS = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 100;
const FIRST_SEED = 990_000;
const FACTORS: readonly number[] = [0.85, 0.7, 0.6, 1.3, 1.6];
const PHOTODIODE: readonly PhotodiodeTierName[] = ['typical', 'hard', 'flicker', 'slowlcd'];

/** One capture of `tier` whose light steps by `factor` at a moment drawn from the seed. */
function trial(tierName: PhotodiodeTierName, factor: number, seed: number): TrialOutcome {
  const rng = new Random(seed);
  const packet = encodePacket(randomPayload(rng));
  const channel = { ...TIERS[tierName](rng), repeat: 1 };
  // Where the transmission lies does not depend on the light: simulated once to find it.
  const tx = simulatePhotodiode(toLevels(packet), channel, seed).truth.transmissions[0]!;
  const share = 0.3 + 0.4 * new Random(seed + 1).next();
  const stepAtS = tx.startS + share * (tx.endS - tx.startS);
  const capture = simulatePhotodiode(toLevels(packet), { ...channel, stepGain: factor, stepAtS }, seed);
  return score(decodeSamples(capture.samples, { sampleRate: capture.sampleRate }).packets, packet);
}

console.log(['tier', ...FACTORS.map((f) => `× ${f}`)].join(' | '));
for (const name of PHOTODIODE) {
  let wrong = 0;
  const cells = FACTORS.map((factor) => {
    const summary = sweep(SEEDS, FIRST_SEED, (seed) => trial(name, factor, seed));
    wrong += summary.falsePackets;
    return `${summary.decoded}/${SEEDS}`;
  });
  console.log([name, ...cells].join(' | ') + (wrong > 0 ? `  (${wrong} WRONG PACKETS)` : ''));
}
