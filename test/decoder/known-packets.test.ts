/**
 * A packet with bits in doubt that lies a few bits from one decoded before is a corrupted copy of
 * it that the CRC (1024 values) let through: refused. One read cleanly is, only where its check
 * value is the very same (errors a multiple of 128 bits apart, which the CRC cannot see).
 */
import { describe, expect, it } from 'vitest';
import { simulatePhotodiode } from '../../src/channel/index.js';
import { decodeSamples } from '../../src/decoder/index.js';
import { differingBits, KnownPackets, NEAR_COPY, NEAR_COPY_BITS } from '../../src/decoder/known-packets.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import { BASIC, sameBytes } from './helpers.js';

describe('KnownPackets', () => {
  const a = Uint8Array.of(3, 0b1010_0000, 7, 9);
  it('measures the fewest differing bits to a remembered packet of the same length, 1 to NEAR_COPY_BITS', () => {
    const known = new KnownPackets();
    expect(known.nearCopy(a, true)).toBe(0); // nothing remembered
    known.remember(a);
    expect(known.nearCopy(a, true)).toBe(0); // the same packet again is no near copy
    expect(known.nearCopy(Uint8Array.of(3, 0b1010_0011, 7, 8), true)).toBe(3);
    expect(known.nearCopy(Uint8Array.of(3, 0b1010_0000, 7), true)).toBe(0); // another length
    const far = Uint8Array.of(0xfc, 0x5f, 0xf8, 0xf6); // every bit flipped: 32 > NEAR_COPY_BITS
    expect(NEAR_COPY_BITS).toBeLessThan(32);
    expect(known.nearCopy(far, true)).toBe(0);
  });

  it('judges a packet read cleanly only against packets with its very check value', () => {
    const known = new KnownPackets();
    known.remember(a);
    const sameCheck = Uint8Array.of(2, 0b1010_0000, 7, 9); // one bit off, last two bytes (the CRC) the same
    const otherCheck = Uint8Array.of(3, 0b1010_0001, 7, 8);
    expect(known.nearCopy(sameCheck, false)).toBe(1);
    expect(known.nearCopy(otherCheck, false)).toBe(0); // a genuine change moves the CRC too
    expect(known.nearCopy(otherCheck, true)).toBe(2);
  });

  it('remembers the last four packets only', () => {
    const known = new KnownPackets();
    // Eight bytes of each pattern: any two lie 32 bits or more apart.
    const fill = (b: number): Uint8Array => new Uint8Array(8).fill(b);
    for (const b of [0x00, 0xff, 0x0f, 0xf0, 0x33]) known.remember(fill(b));
    const oneOff = (b: number): Uint8Array => Uint8Array.from(fill(b), (v, i) => (i === 0 ? v ^ 1 : v));
    expect(known.nearCopy(oneOff(0x00), true)).toBe(0); // the first one is forgotten
    expect(known.nearCopy(oneOff(0x33), true)).toBe(1);
    expect(known.nearCopy(oneOff(0xff), true)).toBe(1);
  });
});

describe('a near copy in a capture', () => {
  // Two packets one bit apart in the password: their CRCs differ too, but in few bits.
  const first = encodePacket(BASIC);
  const second = encodePacket({ ...BASIC, password: 'correct horsd' });
  const quiet = { panel: 'oled' as const, noiseLsb: 0, flickerDepth: 0, driftPerS: 0, heldLevelProbability: 0, jitterUs: 0, samplerClockPpm: 0 };

  /** Two transmissions, one after the other: `first` read cleanly, then `second` with the bits where they differ made doubtful (if `doubt`). */
  function twoTransmissions(doubt: boolean): Float32Array {
    const one = simulatePhotodiode(toLevels(first), quiet, 1);
    const two = simulatePhotodiode(toLevels(second), quiet, 2);
    const samples = Float32Array.from(two.samples);
    if (doubt) {
      const { grey, white } = two.truth.nominalCodes;
      const mid = 0.5 * (grey + white);
      const starts = two.truth.transmissions[0]!.levelStartS;
      const times = two.truth.sampleTimesS;
      for (let bit = 0; bit < 8 * second.length; bit++) {
        const was = (first[bit >> 3]! >> (7 - (bit & 7))) & 1;
        const is = (second[bit >> 3]! >> (7 - (bit & 7))) & 1;
        if (was === is) continue;
        // The bit's bright frame (after 24 preamble bits and the magic byte: 64 frames), read a
        // third of the way from the threshold to its level: decided right, but in doubt.
        const frame = 65 + 2 * bit;
        const value = mid + 0.3 * ((is ? white : grey) - mid);
        for (let i = 0; i < times.length; i++) if (times[i]! >= starts[frame]! && times[i]! < starts[frame + 1]!) samples[i] = value;
      }
    }
    const out = new Float32Array(one.samples.length + samples.length);
    out.set(one.samples);
    out.set(samples, one.samples.length);
    return out;
  }

  it('refuses the second packet read with its differing bits in doubt (NEAR_COPY), and reports the first', () => {
    expect(differingBits(first, second)).toBeGreaterThan(1); // the CRC's bits differ too
    expect(differingBits(first, second)).toBeLessThanOrEqual(NEAR_COPY_BITS);
    const result = decodeSamples(twoTransmissions(true), { sampleRate: 1000, fullScale: 4095 });
    expect(result.packets.map((p) => sameBytes(p.bytes, first))).toEqual([true]);
    const refused = result.failures.filter((f) => f.code === NEAR_COPY);
    expect(refused).toHaveLength(1);
    expect(sameBytes(refused[0]!.bytes, second)).toBe(true);
    expect(refused[0]!.reason).toMatch(/^a copy read with bits in doubt differs from a packet decoded before in only \d+ bits: a corrupted copy of it/);
    expect(refused[0]!.quality.minConfidence).toBeLessThan(0.5);
  });

  it('reports both when the second is read cleanly: a different packet, not a corrupted copy', () => {
    const result = decodeSamples(twoTransmissions(false), { sampleRate: 1000, fullScale: 4095 });
    expect(result.packets.map((p) => [sameBytes(p.bytes, first), sameBytes(p.bytes, second)])).toEqual([[true, false], [false, true]]);
    expect(result.failures).toEqual([]);
  });
});
