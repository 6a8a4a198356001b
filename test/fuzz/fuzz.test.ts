/**
 * The quick fuzz run (issue 6): every target at its quick size, seeded. `npm run fuzz` runs the
 * same targets with ≥ 10⁶ cases in all (scripts/fuzz.ts).
 */
import { describe, expect, it } from 'vitest';
import { runCases } from './runner.js';
import { FUZZ_TARGETS } from './targets.js';

const SEED = 20_240_606;

describe('fuzz (quick)', () => {
  it.each(FUZZ_TARGETS.map((t) => [t.name, t] as const))('%s', async (_, target) => {
    const run = await runCases(target, SEED, target.quickCases);
    expect(run.failures, `${run.failed} of ${run.cases} cases failed; rerun one with caseRandom(${SEED}, index)`).toEqual([]);
    // No single case may take long: a near-hang is a bug even when it ends.
    expect(run.slowestMs, `case ${run.slowestIndex} took ${run.slowestMs.toFixed(0)} ms`).toBeLessThan(5000);
  });
});
