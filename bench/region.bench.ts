/**
 * Region brightness on 1920×1080 luma frames read from a Y4M stream, against a plain loop
 * summing the same bytes, in the same run (issue 4: ≥ 1000 frames/s and ≥ 0.5 × the plain loop).
 *
 * Inputs are built before the suite: a synthetic clip (textured background, flashing patch,
 * sensor noise) is written as Y4M and read back with the streaming reader. Every timed call
 * checks its result against a value computed beforehand, so a fast wrong answer fails.
 *
 *   node --import tsx bench/region.bench.ts
 */
import Benchmark from 'benchmark';
import { PassThrough } from 'node:stream';
import { blockGridFor, blockMeans } from '../src/node/auto-region.js';
import { linearLightTable } from '../src/node/linear-light.js';
import { regionMeanLinear, type Roi } from '../src/node/region.js';
import { openY4M, Y4MWriter } from '../src/node/y4m.js';
import { Random } from '../src/util/random.js';

const WIDTH = 1920;
const HEIGHT = 1080;
const FRAMES = 8;
const FULL: Roi = { x: 0, y: 0, w: WIDTH, h: HEIGHT };
const SCREEN: Roi = { x: 480, y: 270, w: 960, h: 540 }; // a quarter of the frame

/** A clip of FRAMES frames, through the Y4M writer and reader. */
async function buildFrames(): Promise<Uint8Array[]> {
  const random = new Random(4);
  const texture = new Uint8Array(WIDTH * HEIGHT).map(() => random.int(20, 230));
  const sink = new PassThrough({ highWaterMark: 1 << 22 });
  const writer = new Y4MWriter(sink, { width: WIDTH, height: HEIGHT, fps: 60, layout: '420' });
  const writing = (async () => {
    for (let f = 0; f < FRAMES; f++) {
      const luma = texture.map((v) => Math.min(255, v + random.int(0, 8)));
      const level = [16, 150, 250][f % 3]!;
      for (let y = SCREEN.y; y < SCREEN.y + SCREEN.h; y++) luma.fill(level, y * WIDTH + SCREEN.x, y * WIDTH + SCREEN.x + SCREEN.w);
      await writer.writeFrame(luma);
    }
    sink.end();
  })();
  const frames: Uint8Array[] = [];
  for await (const frame of (await openY4M(sink)).frames()) frames.push((frame.luma as Uint8Array).slice());
  await writing;
  return frames;
}

function plainSum(luma: Uint8Array, roi: Roi): number {
  let sum = 0;
  for (let y = roi.y; y < roi.y + roi.h; y++) {
    for (let i = y * WIDTH + roi.x, end = i + roi.w; i < end; i++) sum += luma[i]!;
  }
  return sum;
}

const frames = await buildFrames();
const lut = linearLightTable();
const grid = blockGridFor(WIDTH, HEIGHT);
const means = new Float32Array(grid.columns * grid.rows);
const rowSums = new Float64Array(grid.columns);
const expected = {
  plainFull: frames.map((f) => plainSum(f, FULL)),
  plainScreen: frames.map((f) => plainSum(f, SCREEN)),
  regionFull: frames.map((f) => regionMeanLinear(f, WIDTH, HEIGHT, FULL, lut)),
  regionScreen: frames.map((f) => regionMeanLinear(f, WIDTH, HEIGHT, SCREEN, lut)),
  blocks: frames.map((f) => {
    blockMeans(f, grid, lut, means, rowSums);
    return means[Math.floor(means.length / 2)]!;
  }),
};

let k = 0;
function check(got: number, want: number, what: string): void {
  if (got !== want) throw new Error(`${what}: got ${got}, expected ${want}`);
}

const suite = new Benchmark.Suite('region brightness, 1920×1080 luma', { maxTime: 2 } as Benchmark.Options);
suite
  .add('plain loop, full frame', () => {
    k = (k + 1) % FRAMES;
    check(plainSum(frames[k]!, FULL), expected.plainFull[k]!, 'plain full');
  })
  .add('regionMeanLinear, full frame', () => {
    k = (k + 1) % FRAMES;
    check(regionMeanLinear(frames[k]!, WIDTH, HEIGHT, FULL, lut), expected.regionFull[k]!, 'region full');
  })
  .add('plain loop, screen region (1/4 frame)', () => {
    k = (k + 1) % FRAMES;
    check(plainSum(frames[k]!, SCREEN), expected.plainScreen[k]!, 'plain screen');
  })
  .add('regionMeanLinear, screen region (1/4 frame)', () => {
    k = (k + 1) % FRAMES;
    check(regionMeanLinear(frames[k]!, WIDTH, HEIGHT, SCREEN, lut), expected.regionScreen[k]!, 'region screen');
  })
  .add('automatic search: block means, full frame', () => {
    k = (k + 1) % FRAMES;
    blockMeans(frames[k]!, grid, lut, means, rowSums);
    check(means[Math.floor(means.length / 2)]!, expected.blocks[k]!, 'block means');
  })
  .on('cycle', (event: Benchmark.Event) => console.log(String(event.target)))
  .on('complete', function (this: Benchmark.Suite) {
    const hz: Record<string, number> = {};
    this.forEach((b: Benchmark) => (hz[b.name!] = b.hz!));
    const fps = {
      plainFull: hz['plain loop, full frame']!,
      regionFull: hz['regionMeanLinear, full frame']!,
      plainScreen: hz['plain loop, screen region (1/4 frame)']!,
      regionScreen: hz['regionMeanLinear, screen region (1/4 frame)']!,
      autoSearch: hz['automatic search: block means, full frame']!,
    };
    const ratio = { full: fps.regionFull / fps.plainFull, screen: fps.regionScreen / fps.plainScreen };
    console.log(`region brightness, full 1080p frame: ${fps.regionFull.toFixed(0)} frames/s, ${ratio.full.toFixed(2)} × the plain loop`);
    console.log(`region brightness, 1/4-frame region: ${fps.regionScreen.toFixed(0)} frames/s, ${ratio.screen.toFixed(2)} × the plain loop`);
    console.log(`automatic search (block means of the full frame): ${fps.autoSearch.toFixed(0)} frames/s`);
    const round = (o: Record<string, number>, digits: number) => Object.fromEntries(Object.entries(o).map(([key, v]) => [key, Number(v.toFixed(digits))]));
    console.log(JSON.stringify({ bench: 'region', frame: `${WIDTH}x${HEIGHT}`, framesPerSecond: round(fps, 0), ratioToPlainLoop: round(ratio, 3) }));
  })
  .run();
