/**
 * Option checking shared by the channel stages. Every stage resolves its options once, up front,
 * so a bad value fails loudly with `OPTION_INVALID` before any simulation work is done.
 */
import { BlinkUpError, ErrorCode } from '../packet/errors.js';

/** `defaults` overlaid with the entries of `partial` that are not `undefined`. */
export function withDefaults<T extends object>(defaults: T, partial: Partial<T> | undefined): T {
  const out = { ...defaults };
  if (partial !== undefined && partial !== null) {
    for (const key of Object.keys(partial) as (keyof T)[]) {
      const value = partial[key];
      if (value !== undefined) out[key] = value as T[keyof T];
    }
  }
  return out;
}

/** The `OPTION_INVALID` error for option `name`. */
export function optionError(name: string, expected: string, value: unknown): BlinkUpError {
  return new BlinkUpError(ErrorCode.OPTION_INVALID, `option ${name} must be ${expected} (got ${String(value)})`);
}

/** A finite number in [min, max]. */
export function checkRange(name: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw optionError(name, `a number in [${min}, ${max}]`, value);
  }
  return value;
}

/** An integer in [min, max]. */
export function checkInteger(name: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw optionError(name, `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

/** One of a fixed set of values. */
export function checkChoice<T>(name: string, value: T, choices: readonly T[]): T {
  if (!choices.includes(value)) throw optionError(name, `one of ${choices.join(', ')}`, value);
  return value;
}

/** A boolean. */
export function checkBoolean(name: string, value: boolean): boolean {
  if (typeof value !== 'boolean') throw optionError(name, 'true or false', value);
  return value;
}
