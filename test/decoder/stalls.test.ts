/**
 * A flasher that stalls: a browser's busy main thread or a weak phone keeps the level on screen
 * for a few hundred milliseconds, then flashing goes on where it was (levels are delayed, never
 * skipped). Before the decoder waited stalls out, one of 100 ms lost the packet in two seeds of
 * three: a long dark gap closed the transmission, a long pulse ran beyond the clock, and a white
 * held through a stall swallowed the grey after it.
 */
import { describe, expect, it } from 'vitest';
import { PHOTODIODE_DEFAULTS, scheduleDisplay, simulatePhotodiode, TIERS, resolveDisplayOptions } from '../../src/channel/index.js';
import { decodeSamples } from '../../src/decoder/index.js';
import { STALL_S } from '../../src/decoder/framer.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import { Random } from '../../src/util/random.js';
import { BASIC, sameBytes } from './helpers.js';
import { randomPayload } from './sweep.js';

const PACKET = encodePacket(BASIC);
const LEVELS = toLevels(PACKET);

/** The levels with level `at` shown `extra` frames longer: a stall, as the screen shows it. */
function stalledAt(at: number, extra: number): Uint8Array {
  const levels = [...LEVELS];
  levels.splice(at, 0, ...new Array<number>(extra).fill(levels[at]!));
  return Uint8Array.from(levels);
}

/** First index at or after `from` whose level is dark (`dark`) or lit. */
function levelFrom(from: number, dark: boolean): number {
  let i = from;
  while ((LEVELS[i] === 0) !== dark) i++;
  return i;
}

function decode(levels: Uint8Array, options: Parameters<typeof simulatePhotodiode>[1], seed: number) {
  const cap = simulatePhotodiode(levels, options, seed);
  return decodeSamples(cap.samples, { sampleRate: cap.sampleRate });
}

describe('the simulator stalls the flasher', () => {
  it('holds the level at each stall `stallS` longer, at levels drawn from the seed', () => {
    const options = resolveDisplayOptions({ stalls: 2, stallS: 0.25 });
    const stalled = scheduleDisplay(LEVELS, options, new Random(5)).transmissions[0]!;
    const plain = scheduleDisplay(LEVELS, resolveDisplayOptions({ stalls: 2, stallS: 0 }), new Random(5)).transmissions[0]!;
    expect(stalled.stalledLevels).toHaveLength(2);
    for (const at of stalled.stalledLevels) {
      const longer = stalled.levelStartS[at + 1]! - stalled.levelStartS[at]! - (plain.levelStartS[at + 1]! - plain.levelStartS[at]!);
      expect(longer).toBeCloseTo(0.25, 1);
    }
    expect(stalled.endS - plain.endS).toBeCloseTo(0.5, 1);
  });

  it('changes nothing when there are none: a seed gives the capture it always gave', () => {
    const before = simulatePhotodiode(LEVELS, {}, 3);
    const none = simulatePhotodiode(LEVELS, { stalls: 0, stallS: 0.4 }, 3);
    expect(PHOTODIODE_DEFAULTS.stalls).toBe(0);
    expect(none.samples).toEqual(before.samples);
  });
});

describe('the decoder waits a stall out', () => {
  const middle = Math.floor(LEVELS.length / 2);

  it.each([
    ['a dark gap held 0.1 s longer', true, 0.1],
    ['a dark gap held 0.4 s longer', true, 0.4],
    ['a grey or white pulse held 0.1 s longer', false, 0.1],
    ['a grey or white pulse held 0.4 s longer', false, 0.4],
  ] as const)('in the body, %s', (_, dark, seconds) => {
    for (const seed of [1, 2, 3]) {
      const r = decode(stalledAt(levelFrom(middle + seed, dark), Math.round(60 * seconds)), {}, seed);
      expect(r.packets.map((p) => sameBytes(p.bytes, PACKET))).toEqual([true]);
      expect(r.report.flasherStalls).toBe(1);
    }
  });

  it('in the preamble and in the sync magic', () => {
    // Levels 0–47 are the preamble's 24 grey bits (the hunt locks on the tenth, about level 20);
    // 48–63 are the magic 0x2A.
    for (const at of [19, 20, 21, 22, 23, 24, 30, 44, 50, 57]) {
      const r = decode(stalledAt(at, 15), {}, at);
      expect(r.packets.map((p) => sameBytes(p.bytes, PACKET))).toEqual([true]);
    }
  });

  it.each([
    { fps: 20, refreshHz: 60 },
    { fps: 60, refreshHz: 60 },
    { fps: 120, refreshHz: 120 },
  ])('on the sync magic’s first white and the dark after it, at $fps fps: a long first white is no new light there', ({ fps, refreshHz }) => {
    // Level 53 is the magic's first white. A white lasting more than 2.5 of the preamble's
    // periods is taken for new light only where that period is a lamp's (see framer.ts).
    expect(LEVELS[53]).toBe(2);
    for (const at of [53, 54]) {
      const r = decode(stalledAt(at, Math.round(0.2 * fps)), { fps, refreshHz }, at);
      expect(r.packets.map((p) => sameBytes(p.bytes, PACKET))).toEqual([true]);
    }
  });

  it('at 120 fps, where 200 ms is 24 frames, on a white that a grey follows', () => {
    const at = levelFrom(middle, false);
    const white = LEVELS[at] === 2 ? at : levelFrom(at + 1, false);
    const r = decode(stalledAt(white, 24), { fps: 120, refreshHz: 120 }, 9);
    expect(r.packets.map((p) => sameBytes(p.bytes, PACKET))).toEqual([true]);
  });

  it('but not beyond STALL_S: the pulses stopped there, and the next flash still decodes', () => {
    const levels = stalledAt(levelFrom(middle, true), Math.round(60 * (STALL_S + 0.3)));
    const alone = decode(levels, {}, 4);
    expect(alone.packets).toEqual([]);
    expect(alone.events.map((e) => e.type === 'sync-lost' && e.reason)).toContain('the pulses stopped before the packet ended');
    // The broken flash, a second of black, then the flash again whole.
    const both = decode(Uint8Array.from([...levels, ...new Array<number>(60).fill(0), ...LEVELS]), {}, 4);
    expect(both.packets.map((p) => sameBytes(p.bytes, PACKET))).toEqual([true]);
    expect(both.report.flasherStalls).toBe(0);
  });

  it('a slow LCD where the pulse before a stall and the stall itself are both split in one hand-over', () => {
    // Seed 910021 of the slowlcd tier: a white with a grey behind it, then a grey held through a
    // stall that no next pulse ends in sight of. Four pulses at once (there was room for three).
    const rng = new Random(910_021);
    const packet = encodePacket(randomPayload(rng));
    const cap = simulatePhotodiode(toLevels(packet), { ...TIERS.slowlcd(rng), stalls: 2, stallS: 0.2 }, 910_021);
    expect(() => decodeSamples(cap.samples, { sampleRate: cap.sampleRate })).not.toThrow();
  });

  it('typical channels with two stalls of 250 ms anywhere: every one of 12 seeds decodes', () => {
    for (let seed = 930_000; seed < 930_012; seed++) {
      const rng = new Random(seed);
      const packet = encodePacket(randomPayload(rng));
      const cap = simulatePhotodiode(toLevels(packet), { ...TIERS.typical(rng), stalls: 2, stallS: 0.25 }, seed);
      const r = decodeSamples(cap.samples, { sampleRate: cap.sampleRate });
      expect(r.packets.map((p) => sameBytes(p.bytes, packet)), `seed ${seed}`).toEqual([true]);
    }
  });
});
