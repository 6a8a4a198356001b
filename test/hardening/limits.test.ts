/**
 * Resource limits (issue 6): the decoder's memory stays flat however long the stream; the CLI
 * streams its input instead of loading it (hundreds of MB through a pipe in bounded memory);
 * an endless line and absurd rates are refused at once, in one line.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulatePhotodiode } from '../../src/channel/index.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import { runInProcess, stderrLines } from '../cli/run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/blinkup.js', import.meta.url));
const MB = 1 << 20;

/** Resident memory of a process, bytes (Linux /proc; undefined elsewhere or once it exited). */
function rss(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Piped {
  status: number;
  stdout: string;
  stderr: string;
  /** Bytes the writer got into the pipe before the command exited or the input ended. */
  written: number;
  peakRss: number;
}

/**
 * Runs `blinkup <args>` with `block` written to its stdin `times` times (with back-pressure, so
 * the input is produced as it is consumed, never held), polling its resident memory.
 */
function pipeInto(args: readonly string[], block: Buffer, times: number, tail = ''): Promise<Piped> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let written = 0;
    let peakRss = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const poll = setInterval(() => (peakRss = Math.max(peakRss, rss(child.pid!) ?? 0)), 25);
    let stopped = false;
    child.stdin.on('error', () => (stopped = true)); // EPIPE once the command has refused the input
    const write = (k: number): void => {
      for (; k < times && !stopped; k++) {
        written += block.length;
        if (!child.stdin.write(block)) {
          child.stdin.once('drain', () => write(k + 1));
          return;
        }
      }
      if (!stopped) child.stdin.end(tail);
    };
    child.on('close', (code) => {
      clearInterval(poll);
      stopped = true;
      resolve({ status: code ?? -1, stdout, stderr, written, peakRss });
    });
    write(0);
  });
}

describe('memory', () => {
  it('one decoder over an hour of 1 kHz signal: the heap stays flat', async () => {
    const probe = fileURLToPath(new URL('memory-probe.ts', import.meta.url));
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--expose-gc', '--import', 'tsx', probe, '60', '1000'], { cwd: ROOT, timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    const { heap, packets, samples } = JSON.parse(out) as { heap: number[]; packets: number; samples: number };
    expect(samples).toBeGreaterThanOrEqual(3_600_000);
    expect(packets).toBeGreaterThan(50); // it was decoding all along, not idling
    // After the first tenth (JIT, first allocations), 3.2 million more samples add almost nothing.
    const growth = Math.max(...heap.slice(1)) - heap[1]!;
    expect(growth, `heap at checkpoints: ${heap.map((h) => (h / MB).toFixed(2)).join(', ')} MB`).toBeLessThan(0.5 * MB);
  });

  it.runIf(existsSync('/proc/self/status'))('decode - reads 300 MB of CSV through a pipe in bounded memory', async () => {
    // One transmission, each sample followed by a long comment line: 300 MB of input, 1.4 M samples.
    const packet = encodePacket({ ssid: 'Pipe', password: 'pipe-password', planId: '0123456789abcdef', token: 'fedcba9876543210' });
    const capture = simulatePhotodiode(toLevels(packet), { heldLevelProbability: 0, leadInS: 0.2, leadOutS: 0.2 }, 9);
    const comment = `# ${'padding '.repeat(24)}\n`;
    const block = Buffer.from(Array.from(capture.samples, (v) => `${v}\n${comment}`).join(''));
    const times = Math.ceil((300 * MB) / block.length);
    const r = await pipeInto(['decode', '-', '--rate', '1000'], block, times);
    expect(r.status, r.stderr).toBe(0);
    expect(r.written).toBeGreaterThanOrEqual(300 * MB);
    expect(r.stdout.match(/^Packet \d+ at /gm)).toHaveLength(times);
    expect(r.peakRss, 'peak resident memory').toBeGreaterThan(10 * MB); // it was measured
    expect(r.peakRss, 'peak resident memory').toBeLessThan(200 * MB);
  }, 120_000);
});

describe('refused at once', () => {
  it('an endless line on stdin: exit 2 after the line limit, not after the input', async () => {
    const r = await pipeInto(['decode', '-', '--rate', '1000'], Buffer.alloc(MB, 0x37), 200);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('blinkup: line 1 is longer than 65536 bytes (is this a text capture?)\n');
    expect(r.written, 'bytes written before the refusal').toBeLessThan(32 * MB);
    expect(r.peakRss).toBeLessThan(200 * MB);
  }, 60_000);

  it.each<[string, string[], RegExp]>([
    ['--rate NaN', ['--rate', 'NaN'], /--rate/],
    ['--rate Infinity', ['--rate', 'Infinity'], /--rate/],
    ['--rate 1e309', ['--rate', '1e309'], /--rate/],
    ['--rate 1e-300', ['--rate', '1e-300'], /--rate/],
    ['--rate -1000', ['--rate', '-1000'], /--rate/],
    ['--rate 0', ['--rate', '0'], /--rate/],
    ['--rate 1e3x', ['--rate', '1e3x'], /--rate/],
    ['--rate with nothing', ['--rate', ''], /--rate/],
    ['--fps 1e9', ['--format', 'y4m', '--fps', '1e9'], /--fps/],
    ['--fps -30', ['--format', 'y4m', '--fps', '-30'], /--fps/],
    ['--fps NaN', ['--format', 'y4m', '--fps', 'NaN'], /--fps/],
    ['--full-scale -1', ['--rate', '1000', '--full-scale', '-1'], /--full-scale/],
    ['--full-scale Infinity', ['--rate', '1000', '--full-scale', 'Infinity'], /--full-scale/],
  ])('decode %s: exit 2, one line naming the option', async (_, options, message) => {
    const r = await runInProcess(['decode', '-', ...options], { input: '1\n2\n3\n' });
    expect(r.status).toBe(2);
    expect(stderrLines(r)).toEqual([expect.stringMatching(message)]);
  });

  it.each<[string, string[], RegExp]>([
    ['--rate 1e12', ['--rate', '1e12'], /rate/],
    ['--rate NaN', ['--rate', 'NaN'], /rate/],
    ['--repeat 1e9', ['--repeat', '1e9'], /--repeat/],
    ['--size 100000x100000', ['--camera', '--size', '100000x100000'], /size|limit/],
    ['--camera-fps 1e9', ['--camera', '--camera-fps', '1e9'], /camera-fps|cameraFps|limit/],
  ])('simulate %s: exit 2, one line', async (_, options, message) => {
    const r = await runInProcess(['simulate', '--plan-id', '0123456789abcdef', '--token', 'fedcba9876543210', ...options]);
    expect(r.status).toBe(2);
    expect(stderrLines(r)).toEqual([expect.stringMatching(message)]);
  });
});
