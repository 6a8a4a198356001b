/**
 * One independent random stream per stage, all derived from the simulation's seed. Changing an
 * option of one stage (say the ADC noise) then leaves every other stage's random draws — held
 * levels, phases, drift — exactly as they were, which keeps A/B comparisons honest.
 */
import { Random } from '../util/random.js';

/** Stable identifiers of the random streams; never renumber (it would change every capture). */
export const Stream = {
  display: 1,
  lightPath: 2,
  sampler: 3,
  adc: 4,
  camera: 5,
  cameraNoise: 6,
} as const;
export type Stream = (typeof Stream)[keyof typeof Stream];

/** The random stream `stream` of the simulation seeded with `seed`. */
export function streamRandom(seed: number, stream: Stream): Random {
  return new Random((Math.imul(seed >>> 0, 0x2c1b3c6d) ^ Math.imul(stream, 0x9e3779b9)) >>> 0);
}
