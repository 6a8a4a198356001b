/**
 * The streaming tri-level receiver: wires the stages together.
 *
 *   samples ─▶ condition ─▶ pulses ─▶ framer (levels, slicer) ─▶ repair ─▶ combine ─▶ events
 *
 * `push` runs the per-sample stages in one tight loop (typed-array history, no allocation per
 * sample); everything else happens once per pulse or once per packet. State is bounded — the
 * history ring, a packet of soft bits, a few combining slots — so memory stays flat however long
 * the stream, and because every decision is made sample by sample in order, how the stream is
 * cut into chunks never changes the result.
 *
 * The library prints nothing. Failure events carry the received bytes, which may hold the
 * password and the enrolment token: callers must not show them without the user's consent.
 */
import { BlinkUpError, ErrorCode } from '../packet/errors.js';
import { RepetitionCombiner } from './combine.js';
import { Conditioner, MAX_ABS_SAMPLE, smoothingLength } from './condition.js';
import { FrameResult, Framer, FramerState } from './framer.js';
import { LevelTracker, NoiseMeter } from './levels.js';
import { Pulse, PulseSegmenter } from './pulses.js';
import { PulseAssembler } from './timing.js';
import { checkPacket, hardBytes, repairLimits, repairPacket } from './repair.js';
import { ReportBuilder } from './report.js';
import { confidence } from './slicer.js';
import type {
  DecodeEvent,
  DecodeResult,
  DecoderOptions,
  FailureEvent,
  PacketEvent,
  PacketQuality,
  PulseInfo,
  RepairOptions,
  SignalReport,
} from './types.js';

/** While locked, a pulse is closed if nothing follows within this many ordinary periods of its peak. */
const GAP_TIMEOUT_PERIODS = 2.5;
/** Samples used to estimate the rate when only timestamps are given. */
const RATE_PROBE = 64;
/** Saturation is announced above this fraction of a window and re-armed below the second. */
const SATURATION_ON = 0.02;
const SATURATION_OFF = 0.005;
/** Plausible sample rates, Hz. */
const MIN_RATE = 1;
const MAX_RATE = 1e7;

export class TriLevelDecoder {
  private readonly repair: RepairOptions;
  private readonly combine: boolean;
  private readonly onPulseHook: ((p: PulseInfo) => void) | undefined;
  private readonly givenFullScale: number;
  /** Nominal rate (given, or estimated from the first timestamps); NaN until known. */
  private rate: number;
  private stages: Stages | null = null;
  /** Samples waiting for the rate estimate (timestamps-only streams). */
  private probe: { values: number[]; times: number[] } | null = null;
  private readonly levels = new LevelTracker();
  private readonly noise = new NoiseMeter();
  private readonly combiner = new RepetitionCombiner();
  private stats = new ReportBuilder();
  private readonly segment = new Pulse();
  private out: DecodeEvent[] = [];
  /** Every sample pushed (skipped ones too) and the time base for samples without timestamps. */
  private rawCount = 0;
  private timeOrigin = 0;
  private rawOrigin = 0;
  private skippedEarly = 0;
  private saturationAnnounced = false;
  /** Levels of the last transmission, for the report once the framer has moved on. */
  private seen = { black: Number.NaN, grey: Number.NaN, white: Number.NaN };

  constructor(options: DecoderOptions = {}) {
    const rate = options.sampleRate;
    if (rate !== undefined && !(typeof rate === 'number' && rate >= MIN_RATE && rate <= MAX_RATE)) {
      throw new BlinkUpError(ErrorCode.OPTION_INVALID, `sampleRate must be a number of Hz in [${MIN_RATE}, ${MAX_RATE}] (got ${String(rate)})`);
    }
    const fs = options.fullScale;
    if (fs !== undefined && !(typeof fs === 'number' && fs > 0 && fs < Infinity)) {
      throw new BlinkUpError(ErrorCode.OPTION_INVALID, `fullScale must be a positive number (got ${String(fs)})`);
    }
    if (options.onPulse !== undefined && typeof options.onPulse !== 'function') {
      throw new BlinkUpError(ErrorCode.OPTION_INVALID, 'onPulse must be a function');
    }
    this.rate = rate ?? Number.NaN;
    this.givenFullScale = fs ?? 0;
    this.repair = repairLimits(options.repair);
    this.combine = options.combine !== false;
    this.onPulseHook = options.onPulse;
    if (rate !== undefined) this.stages = new Stages(rate, this.givenFullScale);
  }

