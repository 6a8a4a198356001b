/**
 * Noisy light: how many captures decode, per photodiode tier (all on a 12-bit ADC), when the
 * samples carry more noise than an ADC's own LSB — a phototransistor on long leads, a logger's
 * noisy supply. The noise is rms in LSB of 4095 (30 ≈ 0.7 % of full scale, 150 ≈ 3.7 %). The
 * figures of the README's noise table. `--repeat 3` sends each packet three times (apps repeat the
 * flash): a capture decodes if any copy, or their combination, gives the packet.
 *
 *   node --import tsx scripts/noise-study.ts [--seeds N] [--repeat N]   (default 100, 1)
 */
import { TIERS, type PhotodiodeTierName } from '../src/channel/index.js';
import { photodiodeTrial, sweep } from '../test/decoder/sweep.js';

const seedsArg = process.argv.indexOf('--seeds');
const SEEDS = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 100;
const repeatArg = process.argv.indexOf('--repeat');
const REPEAT = repeatArg > 0 ? Number(process.argv[repeatArg + 1]) : 1;
const FIRST_SEED = 970_000;

/** Noise, LSB rms (0: the tier's own, 1 LSB). */
const NOISE: readonly number[] = [0, 30, 60, 100, 150];
const TIER_NAMES: readonly PhotodiodeTierName[] = ['typical', 'flicker', 'slowlcd', 'pwmwide'];

console.log(['tier', ...NOISE.map((n) => (n === 0 ? 'tier noise' : `${n} LSB`))].join(' | '));
for (const name of TIER_NAMES) {
  const cells: string[] = [];
  let wrong = 0;
  for (const noiseLsb of NOISE) {
    const tier = TIERS[name];
    const noisy = (rng: Parameters<typeof tier>[0]) => (noiseLsb === 0 ? tier(rng) : { ...tier(rng), noiseLsb });
    const summary = sweep(SEEDS, FIRST_SEED, (seed) => photodiodeTrial(noisy, seed, { repeat: REPEAT }));
    cells.push(`${summary.decoded}/${SEEDS}`);
    wrong += summary.falsePackets;
  }
  console.log([name, ...cells].join(' | ') + (wrong > 0 ? `  (${wrong} WRONG PACKETS)` : ''));
}
