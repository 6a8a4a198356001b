/** Joining the pulse path's and the frame-sequence stage's failed copies of one transmission. */
import { describe, expect, it } from 'vitest';
import { OtherOpinion } from '../../src/decoder/other-opinion.js';
import { checkPacket, hardBytes, DEFAULT_REPAIR } from '../../src/decoder/repair.js';
import { encodePacket } from '../../src/packet/index.js';
import { BASIC } from './helpers.js';

const packet = encodePacket(BASIC);
const nbits = packet.length * 8;

/** A copy of the packet at confidence `sure`, with `wrong` bits flipped at confidence `doubt` (both fail alone). */
function copy(wrong: number[], sure = 1.2, doubt = 0.3): Float32Array {
  const soft = new Float32Array(nbits);
  for (let i = 0; i < nbits; i++) soft[i] = ((packet[i >> 3]! >> (7 - (i & 7))) & 1 ? 1 : -1) * sure;
  for (const bit of wrong) soft[bit] = -Math.sign(soft[bit]!) * doubt;
  return soft;
}

describe('other opinion', () => {
  const span = { startS: 1, endS: 9 };

  it('joins two failed copies whose errors fall on different bits', () => {
    const pulses = copy([40, 41, 300]);
    const stage = copy([90, 200]);
    expect(checkPacket(hardBytes(pulses, nbits)).ok).toBe(false);
    expect(checkPacket(hardBytes(stage, nbits)).ok).toBe(false);
    const opinion = new OtherOpinion();
    expect(opinion.join(pulses, nbits, span, false, DEFAULT_REPAIR)).toBeNull();
    const joined = opinion.join(stage, nbits, { startS: 2, endS: 10 }, true, DEFAULT_REPAIR);
    expect(joined && Array.from(joined.bytes)).toEqual(Array.from(packet));
  });

  it('never joins two copies of one path, of other lengths or of other transmissions', () => {
    const a = copy([40, 41, 300]);
    const b = copy([90, 200]);
    const samePath = new OtherOpinion();
    samePath.join(a, nbits, span, false, DEFAULT_REPAIR);
    expect(samePath.join(b, nbits, span, false, DEFAULT_REPAIR)).toBeNull();
    const otherLength = new OtherOpinion();
    otherLength.join(a, nbits - 8, span, false, DEFAULT_REPAIR);
    expect(otherLength.join(b, nbits, span, true, DEFAULT_REPAIR)).toBeNull();
    const later = new OtherOpinion();
    later.join(a, nbits, span, false, DEFAULT_REPAIR);
    expect(later.join(b, nbits, { startS: 20, endS: 28 }, true, DEFAULT_REPAIR)).toBeNull();
    const forgotten = new OtherOpinion();
    forgotten.join(a, nbits, span, false, DEFAULT_REPAIR);
    forgotten.reset();
    expect(forgotten.join(b, nbits, span, true, DEFAULT_REPAIR)).toBeNull();
  });
});
