/**
 * The streaming tri-level receiver: wires the stages together.
 *
 *   samples ─▶ condition ─▶ pulses ─▶ framer (levels, slicer) ─▶ repair ─▶ combine ─▶ events
 *                         └─▶ frame sequence (a camera: from a preamble's lock, or where the
 *                             preamble watch saw one end) ─▶ framer ─▶ repair ─▶ events
 *
 * `push` runs conditioning and segmentation in tight typed-array loops straight over the
 * caller's arrays, in pieces that end on a fixed grid counted from the start of the stream (a
 * piece left incomplete at the end of a chunk waits for the next); everything else happens once
 * per pulse or once per packet. State is bounded — the history ring, a packet of soft bits, a
 * few combining slots — so memory stays flat however long the stream, and because the pieces
 * are the same whatever the chunking, so is the result.
 *
 * The library prints nothing. Failure events carry the received bytes, which may hold the
 * password and the enrolment token: callers must not show them without the user's consent.
 */
import { BlinkUpError, describeType, ErrorCode } from '../packet/errors.js';
import { protectBytes } from '../packet/redact.js';
import { slipHint } from './align.js';
import { MAX_MISSING_BITS, RepetitionCombiner } from './combine.js';
import { KnownPackets, NEAR_COPY, SURE_READ } from './known-packets.js';
import { BLOCK, Conditioner, MAX_ABS_SAMPLE, smoothingLength } from './condition.js';
import { Decimator, decimationFactor } from './decimate.js';
import { FlickerCanceller } from './flicker.js';
import { frameRateOf } from './frame-clock.js';
import { FrameSequenceDecoder, planSequence, slotsPerRefresh, type SequencePlan, type SequenceSink, type SequenceStart } from './frame-sequence.js';
import { PreambleWatch } from './preamble-watch.js';
import { FrameResult, Framer, FramerState, MAX_PACKET_BITS, MIN_PREAMBLE, STREAM_ENDED } from './framer.js';
import { LevelTracker } from './levels.js';
import { Pulse, PulseSegmenter, type SegmentSink } from './pulses.js';
import { PwmPhaseModel } from './pwm-phase.js';
import { FEW_SAMPLES_PER_FRAME, PulseAssembler } from './timing.js';
import { BLIND_PAIR, checkSoftPacket, hardBytes, repairLimits, repairPacket } from './repair.js';
import { ReportBuilder } from './report.js';
import { confidence, softValue } from './slicer.js';
import { FailedCopy, type CopyInfo } from './failed-copy.js';
import type {
  DecodeEvent,
  DecodeResult,
  DecoderOptions,
  FailureEvent,
  PacketEvent,
  PacketQuality,
  PulseInfo,
  RepairOptions,
  SampleSource,
  SignalReport,
} from './types.js';

/** While locked, a pulse is closed if nothing follows within this many ordinary periods of its peak. */
const GAP_TIMEOUT_PERIODS = 3.5;
/** A pulse whose next one starts within this many bit periods is not the last of its transmission (the trailer is 3 periods dark). */
const CONTINUING_PERIODS = 2.5;
/** A decision at least this confident teaches the PWM template (see pwm-phase.ts). */
const CONFIDENT_DECISION = 0.5;
/**
 * The framer's states and results, and the camera's period bound, as `onPulse` tests them: module
 * constants, which the compiler folds, where an imported binding is loaded and checked at each use.
 */
const HUNT = FramerState.HUNT;
const PREAMBLE = FramerState.PREAMBLE;
const BODY = FramerState.BODY;
const PACKET = FrameResult.PACKET;
const LOST = FrameResult.LOST;
const FEW_SAMPLES_PERIOD = 2 * FEW_SAMPLES_PER_FRAME;
/** Samples used to estimate the rate when only timestamps are given. */
const RATE_PROBE = 64;
/** Saturation is announced above this fraction of a window and re-armed below the second. */
const SATURATION_ON = 0.02;
const SATURATION_OFF = 0.005;
/** Preamble bits before the lock that the frame-sequence stage learns from. */
const SEQUENCE_TRAINING_BITS = MIN_PREAMBLE - 2;
/** Below this rate, samples per second, a stream is taken for a camera's frames unless the caller says (see `DecoderOptions.source`). */
const CAMERA_MAX_RATE = 400;
/** Plausible sample rates, Hz. */
const MIN_RATE = 1;
const MAX_RATE = 1e7;

