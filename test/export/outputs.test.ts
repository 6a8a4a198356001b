/** The manifest, CSV and C header of one transmission, and the secrets policy they follow. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cHeader } from '../../src/export/c-header.js';
import { framesCsv, FRAMES_CSV_HEADER } from '../../src/export/csv.js';
import { buildManifest, formatManifest } from '../../src/export/manifest.js';
import { LEVEL_LINEAR_LIGHT } from '../../src/export/levels.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket, parsePacket, type Payload } from '../../src/packet/index.js';
import { schedule } from '../../src/schedule/index.js';
import { GOLDEN_VECTORS, toHex } from '../packet/vectors.js';

const PASSWORD = 'correct horse';
const TOKEN = 'fedcba9876543210';

function transmission(payload: Payload, fps = 60, refreshHz = 60) {
  const packet = encodePacket(payload);
  return { payload, packet, schedule: schedule(toLevels(packet), { fps, refreshHz }) };
}

/** Every form in which the secrets could leak into text. */
function secretForms(packet: Uint8Array): string[] {
  const hex = toHex(packet);
  return [PASSWORD, TOKEN, 'proxy-secret', hex.slice(32, 58) /* password bytes */, hex.slice(78, 94) /* token bytes */];
}

const basic = transmission(GOLDEN_VECTORS[0]!.input);

describe('manifest', () => {
  it('with secrets shown, matches the SDK vector exactly', () => {
    const m = buildManifest(basic, { showSecrets: true });
    expect(m.packetHex).toBe(GOLDEN_VECTORS[0]!.packetHex);
    expect(m.levels).toBe(GOLDEN_VECTORS[0]!.frames);
    expect(m.payload).toEqual({ kind: 'config', ...GOLDEN_VECTORS[0]!.input });
    expect(m).toMatchObject({ format: 'blinkup-frames', version: 1, secretsShown: true, fps: 60, refreshHz: 60, frameCount: 854, packetBytes: 49, durationMs: 14233.333 });
    expect(m.frames.startMs).toHaveLength(854);
    expect(m.frames.durationMs).toHaveLength(854);
    expect(m.frames.startMs.slice(0, 3)).toEqual([0, 16.667, 33.333]);
    expect(new Set(m.frames.durationMs)).toEqual(new Set([16.667]));
  });

  it('by default hides password and token in payload and packetHex, but keeps the levels', () => {
    const m = buildManifest(basic);
    expect(m.secretsShown).toBe(false);
    expect(m.payload).toMatchObject({ password: '***', token: '***', ssid: 'HomeNetwork', planId: '0123456789abcdef' });
    expect(m.levels).toBe(GOLDEN_VECTORS[0]!.frames);
    const text = formatManifest(m);
    for (const secret of secretForms(basic.packet)) expect(text).not.toContain(secret);
  });

  it('shows secrets on request even for a payload protected by parsePacket', () => {
    const parsed = parsePacket(basic.packet);
    expect(JSON.stringify(parsed)).not.toContain(PASSWORD); // the protection is on…
    const m = buildManifest({ ...basic, payload: parsed }, { showSecrets: true });
    expect(formatManifest(m)).toContain(PASSWORD); // …and --show-secrets still means what it says
  });

  it('hides a proxy password too', () => {
    const t = transmission({ ssid: 'Lab', password: PASSWORD, planId: '0123456789abcdef', token: TOKEN, proxy: { host: 'p', port: 80, username: 'u', password: 'proxy-secret' } });
    const text = formatManifest(buildManifest(t));
    expect(text).not.toContain('proxy-secret');
    expect(JSON.parse(text).payload.proxy).toEqual({ host: 'p', port: 80, username: 'u', password: '***' });
  });

  it('formats as JSON with the per-frame arrays on one line each', () => {
    const text = formatManifest(buildManifest(basic));
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(buildManifest(basic))));
    expect(text.split('\n').length).toBeLessThan(40);
    expect(text).toMatch(/"startMs": \[0,16\.667,33\.333,/);
  });

  it('describes the clear packet', () => {
    const m = buildManifest(transmission({ kind: 'clear' }), { showSecrets: false });
    expect(m.payload).toEqual({ kind: 'clear' });
    expect(m.packetHex).toBe(GOLDEN_VECTORS[3]!.packetHex);
  });
});

