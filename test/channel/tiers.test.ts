import { describe, expect, it } from 'vitest';
import { resolveCameraOptions, simulateCameraBrightness } from '../../src/channel/camera.js';
import { resolvePhotodiodeOptions, simulatePhotodiode } from '../../src/channel/photodiode.js';
import { FLASH_RATES, TIER_INFO, TIERS, type CameraTier, type PhotodiodeTier } from '../../src/channel/tiers.js';
import { toLevels } from '../../src/line/trilevel.js';
import { Random } from '../../src/util/random.js';

const DRAWS = 400;
const draw = <T>(tier: (rng: Random) => T, seed = 1): T[] => {
  const rng = new Random(seed);
  return Array.from({ length: DRAWS }, () => tier(rng));
};
const within = (xs: (number | undefined)[], lo: number, hi: number): void => {
  for (const x of xs) {
    expect(x).toBeGreaterThanOrEqual(lo);
    expect(x).toBeLessThanOrEqual(hi);
  }
};
const values = <T, K extends keyof T>(xs: T[], key: K): T[K][] => xs.map((x) => x[key]);
const isFlashRate = (o: { fps?: number; refreshHz?: number }): boolean => FLASH_RATES.some((r) => r.fps === o.fps && r.refreshHz === o.refreshHz);

describe('photodiode tiers match issue 3', () => {
  it('typical: swing 0.2–0.6, ≤ 12 % held, LCD, mains flicker, ±2 % clock, all flash rates and both greys', () => {
    const xs = draw(TIERS.typical);
    for (const o of xs) {
      resolvePhotodiodeOptions(o); // every draw is a valid channel
      expect(o.panel).toBe('lcd');
      expect(isFlashRate(o)).toBe(true);
      expect([100, 120]).toContain(o.flickerHz);
      expect(o.adcBits).toBe(12);
    }
    within(values(xs, 'swing'), 0.2, 0.6);
    within(values(xs, 'heldLevelProbability'), 0, 0.12);
    within(values(xs, 'samplerClockPpm'), -20_000, 20_000);
    within(values(xs, 'lcdRiseMs'), 0.5, 6);
    within(values(xs, 'lcdFallMs'), 3, 14);
    // the ranges are covered, not just respected
    expect(new Set(xs.map((o) => `${o.fps}@${o.refreshHz}`)).size).toBe(FLASH_RATES.length);
    expect(new Set(values(xs, 'greyCode'))).toEqual(new Set([0xbf, 0x9f]));
    expect(Math.max(...(values(xs, 'samplerClockPpm') as number[]))).toBeGreaterThan(19_000);
    expect(Math.min(...(values(xs, 'samplerClockPpm') as number[]))).toBeLessThan(-19_000);
    expect(Math.max(...(values(xs, 'flickerDepth') as number[]))).toBeGreaterThan(0.25);
  });

  it('hard: swing 0.1 on 10 bits; PWM OLED at 240–480 Hz, 20–60 % or LCD up to 6/14 ms; ≤ 25 % held; ±3 % clock; drift; flicker', () => {
    const xs = draw(TIERS.hard);
    let oleds = 0;
    for (const o of xs) {
      resolvePhotodiodeOptions(o);
      expect(o.swing).toBe(0.1);
      expect(o.adcBits).toBe(10);
      expect(isFlashRate(o)).toBe(true);
      if (o.panel === 'oled') {
        oleds++;
        within([o.pwmHz], 240, 480);
        within([o.pwmDuty], 0.2, 0.6);
      } else {
        expect(o.panel).toBe('lcd');
        within([o.lcdRiseMs], 0, 6);
        within([o.lcdFallMs], 0, 14);
      }
      within([o.driftPerS], 0.01, 0.05);
      within([o.flickerDepth], 0.1, 1);
    }
    expect(oleds).toBeGreaterThan(0.35 * DRAWS);
    expect(oleds).toBeLessThan(0.65 * DRAWS);
    within(values(xs, 'heldLevelProbability'), 0, 0.25);
    expect(Math.max(...(values(xs, 'heldLevelProbability') as number[]))).toBeGreaterThan(0.24);
    within(values(xs, 'samplerClockPpm'), -30_000, 30_000);
    expect(Math.max(...(values(xs, 'samplerClockPpm') as number[]))).toBeGreaterThan(29_000);
  });

  it('swing005 is the hard channel at swing 0.05', () => {
    const xs = draw(TIERS.swing005, 3);
    const hs = draw(TIERS.hard, 3);
    xs.forEach((o, i) => expect(o).toEqual({ ...hs[i], swing: 0.05 }));
  });

  it('simulated tier channels have the swing they claim and typical ones never saturate', () => {
    const levels = toLevels(Uint8Array.from({ length: 12 }, (_, i) => i * 19));
    const rng = new Random(5);
    for (const name of ['typical', 'hard', 'swing005'] as const) {
      for (let trial = 0; trial < 4; trial++) {
        const c = simulatePhotodiode(levels, (TIERS[name] as PhotodiodeTier)(rng), trial);
        const { black, white } = c.truth.nominalCodes;
        expect((white - black) / c.fullScale).toBeCloseTo(c.options.swing, 6);
        if (name === 'typical') expect(c.truth.saturatedSamples).toBe(0);
      }
    }
  });
});

