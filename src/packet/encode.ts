/**
 * Payload → packet bytes, exactly as SDK 0.3.0 lays them out (PROTOCOL.md §1):
 *   [L] [type n data]... [CRC hi] [CRC lo]
 * in the order SSID, password, static config, proxy, enrolment. The SDK validates nothing;
 * we refuse every input that would produce a packet a device could misread.
 *
 * Fields are validated as they are written into one scratch buffer, and the finished packet is
 * copied out: one allocation per packet (see PacketWriter).
 */
import { crc16 } from './crc16.js';
import { BlinkUpError, describeType, ErrorCode } from './errors.js';
import { isContiguousNetmask, isImpossiblePasswordLength, utf8Length, writeHex16, writeIpv4, writeUtf8 } from './fields.js';
import { EntryType, type ConfigPayload, type Payload, type ProxyConfig, type StaticConfig } from './types.js';

export const MAX_SSID_BYTES = 32;
export const MAX_PASSWORD_BYTES = 64;
/** L is one byte. */
export const MAX_ENTRIES_BYTES = 255;
/** An entry's length, and each proxy field's length, is one byte. */
const MAX_FIELD_BYTES = 255;

/** Every field a payload may have: any other is a misspelling (`pasword`) that would otherwise be dropped unnoticed. */
const CONFIG_FIELDS: ReadonlySet<string> = new Set(['kind', 'ssid', 'password', 'planId', 'token', 'staticIp', 'proxy']);

export function encodePacket(payload: Payload): Uint8Array {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, `payload must be an object (got ${describeType(payload)})`);
  }
  for (const key of Object.keys(payload)) {
    if (!CONFIG_FIELDS.has(key) || (payload.kind === 'clear' && key !== 'kind')) {
      const field = key.length > 20 ? `${key.slice(0, 20)}…` : key; // a field's name, never its value
      throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, `unknown payload field "${field}"${payload.kind === 'clear' ? ' (the clear-configuration packet has none)' : ''}`);
    }
  }
  const w = new PacketWriter();
  try {
    if (payload.kind === 'clear') {
      w.endEntry(w.beginEntry(EntryType.DISCONNECT)); // the clear-configuration packet: DISCONNECT alone
    } else if (payload.kind === undefined || payload.kind === 'config') {
      writeConfig(w, payload);
    } else {
      throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, `unknown payload kind "${String((payload as { kind: unknown }).kind).slice(0, 20)}"`);
    }
    return w.finish();
  } finally {
    w.release();
  }
}

function writeConfig(w: PacketWriter, p: ConfigPayload): void {
  // Omitted: a wired device has no SSID, and then no password. (null is no string: refused below.)
  const ssid = p.ssid === undefined ? '' : p.ssid;
  if (typeof ssid !== 'string') throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, `ssid must be a string (got ${describeType(ssid)})`);
  if (ssid !== '' && p.password === undefined) {
    // An open network is asked for by name: a form field that came back empty must not make one.
    throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, "password is missing: give the Wi-Fi password, or '' for an open network");
  }
  const password = p.password === undefined ? '' : p.password;
  if (typeof password !== 'string') throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, `password must be a string (got ${describeType(password)})`);
  if (ssid !== '') {
    const ssidEntry = w.beginEntry(EntryType.WIFI_SSID);
    if (w.text(ssid, MAX_SSID_BYTES, 'SSID') < 0) {
      throw new BlinkUpError(ErrorCode.SSID_TOO_LONG, `SSID is ${utf8Length(ssid)} bytes; at most ${MAX_SSID_BYTES} are allowed`);
    }
    w.endEntry(ssidEntry);
    const passwordEntry = w.beginEntry(EntryType.CLEAR_TEXT_PASSWORD);
    writePassword(w, password);
    w.endEntry(passwordEntry);
  } else if (password !== '') {
    // SDK 0.3.0 silently drops the password of a wired device; a caller who gave one made a mistake.
    writePassword(w, password); // (a bad password is reported as such first)
    throw new BlinkUpError(ErrorCode.PASSWORD_WITHOUT_SSID, 'a password was given without an SSID');
  }
  if (p.staticIp !== undefined) {
    const staticEntry = w.beginEntry(EntryType.NETWORK_STATIC_CONFIG);
    writeStatic(w, p.staticIp);
    w.endEntry(staticEntry);
  }
  if (p.proxy !== undefined) {
    const proxyEntry = w.beginEntry(EntryType.HTTP_PROXY_SETTINGS);
    writeProxy(w, p.proxy);
    w.endEntry(proxyEntry);
  }
  const enrolment = w.beginEntry(EntryType.ENROLMENT);
  writeHex16(p.planId, w.reserve(8), w.length - 8, ErrorCode.PLAN_ID_INVALID, 'plan id');
  writeHex16(p.token, w.reserve(8), w.length - 8, ErrorCode.TOKEN_INVALID, 'token');
  w.endEntry(enrolment);
}

