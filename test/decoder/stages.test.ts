/** The decoder's stages on their own: repair, combining, slicing, the report's arithmetic, conditioning. */
import { describe, expect, it } from 'vitest';
import { inferFullScale, smoothingLength } from '../../src/decoder/condition.js';
import { RepetitionCombiner } from '../../src/decoder/combine.js';
import { LevelTracker } from '../../src/decoder/levels.js';
import { Pulse } from '../../src/decoder/pulses.js';
import { checkPacket, hardBytes, repairLimits, repairPacket, DEFAULT_REPAIR, MAX_REPAIR } from '../../src/decoder/repair.js';
import { nearestNominalFps } from '../../src/decoder/report.js';
import { confidence, softValue, SOFT_LIMIT } from '../../src/decoder/slicer.js';
import { encodePacket } from '../../src/packet/index.js';
import { Random } from '../../src/util/random.js';
import { BASIC } from './helpers.js';

/** Soft bits of `bytes` at full confidence (+1 for a 1, −1 for a 0). */
function softBits(bytes: Uint8Array): Float32Array {
  const soft = new Float32Array(bytes.length * 8);
  for (let i = 0; i < soft.length; i++) soft[i] = (bytes[i >> 3]! >> (7 - (i & 7))) & 1 ? 1 : -1;
  return soft;
}

describe('repair', () => {
  const packet = encodePacket(BASIC);

  it('hard-decides soft bits MSB first', () => {
    expect(Array.from(hardBytes(softBits(packet), packet.length * 8))).toEqual(Array.from(packet));
  });

  it('fixes one or two wrong bits when they alone were in doubt', () => {
    for (const wrong of [[40], [40, 200], [9, 371]]) {
      const soft = softBits(packet);
      for (const bit of wrong) soft[bit] = -0.2 * soft[bit]!; // flipped, and barely
      expect(checkPacket(hardBytes(soft, soft.length)).ok).toBe(false);
      const fixed = repairPacket(soft, soft.length, DEFAULT_REPAIR);
      expect(fixed).not.toBeNull();
      expect(fixed!.flips).toBe(wrong.length);
      expect(Array.from(fixed!.bytes)).toEqual(Array.from(packet));
    }
  });

  it('does not search when the error may lie elsewhere (the CRC takes only 1024 values)', () => {
    const confident = softBits(packet);
    confident[40] = -confident[40]!; // wrong at full confidence: not in doubt
    expect(repairPacket(confident, confident.length, DEFAULT_REPAIR)).toBeNull();
    const three = softBits(packet);
    for (const bit of [30, 90, 150]) three[bit] = -0.1 * three[bit]!; // more doubtful bits than candidates
    expect(repairPacket(three, three.length, DEFAULT_REPAIR)).toBeNull();
    expect(repairPacket(three, three.length, { maxFlips: 3, candidates: 3 })).not.toBeNull();
    const unsure = softBits(packet);
    unsure[40] = -0.1 * unsure[40]!;
    unsure[300] = 0.4 * unsure[300]!; // right, but not sure: the error could be anywhere
    expect(repairPacket(unsure, unsure.length, DEFAULT_REPAIR)).toBeNull();
  });

  it('never touches the length byte, and never accepts a CRC match whose structure is wrong', () => {
    const soft = softBits(packet);
    soft[3] = -0.1 * soft[3]!; // a length bit
    expect(repairPacket(soft, soft.length, DEFAULT_REPAIR)).toBeNull();
    // Random packets with two doubtful bits: any "repair" must parse as a real packet.
    const rng = new Random(77);
    for (let k = 0; k < 500; k++) {
      const bytes = rng.bytes(40);
      bytes[0] = 37;
      const noisy = softBits(bytes);
      for (let d = 0; d < 2; d++) noisy[rng.int(8, noisy.length - 1)]! *= 0.1;
      const r = repairPacket(noisy, noisy.length, DEFAULT_REPAIR);
      if (r) expect(checkPacket(r.bytes).ok).toBe(true);
    }
  });

  it('takes the caller’s limits up to the bound, and refuses others rather than clamp them silently', () => {
    expect(repairLimits(false)).toEqual({ maxFlips: 0, candidates: 0 });
    expect(repairLimits(true)).toEqual(DEFAULT_REPAIR);
    expect(repairLimits({ ...MAX_REPAIR })).toEqual(MAX_REPAIR);
    expect(repairLimits({ maxFlips: 1, candidates: 0 })).toEqual({ maxFlips: 1, candidates: 0 });
    for (const bad of [{ maxFlips: 99, candidates: 999 }, { maxFlips: Number.NaN, candidates: -1 }, { maxFlips: 1.5, candidates: 1 }]) {
      expect(() => repairLimits(bad)).toThrow(/^repair\.maxFlips must be a whole number from 0 to 3/);
    }
  });
});

