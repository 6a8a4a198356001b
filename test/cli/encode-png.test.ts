/** PNG frame folders from `blinkup encode` and `blinkup example` (what `npm start` runs). */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { GOLDEN_VECTORS } from '../packet/vectors.js';
import { encodeArgs, runCli, runInProcess, stderrLines } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'blinkup-cli-png-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BASIC = GOLDEN_VECTORS[0]!;

/** RGBA of the first pixel and whether every pixel equals it. */
function solidColour(path: string): { rgba: number[]; solid: boolean; width: number; height: number } {
  const png = PNG.sync.read(readFileSync(path));
  const rgba = Array.from(png.data.subarray(0, 4));
  const solid = png.data.every((b, i) => b === rgba[i % 4]);
  return { rgba, solid, width: png.width, height: png.height };
}

describe('blinkup encode --format png', () => {
  it('writes frame-00001.png … with exact greys, the manifest, and one summary line', async () => {
    const cwd = mkdtempSync(join(root, 'encode-'));
    const r = await runCli([...encodeArgs(BASIC.input), '--size', '32x16'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    // Not a terminal: no progress bar, just the summary.
    expect(stderrLines(r)).toEqual(['854 frames (49-byte packet), 14.23 s on air at 60 fps on a 60 Hz display → frames/frame-00001.png … frame-00854.png (32x16) and frames/manifest.json']);

    const dir = join(cwd, 'frames'); // the default folder
    const files = readdirSync(dir);
    expect(files.filter((f) => /^frame-\d{5}\.png$/.test(f))).toHaveLength(854);
    const grey = [0, 0xbf, 0xff];
    for (const i of [1, 2, 54, 854]) {
      const level = Number(BASIC.frames[i - 1]);
      const v = grey[level]!;
      const c = solidColour(join(dir, `frame-${String(i).padStart(5, '0')}.png`));
      expect(c, `frame ${i}`).toEqual({ rgba: [v, v, v, 255], solid: true, width: 32, height: 16 });
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.levels).toBe(BASIC.frames);
    expect(manifest.files).toBe('frame-%05d.png');
    expect(manifest.payload.password).toBe('***');
  });

  it('shows a progress bar when stderr is a terminal, and clears it for the summary', async () => {
    const r = await runInProcess([...encodeArgs(BASIC.input), '--out', join(root, 'tty'), '--size', '2x2'], { stderrIsTTY: true });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('writing frames');
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(/854 frames .* → /);
  });
});

describe('blinkup example', () => {
  it('writes frames, manifest, CSV and C header to ./out and says where and how long', async () => {
    const cwd = mkdtempSync(join(root, 'example-'));
    const r = await runCli(['example'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/854 frames \(49-byte packet\), 14\.23 s on air at 60 fps/);
    for (const f of ['out/frame-00001.png', 'out/manifest.json', 'out/levels.csv', 'out/blinkup_levels.h']) expect(r.stdout).toContain(f);

    const out = join(cwd, 'out');
    expect(readdirSync(out).filter((f) => f.endsWith('.png'))).toHaveLength(854);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.levels).toBe(BASIC.frames); // the sample is the basic-wifi vector
    expect(manifest.packetHex).not.toContain('636f727265637420686f727365'); // "correct horse"
    expect(readFileSync(join(out, 'levels.csv'), 'utf8').split('\n')).toHaveLength(856);
    expect(readFileSync(join(out, 'blinkup_levels.h'), 'utf8')).toContain('#define BLINKUP_FRAME_COUNT 854u');
  });

  it('--show-secrets gives the SDK packet exactly', async () => {
    const out = join(root, 'example-secrets');
    const r = await runInProcess(['example', '--out', out, '--show-secrets']);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).packetHex).toBe(BASIC.packetHex);
    expect(existsSync(join(out, 'frame-00854.png'))).toBe(true);
  });
});
