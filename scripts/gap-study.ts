/**
 * A logger that loses samples: how many captures decode, per photodiode tier, when the sampler
 * stalls now and then for tens of milliseconds (the simulator's `gapRatePerS`/`gapMs`, `blinkup
 * simulate --gaps`) and its timestamps show the holes. A hole longer than a frame can swallow a
 * pulse; the decoder erases the bits it swallowed (see Framer.fillHole) and leaves them to the
 * repair and to repetition combining. The figures of the README's gap table.
 *
 *   node --import tsx scripts/gap-study.ts [--seeds N]   (default 100)
 */
import { TIERS, type PhotodiodeTierName } from '../src/channel/index.js';
import { photodiodeTrial } from '../test/decoder/sweep.js';

const seedsArg = process.argv.indexOf('--seeds');
const SEEDS = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 100;
const FIRST_SEED = 960_000;

/** Holes a second, their mean length (ms; each drawn from half to one and a half of it), and transmissions sent. */
const CONDITIONS: readonly { readonly rate: number; readonly ms: number; readonly repeat: number }[] = [
  { rate: 0, ms: 0, repeat: 1 },
  { rate: 0.1, ms: 30, repeat: 1 },
  { rate: 0.1, ms: 60, repeat: 1 },
  { rate: 0.3, ms: 20, repeat: 1 },
  { rate: 0.3, ms: 20, repeat: 3 },
];
const TIER_NAMES: readonly PhotodiodeTierName[] = ['typical', 'hard', 'flicker', 'slowlcd', 'pwmwide'];

const label = (c: (typeof CONDITIONS)[number]): string =>
  c.rate === 0 ? 'no gaps' : `${c.rate}/s × ${c.ms} ms${c.repeat > 1 ? `, sent ${c.repeat}×` : ''}`;
console.log(['tier', ...CONDITIONS.map(label)].join(' | '));
for (const name of TIER_NAMES) {
  const cells: string[] = [];
  let wrong = 0;
  for (const c of CONDITIONS) {
    const tier = TIERS[name];
    const gapped = (rng: Parameters<typeof tier>[0]) => ({ ...tier(rng), gapRatePerS: c.rate, gapMs: c.ms });
    let decoded = 0;
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
      const outcome = photodiodeTrial(gapped, seed, { timestamps: true, repeat: c.repeat });
      if (outcome.decoded) decoded++;
      wrong += outcome.falsePackets;
    }
    cells.push(`${decoded}/${SEEDS}`);
  }
  console.log([name, ...cells].join(' | ') + (wrong > 0 ? `  (${wrong} WRONG PACKETS)` : ''));
}
