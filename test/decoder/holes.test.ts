/**
 * A logger that loses samples: a serial buffer that overran, a USB hiccup. With timestamps (or a
 * NaN written for each lost sample) the hole shows; a hole longer than a frame swallows a pulse,
 * or the dark between two, and before the framer counted the bits it swallowed every later bit
 * slipped by one: a single 25 ms hole lost the packet. Now the swallowed bits are erased, and
 * the repair or repeated copies fill them in — never by a guess the CRC alone would vouch for.
 */
import { describe, expect, it } from 'vitest';
import { simulatePhotodiode } from '../../src/channel/index.js';
import { decodeSamples } from '../../src/decoder/index.js';
import { checkSoftPacket, DEFAULT_REPAIR, ERASED_BITS, hardBytes } from '../../src/decoder/repair.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import { BASIC, sameBytes } from './helpers.js';

const PACKET = encodePacket(BASIC);
const LEVELS = toLevels(PACKET);
/** Body levels begin after the 32 preamble bits (64 frames); frames 2k + 1 are the bright ones. */
const BODY = 64;

/** A capture with timestamps (true times: clock error 0) of the basic packet flashed `repeat` times. */
function timedCapture(repeat = 1, panel: 'lcd' | 'oled' = 'lcd') {
  const cap = simulatePhotodiode(LEVELS, { timestamps: true, repeat, jitterUs: 0, panel }, 11);
  return { samples: Float64Array.from(cap.samples), times: Float64Array.from(cap.truth.sampleTimesS), cap };
}

/** The samples without those between `fromS` and `toS` (true time), as a logger that lost them records them. */
function cut(c: { samples: Float64Array; times: Float64Array }, fromS: number, toS: number) {
  const keep = [...c.times.keys()].filter((i) => c.times[i]! < fromS || c.times[i]! >= toS);
  return { samples: Float64Array.from(keep, (i) => c.samples[i]!), times: Float64Array.from(keep, (i) => c.times[i]!) };
}

/** Start and end (true seconds) of level `k` of transmission `t`. */
function level(c: ReturnType<typeof timedCapture>, k: number, t = 0): [number, number] {
  const starts = c.cap.truth.transmissions[t]!.levelStartS;
  return [starts[k]!, starts[k + 1]!];
}

describe('holes in the samples', () => {
  it('a hole that swallows a whole pulse erases its bit, and the repair fills it in', () => {
    const c = timedCapture();
    const [start, end] = level(c, BODY + 2 * 40 + 1); // the bright frame of body bit 40
    const holed = cut(c, start - 0.004, end + 0.004);
    const r = decodeSamples(holed.samples, { times: holed.times });
    expect(r.packets).toHaveLength(1);
    expect(sameBytes(r.packets[0]!.bytes, PACKET)).toBe(true);
    expect(r.packets[0]!.quality.erasedBits).toBe(1);
  });

  it('a hole over the dark between two pulses (they merge) erases both bits', () => {
    const c = timedCapture();
    const [start, end] = level(c, BODY + 2 * 100); // the dark frame of body bit 100
    const holed = cut(c, start - 0.003, end + 0.003);
    const r = decodeSamples(holed.samples, { times: holed.times });
    expect(r.packets).toHaveLength(1);
    expect(sameBytes(r.packets[0]!.bytes, PACKET)).toBe(true);
    expect(r.packets[0]!.quality.erasedBits).toBe(2);
  });

  it('lost samples written as NaN on the nominal clock make the same hole', () => {
    const c = timedCapture();
    const [start, end] = level(c, BODY + 2 * 40 + 1);
    const samples = c.samples.map((x, i) => (c.times[i]! >= start - 0.004 && c.times[i]! < end + 0.004 ? Number.NaN : x));
    const r = decodeSamples(samples, { sampleRate: c.cap.sampleRate });
    expect(r.packets.map((p) => sameBytes(p.bytes, PACKET))).toEqual([true]);
    expect(r.report.nonFiniteSamples).toBeGreaterThan(20);
  });

  it('erasures beyond what the repair may fill are never guessed; repeated copies fill them in', () => {
    // (An OLED: a slow LCD's afterglow of a swallowed white would show after the hole as a dim pulse.)
    const c = timedCapture(3, 'oled');
    // The same four holes in each of three copies would leave them all short; stagger them.
    let holed = { samples: c.samples, times: c.times };
    for (let t = 0; t < 3; t++) {
      for (const bit of [30 + 60 * t, 90 + 60 * t, 150 + 20 * t, 250 + 30 * t]) {
        const [start, end] = level(c, BODY + 2 * bit + 1, t);
        holed = cut(holed, start - 0.004, end + 0.004);
      }
    }
    const r = decodeSamples(holed.samples, { times: holed.times });
    const failures = r.events.filter((e) => e.type === 'crc-failure');
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) expect(f.quality.erasedBits).toBe(4);
    expect(r.packets.length).toBeGreaterThan(0);
    for (const p of r.packets) expect(sameBytes(p.bytes, PACKET)).toBe(true);
    expect(r.packets.some((p) => p.combined > 1)).toBe(true);
  });

  it('a hole longer than a few bits loses sync and says so', () => {
    const c = timedCapture();
    const [start] = level(c, BODY + 2 * 40);
    const holed = cut(c, start, start + 0.3);
    const r = decodeSamples(holed.samples, { times: holed.times });
    expect(r.packets).toHaveLength(0);
    const lost = r.events.find((e) => e.type === 'sync-lost');
    expect(lost?.type === 'sync-lost' && lost.reason).toMatch(/^3\d\d ms of samples missing \(a gap in the timestamps\)$/);
  });

  it('a coarse clock is no hole: samples that share a timestamp (Windows\' 15.6 ms ticks) account for the jump after them', () => {
    for (const seed of [930_000, 930_001, 930_004]) {
      const cap = simulatePhotodiode(LEVELS, { timestamps: true, timestampResolutionUs: 15_600 }, seed);
      const r = decodeSamples(cap.samples, { times: cap.times! });
      for (const e of r.events) if (e.type === 'packet' || e.type === 'crc-failure') expect(e.quality.erasedBits).toBe(0);
    }
  });

  it('nor are the bursts of a host that stamps each USB packet\'s lines as they arrive', () => {
    for (const seed of [931_000, 931_003]) {
      const cap = simulatePhotodiode(LEVELS, { timestamps: true }, seed);
      const t = cap.times!;
      // Sixteen samples a packet, all stamped 10 µs apart when the packet's last one arrived.
      const stamped = t.map((_, i) => t[Math.min(t.length - 1, (Math.floor(i / 16) + 1) * 16 - 1)]! + (i % 16) * 1e-5);
      const r = decodeSamples(cap.samples, { times: stamped });
      expect(r.packets.map((p) => sameBytes(p.bytes, PACKET))).toEqual([true]);
      expect(r.packets[0]!.quality.erasedBits).toBe(0);
    }
  });

  it('nor is a host\'s hiccup: samples stamped together when they arrive late give the jump before them back', () => {
    const cap = simulatePhotodiode(LEVELS, { timestamps: true }, 932_000);
    const t = Float64Array.from(cap.times!);
    // Every 2 s the host stalls for 30 ms; the samples taken meanwhile are stamped together when they arrive.
    for (let h = 1500; h + 40 < t.length; h += 2000) {
      const arrive = t[h + 30]!;
      for (let i = h; i < h + 30; i++) t[i] = arrive + (i - h) * 1e-5;
    }
    const r = decodeSamples(cap.samples, { times: t });
    expect(r.packets.map((p) => sameBytes(p.bytes, PACKET))).toEqual([true]);
    expect(r.packets[0]!.quality.erasedBits).toBe(0);
  });

  it('short holes cost nothing', () => {
    const c = timedCapture();
    let holed = { samples: c.samples, times: c.times };
    for (const bit of [20, 60, 120, 200]) {
      const [start] = level(c, BODY + 2 * bit + 1);
      holed = cut(holed, start + 0.004, start + 0.010);
    }
    const r = decodeSamples(holed.samples, { times: holed.times });
    expect(r.packets).toHaveLength(1);
    expect(r.packets[0]!.quality.erasedBits).toBe(0);
  });
});

