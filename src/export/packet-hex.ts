/**
 * A packet as hex for people to read, with the secret bytes masked.
 *
 * The packet carries the Wi-Fi password, the enrolment token and any proxy password in clear.
 * A manifest is the kind of file that ends up pasted into a bug report, so unless the user asked
 * for secrets, every byte of those fields is shown as `**`, and so is the CRC, which is computed
 * over them (its 10 bits would narrow a search for them): the layout (lengths, types) stays
 * readable and the hex keeps its length, but the secrets do not travel with it.
 */
import { EntryType } from '../packet/types.js';

/** Half-open byte ranges `[start, end)` of the packet that hold secrets. */
export type ByteRange = readonly [start: number, end: number];

/**
 * Where the secrets are in an encoded packet: the password entry's data, the token half of the
 * enrolment entry, and the proxy password field. The packet is walked as `encodePacket` lays it
 * out; a malformed packet yields the ranges found before the damage and masks everything after
 * it, so nothing is ever revealed by a parse that went wrong.
 */
export function secretRanges(packet: Uint8Array): ByteRange[] {
  const ranges: ByteRange[] = [];
  const end = Math.min(packet.length, 1 + (packet[0] ?? 0));
  let o = 1;
  while (o + 2 <= end) {
    const type = packet[o]!;
    const n = packet[o + 1]!;
    const data = o + 2;
    if (data + n > end) break;
    if (type === EntryType.CLEAR_TEXT_PASSWORD && n > 0) ranges.push([data, data + n]);
    if (type === EntryType.ENROLMENT) {
      if (n !== 16) return [...ranges, [data, end]];
      ranges.push([data + 8, data + 16]); // plan id (8 bytes), then token (8 bytes)
    }
    if (type === EntryType.HTTP_PROXY_SETTINGS) {
      const pw = proxyPasswordRange(packet, data, data + n);
      if (pw === null) return [...ranges, [data, end]];
      if (pw[1] > pw[0]) ranges.push(pw);
    }
    o = data + n;
  }
  if (o < end) ranges.push([o, end]);
  return ranges;
}

/** Proxy data: port (2), len+host, [len+username, [len+password]]. Null if the fields don't tile. */
function proxyPasswordRange(p: Uint8Array, start: number, end: number): ByteRange | null {
  let o = start + 2;
  for (let field = 0; field < 2 && o < end; field++) o += 1 + p[o]!; // host, then username
  if (o > end) return null;
  if (o === end) return [end, end];
  const pwEnd = o + 1 + p[o]!;
  return pwEnd === end ? [o + 1, pwEnd] : null;
}

/** Lower-case hex of the packet; with `showSecrets` false, secret bytes become `**`. */
export function packetHex(packet: Uint8Array, showSecrets: boolean): string {
  const digits: string[] = new Array<string>(packet.length);
  for (let i = 0; i < packet.length; i++) digits[i] = packet[i]!.toString(16).padStart(2, '0');
  if (!showSecrets) {
    const ranges = secretRanges(packet);
    for (const [start, end] of ranges) digits.fill('**', start, end);
    const crc = 1 + (packet[0] ?? 0);
    if (ranges.length > 0) digits.fill('**', Math.min(crc, packet.length), crc + 2);
  }
  return digits.join('');
}
