/**
 * The damped normal equations (src/decoder/least-squares.ts): exact on consistent data, and an
 * unknown the data never touch keeps its prior instead of making the system singular.
 */
import { describe, expect, it } from 'vitest';
import { NormalEquations } from '../../src/decoder/least-squares.js';
import { Random } from '../../src/util/random.js';

describe('NormalEquations', () => {
  it('recovers the coefficients of noiseless data', () => {
    const rng = new Random(7);
    const truth = [0.3, -1.2, 2.5];
    const eq = new NormalEquations(4);
    eq.reset(3);
    for (let i = 0; i < 50; i++) {
      const a = [1, rng.uniform(-1, 1), rng.uniform(0, 2)];
      eq.add(a, a[0]! * truth[0]! + a[1]! * truth[1]! + a[2]! * truth[2]!);
    }
    const x = new Float64Array(3);
    expect(eq.solveInto(x)).toBe(true);
    // Damping pulls a little towards the prior 0 (one part in a thousand of each diagonal).
    for (let k = 0; k < 3; k++) expect(Math.abs(x[k]! - truth[k]!)).toBeLessThan(0.02);
    // From the true values as prior, damping has nothing to pull.
    eq.reset(3);
    for (let i = 0; i < 50; i++) {
      const a = [1, Math.sin(i), Math.cos(3 * i) + 1];
      eq.add(a, a[0]! * truth[0]! + a[1]! * truth[1]! + a[2]! * truth[2]!);
    }
    const y = Float64Array.from(truth);
    expect(eq.solveInto(y)).toBe(true);
    for (let k = 0; k < 3; k++) expect(y[k]).toBeCloseTo(truth[k]!, 9);
  });

  it('leaves an unknown the data never touch at its prior', () => {
    const eq = new NormalEquations(2);
    eq.reset(2);
    for (let i = 1; i <= 10; i++) eq.add([i, 0], 2 * i);
    const x = Float64Array.of(0, 0.75);
    expect(eq.solveInto(x)).toBe(true);
    expect(x[0]).toBeCloseTo(2, 2);
    expect(x[1]).toBe(0.75);
  });

  it('refuses more unknowns than it was built for', () => {
    expect(() => new NormalEquations(2).reset(3)).toThrow(RangeError);
  });
});
