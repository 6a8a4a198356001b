/**
 * Stage 7 — repetition combining. Apps flash the same packet again and again; a weak signal may
 * spoil every single copy, but at different places. Adding the soft bits of the failed copies
 * lets the good pulses of one copy outvote the bad ones of another — what no single reception
 * gives.
 *
 * At a weak signal the copies mostly slip rather than misread: a pulse split in two or two
 * merged, after which every bit sits one place off (measured on the swing-0.05 tier). So a new
 * copy is aligned onto what the slot holds (see align.ts) before it is added: the slot keeps a
 * consensus of exactly the packet's length, each column the sum of the copies that gave it.
 * Copies that lost sync a few bits short (a merged pulse left the packet's last bit missing)
 * join too.
 *
 * Memory is bounded: a few slots (one per length byte), least recently used evicted, each at most
 * one packet of floats and weights, plus the alignment's work space.
 *
 * Packets of the same length are not always the same packet — a factory flashes one token after
 * another — and a sum of two different packets is noise that the CRC (1024 values) lets through
 * one time in a thousand. So a copy that confidently contradicts what a slot holds, or that only
 * lines up by assuming many slips, starts the slot afresh instead of being added.
 */
import { AHEAD, alignInto, AlignmentScratch, BEHIND, SlipHint, type Consensus, type Reception } from './align.js';
import { MAX_PACKET_BITS } from './framer.js';

/** Different packet lengths remembered at once. */
const SLOTS = 4;
/** Copies per slot before the oldest evidence is halved (keeps the sums bounded and fresh). */
const MAX_COPIES = 16;
/** More than this many confident contradictions make the new copy another packet… */
const MAX_CONFLICTS = 2;
/** …and so do more slips than a copy makes (another packet lines up a little better by slipping a lot). */
const MAX_SLIPS = 16;
/** A copy this many bits short of its packet cannot be aligned (it slipped more than the band)… */
export const MAX_MISSING_BITS = BEHIND;
/** …and bits read past the packet's end beyond these are of no use (see `add`). */
export const MAX_OVERRUN_BITS = AHEAD;
/** The longest copy a slot holds. */
const MAX_COPY_BITS = MAX_PACKET_BITS + MAX_OVERRUN_BITS;

/** The copies of one length byte gathered so far: their consensus (a `Reception` of `bits` columns). */
interface Slot {
  length: number;
  copies: number;
  lastUse: number;
  bits: number;
  sum: Float32Array;
  weight: Float32Array;
  /** The `SlipHint`s of the first copy: they describe the consensus only while it is that copy alone. */
  readonly hints: Uint8Array;
}

export interface Combined {
  /** Per bit: the summed soft values of the copies that gave it… */
  readonly sum: Float32Array;
  /** …and how many copies that was (0: none did). */
  readonly weight: Float32Array;
  readonly copies: number;
}

export class RepetitionCombiner {
  private readonly slots: Slot[] = [];
  private clock = 0;
  private readonly scratch = new AlignmentScratch();
  /** The consensus being built, swapped with the slot's arrays once complete. */
  private spare: Consensus = { sum: new Float32Array(MAX_COPY_BITS), weight: new Float32Array(MAX_COPY_BITS) };

  /**
   * Adds the soft bits of a failed copy — `bits` of the `nbits` = (L + 3)·8 its length byte L
   * announced (fewer when it lost sync), with its pulses' `SlipHint`s if known — and returns the consensus of the copies so far.
   */
  add(length: number, soft: ArrayLike<number>, nbits: number, bits = nbits, hints?: ArrayLike<number>): Combined {
    const slot = this.slotFor(length);
    const copy: Reception = { sum: soft, weight: ONES, bits: Math.min(bits, nbits + MAX_OVERRUN_BITS), ...(hints ? { hints } : {}) };
    if (slot.copies > 0 && !this.merge(slot, copy, nbits)) slot.copies = 0;
    if (slot.copies === 0) start(slot, copy, nbits);
    slot.copies++;
    slot.lastUse = ++this.clock;
    return { sum: slot.sum, weight: slot.weight, copies: slot.copies };
  }

  /** Drops what was gathered for packets of this length (after one of them decoded). */
  forget(length: number): void {
    const slot = this.slots.find((s) => s.length === length);
    if (slot) slot.copies = 0;
  }

  reset(): void {
    this.slots.length = 0;
    this.clock = 0;
  }

  private slotFor(length: number): Slot {
    let slot = this.slots.find((s) => s.length === length);
    if (slot) return slot;
    if (this.slots.length < SLOTS) {
      slot = {
        length,
        copies: 0,
        lastUse: 0,
        bits: 0,
        sum: new Float32Array(MAX_COPY_BITS),
        weight: new Float32Array(MAX_COPY_BITS),
        hints: new Uint8Array(MAX_COPY_BITS),
      };
      this.slots.push(slot);
      return slot;
    }
    slot = this.slots.reduce((a, b) => (a.lastUse <= b.lastUse ? a : b));
    slot.length = length;
    slot.copies = 0;
    return slot;
  }

  /** Aligns the copy onto the slot's consensus; false (nothing changed) when it looks like another packet. */
  private merge(slot: Slot, copy: Reception, nbits: number): boolean {
    const out = this.spare;
    const held: Reception = slot.copies === 1 ? slot : { sum: slot.sum, weight: slot.weight, bits: slot.bits };
    const summary = alignInto(held, copy, nbits, out, this.scratch);
    if (summary === null || summary.conflicts > MAX_CONFLICTS || summary.slips > MAX_SLIPS) return false;
    this.spare = { sum: slot.sum, weight: slot.weight };
    slot.sum = out.sum;
    slot.weight = out.weight;
    slot.bits = nbits;
    if (slot.copies >= MAX_COPIES) halve(slot, nbits);
    return true;
  }
}

/** A weight of one copy for every bit. */
const ONES = new Float32Array(MAX_COPY_BITS).fill(1);

/** The slot starts over from one copy. */
function start(slot: Slot, copy: Reception, nbits: number): void {
  for (let i = 0; i < Math.max(nbits, copy.bits); i++) {
    const has = i < copy.bits;
    slot.sum[i] = has ? copy.sum[i]! : 0;
    slot.weight[i] = has ? 1 : 0;
    slot.hints[i] = has && copy.hints ? copy.hints[i]! : SlipHint.NONE;
  }
  slot.bits = copy.bits;
}

/** Halves the evidence, so old copies fade and the sums stay bounded. */
function halve(slot: Slot, nbits: number): void {
  for (let i = 0; i < nbits; i++) {
    slot.sum[i] = slot.sum[i]! * 0.5;
    slot.weight[i] = slot.weight[i]! * 0.5;
  }
  slot.copies >>= 1;
}
