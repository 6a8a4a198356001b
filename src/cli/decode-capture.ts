/**
 * A capture through the decoder, chunk by chunk: the one loop `decode` and `analyze` share.
 * Only a chunk of samples is in memory at a time (the decoder itself is O(1)), and events are
 * counted, not kept, unless a caller needs them all (a JSON report lists every packet), so a
 * capture of any length — or an endless pipe from a serial port — can be decoded in constant
 * memory, with each packet reported the moment it completes.
 */
import { inferFullScale } from '../decoder/condition.js';
import { TriLevelDecoder } from '../decoder/decoder.js';
import { STREAM_ENDED } from '../decoder/framer.js';
import type { DecodeEvent, FailureEvent, PacketEvent, PulseInfo, SignalReport } from '../decoder/types.js';
import type { SampleChunk } from '../node/sample-chunk.js';
import type { Capture } from './input-source.js';
import { SampleStats } from './sample-stats.js';

export type SyncLostEvent = Extract<DecodeEvent, { type: 'sync-lost' }>;

export type FullScaleSource = 'given' | 'capture' | 'inferred' | 'unknown';

export interface DecodeRunOptions {
  /** ADC full scale, for the report's fractions; inferred from the samples when absent. */
  readonly fullScale?: number | undefined;
  /** The sensor reads lower for more light: each sample is taken as full scale − value (see `Inverter`). */
  readonly invert?: boolean | undefined;
  /** Keep every packet, failure and sync loss (`DecodeRun.kept`): for a report that lists them all. */
  readonly keepEvents?: boolean | undefined;
  /** Called with each event as soon as the decoder emits it. */
  readonly onEvent?: (event: DecodeEvent) => void;
  /** Called for every pulse the decoder judges (analysis and plots). */
  readonly onPulse?: (pulse: PulseInfo) => void;
  /** Sees every chunk, and the capture's nominal rate, before the decoder does. */
  readonly onChunk?: (chunk: SampleChunk, sampleRate: number | undefined) => void;
}

/** Every event of a run, by type (kept only when asked for: see `DecodeRunOptions.keepEvents`). */
export interface KeptEvents {
  readonly packets: PacketEvent[];
  readonly failures: FailureEvent[];
  readonly syncLosses: SyncLostEvent[];
}

/**
 * A run's events counted, with the few that a summary names: all that the verdicts and the
 * one-line reason need, in constant memory however long the stream.
 */
export class EventTally {
  packets = 0;
  crcFailures = 0;
  /** Transmissions that failed for another reason than the CRC (structure, the CRC's blind spot…), and the first of them. */
  otherFailures = 0;
  firstOtherFailure: FailureEvent | undefined;
  /** A packet that checked was refused for the CRC's blind spot (see decoder/repair.ts). */
  blindPair = false;
  syncLosses = 0;
  firstSyncLoss: SyncLostEvent | undefined;
  /** Sync losses that were the end of the stream cutting a transmission off. */
  cutByEnd = 0;

  get failures(): number {
    return this.crcFailures + this.otherFailures;
  }

  add(e: DecodeEvent): void {
    if (e.type === 'packet') this.packets++;
    else if (e.type === 'crc-failure') {
      if (e.code === 'CRC_MISMATCH') this.crcFailures++;
      else if (this.otherFailures++ === 0) this.firstOtherFailure = e;
      if (e.code === 'BLIND_PAIR') this.blindPair = true;
    } else if (e.type === 'sync-lost') {
      if (this.syncLosses++ === 0) this.firstSyncLoss = e;
      if (e.reason === STREAM_ENDED) this.cutByEnd++;
    }
    // (Saturation warnings are not counted: the report's saturation fraction is what is judged.)
  }
}

/** Everything a run found. */
export interface DecodeRun {
  readonly tally: EventTally;
  /** Every event, when `keepEvents` asked for them. */
  readonly kept: KeptEvents | undefined;
  readonly report: SignalReport;
  readonly stats: SampleStats;
  /** Span of the capture, seconds. */
  readonly durationS: number;
  /**
   * Where the report's full scale came from: the user, the capture's header, a guess from the
   * largest value, or nowhere — values that are neither ADC codes nor fractions (volts), whose
   * guessed full scale is a placeholder that no fraction of full scale can be judged against.
   */
  readonly fullScaleSource: FullScaleSource;
}

