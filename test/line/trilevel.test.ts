import { describe, expect, it } from 'vitest';
import { bitsToBytes, frameCount, Level, levelsToBits, levelsToPacket, PREAMBLE, toLevels, TRAILER_FRAMES } from '../../src/line/index.js';
import { ErrorCode } from '../../src/packet/index.js';
import { fromHex, GOLDEN_VECTORS } from '../packet/vectors.js';

const basic = fromHex(GOLDEN_VECTORS[0]!.packetHex);

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('toLevels', () => {
  const levels = toLevels(basic);

  it('has 64 + 16·n + 6 frames (854 for the 49-byte basic packet)', () => {
    expect(frameCount(49)).toBe(854);
    expect(levels.length).toBe(854);
  });

  it('starts with 24 black/grey pairs, then the magic byte 0x2A', () => {
    expect(Array.from(levels.subarray(0, 48))).toEqual(new Array(24).fill([0, 1]).flat());
    expect(Array.from(levels.subarray(48, 64))).toEqual([0, 1, 0, 1, 0, 2, 0, 1, 0, 2, 0, 1, 0, 2, 0, 1]);
  });

  it('puts a black frame before every bright one, MSB first', () => {
    const body = levels.subarray(0, levels.length - TRAILER_FRAMES);
    for (let i = 0; i < body.length; i += 2) {
      expect(body[i]).toBe(Level.BLACK);
      expect([Level.GREY, Level.WHITE]).toContain(body[i + 1]);
    }
    // The first packet byte is L = 0x2e = 0010 1110.
    const first = Array.from(body.subarray(64, 80)).filter((_, i) => i % 2 === 1);
    expect(first).toEqual([1, 1, 2, 1, 2, 2, 2, 1]);
  });

  it('ends with six black frames', () => {
    expect(Array.from(levels.subarray(-TRAILER_FRAMES))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('carries the preamble bytes 00 00 00 2A', () => {
    expect(Array.from(PREAMBLE)).toEqual([0, 0, 0, 0x2a]);
  });
});

describe('inverse line code', () => {
  it('levelsToBits → bitsToBytes recovers preamble and packet', () => {
    const levels = toLevels(basic);
    const bytes = bitsToBytes(levelsToBits(levels.subarray(0, levels.length - TRAILER_FRAMES)));
    expect(Array.from(bytes)).toEqual([...PREAMBLE, ...basic]);
  });

  it('levelsToPacket accepts plain arrays too', () => {
    expect(levelsToPacket(Array.from(toLevels(basic)))).toEqual(basic);
  });

  const good = Array.from(toLevels(basic));
  const edited = (i: number, v: number): number[] => good.map((x, j) => (j === i ? v : x));

  it.each<[string, () => unknown]>([
    ['odd number of frames', () => levelsToBits([0, 1, 0])],
    ['bright frame first in a pair', () => levelsToBits([1, 0])],
    ['black/black pair', () => levelsToBits([0, 0])],
    ['a level that is not 0, 1 or 2', () => levelsToBits([0, 3])],
    ['bits that are not whole bytes', () => bitsToBytes([1, 0, 1])],
    ['too few frames for a packet', () => levelsToPacket(good.slice(0, 100))],
    ['a bright frame in the trailer', () => levelsToPacket(edited(good.length - 2, 1))],
    ['a damaged preamble', () => levelsToPacket(edited(49, 2))],
    ['a length byte that disagrees with the frames', () => levelsToPacket([...good.slice(0, -6), 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, ...good.slice(-6)])],
  ])('refuses %s with LEVELS_INVALID', (_, work) => {
    expect(codeOf(work)).toBe(ErrorCode.LEVELS_INVALID);
  });
});
