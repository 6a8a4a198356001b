/**
 * The SDK's CRC cannot see two bit errors a multiple of 128 bits apart, whatever the packet: a
 * shadow over two white pulses 128 bits apart turned them grey, the CRC passed, and the decoder
 * printed a wrong SSID and password with exit 0. So a packet that checks is refused when two bits
 * read in doubt stand at such a distance (BLIND_PAIR), and a repair never leaves such a pair.
 */
import { describe, expect, it } from 'vitest';
import { simulateCameraBrightness, simulatePhotodiode, TIERS } from '../../src/channel/index.js';
import { decodeSamples } from '../../src/decoder/index.js';
import { BLIND_PAIR, checkSoftPacket, CRC_BLIND_PERIOD, DEFAULT_REPAIR, hardBytes, repairPacket } from '../../src/decoder/repair.js';
import { toLevels } from '../../src/line/index.js';
import { crc16 } from '../../src/packet/crc16.js';
import { encodePacket, parsePacket } from '../../src/packet/index.js';
import { Random } from '../../src/util/random.js';
import { BASIC, sameBytes } from './helpers.js';
import { randomPayload } from './sweep.js';

const PACKET = encodePacket(BASIC);
const NBITS = PACKET.length * 8;

function flipped(bytes: Uint8Array, ...bits: number[]): Uint8Array {
  const out = bytes.slice();
  for (const b of bits) out[b >> 3] = out[b >> 3]! ^ (0x80 >> (b & 7));
  return out;
}

/** Soft bits of `bytes`, every one sure. */
function sure(bytes: Uint8Array): Float32Array {
  const soft = new Float32Array(bytes.length * 8);
  for (let i = 0; i < soft.length; i++) soft[i] = (bytes[i >> 3]! >> (7 - (i & 7))) & 1 ? 1 : -1;
  return soft;
}

/** Bits 66 and 194: "HomeNetwork" → "HomeNEtwork", "correct horse" → "correct Horse" — a packet that checks. */
const I = 66;
const J = I + CRC_BLIND_PERIOD;

describe('the CRC\'s blind spot', () => {
  it('misses every pair of flipped bits a multiple of 128 apart, and no other pair', () => {
    const rng = new Random(5);
    const body = Uint8Array.from({ length: 80 }, () => rng.int(0, 255));
    const crc = crc16(body);
    for (let i = 0; i < 40; i++) {
      for (let j = i + 1; j < body.length * 8; j++) {
        const unchanged = crc16(flipped(body, i, j)) === crc;
        expect(unchanged, `bits ${i} and ${j}`).toBe((j - i) % CRC_BLIND_PERIOD === 0);
      }
    }
  });

  it('lets the two flips here pass the whole packet check', () => {
    const wrong = parsePacket(flipped(PACKET, I, J));
    expect(wrong.kind === 'config' && wrong.ssid).toBe('HomeNEtwork');
  });
});

