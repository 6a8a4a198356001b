/** The conditioner's history ring under pieces that hold samples that are not numbers. */
import { describe, expect, it } from 'vitest';
import { BLOCK, Conditioner, HISTORY } from '../../src/decoder/condition.js';

describe('conditioner history', () => {
  it('keeps every sample from `oldest` on intact when pieces end in a NaN (the rejected fast pass writes ahead)', () => {
    const cond = new Conditioner(4, 1000, 0);
    let next = 0;
    // Enough pieces for the ring to wrap several times; kept samples are 0, 1, 2, … in order.
    for (let p = 0; p < (3 * HISTORY) / BLOCK; p++) {
      const piece = new Float64Array(BLOCK);
      for (let i = 0; i < BLOCK; i++) piece[i] = i === BLOCK - 1 - (p % 7) ? Number.NaN : next++;
      cond.process(piece, null, 0, BLOCK);
    }
    expect(cond.count).toBe(next);
    expect(cond.skipped).toBe((3 * HISTORY) / BLOCK);
    expect(cond.oldest).toBeGreaterThan(cond.count - HISTORY);
    for (let i = cond.oldest; i < cond.count; i++) {
      expect(cond.value(i)).toBe(i);
      // The boxcar of four consecutive integers ending at i.
      expect(cond.smoothed(i)).toBe(i - 1.5);
    }
  });
});