describe('frames CSV', () => {
  it('has one row per frame with 1-based frame numbers, times and grey values', () => {
    const rows = framesCsv(transmission(GOLDEN_VECTORS[3]!.input, 30, 60).schedule).trimEnd().split('\n');
    expect(rows[0]).toBe(FRAMES_CSV_HEADER);
    expect(rows).toHaveLength(1 + 150);
    expect(rows[1]).toBe('1,0.000,33.333,0,0');
    expect(rows[2]).toBe('2,33.333,33.333,1,191');
    expect(rows[54]).toBe('54,1766.667,33.333,2,255');
    expect(rows.slice(1).map((r) => r.split(',')[3]).join('')).toBe(GOLDEN_VECTORS[3]!.frames);
  });
});

describe('C header', () => {
  it('declares the levels, count, period and PWM values', () => {
    const h = cHeader(basic);
    expect(h).toContain('#define BLINKUP_FRAME_COUNT 854u');
    expect(h).toContain('#define BLINKUP_FRAME_PERIOD_US 16667u');
    expect(h).toContain('#define BLINKUP_FRAME_PERIOD_NS 16666667u');
    expect(h).toContain(`#define BLINKUP_PWM8_GREY_LINEAR ${Math.round(LEVEL_LINEAR_LIGHT[1]! * 255)}u`);
    expect(h).toContain('#define BLINKUP_PWM8_GREY_CODE 191u');
    const array = /blinkup_levels\[BLINKUP_FRAME_COUNT\] = \{([^}]*)\}/.exec(h)![1]!;
    expect(array.replace(/[\s,]/g, '')).toBe(GOLDEN_VECTORS[0]!.frames);
  });

  it('stays valid C at a fractional frame rate', () => {
    const h = cHeader(transmission(GOLDEN_VECTORS[3]!.input, 59.94, 59.94));
    expect(h).toContain('#define BLINKUP_FRAME_PERIOD_NS 16683350u');
    expect(h).not.toMatch(/#define \w+ [\d.]*\.\d*u/);
  });

  it('keeps secrets out of its comments unless asked', () => {
    for (const secret of secretForms(basic.packet)) expect(cHeader(basic)).not.toContain(secret);
    expect(cHeader(basic, { showSecrets: true })).toContain(`password "${PASSWORD}"`);
  });

  it('grey at the linear-light value of #bfbfbf is about half of white', () => {
    expect(LEVEL_LINEAR_LIGHT[1]).toBeGreaterThan(0.5);
    expect(LEVEL_LINEAR_LIGHT[1]).toBeLessThan(0.54);
  });

  const cc = spawnSync('cc', ['--version']).status === 0;
  const requireTools = process.env.BLINKUP_REQUIRE_SYSTEM_TOOLS === '1';
  if (!cc && !requireTools) console.warn('SKIPPED: C header compile test (no C compiler `cc` on PATH)');

  it.runIf(cc || requireTools)('compiles warning-free with a C compiler and holds the levels, whatever the SSID says', () => {
    const dir = mkdtempSync(join(tmpdir(), 'blinkup-cheader-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    // An SSID that tries to end the comment, open a new one and start a new line.
    const t = transmission({ ssid: 'a*/b/*c\nd\\', password: 'pw */ x\\', planId: '0123456789abcdef', token: TOKEN });
    writeFileSync(join(dir, 'blinkup_levels.h'), cHeader(t, { showSecrets: true }));
    writeFileSync(
      join(dir, 'main.c'),
      '#include <stdio.h>\n#include "blinkup_levels.h"\nint main(void) {\n  for (unsigned i = 0; i < BLINKUP_FRAME_COUNT; i++) putchar(\'0\' + blinkup_levels[i]);\n  printf(" %u %u\\n", (unsigned)BLINKUP_FRAME_PERIOD_US, (unsigned)BLINKUP_PWM8_GREY_LINEAR);\n  return 0;\n}\n',
    );
    execFileSync('cc', ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', '-o', join(dir, 'play'), join(dir, 'main.c')], { cwd: dir });
    const [digits, period] = execFileSync(join(dir, 'play'), { encoding: 'utf8' }).trim().split(' ');
    expect(digits).toBe(Array.from(t.schedule.levels).join(''));
    expect(period).toBe('16667');
  });
});
