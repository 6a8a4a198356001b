/**
 * parsePacket on hostile bytes (seeded): it may only ever throw a BlinkUpError, and damage the
 * CRC is guaranteed to catch (any one byte) must never come out as a packet. Wider damage can
 * slip through: the SDK's CRC has only 1024 values (see crc16.test.ts), so the rate is measured.
 */
import { describe, expect, it } from 'vitest';
import { encodePacket, isBlinkUpError, parsePacket, type Payload } from '../../src/packet/index.js';
import { Random } from '../../src/util/random.js';
import { withValidFrame } from './framing.js';
import { fromHex, GOLDEN_VECTORS } from './vectors.js';

/** Parses, and fails the test on anything but success or a BlinkUpError. */
function tryParse(bytes: Uint8Array): Payload | undefined {
  try {
    return parsePacket(bytes);
  } catch (err) {
    if (!isBlinkUpError(err)) throw new Error(`parsePacket threw ${String(err)} for ${Array.from(bytes).join(',')}`);
    return undefined;
  }
}

const rng = new Random(0xb11c);
const packets = GOLDEN_VECTORS.map((v) => fromHex(v.packetHex));

describe('parsePacket fuzz', () => {
  it('random bytes: only typed errors', () => {
    for (let i = 0; i < 20_000; i++) tryParse(rng.bytes(rng.int(0, 300)));
  });

  it('random entry areas with a valid L and CRC: typed errors, or a payload that re-encodes to an equal payload', () => {
    const types = [1, 5, 6, 7, 11, 13];
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      // Plausible structure: a few entries of known types with random lengths and data.
      const parts: number[] = [];
      for (let e = rng.int(0, 5); e > 0; e--) {
        const n = rng.chance(0.5) ? rng.pick([0, 4, 8, 16, 20]) : rng.int(0, 40);
        parts.push(rng.chance(0.9) ? rng.pick(types) : rng.int(0, 255), n, ...rng.bytes(n));
      }
      const body = Uint8Array.from(parts.slice(0, 255));
      const parsed = tryParse(withValidFrame(body));
      if (parsed !== undefined) {
        accepted++;
        expect(parsePacket(encodePacket(parsed))).toEqual(parsed);
      }
    }
    expect(accepted).toBeGreaterThan(0); // the generator does reach the accepting paths
  });

  it('every single-byte error, insertion, deletion and truncation is refused', () => {
    for (const packet of packets) {
      for (let i = 0; i < packet.length; i++) {
        const damaged = packet.slice();
        for (let d = 1; d < 256; d++) {
          damaged[i] = packet[i]! ^ d;
          if (tryParse(damaged) !== undefined) throw new Error(`byte ${i} ^ ${d} was accepted`);
        }
        const deleted = Uint8Array.of(...packet.subarray(0, i), ...packet.subarray(i + 1));
        const inserted = Uint8Array.of(...packet.subarray(0, i), rng.int(0, 255), ...packet.subarray(i));
        expect(tryParse(deleted)).toBeUndefined();
        expect(tryParse(inserted)).toBeUndefined();
        expect(tryParse(packet.subarray(0, i))).toBeUndefined();
      }
    }
  });

  it('random multi-byte damage: typed errors, and false accepts no more often than a 10-bit check allows', () => {
    const trials = 40_000;
    let falseAccepts = 0;
    for (let i = 0; i < trials; i++) {
      const packet = rng.pick(packets);
      const damaged = packet.slice();
      for (let k = rng.int(2, 6); k > 0; k--) damaged[rng.int(1, packet.length - 1)]! ^= rng.int(1, 255);
      if (tryParse(damaged) !== undefined && damaged.some((b, j) => b !== packet[j])) falseAccepts++;
    }
    // The CRC has 1024 values (see crc16.test.ts); structure checks reject most of the rest.
    expect(falseAccepts / trials).toBeLessThan(1 / 1024);
  });
});
