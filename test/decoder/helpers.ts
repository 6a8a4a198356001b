/** Shared helpers for the decoder tests: captures from the real channel simulator, and event comparison. */
import { readFileSync } from 'node:fs';
import { simulatePhotodiode, type PhotodiodeChannelOptions, type PhotodiodeCapture } from '../../src/channel/index.js';
import type { DecodeEvent } from '../../src/decoder/index.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import type { ConfigPayload } from '../../src/packet/types.js';

export const BASIC: ConfigPayload = {
  ssid: 'HomeNetwork',
  password: 'correct horse',
  planId: '0123456789abcdef',
  token: 'fedcba9876543210',
};

export interface GoldenVector {
  readonly name: string;
  readonly packetHex: string;
  readonly frames: string;
}

/** The SDK 0.3.0 golden vectors (fixtures/, copied from ../shared/vectors). */
export function goldenVectors(): GoldenVector[] {
  const url = new URL('../../fixtures/trilevel-sdk-0.3.0.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { vectors: GoldenVector[] }).vectors;
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A photodiode capture of `packet` (default: the basic Wi-Fi packet) through the simulator. */
export function capture(options: Partial<PhotodiodeChannelOptions> = {}, seed = 1, packet = encodePacket(BASIC)): PhotodiodeCapture {
  return simulatePhotodiode(toLevels(packet), options, seed);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Events as plain data (payload objects hide their secrets from JSON, so compare bytes instead). */
export function plainEvents(events: readonly DecodeEvent[]): unknown[] {
  return events.map((e) => {
    if (e.type === 'packet') return { ...e, payload: undefined, bytes: Array.from(e.bytes) };
    if (e.type === 'crc-failure') return { ...e, bytes: Array.from(e.bytes) };
    return e;
  });
}
