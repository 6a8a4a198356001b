/**
 * Light that drifts: how many captures decode, per tier, when the screen's light (a photodiode)
 * or the camera's auto-exposure (a camera) wanders by up to this fraction a second — auto-
 * brightness, a hand moving, a camera hunting for exposure. The simulator's drift is a random
 * walk of slopes (see src/channel/drift.ts; `blinkup simulate --drift`). The figures of the
 * README's drift table.
 *
 *   node --import tsx scripts/drift-study.ts [--seeds N]   (default 100; cameras get 40 % of it)
 */
import { TIERS, type CameraTierName, type PhotodiodeTierName } from '../src/channel/index.js';
import { cameraTrial, photodiodeTrial, sweep, type TrialOutcome } from '../test/decoder/sweep.js';

const seedsArg = process.argv.indexOf('--seeds');
const SEEDS = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 100;
const CAMERA_SEEDS = Math.max(1, Math.round(0.4 * SEEDS));
const FIRST_SEED = 980_000;

/** Drift, fraction a second (0: the tier's own, ≤ 3 %). */
const DRIFT: readonly number[] = [0, 0.1, 0.2, 0.3, 0.5];
const PHOTODIODE: readonly PhotodiodeTierName[] = ['typical', 'hard', 'flicker', 'slowlcd'];
const CAMERA: readonly CameraTierName[] = ['cam240on60', 'cam120on60'];

function row(name: string, seeds: number, trial: (drift: number, seed: number) => TrialOutcome): void {
  const cells: string[] = [];
  let wrong = 0;
  for (const drift of DRIFT) {
    const summary = sweep(seeds, FIRST_SEED, (seed) => trial(drift, seed));
    cells.push(`${summary.decoded}/${seeds}`);
    wrong += summary.falsePackets;
  }
  console.log([name, ...cells].join(' | ') + (wrong > 0 ? `  (${wrong} WRONG PACKETS)` : ''));
}

console.log(['tier', ...DRIFT.map((d) => (d === 0 ? "tier's own" : `${d * 100} %/s`))].join(' | '));
for (const name of PHOTODIODE) {
  const tier = TIERS[name];
  row(name, SEEDS, (drift, seed) =>
    photodiodeTrial((rng) => (drift === 0 ? tier(rng) : { ...tier(rng), driftPerS: drift }), seed),
  );
}
for (const name of CAMERA) {
  const tier = TIERS[name];
  row(name, CAMERA_SEEDS, (drift, seed) =>
    cameraTrial((rng) => (drift === 0 ? tier(rng) : { ...tier(rng), aeDriftPerS: drift }), seed),
  );
}
