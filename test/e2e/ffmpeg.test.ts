/**
 * End to end through a real video codec: frames become an H.264 MP4 with Debian's ffmpeg, and
 * `ffmpeg -i clip.mp4 -pix_fmt gray -f yuv4mpegpipe - | blinkup decode -`, the command the docs
 * and the CLI's hints give, must read the payload back — the path a user takes with a phone
 * video. Two sources of frames:
 *
 *   - the encoder's PNG export at 30 fps, each frame shown for four frames of a 120 fps video
 *     (ffmpeg repeats them), with half a second of black before and after as a recording has;
 *   - the camera simulator filming 30 fps flashing at 120 fps (rolling shutter, exposure mixing,
 *     gamma, noise: four frames per level), written as Y4M and re-encoded by ffmpeg.
 *
 * The export is also encoded as the clips ffmpeg cannot write as Y4M in their own pixel format:
 * 10-bit H.264 (an HDR phone recording) and lossless VP9 (RGB: gbrp), which the command's
 * `-pix_fmt gray` turns into luma on the way.
 *
 * Both sample each flash level four times; a 60 fps camera filming 60 fps flashing (one mixed
 * sample per level) is the hard case the decoder's robustness sweeps measure instead.
 *
 * ffmpeg is /usr/bin/ffmpeg (BLINKUP_FFMPEG_PATH overrides). Where it is missing the tests skip
 * with a visible message, unless BLINKUP_REQUIRE_SYSTEM_TOOLS=1 (CI) turns the skip into a failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blinkup, runPipeline, type Step } from '../cli/pipeline.js';
import { runCli } from '../cli/run-cli.js';

const FFMPEG = process.env.BLINKUP_FFMPEG_PATH || '/usr/bin/ffmpeg';

function shouldRunFfmpegTests(): boolean {
  if (existsSync(FFMPEG)) return true;
  if (process.env.BLINKUP_REQUIRE_SYSTEM_TOOLS === '1') throw new Error(`ffmpeg round trip: ${FFMPEG} is missing and BLINKUP_REQUIRE_SYSTEM_TOOLS=1 requires it`);
  console.warn(`ffmpeg round trip: skipped — ${FFMPEG} not found (install Debian's ffmpeg package to run it)`);
  return false;
}

const dir = mkdtempSync(join(tmpdir(), 'blinkup-e2e-ffmpeg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PAYLOAD = { ssid: 'VideoNet', password: 'video secret 42', planId: '0123456789abcdef', token: '1122334455667788' };
const PAYLOAD_ARGS = ['--ssid', PAYLOAD.ssid, '--password', PAYLOAD.password, '--plan-id', PAYLOAD.planId, '--token', PAYLOAD.token];

/** Runs ffmpeg quietly and fails with its message. */
function ffmpeg(...args: string[]): void {
  const r = spawnSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
}

/** `ffmpeg -i clip -pix_fmt gray -f yuv4mpegpipe - | blinkup decode - …`, as documented. */
function decodeVideo(clip: string, ...decodeArgs: string[]): ReturnType<typeof runPipeline> {
  const toY4m: Step = { command: FFMPEG, args: ['-hide_banner', '-loglevel', 'error', '-i', clip, '-pix_fmt', 'gray', '-f', 'yuv4mpegpipe', '-'] };
  return runPipeline([toY4m, blinkup('decode', '-', ...decodeArgs)], { timeoutMs: 60_000 });
}

/** A 4:2:0 H.264 MP4 as phones and ffmpeg write them by default (limited range, lossy). */
const H264 = ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-crf', '18'];

/** The encoder's PNG export at 30 fps (made once). */
let exported: string | undefined;
async function exportFrames(): Promise<string> {
  if (exported === undefined) {
    const frames = join(dir, 'frames');
    const encoded = await runCli(['encode', ...PAYLOAD_ARGS, '--fps', '30', '--size', '64x48', '--out', frames]);
    expect(encoded.status, encoded.stderr).toBe(0);
    exported = frames;
  }
  return exported;
}

/** The export as a 120 fps clip encoded with `codec` (made once): each frame held for four video frames, half a second of black around it. */
async function exportClip(name: string, codec: readonly string[]): Promise<string> {
  const clip = join(dir, name);
  if (existsSync(clip)) return clip;
  ffmpeg('-framerate', '30', '-i', join(await exportFrames(), 'frame-%05d.png'), '-vf', 'tpad=start_duration=0.5:stop_duration=0.5:color=black', '-r', '120', ...codec, clip);
  expect(statSync(clip).size).toBeGreaterThan(10_000);
  return clip;
}

