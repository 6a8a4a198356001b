import { describe, expect, it } from 'vitest';
import { simulatePhotodiode } from '../../src/channel/photodiode.js';
import { srgbCodeToLinear } from '../../src/util/srgb.js';
import { toLevels } from '../../src/line/trilevel.js';
import { isBlinkUpError } from '../../src/packet/errors.js';
import { mean, QUIET, rms, runs, samplesBetween, steady } from './helpers.js';

const PACKET = Uint8Array.from({ length: 49 }, (_, i) => (i * 37 + 11) & 0xff);

describe('photodiode channel: levels to ADC codes', () => {
  it('a steady white reads (ambient + swing) of full scale', () => {
    const c = simulatePhotodiode(steady(2, 60), { ...QUIET, swing: 0.4, ambient: 0.2, adcBits: 12 });
    const t = c.truth.transmissions[0]!;
    const white = samplesBetween(c, t.startS + 0.1, t.endS);
    expect(c.fullScale).toBe(4095);
    expect(new Set(white)).toEqual(new Set([Math.round((0.2 * 0.4 + 0.4) * 4095)]));
    // and the black before it is the room light alone
    expect(new Set(samplesBetween(c, 0.05, t.startS))).toEqual(new Set([Math.round(0.2 * 0.4 * 4095)]));
  });

  it('grey reads as the sRGB linear light of its code value', () => {
    for (const greyCode of [0xbf, 0x9f]) {
      const c = simulatePhotodiode(steady(1, 60), { ...QUIET, swing: 0.5, ambient: 0, greyCode, adcBits: 16 });
      const t = c.truth.transmissions[0]!;
      const grey = mean(samplesBetween(c, t.startS + 0.1, t.endS));
      expect(grey / (0.5 * c.fullScale)).toBeCloseTo(srgbCodeToLinear(greyCode), 4);
      expect(c.truth.nominalCodes.grey).toBeCloseTo(grey, 0);
    }
    expect(srgbCodeToLinear(0xbf)).toBeCloseTo(0.521, 3);
    expect(srgbCodeToLinear(0x9f)).toBeCloseTo(0.347, 3);
  });

  it('an LCD falls along its first-order curve: one 60 Hz frame after white leaves e^(−16.7/τ) of the swing', () => {
    const fallMs = 14;
    const c = simulatePhotodiode(runs(steady(2, 30), steady(0, 30)), {
      ...QUIET, panel: 'lcd', lcdFallMs: fallMs, sensorTauMs: 0, ambient: 0.1, swing: 0.5, adcBits: 16,
      sampleRate: 4000, simulationRateHz: 400_000,
    });
    const { black, white } = c.truth.nominalCodes;
    const fallS = c.truth.transmissions[0]!.levelStartS[30]!;
    const times = c.truth.sampleTimesS;
    let checked = 0;
    for (let i = 0; i < times.length; i++) {
      const age = times[i]! - fallS;
      if (age <= 0 || age > 0.05) continue;
      const expected = black + (white - black) * Math.exp(-age / (fallMs * 1e-3));
      expect(Math.abs(c.samples[i]! - expected)).toBeLessThan(3e-4 * c.fullScale);
      checked++;
    }
    expect(checked).toBeGreaterThan(150);
    // the residual one frame later, as a fraction of the swing
    const oneFrame = samplesBetween(c, fallS + 1 / 60 - 1e-4, fallS + 1 / 60 + 1.5e-4)[0]!;
    expect((oneFrame - black) / (white - black)).toBeCloseTo(Math.exp(-1000 / 60 / fallMs), 2);
  });

  it('the sensor time constant rounds an OLED edge: 63 % of the step after τ', () => {
    const tauMs = 1.5;
    const c = simulatePhotodiode(runs(steady(0, 10), steady(2, 10)), {
      ...QUIET, panel: 'oled', sensorTauMs: tauMs, swing: 0.5, ambient: 0.1, adcBits: 16, sampleRate: 4000,
    });
    const { black, white } = c.truth.nominalCodes;
    const riseS = c.truth.transmissions[0]!.levelStartS[10]!;
    const times = c.truth.sampleTimesS;
    for (let i = 0; i < times.length; i++) {
      const age = times[i]! - riseS;
      if (age <= 0.5e-3 || age > 6e-3) continue;
      // an OLED's 0.1 ms is a small delay against 1.5 ms
      const expected = black + (white - black) * (1 - Math.exp(-(age - 0.1e-3) / (tauMs * 1e-3)));
      expect(Math.abs(c.samples[i]! - expected) / (white - black)).toBeLessThan(0.01);
    }
  });

  it('a driver that stages its steps climbs to white a third at a time, one refresh each, and back down the same way', () => {
    // 60 fps on 60 Hz: one refresh a level. Black, three whites, three blacks, a grey.
    const c = simulatePhotodiode(runs(steady(0, 10), steady(2, 3), steady(0, 3), steady(1, 1), steady(0, 10)), {
      ...QUIET, panel: 'oled', stagedRefreshes: 3, sensorTauMs: 0.05, swing: 0.5, ambient: 0.1, adcBits: 16, sampleRate: 4000,
    });
    const { black, white } = c.truth.nominalCodes;
    const starts = c.truth.transmissions[0]!.levelStartS;
    // The light of level i, from the middle of its refresh on (the pixel and sensor have settled).
    const shown = (i: number): number => (mean(samplesBetween(c, starts[i]! + 0.006, starts[i + 1]! - 0.001)) - black) / (white - black);
    // The grey (0.52) gets only as far as a white's first refresh: at one refresh a level, the two look alike.
    const expected = [1 / 3, 2 / 3, 1, 2 / 3, 1 / 3, 0, 1 / 3, 0];
    expected.forEach((light, k) => expect(shown(10 + k)).toBeCloseTo(light, 2));
    // Without staging the same levels switch at once.
    const plain = simulatePhotodiode(runs(steady(0, 10), steady(2, 3)), { ...QUIET, panel: 'oled', sensorTauMs: 0.05, swing: 0.5, ambient: 0.1, adcBits: 16, sampleRate: 4000 });
    const plainStart = plain.truth.transmissions[0]!.levelStartS[10]!;
    expect((mean(samplesBetween(plain, plainStart + 0.006, plainStart + 0.015)) - black) / (white - black)).toBeCloseTo(1, 2);
  });

  it('PWM at duty d puts light only in the on-time and averages to d × the steady light', () => {
    const duty = 0.3;
    const swing = 0.2;
    const c = simulatePhotodiode(steady(2, 240), {
      ...QUIET, panel: 'oled', pwmHz: 240, pwmDuty: duty, sensorTauMs: 0.02, swing, ambient: 0.5, adcBits: 16, sampleRate: 4000,
    });
    const t = c.truth.transmissions[0]!;
    const white = samplesBetween(c, t.startS + 0.1, t.endS);
    const { black } = c.truth.nominalCodes;
    // the mean over whole periods is the calibrated white; the peak is the full light, 1/d times higher
    expect(mean(white)).toBeCloseTo(c.truth.nominalCodes.white, -1);
    expect(Math.max(...white) - black).toBeCloseTo((swing / duty) * c.fullScale, -2);
    expect(Math.min(...white) - black).toBeLessThan(0.01 * swing * c.fullScale);
    // the fraction of samples with the light on is the duty
    const on = white.filter((v) => v > black + 0.5 * (swing / duty) * c.fullScale).length / white.length;
    expect(on).toBeGreaterThan(duty - 0.03);
    expect(on).toBeLessThan(duty + 0.03);
  });

  it('room light flickers at the mains rate with the configured depth', () => {
    const c = simulatePhotodiode(new Uint8Array(0), { ...QUIET, flickerHz: 100, flickerDepth: 1, ambient: 1, swing: 0.4, adcBits: 16, sampleRate: 4000, sensorTauMs: 0 });
    const x = Array.from(c.samples);
    const room = 0.4 * c.fullScale;
    expect(mean(x)).toBeCloseTo(room, -2);
    expect(Math.min(...x)).toBeLessThan(0.01 * room);
    expect(Math.max(...x)).toBeGreaterThan(1.99 * room);
    // the correlation with a 100 Hz sinusoid carries all of the variance
    let re = 0;
    let im = 0;
    c.truth.sampleTimesS.forEach((t, i) => {
      re += (x[i]! - room) * Math.cos(2 * Math.PI * 100 * t);
      im += (x[i]! - room) * Math.sin(2 * Math.PI * 100 * t);
    });
    const amplitude = (2 * Math.hypot(re, im)) / x.length;
    expect(amplitude / room).toBeCloseTo(1, 1);
  });

  it('slow drift changes the white level by no more than its rate allows', () => {
    const c = simulatePhotodiode(steady(2, 600), { ...QUIET, driftPerS: 0.05, swing: 0.4, ambient: 0 }, 7);
    const t = c.truth.transmissions[0]!;
    const first = mean(samplesBetween(c, t.startS + 0.1, t.startS + 0.2));
    const last = mean(samplesBetween(c, t.endS - 0.1, t.endS));
    const seconds = t.endS - t.startS - 0.1;
    expect(Math.abs(last - first)).toBeGreaterThan(0); // it does drift
    expect(Math.abs(last / first - 1)).toBeLessThanOrEqual(0.05 * seconds);
  });

  it('saturates near the rail: grey and white read the same and the truth says so', () => {
    const c = simulatePhotodiode(toLevels(PACKET), { ...QUIET, swing: 1.5, saturation: 0.95 });
    expect(c.truth.saturatedSamples).toBeGreaterThan(100);
    expect(Math.max(...c.samples)).toBe(Math.round(0.95 * c.fullScale));
    expect(c.truth.nominalCodes.grey).toBe(c.truth.nominalCodes.white);
  });

  it('ADC noise has the configured rms and codes are integers within full scale', () => {
    const c = simulatePhotodiode(new Uint8Array(0), { ...QUIET, noiseLsb: 3, adcBits: 10, leadInS: 2 }, 5);
    expect(c.fullScale).toBe(1023);
    expect(rms(c.samples)).toBeGreaterThan(2.8);
    expect(rms(c.samples)).toBeLessThan(3.2);
    for (const v of c.samples) expect(Number.isInteger(v) && v >= 0 && v <= 1023).toBe(true);
  });
});

