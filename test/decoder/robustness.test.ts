/**
 * A small seeded sweep of the channel tiers (bench/robustness.ts runs the full ≥ 200 trials per
 * tier; these fixed seeds guard against regressions in a few seconds).
 */
import { describe, expect, it } from 'vitest';
import { photodiodeSweep } from './sweep.js';

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

  it('swing 0.05: at least half decode from one transmission, and more from three', () => {
    const single = photodiodeSweep('swing005', 16, 700);
    const three = photodiodeSweep('swing005', 16, 700, { repeat: 3 });
    expect(single.rate).toBeGreaterThanOrEqual(0.5);
    expect(three.decoded).toBeGreaterThanOrEqual(single.decoded);
    expect(single.falsePackets + three.falsePackets).toBe(0);
  });
});
