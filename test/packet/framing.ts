import { crc16 } from '../../src/packet/crc16.js';

/** Sets L to the body's length and appends a correct CRC, so a parser's structural checks get exercised. */
export function withValidFrame(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 3);
  out[0] = body.length;
  out.set(body, 1);
  const crc = crc16(out, 0, body.length + 1);
  out[body.length + 1] = crc >>> 8;
  out[body.length + 2] = crc & 0xff;
  return out;
}
