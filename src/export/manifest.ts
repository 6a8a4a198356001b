/**
 * The manifest: everything about one encoded transmission in one JSON document — the packet,
 * the level of every frame and when it is shown — so that a player, a test rig or a person can
 * check a frame folder or drive a display without this library.
 *
 * Secrets policy: the levels are the signal itself (whoever has them, or the frames, or a video
 * of the screen, can decode the password), and producing them is the whole point, so they are
 * always written. The fields meant for people — `payload` and `packetHex` — show the password,
 * token and proxy password as "***" / `**` unless the caller asks for secrets.
 */
import { redactPayload } from '../packet/redact.js';
import type { Payload } from '../packet/types.js';
import type { Schedule } from '../schedule/schedule.js';
import { LEVEL_COLOURS } from './levels.js';
import { packetHex } from './packet-hex.js';

export const MANIFEST_FORMAT = 'blinkup-frames';
export const MANIFEST_VERSION = 1;

export interface FrameManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  /** Line code of `levels`: SDK 0.3.0 tri-level (preamble 00 00 00 2A, packet, 6 black frames). */
  lineCode: 'trilevel';
  /** False when password, token and proxy password are masked in `payload` and `packetHex`. */
  secretsShown: boolean;
  /** What the packet carries; secrets are "***" unless `secretsShown`. */
  payload: Payload;
  /** The packet (L, entries, CRC) as lower-case hex; secret bytes are `**` unless `secretsShown`. */
  packetHex: string;
  packetBytes: number;
  fps: number;
  refreshHz: number;
  refreshesPerFrame: number;
  frameCount: number;
  /** Time on air, ms (rounded to µs, as are all times here). */
  durationMs: number;
  /** Colour drawn for level 0, 1, 2. */
  levelColours: readonly string[];
  /** One character per frame: "0" black, "1" grey, "2" white. */
  levels: string;
  /** Per-frame timing as parallel arrays, indexed like `levels` (frame i = levels[i]). */
  frames: { startMs: number[]; durationMs: number[] };
  /** Set by the PNG exporter: file name pattern of the frames, printf style ("frame-%05d.png", 1-based). */
  files?: string;
}

export interface ManifestInput {
  payload: Payload;
  packet: Uint8Array;
  schedule: Schedule;
}

export function buildManifest({ payload, packet, schedule: s }: ManifestInput, options: { showSecrets?: boolean } = {}): FrameManifest {
  const showSecrets = options.showSecrets === true;
  const startMs = new Array<number>(s.frameCount);
  const durationMs = new Array<number>(s.frameCount);
  const frameMs = roundUs(s.frameDurationMs);
  for (let i = 0; i < s.frameCount; i++) {
    startMs[i] = roundUs(s.startMs[i]!);
    durationMs[i] = frameMs;
  }
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    lineCode: 'trilevel',
    secretsShown: showSecrets,
    payload: showSecrets ? plainCopy(payload) : redactPayload(plainCopy(payload)),
    packetHex: packetHex(packet, showSecrets),
    packetBytes: packet.length,
    fps: s.fps,
    refreshHz: s.refreshHz,
    refreshesPerFrame: s.refreshesPerFrame,
    frameCount: s.frameCount,
    durationMs: roundUs(s.durationMs),
    levelColours: LEVEL_COLOURS,
    levels: levelString(s.levels),
    frames: { startMs, durationMs },
  };
}

const ascii = new TextDecoder();

/** Levels as a string of digits, one per frame ("0", "1", "2"). */
export function levelString(levels: Uint8Array): string {
  return ascii.decode(levels.map((v) => 0x30 + v));
}

/**
 * Pretty JSON with two-space indentation, except that arrays of numbers stay on one line
 * (a manifest has two arrays with one number per frame).
 */
export function formatManifest(m: FrameManifest): string {
  return JSON.stringify(m, null, 2).replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_, body: string) => `[${body.replace(/\s+/g, '')}]`) + '\n';
}

/**
 * A payload with its secrets, as plain data. Spreading drops the non-enumerable `toJSON` that
 * `protectSecrets` installs, which would otherwise redact even when secrets were asked for.
 */
function plainCopy(p: Payload): Payload {
  if (p.kind === 'clear') return { kind: 'clear' };
  const out: Payload = { kind: 'config', ssid: p.ssid ?? '', password: p.password ?? '', planId: p.planId, token: p.token };
  if (p.staticIp) out.staticIp = { ...p.staticIp };
  if (p.proxy) out.proxy = { ...p.proxy };
  return out;
}

function roundUs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
