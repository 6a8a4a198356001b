/**
 * Panels whose driver stages a big step over several refreshes (CHANNEL.md: "some drivers stage
 * a big step over ~3 refreshes"): the light shown climbs from black to white in equal steps, one
 * a refresh. How many captures decode, per number of steps and flashing rate, on the typical
 * channel with an OLED instead of its LCD. At one refresh per level (60 fps on 60 Hz) a white
 * after black is shown no brighter than a grey, so no receiver can tell them apart there; the
 * column shows that the decoder then reports nothing rather than a wrong packet.
 * The figures of the README's staged-panel table.
 *
 *   node --import tsx scripts/staged-study.ts [--seeds N] [--repeat R]   (defaults 100, 1)
 */
import { TIERS } from '../src/channel/index.js';
import { photodiodeTrial, sweep } from '../test/decoder/sweep.js';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const SEEDS = arg('--seeds', 100);
const REPEAT = arg('--repeat', 1);
const FIRST_SEED = 960_000;

const STEPS: readonly number[] = [1, 2, 3, 4];
const RATES: readonly number[] = [20, 30, 60];

console.log(`typical channel on an OLED (no PWM), 60 Hz, ${REPEAT === 1 ? 'sent once' : `sent ${REPEAT} times`}, ${SEEDS} seeds a cell`);
console.log(['steps', ...RATES.map((fps) => `${fps} fps`)].join(' | '));
for (const stagedRefreshes of STEPS) {
  const cells: string[] = [];
  let wrong = 0;
  for (const fps of RATES) {
    const summary = sweep(SEEDS, FIRST_SEED, (seed) =>
      photodiodeTrial((rng) => ({ ...TIERS.typical(rng), panel: 'oled', fps, refreshHz: 60, stagedRefreshes }), seed, { repeat: REPEAT }),
    );
    cells.push(`${summary.decoded}/${SEEDS}`);
    wrong += summary.falsePackets;
  }
  console.log([String(stagedRefreshes), ...cells].join(' | ') + (wrong > 0 ? `  (${wrong} WRONG PACKETS)` : ''));
}
