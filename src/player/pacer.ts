/**
 * Frame pacing as a pure state machine: fed each requestAnimationFrame callback's timestamp (and
 * the time it actually ran), it says what the screen should show. No DOM and no clock of its own,
 * so it runs the same under a fake clock in a test as under a real display.
 *
 *   warm-up ──(enough black refreshes to measure the display)──▶ playing ──(last level held)──▶ done
 *
 * While playing, every level is held for a whole number of refreshes. A late callback means the
 * level on screen stayed up longer than planned; the pacer counts it and moves on to the *next*
 * level. It never skips one: tri-level carries its own clock, so a receiver copes with a level
 * that lasts too long, but a missing level corrupts a bit.
 */
import { BlinkUpError, ErrorCode } from '../packet/errors.js';
import { measurePeriod, paintTime, RefreshGrid, refreshesPerLevel, type HoldTarget } from './refresh.js';

/** Black refreshes before the first level, used to measure the display (half a second at 60 Hz). */
export const DEFAULT_WARMUP_REFRESHES = 30;

export interface PacerOptions {
  /** Number of levels to play. */
  readonly frameCount: number;
  /** The rate the levels were made for; decides the hold once the display is measured. */
  readonly hold: HoldTarget;
  /** Refresh intervals to measure during the black warm-up (≥ 2, default 30). */
  readonly warmupRefreshes?: number;
}

/** What to do at this refresh. */
export type PacerStep =
  /** Keep the screen black: the display is being measured. */
  | { readonly phase: 'warmup' }
  /** Paint level `frame` now. */
  | { readonly phase: 'show'; readonly frame: number }
  /** Leave the current level on screen. */
  | { readonly phase: 'hold' }
  /** The last level has had its full hold: stop. */
  | { readonly phase: 'done' };

/** How the playing went; final once the pacer is done. */
export interface PacingStats {
  /** From the callback that painted the first level to the one that ended the last level's hold, ms. */
  readonly durationMs: number;
  /** Levels played. */
  readonly frames: number;
  /** Display refreshes that passed while playing. */
  readonly refreshes: number;
  /** Callbacks that came late: one or more refreshes went by without a callback (a gap over 1.5 periods). */
  readonly lateRefreshes: number;
  /** Refreshes that went by without a callback: time a level stayed up beyond its hold. */
  readonly missedRefreshes: number;
  /**
   * Longest time one level stayed up beyond its hold (the refreshes one late callback missed),
   * ms. A receiver waits out a stall only so long — this library's decoder half a second (its
   * framer's STALL_S) — and takes a longer one for the end of the flash: flash again after one.
   */
  readonly longestStallMs: number;
  /** Levels per second actually shown. */
  readonly achievedFps: number;
  /** Display refresh rate, Hz: measured during warm-up, refined over the whole play. */
  readonly refreshHz: number;
  /** Refreshes each level was meant to be held. */
  readonly refreshesPerFrame: number;
}

const WARMUP: PacerStep = Object.freeze({ phase: 'warmup' });
const HOLD: PacerStep = Object.freeze({ phase: 'hold' });
const DONE: PacerStep = Object.freeze({ phase: 'done' });

export class FramePacer {
  readonly frameCount: number;
  private readonly target: HoldTarget;
  /** Warm-up callback timestamps (one more than the intervals measured). */
  private readonly warmup: Float64Array;
  private warmupSeen = 0;

  private grid: RefreshGrid | null = null;
  private hold = 0;
  /** Level on screen: -1 during warm-up, frameCount once done. */
  private frame = -1;
  /** Refreshes the level on screen has been up. */
  private held = 0;
  private lastMs = Number.NaN;
  private startMs = Number.NaN;
  private refreshes = 0;
  private late = 0;
  private missed = 0;
  private longestStall = 0;

  constructor(options: PacerOptions) {
    const { frameCount, hold, warmupRefreshes = DEFAULT_WARMUP_REFRESHES } = options;
    if (!Number.isInteger(frameCount) || frameCount < 1) {
      throw new BlinkUpError(ErrorCode.LEVELS_INVALID, `there must be at least one level to play (got ${frameCount})`);
    }
    if (!Number.isInteger(warmupRefreshes) || warmupRefreshes < 2 || warmupRefreshes > 1000) {
      throw new BlinkUpError(ErrorCode.OPTION_INVALID, `warmupRefreshes must be a whole number from 2 to 1000 (got ${warmupRefreshes})`);
    }
    if (!(hold.fps > 0)) throw new BlinkUpError(ErrorCode.RATE_UNSUPPORTED, `the flashing rate must be positive (got ${hold.fps})`);
    this.frameCount = frameCount;
    this.target = hold;
    this.warmup = new Float64Array(warmupRefreshes + 1);
  }

  get done(): boolean {
    return this.frame >= this.frameCount;
  }

  /**
   * Feed one requestAnimationFrame callback: its timestamp, and the clock (performance.now())
   * when it actually ran, which tells a stale timestamp after a busy main thread (both ms).
   */
  tick(timestampMs: number, nowMs: number = timestampMs): PacerStep {
    if (this.done) return DONE;
    if (this.frame < 0) return this.warmupTick(timestampMs, nowMs);

    const grid = this.grid!;
    const atMs = paintTime(timestampMs, nowMs, grid.periodMs);
    const n = grid.advance(atMs);
    if (n === 0) return HOLD; // a second callback within the same refresh
    this.lastMs = atMs;
    this.refreshes += n;
    if (n > 1) {
      this.late++;
      this.missed += n - 1;
      this.longestStall = Math.max(this.longestStall, (n - 1) * grid.periodMs);
    }
    this.held += n;
    if (this.held < this.hold) return HOLD;
    // Hold complete (or overrun by a late callback): the next level, never one further.
    this.held = 0;
    this.frame++;
    return this.done ? DONE : { phase: 'show', frame: this.frame };
  }

  stats(): PacingStats {
    const durationMs = this.frame < 0 ? 0 : this.lastMs - this.startMs;
    const frames = Math.min(Math.max(this.frame, 0), this.frameCount);
    return {
      durationMs,
      frames,
      refreshes: this.refreshes,
      lateRefreshes: this.late,
      missedRefreshes: this.missed,
      longestStallMs: this.longestStall,
      achievedFps: durationMs > 0 ? (1000 * frames) / durationMs : 0,
      refreshHz: durationMs > 0 ? (1000 * this.refreshes) / durationMs : this.grid ? 1000 / this.grid.periodMs : Number.NaN,
      refreshesPerFrame: this.hold,
    };
  }

  private warmupTick(timestampMs: number, nowMs: number): PacerStep {
    this.warmup[this.warmupSeen++] = timestampMs;
    if (this.warmupSeen < this.warmup.length) return WARMUP;
    const periodMs = measurePeriod(this.warmup);
    if (!(periodMs > 0) || !Number.isFinite(periodMs)) {
      throw new BlinkUpError(ErrorCode.INPUT_INVALID, 'animation frame timestamps do not advance; cannot measure the display');
    }
    const atMs = paintTime(timestampMs, nowMs, periodMs);
    this.grid = new RefreshGrid(periodMs, atMs);
    this.hold = refreshesPerLevel(1000 / periodMs, this.target);
    this.frame = 0;
    this.startMs = this.lastMs = atMs;
    return { phase: 'show', frame: 0 };
  }
}
