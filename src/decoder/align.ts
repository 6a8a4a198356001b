/**
 * Aligning two receptions of one packet whose pulses slipped. At a weak signal a copy rarely
 * reads a bit wrong: it reads a pulse too many (a held or rippling frame split in two) or one too
 * few (two pulses merged), and every bit after the slip lands one place off. Adding such copies
 * position by position sums different bits, so the slips must be found first.
 *
 * The consensus is a sequence of exactly `n` columns (the length byte says how many bits the
 * packet has). A dynamic programme walks both receptions and the consensus together, one move at
 * a time:
 *
 *   match     both give the column's bit (costs nothing when they agree, the weaker confidence when not)
 *   extra A   A's bit is a split pulse: it gives no column        (SPLIT)
 *   extra B   likewise for B                                       (SPLIT)
 *   only B    A missed the column (a merged pulse): B alone gives it (MERGE)
 *   only A    likewise
 *
 * A tie between two copies (A missed a bit here and has an extra one there, or B the other way
 * round) is broken by the pulses' timing: a pulse about twice as long as a bit (two merged) makes a
 * missing bit next to it cheap, one much shorter (a pulse split in two) makes its bit cheap to
 * drop — see `slipHint`.
 *
 * A reception ends where its transmission did (a copy that read extra pulses goes on reading
 * the pulses after its announced length, one that missed some lost sync a few bits short), so
 * running out early is a missing bit like any other, and bits left over are extra ones. Where
 * both ran out, the column is left empty. Each reception may drift at most a few bits from the
 * consensus, so the work is O(n · band²) once per failed copy, never per sample.
 */

/**
 * How far (in bits) a reception may run ahead of the consensus (extra pulses read) or behind it
 * (pulses missed). Measured at swing 0.05, a copy reads up to six extra pulses but rarely misses
 * more than three.
 */
export const AHEAD = 8;
export const BEHIND = 4;
const WIDTH = AHEAD + BEHIND + 1;
const STATES = WIDTH * WIDTH;
/** Cost of declaring a bit a split pulse… */
const SPLIT = 2;
/** …and of declaring a bit missing (a merged pulse)… */
const MERGE = 3;
/** …and either, where the pulse's timing suggests that very slip. */
const SUSPECTED = 0.5;
/** A pulse (edge to next edge, or valley to valley) at most this many bit periods long may be half of a split one… */
const SHORT_PULSE = 0.62;
/** …and one at least this long may be two merged. */
const LONG_PULSE = 1.75;

/** A contradiction costs the weaker confidence, at most this (a sure mismatch). */
const MAX_MISMATCH = 1;
/** Both at least this confident (half-gaps) and disagreeing: a confident contradiction. */
const CONFIDENT = 0.5;

/** Bit flags of `Reception.hints`. */
export const SlipHint = { NONE: 0, SPLIT: 1, MERGE: 2 } as const;
/** The same flags for the per-pulse `slipHint`: the compiler folds module constants, not an exported object's fields. */
const HINT_NONE = 0;
const HINT_SPLIT = 1;
const HINT_MERGE = 2;

/**
 * What a bit's pulse says about slips near it, from its length in bit periods: edge to the next
 * pulse's edge, and valley to valley. (Measured at swing 0.05: of the pulses that were half of a
 * split one, most are under 0.62 periods, which 1 % of whole pulses are; merged ones run to two
 * periods, which few whole ones reach even with held frames.)
 */
export function slipHint(period: number, width: number): number {
  if (period < SHORT_PULSE || width < SHORT_PULSE) return HINT_SPLIT;
  if (period > LONG_PULSE || width > LONG_PULSE) return HINT_MERGE;
  return HINT_NONE;
}

const enum Move {
  None = 0,
  Match,
  ExtraA,
  ExtraB,
  OnlyA,
  OnlyB,
  Empty,
}

/**
 * A reception: its soft bits (a sum of `weight` copies per bit) and how many bits it holds — up to
 * AHEAD more than the packet's, for a copy that read extra pulses and went on reading.
 */
export interface Reception {
  readonly sum: ArrayLike<number>;
  readonly weight: ArrayLike<number>;
  readonly bits: number;
  /** Per bit, `SlipHint` flags from its pulse's timing (a single copy's; a consensus has none). */
  readonly hints?: ArrayLike<number>;
}

