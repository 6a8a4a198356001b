import { describe, expect, it } from 'vitest';
import { schedule, supportedFps } from '../../src/schedule/index.js';
import { toLevels } from '../../src/line/index.js';
import { BlinkUpError, ErrorCode } from '../../src/packet/index.js';
import { fromHex, GOLDEN_VECTORS } from '../packet/vectors.js';

const levels = toLevels(fromHex(GOLDEN_VECTORS[0]!.packetHex));

function refusal(work: () => unknown): BlinkUpError {
  try {
    work();
  } catch (err) {
    if (err instanceof BlinkUpError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('schedule', () => {
  it('at the SDK mobile default (60 fps on 60 Hz) the basic packet is 14.2 s on air', () => {
    const s = schedule(levels);
    expect(s).toMatchObject({ fps: 60, refreshHz: 60, refreshesPerFrame: 1, frameCount: 854 });
    expect(s.frameDurationMs).toBeCloseTo(1000 / 60, 12);
    expect(s.durationMs).toBeCloseTo((854 * 1000) / 60, 9);
    expect(s.startMs[0]).toBe(0);
    expect(s.startMs[853]).toBeCloseTo((853 * 1000) / 60, 9);
    expect(s.levels).toBe(levels);
  });

  it.each([
    [60, 60, 1],
    [30, 60, 2],
    [20, 60, 3],
    [10, 60, 6],
    [60, 120, 2],
    [120, 120, 1],
    [45, 90, 2],
    [72, 144, 2],
    [48, 144, 3],
  ])('accepts %i fps on a %i Hz display (%i refreshes per level)', (fps, refreshHz, k) => {
    const s = schedule(levels, { fps, refreshHz });
    expect(s.refreshesPerFrame).toBe(k);
    expect(s.frameDurationMs).toBeCloseTo((1000 * k) / refreshHz, 12);
    for (let i = 1; i < s.frameCount; i++) expect(s.startMs[i]! - s.startMs[i - 1]!).toBeCloseTo(s.frameDurationMs, 9);
  });

  it.each<[string, number, number]>([
    ['45 fps on 60 Hz (levels of 1⅓ refreshes)', 45, 60],
    ['50 fps on 60 Hz', 50, 60],
    ['60 fps on 144 Hz', 60, 144],
    ['9 fps (below 10)', 9, 60],
    ['121 fps (above 120)', 121, 144],
    ['NaN fps', Number.NaN, 60],
    ['infinite fps', Number.POSITIVE_INFINITY, 60],
    ['a 23 Hz display', 23, 23],
    ['a 361 Hz display', 60, 361],
  ])('refuses %s with RATE_UNSUPPORTED', (_, fps, refreshHz) => {
    expect(refusal(() => schedule(levels, { fps, refreshHz })).code).toBe(ErrorCode.RATE_UNSUPPORTED);
  });

  it('says which rates the display can show when it refuses one', () => {
    expect(refusal(() => schedule(levels, { fps: 45, refreshHz: 60 })).message).toContain('60, 30, 20, 15, 12, 10');
  });

  it('refuses a level other than 0, 1 or 2', () => {
    expect(refusal(() => schedule(Uint8Array.of(0, 1, 3))).code).toBe(ErrorCode.LEVELS_INVALID);
  });
});

describe('supportedFps', () => {
  it.each([
    [60, [60, 30, 20, 15, 12, 10]],
    [90, [90, 45, 30, 18, 15, 10]],
    [120, [120, 60, 40, 30, 24, 20, 15, 12, 10]],
    [144, [72, 48, 36, 24, 18, 16, 12]],
  ])('%i Hz → %j', (hz, rates) => {
    expect(supportedFps(hz)).toEqual(rates);
  });
});
