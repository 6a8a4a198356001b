/**
 * The options that say how to read a capture — shared by every command that reads one
 * (`decode`, `analyze`): its format and timing, the region of a video, the ADC's full scale.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseRoi, type Roi } from '../node/region.js';
import { isBlinkUpError } from '../packet/errors.js';
import { usageError } from './errors.js';
import { CAPTURE_FORMATS, FPS_LIMITS, RATE_LIMITS, type CaptureFormat, type CaptureOptions } from './input-source.js';
import { parseDecimal } from './parse-options.js';

/** Option values as commander hands them over. */
export interface CaptureOptionValues {
  format?: CaptureFormat;
  rate?: number;
  fps?: number;
  roi?: Roi;
  fullScale?: number;
  column?: string;
  invert?: boolean;
}

export function addCaptureOptions(cmd: Command): Command {
  return cmd
    .argument('<capture>', 'a capture file, a folder of PNG frames, or "-" for stdin')
    .addOption(new Option('--format <format>', 'how to read the capture (default: from the folder, the extension or the first bytes)').choices(CAPTURE_FORMATS))
    .option('--rate <Hz>', `sample rate of a photodiode capture, ${RATE_LIMITS.min}–${RATE_LIMITS.max} Hz (default: from the file's header or time column)`, parseDecimal)
    .option('--fps <n>', `frame rate of a video, ${FPS_LIMITS.min}–${FPS_LIMITS.max} (default: from the Y4M header, or a times file or manifest in the folder)`, parseDecimal)
    .option('--roi <x,y,w,h>', 'region of the video frames to measure, in pixels (default: found automatically)', roiArgument)
    .option('--column <n|name>', 'the CSV column that holds the samples: its number (1 is the first) or its name in the header (default: the second of two or more columns, else the only one)')
    .option('--full-scale <n>', 'ADC full scale, e.g. 4095 (default: a CSV header\'s Full Scale; else 1 for values ≤ 1, else the smallest 2^n − 1 of a common ADC, n = 8, 10, 12, 14, 16, … that holds the largest value)', parseDecimal)
    .option('--invert', 'the sensor reads lower for more light (a phototransistor pulling its output down): each sample is read as full scale − value (full scale: --full-scale, else the CSV header\'s, else the smallest common ADC range that holds the first samples); without it, a file with no preamble the right way up is read again turned over');
}

export function captureOptionsFrom(o: CaptureOptionValues): CaptureOptions {
  if (o.fullScale !== undefined && !(o.fullScale > 0)) throw usageError('--full-scale must be above 0');
  return { format: o.format, rate: o.rate, fps: o.fps, roi: o.roi, fullScale: o.fullScale, column: columnChoice(o.column) };
}

/** --column: a whole number from 1 (a 0-based index for the reader), or a header name. */
function columnChoice(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const name = text.trim();
  if (/^\d+$/.test(name)) {
    const n = Number(name);
    if (!(n >= 1 && n <= 1024)) throw usageError(`--column must be a column's number from 1 to 1024, or its name (got ${name})`);
    return n - 1;
  }
  if (name === '' || name.length > 64) throw usageError('--column must be a column\'s number, or its name in the header (at most 64 characters)');
  return name;
}

/** --invert, refused for video: a camera measures light itself, never the wrong way up. */
export function invertOption(o: CaptureOptionValues, capture: { readonly camera: boolean }): boolean {
  if (o.invert !== true) return false;
  if (capture.camera) throw usageError('--invert is for photodiode captures: a video\'s brightness already grows with the light');
  return true;
}

/**
 * Whether to read a capture again turned over: a file (stdin cannot be read twice) from a
 * photodiode, read without --invert, that held no preamble the right way up (no levels learned)
 * — perhaps a sensor that reads lower for more light.
 */
export function worthTurningOver(path: string, o: CaptureOptionValues, capture: { readonly camera: boolean }, report: { readonly swing: number }): boolean {
  return o.invert !== true && path !== '-' && !capture.camera && !(report.swing > 0);
}

/** --roi through the region parser, its message reported under the option's name. */
function roiArgument(text: string): Roi {
  try {
    return parseRoi(text);
  } catch (err) {
    if (isBlinkUpError(err)) throw new InvalidArgumentError(`${err.message}.`);
    throw err;
  }
}