  /**
   * Feeds samples (and optionally their times in seconds, same length) and returns the events
   * they completed. Non-finite samples are skipped and counted; nothing here throws on numbers.
   */
  push(chunk: ArrayLike<number>, times?: ArrayLike<number>): DecodeEvent[] {
    const out: DecodeEvent[] = [];
    this.out = out;
    if (chunk === null || chunk === undefined || typeof chunk.length !== 'number') return out;
    if (times !== undefined && times !== null && typeof times.length === 'number') {
      this.pushTimed(chunk, times);
    } else {
      if (!(this.rate > 0)) {
        throw new BlinkUpError(ErrorCode.OPTION_INVALID, 'samples without timestamps need the sampleRate option');
      }
      this.pushUntimed(chunk);
    }
    return out;
  }

  /** End of stream: closes the last pulse and reports a packet cut short. */
  flush(): DecodeEvent[] {
    const out: DecodeEvent[] = [];
    this.out = out;
    if (this.probe) this.startFromProbe(true);
    const st = this.stages;
    if (!st) return out;
    if (st.seg.finish(st.cond.count)) this.onSegment(st);
    const n = st.timing.flush(st.framer.reference(this.levels), st.cond);
    for (let k = 0; k < n; k++) this.onPulse(st, st.timing.ready[k]);
    if (st.framer.state === FramerState.BODY) {
      this.emitLost(st, st.cond.time(st.cond.count - 1), 'the stream ended before the packet did');
    }
    st.framer.reset();
    st.timing.reset();
    this.levels.reset();
    st.seg.reset();
    return out;
  }

  /** What the decoder has seen so far. */
  report(): SignalReport {
    const st = this.stages;
    const current = this.levels.learned ? this.levels : null;
    return this.stats.snapshot({
      black: current ? current.floor : this.seen.black,
      grey: current ? current.grey : this.seen.grey,
      white: current ? current.white : this.seen.white,
      fullScale: st ? st.cond.fullScale : this.givenFullScale || Number.NaN,
      noiseRms: this.noise.sigma,
      saturated: st ? st.cond.saturated : 0,
      samples: st ? st.cond.count : 0,
      skipped: (st ? st.cond.skipped : 0) + this.skippedEarly,
    });
  }

  /** Forgets everything: a fresh decoder with the same options. */
  reset(): void {
    if (this.probe || (this.stages && !(this.rate > 0))) this.rate = Number.NaN;
    this.stages = this.rate > 0 ? new Stages(this.rate, this.givenFullScale) : null;
    this.probe = null;
    this.levels.reset();
    this.noise.reset();
    this.combiner.reset();
    this.stats = new ReportBuilder();
    this.rawCount = this.rawOrigin = 0;
    this.timeOrigin = 0;
    this.skippedEarly = 0;
    this.saturationAnnounced = false;
    this.seen = { black: Number.NaN, grey: Number.NaN, white: Number.NaN };
  }

