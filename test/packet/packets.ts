/** Building raw packets for parser tests: entries in, L and a correct CRC added. */
import { crc16 } from '../../src/packet/crc16.js';

/** `[L] entries... [CRC hi] [CRC lo]` with L and the CRC computed, whatever the entries say. */
export function framePacket(entries: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(entries.length + 3);
  out[0] = entries.length & 0xff;
  out.set(Array.from(entries), 1);
  const crc = crc16(out, 0, entries.length + 1);
  out[entries.length + 1] = crc >>> 8;
  out[entries.length + 2] = crc & 0xff;
  return out;
}

/** One entry: type, length, data. */
export function entry(type: number, data: ArrayLike<number>): number[] {
  return [type, data.length, ...Array.from(data)];
}

export const utf8 = (s: string): number[] => Array.from(new TextEncoder().encode(s));

/** A valid enrolment entry's data (plan id then token, each 8 bytes little-endian). */
export const ENROLMENT_DATA = [0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01, 0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe];
