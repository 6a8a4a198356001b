/**
 * A pull cursor over a stream of byte chunks: read a text line, copy N bytes into a buffer,
 * or skip N bytes, regardless of where the chunk boundaries fall.
 *
 * Container formats (Y4M) are parsed with it; it keeps a reference to at most one input
 * chunk and copies only what the caller asks to have copied.
 */
import { BlinkUpError } from '../packet/errors.js';

const LF = 0x0a;
const EMPTY = new Uint8Array(0);
const text = new TextDecoder('utf-8');

export class ByteReader {
  private chunk: Uint8Array = EMPTY;
  private pos = 0;
  private ended = false;
  private readonly source: AsyncIterator<Uint8Array>;
  /** Bytes consumed so far (for messages). */
  consumed = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.source = source[Symbol.asyncIterator]();
  }

  /** Make the current chunk non-empty; false at the end of the input. */
  private async fill(): Promise<boolean> {
    while (this.pos >= this.chunk.length) {
      if (this.ended) return false;
      const next = await this.source.next();
      if (next.done) {
        this.ended = true;
        this.chunk = EMPTY;
        this.pos = 0;
        return false;
      }
      this.chunk = next.value;
      this.pos = 0;
    }
    return true;
  }

  /** Lets the source go (a file's handle is closed) when the caller stops reading before its end. */
  async close(): Promise<void> {
    this.ended = true;
    await this.source.return?.();
  }

  /** True when every byte has been consumed. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill());
  }

  /**
   * Read up to and including the next LF and return the line without it. `null` when the
   * input ended before any byte; throws when the line exceeds `maxBytes` or the input ends
   * inside it. `what` names the line in messages ("the Y4M stream header").
   */
  async readLine(maxBytes: number, what: string): Promise<string | null> {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (;;) {
      if (!(await this.fill())) {
        if (length === 0) return null;
        throw new BlinkUpError('INPUT_INVALID', `input ends inside ${what}`);
      }
      const nl = this.chunk.indexOf(LF, this.pos);
      const end = nl < 0 ? this.chunk.length : nl;
      length += end - this.pos;
      if (length > maxBytes) throw new BlinkUpError('INPUT_INVALID', `${what} is longer than ${maxBytes} bytes (not this format?)`);
      parts.push(this.chunk.subarray(this.pos, end));
      this.consumed += end - this.pos;
      this.pos = end;
      if (nl >= 0) {
        this.pos++;
        this.consumed++;
        return parts.length === 1 ? text.decode(parts[0]) : text.decode(concat(parts, length));
      }
    }
  }

  /** Copy the next `dest.length` bytes into `dest`; returns how many arrived before the input ended. */
  async readInto(dest: Uint8Array): Promise<number> {
    let filled = 0;
    while (filled < dest.length && (await this.fill())) {
      const n = Math.min(dest.length - filled, this.chunk.length - this.pos);
      dest.set(this.chunk.subarray(this.pos, this.pos + n), filled);
      this.pos += n;
      filled += n;
    }
    this.consumed += filled;
    return filled;
  }

  /** Discard the next `count` bytes without copying; returns how many were there. */
  async skip(count: number): Promise<number> {
    let skipped = 0;
    while (skipped < count && (await this.fill())) {
      const n = Math.min(count - skipped, this.chunk.length - this.pos);
      this.pos += n;
      skipped += n;
    }
    this.consumed += skipped;
    return skipped;
  }
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}