/**
 * The cost of dropping bit i of r as half of a split pulse: cheap if it, or the pulse before it,
 * was short; and for a consensus, paid once per copy that would have read that extra pulse.
 */
function splitCost(r: Reception, i: number): number {
  const h = r.hints;
  if (h !== undefined && (h[i]! | (i > 0 ? h[i - 1]! : 0)) & SlipHint.SPLIT) return SUSPECTED;
  return SPLIT * Math.max(1, r.weight[i]!);
}

/** The cost of r missing a bit just before its bit i: cheap after a long (merged) pulse; per copy that missed it. */
function mergeCost(r: Reception, i: number): number {
  const h = r.hints;
  const next = i < r.bits ? i : i - 1;
  if (h !== undefined && ((h[next]! | (i > 0 ? h[i - 1]! : 0)) & SlipHint.MERGE)) return SUSPECTED;
  return MERGE * Math.max(1, r.weight[next]!);
}

/** The consensus: per column, the summed soft bits and how many copies gave them. */
export interface Consensus {
  readonly sum: Float32Array;
  readonly weight: Float32Array;
}

export interface AlignmentSummary {
  /** Columns both gave and confidently disagreed on. */
  readonly conflicts: number;
  /** Bits declared split or missing (the slips the alignment assumed). */
  readonly slips: number;
}

/**
 * Reusable work space for `alignInto`: the back-pointers of one alignment (a byte per state per
 * column), sized for the longest packet seen — at most (MAX_PACKET_BITS + 1) · 13² ≈ 350 kB,
 * about 70 kB for a typical 50-byte packet.
 */
export class AlignmentScratch {
  moves = new Uint8Array(0);
  private cost = new Float64Array(STATES);
  private next = new Float64Array(STATES);

  /** The back-pointer array for `n` columns, and the two cost layers. */
  prepare(n: number): { moves: Uint8Array; cost: Float64Array; next: Float64Array } {
    const size = (n + 1) * STATES;
    if (this.moves.length < size) this.moves = new Uint8Array(size);
    else this.moves.fill(Move.None, 0, size);
    return { moves: this.moves, cost: this.cost, next: this.next };
  }
}

/** The mean soft value of column `i` of a reception. */
function mean(r: Reception, i: number): number {
  const w = r.weight[i]!;
  return w > 0 ? r.sum[i]! / w : 0;
}

/** What matching two bits costs: nothing when they agree, the weaker confidence when not. */
function mismatch(a: number, b: number): number {
  if (a * b >= 0) return 0;
  return Math.min(Math.abs(a), Math.abs(b), MAX_MISMATCH);
}

/** State index for offsets dA = i − c and dB = j − c. */
const state = (dA: number, dB: number): number => (dA + BEHIND) * WIDTH + (dB + BEHIND);

/**
 * Aligns reception `b` onto `a` and writes their consensus (`n` columns) into `out`. Returns
 * what the alignment had to assume, or null when no alignment within the band exists.
 */
export function alignInto(a: Reception, b: Reception, n: number, out: Consensus, scratch: AlignmentScratch): AlignmentSummary | null {
  const work = scratch.prepare(n);
  const moves = work.moves;
  let cost = work.cost;
  let next = work.next;
  cost.fill(Infinity);
  cost[state(0, 0)] = 0;
  relaxExtras(a, b, 0, cost, moves);
  for (let c = 0; c < n; c++) {
    next.fill(Infinity);
    const layer = (c + 1) * STATES;
    for (let dA = -BEHIND; dA <= AHEAD; dA++) {
      for (let dB = -BEHIND; dB <= AHEAD; dB++) {
        const here = cost[state(dA, dB)]!;
        if (here === Infinity) continue;
        const i = c + dA;
        const j = c + dB;
        const hasA = i < a.bits;
        const hasB = j < b.bits;
        // One column: from both, from one alone, or (both ran out) from neither.
        if (hasA && hasB) offer(next, moves, layer, dA, dB, here + mismatch(mean(a, i), mean(b, j)), Move.Match);
        if (hasB && dA > -BEHIND) offer(next, moves, layer, dA - 1, dB, here + mergeCost(a, i), Move.OnlyB);
        if (hasA && dB > -BEHIND) offer(next, moves, layer, dA, dB - 1, here + mergeCost(b, j), Move.OnlyA);
        if (!hasA && !hasB && dA > -BEHIND && dB > -BEHIND) offer(next, moves, layer, dA - 1, dB - 1, here + mergeCost(a, i) + mergeCost(b, j), Move.Empty);
      }
    }
    relaxExtras(a, b, c + 1, next, moves);
    [cost, next] = [next, cost];
  }
  // Bits a reception read past the last column are extra pulses too.
  let best = -1;
  let bestCost = Infinity;
  for (let dA = -BEHIND; dA <= AHEAD; dA++) {
    for (let dB = -BEHIND; dB <= AHEAD; dB++) {
      const s = state(dA, dB);
      const total = cost[s]! + SPLIT * (Math.max(0, a.bits - n - dA) + Math.max(0, b.bits - n - dB));
      if (total < bestCost) {
        bestCost = total;
        best = s;
      }
    }
  }
  if (best < 0) return null;
  return traceBack(a, b, n, best, moves, out);
}

