/**
 * At camera rates the pulse path and the frame-sequence stage (frame-sequence.ts) each decode the
 * same transmission, and their errors fall on different bits: the pulse path misjudges a pulse
 * its PWM ripple or a slow pixel bent, the stage a frame whose mix it fits badly. When both copies
 * fail, their soft bits averaged are one better copy: checked, and repaired under the usual
 * limits, as repetitions are in the combiner (the same few extra CRC trials per failed pair).
 */
import { MAX_PACKET_BITS } from './framer.js';
import { checkPacket, hardBytes, repairPacket, type Repaired } from './repair.js';
import type { RepairOptions } from './types.js';

/** The time span of a copy, seconds: two copies overlap when they are of one transmission. */
export interface CopySpan {
  readonly startS: number;
  readonly endS: number;
}

/** Holds the last failed copy of either path, for the other path's copy of the same transmission. */
export class OtherOpinion {
  private readonly soft = new Float32Array(MAX_PACKET_BITS);
  private readonly sum = new Float32Array(MAX_PACKET_BITS);
  private bits = 0;
  private startS = 0;
  private endS = 0;
  private fromSequence = false;

  /**
   * `soft` (`nbits` bits over `span`) failed on its own. Joined with the other path's failed copy
   * of the same transmission (same length, overlapping span): the packet if the average checks or
   * is repaired. Otherwise null, and this copy is kept for the other path.
   */
  join(soft: Float32Array, nbits: number, span: CopySpan, fromSequence: boolean, limits: RepairOptions): Repaired | null {
    const other = this.bits === nbits && this.fromSequence !== fromSequence && this.startS <= span.endS && span.startS <= this.endS;
    if (other) {
      const sum = this.sum;
      for (let i = 0; i < nbits; i++) sum[i] = 0.5 * (this.soft[i]! + soft[i]!);
      this.bits = 0;
      const bytes = hardBytes(sum, nbits);
      const check = checkPacket(bytes);
      if (check.ok) return { payload: check.payload, bytes, flips: 0 };
      return repairPacket(sum, nbits, limits);
    }
    this.soft.set(soft.subarray(0, nbits));
    this.bits = nbits;
    this.startS = span.startS;
    this.endS = span.endS;
    this.fromSequence = fromSequence;
    return null;
  }

  reset(): void {
    this.bits = 0;
  }
}
