/**
 * Lamps that flicker at the mains frequency itself — 50 or 60 Hz, from a half-wave LED driver —
 * rather than at twice it, as filament and fluorescent lamps and most LED drivers do (100/120 Hz,
 * which the flicker stage cancels). How many captures of a photodiode tier decode with such a lamp
 * as the room light, per depth of its flicker. The figures of the README's lamp table.
 *
 *   node --import tsx scripts/lamp-study.ts [--seeds N]   (default 100)
 */
import { TIERS, type PhotodiodeTierName } from '../src/channel/index.js';
import { photodiodeTrial, sweep } from '../test/decoder/sweep.js';

const seedsArg = process.argv.indexOf('--seeds');
const SEEDS = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 100;
const FIRST_SEED = 940_000;

const LAMPS_HZ: readonly number[] = [50, 60];
const DEPTHS: readonly number[] = [0.02, 0.05, 0.1, 0.2, 0.3];
const TIER_NAMES: readonly PhotodiodeTierName[] = ['typical', 'hard', 'slowlcd'];

console.log(['tier', 'lamp', ...DEPTHS.map((d) => `${Math.round(100 * d)} % deep`)].join(' | '));
for (const name of TIER_NAMES) {
  for (const flickerHz of LAMPS_HZ) {
    const cells: string[] = [];
    let wrong = 0;
    for (const flickerDepth of DEPTHS) {
      const tier = TIERS[name];
      const summary = sweep(SEEDS, FIRST_SEED, (seed) => photodiodeTrial((rng) => ({ ...tier(rng), flickerHz, flickerDepth }), seed));
      cells.push(`${summary.decoded}/${SEEDS}`);
      wrong += summary.falsePackets;
    }
    console.log([name, `${flickerHz} Hz`, ...cells].join(' | ') + (wrong > 0 ? `  (${wrong} WRONG PACKETS)` : ''));
  }
}