export class TriLevelDecoder {
  private readonly repair: RepairOptions;
  private readonly combine: boolean;
  private readonly onPulseHook: ((p: PulseInfo) => void) | undefined;
  private readonly givenFullScale: number;
  private readonly givenSource: SampleSource | undefined;
  /** Nominal rate (given, or estimated from the first timestamps); NaN until known. */
  private rate: number;
  private readonly givenRate: number;
  private stages: Stages | null = null;
  /** Above the stages' rate (see decimate.ts): what turns the caller's samples into theirs; else null. */
  private decimator: Decimator | null = null;
  /** Samples waiting for the rate estimate (timestamps-only streams). */
  private held: { values: number[]; times: number[] } | null = null;
  /** The tail of the last chunk, waiting for the rest of its piece (see `feed`). */
  private readonly pending = new PendingPiece();
  private readonly levels = new LevelTracker();
  private readonly combiner = new RepetitionCombiner();
  /** Per bit of the packet the pulse path is receiving: what its pulse's timing says about slips (see align.ts). */
  private readonly slipHints = new Uint8Array(MAX_PACKET_BITS);
  /** The last failed copy, taking the pulses after it before it is combined. */
  private readonly failedCopy = new FailedCopy();
  private stats = new ReportBuilder();
  /** Where the segmenter hands each closed segment. */
  private readonly sink: SegmentSink = { onSegment: () => this.segmentClosed() };
  private out: DecodeEvent[] = [];
  /** Samples skipped before the stages existed, or for lack of a timestamp. */
  private skippedEarly = 0;
  private saturationAnnounced = false;
  /** Levels of the last transmission, for the report once the framer has moved on. */
  private seenBlack = Number.NaN;
  private seenGrey = Number.NaN;
  private seenWhite = Number.NaN;
  /**
   * Grey and white as the pulse being handled was judged (the framer nudges them afterwards).
   * Fields, not arguments: a number passed to a call that is not inlined is boxed.
   */
  private judgedGrey = Number.NaN;
  private judgedWhite = Number.NaN;
  /** Some samples came with timestamps (the frame-sequence stage needs a steady sample clock: see `steadyClock`). */
  private timed = false;
  /**
   * The frame-sequence stage (see frame-sequence.ts) while it decodes a transmission: from a
   * preamble's lock (or the end of a preamble the watch saw) at a camera's few samples per
   * refresh until its packet ends. It is a second
   * opinion beside the pulse path, which carries on as ever: a packet either finds is reported
   * once, and only the pulse path reports failures.
   */
  private sequence: FrameSequenceDecoder | null = null;
  /** The last packet reported (bytes and time span), so that the two paths never report one transmission twice. */
  private lastPacket: PacketEvent | null = null;
  /**
   * The last packet refused although it checked (BLIND_PAIR, NEAR_COPY): why, and its time span.
   * Reading the same light again at the camera's rate is no second opinion on it.
   */
  private lastRefusal: { readonly startS: number; readonly endS: number; readonly reason: string } | null = null;
  /** Packets decoded lately: an inferred packet a few bits from one of them is a corrupted copy (see known-packets.ts). */
  private readonly known = new KnownPackets();
  private readonly sequenceSink: SequenceSink = { onBit: (soft, first, last) => this.sequenceBit(soft, first, last) };
  /** First sample of the frame-sequence stage's last bit. */
  private lastBitStart = Number.NaN;

  constructor(options: DecoderOptions = {}) {
    if (options === null || typeof options !== 'object') throw new BlinkUpError(ErrorCode.OPTION_INVALID, `options must be an object (got ${describeType(options)})`);
    const rate = options.sampleRate;
    if (rate !== undefined && !(typeof rate === 'number' && rate >= MIN_RATE && rate <= MAX_RATE)) {
      throw new BlinkUpError(ErrorCode.OPTION_INVALID, `sampleRate must be a number of Hz in [${MIN_RATE}, ${MAX_RATE}] (got ${String(rate)})`);
    }
    const fs = options.fullScale;
    if (fs !== undefined && !(typeof fs === 'number' && fs > 0 && fs < Infinity)) {
      throw new BlinkUpError(ErrorCode.OPTION_INVALID, `fullScale must be a positive number (got ${String(fs)})`);
    }
    const source = options.source;
    if (source !== undefined && source !== 'photodiode' && source !== 'camera') {
      throw new BlinkUpError(ErrorCode.OPTION_INVALID, `source must be 'photodiode' or 'camera' (got ${String(source)})`);
    }
    if (options.onPulse !== undefined && typeof options.onPulse !== 'function') {
      throw new BlinkUpError(ErrorCode.OPTION_INVALID, 'onPulse must be a function');
    }
    if (options.combine !== undefined && typeof options.combine !== 'boolean') {
      throw new BlinkUpError(ErrorCode.OPTION_INVALID, `combine must be true or false (got ${describeType(options.combine)})`);
    }
    this.rate = rate ?? Number.NaN;
    this.givenRate = rate ?? Number.NaN;
    this.givenFullScale = fs ?? 0;
    this.givenSource = source;
    this.repair = repairLimits(options.repair);
    this.combine = options.combine !== false;
    this.onPulseHook = options.onPulse;
    if (rate !== undefined) this.build(rate);
  }

  /** Builds the stages for samples at `rate` (with a decimator in front above the stages' rate); returns them. */
  private build(rate: number): Stages {
    const factor = decimationFactor(rate);
    const st = (this.stages = new Stages(rate / factor, this.givenFullScale, this.cameraFrames(rate)));
    this.decimator = factor > 1 ? new Decimator(factor, (values, times, n) => this.feed(st, values, times, 0, n)) : null;
    return st;
  }

  /** The caller's samples `chunk[from, to)` into the stages: through the decimator when there is one. */
  private take(st: Stages, chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, to: number): void {
    if (this.decimator !== null) this.decimator.push(chunk, times, from, to);
    else this.feed(st, chunk, times, from, to);
  }

