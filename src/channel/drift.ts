/**
 * Slow, smooth random gain changes: a hand moving in front of the screen, auto-brightness, a
 * camera's auto-exposure hunting. Modelled as a piecewise-linear random walk: every
 * `KNOT_INTERVAL_S` the gain takes a new slope drawn uniformly in ±`ratePerS`, so it never
 * changes faster than `ratePerS` (a fraction per second) and wanders without a fixed period.
 */
import type { Random } from '../util/random.js';

const KNOT_INTERVAL_S = 0.5;
/** The walk reflects off these bounds so a long capture never fades to nothing. */
const MIN_GAIN = 0.5;
const MAX_GAIN = 1.5;

export class SlowDrift {
  private readonly knots: Float64Array;

  /** A gain path starting at 1 and covering [0, durationS]; `ratePerS` 0 gives a constant 1. */
  constructor(ratePerS: number, durationS: number, rng: Random) {
    const count = Math.max(2, Math.ceil(durationS / KNOT_INTERVAL_S) + 2);
    this.knots = new Float64Array(count);
    let gain = 1;
    for (let k = 0; k < count; k++) {
      this.knots[k] = gain;
      if (ratePerS > 0) {
        gain += rng.uniform(-ratePerS, ratePerS) * KNOT_INTERVAL_S;
        if (gain > MAX_GAIN) gain = 2 * MAX_GAIN - gain;
        if (gain < MIN_GAIN) gain = 2 * MIN_GAIN - gain;
      }
    }
  }

  /** Gain at time `t` seconds (held at the last knot beyond the covered span). */
  at(t: number): number {
    const u = t > 0 ? t / KNOT_INTERVAL_S : 0;
    const k = Math.floor(u);
    const last = this.knots.length - 1;
    if (k >= last) return this.knots[last]!;
    const a = this.knots[k]!;
    return a + (u - k) * (this.knots[k + 1]! - a);
  }
}
