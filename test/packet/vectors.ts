/** The SDK 0.3.0 golden vectors (fixtures/trilevel-sdk-0.3.0.json) and small byte helpers. */
import { readFileSync } from 'node:fs';
import type { Payload } from '../../src/packet/types.js';

export interface GoldenVector {
  name: string;
  input: Payload;
  /** The packet the SDK built: L, entries, CRC. */
  packetHex: string;
  /** One digit per frame, as the SDK drew them: 0 black, 1 grey, 2 white. */
  frames: string;
}

export const GOLDEN_VECTORS: readonly GoldenVector[] = (
  JSON.parse(readFileSync(new URL('../../fixtures/trilevel-sdk-0.3.0.json', import.meta.url), 'utf8')) as { vectors: GoldenVector[] }
).vectors;

export function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function levelDigits(levels: Uint8Array): string {
  return Array.from(levels).join('');
}

/** The vector input as parsePacket returns it (config payloads carry kind: 'config'). */
export function asParsed(p: Payload): Payload {
  return p.kind === 'clear' ? p : { kind: 'config', ...p };
}
