/**
 * Secrets and the CLI: every way in for the password (argv, file, stdin, environment), and no
 * password or token in any output — stdout, stderr, files, error lines — without --show-secrets.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GOLDEN_VECTORS } from '../packet/vectors.js';
import { BIN, runCli, runInProcess, stderrLines, type CliResult } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'blinkup-cli-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASIC = GOLDEN_VECTORS[0]!;
const ids = ['encode', '--ssid', 'HomeNetwork', '--plan-id', '0123456789abcdef', '--token', 'fedcba9876543210'];
const asJson = ['--format', 'json', '--out', '-', '--show-secrets'];

function secretFile(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The payload and packet an encode run produced (run with --show-secrets). */
function produced(r: CliResult): { password: string; packetHex: string } {
  expect(r.status, r.stderr).toBe(0);
  const m = JSON.parse(r.stdout);
  return { password: m.payload.password, packetHex: m.packetHex };
}

describe('ways to give the Wi-Fi password', () => {
  it('on the command line', async () => {
    expect(produced(await runInProcess([...ids, '--password', 'correct horse', ...asJson])).packetHex).toBe(BASIC.packetHex);
  });

  it('in a file, without its trailing newline', async () => {
    const file = secretFile('pw.txt', 'correct horse\n');
    expect(produced(await runInProcess([...ids, '--password-file', file, ...asJson])).packetHex).toBe(BASIC.packetHex);
  });

  it('in a file with CRLF, keeping other whitespace', async () => {
    const file = secretFile('pw-crlf.txt', ' two  spaces \r\n');
    expect(produced(await runInProcess([...ids, '--password-file', file, ...asJson])).password).toBe(' two  spaces ');
  });

  it('on stdin with --password-file - (the real executable, a real pipe)', async () => {
    const r = await runCli([...ids, '--password-file', '-', ...asJson], { input: 'correct horse\n' });
    expect(produced(r).packetHex).toBe(BASIC.packetHex);
  });

  it('through a pipe a shell made (--password-file <(…): the real executable)', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" "$@" --password-file <(printf 'correct horse\\n')`, 'bash', ...ids, ...asJson], { encoding: 'utf8' });
    expect(produced({ status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }).packetHex).toBe(BASIC.packetHex);
  });

  it('in BLINKUP_PASSWORD', async () => {
    const r = await runInProcess([...ids, ...asJson], { env: { BLINKUP_PASSWORD: 'correct horse' } });
    expect(produced(r).packetHex).toBe(BASIC.packetHex);
  });

  it('an option wins over the environment', async () => {
    const r = await runInProcess([...ids, '--password', 'correct horse', ...asJson], { env: { BLINKUP_PASSWORD: 'something else' } });
    expect(produced(r).password).toBe('correct horse');
  });

  it('an empty BLINKUP_PASSWORD (an unset variable passed on) is refused, not taken for an open network', async () => {
    const r = await runInProcess([...ids, ...asJson], { env: { BLINKUP_PASSWORD: '' } });
    expect(r.status).toBe(2);
    expect(stderrLines(r)).toEqual([`blinkup: BLINKUP_PASSWORD is empty; for an open network pass --password ''`]);
  });

  it('text that was not UTF-8 (Node reads it as U+FFFD) is refused from the command line and the environment, as from a file', async () => {
    // A Latin-1 terminal's "é" arrives as U+FFFD: sent, the device would get EF BF BD and never join.
    const bad = 'caf\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD';
    const fromArgv = await runInProcess([...ids, '--password', bad, ...asJson]);
    expect(fromArgv.status).toBe(2);
    expect(stderrLines(fromArgv)).toEqual(['blinkup: --password holds bytes that are not UTF-8 (a terminal set to another character set?); give it in UTF-8']);
    const fromEnv = await runInProcess([...ids, ...asJson], { env: { BLINKUP_PASSWORD: bad } });
    expect(fromEnv.status).toBe(2);
    const ssid = await runInProcess(['encode', '--ssid', '\uFFFD\uFFFD', '--password', 'correct horse', '--plan-id', 'deadbeefcafef00d', '--token', '0102030405060708', ...asJson]);
    expect(stderrLines(ssid)).toEqual(['blinkup: --ssid holds bytes that are not UTF-8 (a terminal set to another character set?); give it in UTF-8']);
    const proxy = await runInProcess([...ids, '--password', 'correct horse', '--proxy', 'h\uFFFD:80', ...asJson]);
    expect(stderrLines(proxy)).toEqual(['blinkup: --proxy holds bytes that are not UTF-8 (a terminal set to another character set?); give it in UTF-8']);
  });

  it("an open network is asked for with --password ''", async () => {
    const r = await runInProcess([...ids, '--password', '', ...asJson]);
    expect(produced(r).password).toBe('');
  });

  it('the environment is ignored for a wired device (no SSID)', async () => {
    const r = await runInProcess(['encode', '--plan-id', 'deadbeefcafef00d', '--token', '0102030405060708', ...asJson], { env: { BLINKUP_PASSWORD: 'left over' } });
    expect(produced(r).packetHex).toBe(GOLDEN_VECTORS[2]!.packetHex);
  });

  it('token and proxy password can come from the environment too', async () => {
    const r = await runInProcess(
      ['encode', '--ssid', 'Lab', '--password', 'passw0rd', '--plan-id', '0123456789abcdef', '--proxy', 'p:80', '--proxy-user', 'u', ...asJson],
      { env: { BLINKUP_TOKEN: 'fedcba9876543210', BLINKUP_PROXY_PASSWORD: 'pp' } },
    );
    const m = JSON.parse(r.stdout);
    expect(m.payload.token).toBe('fedcba9876543210');
    expect(m.payload.proxy).toEqual({ host: 'p', port: 80, username: 'u', password: 'pp' });
  });

  it.each<[string, () => string[], RegExp]>([
    ['both --password and --password-file', () => ['--password', 'a', '--password-file', secretFile('a.txt', 'a')], /give the Wi-Fi password once/],
    ['a password file that is a directory', () => ['--password-file', dir], /is neither a file nor a pipe/],
    ['a password file far too big for a password', () => ['--password-file', secretFile('big.txt', 'x'.repeat(10_000))], /larger than 4096 bytes/],
    ['a password file that is not UTF-8', () => ['--password-file', secretFile('latin1.txt', Uint8Array.of(0x63, 0xff, 0xfe))], /not valid UTF-8/],
    // An unset variable written to the file: that would silently make an open network's packet.
    ['an empty password file', () => ['--password-file', secretFile('empty.txt', '\n')], /Wi-Fi password file .*empty\.txt is empty \(for an open network, pass --password ''\)$/],
    ['a password file of two lines', () => ['--password-file', secretFile('two.txt', 'first line\nsecond\n')], /Wi-Fi password file .*two\.txt holds more than one line: a password is one line$/],
    ['no password at all (a forgotten option must not make an open network)', () => [], /missing the Wi-Fi password: .*--password '' for an open network\)$/],
  ])('refuses %s', async (_, extra, message) => {
    const r = await runInProcess([...ids, ...extra(), '--format', 'json']); // json: a wrong success writes no files
    expect(r.status).toBe(2);
    expect(stderrLines(r)).toEqual([expect.stringMatching(message)]);
  });
});

