/**
 * Secrets (issue 6): every command of the CLI run with a known Wi-Fi password, token and proxy
 * password — given on the command line, in a file, on stdin and in the environment — and every
 * byte it prints or writes searched for them in every form (text, hex either case, base64, the
 * token's wire order). Without --show-secrets none may appear; with it they appear where that
 * is the point. Light itself carries the secrets (frames, levels, captures): that is the product,
 * so pixel and sample data are searched only for accidental text, never required to be free of
 * the secret's light.
 *
 * test/cli covers each command's own redaction in detail; this file is the sweep across all of
 * them, their files and their error paths, plus the library objects a program might print.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatePhotodiode } from '../../src/channel/index.js';
import { decodeSamples, type DecodeEvent } from '../../src/decoder/index.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket, isBlinkUpError, parsePacket, redactPayload, type ConfigPayload } from '../../src/packet/index.js';
import { runCli, runInProcess, stderrLines, type CliResult } from '../cli/run-cli.js';
import { filesText, findSecrets, secretForms, type Secrets } from './secret-scan.js';

const SECRETS: Secrets = { password: 'Quartz-Zebra-7731!', token: '8badf00d13579bdf', proxyPassword: 'Prx-Hidden-42' };
const FORMS = secretForms(SECRETS);
const PLAN = '0123456789abcdef';
const PAYLOAD: ConfigPayload = {
  ssid: 'HardenNet',
  password: SECRETS.password,
  planId: PLAN,
  token: SECRETS.token,
  proxy: { host: 'proxy.lan', port: 3128, username: 'ops', password: SECRETS.proxyPassword! },
};

const dir = mkdtempSync(join(tmpdir(), 'blinkup-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string): string => join(dir, name);

/** Payload options with every secret on the command line. */
const ON_ARGV = ['--ssid', 'HardenNet', '--password', SECRETS.password, '--plan-id', PLAN, '--token', SECRETS.token, '--proxy', 'proxy.lan:3128', '--proxy-user', 'ops', '--proxy-password', SECRETS.proxyPassword!];
/** The same payload with no secret on the command line: password from a file, token and proxy password from the environment. */
const PASSWORD_FILE = path('wifi.txt');
const FROM_FILE = ['--ssid', 'HardenNet', '--password-file', PASSWORD_FILE, '--plan-id', PLAN, '--proxy', 'proxy.lan:3128', '--proxy-user', 'ops'];
const SECRET_ENV = { BLINKUP_TOKEN: SECRETS.token, BLINKUP_PROXY_PASSWORD: SECRETS.proxyPassword! };

function expectClean(what: string, text: string): void {
  expect(findSecrets(text, FORMS), `${what} reveals a secret`).toEqual([]);
}

/** stdout, stderr and every file under `outputs` free of secrets; the command did what it should. */
function expectRunClean(what: string, r: CliResult, status: number, outputs: readonly string[] = []): void {
  expect(r.status, `${what}: ${r.stderr}`).toBe(status);
  expectClean(`${what} stdout`, r.stdout);
  expectClean(`${what} stderr`, r.stderr);
  for (const out of outputs) for (const [file, text] of filesText(out)) expectClean(`${what} → ${file}`, text);
}

beforeAll(() => {
  writeFileSync(PASSWORD_FILE, `${SECRETS.password}\n`);
});