  private pushUntimed(chunk: ArrayLike<number>): void {
    const st = this.stages!;
    const dt = 1 / this.rate;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const x = +chunk[i]!;
      const t = this.timeOrigin + (this.rawCount - this.rawOrigin) * dt;
      this.rawCount++;
      if (!(x >= -MAX_ABS_SAMPLE && x <= MAX_ABS_SAMPLE)) {
        st.cond.skipped++;
        continue;
      }
      this.sample(st, x, t);
    }
  }

  private pushTimed(chunk: ArrayLike<number>, times: ArrayLike<number>): void {
    const n = Math.min(chunk.length, times.length);
    for (let i = 0; i < n; i++) {
      const x = +chunk[i]!;
      const t = +times[i]!;
      this.rawCount++;
      if (!(x >= -MAX_ABS_SAMPLE && x <= MAX_ABS_SAMPLE) || !(t >= -MAX_ABS_SAMPLE && t <= MAX_ABS_SAMPLE)) {
        if (this.stages) this.stages.cond.skipped++;
        else this.skippedEarly++;
        continue;
      }
      // Samples pushed later without timestamps continue this clock.
      this.timeOrigin = t;
      this.rawOrigin = this.rawCount;
      if (this.stages) this.sample(this.stages, x, t);
      else this.probeSample(x, t);
    }
    // Samples beyond the shorter of the two arrays have no time: they are skipped.
    if (chunk.length > n) {
      if (this.stages) this.stages.cond.skipped += chunk.length - n;
      else this.skippedEarly += chunk.length - n;
    }
  }

  /** The per-sample path: conditioning, noise, segmentation. */
  private sample(st: Stages, x: number, t: number): void {
    const cond = st.cond;
    if (cond.append(x, t)) this.checkSaturation(st);
    const i = cond.count - 1;
    if (i >= 2 && st.seg.dark) this.noise.update(x - 2 * cond.value(i - 1) + cond.value(i - 2));
    if (st.seg.step(cond.sum, i)) this.onSegment(st);
  }

  /** Timestamps only: hold the first samples until their spacing gives the rate. */
  private probeSample(x: number, t: number): void {
    const probe = (this.probe ??= { values: [], times: [] });
    probe.values.push(x);
    probe.times.push(t);
    if (probe.values.length >= RATE_PROBE) this.startFromProbe(false);
  }

  private startFromProbe(final: boolean): void {
    const probe = this.probe!;
    const n = probe.times.length;
    const span = n > 1 ? probe.times[n - 1]! - probe.times[0]! : 0;
    const rate = span > 0 ? (n - 1) / span : Number.NaN;
    if (!(rate >= MIN_RATE && rate <= MAX_RATE)) {
      // Timestamps that do not advance carry no clock; keep probing unless the stream ended.
      if (final) {
        this.skippedEarly += n;
        this.probe = null;
      } else if (n >= 4 * RATE_PROBE) {
        this.skippedEarly += n - RATE_PROBE;
        probe.values.splice(0, n - RATE_PROBE);
        probe.times.splice(0, n - RATE_PROBE);
      }
      return;
    }
    this.rate = rate;
    this.probe = null;
    const st = (this.stages = new Stages(rate, this.givenFullScale));
    for (let i = 0; i < n; i++) this.sample(st, probe.values[i]!, probe.times[i]!);
  }

  private checkSaturation(st: Stages): void {
    const f = st.cond.recentSaturation;
    this.noiseToSegmenter(st);
    if (!this.saturationAnnounced && f > SATURATION_ON) {
      this.saturationAnnounced = true;
      this.out.push({ type: 'saturation', atS: st.cond.time(st.cond.count - 1), fraction: f });
    } else if (this.saturationAnnounced && f < SATURATION_OFF) {
      this.saturationAnnounced = false;
    }
  }

  private noiseToSegmenter(st: Stages): void {
    const sigma = this.noise.sigma;
    st.seg.setNoise(sigma);
    this.levels.noise = sigma;
  }

  /** Once per segment: measure it, let timing turn it into pulses, run the framer on each. */
  private onSegment(st: Stages): void {
    const segment = st.seg.measure(st.cond, this.segment);
    st.seg.advance();
    if (segment.end <= segment.start) return;
    const n = st.timing.push(segment, st.framer.reference(this.levels), st.cond);
    for (let k = 0; k < n; k++) this.onPulse(st, st.timing.ready[k]);
  }

  private onPulse(st: Stages, p: Pulse): void {
    const { cond, seg } = st;
    const startS = cond.time(p.start);
    const endS = cond.time(p.end - 1);
    const periodS = p.period < Infinity ? cond.timeAt(p.edge + p.period) - cond.timeAt(p.edge) : Infinity;
    const levels = this.levels;
    const framer = st.framer;
    const before = framer.state;
    // Levels as they were when the pulse was judged (the framer nudges them afterwards).
    const grey = levels.grey;
    const white = levels.white;
    const result = framer.push(p, levels, startS, endS, periodS);
    this.stats.pulses++;
    if (before === FramerState.BODY && framer.decision !== 0) {
      // Only pulses of a real transmission (past the sync magic) go into the report.
      this.stats.notePeriod(p.period / levels.period, periodS);
      this.stats.noteBit(framer.confidence, p.late - (framer.decision === 2 ? white : grey));
      this.seen = { black: levels.floor, grey: levels.grey, white: levels.white };
    }
    if (this.onPulseHook) this.emitPulse(framer, before === FramerState.HUNT ? p.top : p.late, startS, endS);
    if (framer.state === FramerState.HUNT) seg.unlock();
    else seg.lock(GAP_TIMEOUT_PERIODS * levels.period);
    if (result === FrameResult.PACKET) this.onPacket(framer);
    else if (result === FrameResult.LOST) this.emitLost(st, endS, framer.lostReason);
  }

  private emitPulse(framer: Framer, value: number, startS: number, endS: number): void {
    const l = this.levels;
    try {
      this.onPulseHook!({
        startS,
        endS,
        value,
        decision: framer.decision,
        confidence: framer.confidence,
        black: l.floor,
        grey: l.grey,
        white: l.white,
        threshold: l.threshold,
      });
    } catch {
      // An analysis hook must never break decoding.
    }
  }

  private emitLost(st: Stages, atS: number, reason: string): void {
    this.stats.syncLosses++;
    this.out.push({ type: 'sync-lost', atS, reason, bitsReceived: st.framer.bits });
  }

  /** The framer collected a whole packet: check, repair, combine, report. */
  private onPacket(framer: Framer): void {
    const nbits = framer.bits;
    const soft = framer.soft;
    const length = framer.byteAt(0);
    const quality = this.quality(framer, soft, nbits);
    const bytes = hardBytes(soft, nbits);
    const check = checkPacket(bytes);
    const base = { startS: framer.startS, endS: framer.endS, quality };
    if (check.ok) {
      this.emitPacket({ type: 'packet', payload: check.payload, bytes, ...base, repairedBits: 0, combined: 1 }, length);
      return;
    }
    const repaired = repairPacket(soft, nbits, this.repair);
    if (repaired) {
      this.emitPacket({ type: 'packet', payload: repaired.payload, bytes: repaired.bytes, ...base, repairedBits: repaired.flips, combined: 1 }, length);
      return;
    }
    this.stats.failures++;
    const failure: FailureEvent = { type: 'crc-failure', bytes, ...base, reason: check.reason, code: check.code };
    this.out.push(failure);
    if (!this.combine) return;
    const { sum, copies } = this.combiner.add(length, soft, nbits);
    if (copies < 2) return;
    const combinedBytes = hardBytes(sum, nbits);
    const combined = checkPacket(combinedBytes);
    if (combined.ok) {
      this.emitPacket({ type: 'packet', payload: combined.payload, bytes: combinedBytes, ...base, repairedBits: 0, combined: copies }, length);
      return;
    }
    const fixed = repairPacket(normalised(sum, nbits, copies), nbits, this.repair);
    if (fixed) {
      this.emitPacket({ type: 'packet', payload: fixed.payload, bytes: fixed.bytes, ...base, repairedBits: fixed.flips, combined: copies }, length);
    }
  }

  private emitPacket(event: PacketEvent, length: number): void {
    this.stats.packets++;
    this.combiner.forget(length);
    this.out.push(event);
  }

  private quality(f: Framer, soft: Float32Array, nbits: number): PacketQuality {
    let min = Infinity;
    let sum = 0;
    for (let i = 0; i < nbits; i++) {
      const c = confidence(soft[i]!);
      sum += c;
      if (c < min) min = c;
    }
    return {
      minConfidence: nbits > 0 ? min : 0,
      meanConfidence: nbits > 0 ? sum / nbits : 0,
      black: this.levels.floor,
      grey: this.levels.grey,
      white: this.levels.white,
      fps: f.periodCount > 0 ? (2 * f.periodCount) / f.periodSumS : Number.NaN,
      timingRepairs: f.timingRepairs,
    };
  }
}