  /** Whether the samples are camera frames: as the caller said, or judged by the rate. */
  private cameraFrames(rate: number): boolean {
    return (this.givenSource ?? (rate < CAMERA_MAX_RATE ? 'camera' : 'photodiode')) === 'camera';
  }

  /**
   * The samples sit on a steady clock, as the frame-sequence stage needs: the nominal clock, or
   * camera frames on their grid (their timestamps a whole number of frame periods apart).
   */
  private steadyClock(st: Stages): boolean {
    return !this.timed || st.cond.onFrameGrid;
  }

  /**
   * Feeds samples (and optionally their times in seconds, same length) and returns the events
   * they completed. Non-finite samples are skipped and counted, and so are samples beyond a
   * shorter `times` (they have no time); nothing here throws on numbers. Samples or times that
   * are not an array or a typed array of numbers (a string, 64-bit integers) are INPUT_INVALID.
   */
  push(chunk: ArrayLike<number>, times?: ArrayLike<number>): DecodeEvent[] {
    const out: DecodeEvent[] = [];
    this.out = out;
    if (chunk === null || chunk === undefined) return out;
    checkSamples(chunk, 'samples');
    if (times !== undefined && times !== null) checkSamples(times, 'times');
    const timed = times !== undefined && times !== null;
    if (timed) this.timed = true;
    if (!timed && !(this.rate > 0)) {
      throw new BlinkUpError(ErrorCode.OPTION_INVALID, 'samples without timestamps need the sampleRate option');
    }
    let n = chunk.length;
    if (timed && times.length < n) {
      // Samples beyond the shorter of the two arrays have no time: they are skipped.
      this.skippedEarly += n - times.length;
      n = times.length;
    }
    let i = 0;
    if (!this.stages) i = this.probe(chunk, times!, n);
    if (this.stages) this.take(this.stages, chunk, timed ? times : null, i, n);
    return out;
  }

  /** End of stream: closes the last pulse and reports a packet cut short. */
  flush(): DecodeEvent[] {
    const out: DecodeEvent[] = [];
    this.out = out;
    if (this.held) this.startFromProbe(true);
    const st = this.stages;
    if (!st) return out;
    this.decimator?.flush();
    if (this.pending.count > 0) this.runPending(st);
    st.framer.ending = true;
    if (this.sequence) {
      this.sequence.finish(st.cond, this.sequenceSink);
      this.sequence = null;
    }
    st.seg.finish(st.cond.count, this.sink);
    const n = st.timing.flush(st.framer.reference(this.levels), st.cond);
    for (let k = 0; k < n; k++) this.onPulse(st, st.timing.ready[k]!);
    if (st.framer.state === FramerState.BODY) {
      this.emitLost(st, st.cond.time(st.cond.count - 1), STREAM_ENDED);
    }
    this.combineFailedCopy();
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
    const flicker = st?.flicker?.measurement;
    const decimator = this.decimator;
    const perStageSample = decimator && st && st.cond.count > 0 ? decimator.valid / st.cond.count : 1;
    const report = this.stats.snapshot({
      black: current ? current.black : this.seenBlack,
      grey: current ? current.grey : this.seenGrey,
      white: current ? current.white : this.seenWhite,
      fullScale: st ? st.cond.fullScale : this.givenFullScale || Number.NaN,
      noiseRms: st ? st.seg.noise : 0,
      // Decimated, the stages count runs of samples: the caller's samples are the decimator's.
      saturated: st ? st.cond.saturated * perStageSample : 0,
      samples: st ? (decimator ? decimator.valid : st.cond.count) : 0,
      skipped: (st ? (decimator ? decimator.offered - decimator.valid : st.cond.skipped) : 0) + this.skippedEarly,
      sampleIntervalS: st ? st.cond.sampleInterval : Number.NaN,
      missingFrames: st ? st.cond.missingFrames : 0,
      glitches: st ? st.cond.glitches : 0,
      timestampRestarts: st ? st.cond.timestampRestarts : 0,
      stalls: st ? st.framer.stalls : 0,
      lightSteps: st ? st.framer.lightSteps : 0,
      pwmSamples: st ? st.cond.pwmSamples * perStageSample : 0,
      rippleRuns: st ? st.framer.rippleRuns : 0,
    });
    const ripple = st && st.framer.rippleRuns > 0 ? { ...report, rippleHz: st.framer.rippleHz } : report;
    return flicker ? { ...ripple, flickerHz: flicker.hz, flickerAmplitude: flicker.amplitude } : ripple;
  }

  /** Forgets everything: a fresh decoder with the same options. */
  reset(): void {
    this.rate = this.givenRate;
    this.stages = null;
    this.decimator = null;
    if (this.rate > 0) this.build(this.rate);
    this.held = null;
    this.pending.count = 0;
    this.levels.reset();
    this.combiner.reset();
    this.failedCopy.take();
    this.stats = new ReportBuilder();
    this.skippedEarly = 0;
    this.saturationAnnounced = false;
    this.seenBlack = this.seenGrey = this.seenWhite = Number.NaN;
    this.timed = false;
    this.sequence = null;
    this.lastPacket = null;
    this.lastRefusal = null;
    this.known.reset();
  }