describe('every command, secrets from argv, a file, stdin and the environment', () => {
  it.each(['json', 'csv', 'c'])('encode --format %s to stdout and to a file', async (format) => {
    expectRunClean(`encode ${format} stdout`, await runInProcess(['encode', ...ON_ARGV, '--format', format, '--out', '-']), 0);
    const file = path(`levels.${format}`);
    expectRunClean(`encode ${format} file`, await runInProcess(['encode', ...FROM_FILE, '--format', format, '--out', file], { env: SECRET_ENV }), 0, [file]);
  });

  it('encode with every secret from the environment; --show-secrets shows them where asked', async () => {
    const env = { ...SECRET_ENV, BLINKUP_PASSWORD: SECRETS.password };
    const ids = ['--ssid', 'HardenNet', '--plan-id', PLAN, '--proxy', 'proxy.lan:3128', '--proxy-user', 'ops', '--format', 'json', '--out', '-'];
    expectRunClean('encode, secrets in the environment', await runInProcess(['encode', ...ids], { env }), 0);
    const shown = await runInProcess(['encode', ...ids, '--show-secrets'], { env });
    for (const secret of [SECRETS.password, SECRETS.token, SECRETS.proxyPassword!]) expect(shown.stdout).toContain(secret);
  });

  it('encode --format png: frames, manifest and their text chunks', async () => {
    const out = path('png-frames');
    expectRunClean('encode png', await runInProcess(['encode', ...ON_ARGV, '--out', out, '--size', '2x2']), 0, [out]);
  });

  it('encode and simulate with the password on stdin (a real pipe into the executable)', async () => {
    const out = path('stdin-frames.json');
    const r = await runCli(['encode', ...FROM_FILE.map((a) => (a === PASSWORD_FILE ? '-' : a)), '--format', 'json', '--out', out], { input: `${SECRETS.password}\n`, env: SECRET_ENV });
    expectRunClean('encode, password on stdin', r, 0, [out]);
    const sim = await runCli(['simulate', ...FROM_FILE.map((a) => (a === PASSWORD_FILE ? '-' : a)), '--seed', '3'], { input: SECRETS.password, env: SECRET_ENV });
    expectRunClean('simulate, password on stdin', sim, 0);
  });

  it('example (the built-in sample secrets)', async () => {
    const out = path('example');
    const r = await runInProcess(['example', '--out', out]);
    expect(r.status).toBe(0);
    const sample = secretForms({ password: 'correct horse', token: 'fedcba9876543210' });
    for (const [file, text] of [...filesText(out), ['stdout', r.stdout] as const, ['stderr', r.stderr] as const]) {
      expect(findSecrets(text, sample), file).toEqual([]);
    }
  });

  it.each([
    ['csv', [], 'capture.csv'],
    ['csv with timestamps', ['--timestamps'], 'capture-t.csv'],
    ['u16le', ['--format', 'u16le'], 'capture.u16le'],
    ['f32le', ['--format', 'f32le'], 'capture.f32le'],
    ['a Y4M clip', ['--camera', '--fps', '120', '--refresh', '120', '--camera-fps', '30', '--size', '8x6'], 'clip.y4m'],
    ['PNG frames', ['--camera', '--fps', '120', '--refresh', '120', '--camera-fps', '30', '--size', '8x6', '--format', 'png'], 'clip-frames'],
  ])('simulate: %s (header comments, times file, summary line)', async (_, extra, name) => {
    const out = path(name);
    const r = await runInProcess(['simulate', ...FROM_FILE, '--seed', '5', ...extra, '--out', out], { env: { ...SECRET_ENV, BLINKUP_PASSWORD: 'ignored when a file is given' } });
    expectRunClean(`simulate ${name}`, r, 0, [out]);
  });

  describe('decode and analyze', () => {
    const capture = path('good.csv');
    const broken = path('crc-failure.csv');
    const cut = path('cut.csv');

    beforeAll(async () => {
      expect((await runInProcess(['simulate', ...ON_ARGV, '--seed', '11', '--out', capture])).status).toBe(0);
      // The same payload with its CRC spoiled (sent twice, so repetition combining runs too)…
      const bad = encodePacket(PAYLOAD);
      bad[bad.length - 1]! ^= 0x5a;
      const twice = simulatePhotodiode(toLevels(bad), { repeat: 2, heldLevelProbability: 0 }, 4);
      writeFileSync(broken, `Sample Rate (Hz),1000\nvalue\n${Array.from(twice.samples).join('\n')}\n`);
      // …and cut off in the middle of the token.
      const whole = simulatePhotodiode(toLevels(encodePacket(PAYLOAD)), { heldLevelProbability: 0 }, 6);
      const end = Math.round(whole.samples.length * 0.8);
      writeFileSync(cut, `Sample Rate (Hz),1000\nvalue\n${Array.from(whole.samples.subarray(0, end)).join('\n')}\n`);
    });

    it('decode, human and --json: masked', async () => {
      expectRunClean('decode', await runInProcess(['decode', capture]), 0);
      expectRunClean('decode --json', await runInProcess(['decode', capture, '--json']), 0);
    });

    it('decode --show-secrets shows the password, the token and the proxy password', async () => {
      for (const args of [[], ['--json']]) {
        const r = await runInProcess(['decode', capture, '--show-secrets', ...args]);
        expect(r.status).toBe(0);
        for (const s of [SECRETS.password, SECRETS.token, SECRETS.proxyPassword!]) expect(r.stdout, args.join(' ')).toContain(s);
      }
    });

    it('decode of a transmission whose CRC fails, and of one cut short: exit 1, nothing shown', async () => {
      for (const file of [broken, cut]) {
        for (const args of [[], ['--json']]) {
          const r = await runInProcess(['decode', file, ...args]);
          expectRunClean(`decode ${file} ${args.join(' ')}`, r, 1);
          expect(stderrLines(r)).toHaveLength(1);
        }
      }
      // With consent the received bytes are shown (they are nearly the packet: the secrets are in them).
      const shown = await runInProcess(['decode', broken, '--show-secrets']);
      expect(shown.stdout).toContain(Buffer.from(SECRETS.password).toString('hex'));
    });

    it('analyze, human, --json and --plot (the PNG and its text chunks)', async () => {
      for (const file of [capture, broken, cut]) {
        const plot = path(`plot-${file.length}-${Math.random().toString(36).slice(2)}.png`);
        expectRunClean(`analyze ${file}`, await runInProcess(['analyze', file, '--plot', plot]), 0, [plot]);
        expectRunClean(`analyze --json ${file}`, await runInProcess(['analyze', file, '--json']), 0);
      }
    });

    it('the real executable: simulate | decode - through a pipe, masked end to end', async () => {
      const sim = await runCli(['simulate', ...FROM_FILE, '--seed', '11'], { env: SECRET_ENV });
      expectRunClean('simulate (spawned)', sim, 0);
      expectRunClean('decode - (spawned)', await runCli(['decode', '-'], { input: sim.stdout }), 0);
    });
  });

  it.each<[string, string[]]>([
    ['a token with a wrong digit', ['encode', '--ssid', 'x', '--password', SECRETS.password, '--plan-id', PLAN, '--token', `${SECRETS.token.slice(0, 15)}z`]],
    ['a token one digit short', ['encode', '--plan-id', PLAN, '--token', SECRETS.token.slice(0, 15)]],
    ['a password too long', ['encode', '--ssid', 'x', '--password', SECRETS.password.repeat(4), '--plan-id', PLAN, '--token', SECRETS.token]],
    ['a 64-character password that is not hex', ['encode', '--ssid', 'x', '--password', SECRETS.password.padEnd(64, 'q'), '--plan-id', PLAN, '--token', SECRETS.token]],
    ['a password without an SSID', ['encode', '--password', SECRETS.password, '--plan-id', PLAN, '--token', SECRETS.token]],
    ['a proxy password without a user', ['encode', '--plan-id', PLAN, '--token', SECRETS.token, '--proxy', 'p:1', '--proxy-password', SECRETS.proxyPassword!]],
    ['simulate with a rate the display cannot show', ['simulate', ...ON_ARGV, '--fps', '45']],
    ['simulate with a bad channel flag', ['simulate', ...ON_ARGV, '--swing', 'lots']],
    ['an unknown option next to the secrets', ['encode', ...ON_ARGV, '--colour', 'red']],
  ])('error path: %s — exit 2, one clean line', async (_, args) => {
    const r = await runInProcess(args, { env: SECRET_ENV });
    expectRunClean(args.join(' ').slice(0, 40), r, 2);
    expect(stderrLines(r)).toHaveLength(1);
    // The one line names what is wrong, never the value.
    expect(r.stderr).not.toContain(SECRETS.token.slice(0, 15));
  });

  it('error path: a password file that is not UTF-8 or too big, a secret in the environment only', async () => {
    const latin1 = path('latin1.txt');
    writeFileSync(latin1, Buffer.from(`${SECRETS.password}\u00ff`, 'latin1'));
    const big = path('big.txt');
    writeFileSync(big, SECRETS.password.repeat(400));
    for (const file of [latin1, big]) {
      const r = await runInProcess(['encode', '--ssid', 'x', '--password-file', file, '--plan-id', PLAN, '--token', SECRETS.token]);
      expectRunClean(`password file ${file}`, r, 2);
    }
    const env = await runInProcess(['encode', '--ssid', 'x', '--plan-id', PLAN, '--token', 'nope'], { env: { BLINKUP_PASSWORD: SECRETS.password } });
    expectRunClean('password in the environment, bad token', env, 2);
  });
});

