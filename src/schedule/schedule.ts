/**
 * Levels → timed frames. A screen can only change what it shows at a refresh, so every level
 * lasts a whole number of refreshes; a flashing rate the display cannot show that way is refused
 * rather than played with uneven frames.
 */
import { BlinkUpError, describeType, ErrorCode } from '../packet/errors.js';

export const MIN_FPS = 10;
export const MAX_FPS = 120;
/** Common panel refresh rates; others between MIN_REFRESH_HZ and MAX_REFRESH_HZ are accepted too. */
export const COMMON_REFRESH_HZ = [60, 90, 120, 144] as const;
export const MIN_REFRESH_HZ = 24;
export const MAX_REFRESH_HZ = 360;

export interface ScheduleOptions {
  /** Flashing rate in levels per second, 10–120 (SDK 0.3.0 default on phones: 60). */
  fps?: number;
  /** Display refresh rate in Hz (default 60). */
  refreshHz?: number;
}

export interface Schedule {
  /** One level per frame: 0 black, 1 grey, 2 white. */
  readonly levels: Uint8Array;
  readonly fps: number;
  readonly refreshHz: number;
  /** How many refreshes each level stays on screen. */
  readonly refreshesPerFrame: number;
  readonly frameCount: number;
  /** Duration of every frame, ms (all frames are equally long by construction). */
  readonly frameDurationMs: number;
  /** Start time of frame i, ms from the first frame. */
  readonly startMs: Float64Array;
  /** Total time on air, ms. */
  readonly durationMs: number;
}

/**
 * Flashing rates (within 10–120) that a `refreshHz` display shows with whole refreshes: the
 * whole-number ones, or on a display whose rate is not a whole number (59.94 Hz) all of them.
 */
export function supportedFps(refreshHz: number): number[] {
  const out: number[] = [];
  const whole = Number.isInteger(refreshHz);
  for (let k = 1; refreshHz / k >= MIN_FPS; k++) {
    const fps = refreshHz / k;
    if (fps <= MAX_FPS && (Number.isInteger(fps) || !whole)) out.push(fps);
  }
  return out;
}

export function schedule(levels: Uint8Array, options: ScheduleOptions = {}): Schedule {
  if (!(levels instanceof Uint8Array)) throw new BlinkUpError(ErrorCode.LEVELS_INVALID, `levels must be a Uint8Array (got ${describeType(levels)})`);
  const fps = options.fps ?? 60;
  const refreshHz = options.refreshHz ?? 60;
  if (typeof fps !== 'number') throw new BlinkUpError(ErrorCode.RATE_UNSUPPORTED, `fps must be a number (got ${describeType(fps)})`);
  if (typeof refreshHz !== 'number') throw new BlinkUpError(ErrorCode.RATE_UNSUPPORTED, `refreshHz must be a number (got ${describeType(refreshHz)})`);
  if (!Number.isFinite(refreshHz) || refreshHz < MIN_REFRESH_HZ || refreshHz > MAX_REFRESH_HZ) {
    throw new BlinkUpError(ErrorCode.RATE_UNSUPPORTED, `refresh rate must be ${MIN_REFRESH_HZ}–${MAX_REFRESH_HZ} Hz (got ${refreshHz})`);
  }
  if (!Number.isFinite(fps) || fps < MIN_FPS || fps > MAX_FPS) {
    throw new BlinkUpError(ErrorCode.RATE_UNSUPPORTED, `flashing rate must be ${MIN_FPS}–${MAX_FPS} fps (got ${fps})`);
  }
  const ratio = refreshHz / fps;
  const refreshesPerFrame = Math.round(ratio);
  if (refreshesPerFrame < 1 || Math.abs(ratio - refreshesPerFrame) > 1e-9 * ratio) {
    const options = supportedFps(refreshHz)
      .map((r) => String(Math.round(r * 1000) / 1000))
      .join(', ');
    throw new BlinkUpError(
      ErrorCode.RATE_UNSUPPORTED,
      `${fps} fps cannot be shown on a ${refreshHz} Hz display (each level must last a whole number of refreshes); choose one of ${options || 'none'}`,
    );
  }
  for (let i = 0; i < levels.length; i++) {
    if (levels[i]! > 2) throw new BlinkUpError(ErrorCode.LEVELS_INVALID, `frame ${i} has level ${levels[i]}; levels are 0, 1 or 2`);
  }
  const frameDurationMs = (1000 * refreshesPerFrame) / refreshHz;
  const startMs = new Float64Array(levels.length);
  for (let i = 0; i < levels.length; i++) startMs[i] = i * frameDurationMs;
  return {
    levels,
    fps,
    refreshHz,
    refreshesPerFrame,
    frameCount: levels.length,
    frameDurationMs,
    startMs,
    durationMs: levels.length * frameDurationMs,
  };
}