describe('checkSoftPacket and repairPacket', () => {
  it('refuse a packet that checks with two bits in doubt 128 apart', () => {
    const soft = sure(flipped(PACKET, I, J));
    soft[I] = soft[I]! * 0.3;
    soft[J] = soft[J]! * 0.45;
    expect(checkSoftPacket(hardBytes(soft, NBITS), soft, NBITS, DEFAULT_REPAIR)).toMatchObject({ ok: false, code: BLIND_PAIR });
    // 256 apart, or one of them sure: the same.
    const far = sure(flipped(PACKET, I, I + 2 * CRC_BLIND_PERIOD));
    far[I] = far[I]! * 0.3;
    far[I + 2 * CRC_BLIND_PERIOD] = far[I + 2 * CRC_BLIND_PERIOD]! * 0.3;
    expect(checkSoftPacket(hardBytes(far, NBITS), far, NBITS, DEFAULT_REPAIR)).toMatchObject({ ok: false, code: BLIND_PAIR });
  });

  it('accept the same doubt at any other distance, and a right packet with one bit in doubt', () => {
    const soft = sure(PACKET);
    soft[I] = soft[I]! * 0.3;
    soft[J + 1] = soft[J + 1]! * 0.3;
    expect(checkSoftPacket(hardBytes(soft, NBITS), soft, NBITS, DEFAULT_REPAIR).ok).toBe(true);
    const one = sure(PACKET);
    one[J] = one[J]! * 0.2;
    expect(checkSoftPacket(hardBytes(one, NBITS), one, NBITS, DEFAULT_REPAIR).ok).toBe(true);
  });

  it('search the eight least sure bits for the pair: a light that drifts leaves dozens under SURE, and right', () => {
    const weak = (ranked: number[]): Float32Array => {
      const soft = sure(flipped(PACKET, I, J));
      // Ten bits in doubt, the first the least sure; I and J among them at the ranks given.
      const others = [20, 30, 40, 90, 100, 150, 170, 230, 260, 300].filter((b) => b !== I && b !== J);
      const order = [...others.slice(0, 10 - ranked.length)];
      ranked.forEach((rank, k) => order.splice(rank, 0, [I, J][k]!));
      order.forEach((b, rank) => (soft[b] = soft[b]! * (0.2 + 0.02 * rank)));
      return soft;
    };
    const low = weak([0, 1]);
    expect(checkSoftPacket(hardBytes(low, NBITS), low, NBITS, DEFAULT_REPAIR)).toMatchObject({ ok: false, code: BLIND_PAIR });
    const high = weak([8, 9]); // the 9th and 10th least sure: left to the CRC
    expect(checkSoftPacket(hardBytes(high, NBITS), high, NBITS, DEFAULT_REPAIR).ok).toBe(true);
  });

  it('judge a sum of copies by copies: one copy sure the wrong way and one weakly right sum to little', () => {
    const soft = sure(flipped(PACKET, I, J));
    for (let i = 0; i < NBITS; i++) soft[i] = soft[i]! * 2; // two copies agreeing: ±2
    soft[I] = soft[I]! * 0.35; // −1 + 0.3 = −0.7 (as a sum of two: weak)
    soft[J] = soft[J]! * 0.35;
    expect(checkSoftPacket(hardBytes(soft, NBITS), soft, NBITS, DEFAULT_REPAIR, 1).ok).toBe(true); // taken for one copy: "sure"
    expect(checkSoftPacket(hardBytes(soft, NBITS), soft, NBITS, DEFAULT_REPAIR, 2)).toMatchObject({ ok: false, code: BLIND_PAIR });
  });

  it('repair no packet with a bit in doubt 128 from the one it flips', () => {
    // One bit wrong and in doubt: the repair finds the packet…
    const soft = sure(PACKET);
    soft[I] = -soft[I]! * 0.1;
    expect(sameBytes(repairPacket(soft, NBITS, DEFAULT_REPAIR)!.bytes, PACKET)).toBe(true);
    // …but not when the bit 128 away is in doubt too: both might be wrong, unseen.
    soft[J] = soft[J]! * 0.2;
    expect(repairPacket(soft, NBITS, DEFAULT_REPAIR)).toBeNull();
  });
});

describe('decoding two whites dimmed towards grey 128 bits apart', () => {
  it('gives no wrong packet (a shadow, or a hand, over two white pulses)', () => {
    // Bits 66 and 194 are both 1 here, and 0 in both makes a packet that checks.
    const a = I;
    const b = J;
    const bit = (k: number): number => (PACKET[k >> 3]! >> (7 - (k & 7))) & 1;
    expect([bit(a), bit(b)]).toEqual([1, 1]);
    for (const seed of [1, 2, 3]) {
      const cap = simulatePhotodiode(toLevels(PACKET), { heldLevelProbability: 0 }, seed);
      const starts = cap.truth.transmissions[0]!.levelStartS;
      const times = cap.truth.sampleTimesS;
      const index = (t: number): number => times.findIndex((x) => x >= t);
      const samples = Float64Array.from(cap.samples);
      // Each white's frame and the dark after it moved 70 % of the way to those of a grey bit
      // with the same neighbours: a white read a little below the grey/white threshold.
      for (const k of [a, b]) {
        const grey = [...Array(NBITS).keys()].find((g) => g > 8 && bit(g) === 0 && bit(g - 1) === bit(k - 1) && bit(g + 1) === bit(k + 1))!;
        const from = index(starts[64 + 2 * k + 1]!);
        const source = index(starts[64 + 2 * grey + 1]!);
        const length = index(starts[64 + 2 * k + 3]!) - from;
        for (let i = 0; i < length; i++) samples[from + i] = 0.3 * samples[from + i]! + 0.7 * samples[source + i]!;
      }
      const r = decodeSamples(samples, { sampleRate: cap.sampleRate });
      expect(r.packets).toHaveLength(0);
      expect(r.failures.map((f) => f.code)).toContain(BLIND_PAIR);
    }
  });
});