  /**
   * Runs `chunk[from, to)` through the per-sample stages in pieces that end on the conditioner's
   * grid. A piece is run only once it is whole — the tail of a chunk waits in `pending` for the
   * next push (or for flush) — so the same samples always form the same pieces, and the events
   * and the report do not depend on how the stream was chunked. Whole pieces are read straight
   * from the caller's arrays; only a tail is copied.
   */
  private feed(st: Stages, chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, to: number): void {
    const cond = st.cond;
    const pending = this.pending;
    let i = from;
    if (pending.count > 0) {
      // A push that switches between timestamps and the nominal clock closes the waiting piece early.
      if (pending.timed !== (times !== null)) this.runPending(st);
      else {
        i = pending.fill(chunk, times, i, to, cond.room);
        if (pending.count < cond.room) return;
        this.runPending(st);
      }
    }
    while (i < to) {
      const room = cond.room;
      if (to - i < room) {
        pending.fill(chunk, times, i, to, room);
        return;
      }
      this.runPiece(st, chunk, times, i, i + room);
      i += room;
    }
  }

  private runPending(st: Stages): void {
    const p = this.pending;
    const n = p.count;
    p.count = 0;
    this.runPiece(st, p.values, p.timed ? p.times : null, 0, n);
  }

  /** One piece (never past the grid point) through flicker cancelling, conditioning and segmentation. */
  private runPiece(st: Stages, chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, to: number): void {
    const { cond, seg, flicker } = st;
    const first = cond.count;
    cond.noise = seg.noise;
    // The flicker tracker reads every sample as light: a glitch must be gone before it.
    const guarded = flicker !== null && flicker.reading ? cond.guardReadings(chunk, times, from, to) : null;
    if (guarded !== null) {
      chunk = guarded.values;
      times = guarded.times;
      to -= from;
      from = 0;
    }
    // Without flicker the caller's samples go straight to conditioning; with it, the flicker stage
    // writes the cleaned piece into the conditioner's ring (and the readings themselves count for
    // full scale and saturation).
    const windowDone =
      flicker !== null && flicker.clean(chunk, times, from, to, cond.values, cond.nextSlot)
        ? cond.processStored(to - from, times === null ? null : flicker.times, flicker.readingsMax, chunk, from)
        : cond.process(chunk, times, from, to);
    this.levels.noise = seg.noise;
    this.levels.pwm = cond.pwm;
    seg.process(first, cond.count, this.sink);
    if (this.sequence) this.runSequence(st);
    else if (st.watch && this.steadyClock(st) && st.watch.scan(cond, cond.count, seg.noise)) this.startSequenceAtBreak(st, st.watch);
    if (windowDone) this.checkSaturation(st);
  }

  /**
   * Timestamps without a sample rate: the first samples are held until their spacing gives the
   * rate; then the stages are built and fed. Returns how many of `chunk` were consumed.
   */
  private probe(chunk: ArrayLike<number>, times: ArrayLike<number>, n: number): number {
    const held = (this.held ??= { values: [], times: [] });
    let i = 0;
    while (i < n && !this.stages) {
      const x = +chunk[i]!;
      const t = +times[i]!;
      i++;
      if (!(x >= -MAX_ABS_SAMPLE && x <= MAX_ABS_SAMPLE) || !(t >= -MAX_ABS_SAMPLE && t <= MAX_ABS_SAMPLE)) {
        this.skippedEarly++;
        continue;
      }
      held.values.push(x);
      held.times.push(t);
      if (held.values.length >= RATE_PROBE) this.startFromProbe(false);
    }
    return i;
  }

  private startFromProbe(final: boolean): void {
    const held = this.held!;
    const n = held.times.length;
    const span = n > 1 ? held.times[n - 1]! - held.times[0]! : 0;
    let rate = span > 0 ? (n - 1) / span : Number.NaN;
    // A camera that dropped frames stretches the mean interval (see frame-clock.ts).
    if (rate > 0 && this.cameraFrames(rate)) rate = frameRateOf(held.times);
    if (!(rate >= MIN_RATE && rate <= MAX_RATE)) {
      // Timestamps that do not advance carry no clock; keep probing unless the stream ended.
      if (final) {
        this.skippedEarly += n;
        this.held = null;
      } else if (n >= 4 * RATE_PROBE) {
        this.skippedEarly += n - RATE_PROBE;
        held.values.splice(0, n - RATE_PROBE);
        held.times.splice(0, n - RATE_PROBE);
      }
      return;
    }
    this.rate = rate;
    this.held = null;
    this.take(this.build(rate), held.values, held.times, 0, n);
  }

  private checkSaturation(st: Stages): void {
    const f = st.cond.recentSaturation;
    if (!this.saturationAnnounced && f > SATURATION_ON) {
      this.saturationAnnounced = true;
      this.out.push({ type: 'saturation', atS: st.cond.time(st.cond.count - 1), fraction: f });
    } else if (this.saturationAnnounced && f < SATURATION_OFF) {
      this.saturationAnnounced = false;
    }
  }

  /** Once per segment (called by the segmenter): measure it, let timing turn it into pulses, run the framer on each. */
  private segmentClosed(): void {
    const st = this.stages!;
    const segment = st.seg.measure(st.timing.segment);
    st.seg.advance();
    if (segment.end <= segment.start) return;
    const n = st.timing.push(st.framer.reference(this.levels), st.cond);
    for (let k = 0; k < n; k++) this.onPulse(st, st.timing.ready[k]!);
  }

