/**
 * `blinkup analyze`: the report's fields and verdicts on real captures, the flicker measurement
 * against the simulator's truth, and --plot's PNG (size, the decisions drawn, no payload text).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { simulatePhotodiode } from '../../src/channel/index.js';
import { toLevels } from '../../src/line/index.js';
import { withValidFrame } from '../packet/framing.js';
import { runInProcess, stderrLines } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'blinkup-cli-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = (file: string): string => new URL(`../../fixtures/captures/${file}`, import.meta.url).pathname;
const WIRED = ['--plan-id', '0011223344556677', '--token', 'feedfacecafebeef'];

async function simulated(name: string, ...args: string[]): Promise<string> {
  const path = join(dir, name);
  const r = await runInProcess(['simulate', ...WIRED, ...args, '--out', path]);
  expect(r.status, r.stderr).toBe(0);
  return path;
}

async function analyzeJson(...args: string[]): Promise<any> {
  const r = await runInProcess(['analyze', ...args, '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('the report', () => {
  it('human: levels, swing, noise, margins, timing, room light and verdicts', async () => {
    const r = await runInProcess(['analyze', fixture('photodiode.csv'), '--rate', '1000']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    for (const label of ['Capture', 'Decoded', 'Levels', 'Swing', 'Grey', 'Noise', 'Margin', 'Clipping', 'Timing', 'Room']) {
      expect(lines.some((l) => l.startsWith(label.padEnd(10))), label).toBe(true);
    }
    expect(r.stdout).toMatch(/^Swing {5}\d+ = 0\.\d{3} of full scale/m);
    expect(r.stdout).toMatch(/^Timing {4}\d+\.\d\d fps flashing \(nominal 60\), sampler clock [+-]?\d+ ppm, \d+ held levels? in \d+ pulses$/m);
    expect(r.stdout).toMatch(/\nVerdict\n( {2}(problem|note   |good   ) {2}.+\n)+$/);
    expect(r.stdout).toMatch(/ {2}good {5}good signal: swing 0\.\d\d of full scale/);
    // analyze reports the signal, never the payload
    for (const secret of ['correct horse', 'fedcba9876543210', 'HomeNetwork']) expect(r.stdout).not.toContain(secret);
  });

  it('--json: every number a designer tunes with', async () => {
    const out = await analyzeJson(fixture('photodiode.csv'), '--rate', '1000');
    expect(Object.keys(out)).toEqual(['input', 'fullScale', 'transmissions', 'report', 'flicker', 'verdicts', 'plot']);
    expect(out.fullScale).toEqual({ value: 4095, source: 'inferred' });
    expect(out.transmissions).toEqual({ packets: 1, failures: 0, syncLosses: 0 });
    const r = out.report;
    expect(r.black).toBeLessThan(r.grey);
    expect(r.grey).toBeLessThan(r.white);
    expect(r.swingFraction).toBeGreaterThan(0.2);
    expect(r.swingFraction).toBeLessThan(0.5);
    expect(r.snrDb).toBeGreaterThan(20);
    expect(r.greyWhiteSeparation).toBeGreaterThan(0.3);
    expect(r.nominalFps).toBe(60);
    expect(Math.abs(r.clockErrorPpm)).toBeLessThan(5000);
    expect(r.heldLevels).toBeGreaterThanOrEqual(0);
    expect(out.verdicts.at(-1)).toMatchObject({ severity: 'good' });
    expect(out.plot).toBeNull();
  });

  it('a weak signal: raise the gain', async () => {
    const out = await analyzeJson(await simulated('weak.csv', '--swing', '0.04', '--seed', '3'));
    expect(out.fullScale).toEqual({ value: 4095, source: 'capture' });
    expect(out.report.swingFraction).toBeLessThan(0.06);
    expect(out.verdicts[0]).toEqual({ severity: 'problem', text: expect.stringMatching(/^swing is 0\.0\d of full scale: raise the gain/) });
  });

  it('a sensor that reads lower for more light: the report reads the file turned over, and says so', async () => {
    const upright = await simulated('upright.csv', '--seed', '5');
    const lines = readFileSync(upright, 'utf8').trimEnd().split('\n');
    // The comment line, the rate and the full scale stay; each value v becomes 4095 − v.
    const turned = join(dir, 'turned.csv');
    writeFileSync(turned, lines.map((l) => (/^\d+$/.test(l) ? String(4095 - Number(l)) : l)).join('\n') + '\n');
    const out = await analyzeJson(turned);
    expect(out.input.inverted).toBe(true);
    expect(out.transmissions.packets).toBe(1);
    expect(out.verdicts[0]).toEqual({ severity: 'note', text: expect.stringMatching(/^more light gave lower values \(a sensor pulling its output down, the common-emitter wiring\): this report reads the capture turned over; pass --invert/) });
    expect(out.verdicts.at(-1)).toMatchObject({ severity: 'good' });
    // Told, it reads once, and has nothing to say about the wiring.
    const told = await analyzeJson(turned, '--invert');
    expect(told.input.inverted).toBe(true);
    expect(told.verdicts.map((v: { text: string }) => v.text)).not.toContainEqual(expect.stringMatching(/^more light gave lower values/));
    // Read the right way up, nothing is turned over.
    expect((await analyzeJson(upright)).input.inverted).toBeUndefined();
  });

  it('a saturating sensor: lower the gain', async () => {
    const out = await analyzeJson(await simulated('hot.csv', '--swing', '1.2', '--seed', '4'));
    expect(out.report.saturationFraction).toBeGreaterThan(0.01);
    expect(out.verdicts).toContainEqual({ severity: 'problem', text: expect.stringMatching(/^sensor saturates \(\d+(\.\d)? % of samples at the top of the range\): lower the gain/) });
    expect(out.verdicts.some((v: { severity: string }) => v.severity === 'good')).toBe(false);
  });

  // A scope export in volts (3.3 V reference) holds no ADC codes: a full scale guessed from its
  // largest value (255 for 1.6 V) made a healthy signal "0.005 of full scale: raise the gain".
  it('volts without --full-scale: swing and clipping are not judged against a guessed full scale', async () => {
    const codes = await simulated('codes.csv', '--seed', '8');
    const volts = readFileSync(codes, 'utf8').trim().split('\n').slice(4).map((line) => (Number(line) / 4095 * 3.3).toFixed(4));
    const path = join(dir, 'volts.csv');
    writeFileSync(path, `Volt\n${volts.join('\n')}\n`);
    const out = await analyzeJson(path, '--rate', '1000');
    expect(out.fullScale.source).toBe('unknown');
    expect(out.transmissions.packets).toBe(1);
    expect(out.verdicts).toEqual([
      { severity: 'note', text: expect.stringMatching(/^the samples are not ADC codes \(volts\?\), so swing and clipping cannot be judged: give --full-scale/) },
      { severity: 'good', text: expect.stringMatching(/^good signal: SNR \d+ dB/) },
    ]);
    const given = await analyzeJson(path, '--rate', '1000', '--full-scale', '3.3');
    expect(given.fullScale).toEqual({ value: 3.3, source: 'given' });
    expect(given.verdicts.at(-1).text).toMatch(/^good signal: swing 0\.\d\d of full scale/);
  });

  it.each([
    [100, 0.6, 0.4],
    [120, 0.7, 0.4],
  ])('mains flicker at %d Hz (depth %d, ambient %d) is measured in the quiet stretches', async (hz, depth, ambient) => {
    const path = await simulated(`flicker-${hz}.csv`, '--oled', '--flicker', `${hz},${depth}`, '--ambient', String(ambient), '--drift', '0', '--repeat', '2', '--seed', '6');
    const out = await analyzeJson(path);
    expect(out.flicker.hz).toBe(hz);
    expect(out.flicker.windows).toBeGreaterThanOrEqual(3); // in the lead-in, the gap between the transmissions, the lead-out
    // The simulator's room light is ambient × swing of full scale (swing 0.4 by default), modulated
    // by ±depth: peak-to-peak 2 · depth · ambient · 0.4 · 4095 codes.
    const truth = 2 * depth * ambient * 0.4 * 4095;
    expect(out.flicker.peakToPeak).toBeGreaterThan(0.85 * truth);
    expect(out.flicker.peakToPeak).toBeLessThan(1.15 * truth);
    expect(out.flicker.fractionOfSwing).toBeCloseTo(out.flicker.peakToPeak / out.report.swing, 3);
    expect(out.verdicts).toContainEqual({ severity: 'problem', text: expect.stringMatching(new RegExp(`^mains flicker is strong \\(${hz} Hz ripple`)) });
  });

  // A lamp at the mains frequency itself, deep enough that its ripple in the dark is taken for a
  // preamble again and again: those runs never reach a packet's body, so the windows under them
  // are measured (they used to be left out as busy, and nothing was: "not measured").
  it.each([
    [50, 0.5, 0.2, 'problem'],
    [60, 0.2, 0.2, 'note'],
    // (Its pulses' starts, on the decoder's millisecond grid, read 16 or 18 ms apart, not 16.7.)
    [60, 0.8, 0.15, 'problem'],
  ])('a lamp flickering at %d Hz (depth %d, ambient %d) is measured and named', async (hz, depth, ambient, severity) => {
    const path = await simulated(`lamp-${hz}.csv`, '--flicker', `${hz},${depth}`, '--ambient', String(ambient), '--drift', '0', '--repeat', '3', '--seed', '4');
    const out = await analyzeJson(path);
    expect(out.flicker.hz).toBe(hz);
    expect(out.flicker.windows).toBeGreaterThanOrEqual(3); // enough to be judged (it was none, or 2)
    const truth = 2 * depth * ambient * 0.4 * 4095;
    expect(out.flicker.peakToPeak).toBeGreaterThan(0.85 * truth);
    expect(out.flicker.peakToPeak).toBeLessThan(1.15 * truth);
    const named = out.verdicts.filter((v: { text: string }) => new RegExp(`a lamp('s ${hz} Hz ripple| flickers at the mains frequency itself)`).test(v.text));
    expect(named.map((v: { severity: string }) => v.severity)).toEqual([severity]);
  });

  // A fixture's app that sends a password no network has (6 bytes): every copy read clearly, every
  // copy refused — the count of failed checks says why, and the verdict blames the sender.
  it('a packet sent with a password no network has: why it fails, and whose fault', async () => {
    const utf8 = (text: string): number[] => [...Buffer.from(text)];
    const body = [1, 3, ...utf8('Lab'), 6, 6, ...utf8('abcdef'), 5, 16, ...new Array(16).fill(0x5a)];
    const capture = simulatePhotodiode(toLevels(withValidFrame(Uint8Array.from(body))), { repeat: 2, heldLevelProbability: 0 }, 11);
    const path = join(dir, 'short-password.csv');
    writeFileSync(path, `Sample Rate (Hz),1000\nFull Scale,${capture.fullScale}\n${Array.from(capture.samples).join('\n')}\n`);
    const r = await runInProcess(['analyze', path]);
    expect(r.stdout).toMatch(/^Decoded   0 packets, 2 failed checks \(password entry is 6 bytes; no network has one .*\), 0 broken off$/m);
    expect(r.stdout).toMatch(/^  problem  every bit was read clearly, so the packet fails its check as it was sent: check the app or fixture that makes it$/m);
    expect(r.stdout).not.toContain('abcdef');
  });

  // A flash the decoder hunts through without locking (the light dimmed to a tenth, a stalled
  // flasher) has harmonics at 50/60 Hz: its windows are no quiet ones, and no lamp is named.
  it.each([
    ['dimmed to a tenth', '--step', '5,0.1'],
    ['stalled', '--stall', '700,3'],
  ])('steady room light and a flash %s: no lamp', async (name, ...args) => {
    const path = await simulated(`hunted-${args[0]}.csv`, '--flicker', '100,0', ...args, '--repeat', '2', '--seed', '5');
    const r = await runInProcess(['analyze', path]);
    expect(r.stdout).not.toMatch(/lamp|mains frequency itself/);
  });

  it('steady room light: no flicker verdict', async () => {
    const out = await analyzeJson(await simulated('steady.csv', '--flicker', '100,0', '--seed', '7'));
    expect(out.flicker.fractionOfSwing).toBeLessThan(0.02);
    expect(out.verdicts.some((v: { text: string }) => v.text.includes('flicker'))).toBe(false);
  });

  it('a video: the region, and no flicker measurement at a camera frame rate', async () => {
    const out = await analyzeJson(fixture('camera.y4m'));
    expect(out.input.region.roi).toEqual({ x: 0, y: 0, w: 8, h: 6 });
    expect(out.fullScale).toEqual({ value: 1, source: 'capture' });
    expect(out.flicker).toBeNull();
  });
});

describe('--plot', () => {
  function readPng(path: string): PNG {
    return PNG.sync.read(readFileSync(path));
  }

  /** Pixels within a small distance of an RGB colour. */
  function countColour(png: PNG, rgb: [number, number, number], tolerance = 40): number {
    let n = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      if (Math.abs(png.data[i]! - rgb[0]) + Math.abs(png.data[i + 1]! - rgb[1]) + Math.abs(png.data[i + 2]! - rgb[2]) < tolerance) n++;
    }
    return n;
  }

  it('writes a 1600×500 PNG of the first transmission with its decisions coloured', async () => {
    const path = join(dir, 'plot.png');
    const r = await runInProcess(['analyze', fixture('photodiode.csv'), '--rate', '1000', '--plot', path]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Plot {6}${path} \\(1600×500, \\d+\\.\\d\\d–\\d+\\.\\d\\d s, \\d+ pulses; --window start,end zooms in\\)$`, 'm'));
    const png = readPng(path);
    expect([png.width, png.height]).toEqual([1600, 500]);
    // The strips along the top of the plot: grey (bit 0, blue) and white (bit 1, orange) decisions.
    expect(countColour(png, [70, 110, 230])).toBeGreaterThan(500);
    expect(countColour(png, [235, 150, 20])).toBeGreaterThan(500);
    const bytes = readFileSync(path).toString('latin1');
    for (const secret of ['correct horse', 'fedcba9876543210']) expect(bytes).not.toContain(secret);
  });

  it('--window plots the seconds asked for', async () => {
    const path = join(dir, 'window.png');
    const out = await analyzeJson(fixture('photodiode.csv'), '--rate', '1000', '--plot', path, '--window', '1,3');
    expect(out.plot).toMatchObject({ path, startS: 1, endS: 3, width: 1600, height: 500, truncated: false });
    expect(out.plot.pulses).toBeGreaterThan(50);
    expect(out.plot.pulses).toBeLessThan(70); // 2 s at 30 bits per second
    expect(readPng(path).width).toBe(1600);
  });

  // Oscilloscopes put the trigger at 0 s: a capture's first seconds are negative.
  it('--window takes negative seconds, for scope exports that start before the trigger', async () => {
    const lines = readFileSync(fixture('photodiode-timestamps.csv'), 'utf8').trim().split('\n').slice(1);
    const shifted = lines.map((line) => {
      const [t, v] = line.split(',');
      return `${(Number(t) - 5).toFixed(6)},${v}`;
    });
    const csv = join(dir, 'pretrigger.csv');
    writeFileSync(csv, `time_s,value\n${shifted.join('\n')}\n`);
    const path = join(dir, 'pretrigger.png');
    const out = await analyzeJson(csv, '--plot', path, '--window', '-4,-2');
    expect(out.plot).toMatchObject({ path, startS: -4, endS: -2 });
    expect(out.plot.pulses).toBeGreaterThan(20);
  });

  it('a capture without a transmission plots its start', async () => {
    const path = join(dir, 'none.png');
    const faint = join(dir, 'faint.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(faint, `Sample Rate (Hz),1000\n${Array.from({ length: 3000 }, (_, i) => 2000 + (i % 5)).join('\n')}\n`);
    const out = await analyzeJson(faint, '--plot', path);
    expect(out.transmissions.packets).toBe(0);
    expect(out.plot).toMatchObject({ startS: 0, endS: 10, pulses: expect.any(Number) });
    expect(out.verdicts[0]).toMatchObject({ severity: 'problem', text: expect.stringMatching(/^signal swing is 0\.001 of full scale/) });
    expect(readPng(path).height).toBe(500);
  });
});

describe('bad usage: exit 2, one line', () => {
  it.each<[string, () => string[], RegExp]>([
    ['--window without --plot', () => [fixture('photodiode.csv'), '--rate', '1000', '--window', '1,2'], /--window chooses what --plot draws: add --plot <png>/],
    ['--plot to stdout', () => [fixture('photodiode.csv'), '--rate', '1000', '--plot', '-'], /--plot writes a PNG file: name it \*\.png \(got -\)/],
    ['--plot as a JPEG', () => [fixture('photodiode.csv'), '--rate', '1000', '--plot', 'trace.jpg'], /--plot writes a PNG file: name it \*\.png \(got trace\.jpg\)/],
    ['a window that ends before it starts', () => [fixture('photodiode.csv'), '--rate', '1000', '--plot', join(dir, 'x.png'), '--window', '5,2'], /--window needs start,end with end after start/],
    ['a window past the end of the capture', () => [fixture('photodiode.csv'), '--rate', '1000', '--plot', join(dir, 'x.png'), '--window', '100,120'], /nothing to plot between 100\.00 and 120\.00 s/],
    ['a plot in a missing folder', () => [fixture('photodiode.csv'), '--rate', '1000', '--plot', join(dir, 'no', 'such', 'x.png')], /cannot open .*x\.png: no such file or directory/],
    ['a full scale of zero', () => [fixture('photodiode.csv'), '--rate', '1000', '--full-scale', '0'], /--full-scale must be above 0/],
    ['no rate for a plain CSV', () => [fixture('photodiode.csv')], /give the sample rate with --rate <Hz>/],
  ])('%s', async (_, args, message) => {
    const r = await runInProcess(['analyze', ...args()]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(stderrLines(r)).toEqual([expect.stringMatching(message)]);
  });
});