/** The stages whose shape depends on the sample rate. */
class Stages {
  readonly cond: Conditioner;
  readonly seg: PulseSegmenter;
  readonly framer: Framer;
  readonly timing = new PulseAssembler();

  constructor(rate: number, fullScale: number) {
    const width = smoothingLength(rate);
    this.cond = new Conditioner(width, fullScale);
    this.seg = new PulseSegmenter(width, rate);
    this.framer = new Framer(rate);
  }
}

/** Summed soft bits scaled back to one copy's range, so repair's confidence limits apply. */
function normalised(sum: Float32Array, nbits: number, copies: number): Float32Array {
  const out = new Float32Array(nbits);
  for (let i = 0; i < nbits; i++) out[i] = sum[i]! / copies;
  return out;
}

/** One-shot decoding of a whole capture. */
export function decodeSamples(samples: ArrayLike<number>, options: DecoderOptions & { readonly times?: ArrayLike<number> }): DecodeResult {
  const decoder = new TriLevelDecoder(options);
  const events = [...decoder.push(samples, options.times), ...decoder.flush()];
  return {
    packets: events.filter((e): e is PacketEvent => e.type === 'packet'),
    failures: events.filter((e): e is FailureEvent => e.type === 'crc-failure'),
    events,
    report: decoder.report(),
  };
}
