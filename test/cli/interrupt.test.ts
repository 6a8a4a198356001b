/**
 * Ctrl-C on a live capture: a pipe that never ends (`ffmpeg … | blinkup decode -`, a serial port)
 * is stopped by the user, and what was read until then must still be decoded and reported —
 * the video's automatic region search holds frames back until its window fills, so without this
 * a packet already on the pipe was lost. Elsewhere Ctrl-C ends the command at once.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/blinkup.js', import.meta.url));
const CLIP = fileURLToPath(new URL('../../fixtures/captures/camera.y4m', import.meta.url));

/**
 * Runs blinkup with `input` written to a stdin left open, sends SIGINT `afterMs` after the write
 * went through (an input larger than a pipe's buffer has then been partly read: the command is
 * running, its handler installed, and the rest follows at once), and collects the result.
 */
function interrupted(args: string[], input: Uint8Array | null, afterMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let timer: NodeJS.Timeout | undefined;
    const interrupt = (): void => {
      timer = setTimeout(() => child.kill('SIGINT'), afterMs);
    };
    if (input) child.stdin.write(input, interrupt);
    else interrupt();
    const watchdog = setTimeout(() => child.kill('SIGKILL'), afterMs + 15_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      clearTimeout(watchdog);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('Ctrl-C', () => {
  it('ends a live video on stdin there: the packets read so far are decoded and reported', async () => {
    // The whole clip (92 KB: more than a pipe holds) is written, but stdin stays open: the region
    // search still holds its frames.
    const r = await interrupted(['decode', '-'], readFileSync(CLIP), 1000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('plan id   deadbeefcafef00d');
    expect(r.stdout).toMatch(/^Signal: \d+ samples/m);
    expect(r.stderr).toBe('blinkup: warning: interrupted: decoded what was read until then\n');
  }, 30_000);

  it('ends a live capture with no packet yet with exit 1 and the reason, after the warning', async () => {
    const r = await interrupted(['decode', '-', '--rate', '1000'], new TextEncoder().encode('100\n101\n99\n'.repeat(20_000)), 1000);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^blinkup: warning: interrupted: decoded what was read until then\nblinkup: no packet decoded: /);
  }, 30_000);

  it('anywhere else ends the command at once, with status 130', async () => {
    // A stdin that never ends: `encode --password-file -` waits for the password.
    const r = await interrupted(['encode', '--ssid', 'X', '--password-file', '-', '--plan-id', '0123456789abcdef', '--token', 'fedcba9876543210'], null, 2000);
    expect(r.status).toBe(130);
  }, 30_000);
});
