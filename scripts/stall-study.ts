/**
 * A flashing app that stalls: how many captures decode, per channel tier, with no stall, one of
 * 100 ms, two of 200 ms and one of 400 ms per transmission (at levels drawn from the seed; the
 * simulator's `stalls`/`stallS`, `blinkup simulate --stall`). Photodiode tiers decode the
 * samples at the nominal rate; camera tiers the screen patch's linear light per frame, as in the
 * robustness bench. The figures of the README's stall table.
 *
 *   node --import tsx scripts/stall-study.ts [--seeds N]   (default 100; cameras 40)
 */
import { TIERS, type CameraTierName, type PhotodiodeTierName } from '../src/channel/index.js';
import { cameraTrial, photodiodeTrial } from '../test/decoder/sweep.js';

const seedsArg = process.argv.indexOf('--seeds');
const SEEDS = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 100;
const CAMERA_SEEDS = Math.ceil(SEEDS * 0.4);
const FIRST_SEED = 940_000;

/** Stalls per transmission and their length, s. */
const STALLS: readonly (readonly [number, number])[] = [
  [0, 0],
  [1, 0.1],
  [2, 0.2],
  [1, 0.4],
];
const PHOTODIODE: readonly PhotodiodeTierName[] = ['typical', 'hard', 'flicker', 'slowlcd', 'pwmwide'];
const CAMERA: readonly CameraTierName[] = ['cam240on60', 'cam120on60', 'cam60on30'];

const label = ([count, s]: readonly [number, number]): string => (count === 0 ? 'no stall' : `${count} × ${s * 1000} ms`);
console.log(['tier', ...STALLS.map(label)].join(' | '));
for (const name of [...PHOTODIODE, ...CAMERA]) {
  const camera = (CAMERA as readonly string[]).includes(name);
  const seeds = camera ? CAMERA_SEEDS : SEEDS;
  const cells: string[] = [];
  let wrong = 0;
  for (const [stalls, stallS] of STALLS) {
    const tier = TIERS[name];
    const stalled = (rng: Parameters<typeof tier>[0]) => ({ ...tier(rng), stalls, stallS });
    let decoded = 0;
    for (let seed = FIRST_SEED; seed < FIRST_SEED + seeds; seed++) {
      const outcome = camera ? cameraTrial(stalled, seed) : photodiodeTrial(stalled, seed);
      if (outcome.decoded) decoded++;
      wrong += outcome.falsePackets;
    }
    cells.push(`${decoded}/${seeds}`);
  }
  console.log([name, ...cells].join(' | ') + (wrong > 0 ? `  (${wrong} WRONG PACKETS)` : ''));
}
