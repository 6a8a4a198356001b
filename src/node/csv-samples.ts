/**
 * Streaming reader for CSV captures: a photodiode log, a tuning-tool dump or an
 * oscilloscope export, turned into `SampleChunk`s without ever holding the file.
 *
 * Accepted shapes:
 *   - one numeric column of samples;
 *   - two or more columns `time_s,value[,…]` (the first is time, the second the value,
 *     unless options pick others; a first column that only counts samples is not time);
 *   - any header block above the data (column names, scope metadata such as
 *     `Sample Interval,1e-3`, reported in `info.sampleIntervalS`);
 *   - `,` `;` tab or blank separated, CRLF or LF, `#` comment lines, a UTF-8 BOM.
 *
 * Refused, with the line number and never the line's content: lines longer than
 * `maxLineBytes` (LIMIT_EXCEEDED), binary data, fields that are not numbers, no data at all
 * (INPUT_INVALID).
 */
import { BlinkUpError } from '../packet/errors.js';
import { byteChunks, type ByteInput } from './byte-source.js';
import { BINARY_LINE, detectDelimiter, FieldSplitter, parseNumberField, type Delimiter } from './csv-fields.js';
import { CsvHeader, type HeaderField } from './csv-header.js';
import { readClock, type ClockFormat, type ClockStamp } from './csv-time.js';
import { ChunkBuilder, DEFAULT_CHUNK_SAMPLES, MAX_CHUNK_SAMPLES, type SampleChunk } from './sample-chunk.js';

export interface CsvReadOptions {
  /** Column of the sample values: 0-based index or header name. Default: the second column when there are two or more, else the only one. */
  readonly valueColumn?: number | string;
  /** Column of the times: 0-based index or header name, or `false` to ignore times. Default: the first column when there are two or more. */
  readonly timeColumn?: number | string | false;
  /** Samples per yielded chunk (default 4096). */
  readonly chunkSamples?: number;
  /** Longest accepted line in bytes (default 64 KiB). */
  readonly maxLineBytes?: number;
  /** Most lines accepted before the first data line (default 1000). */
  readonly maxHeaderLines?: number;
  /**
   * Asked about a data line whose value or time is not a number (a logger's serial noise, a
   * board's boot message mid-capture), with why (`line 12, column 1: not a number`): true reads
   * it as a missing sample — a value of NaN in its place where the samples carry no times,
   * nothing where they do (the times tell the gap) — false, or no hook, refuses the input with
   * that reason (INPUT_INVALID). `dataLine`: how many data lines have been read, this one included.
   */
  readonly badLine?: (reason: string, dataLine: number) => boolean;
}

/** How the reader interpreted the file; fixed once the first data line is seen. */
export interface CsvInfo {
  /** 0-based column of the values. */
  readonly valueColumn: number;
  /** 0-based column of the times, when samples carry times. */
  readonly timeColumn?: number;
  /** Seconds per unit of the time column (from labels such as `Time (ms)`), 1 when unstated. */
  readonly timeScale: number;
  /**
   * The time column holds wall-clock times (see csv-time.ts), read as seconds since the first
   * sample's; absent when it holds numbers.
   */
  readonly clock?: ClockFormat;
  /** Sample interval in seconds found in the header block (scope exports), if any. */
  readonly sampleIntervalS?: number;
  /** The ADC's full scale found in the header block (`Full Scale,4095`), if any. */
  readonly fullScale?: number;
  /** The column names row above the data, when there is one (each name at most 64 chars). */
  readonly columnNames: readonly string[];
  readonly delimiter: Delimiter;
  /** 1-based line number of the first sample. */
  readonly firstDataLine: number;
}

/** A chunk of samples with the reader's interpretation of the file (the same object on every chunk). */
export interface CsvSampleChunk extends SampleChunk {
  readonly info: CsvInfo;
}

export const CSV_DEFAULTS = {
  maxLineBytes: 64 * 1024,
  maxHeaderLines: 1000,
} as const;

