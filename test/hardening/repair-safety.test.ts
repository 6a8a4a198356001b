/**
 * The repair and the combiner against false accepts (issue 6). The CRC of SDK 0.3.0 takes only
 * 1024 values, so any search over bit flips is a lottery whenever the real error lies outside it.
 * Measured on simulated weak channels, the original search (pairs among the ten least confident
 * bits, 55 trials) accepted more wrong packets than it repaired; these tests pin the rules that
 * replaced it: search only when at most two bits are in doubt and all others are sure, and never
 * add a copy to the sum of another packet of the same length.
 */
import { describe, expect, it } from 'vitest';
import { RepetitionCombiner } from '../../src/decoder/combine.js';
import { DEFAULT_REPAIR, hardBytes, repairPacket } from '../../src/decoder/repair.js';
import { encodePacket, isBlinkUpError, parsePacket } from '../../src/packet/index.js';
import { Random } from '../../src/util/random.js';
import { randomPayload } from '../fuzz/hostile-streams.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Soft bits of `packet` as a clean reception: ±1 with a little noise. */
function received(packet: Uint8Array, rng: Random, noise = 0.1): Float32Array {
  const soft = new Float32Array(packet.length * 8);
  for (let i = 0; i < soft.length; i++) {
    const bit = (packet[i >> 3]! >> (7 - (i & 7))) & 1;
    soft[i] = (bit ? 1 : -1) * Math.min(2, Math.max(0.6, 1 + noise * rng.normal()));
  }
  return soft;
}

const accepts = (bytes: Uint8Array): boolean => {
  try {
    parsePacket(bytes);
    return true;
  } catch (err) {
    if (!isBlinkUpError(err)) throw err;
    return false;
  }
};

describe('repair', () => {
  const rng = new Random(0x5afe);
  const packet = encodePacket(randomPayload(new Random(3)).kind === 'clear' ? randomPayload(new Random(4)) : randomPayload(new Random(3)));

  it('flips the one or two bits in doubt when every other bit is sure', () => {
    for (const wrong of [[40], [40, 97]]) {
      const soft = received(packet, rng);
      for (const i of wrong) soft[i] = -Math.sign(soft[i]!) * 0.1; // in doubt, and on the wrong side
      const fixed = repairPacket(soft, soft.length, DEFAULT_REPAIR);
      expect(fixed && hex(fixed.bytes)).toBe(hex(packet));
      expect(fixed!.flips).toBe(wrong.length);
    }
  });

  it('makes no search when a bit is unsure but not in doubt, or when three are in doubt', () => {
    const unsure = received(packet, rng);
    unsure[40] = -Math.sign(unsure[40]!) * 0.1;
    unsure[90] = Math.sign(unsure[90]!) * 0.4; // right, but not sure: the error could be anywhere
    expect(repairPacket(unsure, unsure.length, DEFAULT_REPAIR)).toBeNull();
    const three = received(packet, rng);
    for (const i of [40, 97, 150]) three[i] = -Math.sign(three[i]!) * 0.1;
    expect(repairPacket(three, three.length, DEFAULT_REPAIR)).toBeNull();
  });

  it('costs at most a few times the CRC’s own floor when the real error is outside the search', () => {
    // A confident error (the search cannot see it) and up to two bits in doubt: every combination
    // tried is a 1-in-1024 lottery ticket. The CRC alone has the same floor for two confident errors.
    const trials = 20_000;
    let repairedWrong = 0;
    let crcWrong = 0;
    const r = new Random(77);
    for (let t = 0; t < trials; t++) {
      const sent = encodePacket(randomPayload(r));
      const soft = received(sent, r);
      const n = soft.length;
      const confident = r.int(8, n - 1);
      soft[confident] = -soft[confident]!;
      for (let d = r.int(0, 2); d > 0; d--) soft[r.int(8, n - 1)] = r.uniform(-0.2, 0.2);
      const fixed = repairPacket(soft, n, DEFAULT_REPAIR);
      if (fixed && hex(fixed.bytes) !== hex(sent)) repairedWrong++;
      // The floor: two confident errors and no repair at all.
      const two = hardBytes(soft, n);
      const other = r.int(8, n - 1);
      two[other >> 3]! ^= 0x80 >> (other & 7);
      if (other !== confident && accepts(two)) crcWrong++;
    }
    expect(repairedWrong / trials).toBeLessThan(3 / 1024);
    expect(repairedWrong).toBeLessThan(3 * Math.max(crcWrong, 10));
  });
});

describe('repetition combining', () => {
  const rng = new Random(9);
  // Two packets of the same length: one token after another, as a factory sends them.
  const a = encodePacket({ ssid: 'Line', password: 'factory-pass', planId: '0123456789abcdef', token: '1111111111111111' });
  const b = encodePacket({ ssid: 'Line', password: 'factory-pass', planId: '0123456789abcdef', token: '2222222222222222' });

  it('adds copies of the same packet', () => {
    const c = new RepetitionCombiner();
    expect(c.add(a[0]!, received(a, rng, 0.4), a.length * 8).copies).toBe(1);
    expect(c.add(a[0]!, received(a, rng, 0.4), a.length * 8).copies).toBe(2);
  });

  it('starts afresh on another packet of the same length instead of summing the two', () => {
    const c = new RepetitionCombiner();
    c.add(a[0]!, received(a, rng), a.length * 8);
    const { sum, copies } = c.add(b[0]!, received(b, rng), b.length * 8);
    expect(copies).toBe(1);
    expect(hex(hardBytes(sum, b.length * 8))).toBe(hex(b));
  });
});
