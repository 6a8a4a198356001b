/**
 * The frames SDK 0.3.0 itself produced, reproduced exactly: packet byte for byte, frame for frame,
 * and back again through the strict parser and the inverse line code.
 */
import { describe, expect, it } from 'vitest';
import { encodePacket, parsePacket } from '../../src/packet/index.js';
import { frameCount, levelsToPacket, toLevels } from '../../src/line/index.js';
import { asParsed, fromHex, GOLDEN_VECTORS, levelDigits, toHex } from './vectors.js';

describe('SDK 0.3.0 golden vectors', () => {
  it('are all present (basic Wi-Fi, open network, wired, clear)', () => {
    expect(GOLDEN_VECTORS.map((v) => v.name)).toEqual(['basic-wifi', 'open-network', 'wired-enrol-only', 'clear-config']);
  });

  describe.each(GOLDEN_VECTORS)('$name', (v) => {
    it('encodes to the SDK packet byte for byte', () => {
      expect(toHex(encodePacket(v.input))).toBe(v.packetHex);
    });

    it('encodes to the SDK frames, frame for frame', () => {
      const levels = toLevels(fromHex(v.packetHex));
      expect(levels.length).toBe(frameCount(v.packetHex.length / 2));
      expect(levelDigits(levels)).toBe(v.frames);
    });

    it('parses back to the same payload', () => {
      expect(parsePacket(fromHex(v.packetHex))).toEqual(asParsed(v.input));
    });

    it('turns the SDK frames back into the packet', () => {
      const levels = Uint8Array.from(v.frames, (c) => Number(c));
      expect(toHex(levelsToPacket(levels))).toBe(v.packetHex);
    });
  });
});