describe('no secret in any output without --show-secrets', () => {
  const PASSWORD = 'Tr0ub4dor&3-secret';
  const TOKEN = 'c0ffee00deadbeef';
  const PROXY_PASSWORD = 'pr0xy-s3cret';
  const hex = (s: string): string => Buffer.from(s).toString('hex');
  const forbidden = [PASSWORD, TOKEN, PROXY_PASSWORD, hex(PASSWORD), hex(PROXY_PASSWORD), Buffer.from(TOKEN, 'hex').reverse().toString('hex'), 'Tr0ub4dor'];
  const args = ['encode', '--ssid', 'Office', '--password', PASSWORD, '--plan-id', '0123456789abcdef', '--token', TOKEN, '--proxy', 'proxy.local:3128', '--proxy-user', 'alice', '--proxy-password', PROXY_PASSWORD];

  function expectClean(what: string, text: string): void {
    for (const secret of forbidden) expect(text.includes(secret), `${what} contains ${secret}`).toBe(false);
  }

  it.each(['json', 'csv', 'c'])('%s on stdout and the summary on stderr', async (format) => {
    const r = await runInProcess([...args, '--format', format, '--out', '-']);
    expect(r.status).toBe(0);
    expectClean('stdout', r.stdout);
    expectClean('stderr', r.stderr);
  });

  it('png: the manifest and every other text written', async () => {
    const out = join(dir, 'png');
    const r = await runInProcess([...args, '--out', out, '--size', '2x2']);
    expect(r.status).toBe(0);
    expectClean('stderr', r.stderr);
    for (const name of readdirSync(out)) expectClean(name, readFileSync(join(out, name), 'latin1'));
  });

  it('error lines about the secrets themselves', async () => {
    const nonHexKey = `${PASSWORD}${'z'.repeat(64 - PASSWORD.length)}`;
    const badToken = `x${TOKEN.slice(1)}`;
    const base = ['encode', '--ssid', 'x', '--plan-id', '0123456789abcdef'];
    const cases = [
      [...base, '--password', nonHexKey, '--token', TOKEN],
      [...base, '--password', PASSWORD, '--token', badToken],
      [...base, '--password', `${PASSWORD}${'p'.repeat(60)}`, '--token', TOKEN],
      [...base, '--password', PASSWORD, '--token', TOKEN, '--proxy', 'p:1', '--proxy-password', PROXY_PASSWORD],
      // A proxy URL pasted whole, credentials and all: refused without quoting it, port typo or not.
      [...base, '--password', PASSWORD, '--token', TOKEN, '--proxy', `http://alice:${PROXY_PASSWORD}@proxy:3128`],
      [...base, '--password', PASSWORD, '--token', TOKEN, '--proxy', `alice:${PROXY_PASSWORD}@proxy:31x28`],
      [...base, '--password', PASSWORD, '--token', TOKEN, '--proxy', `alice:${PROXY_PASSWORD}@proxy`],
    ];
    for (const c of cases) {
      const r = await runInProcess(c);
      expect(r.status, c.join(' ')).toBe(2);
      expectClean('error line', r.stderr);
      expect(r.stderr).not.toContain(badToken);
    }
  });

  it('--show-secrets shows them (so the checks above can fail)', async () => {
    const r = await runInProcess([...args, '--format', 'json', '--out', '-', '--show-secrets']);
    for (const secret of [PASSWORD, TOKEN, PROXY_PASSWORD]) expect(r.stdout).toContain(secret);
  });
});
