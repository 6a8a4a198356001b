import { describe, expect, it } from 'vitest';
import { FlickerMeter } from '../../src/cli/flicker-meter.js';
import { Random } from '../../src/util/random.js';

const RATE = 1000;

/** Room light at `hz` (peak-to-peak `ripple`) on a level of 1000, with 1 LSB of noise, for `seconds`. */
function roomLight(hz: number, ripple: number, seconds: number, seed = 1): Float64Array {
  const rng = new Random(seed);
  return Float64Array.from({ length: seconds * RATE }, (_, i) => 1000 + (ripple / 2) * Math.sin((2 * Math.PI * hz * i) / RATE) + rng.normal());
}

function measure(samples: Float64Array, flashPulseHz?: number) {
  const meter = new FlickerMeter();
  for (let i = 0; i < samples.length; i += 4096) meter.add(samples.subarray(i, i + 4096), undefined, RATE);
  return meter.finish(flashPulseHz);
}

describe('the room-light meter', () => {
  it.each([50, 60, 100, 120])('reads ripple at %d Hz, peak to peak', (hz) => {
    const estimate = measure(roomLight(hz, 80, 3))!;
    expect(estimate.hz).toBe(hz);
    expect(estimate.peakToPeak).toBeGreaterThan(76);
    expect(estimate.peakToPeak).toBeLessThan(84);
    expect(estimate.windows).toBeGreaterThanOrEqual(25);
  });

  it('reads no lamp at the flash\'s own pulse rate (120 fps pulses at 60 Hz, the 60 Hz mains\' period)', () => {
    expect(measure(roomLight(60, 80, 3), 60)!.hz).not.toBe(60);
    expect(measure(roomLight(50, 80, 3), 60)!.hz).toBe(50);
  });

  it('leaves out windows where a flash goes on, whose light the four frequencies do not explain', () => {
    const quiet = roomLight(100, 40, 2);
    // A flash it was never told of (no pulse judged): pulses of 500 codes, one frame on, one off, at 60 fps.
    const flashing = Float64Array.from(roomLight(100, 40, 2, 2), (x, i) => x + (Math.floor(i / (RATE / 60)) % 2 === 0 ? 500 : 0));
    const both = new Float64Array(quiet.length + flashing.length);
    both.set(quiet);
    both.set(flashing, quiet.length);
    const estimate = measure(both)!;
    expect(estimate.hz).toBe(100);
    expect(estimate.windows).toBeLessThanOrEqual(quiet.length / (0.1 * RATE) + 1);
    expect(estimate.peakToPeak).toBeLessThan(44);
  });
});
