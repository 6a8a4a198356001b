/**
 * The running integral of a display's light over a sliding window of recent time.
 *
 * A camera pixel integrates light over its exposure window, and with a rolling shutter every
 * row has its own window; consecutive frames' windows overlap. Keeping the cumulative integral
 * C(t) = ∫₀ᵗ light on the fine grid turns every window into C(b) − C(a), exact for the
 * step-mean light the display renders (C is piecewise linear between grid points). Only the
 * last `windowS` seconds are kept, in a ring buffer, so memory does not grow with the clip.
 */
import type { DisplayLight } from './display.js';

const BLOCK = 1024;

export class LightIntegral {
  private readonly cumulative: Float64Array;
  private readonly mask: number;
  private readonly block = new Float64Array(BLOCK);
  /** Highest grid index whose cumulative value is known. */
  private head = 0;
  private total = 0;

  /**
   * @param display renders the light (white = 1), from t = 0
   * @param dt grid step, s
   * @param windowS how far back before the newest query time an older query may reach, s
   * @param lightBefore the light before t = 0 (black), so windows may start before the clip
   */
  constructor(
    private readonly display: DisplayLight,
    private readonly dt: number,
    windowS: number,
    private readonly lightBefore: number,
  ) {
    let capacity = 1;
    while (capacity < Math.ceil(windowS / dt) + 2 * BLOCK + 4) capacity *= 2;
    this.cumulative = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  /** ∫ light dt over [a, b] (light-seconds). Queries may come in any order within the window. */
  integral(a: number, b: number): number {
    return this.at(b) - this.at(a);
  }

  /** Mean light over [a, b]. */
  mean(a: number, b: number): number {
    return b > a ? (this.at(b) - this.at(a)) / (b - a) : 0;
  }

  private at(t: number): number {
    if (t <= 0) return t * this.lightBefore;
    const u = t / this.dt;
    const i = Math.floor(u);
    while (this.head <= i) this.advance();
    if (this.head - i >= this.cumulative.length) throw new Error(`LightIntegral: t = ${t} s has left the window`);
    const c0 = this.cumulative[i & this.mask]!;
    const c1 = this.cumulative[(i + 1) & this.mask]!;
    return c0 + (u - i) * (c1 - c0);
  }

  private advance(): void {
    const { block, dt, mask, cumulative } = this;
    this.display.render(block, BLOCK, this.head * dt, dt);
    let total = this.total;
    let head = this.head;
    for (let k = 0; k < BLOCK; k++) {
      total += block[k]! * dt;
      cumulative[++head & mask] = total;
    }
    this.total = total;
    this.head = head;
  }
}
