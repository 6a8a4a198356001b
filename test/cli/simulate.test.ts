/**
 * `blinkup simulate`: captures `decode` reads back, channel flags that reach the simulator,
 * seeded determinism, no payload field in any header, and one-line errors.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess, expectUsageError, stderrLines, type CliResult } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'blinkup-cli-simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET_PASSWORD = 'sim-secret-pw';
const SECRET_TOKEN = 'abcdef0123456789';
const PAYLOAD = ['--ssid', 'SimNet', '--password', SECRET_PASSWORD, '--plan-id', '0011223344556677', '--token', SECRET_TOKEN];
const WIRED = ['--plan-id', '0011223344556677', '--token', SECRET_TOKEN];

async function simulate(...args: string[]): Promise<CliResult> {
  const r = await runInProcess(['simulate', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return r;
}

async function decodeFile(path: string, ...args: string[]): Promise<{ status: number; stdout: string; json: any }> {
  const r = await runInProcess(['decode', path, '--json', '--show-secrets', ...args]);
  return { status: r.status, stdout: r.stdout, json: r.stdout ? JSON.parse(r.stdout) : undefined };
}

/**
 * Decodes the capture at `path` as JSON and as text: it must give the one packet simulated, and the
 * text must name what the decoder did about the condition (`said`). Returns the JSON report.
 */
async function decodesAndSays(path: string, said: string): Promise<any> {
  const d = await decodeFile(path);
  expect(d.status).toBe(0);
  expect(d.json.packets.map((p: { ssid: string }) => p.ssid)).toEqual(['SimNet']);
  const text = await runInProcess(['decode', path]);
  expect(text.stdout).toContain(said);
  return d.json.report;
}

describe('photodiode captures', () => {
  it('CSV: a header naming the conditions, the rate and the full scale, then one column', async () => {
    const r = await simulate(...PAYLOAD, '--seed', '2');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^# blinkup simulate: photodiode capture; 60 fps on 60 Hz LCD .*; seed 2$/);
    expect(lines.slice(1, 4)).toEqual(['Sample Rate (Hz),1000', 'Full Scale,4095', 'value']);
    expect(lines[4]).toMatch(/^\d+$/);
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toContain(SECRET_PASSWORD);
      expect(text).not.toContain(SECRET_TOKEN);
      expect(text).not.toContain('SimNet');
    }
    expect(stderrLines(r as { status: number; stdout: string; stderr: string })).toEqual([
      expect.stringMatching(/^simulated \d+ samples \(\d+\.\d\d s\) of 1 transmission of \d+ frames; .* → stdout \(csv\)$/),
    ]);
  });

  it('the file decodes without options: the header gives the rate and the full scale', async () => {
    const path = join(dir, 'plain.csv');
    await simulate(...PAYLOAD, '--out', path);
    const d = await decodeFile(path);
    expect(d.status).toBe(0);
    expect(d.json.packets[0]).toMatchObject({ ssid: 'SimNet', password: SECRET_PASSWORD, token: SECRET_TOKEN });
    expect(d.json.input).toMatchObject({ timing: 'file header', sampleRate: 1000 });
    expect(d.json.report.fullScale).toBe(4095);
  });

  it('--timestamps writes time_s,value with the sampler clock', async () => {
    const path = join(dir, 'timed.csv');
    await simulate(...WIRED, '--timestamps', '--clock-ppm', '-20000', '--out', path);
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')[3]).toBe('time_s,value');
    expect(text.split('\n')[4]).toMatch(/^\d+\.\d{6},\d+$/);
    const d = await decodeFile(path);
    expect(d.status).toBe(0);
    expect(d.json.input.timing).toBe('time column');
    expect(d.json.packets[0].token).toBe(SECRET_TOKEN);
  });

  it.each([
    ['u16le', ['--bits', '10'], ['--rate', '1000']],
    ['f32le', ['--rate', '2000'], ['--rate', '2000']],
  ])('%s decodes back', async (format, simArgs, decodeArgs) => {
    const path = join(dir, `capture.${format}`);
    await simulate(...PAYLOAD, '--format', format, ...simArgs, '--out', path);
    const d = await decodeFile(path, ...decodeArgs);
    expect(d.status).toBe(0);
    expect(d.json.packets[0]).toMatchObject({ ssid: 'SimNet', password: SECRET_PASSWORD });
    if (format === 'u16le') expect(Math.max(...new Uint16Array(readFileSync(path).buffer.slice(0, 20000)))).toBeLessThanOrEqual(1023);
    if (format === 'f32le') expect(d.json.report.fullScale).toBe(1);
  });

  it('the same seed gives the same bytes; another seed does not', async () => {
    const a = await simulate(...WIRED, '--tier', 'hard', '--seed', '9');
    const b = await simulate(...WIRED, '--tier', 'hard', '--seed', '9');
    const c = await simulate(...WIRED, '--tier', 'hard', '--seed', '10');
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
    expect(a.stdout.split('\n')[0]).toContain('10-bit ADC'); // the hard tier's ADC
  });

  it('channel flags reach the simulator (and flags override the tier)', async () => {
    const r = await simulate(
      ...WIRED, '--tier', 'typical', '--fps', '30', '--swing', '0.2', '--noise', '2', '--ambient', '0.3', '--flicker', '120,0.5',
      '--drift', '0.02', '--step', '4,0.8', '--oled', '--pwm', '240,0.4', '--hold', '0.1', '--clock-ppm', '-15000', '--display-clock-ppm', '200',
      '--rate', '2000', '--bits', '14', '--grey', '9f', '--repeat', '2', '--sensor-tau', '0.7',
    );
    const header = r.stdout.split('\n')[0]!;
    for (const part of [
      '30 fps on 60 Hz OLED, PWM 240 Hz duty 0.4, grey #9f, held 0.1, display clock 200 ppm',
      'swing 0.2, ambient 0.3, flicker 120 Hz depth 0.5, drift 0.02/s, light × 0.8 from 4 s',
      'sensor 0.7 ms, 14-bit ADC noise 2 LSB, 2000 Hz clock -15000 ppm',
    ]) expect(header).toContain(part);
    expect(r.stderr).toContain('of 2 transmissions of');
  });
});