describe('repetition combining', () => {
  it('recovers a packet that every copy got wrong, each in different bits', () => {
    const packet = encodePacket(BASIC);
    const n = packet.length * 8;
    const combiner = new RepetitionCombiner();
    const rng = new Random(5);
    let last: Float32Array | null = null;
    for (let copy = 0; copy < 3; copy++) {
      const soft = softBits(packet).map((v) => v * rng.uniform(0.3, 1));
      for (let e = 0; e < 6; e++) {
        const bit = 8 + rng.int(0, n - 9);
        soft[bit] = -0.5 * soft[bit]!; // wrong, with middling confidence
      }
      expect(checkPacket(hardBytes(soft, n)).ok).toBe(false);
      last = combiner.add(packet[0]!, soft, n).sum;
    }
    expect(Array.from(hardBytes(last!, n))).toEqual(Array.from(packet));
  });

  it('keeps one slot per length, forgets on request, and stays bounded', () => {
    const combiner = new RepetitionCombiner();
    const soft = new Float32Array(24).fill(1);
    expect(combiner.add(2, soft, 24).copies).toBe(1);
    expect(combiner.add(2, soft, 24).copies).toBe(2);
    expect(combiner.add(3, soft, 24).copies).toBe(1);
    combiner.forget(2);
    expect(combiner.add(2, soft, 24).copies).toBe(1);
    for (let length = 10; length < 30; length++) combiner.add(length, soft, 24); // evicts, never grows
    let copies = 0;
    for (let k = 0; k < 40; k++) copies = combiner.add(99, soft, 24).copies;
    expect(copies).toBeLessThanOrEqual(16);
  });
});

describe('slicing', () => {
  it('puts grey at −1 and white at +1, clipped, with confidence from the distance', () => {
    const levels = new LevelTracker();
    levels.learnPreamble(100, 10, 50, 33);
    levels.learnWhite(200);
    expect(softValue(100, levels)).toBeCloseTo(-1);
    expect(softValue(200, levels)).toBeCloseTo(1);
    expect(softValue(150, levels)).toBeCloseTo(0);
    expect(softValue(1e9, levels)).toBe(SOFT_LIMIT);
    expect(softValue(Number.NaN, levels)).toBe(0);
    expect(confidence(-0.4)).toBeCloseTo(0.4);
    expect(confidence(3)).toBe(1);
  });
});

