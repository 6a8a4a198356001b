/**
 * Splitting one CSV line (as bytes) into fields, and reading a field as a number.
 *
 * Works on the raw bytes of a line so that the reader never decodes more text than it
 * needs: field boundaries go into reusable typed arrays and only the fields that are used
 * become (short) strings. Control bytes other than tab and CR mark the line as binary.
 */

/** A field separator: one byte, or runs of blanks (spaces/tabs) for space-aligned columns. */
export type Delimiter = ',' | ';' | '\t' | 'blank';

const TAB = 0x09;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const DEL = 0x7f;

const DELIMITER_BYTE: Record<Delimiter, number> = { ',': COMMA, ';': SEMICOLON, '\t': TAB, blank: -1 };

/** `split` returns this instead of a field count when the line holds control bytes (binary data). */
export const BINARY_LINE = -1;

/**
 * Guess a line's separator: a tab or semicolon wins over a comma (those files often use a
 * decimal comma), a comma over blanks.
 */
export function detectDelimiter(bytes: Uint8Array, start: number, end: number): Delimiter {
  let comma = false;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b === TAB) return '\t';
    if (b === SEMICOLON) return ';';
    if (b === COMMA) comma = true;
  }
  return comma ? ',' : 'blank';
}

function isBlank(b: number): boolean {
  return b === SPACE || b === TAB || b === CR;
}

/** Field boundaries of the last line split, reused from line to line. */
export class FieldSplitter {
  /** Start (inclusive) and end (exclusive) byte offset of each field, blanks and quotes trimmed. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;

  /** Fields beyond `maxFields` on a line are ignored (a capture needs two). */
  constructor(readonly maxFields = 1024) {
    this.starts = new Int32Array(maxFields);
    this.ends = new Int32Array(maxFields);
  }

  /** Split `bytes[start, end)` and return the number of fields, or `BINARY_LINE`. */
  split(bytes: Uint8Array, start: number, end: number, delimiter: Delimiter): number {
    const sep = DELIMITER_BYTE[delimiter];
    let count = 0;
    let fieldStart = start;
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      if ((b < SPACE && b !== TAB && b !== CR) || b === DEL) return BINARY_LINE;
      if (sep >= 0 ? b !== sep : !isBlank(b)) continue;
      // With blank separation a run of blanks is one separator, so skip empty fields.
      if (sep >= 0 || i > fieldStart) {
        if (count < this.maxFields) this.setField(count, bytes, fieldStart, i);
        count++;
      }
      fieldStart = i + 1;
    }
    if (sep >= 0 || end > fieldStart) {
      if (count < this.maxFields) this.setField(count, bytes, fieldStart, end);
      count++;
    }
    return Math.min(count, this.maxFields);
  }

  /** Store a field's bounds with surrounding blanks and one pair of double quotes removed. */
  private setField(index: number, bytes: Uint8Array, start: number, end: number): void {
    while (start < end && isBlank(bytes[start]!)) start++;
    while (end > start && isBlank(bytes[end - 1]!)) end--;
    if (end - start >= 2 && bytes[start] === QUOTE && bytes[end - 1] === QUOTE) {
      start++;
      end--;
    }
    this.starts[index] = start;
    this.ends[index] = end;
  }

  isEmpty(index: number): boolean {
    return this.starts[index] === this.ends[index];
  }
}

/** Longest text that can be a number worth reading (longer fields are not numbers). */
const MAX_NUMBER_CHARS = 64;

/** 10^0 … 10^22: every one is exact in a double (built by multiplication, which stays exact). */
const POW10 = new Float64Array(23);
POW10[0] = 1;
for (let k = 1; k < POW10.length; k++) POW10[k] = POW10[k - 1]! * 10;

/** Above this a mantissa could exceed 2^53 after one more digit. */
const MANTISSA_LIMIT = 900719925474099;

const DIGIT_0 = 0x30;
const DOT = 0x2e;
const MINUS = 0x2d;
const PLUS = 0x2b;

/**
 * Plain decimals (`-12.5`, `1.25e-3`) straight from bytes, or NaN when the field needs the
 * general path. Exact: with at most 15 significant digits and a power of ten up to 10^22,
 * both operands are exact doubles and one IEEE multiply or divide rounds correctly, so the
 * result equals `Number(text)` (Clinger's fast path). Saves a string per field.
 */
function parseSimpleDecimal(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (bytes[i] === MINUS || bytes[i] === PLUS) negative = bytes[i++] === MINUS;
  let mantissa = 0;
  let digits = 0;
  let scale = 0; // power of ten to apply
  for (; i < end; i++) {
    const d = bytes[i]! - DIGIT_0;
    if (d < 0 || d > 9) break;
    if (mantissa > MANTISSA_LIMIT) return Number.NaN;
    mantissa = mantissa * 10 + d;
    digits++;
  }
  if (i < end && bytes[i] === DOT) {
    for (i++; i < end; i++) {
      const d = bytes[i]! - DIGIT_0;
      if (d < 0 || d > 9) break;
      if (mantissa > MANTISSA_LIMIT) return Number.NaN;
      mantissa = mantissa * 10 + d;
      digits++;
      scale--;
    }
  }
  if (digits === 0) return Number.NaN;
  if (i < end && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
    i++;
    let expNegative = false;
    if (bytes[i] === MINUS || bytes[i] === PLUS) expNegative = bytes[i++] === MINUS;
    let exponent = 0;
    const expStart = i;
    for (; i < end && i - expStart < 4; i++) {
      const d = bytes[i]! - DIGIT_0;
      if (d < 0 || d > 9) break;
      exponent = exponent * 10 + d;
    }
    if (i === expStart) return Number.NaN;
    scale += expNegative ? -exponent : exponent;
  }
  if (i !== end || scale > 22 || scale < -22) return Number.NaN;
  const magnitude = scale >= 0 ? mantissa * POW10[scale]! : mantissa / POW10[-scale]!;
  return negative ? -magnitude : magnitude;
}

/**
 * Read `text[start, end)` of a latin-1 view as a number. Returns `undefined` when it is not
 * one. Accepts what `Number` accepts (decimal, exponent, Infinity), `NaN`/`nan` as NaN,
 * `inf`/`-inf`/`infinity` in any case (printf, Python), and a decimal comma when the separator is
 * not a comma.
 */
export function parseNumberField(text: Buffer, start: number, end: number, delimiter: Delimiter): number | undefined {
  if (end <= start || end - start > MAX_NUMBER_CHARS) return undefined;
  const fast = parseSimpleDecimal(text, start, end);
  if (fast === fast) return fast;
  const s = text.toString('latin1', start, end);
  const value = Number(s);
  if (value === value) return value;
  if (/^[+-]?nan$/i.test(s)) return Number.NaN;
  const infinity = /^([+-]?)inf(inity)?$/i.exec(s);
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity;
  if (delimiter !== ',' && s.indexOf(',') > 0 && s.indexOf('.') < 0) {
    const european = Number(s.replace(',', '.'));
    if (european === european) return european;
  }
  return undefined;
}
