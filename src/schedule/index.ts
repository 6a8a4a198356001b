export { schedule, supportedFps, MIN_FPS, MAX_FPS, COMMON_REFRESH_HZ, MIN_REFRESH_HZ, MAX_REFRESH_HZ } from './schedule.js';
export type { Schedule, ScheduleOptions } from './schedule.js';