describe('a flasher that stalls', () => {
  it('--stall holds the level on screen longer; decode waits it out and says so', async () => {
    const path = join(dir, 'stalled.csv');
    const r = await simulate(...PAYLOAD, '--stall', '300,2', '--seed', '5', '--out', path);
    expect(r.stderr).toContain('2 stalls of 300 ms');
    const report = await decodesAndSays(path, 'the flasher stalled 2 times inside a transmission (waited out)');
    expect(report.flasherStalls).toBe(2);
  });
});

describe('light that steps', () => {
  it('--step dims the screen from a moment on (a shadow); decode follows the step', async () => {
    const path = join(dir, 'stepped.csv');
    const r = await simulate(...PAYLOAD, '--step', '5,0.7', '--seed', '2', '--out', path);
    expect(r.stderr).toContain('light × 0.7 from 5 s');
    const report = await decodesAndSays(path, 'the light stepped once inside a transmission');
    expect(report.lightSteps).toBe(1);
  });
});

describe('a lamp that flickers at the mains frequency itself', () => {
  it('--flicker 50,0.1: its ripple in the dark passes for a preamble until the flash; decode says so, and decodes', async () => {
    const path = join(dir, 'lamp.csv');
    await simulate(...PAYLOAD, '--flicker', '50,0.1', '--seed', '4', '--out', path);
    const report = await decodesAndSays(path, 'ripple at 50 Hz in the dark passed for a preamble');
    expect(report.rippleRuns).toBeGreaterThanOrEqual(1);
    // Its rate as the sampler's clock counts it, to 0.1 Hz (the rate is a period's inverse, no finer).
    expect(report.rippleHz).toBeCloseTo(50, -0.5);
    expect(report.rippleHz * 10).toBe(Math.round(report.rippleHz * 10));
  });
});

describe('a panel whose driver steps its light over several refreshes', () => {
  it('--staged 3: decodes at 20 fps; at 60 fps a white shows no brighter than a grey, and nothing (no wrong packet) decodes', async () => {
    const slow = join(dir, 'staged-20.csv');
    const r = await simulate(...PAYLOAD, '--oled', '--staged', '3', '--fps', '20', '--seed', '3', '--out', slow);
    expect(r.stderr).toContain('20 fps on 60 Hz OLED stepping over 3 refreshes');
    const d = await decodeFile(slow);
    expect(d.status).toBe(0);
    expect(d.json.packets.map((p: { ssid: string }) => p.ssid)).toEqual(['SimNet']);
    const fast = join(dir, 'staged-60.csv');
    await simulate(...PAYLOAD, '--oled', '--staged', '3', '--fps', '60', '--seed', '3', '--out', fast);
    const none = await decodeFile(fast);
    expect(none.status).toBe(1);
    expect(none.json.packets).toEqual([]);
  });
});

