/** Sudden steps of the light (light-step.ts): the watch on its own, then whole captures. */
import { describe, expect, it } from 'vitest';
import { decodeSamples } from '../../src/decoder/index.js';
import { LevelTracker } from '../../src/decoder/levels.js';
import { LightStepWatch, STRAY_SOFT } from '../../src/decoder/light-step.js';
import { softValue } from '../../src/decoder/slicer.js';
import { encodePacket } from '../../src/packet/index.js';
import { Random } from '../../src/util/random.js';
import { BASIC, capture, sameBytes } from './helpers.js';

/** Levels at black 10, grey 100, white 190 (heights 90 and 180). */
function levels(): LevelTracker {
  const l = new LevelTracker();
  l.learnPreamble(100, 10, 90, 33);
  l.learnWhite(190);
  return l;
}

/**
 * Bits `from`, `from + 1`, … of pulse heights `heights` above black 10, shown to the watch as the
 * framer shows them (only those that stray from ±1); returns the index of the one that found a
 * step (−1: none).
 */
function watch(w: LightStepWatch, l: LevelTracker, heights: readonly number[], values = new Float64Array(1024), from = 0): number {
  for (let i = 0; i < heights.length; i++) {
    values[from + i] = 10 + heights[i]!;
    const sure = Math.abs(softValue(values[from + i]!, l));
    if ((sure < 1 - STRAY_SOFT || sure > 1 + STRAY_SOFT) && w.note(values, from + i, l)) return i;
  }
  return -1;
}

describe('LightStepWatch', () => {
  it('finds a step once four pulses after it fit one factor, both levels among them — three where pulses scatter little', () => {
    const w = new LightStepWatch();
    const l = levels();
    // Greys and whites, then the light × 0.7: greys at 63, whites at 126 (the latter read as grey).
    const pulses = [90, 180, 90, 90, 180, 63, 126, 126, 63];
    w.begin(0, 0.03);
    expect(watch(w, l, pulses)).toBe(8);
    expect(w.span).toBe(4);
    expect(w.grey).toBeCloseTo(63, 6);
    expect(w.white).toBeCloseTo(126, 6);
    w.begin(0, 0.01);
    expect(watch(w, l, pulses)).toBe(7);
    expect(w.span).toBe(3);
    expect(w.grey).toBeCloseTo(63, 6);
  });

  it('waits while the pulses since the step are all one level: a run of whites × 0.7 is also a run of greys × 1.35', () => {
    const w = new LightStepWatch();
    const l = levels();
    const values = new Float64Array(64);
    w.begin(0, 0.01);
    expect(watch(w, l, [90, 180, 126, 126, 126, 126, 126], values)).toBe(-1);
    expect(watch(w, l, [63], values, 7)).toBe(0); // a grey settles it
    expect(w.grey).toBeCloseTo(63, 6);
  });

  it('finds no step in pulses that merely scatter, nor in a small change the level tracker follows', () => {
    const rng = new Random(5);
    const w = new LightStepWatch();
    const l = levels();
    w.begin(0, 0.03);
    const scattered = Array.from({ length: 400 }, () => (rng.next() < 0.5 ? 90 : 180) * (1 + 0.12 * rng.normal()));
    expect(watch(w, l, scattered)).toBe(-1);
    w.begin(0, 0.01);
    expect(watch(w, l, [90, 180, 81, 162, 81, 81, 162, 81, 162])).toBe(-1); // × 0.9
  });

  it('asks more of a step where the pulses scatter more (noise)', () => {
    const l = levels();
    const w = new LightStepWatch();
    // × 0.8 after two pulses: too few before it to measure the usual miss on, so the preamble's says it.
    const stepped = [90, 180, 72, 144, 72, 144, 72]; // × 0.8
    w.begin(0, 0.01);
    expect(watch(w, l, stepped)).toBeGreaterThan(0);
    w.begin(0, 0.05); // six times the usual miss is 0.3: a step of 0.2 is no step
    expect(watch(w, l, stepped)).toBe(-1);
    // The usual miss is also measured on the bits before the step: ±10 % there, 5 % on average.
    const rng = new Random(8);
    const noisy = Array.from({ length: 32 }, (_, k) => (k % 3 === 0 ? 180 : 90) * (1 + 0.1 * (2 * rng.next() - 1)));
    w.begin(0, 0.01);
    expect(watch(w, l, [...noisy, ...stepped])).toBe(-1);
  });

  it('leaves a factor beyond 0.4–2.5 alone: by then pulses are lost, not misread', () => {
    const w = new LightStepWatch();
    w.begin(0, 0.01);
    expect(watch(w, levels(), [90, 180, 90, 180, 27, 54, 27, 54, 27, 54])).toBe(-1); // × 0.3
  });

  it('takes the levels to the step, the floor and pulse height with them', () => {
    const l = levels();
    l.stepTo(63, 126);
    expect(l.grey).toBeCloseTo(73, 6);
    expect(l.white).toBeCloseTo(136, 6);
    expect(l.floor).toBeCloseTo(10, 6); // the floor was black
    expect(l.amplitude).toBeCloseTo(63, 6);
  });
});

describe('captures whose light steps', () => {
  /** A typical capture of the basic packet whose light above black is scaled by `factor` from a moment in its middle. */
  function stepped(factor: number, seed: number): { samples: Float64Array; sampleRate: number; fullScale: number } {
    const cap = capture({}, seed);
    const samples = Float64Array.from(cap.samples);
    const black = cap.truth.nominalCodes.black;
    const at = Math.floor(samples.length * (0.3 + 0.4 * ((seed * 37) % 20) / 20));
    for (let i = at; i < samples.length; i++) samples[i] = Math.min(cap.fullScale, black + (samples[i]! - black) * factor);
    return { samples, sampleRate: cap.sampleRate, fullScale: cap.fullScale };
  }

  it('decodes through a shadow (× 0.7) and a phone jerked closer (× 1.6)', () => {
    // Before the watch, 3 and 4 of these 20 decoded: tracking read the dimmed whites as greys.
    const packet = encodePacket(BASIC);
    for (const factor of [0.7, 1.6]) {
      const failed = Array.from({ length: 10 }, (_, k) => k + 1).filter((seed) => {
        const s = stepped(factor, seed);
        const result = decodeSamples(s.samples, { sampleRate: s.sampleRate, fullScale: s.fullScale });
        return !result.packets.some((p) => sameBytes(p.bytes, packet)) || result.report.lightSteps !== 1;
      });
      expect({ factor, failed }).toEqual({ factor, failed: [] });
    }
  });
});
