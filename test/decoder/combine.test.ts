/**
 * Repetition combining of copies that slipped (src/decoder/align.ts, combine.ts): at a weak
 * signal a copy reads a pulse too many or one too few, and every bit after it sits one place off.
 * Combining must line the copies up again — and must never mix two different packets of the same
 * length into a third.
 */
import { describe, expect, it } from 'vitest';
import { simulatePhotodiode, TIERS } from '../../src/channel/index.js';
import { alignInto, AlignmentScratch, SlipHint, slipHint } from '../../src/decoder/align.js';
import { RepetitionCombiner } from '../../src/decoder/combine.js';
import { decodeSamples } from '../../src/decoder/index.js';
import { hardBytes } from '../../src/decoder/repair.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import { Random } from '../../src/util/random.js';
import { BASIC, sameBytes } from './helpers.js';

/** Soft bits of `packet` as received: ±(0.6…1.4) by the bit. */
function received(packet: Uint8Array, rng: Random): number[] {
  const soft: number[] = [];
  for (let i = 0; i < packet.length * 8; i++) {
    const bit = (packet[i >> 3]! >> (7 - (i & 7))) & 1;
    soft.push((bit ? 1 : -1) * rng.uniform(0.6, 1.4));
  }
  return soft;
}

/** The copy with a pulse split in two before each of `extra` (a repeated bit) and the bits at `missing` lost. */
function slipped(soft: readonly number[], extra: readonly number[], missing: readonly number[]): Float32Array {
  const out: number[] = [];
  soft.forEach((v, i) => {
    if (extra.includes(i)) out.push(v);
    if (!missing.includes(i)) out.push(v);
  });
  return Float32Array.from(out);
}

const packetA = encodePacket(BASIC);
/** Another packet of the same length, one token digit apart: the classic trap. */
const packetB = encodePacket({ ...BASIC, token: BASIC.token.slice(0, 15) + 'f' });

describe('aligning slipped copies', () => {
  const n = packetA.length * 8;
  const rng = new Random(31);

  it('recovers the packet from two copies that read extra pulses at different places', () => {
    const truth = received(packetA, rng);
    // Each went on reading past its announced length, as the decoder lets it (failed-copy.ts).
    const a = slipped(truth, [60, 250], []);
    const b = slipped(truth, [150], []);
    expect(sameBytes(hardBytes(a, n), packetA) || sameBytes(hardBytes(b, n), packetA)).toBe(false);
    const combiner = new RepetitionCombiner();
    combiner.add(packetA[0]!, a, n, a.length);
    const { sum, copies } = combiner.add(packetA[0]!, b, n, b.length);
    expect(copies).toBe(2);
    expect(Array.from(hardBytes(sum, n))).toEqual(Array.from(packetA));
  });

  it('recovers the packet from a copy that missed a pulse and lost sync a bit short, and one misread', () => {
    const truth = received(packetA, rng);
    const a = slipped(truth, [], [150]);
    const b = Float32Array.from(truth);
    for (const bit of [40, 200, 300]) b[bit] = -0.8 * b[bit]!; // confidently wrong: no single copy checks
    const combiner = new RepetitionCombiner();
    combiner.add(packetA[0]!, a, n, a.length);
    const { sum } = combiner.add(packetA[0]!, b, n, b.length);
    expect(Array.from(hardBytes(sum, n))).toEqual(Array.from(packetA));
  });

  it('leaves copies that did not slip in place, summing them bit by bit', () => {
    const a = Float32Array.from(received(packetA, rng));
    const b = Float32Array.from(received(packetA, rng));
    const out = { sum: new Float32Array(n), weight: new Float32Array(n) };
    const one = new Float32Array(n).fill(1);
    const summary = alignInto({ sum: a, weight: one, bits: n }, { sum: b, weight: one, bits: n }, n, out, new AlignmentScratch());
    expect(summary).toEqual({ conflicts: 0, slips: 0 });
    for (let i = 0; i < n; i++) expect(out.sum[i]).toBeCloseTo(a[i]! + b[i]!);
    expect(Array.from(out.weight.subarray(0, n))).toEqual(new Array(n).fill(2));
  });

  it('reads a pulse much shorter than a bit as half of a split one, and a long one as two merged', () => {
    expect(slipHint(1, 1)).toBe(SlipHint.NONE);
    expect(slipHint(0.5, 0.9)).toBe(SlipHint.SPLIT);
    expect(slipHint(2, 2)).toBe(SlipHint.MERGE);
  });
});

describe('different packets of the same length', () => {
  const n = packetA.length * 8;
  const rng = new Random(32);

  it('are never summed, even when the alignment could slip one onto the other', () => {
    expect(packetB.length).toBe(packetA.length);
    for (let trial = 0; trial < 20; trial++) {
      const combiner = new RepetitionCombiner();
      const a = slipped(received(packetA, rng), [rng.int(8, n - 1)], []);
      const b = slipped(received(packetB, rng), [], [rng.int(8, n - 1)]);
      combiner.add(packetA[0]!, a, n, a.length);
      const { copies } = combiner.add(packetB[0]!, b, n, b.length);
      expect(copies).toBe(1); // B started the slot afresh
    }
  });

  it('flashed alternately on a weak channel, give only the packets sent', { timeout: 20_000 }, () => {
    const gap = new Uint8Array(12); // black frames between the flashes
    const levels = Uint8Array.from([...toLevels(packetA), ...gap, ...toLevels(packetB), ...gap, ...toLevels(packetA), ...gap, ...toLevels(packetB)]);
    let failures = 0;
    // The hard channel at a quarter of its swing, with seeds whose channel spoils copies of both
    // (the decoder reads every copy at swing 0.05 on the seeds tried, and would combine nothing).
    for (const seed of [16, 19]) {
      const channel = { ...TIERS.swing005(new Random(seed)), swing: 0.025, repeat: 1 };
      const capture = simulatePhotodiode(levels, channel, seed);
      const result = decodeSamples(capture.samples, { sampleRate: capture.sampleRate });
      failures += result.failures.length;
      for (const p of result.packets) expect(sameBytes(p.bytes, packetA) || sameBytes(p.bytes, packetB)).toBe(true);
    }
    expect(failures).toBeGreaterThan(0); // the channel was weak enough for combining to be tried
  });
});
