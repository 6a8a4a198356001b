export { flash, DEFAULT_FLASH_FPS } from './flash.js';
export type { FlashOptions, FlashResult } from './flash.js';
export { FramePacer, DEFAULT_WARMUP_REFRESHES } from './pacer.js';
export type { PacerOptions, PacerStep, PacingStats } from './pacer.js';
export { refreshesPerLevel } from './refresh.js';
export type { HoldTarget } from './refresh.js';
export { DEFAULT_COLORS } from './colors.js';
export type { FlashColors } from './colors.js';