  private onPulse(st: Stages, p: Pulse): void {
    const { cond, seg } = st;
    cond.timePulse(p);
    p.gapped = cond.missingFrames > 0 && holdsMissing(cond, p);
    const levels = this.levels;
    const framer = st.framer;
    const before = framer.state;
    this.judgedGrey = levels.grey;
    this.judgedWhite = levels.white;
    const continues = p.period < CONTINUING_PERIODS * levels.period;
    if (this.failedCopy.open === true) this.extendFailedCopy(p, continues);
    const result = framer.push(p, levels);
    // Black, for the report: the darkest light before the preamble, if the gaps never got there.
    if (before === HUNT && framer.state !== HUNT) levels.black = Math.min(levels.floor, seg.bottom);
    this.stats.pulses++;
    this.noteBodyBit(framer, p, before, result !== LOST);
    // In a packet's body without PWM dimming there is nothing to follow (and leaving it out of
    // the common path leaves the compiler room to inline the report's bookkeeping instead).
    // (`=== true`: a boolean field's plain test compiles to a test for every kind of value.)
    if (cond.pwm === true || framer.state !== BODY) this.followPwm(st, p, before);
    else levels.relativeNoise = false;
    if (this.onPulseHook !== undefined) this.emitPulse(before === HUNT ? p.top : p.late, p.startS, p.endS, framer.decision, framer.confidence, before === HUNT ? 'hunt' : before === BODY ? 'data' : 'preamble');
    // The gap timeout in whole samples (see PulseSegmenter.lock).
    const gapTimeout = Math.ceil(GAP_TIMEOUT_PERIODS * levels.period);
    if (framer.state === HUNT) seg.unlock();
    // At a camera's few samples per frame the gaps never look dark: valleys are judged from the
    // learned floor there (see PulseSegmenter.lock).
    else if (levels.period < FEW_SAMPLES_PERIOD) seg.lock(gapTimeout, levels.floor, levels.grey);
    // Under PWM dimming the sampler's beat can dim a grey frame to a third of its height, and
    // leave a node inside a held white that dips as deep: rises and valleys are judged against
    // the learned grey pulse's smoothed height (PulseSegmenter.lock), not the white's envelope.
    else if (cond.pwm === true) seg.lock(gapTimeout, levels.floor, levels.floor + levels.amplitude);
    else seg.lock(gapTimeout, Number.NaN, Number.NaN);
    cond.setHalfFrame(Math.round(0.25 * framer.clock(levels)));
    if (result === PACKET) this.onPacket(framer, continues);
    else if (result === LOST) this.emitLost(st, framer.lostAtS, framer.lostReason);
    else if (before === HUNT && framer.state === PREAMBLE && !this.sequence) this.startSequence(st, p);
  }

  /**
   * If a bit of a packet's body was decided on pulse `p` (`before`: the framer's state before
   * it): a step of the light it may show (when `decided`: the framer took it as a bit; see
   * Framer.followStep), its slip hint, and the report's statistics (only pulses of a real
   * transmission, past the sync magic, go into the report). Called on every pulse, with the test
   * made here: the compiler spends `onPulse`'s inlining budget on its most frequent calls first,
   * and a call on every pulse comes before the framer's `body` (called on body pulses only).
   * With the test in `onPulse` the two calls were about as frequent, and which came first
   * depended on the pulses seen before compiling: in three processes of four `body`, and with it
   * the slicer, came into `onPulse` and this stayed out, the budget ran out, and the numbers
   * handed to the calls left out were boxed (a heap number or three a pulse, the collector
   * running three times as often, 5–8 % slower).
   */
  private noteBodyBit(framer: Framer, p: Pulse, before: FramerState, decided: boolean): void {
    if (before !== BODY || framer.decision === 0) return;
    const levels = this.levels;
    if (decided === true) framer.followStep(p, levels);
    this.slipHints[framer.bits - 1] = pulseSlipHint(p, levels);
    this.stats.notePeriod(p, levels);
    this.stats.noteBit(framer.confidence, p.late - (framer.decision === 2 ? this.judgedWhite : this.judgedGrey));
    this.seenBlack = levels.black;
    this.seenGrey = levels.grey;
    this.seenWhite = levels.white;
  }

  /**
   * Remember the preamble's pulses; under PWM dimming learn the PWM's phase model from them
   * (as soon as the dimming is recognised and enough of them were seen), and let every pulse
   * after it keep the model in step (see pwm-phase.ts).
   */
  private followPwm(st: Stages, p: Pulse, before: FramerState): void {
    const { framer, pwm, cond } = st;
    const state = framer.state;
    if (state === FramerState.HUNT) {
      pwm.reset();
      pwm.note(p);
    } else {
      if (state === FramerState.PREAMBLE && (before === FramerState.HUNT || framer.decision === 1)) pwm.note(p);
      if (cond.pwm && pwm.active) {
        pwm.track(cond, p, this.levels.floor);
        if (framer.decision !== 0 && framer.confidence >= CONFIDENT_DECISION) {
          pwm.adapt(cond, p, this.levels.floor, framer.decision === 2 ? this.levels.white : this.levels.grey);
        }
      } else if (cond.pwm && state === FramerState.PREAMBLE) pwm.learn(cond, framer.preambleStart, this.levels.floor);
    }
    // The model's values carry errors that grow with the level (see LevelTracker.relativeNoise).
    this.levels.relativeNoise = cond.pwm && pwm.active;
  }

