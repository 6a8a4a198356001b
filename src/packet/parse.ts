/**
 * Packet bytes → payload, strictly (PROTOCOL.md §1): the CRC matches, entry lengths add up to L
 * exactly, every type is known and appears once, and enrolment is present unless the packet is
 * the clear-configuration packet, and every field is one a device can use (a password of a
 * length no network has is refused, as the encoder refuses it). A receiver that accepts less
 * than this accepts noise.
 */
import { crc16 } from './crc16.js';
import { BlinkUpError, ErrorCode } from './errors.js';
import { bytesToIpv4, isContiguousNetmask, isImpossiblePasswordLength, utf8String, wireToHex16 } from './fields.js';
import { protectSecrets } from './redact.js';
import { EntryType, type ConfigPayload, type Payload, type ProxyConfig, type StaticConfig } from './types.js';

const KNOWN_TYPES = new Set<number>(Object.values(EntryType));

/** Parses one whole packet (L, entries, CRC) and nothing more. */
export function parsePacket(bytes: Uint8Array): Payload {
  if (!(bytes instanceof Uint8Array)) throw new BlinkUpError(ErrorCode.INPUT_INVALID, 'packet must be a Uint8Array');
  if (bytes.length < 3) throw new BlinkUpError(ErrorCode.TRUNCATED, `packet is ${bytes.length} bytes; the shortest is 3`);
  const L = bytes[0]!;
  if (bytes.length < L + 3) throw new BlinkUpError(ErrorCode.TRUNCATED, `packet declares ${L} entry bytes but has ${bytes.length - 3}`);
  if (bytes.length > L + 3) throw new BlinkUpError(ErrorCode.MALFORMED, `packet has ${bytes.length - L - 3} bytes after its CRC`);
  const expected = crc16(bytes, 0, L + 1);
  const got = (bytes[L + 1]! << 8) | bytes[L + 2]!;
  if (expected !== got) {
    // The check values are not shown: each is a function of the password and token, so a log of
    // failed transmissions would narrow a search for them (the bytes stay for --show-secrets).
    throw new BlinkUpError(ErrorCode.CRC_MISMATCH, 'CRC mismatch: the check value does not match the bytes received');
  }
  return protectSecrets(parseEntries(bytes.subarray(1, L + 1)));
}

/** Splits the entry area into (type, data) pairs, checking that the lengths tile it exactly. */
function splitEntries(area: Uint8Array): Map<number, Uint8Array> {
  const entries = new Map<number, Uint8Array>();
  let o = 0;
  while (o < area.length) {
    if (o + 2 > area.length) throw new BlinkUpError(ErrorCode.MALFORMED, `entry header at offset ${o + 1} runs past L`);
    const type = area[o]!;
    const n = area[o + 1]!;
    if (!KNOWN_TYPES.has(type)) throw new BlinkUpError(ErrorCode.UNKNOWN_ENTRY_TYPE, `unknown entry type ${type} at offset ${o + 1}`);
    if (o + 2 + n > area.length) throw new BlinkUpError(ErrorCode.MALFORMED, `entry type ${type} (${n} bytes) runs past L`);
    if (entries.has(type)) throw new BlinkUpError(ErrorCode.MALFORMED, `entry type ${type} appears twice`);
    entries.set(type, area.subarray(o + 2, o + 2 + n));
    o += 2 + n;
  }
  return entries;
}

