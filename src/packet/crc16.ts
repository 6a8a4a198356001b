/**
 * The BlinkUp CRC-16 (PROTOCOL.md §2).
 *
 * The table is the usual reflected table for polynomial 0xA001, but SDK 0.3.0 applies it with
 * the MSB-first update rule. The mix makes it match no catalogued CRC, so no library CRC will do.
 */
const TABLE: Uint16Array = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC of `bytes[start, end)`; check values: "123456789" → 0x9540, 02 07 00 → 0x1D41. */
export function crc16(bytes: ArrayLike<number>, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ bytes[i]!) & 0xff]!;
  }
  return crc;
}