  /**
   * A preamble just locked. At a camera's one to four samples per 60 Hz refresh (and a steady
   * sample clock) the frame-sequence stage decodes the transmission too: it learns from the
   * preamble so far, then finds the sync magic and the bits on its own.
   */
  private startSequence(st: Stages, lockedAt: Pulse): void {
    const levels = this.levels;
    if (!this.steadyClock(st) || !(levels.period < 2 * FEW_SAMPLES_PER_FRAME)) return;
    const plan = planSequence(st.rate, levels.period);
    // The last pulses of the run are surely preamble (its first may be a stray bump before it).
    const from = Math.round(lockedAt.start - SEQUENCE_TRAINING_BITS * levels.period);
    if (plan === null || from < st.cond.oldest) return;
    this.beginSequence(st, plan, from, st.cond.count, { floor: levels.floor, grey: levels.grey }, st.framer.startS);
  }

  /**
   * The watch saw a preamble end where the pulse path had not locked (see preamble-watch.ts):
   * the stage learns from the preamble's last bits, taking their valleys and peaks as first guess.
   */
  private startSequenceAtBreak(st: Stages, watch: PreambleWatch): void {
    const cond = st.cond;
    if (watch.from < cond.oldest) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = watch.from; i < watch.to; i++) {
      const x = cond.value(i);
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    this.beginSequence(st, watch.plan!, watch.from, watch.to, { floor: lo, grey: hi }, cond.time(watch.from));
  }

  private beginSequence(st: Stages, plan: SequencePlan, from: number, to: number, start: SequenceStart, startS: number): void {
    const sequence = new FrameSequenceDecoder(plan);
    sequence.begin(st.cond, from, to, start);
    this.sequence = sequence;
    st.sequenceFramer.reset();
    st.sequenceFramer.startS = startS;
    st.sequenceFramer.periodSumS = st.sequenceFramer.periodCount = 0;
    this.lastBitStart = Number.NaN;
    this.runSequence(st);
  }

  private runSequence(st: Stages): void {
    const sequence = this.sequence!;
    sequence.run(st.cond, st.cond.count, this.sequenceSink);
    if (sequence.lost) this.endSequence(st);
  }

  private endSequence(st: Stages): void {
    this.sequence = null;
    st.watch?.rearm(st.cond.count);
  }

  /** One bit from the frame-sequence stage (its bright frame is samples [first, last]); false ends the stage. */
  private sequenceBit(soft: number, first: number, last: number): boolean {
    const st = this.stages!;
    const framer = st.sequenceFramer;
    if (framer.state !== FramerState.BODY) framer.startBody();
    const cond = st.cond;
    // Bit to bit without a held frame: the flash rate, for the packet's quality.
    const plan = this.sequence!.plan;
    if (first - this.lastBitStart === 2 * plan.slots * plan.refreshesPerFrame) {
      framer.periodSumS += cond.time(first) - cond.time(this.lastBitStart);
      framer.periodCount++;
    }
    this.lastBitStart = first;
    const result = framer.pushBit(soft, cond.time(last));
    if (result === FrameResult.NONE) return true;
    this.endSequence(st);
    if (result === FrameResult.PACKET) this.onSequencePacket(framer);
    return false;
  }

  /** A whole packet from the frame-sequence stage: reported if it checks (or is repaired) and the pulse path has not reported it. */
  private onSequencePacket(framer: Framer): void {
    const nbits = framer.bits;
    const last = this.lastPacket;
    if (last !== null && last.startS <= framer.endS && framer.startS <= last.endS) return;
    const bytes = hardBytes(framer.soft, nbits);
    const check = checkSoftPacket(bytes, framer.soft, nbits, this.repair);
    const quality = this.quality(framer, framer.soft, nbits);
    const base = { startS: framer.startS, endS: framer.endS, quality, combined: 1 };
    const repaired = check.ok ? null : repairPacket(framer.soft, nbits, this.repair);
    const packet = check.ok ? { payload: check.payload, bytes, repairedBits: 0 } : repaired && { payload: repaired.payload, bytes: repaired.bytes, repairedBits: repaired.flips };
    if (!packet) return;
    const refusal = this.lastRefusal;
    if (refusal !== null && refusal.startS <= framer.endS && framer.startS <= refusal.endS) {
      // The pulse path found this transmission ambiguous where the CRC cannot tell: reading the
      // same light another way settles nothing (a white shown late, read as a sure grey, did this).
      this.stats.failures++;
      this.out.push({ type: 'crc-failure', bytes: protectBytes(packet.bytes), ...base, reason: `read again at the camera's rate too: ${refusal.reason}`, code: BLIND_PAIR });
      return;
    }
    this.emitPacket({ type: 'packet', ...packet, ...base }, framer.byteAt(0));
  }

