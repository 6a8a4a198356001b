/**
 * The WebAssembly module of the decoder's kernels (see kernels.ts), assembled here from named
 * instructions: no binary blob and no build step. Each helper returns the bytes of one
 * instruction with its operands first — the folded form of the text format, so the code below
 * reads like a `.wat` file: `set(Y, f64x2.mul(get(A), get(B)))` is
 * `(local.set $Y (f64x2.mul (local.get $A) (local.get $B)))`.
 *
 * Module: one memory of 2 pages (fixed: never grows, so a view on it is never detached), exported
 * as "m", and one function "box" — `Conditioner.smoothBox`'s loop (condition.ts), see `boxBody`.
 */

type Code = number[];

// ---- encoding -----------------------------------------------------------------------------------

function uleb(n: number): Code {
  const out: Code = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): Code {
  const out: Code = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function f64Bytes(x: number): Code {
  return Array.from(new Uint8Array(new Float64Array([x]).buffer));
}

const cat = (...parts: Code[]): Code => ([] as number[]).concat(...parts);
const vec = (items: Code[]): Code => cat(uleb(items.length), ...items);
const section = (id: number, body: Code): Code => cat([id], uleb(body.length), body);
/** Memory operand: log2 of the alignment, and a constant offset. */
const memarg = (align: number, offset: number): Code => cat(uleb(align), uleb(offset));
/** A 0xfd-prefixed (SIMD) instruction after its operands. */
const simd = (op: number, ...operands: Code[]): Code => cat(...operands, [0xfd], uleb(op));

// ---- instructions ---------------------------------------------------------------------------------

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
const EMPTY = 0x40;

const get = (local: number): Code => [0x20, ...uleb(local)];
const set = (local: number, value: Code): Code => cat(value, [0x21], uleb(local));
const i32c = (n: number): Code => [0x41, ...sleb(n)];
const f64c = (x: number): Code => [0x44, ...f64Bytes(x)];

const i32 = {
  add: (a: Code, b: Code): Code => cat(a, b, [0x6a]),
  sub: (a: Code, b: Code): Code => cat(a, b, [0x6b]),
  and: (a: Code, b: Code): Code => cat(a, b, [0x71]),
  shl: (a: Code, b: Code): Code => cat(a, b, [0x74]),
  geU: (a: Code, b: Code): Code => cat(a, b, [0x4f]),
};

const f64 = {
  load: (address: Code, offset = 0): Code => cat(address, [0x2b], memarg(3, offset)),
  store: (address: Code, value: Code, offset = 0): Code => cat(address, value, [0x39], memarg(3, offset)),
  add: (a: Code, b: Code): Code => cat(a, b, [0xa0]),
  sub: (a: Code, b: Code): Code => cat(a, b, [0xa1]),
  mul: (a: Code, b: Code): Code => cat(a, b, [0xa2]),
  min: (a: Code, b: Code): Code => cat(a, b, [0xa4]),
  max: (a: Code, b: Code): Code => cat(a, b, [0xa5]),
  abs: (a: Code): Code => cat(a, [0x99]),
  gt: (a: Code, b: Code): Code => cat(a, b, [0x64]),
  convertI64S: (a: Code): Code => cat(a, [0xb9]),
};

const i64 = { add: (a: Code, b: Code): Code => cat(a, b, [0x7c]) };

const v128 = {
  /** Unaligned 16-byte load (alignment hint 8). */
  load: (address: Code, offset = 0): Code => cat(simd(0x00, address), memarg(3, offset)),
  store: (address: Code, value: Code, offset = 0): Code => cat(simd(0x0b, address, value), memarg(3, offset)),
  i64x2: (lo: bigint, hi: bigint): Code => {
    const b = new BigInt64Array([lo, hi]);
    return cat([0xfd], uleb(0x0c), Array.from(new Uint8Array(b.buffer)));
  },
  and: (a: Code, b: Code): Code => simd(0x4e, a, b),
  andnot: (a: Code, b: Code): Code => simd(0x4f, a, b),
};

const f64x2 = {
  splat: (a: Code): Code => simd(0x14, a),
  extractLane: (a: Code, lane: number): Code => cat(simd(0x21, a), [lane]),
  replaceLane: (a: Code, lane: number, b: Code): Code => cat(simd(0x22, a, b), [lane]),
  gt: (a: Code, b: Code): Code => simd(0x4a, a, b),
  abs: (a: Code): Code => simd(0xec, a),
  add: (a: Code, b: Code): Code => simd(0xf0, a, b),
  sub: (a: Code, b: Code): Code => simd(0xf1, a, b),
  /** Pseudo-minimum `b < a ? b : a` (one minpd): see `boxBody` on NaN and signed zeros. */
  pmin: (a: Code, b: Code): Code => simd(0xf6, a, b),
  pmax: (a: Code, b: Code): Code => simd(0xf7, a, b),
};

const i64x2 = {
  extractLane: (a: Code, lane: number): Code => cat(simd(0x1d, a), [lane]),
  sub: (a: Code, b: Code): Code => simd(0xd1, a, b),
};

const block = (...body: Code[]): Code => cat([0x02, EMPTY], ...body, [0x0b]);
const loop = (...body: Code[]): Code => cat([0x03, EMPTY], ...body, [0x0b]);
const ifThenElse = (cond: Code, then: Code[], otherwise: Code[]): Code => cat(cond, [0x04, EMPTY], ...then, [0x05], ...otherwise, [0x0b]);
const ifThen = (cond: Code, ...then: Code[]): Code => cat(cond, [0x04, EMPTY], ...then, [0x0b]);
/** Branch to the enclosing block/loop `depth` levels out (0: the innermost). */
const br = (depth: number): Code => [0x0c, ...uleb(depth)];
const brIf = (depth: number, cond: Code): Code => cat(cond, [0x0d], uleb(depth));

// ---- memory layout (bytes; kernels.ts reads the same in f64 slots) --------------------------------

/** Input samples (the boxcar's `w` before the piece, then the piece). */
export const IN_BYTE = 0;
/** Smoothed piece. */
export const OUT_BYTE = 32768;
/** Piece statistics in and out: low high rawMin rawMax brightRipple bright darkRipple. */
export const SCRATCH_BYTE = 65536;
export const PAGES = 2;

// ---- the box kernel -------------------------------------------------------------------------------

// Parameters, then locals (numbered in that order).
const m = 0, w = 1, inv = 2, mid = 3, sum = 4; // (m i32, w i32, inv f64, mid f64, sum f64) -> sum f64
const px = 5, pl = 6, end = 7; // i32
const y0 = 8, y1 = 9, x0 = 10; // f64
const X = 11, D = 12, Y = 13, R = 14, G = 15, B = 16, lo = 17, hi = 18, rlo = 19, rhi = 20, bc = 21, M = 22, BR = 23, DR = 24; // v128
const LOCALS: Array<[count: number, type: number]> = [[3, I32], [3, F64], [14, V128]];

const scratch = (slot: number): Code => i32c(SCRATCH_BYTE + 8 * slot);
const LOW = 0, HIGH = 1, RAW_MIN = 2, RAW_MAX = 3, BRIGHT_RIPPLE = 4, BRIGHT = 5, DARK_RIPPLE = 6;

/**
 * box(m, w, inv, mid, sum) → sum: the boxcar over the `m` samples at IN + 8w (the `w` before them
 * at IN), smoothed values to OUT, the piece statistics in and out at SCRATCH, as smoothBox's loop
 * computes them once the boxcar is full. Bit for bit: the running sum (and every value smoothed
 * from it) takes the same operations in the same order as the loop, one sample after the other;
 * the ripple sums are kept in two lanes, the call's even samples and its odd ones, as the loop
 * keeps them; the extremes and the bright count, which no order changes, go two samples at a
 * time. (pmin/pmax, unlike Math.min/max, let a NaN pass and may keep +0 for −0: a NaN or an
 * infinity leaves the running sum non-finite, which rejects the piece anyway, and the sign of a
 * zero extreme is used nowhere.)
 */
function boxBody(): Code {
  const lane0 = (v: number): Code => f64x2.extractLane(get(v), 0);
  const lane1 = (v: number): Code => f64x2.extractLane(get(v), 1);
  /** Adds `x` to lane 0 of the vector in local `v` (an odd piece's last sample, which is an even one). */
  const addToLane0 = (v: number, x: Code): Code => set(v, f64x2.replaceLane(get(v), 0, f64.add(lane0(v), x)));
  /** The piece's sum of the two lanes of `v` added to the total carried in at `slot`, as the loop adds them. */
  const storeLaneSum = (slot: number, v: number): Code => f64.store(scratch(slot), f64.add(f64.load(scratch(slot)), f64.add(lane0(v), lane1(v))));
  const pair = loop(
    brIf(1, i32.geU(get(pl), get(end))),
    set(X, v128.load(get(px))),
    set(D, f64x2.sub(get(X), v128.load(get(pl)))), // entering − leaving, both samples (the same subtractions)
    set(sum, f64.add(get(sum), lane0(D))),
    set(y0, f64.mul(get(sum), get(inv))),
    set(sum, f64.add(get(sum), lane1(D))),
    set(y1, f64.mul(get(sum), get(inv))),
    set(Y, f64x2.replaceLane(f64x2.splat(get(y0)), 1, get(y1))),
    v128.store(get(pl), get(Y), OUT_BYTE),
    set(lo, f64x2.pmin(get(lo), get(Y))),
    set(hi, f64x2.pmax(get(hi), get(Y))),
    set(rlo, f64x2.pmin(get(rlo), get(X))),
    set(rhi, f64x2.pmax(get(rhi), get(X))),
    set(R, f64x2.abs(f64x2.sub(get(X), v128.load(i32.sub(get(px), i32c(8)))))), // |x − previous|
    set(G, f64x2.gt(get(Y), get(M))), // bright: all ones
    set(bc, i64x2.sub(get(bc), get(G))),
    set(B, v128.and(get(R), get(G))),
    set(R, v128.andnot(get(R), get(G))),
    set(BR, f64x2.add(get(BR), get(B))),
    set(DR, f64x2.add(get(DR), get(R))),
    set(pl, i32.add(get(pl), i32c(16))),
    set(px, i32.add(get(px), i32c(16))),
    br(0),
  );
  // An odd piece: its last sample alone.
  const tail = ifThen(
    i32.and(get(m), i32c(1)),
    set(x0, f64.load(get(px))),
    set(sum, f64.add(get(sum), f64.sub(get(x0), f64.load(get(pl))))),
    set(y0, f64.mul(get(sum), get(inv))),
    f64.store(get(pl), get(y0), OUT_BYTE),
    set(lo, f64x2.pmin(get(lo), f64x2.splat(get(y0)))),
    set(hi, f64x2.pmax(get(hi), f64x2.splat(get(y0)))),
    set(rlo, f64x2.pmin(get(rlo), f64x2.splat(get(x0)))),
    set(rhi, f64x2.pmax(get(rhi), f64x2.splat(get(x0)))),
    set(y1, f64.abs(f64.sub(get(x0), f64.load(i32.sub(get(px), i32c(8)))))),
    ifThenElse(
      f64.gt(get(y0), get(mid)),
      [addToLane0(BR, get(y1)), set(bc, i64x2.sub(get(bc), v128.i64x2(-1n, 0n)))],
      [addToLane0(DR, get(y1))],
    ),
  );
  return cat(
    set(M, f64x2.splat(get(mid))),
    set(lo, f64x2.splat(f64.load(scratch(LOW)))),
    set(hi, f64x2.splat(f64.load(scratch(HIGH)))),
    set(rlo, f64x2.splat(f64.load(scratch(RAW_MIN)))),
    set(rhi, f64x2.splat(f64.load(scratch(RAW_MAX)))),
    set(BR, f64x2.splat(f64c(0))),
    set(DR, f64x2.splat(f64c(0))),
    set(pl, i32c(IN_BYTE)), // (IN_BYTE is 0: byte offsets below are measured from it)
    set(px, i32.shl(get(w), i32c(3))),
    set(end, i32.shl(i32.and(get(m), i32c(-2)), i32c(3))),
    block(pair),
    tail,
    f64.store(scratch(LOW), f64.min(lane0(lo), lane1(lo))),
    f64.store(scratch(HIGH), f64.max(lane0(hi), lane1(hi))),
    f64.store(scratch(RAW_MIN), f64.min(lane0(rlo), lane1(rlo))),
    f64.store(scratch(RAW_MAX), f64.max(lane0(rhi), lane1(rhi))),
    storeLaneSum(BRIGHT_RIPPLE, BR),
    f64.store(scratch(BRIGHT), f64.add(f64.load(scratch(BRIGHT)), f64.convertI64S(i64.add(i64x2.extractLane(get(bc), 0), i64x2.extractLane(get(bc), 1))))),
    storeLaneSum(DARK_RIPPLE, DR),
    get(sum),
  );
}

// ---- the module -----------------------------------------------------------------------------------

const utf8 = (s: string): Code => vec(Array.from(s, (c) => [c.charCodeAt(0)]));

/** The module's bytes. */
export function kernelModule(): Uint8Array<ArrayBuffer> {
  const boxType = cat([0x60], vec([[I32], [I32], [F64], [F64], [F64]]), vec([[F64]]));
  const locals = vec(LOCALS.map(([count, type]) => cat(uleb(count), [type])));
  const body = cat(locals, boxBody(), [0x0b]);
  return Uint8Array.from(
    cat(
      [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
      section(1, vec([boxType])), // types
      section(3, vec([uleb(0)])), // functions: box has type 0
      section(5, vec([cat([0x01], uleb(PAGES), uleb(PAGES))])), // memory: min = max
      section(7, vec([cat(utf8('m'), [0x02], uleb(0)), cat(utf8('box'), [0x00], uleb(0))])), // exports
      section(10, vec([cat(uleb(body.length), body)])), // code
    ),
  );
}
