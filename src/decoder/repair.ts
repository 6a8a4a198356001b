/**
 * Stage 6 — checking and bounded repair. The framer hands over soft bits; this stage decides
 * them into bytes and lets `parsePacket` judge (CRC and structure). When that fails, the few
 * least-confident bits are the likely culprits: flipping one or two of them (never the length
 * byte, which decided how many bits were read) and re-checking recovers many packets a single
 * noisy pulse spoiled.
 *
 * The CRC of SDK 0.3.0 takes only 1024 values (see crc16.ts), so every trial is a 1-in-1024
 * chance of a false match, and a packet with an error the search does not cover is a lottery:
 * searching ten bits in pairs (55 trials) accepted more wrong packets than it repaired in the
 * hardening measurements (issue 6). So the search runs only when it is nearly certain to hold the
 * error: a few bits are in doubt and every other bit is sure. Then it tries at most seven
 * combinations, and a candidate must pass the full structural parse too — never the CRC alone.
 */
import { crc16 } from '../packet/crc16.js';
import { BlinkUpError, describeType, ErrorCode, isBlinkUpError } from '../packet/errors.js';
import { parsePacket } from '../packet/parse.js';
import type { Payload } from '../packet/types.js';
import type { RepairOptions } from './types.js';

/** Default search: up to two flips, among at most two bits in doubt. */
export const DEFAULT_REPAIR: RepairOptions = { maxFlips: 2, candidates: 2 };
/** Hard limits whatever the caller asks (the false-accept risk grows with the search). */
export const MAX_REPAIR: RepairOptions = { maxFlips: 3, candidates: 3 };
/** A bit less confident than this is in doubt: a candidate for flipping (soft values are in half-gaps: 1 = on a level). */
const DOUBTFUL = 0.25;
/** Every other bit must be at least this confident, or the error may be anywhere and no search is made. */
const SURE = 0.5;

export type CheckResult =
  | { readonly ok: true; readonly payload: Payload }
  | { readonly ok: false; readonly code: string; readonly reason: string };

/** Code of a failure whose packet checked only with bits guessed where samples were missing (see `checkSoftPacket`). */
export const ERASED_BITS = 'ERASED_BITS';
/** Code of a failure whose packet checked, but with two bits in doubt that the CRC cannot check together (see `blindPair`). */
export const BLIND_PAIR = 'BLIND_PAIR';

/**
 * The SDK's CRC misses two errors together whenever they are a multiple of this many bits apart:
 * flipping any such pair leaves it unchanged (its update divides x¹²⁸ + 1; checked in
 * test/decoder/crc-blind.test.ts). Two such bits both wrong pass the check as if neither were — a
 * shadow over two white pulses, or two frames a camera missed, 128 bits apart was enough.
 */
export const CRC_BLIND_PERIOD = 128;

/**
 * How many of a packet's least sure bits are searched for a blind pair. Damage — a shadow, frames
 * a recording lost — leaves its bits the least sure, a few together; a light that drifts leaves
 * dozens of bits under SURE and right, and searching them all refused one capture in ten at 30–50 %
 * a second of drift (typical tier: 88 → 78 of 100) where eight refuse one in twenty.
 */
const BLIND_CANDIDATES = 8;

/**
 * The first pair of bits in doubt — under SURE, and among the BLIND_CANDIDATES least sure —
 * whose distance the CRC is blind to, or null. `flipped`: bits a repair flipped, in doubt
 * whatever their soft value says. `copies`: how many copies' soft values were summed (a sure
 * copy adds 1 a bit, so a sum is sure only at SURE × copies: one copy sure the other way and one
 * weakly for it sum to little more than SURE).
 */
