/** Conversions between payload fields and their on-the-wire bytes, with validation. */
import { BlinkUpError, ErrorCode } from './errors.js';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** A lone UTF-16 surrogate: the string is not Unicode text and has no UTF-8 form. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A text field as UTF-8. TextEncoder would turn a lone surrogate into U+FFFD and send a name
 * or password the user never typed, so such strings are refused instead.
 */
export function utf8Bytes(s: string, what: string): Uint8Array {
  if (typeof s !== 'string') throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, `${what} must be a string`);
  if (LONE_SURROGATE.test(s)) throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, `${what} is not valid Unicode (it has an unpaired surrogate)`);
  return utf8Encoder.encode(s);
}

/** Strict UTF-8 decode: a receiver must not turn bad bytes into U+FFFD silently. */
export function utf8String(bytes: Uint8Array, what: string): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new BlinkUpError(ErrorCode.MALFORMED, `${what} is not valid UTF-8`);
  }
}

const HEX16 = /^[0-9a-fA-F]{16}$/;

/**
 * A 16-hex-digit id as 8 bytes, byte-reversed: SDK 0.3.0 sends plan id and token little-endian,
 * so "0123456789abcdef" goes out as ef cd ab 89 67 45 23 01.
 */
export function hex16ToWire(hex: string, code: ErrorCode, what: string): Uint8Array {
  if (typeof hex !== 'string' || !HEX16.test(hex)) {
    // The value itself may be a secret (the token): say what is wrong, never what it was.
    const len = typeof hex === 'string' ? hex.length : 0;
    throw new BlinkUpError(code, `${what} must be exactly 16 hex digits (got ${len} characters${len === 16 ? ' with a non-hex digit' : ''})`);
  }
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[7 - i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function wireToHex16(bytes: Uint8Array): string {
  let s = '';
  for (let i = 7; i >= 0; i--) s += bytes[i]!.toString(16).padStart(2, '0');
  return s;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function ipv4ToBytes(addr: string, what: string): Uint8Array {
  const m = typeof addr === 'string' ? IPV4.exec(addr.trim()) : null;
  const out = new Uint8Array(4);
  if (m) {
    for (let i = 0; i < 4; i++) {
      const part = m[i + 1]!;
      const v = Number(part);
      // Leading zeros are ambiguous (octal in some parsers): refuse them rather than guess.
      if (v > 255 || (part.length > 1 && part[0] === '0')) return fail();
      out[i] = v;
    }
    return out;
  }
  return fail();

  function fail(): never {
    throw new BlinkUpError(ErrorCode.IPV4_INVALID, `${what} is not a valid IPv4 address: "${String(addr).slice(0, 40)}"`);
  }
}

export function bytesToIpv4(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** A netmask is a run of ones then zeros: 255.255.255.0 yes, 255.0.255.0 no. */
export function isContiguousNetmask(b: Uint8Array): boolean {
  const v = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  const inverted = ~v >>> 0;
  return (inverted & (inverted + 1)) === 0;
}
