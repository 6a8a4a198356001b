/**
 * The frame sequence as CSV, one row per frame, for spreadsheets, plotting and test rigs:
 *   frame,start_ms,duration_ms,level,value
 * `frame` counts from 1 like the PNG file names; `value` is the grey code value drawn (0/191/255).
 */
import type { Schedule } from '../schedule/schedule.js';
import { LEVEL_CODE_VALUES } from './levels.js';

export const FRAMES_CSV_HEADER = 'frame,start_ms,duration_ms,level,value';

export function framesCsv(s: Schedule): string {
  const rows = new Array<string>(s.frameCount + 1);
  rows[0] = FRAMES_CSV_HEADER;
  const duration = s.frameDurationMs.toFixed(3);
  for (let i = 0; i < s.frameCount; i++) {
    const level = s.levels[i]!;
    rows[i + 1] = `${i + 1},${s.startMs[i]!.toFixed(3)},${duration},${level},${LEVEL_CODE_VALUES[level]}`;
  }
  return rows.join('\n') + '\n';
}
