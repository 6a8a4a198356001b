/**
 * Decoder events as the plain records `decode` prints: the `--json` objects, and the data the
 * human output is rendered from. Redaction happens here and only here, so the two outputs
 * cannot disagree about what is secret: the Wi-Fi password, the enrolment token, the proxy
 * password, and the packet's bytes (which hold all three) are "***" unless the user asked
 * with --show-secrets.
 */
import type { PacketEvent, FailureEvent, PacketQuality, SignalReport } from '../decoder/types.js';
import { REDACTED, redactPayload } from '../packet/redact.js';
import type { ProxyConfig, StaticConfig } from '../packet/types.js';
import type { SyncLostEvent } from './decode-capture.js';

/** How cleanly one transmission was received. */
export interface QualityView {
  /** Bit confidence, 0 (a coin toss) … 1 (on a learned level). */
  readonly minConfidence: number;
  readonly meanConfidence: number;
  /** Grey/white gap as a fraction of the swing (white − black): the room each decision had. */
  readonly greyWhiteGap: number;
  /** Levels while it was received, input units. */
  readonly black: number;
  readonly grey: number;
  readonly white: number;
  /** Flash rate measured over the transmission, frames per second. */
  readonly fps: number;
  /** Bits erased where samples were missing (a hole in the timestamps swallowed their pulses). */
  readonly erasedBits: number;
}

export interface PacketView {
  readonly kind: 'config' | 'clear';
  readonly ssid?: string;
  readonly password?: string;
  readonly planId?: string;
  readonly token?: string;
  readonly staticIp?: StaticConfig;
  readonly proxy?: ProxyConfig;
  /** The received packet as hex, or "***". */
  readonly packetHex: string;
  readonly startS: number;
  readonly endS: number;
  readonly quality: QualityView & {
    /** Bits the bounded repair flipped to make the CRC match (0: received as sent). */
    readonly repairedBits: number;
    /** Transmissions whose soft bits were added to get it (1: this one alone). */
    readonly combinedTransmissions: number;
  };
}

export type FailureView =
  | {
      readonly type: 'crc-failure';
      /** Stable code from the packet parser (CRC_MISMATCH, MALFORMED, …) and its message. */
      readonly code: string;
      readonly reason: string;
      readonly startS: number;
      readonly endS: number;
      /** What was received, as hex, or "***" (it holds the secrets when it is nearly right). */
      readonly packetHex: string;
      readonly quality: QualityView;
    }
  | {
      readonly type: 'sync-lost';
      readonly atS: number;
      readonly reason: string;
      /** Bits received after the sync magic before the transmission broke off. */
      readonly bitsReceived: number;
    };

export function packetView(e: PacketEvent, showSecrets: boolean): PacketView {
  const payload = showSecrets ? e.payload : redactPayload(e.payload);
  const fields =
    payload.kind === 'clear'
      ? { kind: 'clear' as const }
      : {
          kind: 'config' as const,
          ssid: payload.ssid,
          password: payload.password,
          planId: payload.planId,
          token: payload.token,
          ...(payload.staticIp ? { staticIp: { ...payload.staticIp } } : {}),
          ...(payload.proxy ? { proxy: { ...payload.proxy } } : {}),
        };
  return {
    ...fields,
    packetHex: hexOrRedacted(e.bytes, showSecrets),
    startS: seconds(e.startS),
    endS: seconds(e.endS),
    quality: { ...qualityView(e.quality), repairedBits: e.repairedBits, combinedTransmissions: e.combined },
  };
}

export function failureView(e: FailureEvent | SyncLostEvent, showSecrets: boolean): FailureView {
  if (e.type === 'sync-lost') return { type: e.type, atS: seconds(e.atS), reason: e.reason, bitsReceived: e.bitsReceived };
  return {
    type: e.type,
    code: e.code,
    reason: e.reason,
    startS: seconds(e.startS),
    endS: seconds(e.endS),
    packetHex: hexOrRedacted(e.bytes, showSecrets),
    quality: qualityView(e.quality),
  };
}

/** Failures and losses in the order they happened. */
export function failureViews(failures: readonly FailureEvent[], losses: readonly SyncLostEvent[], showSecrets: boolean): FailureView[] {
  const at = (e: FailureEvent | SyncLostEvent): number => (e.type === 'sync-lost' ? e.atS : e.endS);
  return [...failures, ...losses].sort((a, b) => at(a) - at(b)).map((e) => failureView(e, showSecrets));
}

function qualityView(q: PacketQuality): QualityView {
  return {
    minConfidence: round(q.minConfidence, 3),
    meanConfidence: round(q.meanConfidence, 3),
    greyWhiteGap: round((q.white - q.grey) / (q.white - q.black), 3),
    black: significant(q.black),
    grey: significant(q.grey),
    white: significant(q.white),
    fps: round(q.fps, 3),
    erasedBits: q.erasedBits,
  };
}

/** The decoder's report with its numbers rounded to what they can mean. */
export function reportView(r: SignalReport): SignalReport {
  return {
    ...r,
    black: significant(r.black),
    grey: significant(r.grey),
    white: significant(r.white),
    swing: significant(r.swing),
    swingFraction: round(r.swingFraction, 4),
    fullScale: significant(r.fullScale, 8),
    noiseRms: significant(r.noiseRms),
    snrDb: round(r.snrDb, 1),
    greyWhiteSeparation: round(r.greyWhiteSeparation, 3),
    marginSigmas: round(r.marginSigmas, 1),
    greyRatio: round(r.greyRatio, 3),
    minConfidence: round(r.minConfidence, 3),
    meanConfidence: round(r.meanConfidence, 3),
    saturationFraction: round(r.saturationFraction, 5),
    fps: round(r.fps, 3),
    clockErrorPpm: Math.round(r.clockErrorPpm),
    ambiguousPeriods: round(r.ambiguousPeriods, 3),
    ...(r.flickerHz !== undefined ? { flickerHz: round(r.flickerHz, 2) } : {}),
    ...(r.rippleHz !== undefined ? { rippleHz: round(r.rippleHz, 1) } : {}),
    ...(r.flickerAmplitude !== undefined ? { flickerAmplitude: significant(r.flickerAmplitude) } : {}),
  };
}

function hexOrRedacted(bytes: Uint8Array, showSecrets: boolean): string {
  if (!showSecrets) return REDACTED;
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Times to 0.1 ms. */
function seconds(t: number): number {
  return round(t, 4);
}

function round(x: number, decimals: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** Levels in input units (ADC codes, volts, linear light) to 6 significant digits. */
function significant(x: number, digits = 6): number {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)) : x;
}
