/**
 * The unit the sample readers (CSV, u16le, f32le) hand to the decoder: a block of sample
 * values with, when the capture has them, one timestamp per sample.
 */

export interface SampleChunk {
  /** Sample values in capture order (ADC counts, volts, … — the decoder learns the scale). */
  readonly values: Float64Array;
  /** Capture time of each sample in seconds, same length as `values`; absent when the capture has no time column. */
  readonly times?: Float64Array;
}

/** Samples per chunk unless a reader is told otherwise: big enough to amortise calls, small enough to stream. */
export const DEFAULT_CHUNK_SAMPLES = 4096;

/** Largest chunk a caller may ask for (each chunk is allocated whole). */
export const MAX_CHUNK_SAMPLES = 1 << 22;

/**
 * Fills chunks one sample at a time. Each chunk is freshly allocated, so a consumer may keep
 * the chunks it receives; nothing is allocated per sample.
 */
export class ChunkBuilder {
  private values: Float64Array;
  private times: Float64Array | undefined;
  private length = 0;

  constructor(
    readonly capacity: number,
    readonly withTimes: boolean,
  ) {
    this.values = new Float64Array(capacity);
    this.times = withTimes ? new Float64Array(capacity) : undefined;
  }

  /** Append one sample; call `take()` when `full` turns true. */
  add(value: number, time: number): void {
    this.values[this.length] = value;
    if (this.times) this.times[this.length] = time;
    this.length++;
  }

  get full(): boolean {
    return this.length === this.capacity;
  }

  get empty(): boolean {
    return this.length === 0;
  }

  /** Hand out the samples gathered so far and start a new chunk. */
  take(): SampleChunk {
    const n = this.length;
    const chunk: SampleChunk = this.times
      ? { values: this.values.subarray(0, n), times: this.times.subarray(0, n) }
      : { values: this.values.subarray(0, n) };
    this.values = new Float64Array(this.capacity);
    this.times = this.withTimes ? new Float64Array(this.capacity) : undefined;
    this.length = 0;
    return chunk;
  }
}