describe('level tracking', () => {
  /** A decided pulse of value `late` over a floor of 10. */
  function pulse(late: number): Pulse {
    const p = new Pulse();
    p.late = late;
    p.floor = 10;
    p.peak = late;
    p.period = 33;
    return p;
  }
  /** Levels learned at grey 100, white 190 over a floor of 10, then greys as the light rises by 20 % and stays there. */
  function afterBrighterGreys(pwm: boolean): LevelTracker {
    const levels = new LevelTracker();
    levels.learnPreamble(100, 10, 90, 33);
    levels.learnWhite(190);
    levels.pwm = pwm;
    for (let k = 0; k < 200; k++) levels.track(0, pulse(10 + 90 * (1 + 0.2 * Math.min(1, k / 100))), true);
    return levels;
  }

  it('moves white with grey: drift scales all the light above the floor', () => {
    const levels = afterBrighterGreys(false);
    expect(levels.grey).toBeCloseTo(118, 0);
    expect(Math.abs(levels.white - (10 + 1.2 * 180))).toBeLessThan(2);
  });

  it('leaves white alone under PWM dimming, and while grey stands barely above the floor', () => {
    expect(afterBrighterGreys(true).white).toBe(190);
    const blurred = new LevelTracker();
    blurred.learnPreamble(15, 10, 5, 33); // a camera's blur fills the gaps nearly to grey
    blurred.learnWhite(190);
    for (let k = 0; k < 60; k++) blurred.track(0, pulse(16), true);
    expect(blurred.white).toBe(190);
  });

  it('moves white only for greys decided surely: a value near the threshold may be a misread white', () => {
    const levels = new LevelTracker();
    levels.learnPreamble(100, 10, 90, 33);
    levels.learnWhite(190);
    for (let k = 0; k < 3; k++) levels.track(0, pulse(140), true);
    expect(levels.white).toBe(190);
  });

  /** Grey 100 and white 130 over a floor of 10 (a gap of 30), settled on pulses that hit them. */
  function settled(): LevelTracker {
    const levels = new LevelTracker();
    levels.learnPreamble(100, 10, 90, 33);
    levels.learnWhite(130);
    for (let k = 0; k < 100; k++) levels.track(k & 1, pulse(k & 1 ? 130 : 100), true);
    return levels;
  }

  it('moves a level only so far for a pulse far off it while the others hit theirs (a white after a held white on a stepping panel)', () => {
    const levels = settled();
    levels.track(1, pulse(220), true); // three gaps above white
    // As if it lay 1.25 gaps above: 0.12 × 37.5 = 4.5, not 0.12 × 90 = 10.8.
    expect(levels.white).toBeCloseTo(134.5, 1);
    // The usual miss grows with it: ten such pulses in a row open the clip.
    const clipped = settled();
    for (let k = 0; k < 10; k++) clipped.track(1, pulse(220), true);
    const unclipped = 130 + 90 * (1 - 0.88 ** 10);
    expect(clipped.white).toBeLessThan(unclipped - 10);
    expect(clipped.missShare).toBeGreaterThan(0.3);
  });

  /**
   * Levels learned at grey 100, white 190 over a floor of 10, then `pulses` pulses (every third
   * white) while the light above the floor rises by 3 % a pulse, doubling in 24, then holds;
   * `before` sees each value first. Returns the tracker and the final gain.
   */
  function afterDoubling(pulses: number, before?: (value: number, bit: number, levels: LevelTracker) => void): { levels: LevelTracker; gain: number } {
    const levels = new LevelTracker();
    levels.learnPreamble(100, 10, 90, 33);
    levels.learnWhite(190);
    let gain = 1;
    for (let k = 0; k < pulses; k++) {
      if (k < 24) gain *= 1.03;
      const bit = k % 3 === 0 ? 1 : 0;
      const value = 10 + gain * (bit ? 180 : 90);
      before?.(value, bit, levels);
      levels.track(bit, pulse(value), true);
    }
    return { levels, gain };
  }

  it('comes back to the true levels after the light doubled: the grey/white ratio heals', () => {
    const { levels, gain } = afterDoubling(300);
    // (Moving one level with the other alone kept the ratio the drift left: grey 211, white 311.)
    expect(levels.grey).toBeCloseTo(10 + gain * 90, 0);
    expect(levels.white).toBeCloseTo(10 + gain * 180, 0);
  });

  it('lets drift through: pulses that all miss their levels a little are followed, and every decision stays right', () => {
    // (A clip of a tenth of the gap lags so far behind that greys read white.)
    afterDoubling(100, (value, bit, levels) => expect(value > levels.threshold ? 1 : 0).toBe(bit));
  });
});

describe('report arithmetic', () => {
  it('names the nominal flash rate nearest a measured one', () => {
    expect(nearestNominalFps(59.1)).toEqual({ fps: 60, refreshesPerFrame: 1 });
    expect(nearestNominalFps(30.6)).toEqual({ fps: 30, refreshesPerFrame: 2 });
    expect(nearestNominalFps(20.3)).toEqual({ fps: 20, refreshesPerFrame: 3 });
    expect(nearestNominalFps(121)).toEqual({ fps: 120, refreshesPerFrame: 1 });
    expect(nearestNominalFps(70.3)).toEqual({ fps: 72, refreshesPerFrame: 2 }); // 144 Hz panels
    expect(nearestNominalFps(46.7)).toEqual({ fps: 48, refreshesPerFrame: 3 });
    expect(nearestNominalFps(43.8)).toEqual({ fps: 45, refreshesPerFrame: 2 });
    expect(nearestNominalFps(Number.NaN).fps).toBeNaN();
  });
});

describe('conditioning', () => {
  it('smooths over about 4 ms, whatever the rate', () => {
    expect(smoothingLength(1000)).toBe(4);
    expect(smoothingLength(500)).toBe(2);
    expect(smoothingLength(60)).toBe(1);
    expect(smoothingLength(4000)).toBe(17);
    expect(smoothingLength(1e7)).toBe(64);
  });

  it('guesses a common ADC full scale', () => {
    expect(inferFullScale(0.8)).toBe(1);
    expect(inferFullScale(200)).toBe(255);
    expect(inferFullScale(900)).toBe(1023);
    expect(inferFullScale(1967)).toBe(4095);
    expect(inferFullScale(40_000)).toBe(65535);
    // Beyond 24 bits (scaled values): a power-of-two range that holds the largest, never the largest itself.
    expect(inferFullScale(200_100_000)).toBe(2 ** 28 - 1);
    expect(inferFullScale(2 ** 30 - 1)).toBe(2 ** 30 - 1);
  });
});
