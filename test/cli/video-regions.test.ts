/**
 * A video in which the flash moves: the automatic region search measures one place, then moves
 * to another. The human output must name every region used, each from the frame it applies from
 * (so any of them can be given to --roi), as --json does — not only the first one found.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Roi } from '../../src/node/region.js';
import { Random } from '../../src/util/random.js';
import { concatBytes, tempFolder, utf8 } from '../node/helpers.js';
import { runInProcess } from './run-cli.js';

const WIDTH = 32;
const HEIGHT = 24;
/** At 10 fps the search window (20 s) is 200 frames, handed on 100 at a time. */
const FPS = 10;
/** Two patches on block boundaries (blocks of 2 px in so small a frame), so the regions found are exactly them. */
const PATCH_A: Roi = { x: 2, y: 2, w: 8, h: 6 };
const PATCH_B: Roi = { x: 20, y: 14, w: 10, h: 8 };

const inside = (p: Roi, x: number, y: number): boolean => x >= p.x && x < p.x + p.w && y >= p.y && y < p.y + p.h;

/** A mono Y4M of 600 frames: patch A flashes in frames 0–199, patch B in frames 300–599, the rest is still. */
function movingFlash(): Uint8Array {
  const random = new Random(11);
  const parts: Uint8Array[] = [utf8(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F${FPS}:1 Ip A1:1 Cmono\n`)];
  for (let f = 0; f < 600; f++) {
    const flashing = f < 200 ? PATCH_A : f >= 300 ? PATCH_B : undefined;
    const level = [0, 128, 255][random.int(0, 2)]!;
    const luma = new Uint8Array(WIDTH * HEIGHT);
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) luma[y * WIDTH + x] = flashing && inside(flashing, x, y) ? level : 40 + ((x * 7 + y * 13) % 5);
    }
    parts.push(utf8('FRAME\n'), luma);
  }
  return concatBytes(parts);
}

describe('a video whose flash moves', () => {
  const path = join(tempFolder('cli-regions'), 'moving.y4m');
  beforeAll(() => writeFileSync(path, movingFlash()));

  it('--json gives the region used last and every region used, each from its frame', async () => {
    const out = JSON.parse((await runInProcess(['decode', path, '--json'])).stdout);
    expect(out.input.region).toMatchObject({ roi: PATCH_B, fromFrame: 200 });
    expect(out.input.regions).toMatchObject([
      { roi: PATCH_A, fromFrame: 0 },
      { roi: PATCH_B, fromFrame: 200 },
    ]);
  });

  it('decode prints one line per region used, the later one with the frame it applies from', async () => {
    const r = await runInProcess(['decode', path]);
    expect(r.status).toBe(1); // noise, not a transmission
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('Video '));
    expect(lines).toEqual([
      'Video 32×24: region x,y,w,h = 2,2,8,6 found automatically (6.3 % of the frame)',
      'Video 32×24: region x,y,w,h = 20,14,10,8 found automatically from frame 200 (10 % of the frame)',
    ]);
  });

  it('analyze lists both regions too', async () => {
    const r = await runInProcess(['analyze', path]);
    expect(r.stdout).toContain(
      'Region    x,y,w,h = 2,2,8,6 of 32×24 (found automatically, 6 % of the frame)\n' +
        '          x,y,w,h = 20,14,10,8 of 32×24 (found automatically, 10 % of the frame) from frame 200\n',
    );
  });
});
