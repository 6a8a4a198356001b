/**
 * Strict parsers for option values, for commander's `argParser`. `Number("12abc")` is NaN but
 * `parseInt("12abc")` is 12 and `Number("")` is 0: a typo must be an error, not a value.
 * A parser throws commander's InvalidArgumentError, which names the option and quotes the value
 * in its message (`parseHostPort`, whose value may hold a secret, names only the option).
 */
import { InvalidArgumentError } from 'commander';
import { usageError } from './errors.js';

const DECIMAL = /^\d+(\.\d+)?$/;
const SIGNED_DECIMAL = /^[-+]?\d+(\.\d+)?$/;
const INTEGER = /^\d+$/;

/** A non-negative decimal number such as 60 or 59.94 (no signs, exponents or spaces). */
export function parseDecimal(text: string): number {
  if (!DECIMAL.test(text)) throw new InvalidArgumentError('expected a number such as 60 or 59.94.');
  return Number(text);
}

/** A decimal number that may be negative, such as -20000 (a clock error in ppm). */
export function parseSignedDecimal(text: string): number {
  if (!SIGNED_DECIMAL.test(text)) throw new InvalidArgumentError('expected a number such as 250 or -20000.');
  return Number(text);
}

/** Two non-negative decimals separated by a comma, e.g. `--pwm 240,0.5`; `example` is shown on error. */
export function parseDecimalPair(example: string): (text: string) => [number, number] {
  return pairOf(DECIMAL, example);
}

/** Two decimals that may be negative, e.g. `--window -4,-2` (a scope's times before its trigger). */
export function parseSignedDecimalPair(example: string): (text: string) => [number, number] {
  return pairOf(SIGNED_DECIMAL, example);
}

function pairOf(number: RegExp, example: string): (text: string) => [number, number] {
  return (text) => {
    const parts = text.split(',').map((s) => s.trim());
    if (parts.length === 2 && number === DECIMAL && parts.every((p) => SIGNED_DECIMAL.test(p)) && parts.some((p) => p.startsWith('-'))) {
      // Two numbers, but one has a sign: say what is wrong with them, not that they are missing.
      throw new InvalidArgumentError(`both numbers must be 0 or more, e.g. ${example}.`);
    }
    if (parts.length !== 2 || !parts.every((p) => number.test(p))) throw new InvalidArgumentError(`expected two numbers separated by a comma, e.g. ${example}.`);
    return [Number(parts[0]), Number(parts[1])];
  };
}

/** A non-negative integer written in decimal digits. */
export function parseInteger(text: string): number {
  if (!INTEGER.test(text)) throw new InvalidArgumentError('expected a whole number.');
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('the number is too large.');
  return n;
}

/** `<W>x<H>` in pixels, e.g. 1280x720. Range limits are the consumer's to check. */
export function parseSize(text: string): { width: number; height: number } {
  const m = /^(\d{1,9})x(\d{1,9})$/i.exec(text);
  if (!m) throw new InvalidArgumentError('expected <width>x<height> in pixels, e.g. 256x256.');
  return { width: Number(m[1]), height: Number(m[2]) };
}

/**
 * `<host>:<port>`; the host may be a bracketed IPv6 literal (`[::1]:8080`). Its errors do not
 * quote the value, as commander's would: a proxy URL pasted whole may hold a password.
 */
export function parseHostPort(text: string): { host: string; port: number } {
  const colon = text.lastIndexOf(':');
  if (colon < 0) throw usageError('--proxy: expected <host>:<port>, e.g. proxy.example.com:8080');
  const port = text.slice(colon + 1);
  if (!INTEGER.test(port)) throw usageError('--proxy: expected <host>:<port>, e.g. proxy.example.com:8080; the port must be a whole number');
  return { host: text.slice(0, colon), port: Number(port) };
}

/** A comma-separated list of `min`–`max` items, e.g. the addresses of `--static`. */
export function parseList(min: number, max: number, example: string): (text: string) => string[] {
  return (text) => {
    const items = text.split(',').map((s) => s.trim());
    if (items.length < min || items.length > max || items.some((s) => s === '')) {
      throw new InvalidArgumentError(`expected ${min === max ? min : `${min} or ${max}`} comma-separated values, e.g. ${example}.`);
    }
    return items;
  };
}
