/**
 * False accepts, scaled down (issue 6): 10⁶ samples of noise and 300 random level sequences
 * through the channel simulator, repair and combining on — not one packet may come out.
 * `npm run bench:false-accepts` runs the full measurement (10⁷ samples, 10⁵ sequences).
 */
import { describe, expect, it } from 'vitest';
import { measureFalseAccepts, NOISE_KINDS, SEQUENCE_KINDS } from './false-accepts.js';

describe('false accepts', () => {
  it('none from 10⁶ samples of noise and 300 random level sequences', () => {
    const r = measureFalseAccepts({ noiseSamples: 1_000_000, sequences: 300, seed: 606 });
    for (const kind of NOISE_KINDS) expect(r.noise[kind].inputs, kind).toBeGreaterThan(0);
    for (const kind of SEQUENCE_KINDS) expect(r.sequences[kind].inputs, kind).toBeGreaterThan(0);
    for (const kind of SEQUENCE_KINDS) expect(r.cameraSequences[kind].inputs, `filmed ${kind}`).toBeGreaterThan(0);
    // The checks were put to the test: the preamble kinds made the decoder frame packets.
    expect(r.sequences['preamble-random-bits'].framed + r.sequences['preamble-wrong-crc'].framed).toBeGreaterThan(100);
    expect(r.falseAccepts, JSON.stringify(r)).toBe(0);
  });
});
