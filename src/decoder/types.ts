/**
 * The decoder's public vocabulary: its options, the events it emits and the report it keeps.
 * Times are seconds on the sampler's time base (sample index / sampleRate, or the timestamps the
 * caller passed), values are in the caller's units (ADC codes, volts, linear light …).
 */
import type { Payload } from '../packet/types.js';

/** Bounded bit-flip repair tried on a packet whose CRC or structure fails. */
export interface RepairOptions {
  /** Most bits flipped at once, a whole number 0–3 (0 disables repair). */
  readonly maxFlips: number;
  /** Most bits in doubt (confidence < 0.25) a packet may have for a search to be made, 0–3; every other bit must be sure (≥ 0.5). */
  readonly candidates: number;
}

export interface DecoderOptions {
  /** Nominal sample rate, Hz. Required unless every `push` passes timestamps. */
  readonly sampleRate?: number;
  /** ADC full scale (e.g. 4095 for 12 bits), for swing as a fraction in the report; inferred if absent. */
  readonly fullScale?: number;
  /** Bit-flip repair on CRC failure: `true` (default: up to 2 flips, only when at most 2 bits are in doubt and the rest sure), `false`, or limits. */
  readonly repair?: boolean | RepairOptions;
  /** Combine the soft bits of repeated transmissions of the same packet (default true). */
  readonly combine?: boolean;
  /**
   * What the samples are: a photodiode's (or any sensor's) readings, or a camera's region
   * brightness, one sample per video frame. Camera frames keep their place on the frame grid
   * when the camera dropped some — a gap in the timestamps, a skipped (NaN) sample, or an exact
   * repeat of the frame before (a constant-rate stream's copy: a new frame's region mean never
   * repeats exactly) — and a missing frame counts as no observation. A photodiode's ADC codes
   * do repeat, so they are never read that way. Default: 'camera' below 400 samples a second
   * (CHANNEL.md: cameras film at 24–240 fps, photodiode samplers run at 500–4000 Hz), else
   * 'photodiode'; the CLI says which from the input format.
   */
  readonly source?: SampleSource;
  /** Called for every pulse the slicer decides (for analysis and plots); must not throw. */
  readonly onPulse?: (pulse: PulseInfo) => void;
}

/** Where the samples come from (see `DecoderOptions.source`). */
export type SampleSource = 'photodiode' | 'camera';

/** One bright pulse as the slicer saw it. */
export interface PulseInfo {
  readonly startS: number;
  readonly endS: number;
  /** The statistic the decision was made on (robust mean of the bright part), input units. */
  readonly value: number;
  /** 0: not a data pulse (hunting or rejected), 1: grey (bit 0), 2: white (bit 1). */
  readonly decision: 0 | 1 | 2;
  /**
   * Where the decoder stood when it judged the pulse: hunting for a preamble, inside one (its
   * greys and the sync magic: light that may yet prove to be room-light ripple, if no packet
   * body follows), or reading a packet's body.
   */
  readonly stage: 'hunt' | 'preamble' | 'data';
  /** 0 (a coin toss) … 1 (far from the threshold). */
  readonly confidence: number;
  /** Learned levels and the grey/white threshold at that moment, input units (NaN while unknown). */
  readonly black: number;
  readonly grey: number;
  readonly white: number;
  readonly threshold: number;
}

/** How cleanly a packet was received. */
export interface PacketQuality {
  /** Smallest and mean bit confidence, 0…1. */
  readonly minConfidence: number;
  readonly meanConfidence: number;
  /** Black (the darkest light around the preamble), grey and white while it was received, input units. */
  readonly black: number;
  readonly grey: number;
  readonly white: number;
  /** Flash rate measured over the packet, frames per second (NaN if unknown). */
  readonly fps: number;
  /** Bits (of the packet, length byte included) whose pulse was split or merged by timing. */
  readonly timingRepairs: number;
  /**
   * Bits erased because their pulses fell into a hole in the samples (timestamps that jump: a
   * logger lost samples), left for the repair or the combining of repeated copies to fill in.
   */
  readonly erasedBits: number;
}

