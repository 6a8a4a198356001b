/**
 * Baseline for the encoder benchmark: payload → levels the way the reference JavaScript SDK
 * (Electric Imp BlinkUp SDK 0.3.0) does it — an honest re-implementation of its approach, not
 * its code: the packet is built in plain arrays, every byte becomes a string of '0'/'1' digits,
 * every bit a two-character string ("01" or "02"), and the flasher turns each character back
 * into a level with parseInt(c, 17) as it draws.
 *
 * It handles the payloads the benchmark uses (SSID, password, enrolment, static, proxy) and
 * produces exactly the same levels as the library (checked before timing).
 */
import type { ConfigPayload } from '../../src/packet/types.js';

const CRC_TABLE: number[] = [];
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
  CRC_TABLE.push(c);
}

/** UTF-8 bytes the 2016 way: through a percent-encoded string. */
function stringBytes(s: string): number[] {
  const binary = unescape(encodeURIComponent(s));
  const out: number[] = [];
  for (let i = 0; i < binary.length; i++) out.push(binary.charCodeAt(i));
  return out;
}

function hexIdBytes(hex: string): number[] {
  const out: number[] = [];
  for (let i = hex.length - 2; i >= 0; i -= 2) out.push(parseInt(hex.substr(i, 2), 16));
  return out;
}

function ipBytes(ip: string): number[] {
  return ip.split('.').map((p) => parseInt(p, 10));
}

function packetBytes(p: ConfigPayload): number[] {
  let entries: number[] = [];
  const add = (type: number, data: number[]): void => {
    entries = entries.concat([type, data.length], data);
  };
  if (p.ssid.length > 0) {
    add(1, stringBytes(p.ssid));
    add(6, stringBytes(p.password));
  }
  if (p.staticIp) {
    const s = p.staticIp;
    add(11, [s.ip, s.netmask, s.gateway, s.dns1].concat(s.dns2 ? [s.dns2] : []).map(ipBytes).reduce((a, b) => a.concat(b), []));
  }
  if (p.proxy) {
    let data = [p.proxy.port & 0xff, p.proxy.port >> 8];
    const host = stringBytes(p.proxy.host);
    data = data.concat([host.length], host);
    if (p.proxy.username) {
      const user = stringBytes(p.proxy.username);
      data = data.concat([user.length], user);
      if (p.proxy.password) {
        const pw = stringBytes(p.proxy.password);
        data = data.concat([pw.length], pw);
      }
    }
    add(13, data);
  }
  add(5, hexIdBytes(p.planId).concat(hexIdBytes(p.token)));
  const packet = [entries.length].concat(entries);
  let crc = 0;
  for (const b of packet) crc = ((crc << 8) & 0xffff) ^ CRC_TABLE[((crc >> 8) ^ b) & 0xff]!;
  return packet.concat([crc >> 8, crc & 0xff]);
}

/** Each bit, MSB first, as "01" (black, grey) or "02" (black, white). */
function asciiEncode(bytes: number[]): string {
  let out = '';
  for (const b of bytes) {
    const bits = ('00000000' + b.toString(2)).slice(-8);
    for (let i = 0; i < 8; i++) out += bits.charAt(i) === '1' ? '02' : '01';
  }
  return out;
}

export function sdkStyleLevels(p: ConfigPayload): number[] {
  const preamble = asciiEncode([0, 0, 0, 0x2a]);
  const flashBits = asciiEncode(packetBytes(p)) + '000000';
  const all = preamble + flashBits;
  const levels: number[] = [];
  for (let i = 0; i < all.length; i++) levels.push(parseInt(all[i]!, 17));
  return levels;
}
