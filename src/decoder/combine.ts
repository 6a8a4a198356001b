/**
 * Stage 7 — repetition combining. Apps flash the same packet again and again; a weak signal may
 * spoil every single copy, but at different bits. Adding the soft bits of the failed copies
 * (same length byte, so the bits line up) lets the good pulses of one copy outvote the bad ones
 * of another — what no single reception gives.
 *
 * Memory is bounded: a few slots (one per length byte), least recently used evicted, each at most
 * one packet of floats.
 *
 * Packets of the same length are not always the same packet — a factory flashes one token after
 * another — and a sum of two different packets is noise that the CRC (1024 values) lets through
 * one time in a thousand. So a copy that confidently contradicts what a slot holds starts the slot
 * afresh instead of being added.
 */
import { MAX_PACKET_BITS } from './framer.js';

/** Different packet lengths remembered at once. */
const SLOTS = 4;
/** Copies per slot before the oldest evidence is halved (keeps the sums bounded and fresh). */
const MAX_COPIES = 16;
/** A bit decided with at least this soft magnitude (half-gaps) in both is a confident decision… */
const CONFIDENT = 0.5;
/** …and more than this many confident contradictions make the new copy another packet. */
const MAX_CONFLICTS = 2;

interface Slot {
  length: number;
  copies: number;
  lastUse: number;
  readonly sum: Float32Array;
}

export class RepetitionCombiner {
  private readonly slots: Slot[] = [];
  private clock = 0;

  /**
   * Adds the soft bits of a failed copy (`nbits` = (L + 3)·8, L its length byte) and returns
   * the running sum and how many copies it holds.
   */
  add(length: number, soft: ArrayLike<number>, nbits: number): { readonly sum: Float32Array; readonly copies: number } {
    let slot = this.slots.find((s) => s.length === length);
    if (!slot) {
      if (this.slots.length < SLOTS) {
        slot = { length, copies: 0, lastUse: 0, sum: new Float32Array(MAX_PACKET_BITS) };
        this.slots.push(slot);
      } else {
        slot = this.slots.reduce((a, b) => (a.lastUse <= b.lastUse ? a : b));
        slot.length = length;
        slot.copies = 0;
        slot.sum.fill(0);
      }
    }
    const sum = slot.sum;
    if (slot.copies > 0 && conflicts(sum, slot.copies, soft, nbits) > MAX_CONFLICTS) {
      slot.copies = 0;
      sum.fill(0);
    }
    if (slot.copies >= MAX_COPIES) {
      for (let i = 0; i < nbits; i++) sum[i] = sum[i]! * 0.5;
      slot.copies >>= 1;
    }
    for (let i = 0; i < nbits; i++) sum[i] = sum[i]! + soft[i]!;
    slot.copies++;
    slot.lastUse = ++this.clock;
    return { sum, copies: slot.copies };
  }

  /** Drops what was gathered for packets of this length (after one of them decoded). */
  forget(length: number): void {
    const i = this.slots.findIndex((s) => s.length === length);
    if (i >= 0) {
      this.slots[i]!.copies = 0;
      this.slots[i]!.sum.fill(0);
    }
  }

  reset(): void {
    this.slots.length = 0;
    this.clock = 0;
  }
}

/** Bits where `soft` and the slot's mean are both confident and disagree. */
function conflicts(sum: Float32Array, copies: number, soft: ArrayLike<number>, nbits: number): number {
  let n = 0;
  for (let i = 0; i < nbits; i++) {
    const mean = sum[i]! / copies;
    const v = soft[i]!;
    if (mean * v < 0 && Math.abs(mean) >= CONFIDENT && Math.abs(v) >= CONFIDENT) n++;
  }
  return n;
}