const LF = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const SPACE = 0x20;
const TAB = 0x09;

/** A view of bytes that can slice latin-1 text cheaply (Buffer is the fast path in Node). */
function textView(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function positiveInteger(value: number | undefined, fallback: number, name: string, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new BlinkUpError('OPTION_INVALID', `${name} must be an integer from 1 to ${max}`);
  }
  return value;
}

function checkColumnIndex(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 1023) {
    throw new BlinkUpError('OPTION_INVALID', `${name} must be a column index from 0 to 1023`);
  }
  return value;
}

/**
 * Push-style CSV parser: feed byte chunks, collect finished sample chunks. The line being
 * assembled across chunk boundaries is the only state that grows, and only to `maxLineBytes`.
 */
export class CsvSampleParser {
  private readonly chunkSamples: number;
  private readonly maxLineBytes: number;
  private readonly maxHeaderLines: number;
  private readonly fields = new FieldSplitter();
  private readonly header = new CsvHeader();

  /** Bytes of a line that started in an earlier chunk. */
  private carry = Buffer.alloc(256);
  private carryLength = 0;
  private lineNumber = 0;
  /** Lines read as data (numbers or not), after the header. */
  private dataLines = 0;
  private headerLines = 0;
  /** The header block's lines as text (at most `maxHeaderLines`), to skip where a run appended to the file repeats them. */
  private readonly headerLineTexts = new Set<string>();
  private sawBytes = false;

  private info: CsvInfo | undefined;
  private builder: ChunkBuilder | undefined;
  private out: CsvSampleChunk[] = [];
  /** A chunk went out (see `settle`). */
  private emitted = false;
  /**
   * Wall-clock times: the stamp being read, the first sample's (day and seconds), the days added
   * where a time of day passed midnight, and the last time given out (seconds since the first).
   */
  private readonly stamp: ClockStamp = { day: 0, seconds: 0 };
  private baseDay = Number.NaN;
  private baseSeconds = 0;
  private clockDays = 0;
  private lastClock = Number.NaN;

  constructor(private readonly options: CsvReadOptions = {}) {
    this.chunkSamples = positiveInteger(options.chunkSamples, DEFAULT_CHUNK_SAMPLES, 'chunkSamples', MAX_CHUNK_SAMPLES);
    this.maxLineBytes = positiveInteger(options.maxLineBytes, CSV_DEFAULTS.maxLineBytes, 'maxLineBytes', 1 << 26);
    this.maxHeaderLines = positiveInteger(options.maxHeaderLines, CSV_DEFAULTS.maxHeaderLines, 'maxHeaderLines', 1 << 20);
    if (typeof options.valueColumn === 'number') checkColumnIndex(options.valueColumn, 'valueColumn');
    if (typeof options.timeColumn === 'number') checkColumnIndex(options.timeColumn, 'timeColumn');
  }

  /** Parse a chunk of bytes; returns the sample chunks completed by it (often none). */
  push(bytes: Uint8Array): CsvSampleChunk[] {
    if (bytes.length > 0) this.sawBytes = true;
    let pos = 0;
    if (this.carryLength > 0) {
      // Finish the line that began in an earlier chunk.
      const nl = bytes.indexOf(LF);
      if (nl < 0) {
        this.appendCarry(bytes);
        return this.settle();
      }
      this.appendCarry(bytes.subarray(0, nl));
      this.line(this.carry, 0, this.carryLength);
      this.carryLength = 0;
      pos = nl + 1;
    }
    const text = textView(bytes);
    for (;;) {
      const nl = bytes.indexOf(LF, pos);
      if (nl < 0) break;
      if (nl - pos > this.maxLineBytes) this.tooLong(this.lineNumber + 1);
      this.line(text, pos, nl);
      pos = nl + 1;
    }
    if (pos < bytes.length) this.appendCarry(bytes.subarray(pos));
    return this.settle();
  }