describe('photodiode channel: timing', () => {
  const levels = toLevels(PACKET);

  it('every level lasts whole refreshes; held levels add exactly one refresh each and none is skipped', () => {
    for (const [fps, refreshHz] of [[60, 60], [30, 60], [20, 60], [120, 120]] as const) {
      const c = simulatePhotodiode(levels, { fps, refreshHz, heldLevelProbability: 0.25, displayClockPpm: 300 }, 11);
      const t = c.truth.transmissions[0]!;
      const period = c.truth.refreshPeriodS;
      expect(period).toBeCloseTo(1 / (refreshHz * 1.0003), 12);
      const perLevel = refreshHz / fps;
      let held = 0;
      for (let i = 0; i < levels.length; i++) {
        const refreshes = (t.levelStartS[i + 1]! - t.levelStartS[i]!) / period;
        expect(Math.abs(refreshes - Math.round(refreshes))).toBeLessThan(1e-6);
        expect([perLevel, perLevel + 1]).toContain(Math.round(refreshes));
        if (Math.round(refreshes) > perLevel) held++;
      }
      expect(held).toBe(t.heldLevels);
      expect((t.endS - t.startS) / period).toBeCloseTo(levels.length * perLevel + held, 6);
      // 25 % of 854 levels: binomial, 5 standard deviations
      expect(Math.abs(held - 0.25 * levels.length)).toBeLessThan(5 * Math.sqrt(levels.length * 0.25 * 0.75));
    }
  });

  it('a sampler clock error stretches the capture by that much, in samples and in timestamps', () => {
    const quiet = { ...QUIET, timestamps: true };
    const base = simulatePhotodiode(levels, quiet, 3);
    const fast = simulatePhotodiode(levels, { ...quiet, samplerClockPpm: 30_000 }, 3);
    const slow = simulatePhotodiode(levels, { ...quiet, samplerClockPpm: -30_000 }, 3);
    const span = (c: typeof base): number => c.truth.transmissions[0]!.endSample - c.truth.transmissions[0]!.startSample;
    expect(base.truth.transmissions[0]!.endS).toBe(fast.truth.transmissions[0]!.endS); // same display
    expect(span(fast) / span(base)).toBeCloseTo(1.03, 3);
    expect(span(slow) / span(base)).toBeCloseTo(0.97, 3);
    expect(fast.samples.length / base.samples.length).toBeCloseTo(1.03, 3);
    // the sampler's own timestamps run at its believed rate: one nominal period per sample
    const times = fast.times!;
    expect((times[times.length - 1]! - times[0]!) / (times.length - 1)).toBeCloseTo(1e-3, 9);
    expect(fast.truth.trueSampleRate).toBeCloseTo(1030, 9);
  });

  it('jitter shows in the timestamps; gaps delay every later sample', () => {
    const c = simulatePhotodiode(levels, { jitterUs: 100, gapRatePerS: 1, gapMs: 8, timestamps: true }, 9);
    const times = c.times!;
    const steps: number[] = [];
    let gaps = 0;
    for (let i = 1; i < times.length; i++) {
      const step = times[i]! - times[i - 1]!;
      if (step > 3e-3) gaps++;
      else steps.push(step);
    }
    expect(rms(steps)).toBeGreaterThan(100e-6 * Math.SQRT2 * 0.85);
    expect(rms(steps)).toBeLessThan(100e-6 * Math.SQRT2 * 1.15);
    expect(gaps).toBe(c.truth.gaps);
    expect(gaps).toBeGreaterThan(3);
    expect(c.samples.length).toBeLessThan(c.truth.durationS * 1000 - gaps * 3);
  });

  it('repeats the flash with a black gap between repetitions', () => {
    const c = simulatePhotodiode(levels, { repeat: 3, repeatGapS: 1.5 }, 4);
    const [a, b, d] = c.truth.transmissions;
    expect(c.truth.transmissions.length).toBe(3);
    for (const [x, y] of [[a!, b!], [b!, d!]]) {
      expect(y.startS - x.endS).toBeGreaterThanOrEqual(1.5 - 1e-9);
      expect(y.startS - x.endS).toBeLessThan(1.5 + c.truth.refreshPeriodS);
    }
    expect(c.truth.transmissionStartS).toBe(a!.startS);
    expect(c.truth.transmissionEndS).toBe(d!.endS);
    expect(c.truth.durationS).toBeCloseTo(d!.endS + 0.5, 9);
  });

  it('is deterministic from the seed', () => {
    const a = simulatePhotodiode(levels, { timestamps: true }, 42);
    const b = simulatePhotodiode(levels, { timestamps: true }, 42);
    const c = simulatePhotodiode(levels, { timestamps: true }, 43);
    expect(a.samples).toEqual(b.samples);
    expect(a.times).toEqual(b.times);
    expect(a.samples).not.toEqual(c.samples);
  });

  it('changing one stage leaves the other stages\' random draws alone', () => {
    const a = simulatePhotodiode(levels, { heldLevelProbability: 0.1 }, 8);
    const b = simulatePhotodiode(levels, { heldLevelProbability: 0.1, noiseLsb: 4, swing: 0.2 }, 8);
    expect(b.truth.transmissions[0]!.levelStartS).toEqual(a.truth.transmissions[0]!.levelStartS);
    expect(b.truth.sampleTimesS).toEqual(a.truth.sampleTimesS);
  });

  it('simulates a 15 s capture at 1 kHz in tens of milliseconds', () => {
    simulatePhotodiode(levels, {}, 1); // warm up the JIT
    const start = performance.now();
    const runsCount = 5;
    for (let i = 0; i < runsCount; i++) simulatePhotodiode(levels, {}, i + 2);
    const ms = (performance.now() - start) / runsCount;
    expect(ms).toBeLessThan(120); // ≈ 15 ms on one free core; slack for a busy machine
  });
});

