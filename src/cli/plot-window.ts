/**
 * The stretch of a capture `analyze --plot` draws: the samples and the decoder's pulses of one
 * time window, gathered while the capture streams by, in bounded memory.
 *
 * With a window given (`--window 12,18`), only its samples are kept. Without one, the plot shows
 * the first transmission: the most recent samples are kept in a ring (a transmission's worth,
 * however long the capture), and when the decoder reports the first transmission the window is
 * fixed around it. A capture with no transmission plots the start of what the ring still holds.
 */
import type { PulseInfo } from '../decoder/types.js';

/** Most samples kept: enough for a 60 s transmission at 32 kHz; beyond, the window is cut short. */
export const MAX_PLOT_SAMPLES = 1 << 21;
/** Seconds shown before and after the first transmission. */
const PAD_S = 0.25;
/** Seconds shown when no transmission was found. */
const FALLBACK_S = 10;

export interface WindowContents {
  readonly values: Float64Array;
  readonly times: Float64Array;
  readonly pulses: readonly PulseInfo[];
  /** The window drawn, seconds. */
  readonly startS: number;
  readonly endS: number;
  /** True when the window held more samples than could be kept. */
  readonly truncated: boolean;
}

export class PlotWindow {
  private readonly values: Float64Array;
  private readonly times: Float64Array;
  /** Ring: index of the oldest sample and the number kept. */
  private head = 0;
  private count = 0;
  private pulses: PulseInfo[] = [];
  private index = 0;
  private window: { startS: number; endS: number } | undefined;
  /** No more samples are needed (the stream has passed the window's end). */
  private closed = false;
  private truncated = false;

  /** `window`: the seconds to keep, or undefined to find the first transmission. */
  constructor(window?: { startS: number; endS: number }, private readonly capacity = MAX_PLOT_SAMPLES) {
    this.values = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.window = window;
  }

  get fixed(): boolean {
    return this.window !== undefined;
  }

  /** One chunk of the capture; `times` when the samples carry them, else they are `sampleRate` apart. */
  addChunk(values: ArrayLike<number>, times: ArrayLike<number> | undefined, sampleRate: number | undefined): void {
    for (let i = 0; i < values.length; i++, this.index++) {
      if (this.closed) return;
      const t = times ? times[i]! : this.index / (sampleRate ?? 1);
      const w = this.window;
      if (w && t < w.startS) continue;
      if (w && t > w.endS) {
        this.closed = true;
        return;
      }
      this.push(values[i]!, t);
    }
  }

  /** A pulse the decoder judged (it may come after the samples that closed the window: the decoder lags the reader). */
  addPulse(p: PulseInfo): void {
    const w = this.window;
    if (w && (p.endS < w.startS || p.startS > w.endS)) return;
    this.pulses.push(p);
    // While the ring runs, forget pulses older than its oldest sample (amortised: rarely).
    if (!w && this.pulses.length > 4096) this.forgetBefore(this.times[this.head]!);
  }

  /** The decoder found a transmission over [startS, endS]: the first one fixes an automatic window. */
  transmission(startS: number, endS: number): void {
    if (this.window) return;
    this.window = { startS: startS - PAD_S, endS: endS + PAD_S };
    this.dropBefore(this.window.startS);
  }

  finish(): WindowContents {
    if (!this.window) {
      // No transmission: the first seconds still held.
      const first = this.count > 0 ? this.times[this.head]! : 0;
      this.window = { startS: first, endS: first + FALLBACK_S };
    }
    const { startS, endS } = this.window;
    const values: number[] = [];
    const times: number[] = [];
    for (let k = 0; k < this.count; k++) {
      const j = (this.head + k) % this.capacity;
      const t = this.times[j]!;
      if (t < startS || t > endS) continue;
      values.push(this.values[j]!);
      times.push(t);
    }
    const pulses = this.pulses.filter((p) => p.endS >= startS && p.startS <= endS);
    return { values: Float64Array.from(values), times: Float64Array.from(times), pulses, startS, endS, truncated: this.truncated };
  }

  private push(value: number, t: number): void {
    if (this.count === this.capacity) {
      if (this.window) {
        // A fixed window that does not fit: keep its start, stop.
        this.truncated = true;
        this.closed = true;
        return;
      }
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
    const j = (this.head + this.count) % this.capacity;
    this.values[j] = value;
    this.times[j] = t;
    this.count++;
  }

  private dropBefore(t: number): void {
    while (this.count > 0 && this.times[this.head]! < t) {
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
    this.forgetBefore(t);
  }

  private forgetBefore(t: number): void {
    this.pulses = this.pulses.filter((p) => p.endS >= t);
  }
}
