/**
 * `blinkup decode` as a user runs it: every capture format from fixtures/captures (index.json
 * says what each carries), stdin, PNG folders, the human and --json outputs with their secrets
 * masked, and the exit status with its one-line reason.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatePhotodiode } from '../../src/channel/index.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import type { Payload } from '../../src/packet/types.js';
import { blinkup, runPipeline } from './pipeline.js';
import { runCli, runInProcess, expectUsageError, stderrLines, type CliResult } from './run-cli.js';

interface Fixture {
  file: string;
  description: string;
  payload: Payload;
  decodeArgs: string[];
}

const FIXTURE_DIR = new URL('../../fixtures/captures/', import.meta.url);
const FIXTURES: Fixture[] = JSON.parse(readFileSync(new URL('index.json', FIXTURE_DIR), 'utf8')).fixtures;
const fixturePath = (file: string): string => new URL(file, FIXTURE_DIR).pathname;
const fixture = (file: string): Fixture => FIXTURES.find((f) => f.file === file)!;
const packetHex = (p: Payload): string => Buffer.from(encodePacket(p)).toString('hex');

const dir = mkdtempSync(join(tmpdir(), 'blinkup-cli-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The secret values a payload carries (non-empty ones). */
function secretsOf(p: Payload): string[] {
  if (p.kind === 'clear') return [];
  return [p.password, p.token, p.proxy?.password ?? ''].filter((s) => s !== '');
}

