/** Wall-clock stamps in a CSV time column (src/node/csv-time.ts). */
import { describe, expect, it } from 'vitest';
import { readClock, type ClockStamp } from '../../src/node/csv-time.js';

const bytes = (s: string): Buffer => Buffer.from(`[${s}]`, 'latin1');
/** readClock on `s` with a byte either side (the field's neighbours must not be read). */
function read(s: string): { format: string | undefined; stamp: ClockStamp } {
  const stamp = { day: Number.NaN, seconds: Number.NaN };
  return { format: readClock(bytes(s), 1, 1 + s.length, stamp), stamp };
}

describe('readClock', () => {
  it('reads a time of day to the nanosecond', () => {
    expect(read('10:00:00.123456')).toEqual({ format: 'time of day', stamp: { day: 0, seconds: 36_000.123456 } });
    expect(read('9:05:07,250').stamp.seconds).toBeCloseTo(9 * 3600 + 5 * 60 + 7.25, 9);
    expect(read('23:59:60').stamp.seconds).toBe(86_400); // a leap second
    expect(read('00:00:00.000000001').stamp.seconds).toBeCloseTo(1e-9, 15);
  });

  it('reads an ISO 8601 date and time as a day and the seconds into it, its zone taken off', () => {
    const day = Date.UTC(2026, 10, 27) / 86_400_000;
    expect(read('2026-11-27T10:00:00.000001Z')).toEqual({ format: 'date and time', stamp: { day, seconds: 36_000.000001 } });
    expect(read('2026-11-27T11:00:00+01:00').stamp).toEqual({ day, seconds: 36_000 });
    expect(read('2026-11-27 05:00:00-0500').stamp).toEqual({ day, seconds: 36_000 });
    expect(read('2026-11-27 10:00:00').stamp).toEqual({ day, seconds: 36_000 });
  });

  it('refuses what no clock shows, and what only begins like a stamp', () => {
    for (const bad of ['10:00', '1000', '2026-11-27', 'T10:00:00', '10:00:00 PM', '24:00:00', '10:60:00', '10:00:61', '10:00:00.', `10:00:00.${'1'.repeat(10)}`, '10:00:0', '2026-11-27T10:00:00Q', '2026-11-27T10:00:00+1', '2026-13-01T10:00:00', '2026-00-10T10:00:00', '2026-11-32T10:00:00', '2026-11-27T25:00:00', '2026/11/27T10:00:00', '']) {
      expect(read(bad).format, bad).toBeUndefined();
    }
  });
});
