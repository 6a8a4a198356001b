/**
 * Payload → packet bytes, exactly as SDK 0.3.0 lays them out (PROTOCOL.md §1):
 *   [L] [type n data]... [CRC hi] [CRC lo]
 * in the order SSID, password, static config, proxy, enrolment. The SDK validates nothing;
 * we refuse every input that would produce a packet a device could misread.
 */
import { crc16 } from './crc16.js';
import { BlinkUpError, ErrorCode } from './errors.js';
import { hex16ToWire, ipv4ToBytes, isContiguousNetmask, utf8Bytes } from './fields.js';
import { EntryType, type ConfigPayload, type Payload, type ProxyConfig, type StaticConfig } from './types.js';

export const MAX_SSID_BYTES = 32;
export const MAX_PASSWORD_BYTES = 64;
/** L is one byte. */
export const MAX_ENTRIES_BYTES = 255;

/** The clear-configuration packet: DISCONNECT alone. */
const CLEAR_ENTRIES = Uint8Array.of(EntryType.DISCONNECT, 0);

export function encodePacket(payload: Payload): Uint8Array {
  if (payload === null || typeof payload !== 'object') {
    throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, 'payload must be an object');
  }
  if (payload.kind === 'clear') return frame([CLEAR_ENTRIES]);
  if (payload.kind !== undefined && payload.kind !== 'config') {
    throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, `unknown payload kind "${String(payload.kind).slice(0, 20)}"`);
  }
  return frame(configEntries(payload));
}

function configEntries(p: ConfigPayload): Uint8Array[] {
  const ssid = p.ssid ?? '';
  const password = p.password ?? '';
  if (typeof ssid !== 'string' || typeof password !== 'string') {
    throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, 'ssid and password must be strings');
  }
  const entries: Uint8Array[] = [];
  const ssidBytes = utf8Bytes(ssid, 'SSID');
  const passwordBytes = utf8Bytes(password, 'password');
  if (ssidBytes.length > MAX_SSID_BYTES) {
    throw new BlinkUpError(ErrorCode.SSID_TOO_LONG, `SSID is ${ssidBytes.length} bytes; at most ${MAX_SSID_BYTES} are allowed`);
  }
  if (passwordBytes.length > MAX_PASSWORD_BYTES) {
    throw new BlinkUpError(ErrorCode.PASSWORD_TOO_LONG, `password is ${passwordBytes.length} bytes; at most 63, or a 64-hex-digit key`);
  }
  if (passwordBytes.length === MAX_PASSWORD_BYTES && !/^[0-9a-fA-F]{64}$/.test(password)) {
    throw new BlinkUpError(ErrorCode.PASSWORD_NOT_HEX, 'a 64-character password must be a hex key (64 hex digits); passphrases are at most 63 characters');
  }
  if (ssidBytes.length > 0) {
    entries.push(entry(EntryType.WIFI_SSID, ssidBytes));
    entries.push(entry(EntryType.CLEAR_TEXT_PASSWORD, passwordBytes));
  } else if (passwordBytes.length > 0) {
    // SDK 0.3.0 silently drops the password of a wired device; a caller who gave one made a mistake.
    throw new BlinkUpError(ErrorCode.PASSWORD_WITHOUT_SSID, 'a password was given without an SSID');
  }
  if (p.staticIp !== undefined) entries.push(staticEntry(p.staticIp));
  if (p.proxy !== undefined) entries.push(proxyEntry(p.proxy));
  const plan = hex16ToWire(p.planId, ErrorCode.PLAN_ID_INVALID, 'plan id');
  const token = hex16ToWire(p.token, ErrorCode.TOKEN_INVALID, 'token');
  const enrol = new Uint8Array(16);
  enrol.set(plan, 0);
  enrol.set(token, 8);
  entries.push(entry(EntryType.ENROLMENT, enrol));
  return entries;
}

