/** `blinkup decode` on a capture with one corrupt sample: it decodes, and says what it replaced. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulatePhotodiode } from '../../src/channel/index.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import { BASIC } from '../decoder/helpers.js';
import { tempFolder } from '../node/helpers.js';
import { runInProcess } from './run-cli.js';

const dir = tempFolder('cli-glitch');

describe('decode: a capture with a glitch', () => {
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
});
