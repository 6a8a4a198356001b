/**
 * False accepts: long streams that carry no packet — noise, and random level sequences shown
 * through the real channel simulator — must yield no packet, with bit-flip repair and
 * repetition combining on (they are the decoder's riskiest features here).
 */
import { describe, expect, it } from 'vitest';
import { simulatePhotodiode } from '../../src/channel/index.js';
import { decodeSamples } from '../../src/decoder/index.js';
import { Random } from '../../src/util/random.js';

const MILLION = 1_000_000;

describe('no packet from streams that carry none', () => {
  it('10⁶ samples of noise at several levels and colours', () => {
    const rng = new Random(0xfa15e);
    const samples = new Float32Array(MILLION);
    let lowPass = 0;
    for (let i = 0; i < samples.length; i++) {
      const block = Math.floor(i / 100_000); // ten kinds of noise, 100 000 samples each
      const n = rng.normal();
      lowPass += 0.2 * (n - lowPass);
      const white = 2000 + (block + 1) * 40 * n;
      samples[i] = block % 2 === 0 ? white : 2000 + (block + 1) * 120 * lowPass;
    }
    const result = decodeSamples(samples, { sampleRate: 1000 });
    expect(result.packets).toHaveLength(0);
  });

  it('10⁶ samples of random frame levels through the simulator (black/bright pairs, mostly grey)', () => {
    const rng = new Random(0x1e7e1);
    let total = 0;
    let packets = 0;
    let failures = 0;
    for (let k = 0; total < MILLION; k++) {
      // Pairs like the line code's, with the bright frame grey 80 % of the time: long grey runs
      // look like preambles, and random bits after them like packets.
      const levels = new Uint8Array(4000);
      for (let f = 1; f < levels.length; f += 2) levels[f] = rng.chance(0.8) ? 1 : 2;
      const fps = rng.pick([20, 30, 60] as const);
      const capture = simulatePhotodiode(levels, { fps, greyCode: rng.pick([0xbf, 0x9f] as const), heldLevelProbability: 0.1 }, 9000 + k);
      const result = decodeSamples(capture.samples, { sampleRate: capture.sampleRate });
      packets += result.packets.length;
      failures += result.failures.length;
      total += capture.samples.length;
    }
    expect(packets).toBe(0);
    // The gate (preamble run, exact magic) lets few random sequences through to the CRC at all.
    expect(failures).toBeLessThan(20);
  });

  it('10⁶ samples of fully random levels (any order) through the simulator', () => {
    const rng = new Random(0x5eed);
    let total = 0;
    let packets = 0;
    for (let k = 0; total < MILLION; k++) {
      const levels = new Uint8Array(3000);
      for (let f = 0; f < levels.length; f++) levels[f] = rng.int(0, 2);
      const capture = simulatePhotodiode(levels, { fps: 60, panel: k % 2 ? 'oled' : 'lcd' }, 7000 + k);
      packets += decodeSamples(capture.samples, { sampleRate: capture.sampleRate }).packets.length;
      total += capture.samples.length;
    }
    expect(packets).toBe(0);
  });
});
