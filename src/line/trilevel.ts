/**
 * The tri-level line code of SDK 0.3.0 (PROTOCOL.md §3).
 *
 * Every bit, MSB first, is two frames: black, then grey (0) or white (1). A bright frame always
 * follows a black one, so the signal carries its own clock. Before the packet comes a preamble
 * (00 00 00 2A: 24 black/grey pairs to learn levels from, then the magic byte that ends sync);
 * after it, six black frames.
 */
import { BlinkUpError, ErrorCode } from '../packet/errors.js';

/** Light level of one frame. */
export const Level = { BLACK: 0, GREY: 1, WHITE: 2 } as const;
export type Level = (typeof Level)[keyof typeof Level];

export const PREAMBLE = Uint8Array.of(0x00, 0x00, 0x00, 0x2a);
export const SYNC_MAGIC = 0x2a;
export const TRAILER_FRAMES = 6;

/** Frames for a packet of `n` bytes: 64 + 16·n + 6. */
export function frameCount(packetLength: number): number {
  return (PREAMBLE.length + packetLength) * 16 + TRAILER_FRAMES;
}

/** Packet bytes → one level per frame, preamble and trailer included. */
export function toLevels(packet: Uint8Array): Uint8Array {
  const levels = new Uint8Array(frameCount(packet.length)); // zero-filled: the trailer is already black
  let f = 0;
  const put = (byte: number): void => {
    for (let bit = 7; bit >= 0; bit--) {
      levels[f + 1] = (byte >>> bit) & 1 ? Level.WHITE : Level.GREY;
      f += 2;
    }
  };
  for (const b of PREAMBLE) put(b);
  for (const b of packet) put(b);
  return levels;
}

/**
 * Inverse of the pairing: levels (black, bright, black, bright, …) → bits, MSB-first order kept.
 * Strict: each pair must be exactly black then grey or white.
 */
export function levelsToBits(levels: ArrayLike<number>): Uint8Array {
  if (levels.length % 2 !== 0) throw new BlinkUpError(ErrorCode.LEVELS_INVALID, `odd number of frames (${levels.length})`);
  const bits = new Uint8Array(levels.length / 2);
  for (let i = 0; i < bits.length; i++) {
    const a = levels[2 * i];
    const b = levels[2 * i + 1];
    if (a !== Level.BLACK || (b !== Level.GREY && b !== Level.WHITE)) {
      throw new BlinkUpError(ErrorCode.LEVELS_INVALID, `frames ${2 * i}–${2 * i + 1} are not a black/bright pair`);
    }
    bits[i] = b === Level.WHITE ? 1 : 0;
  }
  return bits;
}

/** Bits (MSB first) → bytes; the bit count must be a multiple of 8. */
export function bitsToBytes(bits: ArrayLike<number>): Uint8Array {
  if (bits.length % 8 !== 0) throw new BlinkUpError(ErrorCode.LEVELS_INVALID, `bit count ${bits.length} is not a whole number of bytes`);
  const out = new Uint8Array(bits.length / 8);
  for (let i = 0; i < out.length; i++) {
    let v = 0;
    for (let k = 0; k < 8; k++) v = (v << 1) | (bits[8 * i + k]! & 1);
    out[i] = v;
  }
  return out;
}

/**
 * A whole frame sequence as `toLevels` makes it → the packet bytes it carries (CRC not checked:
 * that is `parsePacket`'s job). Checks preamble, length byte and trailer.
 */
export function levelsToPacket(levels: ArrayLike<number>): Uint8Array {
  if (levels.length < frameCount(3)) throw new BlinkUpError(ErrorCode.LEVELS_INVALID, `${levels.length} frames are too few for a packet`);
  for (let i = levels.length - TRAILER_FRAMES; i < levels.length; i++) {
    if (levels[i] !== Level.BLACK) throw new BlinkUpError(ErrorCode.LEVELS_INVALID, 'the sequence does not end with six black frames');
  }
  const bits = levelsToBits(Array.prototype.slice.call(levels, 0, levels.length - TRAILER_FRAMES) as number[]);
  const bytes = bitsToBytes(bits);
  for (let i = 0; i < PREAMBLE.length; i++) {
    if (bytes[i] !== PREAMBLE[i]) throw new BlinkUpError(ErrorCode.LEVELS_INVALID, 'the sequence does not start with the preamble 00 00 00 2A');
  }
  const packet = bytes.subarray(PREAMBLE.length);
  if (packet.length !== packet[0]! + 3) {
    throw new BlinkUpError(ErrorCode.LEVELS_INVALID, `length byte says ${packet[0]! + 3} packet bytes but ${packet.length} were sent`);
  }
  return packet;
}