describe('photodiode channel: option checking', () => {
  const levels = toLevels(PACKET);
  const code = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return isBlinkUpError(e) ? e.code : 'not a BlinkUpError';
    }
    return undefined;
  };

  it('refuses out-of-range options with OPTION_INVALID', () => {
    for (const bad of [
      { sampleRate: -1000 }, { sampleRate: Number.NaN }, { swing: 0 }, { flickerDepth: 1.5 }, { adcBits: 12.5 },
      { pwmDuty: 0 }, { panel: 'crt' as 'lcd' }, { heldLevelProbability: 1 }, { repeat: 0 }, { greyCode: 256 },
      { sensorTauMs: -1 }, { timestamps: 'yes' as unknown as boolean }, { stagedRefreshes: 0 }, { stagedRefreshes: 2.5 }, { stagedRefreshes: 11 },
    ]) {
      expect(code(() => simulatePhotodiode(levels, bad))).toBe('OPTION_INVALID');
    }
  });

  it('refuses a frame rate the refresh rate cannot show, and levels other than 0/1/2', () => {
    expect(code(() => simulatePhotodiode(levels, { fps: 25, refreshHz: 60 }))).toBe('RATE_UNSUPPORTED');
    expect(code(() => simulatePhotodiode(Uint8Array.of(0, 3, 0)))).toBe('LEVELS_INVALID');
  });

  it('ignores undefined options (defaults apply) and accepts an empty level sequence', () => {
    const c = simulatePhotodiode(new Uint8Array(0), { sampleRate: undefined });
    expect(c.sampleRate).toBe(1000);
    expect(c.samples.length).toBeGreaterThan(900);
    expect(c.truth.transmissionEndS).toBe(c.truth.transmissionStartS);
  });
});