describe('a camera\'s frame-sequence bits', () => {
  it('call a bright frame the camera saw dark no sure grey (a frame the screen or the recording lost)', () => {
    // It was "sure" (further from white than grey is); two such frames 128 bits apart, lost by a
    // screen recording, made a wrong packet that checked.
    expect((PACKET[40 >> 3]! >> (7 - (40 & 7))) & 1).toBe(0);
    for (const seed of [1, 2, 3]) {
      const levels = toLevels(PACKET).slice();
      levels[64 + 2 * 40 + 1] = 0; // bit 40's grey frame shown black
      const clip = simulateCameraBrightness(levels, { ...TIERS.cam60on30(new Random(seed)), heldLevelProbability: 0, repeat: 1 }, seed);
      const r = decodeSamples(clip.linear, { sampleRate: clip.fps });
      expect(r.packets).toHaveLength(1);
      expect(r.packets[0]!.quality.minConfidence).toBeLessThan(0.25);
    }
  });
});

describe('a recording that froze', () => {
  it('gives no wrong packet: the frames it froze over are erased, not read as the light they copy', () => {
    // Six exact copies of a frame (more than dropped frames leave) twice in a 60 fps video of
    // 30 fps flashing: read as light, one bit came out sure and wrong, one 256 bits away in doubt
    // and wrong, and the packet checked (this seed, of a sweep of 300).
    const seed = 660_196;
    const rng = new Random(seed);
    const packet = encodePacket(randomPayload(rng));
    const clip = simulateCameraBrightness(toLevels(packet), { ...TIERS.cam60on30(rng), repeat: 1 }, seed);
    const x = Float64Array.from(clip.linear);
    for (const at of [454, 1483]) for (let k = 1; k <= 6; k++) x[at + k] = x[at]!;
    const r = decodeSamples(x, { sampleRate: clip.fps });
    for (const p of r.packets) expect(sameBytes(p.bytes, packet)).toBe(true);
  });
});

describe('the two paths at a camera\'s rate', () => {
  it('a transmission the pulse path refused for a blind pair is not taken from the frame-sequence path instead', () => {
    // A 60 fps camera films 30 fps flashing whose whites at bits 66 and 194 came a refresh late
    // (a browser missing its deadline): half a white's light, as much as a grey's. The pulse path
    // read both in doubt and refused; the frame-sequence path read both as sure greys — wrong —
    // and its packet was printed.
    const levels = toLevels(PACKET);
    const refreshes = new Uint8Array(levels.length * 2);
    levels.forEach((level, f) => refreshes.fill(level, 2 * f, 2 * f + 2));
    for (const bit of [I, J]) refreshes[2 * (64 + 2 * bit + 1)] = 0;
    const seed = 11;
    const clip = simulateCameraBrightness(refreshes, { ...TIERS.cam60on30(new Random(seed)), cameraFps: 60, fps: 60, heldLevelProbability: 0, repeat: 1 }, seed);
    const r = decodeSamples(clip.linear, { sampleRate: clip.fps });
    for (const p of r.packets) expect(sameBytes(p.bytes, PACKET)).toBe(true);
    expect(r.failures.map((f) => f.code)).toContain(BLIND_PAIR);
  });
});

describe('two clean copies with the same check value that differ', () => {
  it('are a conflict no receiver can settle: the second is refused, and says so without blaming it', () => {
    // Copy 1's whites at bits 66 and 194 shown as greys (sure greys: wrong, with the same CRC);
    // copy 2 clean. The first is reported — nothing could tell it wrong then — and the second is
    // listed as the conflict it is, not as "a corrupted copy" of a packet that may be the corrupted one.
    const cap = simulatePhotodiode(toLevels(PACKET), { heldLevelProbability: 0, repeat: 2 }, 4);
    const times = cap.truth.sampleTimesS;
    const index = (t: number): number => times.findIndex((x) => x >= t);
    const samples = Float64Array.from(cap.samples);
    const starts = cap.truth.transmissions[0]!.levelStartS;
    const bit = (k: number): number => (PACKET[k >> 3]! >> (7 - (k & 7))) & 1;
    for (const k of [I, J]) {
      const grey = [...Array(NBITS).keys()].find((g) => g > 8 && bit(g) === 0 && bit(g - 1) === bit(k - 1) && bit(g + 1) === bit(k + 1))!;
      const from = index(starts[64 + 2 * k + 1]!);
      const source = index(starts[64 + 2 * grey + 1]!);
      samples.set(samples.slice(source, source + index(starts[64 + 2 * k + 3]!) - from), from);
    }
    const r = decodeSamples(samples, { sampleRate: cap.sampleRate });
    expect(r.packets).toHaveLength(1);
    expect(r.failures.map((f) => f.reason)).toContainEqual(expect.stringMatching(/with the same check value: one of the two is a corrupted copy of the other, which the CRC cannot see, and no receiver can say which — flash again$/));
  });
});
