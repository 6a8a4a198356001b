/**
 * flash(): plays a level sequence on a canvas or an element, one requestAnimationFrame callback
 * per display refresh. A thin DOM driver around the FramePacer: the pacer decides, this paints,
 * reports progress, listens for cancellation, holds a wake lock and cleans up.
 */
import { BlinkUpError, ErrorCode } from '../packet/errors.js';
import { MAX_FPS, MIN_FPS, type Schedule } from '../schedule/schedule.js';
import { FramePacer, type PacingStats } from './pacer.js';
import type { HoldTarget } from './refresh.js';
import { readColors, type FlashColors } from './colors.js';
import { checkTarget, createSurface, type Surface } from './surface.js';
import { acquireWakeLock, type HeldWakeLock } from './wake-lock.js';

/** Flashing rate for raw levels when none is given: SDK 0.3.0's rate on phones. */
export const DEFAULT_FLASH_FPS = 60;

export interface FlashOptions {
  /** Levels per second for raw levels (10–120, default 60). A Schedule brings its own rate. */
  readonly fps?: number;
  /** Colours of the three levels (defaults #000000, #bfbfbf, #ffffff); one the browser cannot parse is refused. */
  readonly colors?: Partial<FlashColors>;
  /** Black refreshes used to measure the display before the first level (default 30). */
  readonly warmupRefreshes?: number;
  /** Aborting it stops the flash: the promise rejects with the signal's reason (an AbortError). */
  readonly signal?: AbortSignal;
  /** Called when a new level goes up, and once with (1, frameCount) at the end. */
  readonly onProgress?: (fractionDone: number, frameIndex: number) => void;
  /** Ask for a screen wake lock while flashing, where the browser offers one (default true). */
  readonly wakeLock?: boolean;
}

export interface FlashResult extends PacingStats {
  /** Whether a screen wake lock was held during the flash. */
  readonly wakeLock: boolean;
}

/**
 * Targets with a flash running (a double click on Start). A second flash on one would take the
 * first one's black for the target's own look and "restore" it at its end: black for good.
 */
const flashing = new WeakSet<object>();

/**
 * Flash `input` (a Schedule, or raw levels 0/1/2) on `target`. Resolves when the last level has
 * been held for its full time; the target then looks as it did before. Rejects with a
 * BlinkUpError on bad input or while another flash runs on `target`, or with the abort reason
 * when `options.signal` is aborted.
 */
export async function flash(
  target: HTMLCanvasElement | HTMLElement,
  input: Schedule | Uint8Array,
  options: FlashOptions = {},
): Promise<FlashResult> {
  const { levels, hold } = readInput(input, options.fps);
  const pacer = new FramePacer({ frameCount: levels.length, hold, warmupRefreshes: options.warmupRefreshes });
  const frames = animationFrames();
  const colors = readColors(options.colors);
  checkTarget(target);
  const { signal, onProgress } = options;

  if (signal?.aborted) throw abortReason(signal);
  if (flashing.has(target)) throw new BlinkUpError(ErrorCode.OPTION_INVALID, 'a flash is already running on this element');
  flashing.add(target);
  try {
    const lock = options.wakeLock === false ? null : await acquireWakeLock();
    let surface: Surface;
    try {
      if (signal?.aborted) throw abortReason(signal);
      surface = createSurface(target, colors);
    } catch (err) {
      lock?.release();
      throw err;
    }
    return await play({ pacer, levels, surface, frames, lock, signal, onProgress });
  } finally {
    flashing.delete(target);
  }
}

/** Everything one flash needs once its inputs are checked and the wake lock is settled. */
interface Playback {
  readonly pacer: FramePacer;
  readonly levels: Uint8Array;
  readonly surface: Surface;
  readonly frames: AnimationFrames;
  readonly lock: HeldWakeLock | null;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: FlashOptions['onProgress'];
}

/** The animation loop: one pacer tick per callback, until done, failed or aborted; always cleans up. */
function play({ pacer, levels, surface, frames, lock, signal, onProgress }: Playback): Promise<FlashResult> {
  return new Promise<FlashResult>((resolve, reject) => {
    let handle = 0;
    let finished = false;
    const finish = (error: unknown, result?: FlashResult): void => {
      if (finished) return;
      finished = true;
      frames.cancel(handle);
      signal?.removeEventListener('abort', onAbort);
      surface.restore();
      lock?.release();
      if (result) resolve(result);
      else reject(error);
    };
    const onAbort = (): void => finish(abortReason(signal!));

    const onFrame = (timestamp: number): void => {
      try {
        const step = pacer.tick(timestamp, frames.now());
        if (step.phase === 'show') {
          surface.paint(levels[step.frame]!);
          onProgress?.(step.frame / levels.length, step.frame);
        } else if (step.phase === 'done') {
          onProgress?.(1, levels.length);
          finish(undefined, { ...pacer.stats(), wakeLock: lock?.held ?? false });
          return;
        }
        // 'warmup' and 'hold' leave the screen as it is.
        if (!finished) handle = frames.request(onFrame);
      } catch (err) {
        finish(err);
      }
    };

    signal?.addEventListener('abort', onAbort, { once: true });
    surface.paint(0); // black for the warm-up, from the very first refresh
    handle = frames.request(onFrame);
  });
}

function readInput(input: Schedule | Uint8Array, fps: number | undefined): { levels: Uint8Array; hold: HoldTarget } {
  let levels: Uint8Array;
  let hold: HoldTarget;
  if (input instanceof Uint8Array) {
    const rate = fps ?? DEFAULT_FLASH_FPS;
    if (!Number.isFinite(rate) || rate < MIN_FPS || rate > MAX_FPS) {
      throw new BlinkUpError(ErrorCode.RATE_UNSUPPORTED, `flashing rate must be ${MIN_FPS}–${MAX_FPS} fps (got ${rate})`);
    }
    levels = input;
    hold = { fps: rate };
  } else if (input && input.levels instanceof Uint8Array && Number.isInteger(input.refreshesPerFrame) && input.fps > 0) {
    levels = input.levels;
    hold = { fps: input.fps, refreshHz: input.refreshHz, refreshesPerFrame: input.refreshesPerFrame };
  } else {
    throw new BlinkUpError(ErrorCode.INPUT_INVALID, 'flash() plays a Schedule or a Uint8Array of levels');
  }
  for (let i = 0; i < levels.length; i++) {
    if (levels[i]! > 2) throw new BlinkUpError(ErrorCode.LEVELS_INVALID, `frame ${i} has level ${levels[i]}; levels are 0, 1 or 2`);
  }
  return { levels, hold };
}

interface AnimationFrames {
  request(callback: (timestamp: number) => void): number;
  cancel(handle: number): void;
  /** The clock rAF timestamps are on (performance.now()). */
  now(): number;
}

function animationFrames(): AnimationFrames {
  const g = globalThis as Partial<AnimationFrameProvider> & { performance?: Performance };
  if (typeof g.requestAnimationFrame !== 'function' || typeof g.cancelAnimationFrame !== 'function') {
    throw new BlinkUpError(ErrorCode.INPUT_INVALID, 'flash() needs requestAnimationFrame: call it in a browser window');
  }
  const clock = g.performance;
  return {
    request: (callback) => g.requestAnimationFrame!(callback),
    cancel: (handle) => g.cancelAnimationFrame!(handle),
    // Without a clock, trust the timestamps (the pacer then treats every callback as on time).
    now: clock ? () => clock.now() : () => Number.NEGATIVE_INFINITY,
  };
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The flash was cancelled', 'AbortError');
}
