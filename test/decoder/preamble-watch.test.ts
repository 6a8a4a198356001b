/**
 * The preamble watch (src/decoder/preamble-watch.ts): it must report where a long stretch of
 * black/grey alternation at the bit period ends — and nothing for noise, a steady level, a short
 * burst of alternation or a period that is not a whole number of refreshes.
 */
import { describe, expect, it } from 'vitest';
import { PreambleWatch } from '../../src/decoder/preamble-watch.js';
import { Random } from '../../src/util/random.js';

/** `lead` dark samples, then `bits` bits of (dark, grey) frames `frame` samples long, then white/dark bits. */
function signal(lead: number, bits: number, frame: number, noise: number, seed = 1): Float64Array {
  const rng = new Random(seed);
  const out: number[] = [];
  for (let i = 0; i < lead; i++) out.push(0.05);
  for (let b = 0; b < bits; b++) for (let f = 0; f < 2 * frame; f++) out.push(f < frame ? 0.05 : 0.3);
  // The sync magic's 1 0 1 0 1 0 and a body: whites among the greys break the period.
  for (const bit of [1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1]) for (let f = 0; f < 2 * frame; f++) out.push(f < frame ? 0.05 : bit ? 0.6 : 0.3);
  return Float64Array.from(out, (x) => x + noise * rng.normal());
}

function watch(values: Float64Array, slots: number, noise: number): PreambleWatch | null {
  const w = new PreambleWatch(slots);
  w.rearm(0);
  const history = { value: (i: number) => values[i]! };
  // In pieces, as the decoder feeds it.
  for (let to = 64; to < values.length + 64; to += 64) if (w.scan(history, Math.min(to, values.length), noise)) return w;
  return null;
}

describe('PreambleWatch', () => {
  it('reports the end of a 26-bit preamble at 60 fps flashing on a 60 fps camera, with the plan of its period', () => {
    const values = signal(40, 26, 1, 0.002);
    const w = watch(values, 1, 0.002);
    expect(w).not.toBeNull();
    expect(w!.plan).toEqual({ slots: 1, refreshesPerFrame: 1 });
    const magic = 40 + 26 * 2;
    // The window it hands over lies inside the preamble, just before the magic.
    expect(w!.from).toBeGreaterThanOrEqual(40);
    expect(w!.to).toBeLessThanOrEqual(magic);
    expect(w!.to).toBeGreaterThan(magic - 4 * 2);
  });

  it('finds 30 fps flashing at 120 fps (four samples per level) as two refreshes per frame', () => {
    const w = watch(signal(100, 26, 4, 0.002), 2, 0.002);
    expect(w?.plan).toEqual({ slots: 2, refreshesPerFrame: 2 });
  });

  it('reports nothing for noise, a steady level, a short burst, or a period off the refresh grid', () => {
    const rng = new Random(3);
    expect(watch(Float64Array.from({ length: 4000 }, () => 0.3 + 0.05 * rng.normal()), 1, 0.05)).toBeNull();
    expect(watch(new Float64Array(4000).fill(0.2), 2, 0)).toBeNull();
    expect(watch(signal(40, 10, 1, 0.002), 1, 0.002)).toBeNull(); // 10 bits are no preamble
    // Frames of 3 samples at 2 samples per refresh (1.5 refreshes): no candidate period fits.
    expect(watch(signal(40, 26, 3, 0.002), 2, 0.002)).toBeNull();
  });
});