function staticEntry(s: StaticConfig): Uint8Array {
  if (s === null || typeof s !== 'object') throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, 'staticIp must be an object');
  const netmask = ipv4ToBytes(s.netmask, 'netmask');
  if (!isContiguousNetmask(netmask)) {
    throw new BlinkUpError(ErrorCode.NETMASK_INVALID, `netmask ${s.netmask} is not a contiguous mask`);
  }
  const parts = [ipv4ToBytes(s.ip, 'static IP address'), netmask, ipv4ToBytes(s.gateway, 'gateway'), ipv4ToBytes(s.dns1, 'DNS server 1')];
  if (s.dns2 !== undefined && s.dns2 !== '') parts.push(ipv4ToBytes(s.dns2, 'DNS server 2'));
  return entry(EntryType.NETWORK_STATIC_CONFIG, concat(parts));
}

/** Proxy data: port (2 bytes, little-endian), len+host, then optionally len+user, len+password. */
function proxyEntry(p: ProxyConfig): Uint8Array {
  if (p === null || typeof p !== 'object') throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, 'proxy must be an object');
  if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
    throw new BlinkUpError(ErrorCode.PROXY_PORT_INVALID, `proxy port must be an integer 1–65535 (got ${String(p.port).slice(0, 20)})`);
  }
  const host = typeof p.host === 'string' ? utf8Bytes(p.host, 'proxy host') : new Uint8Array(0);
  if (host.length === 0 || host.length > 255) {
    throw new BlinkUpError(ErrorCode.PROXY_HOST_INVALID, `proxy host must be 1–255 bytes (got ${host.length})`);
  }
  const hasUser = p.username !== undefined && p.username !== '';
  const hasPassword = p.password !== undefined && p.password !== '';
  if (hasPassword && !hasUser) {
    throw new BlinkUpError(ErrorCode.PROXY_PASSWORD_WITHOUT_USER, 'a proxy password needs a proxy username');
  }
  const parts: Uint8Array[] = [Uint8Array.of(p.port & 0xff, p.port >>> 8), lengthPrefixed(host, 'proxy host')];
  if (hasUser) parts.push(lengthPrefixed(utf8Bytes(p.username!, 'proxy username'), 'proxy username'));
  if (hasPassword) parts.push(lengthPrefixed(utf8Bytes(p.password!, 'proxy password'), 'proxy password'));
  return entry(EntryType.HTTP_PROXY_SETTINGS, concat(parts));
}

function lengthPrefixed(data: Uint8Array, what: string): Uint8Array {
  if (data.length > 255) throw new BlinkUpError(ErrorCode.PROXY_FIELD_TOO_LONG, `${what} is ${data.length} bytes; at most 255`);
  const out = new Uint8Array(1 + data.length);
  out[0] = data.length;
  out.set(data, 1);
  return out;
}

function entry(type: number, data: Uint8Array): Uint8Array {
  if (data.length > 255) {
    throw new BlinkUpError(ErrorCode.PACKET_TOO_LONG, `entry type ${type} is ${data.length} bytes; an entry holds at most 255`);
  }
  const out = new Uint8Array(2 + data.length);
  out[0] = type;
  out[1] = data.length;
  out.set(data, 2);
  return out;
}

/** L, the entries, then the CRC over L and the entries, high byte first. */
function frame(entries: Uint8Array[]): Uint8Array {
  const body = concat(entries);
  if (body.length > MAX_ENTRIES_BYTES) {
    throw new BlinkUpError(ErrorCode.PACKET_TOO_LONG, `packet entries are ${body.length} bytes; at most ${MAX_ENTRIES_BYTES} fit`);
  }
  const out = new Uint8Array(body.length + 3);
  out[0] = body.length;
  out.set(body, 1);
  const crc = crc16(out, 0, body.length + 1);
  out[body.length + 1] = crc >>> 8;
  out[body.length + 2] = crc & 0xff;
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