describe('checkSoftPacket', () => {
  /** Soft bits of the packet, every one sure. */
  const sure = (): Float32Array => {
    const soft = new Float32Array(PACKET.length * 8);
    for (let i = 0; i < soft.length; i++) soft[i] = (PACKET[i >> 3]! >> (7 - (i & 7))) & 1 ? 1 : -1;
    return soft;
  };
  /** Bit indices whose value is 0 in the packet (an erasure decides 0: a right guess there). */
  const zeros = [...sure().keys()].filter((i) => i >= 8 && sure()[i]! < 0);

  it('accepts a packet with an erased bit or two where every other bit is sure', () => {
    const soft = sure();
    soft[zeros[3]!] = 0;
    soft[zeros[50]!] = 0;
    expect(checkSoftPacket(hardBytes(soft, soft.length), soft, soft.length, DEFAULT_REPAIR).ok).toBe(true);
  });

  it('refuses one whose CRC holds only on more guesses than the repair would try', () => {
    const soft = sure();
    for (const k of [3, 50, 90]) soft[zeros[k]!] = 0;
    expect(checkSoftPacket(hardBytes(soft, soft.length), soft, soft.length, DEFAULT_REPAIR)).toMatchObject({ ok: false, code: ERASED_BITS, reason: '3 bits erased where samples were missing, too many to fill in with confidence' });
  });

  it('refuses a guess in the length byte, or next to a bit in doubt', () => {
    const length = sure();
    length[0] = 0; // the length byte's top bit is 0
    expect(checkSoftPacket(hardBytes(length, length.length), length, length.length, DEFAULT_REPAIR).ok).toBe(false);
    const doubt = sure();
    doubt[zeros[3]!] = 0;
    doubt[100] = doubt[100]! * 0.4; // neither sure nor in doubt: the error may be anywhere
    expect(checkSoftPacket(hardBytes(doubt, doubt.length), doubt, doubt.length, DEFAULT_REPAIR).ok).toBe(false);
  });

  it('leaves a packet without erasures to the CRC and the parser alone', () => {
    const soft = sure();
    soft[100] = soft[100]! * 0.1;
    expect(checkSoftPacket(hardBytes(soft, soft.length), soft, soft.length, DEFAULT_REPAIR).ok).toBe(true);
  });
});