  /**
   * The chunks a push completed — and, once a whole first chunk went out (the reader's callers
   * learn the sample rate and full scale from it), the samples gathered since as a shorter one: a
   * live stream (a logger on a serial port) must not wait seconds for a chunk to fill.
   */
  private settle(): CsvSampleChunk[] {
    if (this.emitted && this.builder && !this.builder.empty) this.emit();
    return this.drain();
  }

  /** End of input: parse a last line without a newline, return the final chunks. */
  finish(): CsvSampleChunk[] {
    if (this.carryLength > 0) {
      this.line(this.carry, 0, this.carryLength);
      this.carryLength = 0;
    }
    if (!this.info) {
      throw new BlinkUpError(
        'INPUT_INVALID',
        this.sawBytes ? `no numeric samples found in ${this.lineNumber} line(s)` : 'the input is empty',
      );
    }
    if (this.builder && !this.builder.empty) this.emit();
    return this.drain();
  }

  private drain(): CsvSampleChunk[] {
    const done = this.out;
    this.out = [];
    return done;
  }

  private tooLong(line: number): never {
    throw new BlinkUpError('LIMIT_EXCEEDED', `line ${line} is longer than ${this.maxLineBytes} bytes (is this a text capture?)`);
  }

  private appendCarry(part: Uint8Array): void {
    const needed = this.carryLength + part.length;
    if (needed > this.maxLineBytes) this.tooLong(this.lineNumber + 1);
    if (needed > this.carry.length) {
      const grown = Buffer.alloc(Math.min(Math.max(needed, this.carry.length * 2), this.maxLineBytes));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(part, this.carryLength);
    this.carryLength = needed;
  }

  /** One line, `bytes[start, end)` without its LF. */
  private line(bytes: Buffer, start: number, end: number): void {
    this.lineNumber++;
    if (end > start && bytes[end - 1] === CR) end--;
    if (this.lineNumber === 1) {
      if (end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) start += 3; // UTF-8 byte-order mark
      const bom = end - start >= 2 ? (bytes[start]! << 8) | bytes[start + 1]! : 0;
      if (bom === 0xfffe || bom === 0xfeff) throw new BlinkUpError('INPUT_INVALID', 'the file is UTF-16 text: save it as UTF-8 or ASCII');
    }
    let first = start;
    while (first < end && (bytes[first] === SPACE || bytes[first] === TAB)) first++;
    if (first === end || bytes[first] === HASH) return; // blank line or comment
    if (this.info) this.dataLine(bytes, start, end, this.info);
    else this.headerOrFirstDataLine(bytes, start, end);
  }

  private dataLine(text: Buffer, start: number, end: number, info: CsvInfo): void {
    this.dataLines++;
    const count = this.fields.split(text, start, end, info.delimiter);
    if (count === BINARY_LINE) this.binary();
    const value = this.numberOrNothing(text, count, info.valueColumn, info.delimiter);
    const time =
      info.timeColumn === undefined ? 0 : info.clock !== undefined ? this.clockOrNothing(text, count, info.timeColumn, info.clock) : this.numberOrNothing(text, count, info.timeColumn, info.delimiter);
    if (value === undefined || time === undefined) {
      // A logger that appends runs to one file repeats the header block before each.
      if (this.headerLineTexts.has(lineText(text, start, end))) {
        this.dataLines--;
        return;
      }
      const reason = this.notANumber(count, value === undefined ? info.valueColumn : info.timeColumn!);
      if (this.options.badLine?.(reason, this.dataLines) !== true) throw new BlinkUpError('INPUT_INVALID', reason);
      if (info.timeColumn === undefined) this.add(Number.NaN, 0);
      return;
    }
    this.add(value, time * info.timeScale);
  }

  private add(value: number, time: number): void {
    const builder = this.builder!;
    builder.add(value, time);
    if (builder.full) this.emit();
  }

  /** The number in `column`, or undefined when it is empty, missing or not a number. */
  private numberOrNothing(text: Buffer, count: number, column: number, delimiter: Delimiter): number | undefined {
    if (column >= count || this.fields.isEmpty(column)) return undefined;
    return parseNumberField(text, this.fields.starts[column]!, this.fields.ends[column]!, delimiter);
  }

  /** The wall-clock time in `column` as seconds since the first sample's, or undefined when it is empty, missing or no such time. */
  private clockOrNothing(text: Buffer, count: number, column: number, format: ClockFormat): number | undefined {
    if (column >= count || this.fields.isEmpty(column)) return undefined;
    const stamp = this.stamp;
    if (readClock(text, this.fields.starts[column]!, this.fields.ends[column]!, stamp) !== format) return undefined;
    if (!(this.baseDay === this.baseDay)) {
      this.baseDay = stamp.day;
      this.baseSeconds = stamp.seconds;
    }
    // Days and seconds apart, so that no stamp is rounded as seconds since 1970 would be.
    let t = (stamp.day - this.baseDay) * 86_400 + (stamp.seconds - this.baseSeconds) + this.clockDays;
    // A time of day that falls back by more than half a day passed midnight.
    if (format === 'time of day' && t < this.lastClock - 43_200) {
      this.clockDays += 86_400;
      t += 86_400;
    }
    this.lastClock = t;
    return t;
  }

  /** Why the line just split holds no number in `column`. */
  private notANumber(count: number, column: number): string {
    if (column >= count || this.fields.isEmpty(column)) return `line ${this.lineNumber}: column ${column + 1} is empty or missing`;
    return `line ${this.lineNumber}, column ${column + 1}: not a number`;
  }

  private binary(): never {
    throw new BlinkUpError('INPUT_INVALID', `line ${this.lineNumber}: binary data, not text (for raw samples use the u16le or f32le format)`);
  }

  /** Before the data: a header line, or the first line whose fields are all numbers. */
  private headerOrFirstDataLine(text: Buffer, start: number, end: number): void {
    const delimiter = detectDelimiter(text, start, end);
    const count = this.fields.split(text, start, end, delimiter);
    if (count === BINARY_LINE) this.binary();
    const fields: HeaderField[] = [];
    const filled: number[] = [];
    let allNumbers = true;
    // A data line's fields are all numbers — but for one wall-clock time, the logger's stamp, and
    // the arrow after it where the Arduino IDE's serial monitor saved its timestamps
    // (`10:00:00.123 -> 394`).
    let clock: { column: number; format: ClockFormat } | undefined;
    for (let i = 0; i < count; i++) {
      const s = this.fields.starts[i]!;
      const e = this.fields.ends[i]!;
      const value = parseNumberField(text, s, e, delimiter);
      const fieldText = value === undefined ? text.toString('utf8', s, Math.min(e, s + 256)) : '';
      if (s < e) {
        const format = value === undefined && clock === undefined ? readClock(text, s, e, this.stamp) : undefined;
        if (format !== undefined) clock = { column: i, format };
        else if (!(clock !== undefined && fieldText === '->')) {
          filled.push(i);
          if (value === undefined) allNumbers = false;
        }
      }
      fields.push({ text: fieldText, value });
    }
    if (allNumbers && filled.length > 0) {
      this.begin(delimiter, filled, clock);
      this.dataLine(text, start, end, this.info!);
      return;
    }
    this.header.addLine(fields);
    this.headerLineTexts.add(lineText(text, start, end));
    if (++this.headerLines > this.maxHeaderLines) {
      throw new BlinkUpError('INPUT_INVALID', `no numeric data in the first ${this.maxHeaderLines} lines`);
    }
  }

  /**
   * Fix the interpretation at the first data line; `filled` are its non-empty numeric columns,
   * `clock` the column holding a wall-clock time, if one does (the time column unless told otherwise).
   */
  private begin(delimiter: Delimiter, filled: readonly number[], clock: { column: number; format: ClockFormat } | undefined): void {
    if (clock !== undefined) {
      this.beginWithClock(delimiter, filled, clock);
      return;
    }
    const { valueColumn, timeColumn } = this.options;
    // `n,time_s,value`: a sample counter in front of a named time column is neither time nor value.
    const counted = filled.length >= 3 && this.header.isIndexColumn(filled[0]!) && this.header.isTimeColumn(filled[1]!);
    const columns = counted && valueColumn === undefined ? filled.slice(1) : filled;
    // `value,time_s`: a header that names the second of two columns as time has it there.
    const timeSecond =
      valueColumn === undefined && timeColumn === undefined && columns.length === 2 && this.header.isTimeColumn(columns[1]!) && !this.header.isTimeColumn(columns[0]!);
    const value = valueColumn === undefined ? (timeSecond ? columns[0]! : (columns[1] ?? columns[0]!)) : this.column(valueColumn, 'value');
    let time: number | undefined;
    if (timeColumn === false) time = undefined;
    else if (timeColumn !== undefined) time = this.column(timeColumn, 'time');
    else if (timeSecond) time = columns[1];
    else if (columns.length >= 2 && columns[0] !== value && !this.header.isIndexColumn(columns[0]!)) time = columns[0];
    this.fix(delimiter, value, time, undefined);
  }

  /** `begin` for a line stamped with a wall-clock time: the time column is the stamp's, the value the first number. */
  private beginWithClock(delimiter: Delimiter, numbers: readonly number[], clock: { column: number; format: ClockFormat }): void {
    const { valueColumn, timeColumn } = this.options;
    const value = valueColumn === undefined ? numbers[0]! : this.column(valueColumn, 'value');
    const time = timeColumn === false ? undefined : timeColumn === undefined ? clock.column : this.column(timeColumn, 'time');
    this.fix(delimiter, value, time, time === clock.column ? clock.format : undefined);
  }

  /** Sets `info` and the chunk builder once the columns are chosen. */
  private fix(delimiter: Delimiter, value: number, time: number | undefined, clock: ClockFormat | undefined): void {
    if (time === value) throw new BlinkUpError('OPTION_INVALID', 'the time and value columns must differ');
    const sampleIntervalS = this.header.sampleIntervalS;
    this.info = Object.freeze({
      valueColumn: value,
      ...(time !== undefined ? { timeColumn: time } : {}),
      timeScale: time !== undefined && clock === undefined ? this.header.timeScale(time) : 1,
      ...(clock !== undefined ? { clock } : {}),
      ...(sampleIntervalS !== undefined ? { sampleIntervalS } : {}),
      ...(this.header.fullScale !== undefined ? { fullScale: this.header.fullScale } : {}),
      columnNames: Object.freeze([...this.header.columnNames]),
      delimiter,
      firstDataLine: this.lineNumber,
    });
    this.builder = new ChunkBuilder(this.chunkSamples, time !== undefined);
  }

  private column(choice: number | string, role: string): number {
    if (typeof choice === 'number') return choice;
    const index = this.header.findColumn(choice);
    if (index === undefined) throw new BlinkUpError('OPTION_INVALID', `no ${role} column named "${choice.slice(0, 64)}" in the header`);
    return index;
  }

  private emit(): void {
    this.emitted = true;
    this.out.push({ ...this.builder!.take(), info: this.info! });
  }
}

/**
 * Read a CSV capture as a stream of sample chunks (up to `chunkSamples` each). The file is
 * never loaded whole. Every chunk carries `info` (columns chosen, header sample interval).
 */
export async function* readCsvSamples(input: ByteInput, options: CsvReadOptions = {}): AsyncGenerator<CsvSampleChunk, void, undefined> {
  const parser = new CsvSampleParser(options);
  for await (const bytes of byteChunks(input)) {
    yield* parser.push(bytes);
  }
  yield* parser.finish();
}

/** A line's text for comparing header lines: trimmed, and at most 512 bytes of it. */
function lineText(text: Buffer, start: number, end: number): string {
  return text.toString('utf8', start, Math.min(end, start + 512)).trim();
}
