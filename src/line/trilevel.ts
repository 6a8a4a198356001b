/**
 * The tri-level line code of SDK 0.3.0 (PROTOCOL.md §3).
 *
 * Every bit, MSB first, is two frames: black, then grey (0) or white (1). A bright frame always
 * follows a black one, so the signal carries its own clock. Before the packet comes a preamble
 * (00 00 00 2A: 24 black/grey pairs to learn levels from, then the magic byte that ends sync);
 * after it, six black frames.
 */
import { BlinkUpError, describeType, ErrorCode } from '../packet/errors.js';

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

/**
 * The 16 frames of every byte value, as bytes and as four 32-bit words over the same memory:
 * toLevels copies whole words, four frames at a time. Because the words are read from and
 * written to byte-identical memory, the result is the same on any endianness.
 */
const BYTE_FRAMES = new Uint8Array(256 * 16);
const BYTE_FRAME_WORDS = new Uint32Array(BYTE_FRAMES.buffer);
for (let byte = 0; byte < 256; byte++) {
  for (let bit = 0; bit < 8; bit++) {
    BYTE_FRAMES[byte * 16 + 2 * bit + 1] = (byte >>> (7 - bit)) & 1 ? Level.WHITE : Level.GREY;
  }
}

/** Packet bytes → one level per frame, preamble and trailer included. */
export function toLevels(packet: Uint8Array): Uint8Array {
  // A string or a plain array would be coerced byte by byte into a signal no device can read.
  if (!(packet instanceof Uint8Array)) throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, `toLevels needs the packet's bytes as a Uint8Array (got ${describeType(packet)})`);
  const levels = new Uint8Array(frameCount(packet.length)); // zero-filled: the trailer is already black
  // Preamble and packet are whole bytes of 16 frames each: fill them a word (4 frames) at a time.
  const words = new Uint32Array(levels.buffer, 0, (PREAMBLE.length + packet.length) * 4);
  let w = 0;
  for (let i = 0; i < PREAMBLE.length; i++) w = putByteFrames(words, w, PREAMBLE[i]!);
  for (let i = 0; i < packet.length; i++) w = putByteFrames(words, w, packet[i]!);
  return levels;
}

/** Copies the 16 frames of `byte` to `words` at word `w`; returns the next word index. */
function putByteFrames(words: Uint32Array, w: number, byte: number): number {
  const t = byte * 4;
  words[w] = BYTE_FRAME_WORDS[t]!;
  words[w + 1] = BYTE_FRAME_WORDS[t + 1]!;
  words[w + 2] = BYTE_FRAME_WORDS[t + 2]!;
  words[w + 3] = BYTE_FRAME_WORDS[t + 3]!;
  return w + 4;
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
