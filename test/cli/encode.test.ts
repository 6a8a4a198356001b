/**
 * `blinkup encode` as a user runs it: golden vectors, every format, exit codes, one-line errors.
 * The real executable is spawned where the wiring matters (vectors, exit status, help); the many
 * small cases run the same program in-process.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GOLDEN_VECTORS } from '../packet/vectors.js';
import { BIN, encodeArgs, runCli, runInProcess, expectUsageError, stderrLines } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'blinkup-cli-encode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASIC = GOLDEN_VECTORS[0]!;
const basicArgs = encodeArgs(BASIC.input);

describe.concurrent('blinkup encode reproduces the SDK 0.3.0 vectors', () => {
  it.each(GOLDEN_VECTORS.map((v) => [v.name, v] as const))('%s', async (_, v) => {
    const r = await runCli([...encodeArgs(v.input), '--format', 'json', '--out', '-', '--show-secrets']);
    expect(r.status, r.stderr).toBe(0);
    const manifest = JSON.parse(r.stdout);
    expect(manifest.packetHex).toBe(v.packetHex);
    expect(manifest.levels).toBe(v.frames);
    expect(manifest.frameCount).toBe(v.frames.length);
  });
});

describe('formats', () => {
  it('json: the manifest, with timing for every frame', async () => {
    const r = await runInProcess([...basicArgs, '--format', 'json', '--out', '-', '--fps', '30']);
    expect(r.status).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m).toMatchObject({ fps: 30, refreshHz: 60, refreshesPerFrame: 2, frameCount: 854, durationMs: 28466.667, levels: BASIC.frames });
    expect(m.frames.startMs[1]).toBe(33.333);
    expect(stderrLines(r)).toEqual(['854 frames (49-byte packet), 28.47 s on air at 30 fps on a 60 Hz display → stdout (JSON manifest)']);
  });

  it('csv: frame,start_ms,duration_ms,level,value', async () => {
    const r = await runInProcess([...basicArgs, '--format', 'csv', '--fps', '60', '--refresh', '120']);
    expect(r.status).toBe(0);
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('frame,start_ms,duration_ms,level,value');
    expect(rows).toHaveLength(855);
    expect(rows[1]).toBe('1,0.000,16.667,0,0');
    expect(rows[2]).toBe('2,16.667,16.667,1,191');
  });

  it('c: a header with the levels array', async () => {
    const r = await runInProcess([...basicArgs, '--format', 'c', '--out', '-']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('#define BLINKUP_FRAME_COUNT 854u');
    expect(r.stdout).toContain('static const uint8_t blinkup_levels[BLINKUP_FRAME_COUNT] = {');
  });

  it.each(['json', 'csv', 'c'])('%s: --out <file> writes the file and nothing to stdout', async (format) => {
    const out = join(dir, `out.${format}`);
    const r = await runInProcess([...basicArgs, '--format', format, '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(stderrLines(r)).toHaveLength(1);
    expect(stderrLines(r)[0]).toContain(out);
    expect(readFileSync(out, 'utf8').length).toBeGreaterThan(1000);
  });

  it('--help and --version exit 0', async () => {
    const [help, helpCommand, version] = await Promise.all([runCli(['encode', '--help']), runCli(['help', 'encode']), runCli(['--version'])]);
    expect(helpCommand.status).toBe(0);
    expect(helpCommand.stdout).toBe(help.stdout);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--password-file <f>');
    expect(help.stdout).toContain('BLINKUP_PASSWORD');
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('bad usage and bad input: exit 2, one line on stderr, nothing on stdout', () => {
  const plan = ['--plan-id', '0123456789abcdef'];
  const tok = ['--token', 'fedcba9876543210'];
  it.each<[string, string[], RegExp]>([
    ['no plan id', ['encode', ...tok], /missing --plan-id/],
    ['no token', ['encode', ...plan], /missing --token/],
    ['a short token', ['encode', ...plan, '--token', 'abc'], /token must be exactly 16 hex digits/],
    ['an unknown option', ['encode', ...plan, ...tok, '--fsp', '60'], /unknown option '--fsp'.*Did you mean --fps/],
    ['a non-numeric fps', ['encode', ...plan, ...tok, '--fps', '60x'], /--fps.*expected a number/],
    ['a rate the display cannot show', ['encode', ...plan, ...tok, '--fps', '45'], /45 fps cannot be shown on a 60 Hz display/],
    ['an absurd rate', ['encode', ...plan, ...tok, '--fps', '1000000000000000000000'], /flashing rate must be 10–120 fps/],
    ['an unknown format', ['encode', ...plan, ...tok, '--format', 'gif'], /Allowed choices are png, json, csv, c/],
    ['png to stdout', ['encode', ...plan, ...tok, '--out', '-'], /png frames need a folder/],
    ['--size with json', ['encode', ...plan, ...tok, '--format', 'json', '--size', '10x10'], /--size applies to --format png only/],
    ['a malformed size', ['encode', ...plan, ...tok, '--size', '10by10'], /expected <width>x<height>/],
    ['a huge size', ['encode', ...plan, ...tok, '--size', '100000x100000', '--out', join(dir, 'huge')], /frame size must be 1–8192 pixels/],
    ['--clear with credentials', ['encode', '--clear', '--ssid', 'x', ...tok], /--clear sends only the clear-configuration packet; remove --ssid, --token/],
    ['--proxy-user without --proxy', ['encode', ...plan, ...tok, '--proxy-user', 'u'], /need --proxy/],
    ['a proxy without a port', ['encode', ...plan, ...tok, '--proxy', 'proxy.example.com'], /expected <host>:<port>/],
    ['a proxy port out of range', ['encode', ...plan, ...tok, '--proxy', 'p:70000'], /proxy port must be an integer 1–65535/],
    ['a static setting with three addresses', ['encode', ...plan, ...tok, '--static', '1.2.3.4,255.0.0.0,1.2.3.1'], /expected 4 or 5 comma-separated values/],
    ['a bad static address', ['encode', ...plan, ...tok, '--static', '1.2.3.4,255.0.0.0,1.2.3.1,1.2.3.999'], /DNS server 1 is not a valid IPv4 address/],
    ['an SSID over 32 bytes', ['encode', ...plan, ...tok, '--ssid', 'x'.repeat(33), '--password', 'passw0rd'], /SSID is 33 bytes/],
    ['an SSID with no password given (an open network is asked for by name)', ['encode', ...plan, ...tok, '--ssid', 'x'], /missing the Wi-Fi password: .*--password '' for an open network/],
    ['a passphrase shorter than WPA allows', ['encode', ...plan, ...tok, '--ssid', 'x', '--password', 'hunter2'], /password is 7 bytes; a WPA passphrase has 8–63/],
    ['a proxy URL with credentials', ['encode', ...plan, ...tok, '--ssid', 'x', '--password', '', '--proxy', 'http://alice:pxSecret99@proxy:3128'], /proxy host must be a host name or IP address alone/],
    ['a 29.97 fps rate on a 60 Hz display', ['encode', '--clear', '--fps', '29.97'], /choose one of 60, 30, 20, 15, 12, 10$/],
    ['30 fps on a 59.94 Hz display', ['encode', '--clear', '--fps', '30', '--refresh', '59.94'], /choose one of 59.94, 29.97, 19.98, 14.985, 11.988$/],
    ['a missing password file', ['encode', ...plan, ...tok, '--ssid', 'x', '--password-file', join(dir, 'nope')], /cannot open .*nope: no such file or directory/],
    ['an unknown command', ['encrypt'], /unknown command 'encrypt'/],
  ])('%s', async (_, args, message) => {
    const r = await runInProcess(args);
    expectUsageError(r, message);
  });

  it('the real executable exits 2 with the one line too', async () => {
    const r = await runCli(['encode', '--plan-id', '0123456789abcdef', '--token', 'abc']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('blinkup: token must be exactly 16 hex digits (got 3 characters)\n');
  });

  it.skipIf(!existsSync('/dev/full'))('output that cannot be written (a full disk) is one line and status 2, not a stack trace', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, ...basicArgs, '--format', 'json'], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('blinkup: cannot write the output: no space left on device\n');
    } finally {
      closeSync(full);
    }
  });

  it('no command at all prints the help on stderr and exits 2', async () => {
    const r = await runCli([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Usage: blinkup');
  });

  it('BLINKUP_DEBUG=1 adds the stack trace', async () => {
    const r = await runCli(['encode', '--plan-id', 'x'], { env: { BLINKUP_DEBUG: '1' } });
    expect(r.status).toBe(2);
    expect(stderrLines(r)[0]).toMatch(/^blinkup: /);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});