/**
 * Empty (an open network), a WPA passphrase (UTF-8, 8–63 bytes), a 64-hex-digit key, or a
 * 5-character WEP-40 key. A device told a shorter passphrase can never join: refuse it here,
 * where the user can still retype it. The message never shows the password.
 */
function writePassword(w: PacketWriter, password: string): void {
  const n = w.text(password, MAX_PASSWORD_BYTES, 'password');
  if (n < 0) {
    throw new BlinkUpError(ErrorCode.PASSWORD_TOO_LONG, `password is ${utf8Length(password)} bytes; at most 63, or a 64-hex-digit key`);
  }
  if (n === MAX_PASSWORD_BYTES && !/^[0-9a-fA-F]{64}$/.test(password)) {
    throw new BlinkUpError(ErrorCode.PASSWORD_NOT_HEX, 'a 64-byte password must be a hex key (64 hex digits); passphrases are at most 63 bytes');
  }
  if (isImpossiblePasswordLength(n)) {
    throw new BlinkUpError(ErrorCode.PASSWORD_TOO_SHORT, `password is ${n} bytes; a WPA passphrase has 8–63 (a WEP key 5 or 13); empty for an open network`);
  }
}

/** ip, netmask, gateway, dns1 [, dns2]: 16 or 20 bytes. */
function writeStatic(w: PacketWriter, s: StaticConfig): void {
  if (s === null || typeof s !== 'object') throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, 'staticIp must be an object');
  writeIpv4(s.ip, w.reserve(4), w.length - 4, 'static IP address');
  writeIpv4(s.netmask, w.reserve(4), w.length - 4, 'netmask');
  if (!isContiguousNetmask(w.bytes, w.length - 4)) {
    throw new BlinkUpError(ErrorCode.NETMASK_INVALID, `netmask ${s.netmask} is not a contiguous mask`);
  }
  writeIpv4(s.gateway, w.reserve(4), w.length - 4, 'gateway');
  writeIpv4(s.dns1, w.reserve(4), w.length - 4, 'DNS server 1');
  if (s.dns2 !== undefined && s.dns2 !== '') writeIpv4(s.dns2, w.reserve(4), w.length - 4, 'DNS server 2');
}

/** Proxy data: port (2 bytes, little-endian), len+host, then optionally len+user, len+password. */
function writeProxy(w: PacketWriter, p: ProxyConfig): void {
  if (p === null || typeof p !== 'object') throw new BlinkUpError(ErrorCode.PAYLOAD_INVALID, 'proxy must be an object');
  if (typeof p.port !== 'number') throw new BlinkUpError(ErrorCode.PROXY_PORT_INVALID, `proxy port must be a number 1–65535 (got ${describeType(p.port)})`);
  if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
    throw new BlinkUpError(ErrorCode.PROXY_PORT_INVALID, `proxy port must be an integer 1–65535 (got ${String(p.port).slice(0, 20)})`);
  }
  const hasUser = p.username !== undefined && p.username !== '';
  const hasPassword = p.password !== undefined && p.password !== '';
  if (hasPassword && !hasUser) {
    throw new BlinkUpError(ErrorCode.PROXY_PASSWORD_WITHOUT_USER, 'a proxy password needs a proxy username');
  }
  w.byte(p.port & 0xff);
  w.byte(p.port >>> 8);
  if (typeof p.host !== 'string') throw new BlinkUpError(ErrorCode.PROXY_HOST_INVALID, `proxy host must be a string (got ${describeType(p.host)})`);
  const host = p.host;
  const hostBytes = w.lengthPrefixedText(host, 'proxy host');
  if (hostBytes < 1) {
    throw new BlinkUpError(ErrorCode.PROXY_HOST_INVALID, `proxy host must be 1–255 bytes (got ${hostBytes < 0 ? utf8Length(host) : 0})`);
  }
  // A URL's scheme, path or `user:password@` would be sent as part of the name, credentials in
  // the host field the device never reads them from. (The message does not quote the host: it
  // may hold a password.)
  if (NOT_IN_HOST.test(host)) {
    throw new BlinkUpError(ErrorCode.PROXY_HOST_INVALID, 'proxy host must be a host name or IP address alone: no scheme, path, spaces or user@ (give the user and password as the proxy username and password)');
  }
  if (hasUser) writeProxyField(w, p.username!, 'proxy username');
  if (hasPassword) writeProxyField(w, p.password!, 'proxy password');
}