function offer(layerCost: Float64Array, moves: Uint8Array, layer: number, dA: number, dB: number, value: number, move: Move): void {
  const s = state(dA, dB);
  if (value < layerCost[s]!) {
    layerCost[s] = value;
    moves[layer + s] = move;
  }
}

/** Within column c: a bit of A or of B declared a split pulse moves that reception on, not the consensus. */
function relaxExtras(a: Reception, b: Reception, c: number, layerCost: Float64Array, moves: Uint8Array): void {
  const layer = c * STATES;
  // Offsets only grow within a column, so one pass in increasing order settles every state.
  for (let dA = -BEHIND; dA <= AHEAD; dA++) {
    for (let dB = -BEHIND; dB <= AHEAD; dB++) {
      const here = layerCost[state(dA, dB)]!;
      if (here === Infinity) continue;
      if (dA < AHEAD && c + dA < a.bits) offer(layerCost, moves, layer, dA + 1, dB, here + splitCost(a, c + dA), Move.ExtraA);
      if (dB < AHEAD && c + dB < b.bits) offer(layerCost, moves, layer, dA, dB + 1, here + splitCost(b, c + dB), Move.ExtraB);
    }
  }
}

/** Follows the back-pointers from column n to 0, writing each column of the consensus. */
function traceBack(a: Reception, b: Reception, n: number, end: number, moves: Uint8Array, out: Consensus): AlignmentSummary {
  let dA = Math.floor(end / WIDTH) - BEHIND;
  let dB = (end % WIDTH) - BEHIND;
  let c = n;
  let conflicts = 0;
  let slips = 0;
  while (c > 0 || dA !== 0 || dB !== 0) {
    const move = moves[c * STATES + state(dA, dB)]! as Move;
    const i = c + dA;
    const j = c + dB;
    switch (move) {
      case Move.ExtraA:
        dA--;
        slips++;
        continue;
      case Move.ExtraB:
        dB--;
        slips++;
        continue;
      case Move.Match: {
        const ma = mean(a, i - 1);
        const mb = mean(b, j - 1);
        if (ma * mb < 0 && Math.abs(ma) >= CONFIDENT && Math.abs(mb) >= CONFIDENT) conflicts++;
        out.sum[c - 1] = a.sum[i - 1]! + b.sum[j - 1]!;
        out.weight[c - 1] = a.weight[i - 1]! + b.weight[j - 1]!;
        break;
      }
      case Move.OnlyB:
        out.sum[c - 1] = b.sum[j - 1]!;
        out.weight[c - 1] = b.weight[j - 1]!;
        dA++;
        if (i < a.bits) slips++;
        break;
      case Move.OnlyA:
        out.sum[c - 1] = a.sum[i - 1]!;
        out.weight[c - 1] = a.weight[i - 1]!;
        dB++;
        if (j < b.bits) slips++;
        break;
      case Move.Empty:
        out.sum[c - 1] = 0;
        out.weight[c - 1] = 0;
        dA++;
        dB++;
        slips++;
        break;
      default:
        throw new Error('alignment back-pointers are inconsistent'); // unreachable: every reached state has a move
    }
    c--;
  }
  return { conflicts, slips };
}