export function blindPair(soft: ArrayLike<number>, nbits: number, flipped: readonly number[] = [], copies = 1): [number, number] | null {
  const sure = SURE * copies;
  // The bits in doubt: in a packet read well, none or a few, so ranking them costs nothing. (A
  // sort of every bit, once a packet, cost the decoder a fifth of its speed.)
  const doubt: number[] = [];
  // (`flipped` is empty but for a repair's trials: not searched then, once a bit of every packet.)
  const anyFlipped = flipped.length > 0;
  for (let i = 0; i < nbits; i++) if (!(Math.abs(soft[i]!) >= sure) || (anyFlipped && flipped.includes(i))) doubt.push(i);
  if (doubt.length < 2) return null;
  if (doubt.length > BLIND_CANDIDATES) {
    // The least sure (flipped bits first: they are in doubt whatever their soft value says).
    const rank = (i: number): number => (flipped.includes(i) ? -1 : Math.abs(soft[i]!));
    doubt.sort((x, y) => rank(x) - rank(y) || x - y);
    doubt.length = BLIND_CANDIDATES;
    doubt.sort((x, y) => x - y);
  }
  for (let a = 0; a < doubt.length; a++) {
    for (let b = a + 1; b < doubt.length; b++) if ((doubt[b]! - doubt[a]!) % CRC_BLIND_PERIOD === 0) return [doubt[a]!, doubt[b]!];
  }
  return null;
}

/** The refusal of a packet that checked with a blind pair in doubt. */
function blindPairFailure(pair: [number, number]): CheckResult {
  return {
    ok: false,
    code: BLIND_PAIR,
    reason: `the check passed, but bits ${pair[0]} and ${pair[1]} were both read in doubt, ${pair[1] - pair[0]} bits apart, where the CRC cannot see two errors together`,
  };
}

/** Soft bits (MSB first) → bytes: a positive soft value is a 1. */
export function hardBytes(soft: ArrayLike<number>, nbits: number): Uint8Array {
  const out = new Uint8Array(nbits >> 3);
  for (let i = 0; i < out.length; i++) {
    let v = 0;
    for (let k = 8 * i; k < 8 * i + 8; k++) v = (v << 1) | (soft[k]! > 0 ? 1 : 0);
    out[i] = v;
  }
  return out;
}

/** parsePacket without exceptions: the payload, or the error's code and message. */
export function checkPacket(bytes: Uint8Array): CheckResult {
  try {
    return { ok: true, payload: parsePacket(bytes) };
  } catch (err) {
    if (isBlinkUpError(err)) return { ok: false, code: err.code, reason: err.message };
    return { ok: false, code: 'MALFORMED', reason: 'packet could not be parsed' };
  }
}

/**
 * `checkPacket` of `bytes`, the packet the soft bits decide (`hardBytes`), for soft bits that may hold erasures: bits
 * with no evidence at all (0, where a hole in the samples swallowed their pulses; Framer.fillHole).
 * Their hard decision is a guess, and a CRC match on guesses is one try of several — a 1-in-1024
 * lottery each. So such a packet is accepted only where the repair would search anyway: the
 * erased and doubtful bits after the length byte at most `limits.candidates`, every other bit sure.
 */
export function checkSoftPacket(bytes: Uint8Array, soft: ArrayLike<number>, nbits: number, limits: RepairOptions, copies = 1): CheckResult {
  const check = checkPacket(bytes);
  if (!check.ok) return check;
  const pair = blindPair(soft, nbits, [], copies);
  if (pair !== null) return blindPairFailure(pair);
  let erased = 0;
  let lengthGuessed = false;
  for (let i = 0; i < nbits; i++) {
    if (soft[i] !== 0) continue;
    erased++;
    // The length byte decided how many bits were read: a guess there is never accepted.
    if (i < 8) lengthGuessed = true;
  }
  if (erased === 0 || (!lengthGuessed && searchable(soft, nbits, limits) !== null)) return check;
  return { ok: false, code: ERASED_BITS, reason: `${erased} ${erased === 1 ? 'bit' : 'bits'} erased where samples were missing, too many to fill in with confidence` };
}