describe('the library: payloads and events print redacted', () => {
  const forms = FORMS;
  const printed = (x: unknown): string[] => [String(x), `${x as string}`, JSON.stringify(x), inspect(x, { depth: 10 }), inspect([x], { depth: 10 })];

  it('parsePacket payloads: String, template, JSON.stringify, util.inspect', () => {
    const p = parsePacket(encodePacket(PAYLOAD));
    for (const text of printed(p)) expect(findSecrets(text, forms), text).toEqual([]);
    // Its proxy settings logged on their own, as someone debugging them would.
    const proxy = p.kind === 'config' ? p.proxy : undefined;
    expect(proxy).toBeDefined();
    for (const text of printed(proxy)) expect(findSecrets(text, forms), text).toEqual([]);
    expect(proxy!.password).toBe(SECRETS.proxyPassword);
    expect(findSecrets(JSON.stringify(redactPayload(p)), forms)).toEqual([]);
    // The fields are still there for the program that asked.
    expect(p).toMatchObject({ password: SECRETS.password, token: SECRETS.token });
  });

  it('payloads of decoder events (a clean channel and a weak, repeated one) print redacted too', () => {
    const packet = encodePacket(PAYLOAD);
    const capture = simulatePhotodiode(toLevels(packet), { repeat: 3, swing: 0.05, adcBits: 10, noiseLsb: 1 }, 21);
    const events: DecodeEvent[] = [
      ...decodeSamples(capture.samples, { sampleRate: capture.sampleRate }).events,
      ...decodeSamples(simulatePhotodiode(toLevels(packet), {}, 2).samples, { sampleRate: 1000 }).events,
    ];
    const packets = events.filter((e) => e.type === 'packet');
    expect(packets.length).toBeGreaterThan(0);
    for (const e of packets) {
      for (const text of printed(e.payload)) expect(findSecrets(text, forms), text).toEqual([]);
      for (const text of printed(e.payload.kind === 'config' ? e.payload.proxy : undefined)) expect(findSecrets(text, forms), text).toEqual([]);
    }
  });

  it('whole decoder events print without the packet bytes that hold the secrets', () => {
    const packet = encodePacket(PAYLOAD);
    const broken = packet.slice();
    broken[broken.length - 1]! ^= 0x5a;
    const events = [
      ...decodeSamples(simulatePhotodiode(toLevels(packet), {}, 2).samples, { sampleRate: 1000 }).events,
      ...decodeSamples(simulatePhotodiode(toLevels(broken), { heldLevelProbability: 0 }, 2).samples, { sampleRate: 1000, combine: false }).events,
    ].filter((e) => e.type === 'packet' || e.type === 'crc-failure');
    expect(events.map((e) => e.type).sort()).toEqual(['crc-failure', 'packet']);
    // The password's bytes as a number list (util.inspect, String) or as JSON of a typed array.
    const bytes = [...Buffer.from(SECRETS.password)];
    const asList = new RegExp(bytes.join(',\\s*'));
    const asJson = new RegExp(bytes.map((b) => `"\\d+":${b}`).join(','));
    for (const e of events) {
      for (const text of [...printed(e), String((e as { bytes: Uint8Array }).bytes)]) {
        expect(findSecrets(text, forms), text).toEqual([]);
        expect(asList.test(text) || asJson.test(text), text.slice(0, 300)).toBe(false);
      }
      // The bytes themselves are still there for the program that asked.
      expect(Buffer.from((e as { bytes: Uint8Array }).bytes).includes(Buffer.from(SECRETS.password))).toBe(true);
    }
  });

  it('error messages of encodePacket and parsePacket never quote a secret', () => {
    const bad: ConfigPayload[] = [
      { ...PAYLOAD, token: `${SECRETS.token}0` },
      { ...PAYLOAD, token: `${SECRETS.token.slice(1)}g` },
      { ...PAYLOAD, password: SECRETS.password.repeat(5) },
      { ...PAYLOAD, password: SECRETS.password.padEnd(64, 'x') },
      { ...PAYLOAD, ssid: '' },
      { ...PAYLOAD, proxy: { host: 'h', port: 1, password: SECRETS.proxyPassword! } },
      { ...PAYLOAD, password: `${SECRETS.password}\ud800` },
    ];
    for (const p of bad) {
      let message = '';
      try {
        encodePacket(p);
      } catch (err) {
        expect(isBlinkUpError(err)).toBe(true);
        message = (err as Error).message;
      }
      expect(message).not.toBe('');
      expect(findSecrets(message, forms), message).toEqual([]);
    }
    const packet = encodePacket(PAYLOAD);
    for (let i = 0; i < packet.length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const damaged = packet.slice();
        damaged[i]! ^= mask;
        try {
          parsePacket(damaged);
        } catch (err) {
          expect(findSecrets((err as Error).message, forms), (err as Error).message).toEqual([]);
        }
      }
    }
  });
});