const TEN_BIT_H264 = ['-c:v', 'libx264', '-pix_fmt', 'yuv420p10le', '-crf', '18'];

describe.runIf(shouldRunFfmpegTests())('ffmpeg: frames → video → yuv4mpegpipe → blinkup decode -', () => {
  it('the PNG frame export, each frame held for four video frames', async () => {
    const clip = await exportClip('export.mp4', H264);

    const json = await decodeVideo(clip, '--json', '--show-secrets');
    expect(json.statuses, json.stderr.join('\n')).toEqual([0, 0]);
    const out = JSON.parse(json.stdout);
    expect(out.input).toMatchObject({ format: 'y4m', sampleRate: 120, timing: 'video header', frameSize: { width: 64, height: 48 } });
    expect(out.packets).toHaveLength(1);
    expect(out.packets[0]).toMatchObject({ kind: 'config', ...PAYLOAD });

    const human = await decodeVideo(clip);
    expect(human.statuses).toEqual([0, 0]);
    expect(human.stdout).toMatch(/^Video 64×48: region x,y,w,h = 0,0,64,48 found automatically \(100 % of the frame\)\n/);
    expect(human.stdout).toContain('SSID      "VideoNet"');
    expect(human.stdout).toContain('password  ***');
    expect(human.stdout).not.toContain(PAYLOAD.password);
    expect(human.stdout).not.toContain(PAYLOAD.token);
  });

  // ffmpeg refuses to write these as Y4M in their own pixel format ("not an official
  // yuv4mpegpipe pixel format"): the documented command must not depend on the clip's.
  it.each([
    ['10-bit H.264 (an HDR phone recording)', 'ten-bit.mp4', TEN_BIT_H264],
    ['lossless VP9 from PNGs (RGB, gbrp)', 'rgb.webm', ['-c:v', 'libvpx-vp9', '-lossless', '1']],
  ])('%s', async (_, name, codec) => {
    const clip = await exportClip(name, codec);
    const r = await decodeVideo(clip, '--json', '--show-secrets');
    expect(r.statuses, r.stderr.join('\n')).toEqual([0, 0]);
    const out = JSON.parse(r.stdout);
    expect(out.input).toMatchObject({ format: 'y4m', sampleRate: 120, frameSize: { width: 64, height: 48 } });
    expect(out.packets[0]).toMatchObject({ kind: 'config', ...PAYLOAD });
  });

  it('a pipe whose ffmpeg fails: blinkup points at its messages', async () => {
    const clip = await exportClip('ten-bit.mp4', TEN_BIT_H264);
    const toY4m: Step = { command: FFMPEG, args: ['-hide_banner', '-loglevel', 'error', '-i', clip, '-f', 'yuv4mpegpipe', '-'] };
    const r = await runPipeline([toY4m, blinkup('decode', '-')], { timeoutMs: 60_000 });
    expect(r.stderr[0]).toMatch(/pixel format/);
    expect(r.statuses[1]).toBe(2);
    expect(r.stderr[1]).toBe('blinkup: stdin is empty: the program feeding the pipe probably failed (look at its messages above)\n');
  });

  it('a simulated 120 fps camera filming 30 fps flashing', async () => {
    const raw = join(dir, 'camera.y4m');
    const simulated = await runCli(['simulate', ...PAYLOAD_ARGS, '--camera', '--camera-fps', '120', '--fps', '30', '--size', '64x48', '--out', raw, '--seed', '3']);
    expect(simulated.status, simulated.stderr).toBe(0);
    const clip = join(dir, 'camera.mp4');
    ffmpeg('-i', raw, ...H264, clip);

    const r = await decodeVideo(clip, '--json', '--show-secrets');
    expect(r.statuses, r.stderr.join('\n')).toEqual([0, 0]);
    const out = JSON.parse(r.stdout);
    expect(out.input).toMatchObject({ sampleRate: 120, frameSize: { width: 64, height: 48 } });
    // The screen is the middle 30 % × 30 % of the picture: the region found must lie on it.
    const { x, y, w, h } = out.input.region.roi;
    expect(x).toBeGreaterThanOrEqual(16);
    expect(y).toBeGreaterThanOrEqual(12);
    expect(x + w).toBeLessThanOrEqual(48);
    expect(y + h).toBeLessThanOrEqual(36);
    expect(out.packets[0]).toMatchObject({ kind: 'config', ...PAYLOAD });
  });
});
