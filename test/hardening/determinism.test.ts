/**
 * Determinism and isolation (issue 6): the decoder's output is a function of the samples alone —
 * not of how they were cut into chunks, not of other decoders running in the same process, not of
 * what a decoder saw before `reset()`. Captures cover the paths that keep state between chunks:
 * clean packets, repair, repetition combining, timestamps, camera brightness, noise.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateCameraBrightness, simulatePhotodiode, TIERS } from '../../src/channel/index.js';
import { TriLevelDecoder, type DecodeEvent, type DecoderOptions } from '../../src/decoder/index.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import { Random } from '../../src/util/random.js';
import { randomPayload } from '../fuzz/hostile-streams.js';
import { eventsFingerprint } from '../fuzz/targets.js';
import { runInProcess } from '../cli/run-cli.js';

interface Capture {
  readonly name: string;
  readonly samples: Float32Array | Float64Array;
  readonly times?: Float64Array;
  readonly options: DecoderOptions;
}

/** Captures exercising every stateful path of the decoder. */
function captures(): Capture[] {
  const out: Capture[] = [];
  const levels = (seed: number): Uint8Array => toLevels(encodePacket(randomPayload(new Random(seed))));
  const photodiode = (name: string, seed: number, channel: object): void => {
    const c = simulatePhotodiode(levels(seed), channel, seed);
    out.push({ name, samples: c.samples, ...(c.times ? { times: c.times, options: {} } : { options: { sampleRate: c.sampleRate } }) });
  };
  photodiode('typical', 1, TIERS.typical(new Random(1)));
  photodiode('hard, repeated (repair and combining)', 2, { ...TIERS.hard(new Random(2)), repeat: 3 });
  photodiode('swing 0.05, repeated', 3, { ...TIERS.swing005(new Random(3)), repeat: 3 });
  photodiode('timestamps only', 4, { ...TIERS.typical(new Random(4)), timestamps: true });
  const camera = simulateCameraBrightness(levels(5), TIERS.cam120on60(new Random(5)), 5);
  out.push({ name: 'camera brightness, 120 fps on 60', samples: camera.values, options: { sampleRate: camera.fps } });
  const noise = new Float64Array(40_000);
  const rng = new Random(6);
  for (let i = 0; i < noise.length; i++) noise[i] = 2000 + 300 * rng.normal() + (i % 50 < 20 ? 800 : 0);
  out.push({ name: 'noise and a square wave', samples: noise, options: { sampleRate: 1000 } });
  return out;
}

const CAPTURES = captures();

/** A decoder run over `capture` in chunks of the given sizes (cycled), with its events and report. */
class Run {
  readonly decoder: TriLevelDecoder;
  readonly events: DecodeEvent[] = [];
  private at = 0;
  private k = 0;

  constructor(
    readonly capture: Capture,
    private readonly sizes: readonly number[],
  ) {
    this.decoder = new TriLevelDecoder(capture.options);
  }

  get done(): boolean {
    return this.at >= this.capture.samples.length;
  }

  /** Pushes the next chunk; after the last, flushes. */
  step(): void {
    const { samples, times } = this.capture;
    const size = this.sizes[this.k++ % this.sizes.length]!;
    const end = Math.min(samples.length, this.at + size);
    const chunk = samples.subarray(this.at, end);
    this.events.push(...(times ? this.decoder.push(chunk, times.subarray(this.at, end)) : this.decoder.push(chunk)));
    this.at = end;
    if (this.done) this.events.push(...this.decoder.flush());
  }

  result(): string {
    return `${eventsFingerprint(this.events)}\n${JSON.stringify(this.decoder.report())}`;
  }
}

function decodeInChunks(capture: Capture, sizes: readonly number[]): string {
  const run = new Run(capture, sizes);
  while (!run.done) run.step();
  return run.result();
}

describe('chunking invariance: chunks of 1, 7, 4096 and all at once give identical events and report', () => {
  it.each(CAPTURES.map((c) => [c.name, c] as const))('%s', (_, capture) => {
    const whole = decodeInChunks(capture, [capture.samples.length]);
    expect(whole).toMatch(/"pulses":[1-9]/); // the decoder had something to decide on
    for (const sizes of [[1], [7], [4096], [1, 2, 3, 1000, 17, 65_536]]) {
      expect(decodeInChunks(capture, sizes), `chunks of ${sizes.join(', ')}`).toBe(whole);
    }
  });
});

describe('isolation: decoders in one process share nothing', () => {
  it('interleaved pushes to many decoders give what each gives alone', () => {
    const solo = CAPTURES.map((c) => decodeInChunks(c, [c.samples.length]));
    // Two decoders per capture, with different chunkings, all advanced round-robin.
    const runs = CAPTURES.flatMap((c, i) => [new Run(c, [1 + 97 * i, 5000]), new Run(c, [333 + i])]);
    while (runs.some((r) => !r.done)) for (const r of runs) if (!r.done) r.step();
    runs.forEach((r, i) => expect(r.result(), r.capture.name).toBe(solo[i >> 1]));
  });

  it('reset() gives the same results as a fresh decoder', () => {
    const decoder = new TriLevelDecoder({ sampleRate: 1000 });
    const noisy = CAPTURES.find((c) => c.name.startsWith('noise'))!;
    decoder.push(noisy.samples);
    decoder.push(CAPTURES[1]!.samples.subarray(0, 20_000)); // left mid-transmission
    decoder.reset();
    const target = CAPTURES[1]!;
    const events = [...decoder.push(target.samples), ...decoder.flush()];
    expect(`${eventsFingerprint(events)}\n${JSON.stringify(decoder.report())}`).toBe(decodeInChunks(target, [target.samples.length]));
  });
});

describe('the CLI: the same capture from a file and through stdin decodes identically', () => {
  it('--json output matches apart from the input name', async () => {
    const capture = CAPTURES[1]!;
    const csv = `Sample Rate (Hz),1000\nvalue\n${Array.from(capture.samples).join('\n')}\n`;
    const fromStdin = await runInProcess(['decode', '-', '--json'], { input: csv });
    const dir = mkdtempSync(join(tmpdir(), 'blinkup-determinism-'));
    try {
      const file = join(dir, 'capture.csv');
      writeFileSync(file, csv);
      const fromFile = await runInProcess(['decode', file, '--json']);
      const strip = (s: string): unknown => ({ ...JSON.parse(s), input: { ...JSON.parse(s).input, name: undefined } });
      expect(fromFile.status).toBe(fromStdin.status);
      expect(strip(fromFile.stdout)).toEqual(strip(fromStdin.stdout));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
