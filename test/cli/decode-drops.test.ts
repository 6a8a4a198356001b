/**
 * `blinkup decode` on a small clip from a camera that dropped frames: a PNG folder whose times
 * file shows the gaps, and a constant-rate Y4M with the previous frame repeated in each empty
 * slot (what `ffmpeg -f yuv4mpegpipe` makes of a variable-frame-rate clip).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cameraFrames, TIERS } from '../../src/channel/index.js';
import { toLevels } from '../../src/line/index.js';
import { writePngFrames } from '../../src/node/png-frames.js';
import { encodePacket } from '../../src/packet/index.js';
import { Random } from '../../src/util/random.js';
import { randomPayload } from '../decoder/sweep.js';
import { concatBytes, tempFolder } from '../node/helpers.js';
import { runInProcess } from './run-cli.js';

const dir = tempFolder('cli-drops');

/** A clip the pulse path alone lost before dropped frames were restored. */
const SEED = 920_001;
const FPS = 120;
const SIZE = { width: 40, height: 30 };

/** The frames (luma planes) of a 120 fps clip of one packet, with the camera's frame slots; 4 % dropped. */
function droppedClip(): { frames: Uint8Array[]; slots: number[]; ssid: string } {
  const rng = new Random(SEED);
  const payload = randomPayload(rng);
  const clip = cameraFrames(toLevels(encodePacket(payload)), { ...TIERS.cam120on60(rng), ...SIZE, repeat: 1, dropRate: 0.04 }, SEED);
  const frames: Uint8Array[] = [];
  const slots: number[] = [];
  for (const frame of clip) {
    frames.push(frame.luma);
    slots.push(Math.round(frame.timeS * FPS));
  }
  return { frames, slots, ssid: payload.ssid };
}

/** A constant-rate mono Y4M: each empty slot holds the frame before it again. */
function constantRateY4m(frames: readonly Uint8Array[], slots: readonly number[]): Uint8Array {
  const parts: Uint8Array[] = [new TextEncoder().encode(`YUV4MPEG2 W${SIZE.width} H${SIZE.height} F${FPS}:1 Ip A1:1 Cmono\n`)];
  const marker = new TextEncoder().encode('FRAME\n');
  for (let f = 0; f < frames.length; f++) {
    const copies = f === 0 ? 1 : slots[f]! - slots[f - 1]!;
    for (let k = 0; k < copies; k++) parts.push(marker, k < copies - 1 ? frames[f - 1]! : frames[f]!);
  }
  return concatBytes(parts);
}

describe('decode: a camera that dropped frames', () => {
  let clip: ReturnType<typeof droppedClip>;
  beforeAll(() => {
    clip = droppedClip();
    // The clip really has gaps.
    expect(clip.slots[clip.slots.length - 1]! + 1 - clip.slots.length).toBeGreaterThan(5);
  });

  it('a PNG folder with a times file: the gaps are restored and the packet decodes', async () => {
    const frames = join(dir, 'frames');
    await writePngFrames(frames, clip.frames, { ...SIZE, times: clip.slots.map((s) => s / FPS) });
    const r = await runInProcess(['decode', frames, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.input).toMatchObject({ format: 'png', timing: 'times file', sampleRate: FPS });
    expect(out.report.missingFrames).toBe(clip.slots[clip.slots.length - 1]! + 1 - clip.slots.length);
    expect(JSON.stringify(out.packets)).toContain(JSON.stringify(clip.ssid));
  });

  it('a PNG folder with unreadable frames (empty, cut short, not a PNG): read as missing frames, with a warning naming the first', async () => {
    const frames = join(dir, 'damaged-frames');
    await writePngFrames(frames, clip.frames, { ...SIZE, times: clip.slots.map((s) => s / FPS) });
    const names = readdirSync(frames).filter((f) => f.endsWith('.png')).sort();
    writeFileSync(join(frames, names[300]!), '');
    writeFileSync(join(frames, names[900]!), readFileSync(join(frames, names[900]!)).subarray(0, 50));
    writeFileSync(join(frames, names[1500]!), 'not an image');
    const r = await runInProcess(['decode', frames, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(`blinkup: warning: 3 PNG frames cannot be read, read as missing frames (the first: ${names[300]} is not a PNG file)\n`);
    const out = JSON.parse(r.stdout);
    expect(out.report.missingFrames).toBe(clip.slots[clip.slots.length - 1]! + 1 - clip.slots.length + 3);
    expect(JSON.stringify(out.packets)).toContain(JSON.stringify(clip.ssid));
    // One of them, named.
    writeFileSync(join(frames, names[300]!), readFileSync(join(frames, names[301]!)));
    writeFileSync(join(frames, names[1500]!), readFileSync(join(frames, names[1501]!)));
    const one = await runInProcess(['decode', frames]);
    expect(one.status, one.stderr).toBe(0);
    expect(one.stderr).toBe(`blinkup: warning: ${names[900]} is not a valid PNG (cut short or damaged): read as a missing frame\n`);
  });

  it('a constant-rate Y4M with repeated frames: the repeats are taken for missing frames and the packet decodes', async () => {
    const path = join(dir, 'clip.y4m');
    writeFileSync(path, constantRateY4m(clip.frames, clip.slots));
    const r = await runInProcess(['decode', path, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.report.missingFrames).toBe(clip.slots[clip.slots.length - 1]! + 1 - clip.slots.length);
    expect(JSON.stringify(out.packets)).toContain(JSON.stringify(clip.ssid));
    const text = await runInProcess(['decode', path]);
    expect(text.stdout).toContain(`${out.report.missingFrames} camera frames dropped or repeated, kept on the frame grid as missing`);
  });
});
