/**
 * A live capture on stdin — a logger on a serial port, `ffmpeg` reading a camera — stays open
 * after a transmission ends: each packet must be printed as soon as its samples have arrived, not
 * when a reader's chunk fills up or the stream ends. (The readers hand on their first chunk whole,
 * for the sample rate and full scale, and after it whatever each read completed.)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/blinkup.js', import.meta.url));
const fixture = (name: string): Buffer => readFileSync(fileURLToPath(new URL(`../../fixtures/captures/${name}`, import.meta.url)));

/**
 * The capture and then half a second more of its last sample: a live sensor goes on reading the
 * dark after the flash (the fixtures end a few frames after it), and the decoder runs samples in
 * pieces of 256, so the last few frames wait for the next piece.
 */
function thenDark(name: string): Buffer {
  const bytes = fixture(name);
  if (name.endsWith('.u16le')) return Buffer.concat([bytes, ...new Array<Buffer>(500).fill(bytes.subarray(bytes.length - 2))]);
  const last = bytes.toString('latin1').trimEnd().split('\n').pop()!;
  return Buffer.concat([bytes, Buffer.from(`${last}\n`.repeat(500))]);
}

/**
 * Runs blinkup with `input` written to a stdin left open; resolves with what stdout held when
 * `seen` first matched it (or after `waitMs` without), then ends stdin and collects the exit.
 */
function whileOpen(args: string[], input: Uint8Array, seen: RegExp, waitMs: number): Promise<{ early: string; status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let early: string | undefined;
    const close = (): void => {
      early ??= stdout;
      child.stdin.end();
    };
    const timer = setTimeout(close, waitMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (early === undefined && seen.test(stdout)) {
        clearTimeout(timer);
        close();
      }
    });
    child.stdin.write(input);
    child.on('error', reject);
    child.on('close', (status) => resolve({ early: early ?? '', status, stdout }));
  });
}

describe('decode - on a live stream', () => {
  it.each([
    ['photodiode.csv', ['--rate', '1000']],
    ['photodiode.u16le', ['--format', 'u16le', '--rate', '1000']],
  ])('prints the packet of %s while stdin is still open', async (name, args) => {
    // Both end less than a reader's chunk (4096 samples) after the packet does.
    const r = await whileOpen(['decode', '-', ...args], thenDark(name), /^Packet 1 /m, 10_000);
    expect(r.early).toMatch(/^Packet 1 at /m);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Signal: \d+ samples/m);
  }, 30_000);
});