export type DecodeEvent =
  | {
      readonly type: 'packet';
      readonly payload: Payload;
      /** The packet as received (L, entries, CRC). Holds secrets: do not print without consent. */
      readonly bytes: Uint8Array;
      readonly startS: number;
      readonly endS: number;
      readonly quality: PacketQuality;
      /** Bits the repair flipped (0 when the CRC matched as received). */
      readonly repairedBits: number;
      /** How many transmissions were combined to get it (1 = this one alone). */
      readonly combined: number;
    }
  | {
      readonly type: 'crc-failure';
      /**
       * What was received. It can contain the password and the token: never print or log it
       * without the user's consent.
       */
      readonly bytes: Uint8Array;
      readonly startS: number;
      readonly endS: number;
      /** Human-readable cause, free of secrets. */
      readonly reason: string;
      /**
       * Stable code: from parsePacket (CRC_MISMATCH, MALFORMED, UNKNOWN_ENTRY_TYPE, MISSING_ENROLMENT,
       * TRUNCATED), or the decoder's own refusals of a packet that did check — ERASED_BITS (it checked
       * only with bits guessed where samples were missing), BLIND_PAIR (two bits in doubt lie a
       * multiple of 128 bits apart, where the CRC cannot see two errors) and NEAR_COPY (repaired or
       * combined, it lies a few bits from a packet decoded before: a corrupted copy of it).
       */
      readonly code: string;
      readonly quality: PacketQuality;
    }
  | {
      readonly type: 'sync-lost';
      readonly atS: number;
      readonly reason: string;
      /** Bits after the sync magic received before sync was lost. */
      readonly bitsReceived: number;
    }
  | {
      readonly type: 'saturation';
      readonly atS: number;
      /** Fraction of recent samples at the sensor's ceiling. */
      readonly fraction: number;
    };

export type PacketEvent = Extract<DecodeEvent, { type: 'packet' }>;
export type FailureEvent = Extract<DecodeEvent, { type: 'crc-failure' }>;

