import { describe, expect, it } from 'vitest';
import { crc16 } from '../../src/packet/crc16.js';
import { Random } from '../../src/util/random.js';
import { fromHex, GOLDEN_VECTORS } from './vectors.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('crc16 (the SDK 0.3.0 quirk: reflected table, MSB-first update)', () => {
  it.each([
    ['"123456789"', ascii('123456789'), 0x9540],
    ['02 07 00 (the clear packet)', Uint8Array.of(2, 7, 0), 0x1d41],
    ['empty', new Uint8Array(0), 0x0000],
    ['01', Uint8Array.of(1), 0xc0c1],
  ])('check value of %s', (_, bytes, expected) => {
    expect(crc16(bytes)).toBe(expected);
  });

  it('is none of the catalogued CRC-16s (ARC would give 0xBB3D for "123456789")', () => {
    expect(crc16(ascii('123456789'))).not.toBe(0xbb3d);
  });

  it('covers L and the entries of every golden packet, and is sent high byte first', () => {
    for (const v of GOLDEN_VECTORS) {
      const p = fromHex(v.packetHex);
      const n = p.length - 2;
      expect(crc16(p, 0, n), v.name).toBe((p[n]! << 8) | p[n + 1]!);
    }
  });

  it('honours start and end', () => {
    const bytes = ascii('xx123456789yy');
    expect(crc16(bytes, 2, 11)).toBe(0x9540);
  });

  it('detects every single-byte error anywhere in a packet', () => {
    for (const v of GOLDEN_VECTORS) {
      const p = fromHex(v.packetHex);
      const n = p.length - 2;
      const good = crc16(p, 0, n);
      for (let i = 0; i < n; i++) {
        const original = p[i]!;
        for (let d = 1; d < 256; d++) {
          p[i] = original ^ d;
          if (crc16(p, 0, n) === good) throw new Error(`${v.name}: byte ${i} ^ ${d} not detected`);
        }
        p[i] = original;
      }
    }
  });

  // A property of the format that receivers must plan for: the MSB-first update with a reflected
  // table confines the register to a 10-dimensional subspace, so the check has only 1024 values
  // and random corruption passes it about once in 1024 tries, not once in 65536.
  it('takes only 1024 distinct values (a 10-bit check in effect)', () => {
    const rng = new Random(2);
    const seen = new Set<number>();
    for (let i = 0; i < 50_000; i++) seen.add(crc16(rng.bytes(rng.int(1, 64))));
    expect(seen.size).toBe(1024);
  });
});