/**
 * The bits the repair may flip — in doubt, after the length byte, least confident first — when
 * there are at most `limits.candidates` of them and every other bit is sure; otherwise null.
 */
function searchable(soft: ArrayLike<number>, nbits: number, limits: RepairOptions): number[] | null {
  const picks: number[] = [];
  for (let i = 8; i < nbits; i++) {
    const a = Math.abs(soft[i]!);
    if (a < DOUBTFUL) picks.push(i);
    else if (!(a >= SURE)) return null;
  }
  if (picks.length > limits.candidates) return null;
  return picks.sort((a, b) => Math.abs(soft[a]!) - Math.abs(soft[b]!) || a - b);
}

export interface Repaired {
  readonly bytes: Uint8Array;
  readonly payload: Payload;
  readonly flips: number;
}

/** Clamps caller-supplied limits to the hard maximum. */
export function repairLimits(option: boolean | RepairOptions | undefined): RepairOptions {
  if (option === false) return { maxFlips: 0, candidates: 0 };
  if (option === undefined || option === true) return DEFAULT_REPAIR;
  if (option === null || typeof option !== 'object') {
    throw new BlinkUpError(ErrorCode.OPTION_INVALID, `repair must be true, false or { maxFlips, candidates } (got ${describeType(option)})`);
  }
  return { maxFlips: limit(option.maxFlips, MAX_REPAIR.maxFlips, 'maxFlips'), candidates: limit(option.candidates, MAX_REPAIR.candidates, 'candidates') };
}

/** A repair limit: a whole number from 0 to `max` (more would make the search unbounded in effect, and the CRC's 1 024 values let wrong packets through). */
function limit(x: unknown, max: number, what: string): number {
  if (!(typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max)) {
    throw new BlinkUpError(ErrorCode.OPTION_INVALID, `repair.${what} must be a whole number from 0 to ${max} (got ${typeof x === 'number' ? x : describeType(x)})`);
  }
  return x;
}

/**
 * When the bits in doubt after the length byte are at most `candidates` (and at least one) and
 * every other bit is sure, tries every set of at most `maxFlips` flips among them, fewest flips
 * and least-confident first. Returns the first packet that passes CRC and structure, or null.
 */
export function repairPacket(soft: ArrayLike<number>, nbits: number, limits: RepairOptions, copies = 1): Repaired | null {
  if (limits.maxFlips <= 0 || limits.candidates <= 0 || nbits < 24) return null;
  const picks = searchable(soft, nbits, limits);
  if (picks === null || picks.length === 0) return null;
  const bytes = hardBytes(soft, nbits);
  const crcEnd = bytes.length - 2;
  const wanted = (): boolean => crc16(bytes, 0, crcEnd) === ((bytes[crcEnd]! << 8) | bytes[crcEnd + 1]!);
  const flip = (bit: number): void => {
    bytes[bit >> 3] = bytes[bit >> 3]! ^ (0x80 >> (bit & 7));
  };
  const chosen: number[] = [];
  // Depth-first over combinations of increasing size; `from` keeps each set in index order once.
  const search = (depth: number, from: number): Repaired | null => {
    if (depth === 0) {
      if (!wanted()) return null;
      const check = checkPacket(bytes);
      // Another bit in doubt a multiple of 128 bits from one flipped (or two such) could be wrong too, unseen.
      if (!check.ok || blindPair(soft, nbits, chosen, copies) !== null) return null;
      return { bytes: bytes.slice(), payload: check.payload, flips: chosen.length };
    }
    for (let k = from; k < picks.length; k++) {
      flip(picks[k]!);
      chosen.push(picks[k]!);
      const found = search(depth - 1, k + 1);
      chosen.pop();
      flip(picks[k]!);
      if (found) return found;
    }
    return null;
  };
  for (let flips = 1; flips <= limits.maxFlips; flips++) {
    const found = search(flips, 0);
    if (found) return found;
  }
  return null;
}
