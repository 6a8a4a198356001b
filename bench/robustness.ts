/**
 * Robustness sweep: the decode success rate per channel tier of the project's own simulator
 * (src/channel/tiers.ts, the "Done when" conditions of issues 3 and 4). Every trial encodes a
 * random Wi-Fi payload, simulates one capture under that tier's random conditions — a photodiode
 * capture, or the screen patch's brightness per camera frame (turned back into linear light, as
 * region brightness does) — decodes it, and counts it decoded only if the exact packet came out.
 * Seeded: a run is reproducible.
 *
 *   node --import tsx bench/robustness.ts [--trials N] [--tier NAME]
 *
 * Prints a table and one JSON line (for the README and for machines).
 */
import { PHOTODIODE_TIER_NAMES, TIER_INFO, type CameraTierName, type PhotodiodeTierName } from '../src/channel/index.js';
import { cameraSweep, photodiodeSweep, type CameraTrialOptions, type PhotodiodeTrialOptions, type SweepSummary } from '../test/decoder/sweep.js';


interface Row {
  readonly name: string;
  readonly tier: PhotodiodeTierName | CameraTierName;
  readonly options?: PhotodiodeTrialOptions;
  readonly camera?: CameraTrialOptions;
  /** First seed; every row of a tier uses the same seeds, so the rows compare like for like. */
  readonly seed: number;
}

const ROWS: Row[] = [
  { name: 'typical', tier: 'typical', seed: 100_000 },
  { name: 'hard', tier: 'hard', seed: 200_000 },
  { name: 'swing005', tier: 'swing005', seed: 300_000 },
  { name: 'swing005 ×3, combining', tier: 'swing005', options: { repeat: 3 }, seed: 300_000 },
  { name: 'swing005 ×3, no combining', tier: 'swing005', options: { repeat: 3, decoder: { combine: false } }, seed: 300_000 },
  // Beyond the issues: the edges of CHANNEL.md's ranges, one at a time.
  { name: 'flicker', tier: 'flicker', seed: 800_000 },
  { name: 'pwmwide', tier: 'pwmwide', seed: 810_000 },
  { name: 'slowlcd', tier: 'slowlcd', seed: 820_000 },
  { name: 'cam240on60', tier: 'cam240on60', seed: 400_000 },
  { name: 'cam120on60', tier: 'cam120on60', seed: 500_000 },
  { name: 'cam60on30', tier: 'cam60on30', seed: 600_000 },
  { name: 'cam60on60', tier: 'cam60on60', seed: 700_000 },
  // Beyond the issues: a camera that drops 2 % of its frames, as a phone under load does.
  { name: 'cam120on60, 2 % dropped, ts', tier: 'cam120on60', camera: { drops: { rate: 0.02, as: 'timestamps' } }, seed: 500_000 },
  { name: 'cam120on60, 2 % dropped, rep', tier: 'cam120on60', camera: { drops: { rate: 0.02, as: 'repeats' } }, seed: 500_000 },
  { name: 'cam60on30, 2 % dropped, rep', tier: 'cam60on30', camera: { drops: { rate: 0.02, as: 'repeats' } }, seed: 600_000 },
];

function sweep(row: Row, trials: number): SweepSummary {
  const tier = row.tier;
  if (isPhotodiodeTier(tier)) return photodiodeSweep(tier, trials, row.seed, row.options);
  return cameraSweep(tier, trials, row.seed, row.camera);
}

function isPhotodiodeTier(tier: PhotodiodeTierName | CameraTierName): tier is PhotodiodeTierName {
  return (PHOTODIODE_TIER_NAMES as readonly string[]).includes(tier);
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const trialsArg = argument('--trials');
const tierArg = argument('--tier');
const trials = trialsArg === undefined ? undefined : Number(trialsArg);
if (trials !== undefined && !(Number.isInteger(trials) && trials > 0)) {
  console.error('--trials must be a positive integer');
  process.exit(2);
}

const results: { row: Row; summary: SweepSummary; seconds: number }[] = [];
for (const row of ROWS) {
  if (tierArg !== undefined && !row.name.startsWith(tierArg)) continue;
  const n = trials ?? TIER_INFO[row.tier].trials;
  const t0 = performance.now();
  const summary = sweep(row, n);
  results.push({ row, summary, seconds: (performance.now() - t0) / 1000 });
  const pct = (100 * summary.rate).toFixed(1);
  console.error(`  ${row.name}: ${summary.decoded}/${summary.trials} (${pct} %)`);
}

const pad = (s: string, n: number): string => s.padEnd(n);
console.log(`${pad('tier', 32)}${pad('trials', 8)}${pad('decoded', 9)}${pad('rate', 9)}${pad('target', 8)}${pad('false', 7)}${pad('repaired', 10)}combined`);
for (const { row, summary } of results) {
  console.log(
    pad(row.name, 32) +
      pad(String(summary.trials), 8) +
      pad(String(summary.decoded), 9) +
      pad(`${(100 * summary.rate).toFixed(1)} %`, 9) +
      pad(`${(100 * TIER_INFO[row.tier].target).toFixed(1)} %`, 8) +
      pad(String(summary.falsePackets), 7) +
      pad(String(summary.repaired), 10) +
      String(summary.combined),
  );
}
console.log(
  JSON.stringify({
    bench: 'robustness',
    tiers: Object.fromEntries(
      results.map(({ row, summary, seconds }) => [
        row.name,
        {
          trials: summary.trials,
          decoded: summary.decoded,
          rate: summary.rate,
          target: TIER_INFO[row.tier].target,
          falsePackets: summary.falsePackets,
          repaired: summary.repaired,
          combined: summary.combined,
          seconds: Math.round(seconds * 10) / 10,
          failedSeeds: summary.failedSeeds.slice(0, 20),
        },
      ]),
    ),
  }),
);
