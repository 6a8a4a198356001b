/**
 * Runs the real `blinkup` command (bin/blinkup.js → dist/, built by `npm test` before vitest)
 * in a child process, with an environment free of the caller's BLINKUP_* variables.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const BIN = fileURLToPath(new URL('../../bin/blinkup.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Bytes for stdin (default: none, stdin is closed); a string is sent as UTF-8. */
  input?: string | Uint8Array;
  env?: Record<string, string>;
  cwd?: string;
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  if (!existsSync(BUILT)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the CLI tests');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('BLINKUP_')) env[k] = v;
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...env, ...options.env }, cwd: options.cwd, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const status = child.exitCode;
        if (status === null) reject(err ?? new Error('blinkup did not exit'));
        else resolve({ status, stdout, stderr });
      },
    );
    child.stdin!.end(options.input ?? '');
  });
}

/**
 * The CLI's contract for bad usage or input: exit 2, nothing on stdout, exactly one line
 * `blinkup: …` on stderr that matches `message`.
 */
export function expectUsageError(r: CliResult, message: RegExp): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  const lines = stderrLines(r);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^blinkup: /);
  expect(lines[0]).toMatch(message);
}

/** The lines of stderr (without the final newline). */
export function stderrLines(r: CliResult): string[] {
  return r.stderr.replace(/\n$/, '').split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
}

/** `encode` arguments for a golden-vector input (or any ConfigPayload-like object). */
export function encodeArgs(input: { kind?: string; ssid?: string; password?: string; planId?: string; token?: string }): string[] {
  if (input.kind === 'clear') return ['encode', '--clear'];
  const args = ['encode', '--plan-id', input.planId!, '--token', input.token!];
  // An open network is asked for by name: an empty --password.
  if (input.ssid) args.push('--ssid', input.ssid, '--password', input.password ?? '');
  return args;
}

/**
 * Runs the same program in this process, from the TypeScript sources, with in-memory streams:
 * milliseconds instead of a Node start-up per case, for the many small cases. The spawned
 * runCli above proves the wiring of the real executable (bin → dist → exit status).
 */
export async function runInProcess(args: readonly string[], options: Omit<CliOptions, 'cwd'> & { stderrIsTTY?: boolean } = {}): Promise<CliResult> {
  const { run } = await import('../../src/cli/program.js');
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const errStream = Object.assign(sink((s) => (stderr += s)), { isTTY: options.stderrIsTTY === true });
  const status = await run(args, {
    stdin: Readable.from(options.input ? [Buffer.from(options.input)] : []),
    stdout: sink((s) => (stdout += s)),
    stderr: errStream,
    env: options.env ?? {},
    exitCode: 0,
  });
  return { status, stdout, stderr };
}
