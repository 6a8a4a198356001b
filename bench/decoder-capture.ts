/**
 * The decoder benchmark's input, shared by bench/decoder.bench.ts and the profiling scripts
 * (scripts/decoder-cost.ts): a simulated capture of a typical channel — 1 kHz, held frames,
 * a sampler clock 0.8 % off, room-light flicker — with one packet flashed 40 times.
 */
import { simulatePhotodiode, type PhotodiodeCapture } from '../src/channel/index.js';
import { TriLevelDecoder } from '../src/decoder/index.js';
import { toLevels } from '../src/line/index.js';
import { encodePacket } from '../src/packet/index.js';

/** Transmissions in the capture: every decoder run must find all of them. */
export const REPEATS = 40;

export function decoderBenchCapture(): PhotodiodeCapture {
  const packet = encodePacket({ ssid: 'HomeNetwork', password: 'correct horse', planId: '0123456789abcdef', token: 'fedcba9876543210' });
  return simulatePhotodiode(
    toLevels(packet),
    { repeat: REPEATS, repeatGapS: 0.4, heldLevelProbability: 0.05, samplerClockPpm: 8000, flickerDepth: 0.2 },
    0xdec0de,
  );
}

/**
 * Decodes the whole capture with a new decoder, as a user would (push + flush); throws unless it
 * found every transmission, so a fast wrong decoder cannot be measured. Returns the packet count.
 */
export function decodeAllTransmissions(capture: PhotodiodeCapture): number {
  const decoder = new TriLevelDecoder({ sampleRate: capture.sampleRate, fullScale: capture.fullScale });
  let packets = 0;
  for (const e of decoder.push(capture.samples)) if (e.type === 'packet') packets++;
  for (const e of decoder.flush()) if (e.type === 'packet') packets++;
  if (packets !== REPEATS) throw new Error(`decoded ${packets} of ${REPEATS} transmissions`);
  return packets;
}
