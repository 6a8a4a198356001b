/**
 * A sensor with too much gain (a fixture's LED millimetres away, a phone pressed to the sensor):
 * the light drives it into its rail, and white clips down towards grey. How many captures decode
 * on the typical channel with its swing raised past full scale, per grey code (#bf stands at 0.52
 * of white in light, #9f at 0.35; with the tier's room light under them, #bf clips too from a
 * swing of 1.1–1.5, #9f from 1.4–2.1). Where grey clips as well, grey and white read alike and
 * no receiver can tell them apart: the column shows that the decoder then reports nothing rather
 * than a wrong packet. The figures of the README's saturation table.
 *
 *   node --import tsx scripts/saturation-study.ts [--seeds N]   (default 100)
 */
import { TIERS } from '../src/channel/index.js';
import { photodiodeTrial, sweep } from '../test/decoder/sweep.js';

const at = process.argv.indexOf('--seeds');
const SEEDS = at > 0 ? Number(process.argv[at + 1]) : 100;
const FIRST_SEED = 990_000;

const SWINGS: readonly number[] = [0.6, 0.8, 1, 1.2, 1.5, 2];
const GREYS: readonly number[] = [0xbf, 0x9f];

console.log(`typical channel (12-bit ADC, sensor rail at 0.95 of full scale), swing raised; ${SEEDS} seeds a cell`);
console.log(['swing', ...GREYS.map((g) => `grey #${g.toString(16)}`)].join(' | '));
for (const swing of SWINGS) {
  const cells: string[] = [];
  let wrong = 0;
  for (const greyCode of GREYS) {
    const summary = sweep(SEEDS, FIRST_SEED, (seed) => photodiodeTrial((rng) => ({ ...TIERS.typical(rng), swing, greyCode }), seed));
    cells.push(`${summary.decoded}/${SEEDS}`);
    wrong += summary.falsePackets;
  }
  console.log([String(swing), ...cells].join(' | ') + (wrong > 0 ? `  (${wrong} WRONG PACKETS)` : ''));
}
