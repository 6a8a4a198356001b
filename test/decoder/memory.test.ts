/**
 * Bounded memory: an hour of 1 kHz samples (3.6 million, repeated transmissions and noise in
 * between) streams through one decoder without its heap growing.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { TriLevelDecoder } from '../../src/decoder/index.js';
import { Random } from '../../src/util/random.js';
import { capture } from './helpers.js';

/** A full garbage collection, even without --expose-gc (the flag can be set at run time). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

describe('memory', () => {
  it('stays flat over a one-hour 1 kHz stream', () => {
    // One transmission plus a quiet gap, replayed with fresh noise: an endless synthetic stream.
    const cap = capture({ repeat: 1, leadInS: 0.3, leadOutS: 0.7 }, 51);
    const base = cap.samples;
    const rng = new Random(52);
    const chunk = new Float32Array(base.length);
    const decoder = new TriLevelDecoder({ sampleRate: cap.sampleRate });
    const HOUR = 3_600_000;
    let fed = 0;
    let packets = 0;
    let before = 0;
    for (let round = 0; fed < HOUR; round++) {
      for (let i = 0; i < chunk.length; i++) chunk[i] = base[i]! + 2 * rng.normal();
      for (const e of decoder.push(chunk)) if (e.type === 'packet') packets++;
      fed += chunk.length;
      if (round === 20) before = heapUsed(); // after warm-up: the decoder's own state exists
    }
    for (const e of decoder.flush()) if (e.type === 'packet') packets++;
    const after = heapUsed();
    expect(packets).toBeGreaterThan(200); // it kept decoding all along
    expect(decoder.report().samples).toBe(fed);
    // 3.5 million samples went by; a leak of even one byte per sample would show.
    expect(after - before).toBeLessThan(512 * 1024);
  });
});
