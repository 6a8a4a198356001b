/** `blinkup decode` on captures that need repairs before they can be read: it decodes, and says what it repaired. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulatePhotodiode } from '../../src/channel/index.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import { BASIC } from '../decoder/helpers.js';
import { tempFolder } from '../node/helpers.js';
import { runInProcess } from './run-cli.js';

const dir = tempFolder('cli-repairs');

describe('decode: repairs', () => {
  it('names the glitch it replaced, in text and in JSON, and decodes the packet', async () => {
    const cap = simulatePhotodiode(toLevels(encodePacket(BASIC)), {}, 910_000);
    const samples = Array.from(cap.samples, Math.round);
    samples[Math.floor(samples.length / 2)] = 65535; // a 16-bit word gone wrong on the serial link
    const path = join(dir, 'glitch.csv');
    writeFileSync(path, `${samples.join('\n')}\n`);
    const json = await runInProcess(['decode', path, '--rate', '1000', '--json']);
    expect(json.status, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.packets[0].ssid).toBe(BASIC.ssid);
    expect(out.report.glitchSamples).toBe(1);
    const text = await runInProcess(['decode', path, '--rate', '1000']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('1 glitch (a lone sample far outside the signal) replaced by the mean of its neighbours');
  });

  it('two timestamped captures joined into one file: the restart is bridged, both packets decode, the span is the sum', async () => {
    const parts = [910_001, 910_002].map((seed) => simulatePhotodiode(toLevels(encodePacket({ ...BASIC, ssid: `Net${seed}` })), { timestamps: true }, seed));
    const rows = parts.flatMap((cap) => Array.from(cap.samples, (x, i) => `${cap.times![i]!.toFixed(6)},${Math.round(x)}`));
    const path = join(dir, 'joined.csv');
    writeFileSync(path, `time_s,value\n${rows.join('\n')}\n`);
    const json = await runInProcess(['decode', path, '--json']);
    expect(json.status, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.packets.map((p: { ssid: string }) => p.ssid)).toEqual(['Net910001', 'Net910002']);
    expect(out.report.timestampRestarts).toBe(1);
    const span = parts.reduce((s, cap) => s + cap.times![cap.times!.length - 1]!, 0);
    const text = await runInProcess(['decode', path]);
    expect(text.stdout).toContain('the timestamps restarted once: the samples after were placed right after those before');
    const seconds = Number(/in ([\d.]+) s at/.exec(text.stdout)![1]);
    expect(Math.abs(seconds - span)).toBeLessThan(0.01);
  });

  it('analyze: a glitch above the stated full scale is a note on the link, not a wrong full scale; a run of them still is', async () => {
    const cap = simulatePhotodiode(toLevels(encodePacket(BASIC)), {}, 910_003);
    const samples = Array.from(cap.samples, Math.round);
    const header = `Sample Rate (Hz),1000\nFull Scale,${cap.fullScale}\nvalue\n`;
    const one = join(dir, 'one-glitch.csv');
    samples[7000] = 65535;
    writeFileSync(one, `${header}${samples.join('\n')}\n`);
    const a = await runInProcess(['analyze', one]);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toContain(`note     1 glitch (a lone sample far outside the signal, up to 65535 where the ADC's full scale is ${cap.fullScale}) replaced by the mean of its neighbours`);
    expect(a.stdout).not.toContain('above the full scale');
    const run = join(dir, 'garbage-run.csv');
    for (let i = 7000; i < 7010; i++) samples[i] = 65535;
    writeFileSync(run, `${header}${samples.join('\n')}\n`);
    const b = await runInProcess(['analyze', run]);
    expect(b.stdout).toContain(`problem  samples reach 65535, above the full scale of ${cap.fullScale}`);
  });
});