function expectNoSecrets(r: CliResult, p: Payload): void {
  for (const secret of [...secretsOf(p), p.kind === 'clear' ? '' : packetHex(p)].filter((s) => s !== '')) {
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
}

describe('every fixture decodes to the payload it carries', () => {
  it.each(FIXTURES.map((f) => [f.file, f] as const))('%s (human output)', async (_, f) => {
    const r = await runInProcess(['decode', fixturePath(f.file), ...f.decodeArgs]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^(Video .*\n)?Packet 1 at \d+\.\d\d–\d+\.\d\d s/);
    expect(r.stdout).toMatch(/quality +bit confidence \d\.\d\d min, \d\.\d\d mean, grey\/white gap \d\.\d\d of the swing, \d+ bits? repaired/);
    expect(r.stdout).toMatch(/^Signal: \d+ samples in \d+\.\d\d s at [\d.]+ Hz/m);
    const p = f.payload;
    if (p.kind === 'clear') {
      expect(r.stdout).toContain("clear the device's network configuration");
    } else {
      expect(r.stdout).toContain(`plan id   ${p.planId}`);
      expect(r.stdout).toContain('token     ***');
      expect(r.stdout).toContain(p.ssid ? `SSID      "${p.ssid}"` : 'SSID      (none: a wired device)');
      if (p.password) expect(r.stdout).toContain('password  ***');
    }
    expectNoSecrets(r, p);
  });

  it.each(FIXTURES.map((f) => [f.file, f] as const))('%s (--json, secrets masked, then shown)', async (_, f) => {
    const masked = await runInProcess(['decode', fixturePath(f.file), ...f.decodeArgs, '--json']);
    expect(masked.status, masked.stderr).toBe(0);
    const out = JSON.parse(masked.stdout);
    expect(Object.keys(out)).toEqual(['input', 'packets', 'failures', 'report']);
    const p = f.payload;
    const packet = out.packets[0];
    expect(packet.packetHex).toBe('***');
    if (p.kind === 'clear') {
      expect(packet.kind).toBe('clear');
    } else {
      expect(packet).toMatchObject({ kind: 'config', ssid: p.ssid, planId: p.planId, token: '***', password: p.password ? '***' : '' });
      if (p.proxy) expect(packet.proxy).toEqual({ ...p.proxy, password: '***' });
      if (p.staticIp) expect(packet.staticIp).toEqual(p.staticIp);
    }
    expect(packet.startS).toBeLessThan(packet.endS);
    expect(packet.quality).toMatchObject({ repairedBits: expect.any(Number), combinedTransmissions: 1 });
    expect(packet.quality.minConfidence).toBeGreaterThan(0);
    expectNoSecrets(masked, p);

    const shown = JSON.parse((await runInProcess(['decode', fixturePath(f.file), ...f.decodeArgs, '--json', '--show-secrets'])).stdout);
    expect(shown.packets[0].packetHex).toBe(packetHex(p));
    if (p.kind !== 'clear') expect(shown.packets[0]).toMatchObject({ password: p.password, token: p.token });
  });
});

describe('--json', () => {
  it('reports the input, the timing it used and the signal', async () => {
    const f = fixture('photodiode-timestamps.csv');
    const out = JSON.parse((await runInProcess(['decode', fixturePath(f.file), '--json'])).stdout);
    expect(out.input).toMatchObject({ format: 'csv', timing: 'time column', samples: expect.any(Number) });
    expect(out.input.sampleRate).toBeGreaterThan(490);
    expect(out.input.sampleRate).toBeLessThan(520);
    expect(out.failures).toEqual([]);
    for (const key of ['black', 'grey', 'white', 'swingFraction', 'fullScale', 'noiseRms', 'snrDb', 'greyWhiteSeparation', 'marginSigmas', 'saturationFraction', 'fps', 'clockErrorPpm', 'heldLevels']) {
      expect(out.report).toHaveProperty(key);
    }
    expect(out.report.fullScale).toBe(4095); // inferred: the smallest common ADC range holding the largest code
    expect(out.report.nominalFps).toBe(60);
  });

  it('a video: the region it measured', async () => {
    const out = JSON.parse((await runInProcess(['decode', fixturePath('camera.y4m'), '--json'])).stdout);
    expect(out.input).toMatchObject({ format: 'y4m', sampleRate: 120, timing: 'video header', frameSize: { width: 8, height: 6 } });
    expect(out.input.region).toMatchObject({ roi: { x: 0, y: 0, w: 8, h: 6 }, automatic: true });
    const given = JSON.parse((await runInProcess(['decode', fixturePath('camera.y4m'), '--json', '--roi', '2,1,4,4'])).stdout);
    expect(given.input.region).toMatchObject({ roi: { x: 2, y: 1, w: 4, h: 4 }, automatic: false, coverage: 16 / 48 });
  });

  it('a video scaled down small (32×24): the search still finds the patch, not the whole frame', async () => {
    // At 8-pixel blocks such a frame had 4×3 of them, the patch straddled four, and the search
    // took the whole frame, where the flash was too diluted to decode.
    const video = join(dir, 'tiny.y4m');
    const made = await runInProcess(['simulate', '--plan-id', '0123456789abcdef', '--token', 'fedcba9876543210', '--camera', '--camera-fps', '240', '--size', '32x24', '--seed', '2', '--out', video]);
    expect(made.status, made.stderr).toBe(0);
    const out = JSON.parse((await runInProcess(['decode', video, '--json'])).stdout);
    expect(out.packets).toHaveLength(1);
    expect(out.input.region.automatic).toBe(true);
    expect(out.input.region.coverage).toBeLessThan(0.2);
  });

  // A time column in another unit (an Arduino's micros()) is refused with "give --rate <Hz>";
  // following that advice must time the samples by --rate, not by the column read as seconds.
  it('--rate overrides a time column: the report is timed by the rate', async () => {
    const lines = readFileSync(fixturePath('photodiode-timestamps.csv'), 'utf8').trim().split('\n').slice(1);
    const micros = lines.map((line) => {
      const [t, v] = line.split(',');
      return `${Math.round(Number(t) * 1e6)},${v}`;
    });
    const file = join(dir, 'micros.csv');
    writeFileSync(file, `${micros.join('\n')}\n`);
    const refused = await runInProcess(['decode', file]);
    expect(stderrLines(refused)[0]).toMatch(/give --rate <Hz>/);
    const out = JSON.parse((await runInProcess(['decode', file, '--rate', '500', '--json'])).stdout);
    expect(out.input).toMatchObject({ timing: '--rate', sampleRate: 500 });
    expect(out.packets).toHaveLength(1);
    expect(out.packets[0].endS).toBeLessThan(out.input.durationS);
    expect(out.input.durationS).toBeCloseTo(micros.length / 500, 0);
    expect(out.report.nominalFps).toBe(60);
  });

  // With --roi each frame reaches the decoder as its own one-sample chunk; the automatic region
  // hands over the frames examined in one chunk. Both must decode alike.
  it('a given region covering the whole frame decodes like the automatic one, frame by frame', async () => {
    const given = JSON.parse((await runInProcess(['decode', fixturePath('camera.y4m'), '--json', '--roi', '0,0,8,6'])).stdout);
    expect(given.packets).toHaveLength(1);
  });
});

describe('stdin', () => {
  it('CSV on stdin with --rate', async () => {
    const r = await runInProcess(['decode', '-', '--rate', '1000'], { input: readFileSync(fixturePath('photodiode.csv')) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('SSID      "HomeNetwork"');
  });

  it('a Y4M stream on stdin is recognised by its first bytes', async () => {
    const r = await runCli(['decode', '-'], { input: readFileSync(fixturePath('camera.y4m')) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Video 8×6: region x,y,w,h = 0,0,8,6 found automatically/);
    expect(r.stdout).toContain('plan id   deadbeefcafef00d');
  });

  it('--fps that replaces a Y4M header\'s rate says so (the header is usually right)', async () => {
    const r = await runInProcess(['decode', fixturePath('camera.y4m'), '--fps', '97']);
    expect(r.stderr).toMatch(/^blinkup: warning: --fps 97 replaces the \d+ fps of .*camera\.y4m's header\n/);
  });

  it('a Y4M cut off mid-frame (ffmpeg stopped) gives the packets before the cut, and a warning', async () => {
    const whole = readFileSync(fixturePath('camera.y4m'));
    const r = await runInProcess(['decode', '-'], { input: whole.subarray(0, whole.length - 20) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('plan id   deadbeefcafef00d');
    expect(r.stderr).toMatch(/^blinkup: warning: Y4M frame \d+ is truncated: \d+ of 48 bytes; the video ends with frame \d+\n$/);
  });

  it('nothing on stdin: the program feeding the pipe failed, and said why above', async () => {
    for (const args of [['decode', '-'], ['analyze', '-'], ['decode', '-', '--format', 'u16le', '--rate', '1000']]) {
      const r = await runInProcess(args, { input: new Uint8Array(0) });
      expect(r.status).toBe(2);
      expect(stderrLines(r)).toEqual(['blinkup: stdin is empty: the program feeding the pipe probably failed (look at its messages above)']);
    }
  });

  it('a Y4M with a damaged FRAME line gives the packets before it, and a warning naming the frame (file and stdin)', async () => {
    const damaged = Buffer.from(readFileSync(fixturePath('camera.y4m')));
    damaged.write('FRAMX', damaged.lastIndexOf('FRAME\n')); // the last frame's line, overwritten
    const path = join(dir, 'damaged.y4m');
    writeFileSync(path, damaged);
    for (const r of [await runInProcess(['decode', path]), await runInProcess(['decode', '-'], { input: damaged })]) {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('plan id   deadbeefcafef00d');
      expect(r.stderr).toBe('blinkup: warning: Y4M frame 1711 does not start with FRAME; the video ends with frame 1710\n');
    }
  });

  it('raw samples on stdin with --format', async () => {
    const r = await runInProcess(['decode', '-', '--format', 'u16le', '--rate', '800'], { input: readFileSync(fixturePath('photodiode.u16le')) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('proxy     px.lan:3128 user "u" password ***');
  });

  it('simulate | decode - --rate 1000 through a real pipe', async () => {
    const payload = ['--ssid', 'PipeNet', '--password', 'pipe-secret-1', '--plan-id', '0123456789abcdef', '--token', '00000000deadbeef'];
    const r = await runPipeline([blinkup('simulate', ...payload, '--seed', '5'), blinkup('decode', '-', '--rate', '1000')]);
    expect(r.statuses).toEqual([0, 0]);
    expect(r.stdout).toContain('SSID      "PipeNet"');
    expect(r.stdout).toContain('plan id   0123456789abcdef');
    for (const text of [r.stdout, ...r.stderr]) {
      expect(text).not.toContain('pipe-secret-1');
      expect(text).not.toContain('00000000deadbeef');
    }
  });
});

describe('what the decoder took out of the signal', () => {
  it('room-light flicker it cancelled: in the text and the JSON report', async () => {
    const file = join(dir, 'flicker.csv');
    const payload = ['--plan-id', '0123456789abcdef', '--token', '00000000deadbeef'];
    expect((await runInProcess(['simulate', ...payload, '--ambient', '0.6', '--flicker', '100,0.9', '--out', file])).status).toBe(0);
    const text = await runInProcess(['decode', file]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/room-light flicker at (99|100)\.\d Hz cancelled \(\d+ peak-to-peak\)/);
    const json = JSON.parse((await runInProcess(['decode', file, '--json'])).stdout);
    expect(json.report.flickerHz).toBeCloseTo(100, 0);
    // 0.6 of a 0.4 swing of 4095, 90 % deep: about 885 codes of amplitude
    expect(json.report.flickerAmplitude).toBeGreaterThan(700);
    expect(json.report.flickerAmplitude).toBeLessThan(1100);
  });

  it('nothing when there was nothing to take out', async () => {
    const file = join(dir, 'steady-room.csv');
    const payload = ['--plan-id', '0123456789abcdef', '--token', '00000000deadbeef'];
    expect((await runInProcess(['simulate', ...payload, '--flicker', '100,0', '--out', file])).status).toBe(0);
    const r = await runInProcess(['decode', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/flicker|dropped/);
  });
});

describe('PNG frame folders', () => {
  const frames = join(dir, 'frames');
  beforeAll(async () => {
    const r = await runInProcess(['simulate', '--clear', '--camera', '--camera-fps', '120', '--fps', '30', '--size', '32x24', '--format', 'png', '--out', frames]);
    expect(r.status, r.stderr).toBe(0);
  });

  it('times file in the folder: no --fps needed', async () => {
    const r = await runInProcess(['decode', frames]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Video 32×24: region .* found automatically/);
    expect(r.stdout).toContain("clear the device's network configuration");
    expect(r.stdout).toContain('at 120 Hz (times file)');
  });

  it('--fps overrides it', async () => {
    const r = await runInProcess(['decode', frames, '--fps', '120', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).input).toMatchObject({ format: 'png', timing: '--fps', sampleRate: 120 });
    expect(r.stderr).toMatch(/^blinkup: warning: --fps 120 replaces the frame times in .*frames\/times\n$/);
  });

  it('a PNG without a frame number among the frames is left out, with a warning', async () => {
    const withCover = join(dir, 'frames-cover');
    cpSync(frames, withCover, { recursive: true });
    cpSync(join(frames, 'frame-00001.png'), join(withCover, 'cover.png'));
    const r = await runInProcess(['decode', withCover]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('blinkup: warning: left out 1 PNG file without a frame number (cover.png)\n');
  });
});

describe('no packet: exit 1 and the reason in one line', () => {
  function csv(name: string, values: ArrayLike<number>, header = 'Sample Rate (Hz),1000\nFull Scale,4095\nvalue\n'): string {
    const path = join(dir, name);
    writeFileSync(path, header + Array.from(values, (v) => String(v)).join('\n') + '\n');
    return path;
  }

  it('a steady, faint signal: no preamble, and what to change', async () => {
    let seed = 7;
    const values = Array.from({ length: 5000 }, () => 2000 + ((seed = (seed * 48271) % 2147483647) % 7));
    const r = await runCli(['decode', csv('faint.csv', values)]);
    expect(r.status).toBe(1);
    expect(stderrLines(r)).toEqual([
      'blinkup: no packet decoded: no preamble found in 5.0 s of signal; signal swing is 0.001 of full scale: raise the gain (a larger load resistor) or move the sensor closer to the screen',
    ]);
    expect(r.stdout).toContain('no preamble found: levels unknown');
  });

  it('a capture too short to hold a transmission', async () => {
    const r = await runInProcess(['decode', csv('short.csv', Array.from({ length: 800 }, (_, i) => (i % 40 < 20 ? 500 : 2500)))]);
    expect(r.status).toBe(1);
    expect(stderrLines(r)[0]).toMatch(/^blinkup: no packet decoded: no preamble found in 0\.8 s of signal; the capture is only 0\.8 s long/);
  });

  it('transmissions whose CRC fails are counted, their bytes not shown', async () => {
    const packet = encodePacket({ ssid: 'Broken', password: 'crc-secret', planId: '0123456789abcdef', token: '1111222233334444' });
    packet[packet.length - 1]! ^= 0xff; // a wrong CRC, sent twice
    const capture = simulatePhotodiode(toLevels(packet), { repeat: 2, heldLevelProbability: 0 }, 3);
    const path = csv('bad-crc.csv', capture.samples);
    const r = await runInProcess(['decode', path]);
    expect(r.status).toBe(1);
    expect(stderrLines(r)).toEqual(['blinkup: no packet decoded: CRC failed on 2 transmissions; every bit was read clearly, so the packet fails its check as it was sent: check the app or fixture that makes it']);
    expect(r.stdout.match(/^Transmission at .* failed: .*\(CRC_MISMATCH\)$/gm)).toHaveLength(2);
    expect(r.stdout + r.stderr).not.toContain('crc-secret');
    const json = JSON.parse((await runInProcess(['decode', path, '--json'])).stdout);
    expect(json.packets).toEqual([]);
    expect(json.failures).toHaveLength(2);
    expect(json.failures[0]).toMatchObject({ type: 'crc-failure', code: 'CRC_MISMATCH', packetHex: '***' });
    const shown = await runInProcess(['decode', path, '--show-secrets']);
    expect(shown.stdout).toContain(`received  ${Buffer.from(packet).toString('hex')}`);
  });
});

describe('--invert: a sensor that reads lower for more light', () => {
  const payload: Payload = { kind: 'config', ssid: 'Upside', password: 'down-secret', planId: '0123456789abcdef', token: 'fedcba9876543210' };
  const capture = simulatePhotodiode(toLevels(encodePacket(payload)), {}, 5);
  const inverted = Array.from(capture.samples, (v) => capture.fullScale - v);
  const write = (name: string, header: string): string => {
    const path = join(dir, name);
    writeFileSync(path, header + inverted.join('\n') + '\n');
    return path;
  };

  it('decodes a file turned over by itself, and says so; with --invert in one reading; the full scale from the header or inferred', async () => {
    for (const path of [write('inverted.csv', `Sample Rate (Hz),1000\nFull Scale,${capture.fullScale}\nvalue\n`), write('inverted-bare.csv', 'value\n')]) {
      for (const flags of [[], ['--invert']]) {
        const r = await runInProcess(['decode', path, '--rate', '1000', ...flags, '--json']);
        expect(r.status, r.stderr).toBe(0);
        const json = JSON.parse(r.stdout);
        expect(json.packets).toHaveLength(1);
        expect(json.packets[0]).toMatchObject({ ssid: 'Upside', planId: payload.planId, password: '***' });
        // Only the reading that found the capture upside down by itself says so.
        expect(json.input.inverted).toBe(flags.length === 0 ? true : undefined);
        // The levels are light again: black below grey below white, in the ADC's range.
        const { black, grey, white } = json.report;
        expect(black).toBeLessThan(grey);
        expect(grey).toBeLessThan(white);
        expect(json.report.fullScale).toBe(capture.fullScale);
      }
      const text = await runInProcess(['decode', path, '--rate', '1000']);
      expect(text.status).toBe(0);
      expect(text.stdout).toMatch(/^Packet 1 at /);
      expect(text.stdout).toContain('Read turned over: more light gave lower values (a sensor pulling its output down); --invert says so and reads the capture once\nSignal: ');
      expect(text.stdout).not.toContain('down-secret');
    }
  });

  it('a capture in volts, turned over by itself, is read against no full scale (volts imply none)', async () => {
    const path = join(dir, 'inverted-volts.csv');
    writeFileSync(path, `time_s,volts\n${Array.from(capture.samples, (v, i) => `${(i / 1000).toFixed(3)},${(3.3 - (3.3 * v) / capture.fullScale).toFixed(6)}`).join('\n')}\n`);
    const r = await runInProcess(['decode', path, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.input.inverted).toBe(true);
    expect(json.report.saturationFraction).toBe(0);
    expect(json.report.black).toBeLessThan(json.report.grey);
    const text = await runInProcess(['decode', path]);
    expect(text.stdout).toMatch(/swing [\d.]+ \(full scale unknown\)/);
    expect(text.stdout).toContain('saturation 0 %');
  });

  it('from stdin, which cannot be read twice, only with --invert; the hint says so', async () => {
    const input = `Sample Rate (Hz),1000\nFull Scale,${capture.fullScale}\nvalue\n${inverted.join('\n')}\n`;
    const plain = await runInProcess(['decode', '-'], { input });
    expect(plain.status).toBe(1);
    expect(stderrLines(plain)[0]).toContain('does more light give larger values (if not, add --invert)');
    const r = await runInProcess(['decode', '-', '--invert'], { input });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('Read turned over');
  });

  it('a file that shows a preamble only turned over is reported turned over though it fails: its advice is of the signal', async () => {
    // Interference over a stretch of the packet: its bits are lost, the preamble is not.
    const broken = inverted.slice();
    const from = Math.round(broken.length * 0.6);
    for (let i = from; i < from + 200; i++) broken[i] = capture.fullScale * (1 - (i % 2 ? 0.45 : 0.05));
    const path = join(dir, 'inverted-broken.csv');
    writeFileSync(path, `value\n${broken.join('\n')}\n`);
    const r = await runInProcess(['decode', path, '--rate', '1000']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Read turned over: the preamble shows only with more light giving lower values');
    expect(stderrLines(r)[0]).not.toContain('saturates');
    const json = JSON.parse((await runInProcess(['decode', path, '--rate', '1000', '--json'])).stdout);
    expect(json.input.inverted).toBe(true);
    expect(json.report.black).toBeLessThan(json.report.grey);
    const analysis = await runInProcess(['analyze', path, '--rate', '1000']);
    expect(analysis.stdout).toContain('note     more light gave lower values');
    expect(analysis.stdout).not.toContain('saturates');
  });

  it('a file that decodes neither way up says it was read both ways', async () => {
    const flat = write('flat-noise.csv', '');
    writeFileSync(flat, `Sample Rate (Hz),1000\nFull Scale,4095\nvalue\n${Array.from({ length: 6000 }, (_, i) => 1000 + ((i * 7919) % 2000)).join('\n')}\n`);
    const r = await runInProcess(['decode', flat]);
    expect(r.status).toBe(1);
    expect(stderrLines(r)[0]).toContain('read either way up');
    expect(stderrLines(r)[0]).not.toContain('add --invert');
  });
});

describe('samples that are not numbers in a binary capture', () => {
  it('are missing samples whose places count: the duration is the stream\'s, and the summary says how many', async () => {
    const values = Float32Array.from(readFileSync(fixturePath('photodiode.csv'), 'utf8').trimEnd().split('\n'), Number);
    for (let i = 100; i < values.length; i += 125) values[i] = i % 2 ? Number.NaN : Number.POSITIVE_INFINITY;
    const missing = Math.ceil((values.length - 100) / 125);
    const path = join(dir, 'with-nan.f32');
    writeFileSync(path, Buffer.from(values.buffer));
    const r = await runInProcess(['decode', path, '--format', 'f32le', '--rate', '1000']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Signal: ${values.length - missing} samples (and ${missing} missing: not numbers) in ${(values.length / 1000).toFixed(2)} s at 1000 Hz (--rate)`);
    const json = JSON.parse((await runInProcess(['decode', path, '--format', 'f32le', '--rate', '1000', '--json'])).stdout);
    expect(json.input).toMatchObject({ samples: values.length - missing, missingSamples: missing, durationS: values.length / 1000 });
  });
});

describe('a logger\'s junk lines', () => {
  /** The typical fixture with `junk` lines of serial noise put in after its 5000th sample. */
  const withJunk = (junk: number): string => {
    const lines = readFileSync(fixturePath('photodiode.csv'), 'utf8').split('\n');
    const noise = Array.from({ length: junk }, (_, i) => (i % 2 === 0 ? 'ERR' : '12#4'));
    const path = join(dir, `junk-${junk}.csv`);
    writeFileSync(path, [...lines.slice(0, 5000), ...noise, ...lines.slice(5000)].join('\n'));
    return path;
  };

  it('reads a few as missing samples, decodes the capture and says so on stderr', async () => {
    const r = await runInProcess(['decode', withJunk(3), '--rate', '1000']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Packet 1 at /m);
    expect(stderrLines(r)).toEqual(['blinkup: warning: 3 data lines were not numbers (the first: line 5001, column 1: not a number): read as missing samples']);
    const json = JSON.parse((await runInProcess(['decode', withJunk(3), '--rate', '1000', '--json'])).stdout);
    expect(json.input.warning).toBe('3 data lines were not numbers (the first: line 5001, column 1: not a number): read as missing samples');
    expect(json.packets).toHaveLength(1);
  });

  it('however many there are in a long log, once the start of the file has passed as a capture', async () => {
    // One sample in a hundred lost to serial noise after the first thousand: far more than a hundred lines.
    const lines = readFileSync(fixturePath('photodiode.csv'), 'utf8').trimEnd().split('\n');
    const path = join(dir, 'junk-spread.csv');
    const junk = lines.map((l, i) => (i >= 1000 && i % 100 === 0 ? 'ERR' : l));
    writeFileSync(path, junk.join('\n'));
    expect(junk.filter((l) => l === 'ERR').length).toBe(142);
    const r = await runInProcess(['decode', path, '--rate', '1000', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).packets).toHaveLength(1);
    expect(stderrLines(r)).toEqual(['blinkup: warning: 142 data lines were not numbers (the first: line 1001, column 1: not a number): read as missing samples']);
  });

  it('refuses a file whose first thousand data lines hold more than a hundred, before decoding anything', async () => {
    const lines = readFileSync(fixturePath('photodiode.csv'), 'utf8').split('\n');
    const path = join(dir, 'junk-early.csv');
    writeFileSync(path, lines.map((l, i) => (i % 8 === 3 && i < 2000 ? 'ERR' : l)).join('\n'));
    const r = await runInProcess(['decode', path, '--rate', '1000']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(stderrLines(r)).toEqual(['blinkup: line 4, column 1: not a number, and 101 of the first 804 data lines are not numbers (at most 10 % may be): broken, or no capture']);
    const short = join(dir, 'short-junk.csv');
    writeFileSync(short, `${'100\n'.repeat(150)}${'ERR\n'.repeat(30)}${'100\n'.repeat(50)}`); // 30 in 230
    const share = await runInProcess(['decode', short, '--rate', '1000']);
    expect(share.status).toBe(2);
    expect(stderrLines(share)).toEqual(['blinkup: line 151, column 1: not a number, and 30 of the first 230 data lines are not numbers (at most 10 % may be): broken, or no capture']);
  });
});

describe('a capture at an oscilloscope\'s rate', () => {
  it('decodes, and says it decoded means of runs of samples', async () => {
    const path = join(dir, 'scope-rate.csv');
    const sim = await runInProcess(['simulate', '--clear', '--rate', '200000', '--seed', '3', '--out', path]);
    expect(sim.status, sim.stderr).toBe(0);
    const r = await runInProcess(['decode', path]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Packet 1 at [\d.]+–[\d.]+ s: clear the device's network configuration$/m);
    expect(r.stdout).toMatch(/ at 200000 Hz \(file header; decoded as means of 50 samples\)/);
  });
});

describe('--column', () => {
  /** The typical fixture as the third column of three, after its time and a steady room-light channel. */
  const threeColumns = (): string => {
    const values = readFileSync(fixturePath('photodiode.csv'), 'utf8').trim().split('\n');
    const path = join(dir, 'three-columns.csv');
    writeFileSync(path, ['time_s,ambient,photodiode', ...values.map((v, i) => `${(i / 1000).toFixed(3)},512,${v}`)].join('\n'));
    return path;
  };

  it('picks the column of the samples by number or by name', async () => {
    const path = threeColumns();
    expect((await runInProcess(['decode', path])).status).toBe(1); // the second column: the steady one
    for (const column of ['3', 'photodiode']) {
      const r = await runInProcess(['decode', path, '--column', column]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Packet 1 at /m);
      expect(r.stdout).toMatch(/at 1000 Hz \(time column\)/);
    }
  });

  it.each([
    [['--column', '0'], /--column must be a column's number from 1 to 1024, or its name \(got 0\)/],
    [['--column', 'nosuch'], /no value column named "nosuch" in the header/],
  ])('refuses %j with exit 2', async (args, message) => {
    const r = await runInProcess(['decode', threeColumns(), ...args]);
    expect(r.status).toBe(2);
    expect(stderrLines(r)).toEqual([expect.stringMatching(message)]);
  });

  it('is for CSV captures only', async () => {
    const r = await runInProcess(['decode', fixturePath('camera.y4m'), '--column', '2']);
    expect(r.status).toBe(2);
    expect(stderrLines(r)).toEqual(['blinkup: --column is for CSV captures, not y4m']);
  });
});

describe('bad usage and bad input: exit 2, one line, no stack', () => {
  const write = (name: string, data: string | Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };
  const y4mHeader = 'YUV4MPEG2 W4 H4 F30:1 Cmono\n';
  /** The first bytes of an MP4 file (an ftyp box), then anything. */
  const mp4Head = Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypisom'), 0, 0, 2, 0, ...new Array(64).fill(7)]);
  const cases: [string, () => string[], RegExp][] = [
    ['a missing file', () => ['decode', join(dir, 'nope.csv'), '--rate', '1000'], /cannot read .*nope\.csv: no such file or folder/],
    ['CSV with junk', () => ['decode', write('junk.csv', 'hello\nworld\n'), '--rate', '1000'], /no numeric samples found in 2 line\(s\)/],
    ['a number then junk', () => ['decode', write('junk2.csv', '1\n2\nthree\n'), '--rate', '1000'], /line 3, column 1: not a number/],
    ['binary data read as CSV', () => ['decode', write('binary.dat', Uint8Array.from({ length: 600 }, (_, i) => (i * 37) & 255)), '--rate', '1000'], /binary data, not text/],
    ['an empty file', () => ['decode', write('empty.csv', ''), '--rate', '1000'], /the input is empty/],
    // A phone's video as it comes: the way to read it, not "binary data".
    ['an MP4 video by its name', () => ['decode', write('phone.mp4', mp4Head)], /phone\.mp4 is an MP4 video, which blinkup reads only as Y4M: ffmpeg -i .*phone\.mp4 -pix_fmt gray -f yuv4mpegpipe - \| blinkup decode -/],
    ['an MP4 video by its first bytes', () => ['decode', write('clip', mp4Head)], /clip is an MP4 video, which blinkup reads only as Y4M/],
    ['an MP4 video renamed .y4m', () => ['decode', write('renamed.y4m', mp4Head)], /renamed\.y4m is an MP4 video, which blinkup reads only as Y4M/],
    ['one PNG image', () => ['decode', write('still', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13))], /still is a PNG image: decode reads a camera's frames as a folder of PNG images \(blinkup decode frames\/ --fps <n>\) or as Y4M video/],
    ['a Y4M header with CRLF line ends', () => ['decode', write('crlf.y4m', 'YUV4MPEG2 W4 H4 F30:1 Cmono\r\nFRAME\r\n')], /Y4M colourspace "Cmono\\r" is not supported/],
    ['a WebM video by its first bytes', () => ['analyze', write('clip2', Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 1, 0x42, 0xf7, 0x81))], /clip2 is a Matroska or WebM video, which blinkup reads only as Y4M/],
    ['a folder where a file is expected', () => ['decode', dir, '--format', 'csv'], /is a folder; --format csv reads a file/],
    ['a folder without frames', () => ['decode', join(dir, 'empty-folder')], /no PNG frames in/],
    ['a CSV line too long to be a sample', () => ['decode', write('long.csv', `${'1'.repeat(100_000)}\n`), '--rate', '1000'], /line 1 is longer than 65536 bytes/],
    ['a Y4M frame size over the limit', () => ['decode', write('huge.y4m', 'YUV4MPEG2 W20000 H20000 F30:1\nFRAME\n')], /Y4M width 20000 exceeds the limit of 16384/],
    ['a bad Y4M header', () => ['decode', write('bad.y4m', 'YUV4MPEG2 W0 H2\nFRAME\n')], /Y4M header has an invalid width/],
    ['a Y4M whose first frame has no FRAME line', () => ['decode', write('noframe.y4m', `${y4mHeader}FRAMX\n${'x'.repeat(16)}FRAME\n${'x'.repeat(16)}`)], /Y4M frame 1 does not start with FRAME/],
    ['a Y4M with an absurd frame rate', () => ['decode', write('fast.y4m', 'YUV4MPEG2 W4 H4 F100000:1 Cmono\nFRAME\n' + 'x'.repeat(16))], /frame rate in .* \(100000 fps\) is outside 1–1000 fps/],
    ['a folder of 3 frames, 1 corrupt', () => ['decode', join(dir, 'corrupt-frames'), '--fps', '60'], /more than 5 % of the frames in .*corrupt-frames cannot be read \(1 of 3 so far; the first: frame-00002\.png is not a valid PNG \(cut short or damaged\)\)$/],
    ['u16le without --rate', () => ['decode', fixturePath('photodiode.u16le')], /u16le samples carry no timing: give the sample rate with --rate <Hz>/],
    ['CSV with neither rate nor times', () => ['decode', write('plain.csv', '1\n2\n3\n')], /has no time column and its header states no sample interval: give the sample rate with --rate/],
    ['a time column in milliseconds', () => ['decode', write('ms.csv', 't,v\n0,1\n1,2\n2,1\n3,2\n')], /time column .* implies 1 Hz, which is not a plausible sample rate/],
    ['a rate too low', () => ['decode', fixturePath('photodiode.csv'), '--rate', '10'], /sample rate from --rate must be 50 Hz–1 MHz \(got 10 Hz\)/],
    ['a rate too high', () => ['decode', fixturePath('photodiode.csv'), '--rate', '2000000'], /must be 50 Hz–1 MHz/],
    ['a header interval that makes no sense', () => ['decode', write('interval.csv', 'Sample Interval,5\nCH1\n1\n2\n')], /sample rate from the sample interval in .*'s header must be 50 Hz–1 MHz \(got 0\.2 Hz\)/],
    ['an fps too high', () => ['decode', fixturePath('camera.y4m'), '--fps', '5000'], /--fps must be 1–1000 frames per second/],
    ['an fps of zero', () => ['decode', fixturePath('camera.y4m'), '--fps', '0'], /--fps must be 1–1000/],
    ['--rate for a video', () => ['decode', fixturePath('camera.y4m'), '--format', 'y4m', '--rate', '1000'], /--rate is for photodiode captures/],
    ['--invert for a video', () => ['decode', fixturePath('camera.y4m'), '--invert'], /--invert is for photodiode captures/],
    ['--full-scale for a video', () => ['analyze', fixturePath('camera.y4m'), '--full-scale', '255'], /--full-scale is for photodiode captures: a video's brightness is linear light from 0 to 1/],
    ['--roi for samples', () => ['decode', fixturePath('photodiode.csv'), '--format', 'csv', '--roi', '0,0,4,4'], /--roi applies to video \(y4m, png\), not to a csv capture/],
    ['--fps for a CSV known by its extension', () => ['decode', fixturePath('photodiode.csv'), '--fps', '60'], /--fps is for video; give the sample rate of a csv capture with --rate/],
    ['--rate for a PNG folder', () => ['decode', join(dir, 'corrupt-frames'), '--rate', '1000'], /--rate is for photodiode captures/],
    ['--rate for a Y4M recognised by its first bytes', () => ['decode', write('noext', 'YUV4MPEG2 W4 H4 F30:1 Cmono\n'), '--rate', '1000'], /--rate is for photodiode captures/],
    ['a malformed --roi', () => ['decode', fixturePath('camera.y4m'), '--roi', '1,2,3'], /--roi .* a region must be four whole numbers x,y,w,h/],
    ['a region outside the frame', () => ['decode', fixturePath('camera.y4m'), '--roi', '4,4,8,8'], /region 4,4,8,8 reaches outside the 8×6 frame/],
    ['PNG from stdin', () => ['decode', '-', '--format', 'png'], /PNG frames are read from a folder, not from stdin/],
    ['an unknown format', () => ['decode', fixturePath('photodiode.csv'), '--format', 'wav'], /Allowed choices are csv, u16le, f32le, y4m, png/],
    ['no capture', () => ['decode'], /missing required argument 'capture'/],
  ];

  beforeAll(async () => {
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'empty-folder'), { recursive: true });
    mkdirSync(join(dir, 'corrupt-frames'), { recursive: true });
    const { encodeGreyPng } = await import('../../src/node/png-frames.js');
    writeFileSync(join(dir, 'corrupt-frames', 'frame-00001.png'), encodeGreyPng(new Uint8Array(16), 4, 4));
    const broken = encodeGreyPng(new Uint8Array(16).fill(9), 4, 4);
    writeFileSync(join(dir, 'corrupt-frames', 'frame-00002.png'), broken.subarray(0, 30));
    copyFileSync(join(dir, 'corrupt-frames', 'frame-00001.png'), join(dir, 'corrupt-frames', 'frame-00003.png'));
  });

  it.each(cases)('%s', async (_, args, message) => {
    const started = Date.now();
    const r = await runInProcess(args());
    expectUsageError(r, message);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a time column at exactly 1 MHz, rounded to its 7 digits, is the limit itself, not beyond it', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `${(i * 1e-6).toFixed(7)},${i % 500 < 250 ? 100 : 150}`);
    const r = await runInProcess(['decode', write('mhz.csv', `time_s,value\n${lines.join('\n')}\n`)]);
    expect(r.status).toBe(1); // read (no packet in 2 ms), not refused
    expect(r.stdout).toMatch(/at 1000000 Hz \(time column/);
  });

  it('the real executable exits 2 the same way', async () => {
    const r = await runCli(['decode', write('junk3.csv', 'a,b\nc,d\n'), '--rate', '1000']);
    expect(r.status).toBe(2);
    expect(stderrLines(r)).toEqual(['blinkup: no numeric samples found in 2 line(s)']);
  });
});
