/**
 * A small seeded sweep of the channel tiers (bench/robustness.ts runs the full ≥ 200 trials per
 * tier; these fixed seeds guard against regressions in a few seconds).
 */
import { describe, expect, it } from 'vitest';
import { TIERS } from '../../src/channel/index.js';
import { photodiodeSweep, photodiodeTrial, sweep } from './sweep.js';

describe('robustness sweep (seeded)', () => {
  it('typical tier: every one of 24 trials decodes', () => {
    const s = photodiodeSweep('typical', 24, 500);
    expect(s.failedSeeds).toEqual([]);
    expect(s.falsePackets).toBe(0);
  });

  it('hard tier: at least 18 of 24 trials decode (a regression guard; the full sweep is the measure)', () => {
    const s = photodiodeSweep('hard', 24, 600);
    expect(s.decoded).toBeGreaterThanOrEqual(18);
    expect(s.falsePackets).toBe(0);
  });

  it('a panel stepping its light over three refreshes, 30 fps: at least 17 of 24 decode (14 before whites after a held white were clipped)', () => {
    // The white after a held white rises from a valley that never got dark and reads up to twice
    // the grey/white gap above the others; the level tracker now moves white only so far for it.
    const staged = sweep(24, 1200, (seed) => photodiodeTrial((rng) => ({ ...TIERS.typical(rng), panel: 'oled', fps: 30, refreshHz: 60, stagedRefreshes: 3 }), seed));
    expect(staged.decoded).toBeGreaterThanOrEqual(17);
    expect(staged.falsePackets).toBe(0);
  });

  it('a panel stepping its light over four refreshes, 20 fps: at least 21 of 24 decode (16 while a run of whites after held ones passed for a step of the light)', () => {
    // The whites after a held white rise from a raised valley; shown to the light-step watch, a
    // run of them fitted one factor with the ordinary whites as the new greys.
    const staged = sweep(24, 1300, (seed) => photodiodeTrial((rng) => ({ ...TIERS.typical(rng), panel: 'oled', fps: 20, refreshHz: 60, stagedRefreshes: 4 }), seed));
    expect(staged.decoded).toBeGreaterThanOrEqual(21);
    expect(staged.falsePackets).toBe(0);
  });

  it('swing 0.05: at least half decode from one transmission, and more from three', () => {
    const single = photodiodeSweep('swing005', 16, 700);
    const three = photodiodeSweep('swing005', 16, 700, { repeat: 3 });
    expect(single.rate).toBeGreaterThanOrEqual(0.5);
    expect(three.decoded).toBeGreaterThanOrEqual(single.decoded);
    expect(single.falsePackets + three.falsePackets).toBe(0);
  });
});
