/**
 * Robustness sweep: the decode success rate per channel tier of the project's own simulator
 * (src/channel/tiers.ts, the "Done when" conditions of issues 3 and 4). Every trial encodes a
 * random Wi-Fi payload, simulates one capture under that tier's random conditions, decodes it,
 * and counts it decoded only if the exact packet came out. Seeded: a run is reproducible.
 *
 *   node --import tsx bench/robustness.ts [--trials N] [--tier NAME]
 *
 * Prints a table and one JSON line (for the README and for machines).
 */
import { TIER_INFO } from '../src/channel/index.js';
import { photodiodeSweep, type PhotodiodeTrialOptions, type SweepSummary } from '../test/decoder/sweep.js';

interface Row {
  readonly name: string;
  readonly tier: 'typical' | 'hard' | 'swing005';
  readonly target: number;
  readonly options: PhotodiodeTrialOptions;
  /** First seed; every row of a tier uses the same seeds, so the rows compare like for like. */
  readonly seed: number;
}

const ROWS: Row[] = [
  { name: 'typical', tier: 'typical', target: TIER_INFO.typical.target, options: {}, seed: 100_000 },
  { name: 'hard', tier: 'hard', target: TIER_INFO.hard.target, options: {}, seed: 200_000 },
  { name: 'swing005', tier: 'swing005', target: TIER_INFO.swing005.target, options: {}, seed: 300_000 },
  { name: 'swing005 ×3, combining', tier: 'swing005', target: TIER_INFO.swing005.target, options: { repeat: 3 }, seed: 300_000 },
  { name: 'swing005 ×3, no combining', tier: 'swing005', target: TIER_INFO.swing005.target, options: { repeat: 3, decoder: { combine: false } }, seed: 300_000 },
];

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
  const summary = photodiodeSweep(row.tier, n, row.seed, row.options);
  results.push({ row, summary, seconds: (performance.now() - t0) / 1000 });
  const pct = (100 * summary.rate).toFixed(1);
  console.error(`  ${row.name}: ${summary.decoded}/${summary.trials} (${pct} %)`);
}

const pad = (s: string, n: number): string => s.padEnd(n);
console.log(`${pad('tier', 28)}${pad('trials', 8)}${pad('decoded', 9)}${pad('rate', 9)}${pad('target', 8)}${pad('false', 7)}${pad('repaired', 10)}combined`);
for (const { row, summary } of results) {
  console.log(
    pad(row.name, 28) +
      pad(String(summary.trials), 8) +
      pad(String(summary.decoded), 9) +
      pad(`${(100 * summary.rate).toFixed(1)} %`, 9) +
      pad(`${(100 * row.target).toFixed(1)} %`, 8) +
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
          target: row.target,
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