describe('a logger that loses samples', () => {
  it('--gaps leaves holes the timestamps show; decode erases the bits they swallowed and fills them in', async () => {
    const path = join(dir, 'gaps.csv');
    const r = await simulate(...PAYLOAD, '--timestamps', '--gaps', '0.15,30', '--seed', '3', '--out', path);
    expect(r.stderr).toContain('losing samples 0.15/s for about 30 ms');
    const d = await decodeFile(path);
    expect(d.status).toBe(0);
    expect(d.json.packets.map((p: { quality: { erasedBits: number } }) => p.quality.erasedBits)).toEqual([2]);
    const text = await runInProcess(['decode', path]);
    expect(text.stdout).toContain('2 bits erased where samples were missing');
  });

  it('says how many bits a transmission lost when they were too many to fill in', async () => {
    const path = join(dir, 'gaps-lost.csv');
    await simulate(...PAYLOAD, '--timestamps', '--gaps', '0.15,30', '--seed', '2', '--out', path);
    const text = await runInProcess(['decode', path]);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/failed: .*\n {2}quality {3}bit confidence 0\.00 min, 0\.\d\d mean, 3 bits erased where samples were missing\n/);
    expect(text.stdout + text.stderr).not.toContain(SECRET_PASSWORD);
  });
});

