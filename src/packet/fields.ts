/**
 * Conversions between payload fields and their on-the-wire bytes, with validation.
 *
 * The encoder's converters write straight into the packet being built (`out` at `offset`)
 * instead of returning little arrays: allocating one buffer per field was most of the cost of
 * encoding a packet.
 */
import { BlinkUpError, describeType, ErrorCode } from './errors.js';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Exact UTF-8 length of `s` (for messages; assumes no lone surrogates). */
export function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/**
 * Writes `s` as UTF-8 and returns the number of bytes, or -1 if that would be more than `max`
 * (nothing beyond `offset + max` is touched). Refuses a string with a lone surrogate, which
 * TextEncoder would silently send as U+FFFD: a name or password the user never typed.
 */
export function writeUtf8(s: string, out: Uint8Array, offset: number, max: number, what: string): number {
  if (typeof s !== 'string') throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, `${what} must be a string`);
  const end = offset + max;
  let o = offset;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || next < 0xdc00 || next > 0xdfff) {
        throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, `${what} is not valid Unicode (it has an unpaired surrogate)`);
      }
      c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      i++;
    }
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (o + n > end) return -1;
    if (n === 1) {
      out[o++] = c;
    } else {
      // Lead byte: n high bits set, then the top bits of c; continuation bytes carry 6 bits each.
      out[o++] = ((0xf00 >>> n) & 0xff) | (c >>> (6 * (n - 1)));
      for (let k = n - 2; k >= 0; k--) out[o++] = 0x80 | ((c >>> (6 * k)) & 0x3f);
    }
  }
  return o - offset;
}

/** Strict UTF-8 decode: a receiver must not turn bad bytes into U+FFFD silently. */
export function utf8String(bytes: Uint8Array, what: string): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new BlinkUpError(ErrorCode.MALFORMED, `${what} is not valid UTF-8`);
  }
}

/** Value of a hex digit's char code, or -1. */
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/**
 * A 16-hex-digit id as 8 bytes, byte-reversed: SDK 0.3.0 sends plan id and token little-endian,
 * so "0123456789abcdef" goes out as ef cd ab 89 67 45 23 01.
 */
export function writeHex16(hex: string, out: Uint8Array, offset: number, code: ErrorCode, what: string): void {
  if (typeof hex !== 'string') throw new BlinkUpError(code, `${what} must be a string of 16 hex digits (got ${describeType(hex)})`);
  const len = hex.length;
  let ok = len === 16;
  for (let i = 0; i < 8 && ok; i++) {
    const hi = hexDigit(hex.charCodeAt(2 * i));
    const lo = hexDigit(hex.charCodeAt(2 * i + 1));
    ok = hi >= 0 && lo >= 0;
    out[offset + 7 - i] = (hi << 4) | lo;
  }
  // The value itself may be a secret (the token): say what is wrong, never what it was.
  if (!ok) throw new BlinkUpError(code, `${what} must be exactly 16 hex digits (got ${len} characters${len === 16 ? ' with a non-hex digit' : ''})`);
}

/** Two lower-case hex digits per byte value (a decoder turns two ids of every packet it finds into hex). */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** The inverse of `writeHex16`: 8 wire bytes → 16 hex digits. */
export function wireToHex16(bytes: Uint8Array): string {
  let s = '';
  for (let i = 7; i >= 0; i--) s += HEX_BYTE[bytes[i]!]!;
  return s;
}

/**
 * A dotted-quad IPv4 address as 4 bytes in network order. Strict: four decimal parts of one to
 * three digits, each ≤ 255, no leading zeros (octal in some parsers: refuse rather than guess).
 * Surrounding whitespace is ignored.
 */
export function writeIpv4(addr: string, out: Uint8Array, offset: number, what: string): void {
  const s = typeof addr === 'string' ? addr.trim() : '';
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x2e; // a virtual '.' ends the last part
    if (c >= 0x30 && c <= 0x39) {
      if (digits === 1 && value === 0) throw ipv4Error(addr, what); // leading zero
      value = value * 10 + (c - 0x30);
      if (++digits > 3 || value > 255) throw ipv4Error(addr, what);
    } else if (c === 0x2e && digits > 0 && part < 4) {
      out[offset + part++] = value;
      value = 0;
      digits = 0;
    } else {
      throw ipv4Error(addr, what);
    }
  }
  if (part !== 4) throw ipv4Error(addr, what);
}

function ipv4Error(addr: unknown, what: string): BlinkUpError {
  return new BlinkUpError(ErrorCode.IPV4_INVALID, `${what} is not a valid IPv4 address: "${String(addr).slice(0, 40)}"`);
}

export function bytesToIpv4(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** A netmask is a run of ones then zeros: 255.255.255.0 yes, 255.0.255.0 no. */
export function isContiguousNetmask(b: Uint8Array, offset = 0): boolean {
  const v = ((b[offset]! << 24) | (b[offset + 1]! << 16) | (b[offset + 2]! << 8) | b[offset + 3]!) >>> 0;
  const inverted = ~v >>> 0;
  return (inverted & (inverted + 1)) === 0;
}

/** WPA passphrases are 8–63 bytes (IEEE 802.11i)… */
export const MIN_PASSPHRASE_BYTES = 8;
/** …but an old network's WEP-40 key is 5 characters (WEP-104's 13, and hex keys, pass the 8). */
const WEP40_KEY_BYTES = 5;

/**
 * A password of `n` bytes (1–63) that no network has — a passphrase shorter than WPA allows
 * that is not a WEP-40 key. No device told it can ever join, so the encoder refuses to send one
 * and the parser refuses to report one (from a receiver, such a packet is far likelier a corrupted
 * copy than a fixture's mistake). (Empty means an open network; 64 bytes must be a hex key.)
 */
export function isImpossiblePasswordLength(n: number): boolean {
  return n > 0 && n < MIN_PASSPHRASE_BYTES && n !== WEP40_KEY_BYTES;
}
