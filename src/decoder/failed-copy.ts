/**
 * A failed copy on its way to the combiner, waiting for the pulses that follow it. A copy that
 * read an extra pulse (one split in two) reached the length its length byte announced one bit
 * early: its real last bit is the next pulse, before the trailer's dark gap. So the pulses that
 * follow at the bit rate are appended to it (at most MAX_OVERRUN_BITS) before it is combined;
 * the alignment (align.ts) decides which of its bits are the packet's.
 */
import { MAX_OVERRUN_BITS } from './combine.js';
import { MAX_PACKET_BITS } from './framer.js';
import type { PacketEvent } from './types.js';

/** Where and how well the copy was received, for the packet event a combination may give. */
export type CopyInfo = Pick<PacketEvent, 'startS' | 'endS' | 'quality'>;

export class FailedCopy {
  /** Soft bits and `SlipHint`s of the copy, then of the pulses after it. */
  readonly soft = new Float32Array(MAX_PACKET_BITS + MAX_OVERRUN_BITS);
  readonly hints = new Uint8Array(MAX_PACKET_BITS + MAX_OVERRUN_BITS);
  /** Its length byte, the bits that announced, and the bits held (more once pulses followed). */
  length = 0;
  nbits = 0;
  bits = 0;
  info: CopyInfo | null = null;
  /** Still taking the pulses that follow. */
  open = false;

  /** Holds a copy of `nbits` bits; `continues`: another pulse follows its last one at the bit rate. */
  hold(length: number, soft: ArrayLike<number>, hints: ArrayLike<number>, nbits: number, info: CopyInfo, continues: boolean): void {
    for (let i = 0; i < nbits; i++) {
      this.soft[i] = soft[i]!;
      this.hints[i] = hints[i]!;
    }
    this.length = length;
    this.nbits = this.bits = nbits;
    this.info = info;
    this.open = continues;
  }

  /** Appends the next pulse's bit; returns true once the copy is complete (a gap follows, or no room). */
  extend(soft: number, hint: number, continues: boolean): boolean {
    this.soft[this.bits] = soft;
    this.hints[this.bits] = hint;
    this.bits++;
    this.open = continues && this.bits < this.nbits + MAX_OVERRUN_BITS;
    return !this.open;
  }

  /** Hands the copy over (once): null when none is held. */
  take(): CopyInfo | null {
    const info = this.info;
    this.info = null;
    this.open = false;
    return info;
  }
}