describe('secrets from the environment or a file', () => {
  it('BLINKUP_PASSWORD and BLINKUP_TOKEN reach the capture, and nothing prints them', async () => {
    const path = join(dir, 'env.csv');
    const env = { BLINKUP_PASSWORD: 'env-secret-pw', BLINKUP_TOKEN: '0123012301230123' };
    const r = await runInProcess(['simulate', '--ssid', 'EnvNet', '--plan-id', '0011223344556677', '--out', path], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr + readFileSync(path, 'utf8')).not.toMatch(/env-secret-pw|0123012301230123/);
    const d = await decodeFile(path);
    expect(d.json.packets[0]).toMatchObject({ password: 'env-secret-pw', token: '0123012301230123' });
  });

  it('--password-file -: the password on stdin', async () => {
    const r = await runInProcess(['simulate', '--ssid', 'StdinNet', '--password-file', '-', ...WIRED], { input: 'stdin-secret\n' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('stdin-secret');
  });
});

describe('camera clips', () => {
  it('y4m on stdout, ready for `decode -`', async () => {
    const r = await runInProcess(['simulate', '--clear', '--camera', '--camera-fps', '120', '--fps', '30', '--size', '32x24', '--exposure', '0.5']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.startsWith('YUV4MPEG2 W32 H24 F120:1 ')).toBe(true);
    expect(stderrLines(r)[0]).toMatch(/^simulated \d+ frames of 32x24 .* camera 120 fps exposure 0\.5 .* → stdout \(y4m\)$/);
    expect(r.stderr).not.toContain('the hardest case');
  });

  it('says when every camera frame mixes two flashed frames (the defaults: 60 fps filming 60 fps)', async () => {
    const r = await runInProcess(['simulate', '--clear', '--camera', '--size', '16x12', '--out', join(dir, 'mixed.y4m')]);
    expect(r.status, r.stderr).toBe(0);
    expect(stderrLines(r)[0]).toContain('(every camera frame mixes two flashed frames at 60 fps filming 60 fps, the hardest case: film at 120 fps or more, or flash slower)');
  });

  it('a y4m file and a png folder decode back', async () => {
    const clip = join(dir, 'clip.y4m');
    await simulate('--clear', '--camera', '--camera-fps', '120', '--fps', '30', '--size', '32x24', '--out', clip);
    expect((await decodeFile(clip)).json.packets[0]).toMatchObject({ kind: 'clear' });
    const frames = join(dir, 'png');
    await simulate('--clear', '--camera', '--camera-fps', '120', '--fps', '30', '--size', '32x24', '--format', 'png', '--out', frames);
    const names = readdirSync(frames);
    expect(names).toContain('frame-00001.png');
    expect(names).toContain('times');
    expect((await decodeFile(frames)).json.packets[0]).toMatchObject({ kind: 'clear' });
  });
});

describe('bad usage: exit 2, one line', () => {
  it.each<[string, string[], RegExp]>([
    ['--swing with --camera', [...WIRED, '--camera', '--swing', '0.3'], /--swing applies only without --camera/],
    ['--camera-fps without --camera', [...WIRED, '--camera-fps', '240'], /--camera-fps applies only with --camera/],
    ['a camera tier without --camera', [...WIRED, '--tier', 'cam60on60'], /--tier cam60on60 is a camera tier: add --camera/],
    ['a photodiode tier with --camera', [...WIRED, '--camera', '--tier', 'hard'], /--tier hard is a photodiode tier; with --camera use cam240on60/],
    ['an unknown tier', [...WIRED, '--tier', 'easy'], /Allowed choices are typical, hard, swing005, flicker, pwmwide, slowlcd, cam240on60/],
    ['two panels', [...WIRED, '--lcd', '3,10', '--oled'], /--lcd and --oled describe different panels/],
    ['a half pair', [...WIRED, '--pwm', '240'], /--pwm .* expected two numbers separated by a comma, e.g. 240,0.5/],
    ['a negative stall', [...WIRED, '--stall', '-5,1'], /--stall .* both numbers must be 0 or more, e.g. 200,1/],
    ['logger gaps in a video', [...WIRED, '--camera', '--gaps', '0.1,30'], /--gaps applies only without --camera/],
    ['a step in a video', [...WIRED, '--camera', '--step', '5,0.7'], /--step applies only without --camera/],
    ['a sensor time constant in a video', [...WIRED, '--camera', '--sensor-tau', '1.5'], /--sensor-tau applies only without --camera/],
    ['a sensor slower than a second', [...WIRED, '--sensor-tau', '2000'], /--sensor-tau \(sensorTauMs\) must be a number in \[0, 1000\] \(got 2000\)/],
    ['a step to darkness', [...WIRED, '--step', '5,0'], /--step \(stepGain\) must be a number in \[0.01, 100\] \(got 0\)/],
    ['a probability above 0.95', [...WIRED, '--hold', '2'], /--hold \(heldLevelProbability\) must be a number in \[0, 0\.95\] \(got 2\)/],
    ['a duty above 1', [...WIRED, '--pwm', '240,1.5'], /--pwm \(pwmDuty\) must be a number/],
    ['timestamps in a raw format', [...WIRED, '--timestamps', '--format', 'u16le', '--out', join(dir, 't.u16le')], /--timestamps writes a time column: u16le has none, use --format csv/],
    ['a fraction of a stall', [...WIRED, '--stall', '200,1.5'], /--stall \(stalls\) must be an integer in \[0, 1000\] \(got 1.5\)/],
    ['a driver stepping over 20 refreshes', [...WIRED, '--oled', '--staged', '20'], /--staged \(stagedRefreshes\) must be an integer in \[1, 10\] \(got 20\)/],
    ['a stall of an hour', [...WIRED, '--stall', '3600000,1'], /--stall \(stallS\) must be a number in \[0, 60\]/],
    ['a signed value where none is allowed', [...WIRED, '--swing', '-1'], /--swing .* expected a number/],
    ['too many repeats', [...WIRED, '--repeat', '1000'], /--repeat must be 1–100/],
    ['a capture too big', [...WIRED, '--rate', '1000000', '--repeat', '100'], /the capture would hold about \d+ samples, over the limit of 33554432/],
    ['a clip too big', [...WIRED, '--camera', '--size', '4096x4096'], /the clip would be about \d+ frames of 4096x4096/],
    ['a video format without --camera', [...WIRED, '--format', 'y4m'], /--format y4m is a video format: add --camera/],
    ['csv with --camera', [...WIRED, '--camera', '--format', 'csv'], /--camera writes y4m or png, not csv/],
    ['png without a folder', [...WIRED, '--camera', '--format', 'png'], /png frames need a folder: give --out <dir>/],
    ['u16le for a 20-bit ADC', [...WIRED, '--format', 'u16le', '--bits', '20', '--out', join(dir, 'x.u16le')], /u16le holds codes up to 65535/],
    ['a flashing rate the display cannot show', [...WIRED, '--fps', '45'], /45 fps cannot be shown on a 60 Hz display/],
    ['no payload', ['--seed', '1'], /missing --plan-id/],
    // A panel as CHANNEL.md has them: an LCD's backlight is dimmed at kHz, slower PWM dims an OLED.
    ['slow PWM on an LCD', [...WIRED, '--pwm', '240,0.3'], /--pwm \(pwmHz\) must be 0 or at least 1000 on an LCD, whose backlight is dimmed at kHz \(PWM at 240 Hz dims an OLED\)/],
    // Flags that would be said to be there while doing nothing.
    ['PWM at 0 Hz', [...WIRED, '--oled', '--pwm', '0,0.5'], /--pwm: the frequency must be above 0 Hz/],
    ['flicker at 0 Hz', [...WIRED, '--flicker', '0,0.5'], /--flicker: the frequency must be above 0 Hz/],
    ['a stall shorter than a refresh', [...WIRED, '--stall', '5,1'], /--stall \(stallS\) must be 0 or at least one refresh \(16\.7 ms at 60 Hz\)/],
    ['a seed beyond 32 bits (it would repeat a smaller one)', [...WIRED, '--seed', '4294967301'], /the seed must be 0–4294967295/],
    ['a --refresh the rate a tier drew cannot be shown on', [...WIRED, '--tier', 'typical', '--seed', '2', '--refresh', '60'], /120 fps cannot be shown on a 60 Hz display .*\(--tier typical drew 120 fps: give --fps too\)$/],
  ])('%s', async (_, args, message) => {
    const r = await runInProcess(['simulate', ...args]);
    expectUsageError(r, message);
  });

  it('a refusal of the output format leaves no file behind (checked before the file is opened)', async () => {
    const path = join(dir, 'never.u16le');
    expectUsageError(await runInProcess(['simulate', ...WIRED, '--format', 'u16le', '--bits', '20', '--out', path]), /u16le holds codes up to 65535/);
    expect(existsSync(path)).toBe(false);
  });
});

describe('physically consistent panels and honest summaries', () => {
  it('says when the light drives the sensor into its rail, and where PWM bursts peak', async () => {
    const r = await simulate(...WIRED, '--oled', '--pwm', '240,0.2', '--seed', '2', '--out', join(dir, 'clipped.csv'));
    expect(stderrLines(r)[0]).toMatch(/^blinkup: note: the sensor saturates in \d+\.\d % of the samples \(its rail is at 0\.95 of full scale; PWM bursts peak at the swing ÷ the on-time, 2 of full scale\)$/);
    const quiet = await simulate(...WIRED, '--out', join(dir, 'unclipped.csv'));
    expect(stderrLines(quiet)).toHaveLength(1);
  });

  it("--lcd over a tier that drew a PWM-dimmed OLED drops the OLED's PWM", async () => {
    const r = await simulate(...WIRED, '--tier', 'hard', '--seed', '5', '--lcd', '3,10', '--out', join(dir, 'lcd-over-tier.csv'));
    expect(r.stderr).toContain('LCD rise 3 ms fall 10 ms');
    expect(r.stderr).not.toContain('PWM');
  });

  it("--refresh over a tier scales the LCD time constants it drew, as a faster panel's pixels are", async () => {
    const at = async (refresh: string[]): Promise<number[]> => {
      const r = await simulate(...WIRED, '--tier', 'slowlcd', '--seed', '3', '--fps', '60', ...refresh, '--out', join(dir, 'rescaled.csv'));
      const m = /LCD rise ([\d.]+) ms fall ([\d.]+) ms/.exec(r.stderr)!;
      return [Number(m[1]), Number(m[2])];
    };
    const [rise60, fall60] = await at(['--refresh', '60']);
    const [rise120, fall120] = await at(['--refresh', '120']);
    expect(rise120).toBeCloseTo(rise60 / 2, 1);
    expect(fall120).toBeCloseTo(fall60 / 2, 1);
  });

  it('a png clip written over a longer one leaves none of its frames behind', async () => {
    const frames = join(dir, 'over');
    await simulate('--clear', '--camera', '--camera-fps', '120', '--fps', '30', '--size', '16x12', '--format', 'png', '--out', frames);
    const before = readdirSync(frames).length;
    await simulate('--clear', '--camera', '--camera-fps', '60', '--fps', '30', '--size', '16x12', '--format', 'png', '--out', frames);
    const after = readdirSync(frames).filter((f) => f.endsWith('.png')).length;
    expect(after).toBeLessThan(before - 1);
    expect(readFileSync(join(frames, 'times'), 'utf8').trimEnd().split('\n')).toHaveLength(after);
    expect((await decodeFile(frames)).json.packets[0]).toMatchObject({ kind: 'clear' });
  });
});