/** Characters no host name or IP literal holds: URL punctuation, whitespace, controls. */
const NOT_IN_HOST = /[/@?#\\\s\x00-\x1f\x7f]/;

function writeProxyField(w: PacketWriter, value: string, what: string): void {
  if (w.lengthPrefixedText(value, what) < 0) {
    throw new BlinkUpError(ErrorCode.PROXY_FIELD_TOO_LONG, `${what} is ${utf8Length(value)} bytes; at most ${MAX_FIELD_BYTES}`);
  }
}

/**
 * Largest thing a writer can be asked to write before a length check refuses it: L, five
 * entry headers and every field at its limit (a proxy entry alone can reach 2 + 3·256 bytes).
 */
const SCRATCH_BYTES = 1024;

/**
 * Builds one packet in a scratch buffer shared by every call — encoding is synchronous, so
 * packets do not interleave — and copies the finished packet out. Should a getter on a payload
 * call encodePacket while a packet is being written, the inner call gets a buffer of its own.
 */
class PacketWriter {
  private static readonly scratch = new Uint8Array(SCRATCH_BYTES);
  private static scratchInUse = false;
  readonly bytes: Uint8Array;
  private readonly ownsScratch: boolean;
  /** Bytes written so far, L included. */
  length = 1;

  constructor() {
    this.ownsScratch = !PacketWriter.scratchInUse;
    this.bytes = this.ownsScratch ? PacketWriter.scratch : new Uint8Array(SCRATCH_BYTES);
    PacketWriter.scratchInUse = true;
  }

  release(): void {
    if (this.ownsScratch) PacketWriter.scratchInUse = false;
  }

  byte(v: number): void {
    this.bytes[this.length++] = v;
  }

  /** Claims `n` bytes for a converter to fill; returns the buffer (write at length - n). */
  reserve(n: number): Uint8Array {
    this.length += n;
    return this.bytes;
  }

  /** Writes UTF-8 text of at most `max` bytes; returns its length, or -1 if it is longer. */
  text(s: string, max: number, what: string): number {
    const n = writeUtf8(s, this.bytes, this.length, max, what);
    if (n > 0) this.length += n;
    return n;
  }

  /** One length byte, then the text (at most 255 bytes); returns the text length, or -1. */
  lengthPrefixedText(s: string, what: string): number {
    const at = this.length++;
    const n = this.text(s, MAX_FIELD_BYTES, what);
    this.bytes[at] = Math.max(n, 0);
    return n;
  }

  /** Starts an entry: its type byte, and room for the length byte `endEntry` fills in. */
  beginEntry(type: EntryType): number {
    const start = this.length;
    this.bytes[start] = type;
    this.length += 2;
    return start;
  }

  /** Ends the entry begun at `start`: its data is everything written since. */
  endEntry(start: number): void {
    const n = this.length - start - 2;
    if (n > MAX_FIELD_BYTES) {
      throw new BlinkUpError(ErrorCode.PACKET_TOO_LONG, `entry type ${this.bytes[start]} is ${n} bytes; an entry holds at most ${MAX_FIELD_BYTES}`);
    }
    this.bytes[start + 1] = n;
  }

  /** L, the entries, then the CRC over L and the entries, high byte first. */
  finish(): Uint8Array {
    const entries = this.length - 1;
    if (entries > MAX_ENTRIES_BYTES) {
      throw new BlinkUpError(ErrorCode.PACKET_TOO_LONG, `packet entries are ${entries} bytes; at most ${MAX_ENTRIES_BYTES} fit`);
    }
    const b = this.bytes;
    b[0] = entries;
    const crc = crc16(b, 0, this.length);
    b[this.length] = crc >>> 8;
    b[this.length + 1] = crc & 0xff;
    return b.slice(0, this.length + 2);
  }
}