  private emitPulse(value: number, startS: number, endS: number, decision: 0 | 1 | 2, confidence: number, stage: PulseInfo['stage']): void {
    const l = this.levels;
    try {
      this.onPulseHook!({
        startS,
        endS,
        value,
        decision,
        confidence,
        stage,
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
    this.combineFailedCopy();
    this.combinePartial(st, atS);
  }

  /**
   * The framer collected a whole packet: check, repair, combine, report. `continues`: its last
   * pulse is followed by another at the bit rate (it may have read an extra pulse).
   */
  private onPacket(framer: Framer, continues: boolean): void {
    this.combineFailedCopy();
    const last = this.lastPacket;
    // The frame-sequence stage may have reported this transmission already.
    if (last !== null && last.startS <= framer.endS && framer.startS <= last.endS) return;
    const nbits = framer.bits;
    const soft = framer.soft;
    const length = framer.byteAt(0);
    const quality = this.quality(framer, soft, nbits);
    const bytes = hardBytes(soft, nbits);
    const check = checkSoftPacket(bytes, soft, nbits, this.repair);
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
    const failure: FailureEvent = { type: 'crc-failure', bytes: protectBytes(bytes), ...base, reason: check.reason, code: check.code };
    if (check.code === BLIND_PAIR) this.lastRefusal = { startS: base.startS, endS: base.endS, reason: check.reason };
    this.out.push(failure);
    if (!this.combine) return;
    this.failedCopy.hold(length, soft, this.slipHints, nbits, base, continues);
    if (!this.failedCopy.open) this.combineFailedCopy();
  }

  /** One more pulse after a failed copy: its bit may be the copy's last (see failed-copy.ts). */
  private extendFailedCopy(p: Pulse, continues: boolean): void {
    const levels = this.levels;
    const hint = pulseSlipHint(p, levels);
    if (this.failedCopy.extend(softValue(p.late, levels), hint, continues)) this.combineFailedCopy();
  }

  /** The failed copy held, if any, goes to the combiner. */
  private combineFailedCopy(): void {
    const copy = this.failedCopy;
    const info = copy.take();
    if (info !== null) this.combineCopy(copy.length, copy.soft, copy.bits, copy.nbits, info, copy.hints);
  }

  /**
   * Adds a failed copy (`bits` of the `nbits` its length byte announced) to the copies of the
   * same length before it, and reports their consensus if it checks (or is repaired).
   */
  private combineCopy(
    length: number,
    soft: Float32Array,
    bits: number,
    nbits: number,
    base: CopyInfo,
    hints: Uint8Array,
  ): void {
    if (!this.combine) return;
    const { sum, weight, copies } = this.combiner.add(length, soft, nbits, bits, hints);
    if (copies < 2) return;
    const combinedBytes = hardBytes(sum, nbits);
    const combined = checkSoftPacket(combinedBytes, sum, nbits, this.repair, copies);
    if (combined.ok) {
      this.emitPacket({ type: 'packet', payload: combined.payload, bytes: combinedBytes, ...base, repairedBits: 0, combined: copies }, length);
      return;
    }
    // The summed soft bits are the copies' joint evidence (two copies agreeing weakly are surer
    // than either), so repair judges which bits are sure or in doubt on the sum.
    const fixed = repairPacket(sum, nbits, this.repair, copies);
    if (fixed) {
      this.emitPacket({ type: 'packet', payload: fixed.payload, bytes: fixed.bytes, ...base, repairedBits: fixed.flips, combined: copies }, length);
    }
  }

  /**
   * Sync was lost inside a packet. A copy that got within a few bits of its end most likely
   * missed a pulse or two (merged with a neighbour): it still tells the combiner most of the packet.
   */
  private combinePartial(st: Stages, atS: number): void {
    const framer = st.framer;
    const bits = framer.bits;
    if (bits < 8) return;
    const length = framer.byteAt(0);
    const nbits = (length + 3) * 8;
    if (bits >= nbits || bits < nbits - MAX_MISSING_BITS) return;
    const base = { startS: framer.startS, endS: atS, quality: this.quality(framer, framer.soft, bits) };
    this.combineCopy(length, framer.soft, bits, nbits, base, this.slipHints);
  }

  private emitPacket(event: PacketEvent, length: number): void {
    protectBytes(event.bytes); // printing the event must not print the secrets
    // Read with a bit in doubt, repaired or combined: it may hold errors that the CRC let through.
    const unsure = event.repairedBits > 0 || event.combined > 1 || !(event.quality.minConfidence >= SURE_READ);
    const near = this.known.nearCopy(event.bytes, unsure);
    if (near > 0) {
      // A packet decoded before, corrupted: refused.
      this.stats.failures++;
      const what = event.combined > 1 ? `the consensus of ${event.combined} copies` : event.repairedBits > 0 ? `the packet found by flipping ${event.repairedBits} ${event.repairedBits === 1 ? 'bit' : 'bits'}` : 'a copy read with bits in doubt';
      const reason = unsure
        ? `${what} differs from a packet decoded before in only ${near} ${near === 1 ? 'bit' : 'bits'}: a corrupted copy of it, which the CRC let through`
        : `a copy read cleanly differs from a packet decoded before in only ${near} ${near === 1 ? 'bit' : 'bits'}, with the same check value: one of the two is a corrupted copy of the other, which the CRC cannot see, and no receiver can say which — flash again`;
      this.out.push({ type: 'crc-failure', bytes: event.bytes, startS: event.startS, endS: event.endS, quality: event.quality, reason, code: NEAR_COPY });
      this.lastRefusal = { startS: event.startS, endS: event.endS, reason };
      this.combiner.forget(length);
      return;
    }
    this.known.remember(event.bytes);
    this.lastPacket = event;
    this.stats.packets++;
    this.combiner.forget(length);
    // A packet the frame-sequence stage read where the pulse path never locked (a camera whose
    // every frame mixes two): its levels are what the report has seen, not "no preamble found".
    if (!(this.seenGrey === this.seenGrey)) {
      const q = event.quality;
      this.seenBlack = q.black;
      this.seenGrey = q.grey;
      this.seenWhite = q.white;
    }
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
      black: this.levels.black,
      grey: this.levels.grey,
      white: this.levels.white,
      fps: f.periodCount > 0 ? (2 * f.periodCount) / f.periodSumS : Number.NaN,
      timingRepairs: f.timingRepairs,
      erasedBits: f.erased,
    };
  }
}

/** Samples (and their times, when they came with them) of a piece not yet whole. */
class PendingPiece {
  readonly values = new Float64Array(BLOCK);
  readonly times = new Float64Array(BLOCK);
  count = 0;
  timed = false;

  /** Copies `chunk[from, to)` until the piece holds `room` samples; returns where it stopped. */
  fill(chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, to: number, room: number): number {
    if (this.count === 0) this.timed = times !== null;
    const end = Math.min(to, from + room - this.count);
    for (let i = from; i < end; i++) {
      this.values[this.count] = +chunk[i]!;
      if (times) this.times[this.count] = +times[i]!;
      this.count++;
    }
    return end;
  }
}

/** The stages whose shape depends on the sample rate. */
class Stages {
  /** Mains-flicker cancelling, where the rate can see 100–120 Hz (not a camera's frame rate). */
  readonly flicker: FlickerCanceller | null;
  readonly cond: Conditioner;
  readonly seg: PulseSegmenter;
  readonly framer: Framer;
  readonly pwm: PwmPhaseModel;
  readonly timing: PulseAssembler;
  /** Body bookkeeping of the frame-sequence stage's bits. */
  readonly sequenceFramer: Framer;
  /** At a camera's whole number of samples per 60 Hz refresh: sees preambles the pulse path missed. */
  readonly watch: PreambleWatch | null;

  /** `rate`: samples a second as the stages see them (decimated, see decimate.ts); `frames`: the samples are camera frames (see `DecoderOptions.source`). */
  constructor(
    readonly rate: number,
    fullScale: number,
    frames: boolean,
  ) {
    this.pwm = new PwmPhaseModel(rate);
    this.timing = new PulseAssembler(this.pwm);
    const width = smoothingLength(rate);
    this.cond = new Conditioner(width, rate, fullScale, frames);
    this.seg = new PulseSegmenter(this.cond, rate);
    this.framer = new Framer(rate, this.cond, this.cond);
    this.flicker = FlickerCanceller.applies(rate) ? new FlickerCanceller(rate, this.framer) : null;
    this.sequenceFramer = new Framer(rate);
    const slots = slotsPerRefresh(rate);
    this.watch = slots > 0 ? new PreambleWatch(slots) : null;
  }
}

/**
 * The slip hint of a pulse (see align.ts). Handed the objects, not the two ratios: numbers passed
 * to a call that is not inlined are boxed, and a caller may have no inlining budget left for it.
 */
function pulseSlipHint(p: Pulse, levels: LevelTracker): number {
  return slipHint(p.period / levels.period, (p.end - p.start) / levels.period);
}

/** One-shot decoding of a whole capture. */
export function decodeSamples(samples: ArrayLike<number>, options: DecoderOptions & { readonly times?: ArrayLike<number> }): DecodeResult {
  if (options === null || typeof options !== 'object') {
    throw new BlinkUpError(ErrorCode.OPTION_INVALID, `decodeSamples needs options: { sampleRate } or { times } (got ${describeType(options)})`);
  }
  const decoder = new TriLevelDecoder(options);
  const events = [...decoder.push(samples, options.times), ...decoder.flush()];
  return {
    packets: events.filter((e): e is PacketEvent => e.type === 'packet'),
    failures: events.filter((e): e is FailureEvent => e.type === 'crc-failure'),
    events,
    report: decoder.report(),
  };
}

/**
 * Samples (or their times) come as an array or a typed array of numbers: anything else — a
 * string, an object with a length, 64-bit integers — would be read as numbers it is not.
 */
function checkSamples(x: unknown, what: string): void {
  if (Array.isArray(x)) return;
  if (ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array)) return;
  throw new BlinkUpError(ErrorCode.INPUT_INVALID, `${what} must be an array or a typed array of numbers (got ${x instanceof BigInt64Array || x instanceof BigUint64Array ? 'a BigInt array' : describeType(x)})`);
}

/** Whether a camera frame inside pulse `p` was missing (restored, not observed). */
function holdsMissing(cond: Conditioner, p: Pulse): boolean {
  for (let i = Math.max(p.start, cond.oldest); i < p.end; i++) if (cond.missing(i)) return true;
  return false;
}
