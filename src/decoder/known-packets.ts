/**
 * Packets decoded lately, to tell a new packet from a corrupted copy of one.
 *
 * The CRC of SDK 0.3.0 takes only 1024 values (see crc16.ts), so a packet with errors passes it
 * by chance one time in a thousand: a copy read with some bits in doubt, or one inferred rather
 * than read — repaired by bit flips, or the consensus of several failed copies. Where the same packet was decoded before, such a wrong
 * result lies a few bits from it: the copies' shared errors, which the CRC let through. (Two
 * genuine packets of the same length differ in the CRC's own bits and in whatever changed: a
 * token, a password.) So an unsure packet — inferred, or read with a bit in doubt — that differs
 * from a remembered one in a few bits is refused as a near copy. One read cleanly, every bit
 * sure, is judged only against remembered packets with its very check value: the CRC cannot see
 * two errors a multiple of 128 bits apart, so two whites dimmed to sure greys there keep it,
 * where a genuine change (a password fixed between sends) changes it 1023 times in 1024.
 *
 * Memory is bounded: the last few packets, each at most 258 bytes.
 */

/** Code of a failure whose packet was refused as a near copy of one decoded before. */
export const NEAR_COPY = 'NEAR_COPY';

/** A packet whose every bit is at least this confident (1: on a level) was read cleanly (as repair.ts's SURE). */
export const SURE_READ = 0.5;

/** Packets remembered. */
const REMEMBERED = 4;
/**
 * An inferred packet differing from a remembered one of the same length in at most this many bits
 * is a corrupted copy of it. (The wrong packet that showed the need differed in 4; a sum of
 * copies that slipped differs in many more, and is left to the CRC and the structure checks.)
 */
export const NEAR_COPY_BITS = 16;

export class KnownPackets {
  private readonly packets: Uint8Array[] = [];
  private next = 0;

  /** Remembers a packet decoded (a copy of its bytes: the caller's may be wiped for secrecy later). */
  remember(bytes: Uint8Array): void {
    if (this.packets.some((p) => p.length === bytes.length && differingBits(p, bytes) === 0)) return;
    const copy = Uint8Array.from(bytes);
    if (this.packets.length < REMEMBERED) this.packets.push(copy);
    else this.packets[this.next] = copy;
    this.next = (this.next + 1) % REMEMBERED;
  }

  /**
   * The fewest bits by which `bytes` differs from a remembered packet of its length — for a packet
   * read cleanly (`unsure` false), one with the same check value (its last two bytes) — if that
   * is 1 to NEAR_COPY_BITS; otherwise 0 (identical to one, or near none).
   */
  nearCopy(bytes: Uint8Array, unsure: boolean): number {
    let fewest = Infinity;
    const n = bytes.length;
    for (const p of this.packets) {
      if (p.length !== n || (!unsure && (p[n - 2] !== bytes[n - 2] || p[n - 1] !== bytes[n - 1]))) continue;
      fewest = Math.min(fewest, differingBits(p, bytes));
    }
    return fewest >= 1 && fewest <= NEAR_COPY_BITS ? fewest : 0;
  }

  reset(): void {
    this.packets.length = 0;
    this.next = 0;
  }
}

/** Hamming distance of two byte arrays of the same length. */
export function differingBits(a: Uint8Array, b: Uint8Array): number {
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    let x = a[i]! ^ b[i]!;
    for (; x !== 0; x &= x - 1) bits++;
  }
  return bits;
}
