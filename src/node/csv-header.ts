/**
 * What the lines above the data of a CSV capture say: the column names (and units), and the
 * sample interval that oscilloscopes write into their export header.
 *
 * Scope exports differ in detail but share a shape this module relies on:
 *   - key/value metadata lines: `Model,DS1054Z`, `Sample Interval,1.0e-03` (Tektronix),
 *     `x-axis,1` (Keysight);
 *   - a row of column names right above the data: `TIME,CH1`, `second,Volt`;
 *   - sometimes a row under the names that mixes units and numbers, whose numbers are named
 *     by the row above: Rigol's `X,CH1,Start,Increment` / `Sequence,Volt,-6e-03,2e-06`.
 */

/** Longest label kept from a header field (labels are only matched, never echoed at length). */
const MAX_LABEL_CHARS = 64;

/** Header keys whose value is the sample interval (normalised: lower case, letters and digits only). */
const INTERVAL_KEYS = new Set([
  'sampleinterval', 'samplinginterval', 'sampleperiod', 'samplingperiod',
  'xincrement', 'increment', 'timeincrement', 'dt', 'timeinterval', 'horizontalinterval',
]);

/** Header keys whose value is the sample rate. */
const RATE_KEYS = new Set(['samplerate', 'samplingrate', 'samplespersecond', 'sps', 'samplingfrequency']);

/** Header keys whose value is the ADC's full scale (largest code), e.g. `Full Scale,4095`. */
const FULL_SCALE_KEYS = new Set(['fullscale', 'adcfullscale', 'maxcode']);

/** Column names that count samples rather than time (Rigol's `Sequence`, `Index`, …). */
const INDEX_LABELS = new Set(['sequence', 'seq', 'index', 'idx', 'sample', 'samples', 'sampleno', 'samplenumber', 'n', 'no', 'number', 'point', 'pt']);

/** Seconds per unit, for time units found in labels like `Time (ms)` or a units row `us` (and Arduino's `millis`, `micros`). */
const TIME_UNITS = new Map<string, number>([
  ['s', 1], ['sec', 1], ['second', 1], ['seconds', 1],
  ['ms', 1e-3], ['msec', 1e-3], ['millisecond', 1e-3], ['milliseconds', 1e-3], ['millis', 1e-3],
  ['us', 1e-6], ['µs', 1e-6], ['μs', 1e-6], ['usec', 1e-6], ['microsecond', 1e-6], ['microseconds', 1e-6], ['micros', 1e-6],
  ['ns', 1e-9], ['nsec', 1e-9], ['nanosecond', 1e-9], ['nanoseconds', 1e-9],
]);

/** Hertz per unit for sample-rate values. */
const RATE_UNITS = new Map<string, number>([
  ['hz', 1], ['khz', 1e3], ['mhz', 1e6], ['ghz', 1e9], ['sa/s', 1], ['ksa/s', 1e3], ['msa/s', 1e6], ['gsa/s', 1e9],
]);

/** `Sample Interval (ms)` → { key: 'sampleinterval', unit: 'ms' }. */
function splitKey(text: string): { key: string; unit: string | undefined } {
  const unitMatch = /[([]\s*([^)\]]*?)\s*[)\]]\s*$/.exec(text);
  const unit = unitMatch?.[1]?.toLowerCase();
  const bare = unitMatch ? text.slice(0, unitMatch.index) : text;
  return { key: bare.toLowerCase().replace(/[^a-z0-9]/g, ''), unit };
}

/** One field of a header line: its text, and its number when it is one. */
export interface HeaderField {
  readonly text: string;
  readonly value: number | undefined;
}

/**
 * Collects the header block line by line and answers questions about the columns.
 * Holds only the rows from the last all-text row onwards, so memory stays small.
 */
export class CsvHeader {
  private labelRows: string[][] = [];
  private interval: number | undefined;
  private scale: number | undefined;

  /** Sample interval in seconds, when the header block gave one. */
  get sampleIntervalS(): number | undefined {
    return this.interval;
  }

  /** The ADC's full scale, when the header block states it (`Full Scale,4095`). */
  get fullScale(): number | undefined {
    return this.scale;
  }

  /** Names of the columns: the last row of labels above the data (possibly empty). */
  get columnNames(): readonly string[] {
    return this.labelRows[0] ?? [];
  }

  /** Take one line that is not data. */
  addLine(fields: readonly HeaderField[]): void {
    const labels = fields.map((f) => (f.value === undefined ? f.text.slice(0, MAX_LABEL_CHARS) : ''));
    const hasNumber = fields.some((f) => f.value !== undefined);
    if (!hasNumber) {
      // An all-text row is the newest candidate for the column names.
      if (labels.some((l) => l !== '')) this.labelRows = [labels];
      return;
    }
    // A mixed row: `key,value` pairs, or numbers named by the row of names above.
    const names = this.labelRows[0];
    fields.forEach((field, i) => {
      if (field.value === undefined) return;
      const left = fields[i - 1];
      if (left && left.value === undefined && left.text !== '') this.considerKey(left.text, field.value);
      const above = names?.[i];
      if (above) this.considerKey(above, field.value);
    });
    if (this.labelRows.length > 0 && this.labelRows.length < 4) this.labelRows.push(labels);
  }

  private considerKey(text: string, value: number): void {
    if (!(value > 0) || !Number.isFinite(value)) return;
    const { key, unit } = splitKey(text);
    if (FULL_SCALE_KEYS.has(key)) {
      this.scale ??= value;
      return;
    }
    if (this.interval !== undefined) return;
    if (INTERVAL_KEYS.has(key)) {
      this.interval = value * (TIME_UNITS.get(unit ?? 's') ?? 1);
    } else if (RATE_KEYS.has(key)) {
      this.interval = 1 / (value * (RATE_UNITS.get(unit ?? 'hz') ?? 1));
    }
  }

  /** Every label seen above the data in column `index` (name, units). */
  labels(index: number): string[] {
    return this.labelRows.map((row) => row[index] ?? '').filter((l) => l !== '');
  }

  /** Index of the column whose name (or unit label) is `name`, ignoring case, spaces and punctuation. */
  findColumn(name: string): number | undefined {
    const wanted = splitKey(name).key;
    for (const row of this.labelRows) {
      const i = row.findIndex((label) => label !== '' && splitKey(label).key === wanted);
      if (i >= 0) return i;
    }
    return undefined;
  }

  /** True when the column counts samples (0, 1, 2, …) instead of giving times. */
  isIndexColumn(index: number): boolean {
    return this.labels(index).some((l) => INDEX_LABELS.has(splitKey(l).key));
  }

  /** True when the column is named as time: `time`, `time_s`, `Time (ms)`, `t`, `timestamp`, `second`. */
  isTimeColumn(index: number): boolean {
    return this.labels(index).some((l) => {
      const { key } = splitKey(l);
      return key.startsWith('time') || key === 't' || TIME_UNITS.has(l.trim().toLowerCase());
    });
  }

  /** Seconds per unit of a time column: from `Time (ms)`, `Time[us]` or a units row; 1 when unstated. */
  timeScale(index: number): number {
    for (const label of this.labels(index)) {
      const { key, unit } = splitKey(label);
      const suffix = /[_\-\s]([a-zµμ]{1,2})$/i.exec(label)?.[1]?.toLowerCase(); // time_ms, t-us
      const scale =
        TIME_UNITS.get(unit ?? '') ?? TIME_UNITS.get(label.trim().toLowerCase()) ?? TIME_UNITS.get(key) ?? TIME_UNITS.get(suffix ?? '');
      if (scale !== undefined) return scale;
    }
    return 1;
  }
}
