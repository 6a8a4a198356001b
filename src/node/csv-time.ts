/**
 * Wall-clock times in a CSV capture's time column. A logger that stamps each line with the clock
 * writes a time of day (`10:00:00.001`) or an ISO 8601 date and time (`2026-11-27T10:00:00.001Z`,
 * or with a space for the T, and a zone offset or none, read as UTC) rather than seconds. The
 * reader counts them in seconds from the first sample's: only differences matter to the decoder,
 * and packet times then read like any other capture's.
 *
 * Parsed from the bytes, with no string or match object per line, into a day number and the
 * seconds within it: seconds since 1970 would round a microsecond away (a double near 1.8e9 s
 * holds a quarter of one).
 */

export type ClockFormat = 'time of day' | 'date and time';

/** A stamp read by `readClock`: days since 1970-01-01 (0 for a time of day) and seconds into that day, the zone's offset taken off (so it may fall outside 0–86 400). */
export interface ClockStamp {
  day: number;
  seconds: number;
}

const DIGIT_0 = 0x30;
const COLON = 0x3a;
const DOT = 0x2e;
const COMMA = 0x2c;
const DASH = 0x2d;
const PLUS = 0x2b;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;
const SPACE = 0x20;
/** Most digits of a fraction read (nanoseconds). */
const MAX_FRACTION = 9;

/**
 * Reads `bytes[start, end)` as a wall-clock stamp into `out`; returns its format, or undefined
 * (and leaves `out` unspecified) when the field is no valid time of day or date and time.
 */
export function readClock(bytes: Uint8Array, start: number, end: number, out: ClockStamp): ClockFormat | undefined {
  let i = start;
  // A date first? Four digits and a dash.
  let day = 0;
  let format: ClockFormat = 'time of day';
  if (end - start >= 10 && bytes[start + 4] === DASH) {
    const year = digits(bytes, i, 4);
    const month = bytes[i + 7] === DASH ? digits(bytes, i + 5, 2) : -1;
    const date = digits(bytes, i + 8, 2);
    const separator = bytes[i + 10];
    if (year < 0 || month < 1 || month > 12 || date < 1 || date > 31 || (separator !== LETTER_T && separator !== SPACE)) return undefined;
    day = Date.UTC(year, month - 1, date) / 86_400_000;
    format = 'date and time';
    i += 11;
  }
  // H:MM:SS or HH:MM:SS.
  const oneDigitHour = bytes[i + 1] === COLON;
  const hours = digits(bytes, i, oneDigitHour ? 1 : 2);
  i += oneDigitHour ? 1 : 2;
  if (bytes[i] !== COLON) return undefined;
  const minutes = digits(bytes, i + 1, 2);
  if (bytes[i + 3] !== COLON) return undefined;
  const secs = digits(bytes, i + 4, 2);
  i += 6;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || secs < 0 || secs > 60 || i > end) return undefined;
  let seconds = 3600 * hours + 60 * minutes + secs;
  // A fraction after a point or a comma.
  if (i < end && (bytes[i] === DOT || bytes[i] === COMMA)) {
    let n = 0;
    let fraction = 0;
    let scale = 1;
    for (i++; i < end && n < MAX_FRACTION + 1; i++, n++) {
      const d = bytes[i]! - DIGIT_0;
      if (d < 0 || d > 9) break;
      fraction = 10 * fraction + d;
      scale *= 10;
    }
    if (n === 0 || n > MAX_FRACTION) return undefined;
    seconds += fraction / scale;
  }
  // A date and time may end in a zone: Z, or ±HH:MM / ±HHMM.
  if (format === 'date and time' && i < end) {
    const sign = bytes[i] === PLUS ? 1 : bytes[i] === DASH ? -1 : 0;
    if (bytes[i] === LETTER_Z) i++;
    else if (sign !== 0) {
      const zoneHours = digits(bytes, i + 1, 2);
      const colon = bytes[i + 3] === COLON ? 1 : 0;
      const zoneMinutes = digits(bytes, i + 3 + colon, 2);
      if (zoneHours < 0 || zoneHours > 23 || zoneMinutes < 0 || zoneMinutes > 59) return undefined;
      seconds -= sign * (3600 * zoneHours + 60 * zoneMinutes);
      i += 5 + colon;
    }
  }
  if (i !== end) return undefined;
  out.day = day;
  out.seconds = seconds;
  return format;
}

/** The `n` decimal digits at `bytes[at]` as a number, or −1 if any is not a digit. */
function digits(bytes: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let k = at; k < at + n; k++) {
    const d = bytes[k]! - DIGIT_0;
    if (!(d >= 0 && d <= 9)) return -1;
    v = 10 * v + d;
  }
  return v;
}