describe('edge tiers reach the ends of CHANNEL.md\'s ranges, one at a time', () => {
  it('flicker: 500–1000 lux of room light, 50–100 % deep, on an otherwise typical channel', () => {
    const xs = draw(TIERS.flicker, 4);
    for (let seed = 0; seed < 50; seed++) {
      const [o, t] = [TIERS.flicker(new Random(seed)), TIERS.typical(new Random(seed))];
      expect({ ...o, ambient: 0, flickerDepth: 0 }).toEqual({ ...t, ambient: 0, flickerDepth: 0 });
    }
    within(values(xs, 'ambient'), 0.33, 0.67);
    within(values(xs, 'flickerDepth'), 0.5, 1);
    expect(Math.max(...(values(xs, 'flickerDepth') as number[]))).toBeGreaterThan(0.95);
  });

  it('pwmwide: OLED PWM from 240 to 4320 Hz, 10–100 % on-time, spread over the octaves', () => {
    const xs = draw(TIERS.pwmwide, 5);
    for (const o of xs) {
      resolvePhotodiodeOptions(o);
      expect(o.panel).toBe('oled');
    }
    within(values(xs, 'pwmHz'), 240, 4320);
    within(values(xs, 'pwmDuty'), 0.1, 1);
    const octaves = new Set(xs.map((o) => Math.floor(Math.log2(o.pwmHz! / 240))));
    expect(octaves).toEqual(new Set([0, 1, 2, 3, 4]));
  });

  it('slowlcd: a 60 Hz LCD with 14–23 ms fall and 3–10 ms rise at 20, 30 and 60 fps', () => {
    const xs = draw(TIERS.slowlcd, 6);
    for (const o of xs) {
      resolvePhotodiodeOptions(o);
      expect(o.panel).toBe('lcd');
      expect(o.refreshHz).toBe(60);
    }
    within(values(xs, 'lcdFallMs'), 14, 23);
    within(values(xs, 'lcdRiseMs'), 3, 10);
    expect(new Set(values(xs, 'fps'))).toEqual(new Set([20, 30, 60]));
  });
});

describe('camera tiers match issue 4', () => {
  const expected = { cam240on60: [240, 60], cam120on60: [120, 60], cam60on30: [60, 30], cam60on60: [60, 60] } as const;

  it('film the named flash rate with the named camera rate; the hard case exposes ≥ 70 % of the frame', () => {
    for (const [name, [cameraFps, fps]] of Object.entries(expected) as [keyof typeof expected, readonly [number, number]][]) {
      const xs = draw(TIERS[name] as CameraTier);
      for (const o of xs) {
        const r = resolveCameraOptions(o);
        expect(r.cameraFps).toBe(cameraFps);
        expect(r.fps).toBe(fps);
        expect(r.refreshHz).toBe(60);
        expect(r.patch.width * r.patch.height).toBeGreaterThanOrEqual(0.05);
        within([r.exposure], name === 'cam60on60' ? 0.7 : 0.25, 1);
      }
    }
  });

  it('simulate without error', () => {
    const levels = toLevels(Uint8Array.of(1, 2, 3));
    const rng = new Random(2);
    for (const name of Object.keys(expected) as (keyof typeof expected)[]) {
      const c = simulateCameraBrightness(levels, (TIERS[name] as CameraTier)(rng), 1);
      expect(c.values.length).toBeGreaterThan(0);
      for (const v of c.values) expect(v >= 0 && v <= 255).toBe(true);
    }
  });
});

it('every tier has its info, and tiers are deterministic in the generator', () => {
  expect(Object.keys(TIER_INFO).sort()).toEqual(Object.keys(TIERS).sort());
  for (const tier of Object.values(TIERS)) expect(draw(tier as PhotodiodeTier, 9)).toEqual(draw(tier as PhotodiodeTier, 9));
});