function parseEntries(area: Uint8Array): Payload {
  const e = splitEntries(area);
  const disconnect = e.get(EntryType.DISCONNECT);
  if (disconnect !== undefined) {
    if (disconnect.length !== 0 || e.size !== 1) {
      throw new BlinkUpError(ErrorCode.MALFORMED, 'the disconnect entry must be empty and alone');
    }
    return { kind: 'clear' };
  }
  const enrol = e.get(EntryType.ENROLMENT);
  if (enrol === undefined) throw new BlinkUpError(ErrorCode.MISSING_ENROLMENT, 'packet has no enrolment entry');
  if (enrol.length !== 16) throw new BlinkUpError(ErrorCode.MALFORMED, `enrolment entry is ${enrol.length} bytes; it must be 16`);

  const ssid = e.get(EntryType.WIFI_SSID);
  const password = e.get(EntryType.CLEAR_TEXT_PASSWORD);
  if (ssid !== undefined && (ssid.length === 0 || ssid.length > 32)) {
    throw new BlinkUpError(ErrorCode.MALFORMED, `SSID entry is ${ssid.length} bytes; it must be 1–32`);
  }
  if (password !== undefined && ssid === undefined) throw new BlinkUpError(ErrorCode.MALFORMED, 'password entry without an SSID entry');
  if (password !== undefined && password.length > 64) throw new BlinkUpError(ErrorCode.MALFORMED, 'password entry is longer than 64 bytes');
  if (password !== undefined && password.length === 64 && !isHexKey(password)) {
    throw new BlinkUpError(ErrorCode.MALFORMED, 'a 64-byte password entry must be a hex key');
  }
  if (password !== undefined && isImpossiblePasswordLength(password.length)) {
    throw new BlinkUpError(ErrorCode.MALFORMED, `password entry is ${password.length} bytes; no network has one (a passphrase has 8–63, a WEP key 5 or 13)`);
  }

  const payload: ConfigPayload = {
    kind: 'config',
    ssid: ssid ? utf8String(ssid, 'SSID') : '',
    password: password ? utf8String(password, 'password') : '',
    planId: wireToHex16(enrol.subarray(0, 8)),
    token: wireToHex16(enrol.subarray(8, 16)),
  };
  const stat = e.get(EntryType.NETWORK_STATIC_CONFIG);
  if (stat !== undefined) payload.staticIp = parseStatic(stat);
  const proxy = e.get(EntryType.HTTP_PROXY_SETTINGS);
  if (proxy !== undefined) payload.proxy = parseProxy(proxy);
  return payload;
}

function parseStatic(d: Uint8Array): StaticConfig {
  if (d.length !== 16 && d.length !== 20) {
    throw new BlinkUpError(ErrorCode.MALFORMED, `static configuration entry is ${d.length} bytes; it must be 16 or 20`);
  }
  // The same rule as the encoder's: whatever parses must be encodable again.
  if (!isContiguousNetmask(d.subarray(4, 8))) throw new BlinkUpError(ErrorCode.MALFORMED, 'static configuration has a non-contiguous netmask');
  const s: StaticConfig = { ip: bytesToIpv4(d, 0), netmask: bytesToIpv4(d, 4), gateway: bytesToIpv4(d, 8), dns1: bytesToIpv4(d, 12) };
  if (d.length === 20) s.dns2 = bytesToIpv4(d, 16);
  return s;
}

function parseProxy(d: Uint8Array): ProxyConfig {
  let o = 0;
  const field = (what: string): Uint8Array => {
    if (o >= d.length) throw new BlinkUpError(ErrorCode.MALFORMED, `proxy entry ends before the ${what} length`);
    const n = d[o]!;
    if (o + 1 + n > d.length) throw new BlinkUpError(ErrorCode.MALFORMED, `proxy ${what} runs past its entry`);
    const out = d.subarray(o + 1, o + 1 + n);
    o += 1 + n;
    return out;
  };
  if (d.length < 3) throw new BlinkUpError(ErrorCode.MALFORMED, 'proxy entry is too short');
  const port = d[0]! | (d[1]! << 8);
  o = 2;
  const host = field('host');
  if (port === 0 || host.length === 0) throw new BlinkUpError(ErrorCode.MALFORMED, 'proxy entry has no port or no host');
  const p: ProxyConfig = { host: utf8String(host, 'proxy host'), port };
  if (o < d.length) p.username = utf8String(field('username'), 'proxy username');
  if (o < d.length) p.password = utf8String(field('password'), 'proxy password');
  if (o !== d.length) throw new BlinkUpError(ErrorCode.MALFORMED, 'proxy entry has bytes after its password');
  return p;
}

/** 64 ASCII hex digits: a raw WPA key rather than a passphrase. */
function isHexKey(bytes: Uint8Array): boolean {
  return bytes.every((b) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
}