/** What the decoder saw: the numbers a hardware designer tunes a receiver circuit with. */
export interface SignalReport {
  /**
   * Learned levels, input units (NaN until a preamble was seen). Black is the darkest the light
   * got around the preamble; grey and white are pulse values (under PWM dimming: the bursts' peaks).
   * NaN too when they lost their order (`levelsOutOfOrder`).
   */
  readonly black: number;
  readonly grey: number;
  readonly white: number;
  /** The levels learned ended out of order (black < grey < white no longer held: the light changed under the receiver — auto-exposure, a hand, a shadow). */
  readonly levelsOutOfOrder: boolean;
  /** white − black, input units, and as a fraction of full scale. */
  readonly swing: number;
  readonly swingFraction: number;
  /** Full scale used for the fractions (given or inferred). */
  readonly fullScale: number;
  /** Sample-to-sample noise, rms, input units (above 4 kHz, of the averages the stages see: see decimate.ts). */
  readonly noiseRms: number;
  /** 20·log10(swing / noise). */
  readonly snrDb: number;
  /** Grey/white gap as a fraction of swing, and half the gap in units of the pulse-value spread. */
  readonly greyWhiteSeparation: number;
  readonly marginSigmas: number;
  /** Grey level as a fraction of white (both above black): 0.52 for #bf, 0.35 for #9f on a linear sensor. */
  readonly greyRatio: number;
  /** Bit confidence over every data bit decided. */
  readonly minConfidence: number;
  readonly meanConfidence: number;
  /** Fraction of samples at the sensor's ceiling. */
  readonly saturationFraction: number;
  /**
   * Measured flash rate, frames per second, the nominal rate it is nearest, and the sampler clock
   * error vs that rate. Below 4 samples per display refresh (a camera) the clock cannot be told
   * from held frames: it is taken as exact for `fps` and `heldLevels`, and `clockErrorPpm` is NaN;
   * so it is when too many periods are ambiguous (see `ambiguousPeriods`).
   * With fewer than 64 pulse periods timed in sync (`timedPeriods`) all three, and `heldLevels`,
   * are NaN: a handful of periods named a 60 fps flash 72 fps.
   */
  readonly fps: number;
  readonly nominalFps: number;
  readonly clockErrorPpm: number;
  /** Display frames that stayed up one refresh longer than the rest. */
  readonly heldLevels: number;
  /**
   * Share of the timed periods that lay between two whole numbers of refreshes — edges moved by
   * slow pixels or noise — so that each may be counted a refresh off. Above 0.1 `clockErrorPpm`
   * is NaN (`fps` and `heldLevels` are then rough too). NaN at a camera's few samples per refresh.
   */
  readonly ambiguousPeriods: number;
  /**
   * Pulse periods timed in sync, which `fps`, `clockErrorPpm` and `heldLevels` are measured from.
   * Below MIN_TIMED_PERIODS (64) those are NaN: too few to say.
   */
  readonly timedPeriods: number;
  readonly pulses: number;
  readonly samples: number;
  /** Samples skipped because they were NaN, ±Infinity or beyond ±1e15 (or had no time: beyond a shorter `times`, or before a usable clock was found in timestamps alone). */
  readonly nonFiniteSamples: number;
  /**
   * Camera frames the camera dropped (a gap in the timestamps, a skipped sample, or a repeat of
   * the frame before), put back on the frame grid as no observation; included in `samples`.
   */
  readonly missingFrames: number;
  /**
   * Glitches: single samples far outside the signal's recent range (a serial link's or an ADC's
   * error, not light), replaced by the mean of their neighbours; included in `samples`.
   */
  readonly glitchSamples: number;
  /**
   * Times the timestamps jumped back by more than 5 sample intervals (a logger reset, captures
   * joined into one file): the samples after each were placed right after those before it.
   */
  readonly timestampRestarts: number;
  /**
   * Times the flasher stalled inside a transmission (from the sync magic on) and the decoder
   * waited it out: a level held, or a dark gap, over 3.2 bit periods long and at most half a
   * second longer than one. (Stalls in the preamble are waited out too, but not counted: a run
   * of pulses taken for a preamble may be none.)
   */
  readonly flasherStalls: number;
  /**
   * Times the light stepped inside a transmission (a shadow, the sensor or the phone moved) and
   * the levels followed it, the bits read since the step decided again (see light-step.ts).
   */
  readonly lightSteps: number;
  /**
   * Samples whose light came in bursts (an OLED dimmed by pulse-width modulation below full
   * brightness), which the decoder smoothed by their envelope; 0 when the light was steady.
   */
  readonly pwmSamples: number;
  /**
   * Runs of pulses in the dark that were taken for a preamble until new light showed them to be
   * ripple, and the hunt started again (see framer.ts); `rippleHz` is the last one's rate on the
   * sampler's clock, pulses a second (absent when there was none). At 50 or 60 Hz: a lamp
   * flickering at the mains frequency itself, or mains hum in the sensor's wiring; elsewhere a
   * few stray pulses (weak room-light flicker before it is cancelled, noise).
   */
  readonly rippleRuns: number;
  readonly rippleHz?: number;
  readonly packets: number;
  readonly failures: number;
  readonly syncLosses: number;
  /**
   * Mains flicker of room light that the decoder measured and cancelled (the latest, if it came
   * and went): its apparent frequency on the sampler's clock, Hz, and amplitude (half its
   * peak-to-peak), input units. Absent when there was none worth cancelling or the rate is a camera's.
   */
  readonly flickerHz?: number;
  readonly flickerAmplitude?: number;
}

export interface DecodeResult {
  readonly packets: PacketEvent[];
  readonly failures: FailureEvent[];
  readonly events: DecodeEvent[];
  readonly report: SignalReport;
}