export async function decodeCapture(capture: Capture, options: DecodeRunOptions = {}): Promise<DecodeRun> {
  const tally = new EventTally();
  const kept: KeptEvents | undefined = options.keepEvents === true ? { packets: [], failures: [], syncLosses: [] } : undefined;
  const stats = new SampleStats();
  const take = (events: DecodeEvent[]): void => {
    for (const e of events) {
      tally.add(e);
      if (kept !== undefined) {
        if (e.type === 'packet') kept.packets.push(e);
        else if (e.type === 'crc-failure') kept.failures.push(e);
        else if (e.type === 'sync-lost') kept.syncLosses.push(e);
      }
      options.onEvent?.(e);
    }
  };
  let decoder: TriLevelDecoder | undefined;
  const inverter = options.invert === true ? new Inverter(options.fullScale ?? capture.fullScale) : undefined;
  for await (const chunk of capture.chunks()) {
    // Everything downstream (decoder, statistics, plots) sees light that grows with the value.
    inverter?.apply(chunk.values);
    // A CSV capture's rate and full scale are known once its header is read: start the decoder here.
    const fullScale = options.fullScale ?? capture.fullScale ?? inverter?.fullScale;
    decoder ??= new TriLevelDecoder({
      ...(capture.sampleRate !== undefined ? { sampleRate: capture.sampleRate } : {}),
      // A video's frames: a frame the camera dropped is no observation (a photodiode's repeated codes are real).
      source: capture.camera ? 'camera' : 'photodiode',
      ...(fullScale !== undefined ? { fullScale } : {}),
      ...(options.onPulse ? { onPulse: options.onPulse } : {}),
    });
    options.onChunk?.(chunk, capture.sampleRate);
    // A camera's dropped frames are the decoder's to report (missingFrames); a sampler's gaps are counted here.
    stats.add(chunk.values, chunk.times, capture.camera ? undefined : capture.sampleRate, options.fullScale ?? capture.fullScale);
    take(decoder.push(chunk.values, chunk.times));
  }
  // Every reader throws on an empty input, so a decoder exists here; the fallback is for safety.
  decoder ??= new TriLevelDecoder({ sampleRate: capture.sampleRate ?? 1, source: capture.camera ? 'camera' : 'photodiode' });
  take(decoder.flush());
  return {
    tally,
    kept,
    // Without a stated full scale the decoder infers one from the largest value (1 for fractions,
    // else the smallest common ADC range 2^n − 1 that holds it) and judges saturation against it.
    report: decoder.report(),
    stats,
    durationS: stats.durationS(capture.sampleRate),
    fullScaleSource: options.fullScale !== undefined ? 'given' : capture.fullScale !== undefined ? 'capture' : stats.scaleImplied ? 'inferred' : 'unknown',
  };
}

/**
 * Turns a sensor that reads lower for more light (a phototransistor pulling its output down, the
 * common-emitter wiring) the right way up: value → full scale − value. The full scale is the
 * given one, or the smallest common ADC range that holds the first chunk (a stream cannot wait
 * for its largest value); it is then the decoder's full scale too. Volts (values below zero, or
 * fractional above one) imply no full scale: they are mirrored about the first chunk's largest
 * value rounded up, and the decoder is told no full scale, as for volts the right way up.
 */
class Inverter {
  fullScale: number | undefined;
  private mirror: number | undefined;

  constructor(fullScale: number | undefined) {
    this.fullScale = fullScale;
    this.mirror = fullScale;
  }

  apply(values: Float64Array): void {
    if (this.mirror === undefined) {
      let max = -Infinity;
      let volts = false;
      for (const x of values) {
        if (!(x > -Infinity && x < Infinity)) continue;
        if (x > max) max = x;
        if (x < 0 || (x > 1 && x !== Math.floor(x))) volts = true;
      }
      if (max === -Infinity) return; // nothing to infer from yet (not a number, or empty)
      if (volts) this.mirror = Math.ceil(max);
      else this.mirror = this.fullScale = inferFullScale(max);
    }
    const top = this.mirror;
    for (let i = 0; i < values.length; i++) values[i] = top - values[i]!;
  }
}

/** Every transmission that broke off was cut off by the end of the stream: the recording stopped first. */
export function endedMidPacket(run: DecodeRun): boolean {
  return run.tally.syncLosses > 0 && run.tally.cutByEnd === run.tally.syncLosses;
}

/** Why the first transmission that failed its check failed, as the verdicts take it: a packet check's reason before a CRC mismatch. */
export function failedCheckOf(run: DecodeRun): string | undefined {
  const t = run.tally;
  return t.firstOtherFailure !== undefined ? t.firstOtherFailure.reason : t.crcFailures > 0 ? 'the CRC does not match' : undefined;
}

/** The sampler's lost samples, as the verdicts take them. */
export function gapsOf(run: DecodeRun): { count: number; longestS: number } {
  return { count: run.stats.gaps, longestS: run.stats.longestGapS };
}
