/**
 * Hostile capture files for `blinkup decode`: truncated, corrupt and oversized CSV, raw samples,
 * Y4M and PNG folders, empty files and folders where files belong — a fixed table of named
 * cases and a seeded mutator of good captures. Shared by the CLI hardening test and the long
 * fuzz run (scripts/fuzz.ts).
 *
 * What `decode` must do with any of them: exit 0 or 1 if the input is still a readable capture,
 * else exit 2 with exactly one line `blinkup: …` on stderr — never a stack trace, never an
 * "unexpected error" (a crash that was caught, not a refusal), and within a bounded time.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulatePhotodiode } from '../../src/channel/index.js';
import { toLevels } from '../../src/line/index.js';
import { encodePacket } from '../../src/packet/index.js';
import { encodeGreyPng } from '../../src/node/png-frames.js';
import type { Random } from '../../src/util/random.js';
import { runCli, type CliResult } from '../cli/run-cli.js';
import { FuzzFailure, type FuzzTarget } from '../fuzz/targets.js';

/** Files to create under a folder (a value of `null` makes a sub-folder), and the decode arguments. */
export interface HostileCase {
  readonly name: string;
  readonly files: Readonly<Record<string, Uint8Array | string | null>>;
  /** `decode` arguments; `$` stands for the case's folder. */
  readonly args: readonly string[];
  /** The statuses allowed (default: 2 only). */
  readonly statuses?: readonly number[];
}

const te = new TextEncoder();
const bytes = (...parts: (string | Uint8Array | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...te.encode(p)] : [...p])));

const frame = (w: number, h: number, v: number): Uint8Array => new Uint8Array(w * h).fill(v);
const png = (w: number, h: number, v: number): Uint8Array => encodeGreyPng(frame(w, h, v), w, h);

/** A PNG signature and IHDR claiming `w`×`h`, then nothing: a decompression bomb in 33 bytes. */
function pngHeaderOnly(w: number, h: number): Uint8Array {
  const ihdr = new Uint8Array(25);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, 13);
  ihdr.set(te.encode('IHDR'), 4);
  view.setUint32(8, w);
  view.setUint32(12, h);
  ihdr.set([8, 0, 0, 0, 0], 16);
  return bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], ihdr);
}

const csvLines = (n: number): string => Array.from({ length: n }, (_, i) => String(1000 + (i % 40 < 20 ? 0 : 800))).join('\n');
const Y4M = 'YUV4MPEG2 W4 H2 F30:1 Cmono\n';

/** The named cases: every reader, every way its input can be wrong. */
export const HOSTILE_CASES: readonly HostileCase[] = [
  // CSV
  { name: 'empty file', files: { 'c.csv': '' }, args: ['$/c.csv', '--rate', '1000'] },
  { name: 'only comments and blank lines', files: { 'c.csv': '# a\n\n# b\n  \n' }, args: ['$/c.csv', '--rate', '1000'] },
  { name: 'CSV of words', files: { 'c.csv': 'hello,world\nfoo,bar\n' }, args: ['$/c.csv', '--rate', '1000'] },
  { name: 'CSV with binary in it', files: { 'c.csv': bytes('1\n2\n', [0, 1, 2, 0xff, 0xfe, 0x0a], '3\n') }, args: ['$/c.csv', '--rate', '1000'] },
  { name: 'binary data named .csv', files: { 'c.csv': Uint8Array.from({ length: 4096 }, (_, i) => (i * 131) & 255) }, args: ['$/c.csv', '--rate', '1000'] },
  { name: 'UTF-16 CSV', files: { 'c.csv': bytes([0xff, 0xfe], [0x31, 0, 0x0a, 0]) }, args: ['$/c.csv', '--rate', '1000'] },
  { name: 'a line of 1 MB', files: { 'c.csv': `1\n${'9'.repeat(1 << 20)}\n` }, args: ['$/c.csv', '--rate', '1000'] },
  { name: 'a header block of 5000 lines', files: { 'c.csv': `${'Model,X\n'.repeat(5000)}1\n` }, args: ['$/c.csv', '--rate', '1000'] },
  { name: 'a number too long', files: { 'c.csv': `1\n${'1'.repeat(400)}\n` }, args: ['$/c.csv', '--rate', '1000'] },
  { name: 'a sample interval of 1e-300', files: { 'c.csv': `Sample Interval,1e-300\nv\n${csvLines(50)}\n` }, args: ['$/c.csv'] },
  { name: 'a negative sample interval', files: { 'c.csv': `Sample Interval,-0.001\nv\n${csvLines(50)}\n` }, args: ['$/c.csv'] },
  { name: 'a time column that stands still', files: { 'c.csv': `t,v\n${Array.from({ length: 50 }, () => '5,100').join('\n')}\n` }, args: ['$/c.csv'] },
  { name: 'a time column of 1e300', files: { 'c.csv': `t,v\n${Array.from({ length: 50 }, (_, i) => `${i}e300,100`).join('\n')}\n` }, args: ['$/c.csv'] },
  { name: 'NaN and Infinity samples (readable: exit 1)', files: { 'c.csv': `v\nNaN\nInfinity\n-Infinity\n1e999\n${csvLines(200)}\n` }, args: ['$/c.csv', '--rate', '1000'], statuses: [1, 2] },
  { name: 'a time column in nanoseconds', files: { 'c.csv': `Time (ns),v\n${Array.from({ length: 50 }, (_, i) => `${i * 1e6},100`).join('\n')}\n` }, args: ['$/c.csv'], statuses: [1, 2] },
  { name: 'a full scale of zero', files: { 'c.csv': `Sample Rate (Hz),1000\nFull Scale,0\nv\n${csvLines(100)}\n` }, args: ['$/c.csv'], statuses: [1, 2] },
  // Raw samples
  { name: 'u16le of odd length', files: { 'c.u16': Uint8Array.of(1, 2, 3) }, args: ['$/c.u16', '--rate', '1000'], statuses: [1, 2] },
  { name: 'f32le of NaNs', files: { 'c.f32': new Uint8Array(new Float32Array(1000).fill(Number.NaN).buffer) }, args: ['$/c.f32', '--rate', '1000'], statuses: [1, 2] },
  { name: 'empty u16le', files: { 'c.u16': new Uint8Array(0) }, args: ['$/c.u16', '--rate', '1000'] },
  // Y4M
  { name: 'Y4M with a bad magic', files: { 'v.y4m': `YUV4MPEG3 W4 H2\nFRAME\n${'x'.repeat(8)}` }, args: ['$/v.y4m'] },
  { name: 'Y4M header without a newline', files: { 'v.y4m': 'YUV4MPEG2 W4 H2 F30:1' }, args: ['$/v.y4m'] },
  { name: 'Y4M header line of 1 MB', files: { 'v.y4m': `YUV4MPEG2 W4 H2 X${'a'.repeat(1 << 20)}\n` }, args: ['$/v.y4m'] },
  { name: 'Y4M with a width of zero', files: { 'v.y4m': 'YUV4MPEG2 W0 H2 F30:1\nFRAME\n' }, args: ['$/v.y4m'] },
  { name: 'Y4M with a width of abc', files: { 'v.y4m': 'YUV4MPEG2 Wabc H2 F30:1\nFRAME\n' }, args: ['$/v.y4m'] },
  { name: 'Y4M with a frame rate of 0:0', files: { 'v.y4m': `YUV4MPEG2 W4 H2 F0:0 Cmono\nFRAME\n${'x'.repeat(8)}` }, args: ['$/v.y4m'] },
  { name: 'Y4M with an unknown colour space', files: { 'v.y4m': `YUV4MPEG2 W4 H2 F30:1 Cxyz\nFRAME\n${'x'.repeat(8)}` }, args: ['$/v.y4m'] },
  { name: 'Y4M 100000 pixels wide', files: { 'v.y4m': 'YUV4MPEG2 W100000 H2 F30:1 Cmono\nFRAME\n' }, args: ['$/v.y4m'] },
  { name: 'Y4M frames of 1.5 GB', files: { 'v.y4m': 'YUV4MPEG2 W16384 H16384 F30:1 C444p16\nFRAME\n' }, args: ['$/v.y4m'] },
  // A video cut off mid-frame is read up to the cut, with a warning (readable: exit 1 here, no packet).
  { name: 'Y4M with a short frame', files: { 'v.y4m': `${Y4M}FRAME\n${'x'.repeat(8)}FRAME\nabc` }, args: ['$/v.y4m'], statuses: [1] },
  // So is one whose FRAME line is damaged, up to that frame.
  { name: 'Y4M with garbage for a FRAME line', files: { 'v.y4m': `${Y4M}FRAME\n${'x'.repeat(8)}GARBAGE!${'y'.repeat(8)}` }, args: ['$/v.y4m'], statuses: [1] },
  { name: 'Y4M with garbage for its first FRAME line', files: { 'v.y4m': `${Y4M}GARBAGE!${'y'.repeat(8)}` }, args: ['$/v.y4m'] },
  { name: 'Y4M with no frames', files: { 'v.y4m': Y4M }, args: ['$/v.y4m'] },
  // PNG folders
  { name: 'an empty folder', files: { f: null }, args: ['$/f', '--fps', '60'] },
  { name: 'a corrupt PNG frame', files: { f: null, 'f/1.png': png(4, 4, 10), 'f/2.png': bytes(png(4, 4, 200).subarray(0, 40)), 'f/3.png': png(4, 4, 10) }, args: ['$/f', '--fps', '60'] },
  { name: 'a frame of another size', files: { f: null, 'f/1.png': png(4, 4, 10), 'f/2.png': png(5, 4, 200) }, args: ['$/f', '--fps', '60'] },
  { name: 'a text file named .png', files: { f: null, 'f/1.png': png(4, 4, 10), 'f/2.png': 'not a png' }, args: ['$/f', '--fps', '60'] },
  { name: 'a zero-byte PNG', files: { f: null, 'f/1.png': new Uint8Array(0) }, args: ['$/f', '--fps', '60'] },
  { name: 'a PNG claiming 100000×100000 pixels', files: { f: null, 'f/1.png': pngHeaderOnly(100_000, 100_000) }, args: ['$/f', '--fps', '60'] },
  { name: 'a times file with too few lines', files: { f: null, 'f/1.png': png(4, 4, 10), 'f/2.png': png(4, 4, 10), 'f/times': '0\n' }, args: ['$/f'] },
  { name: 'a times file of words', files: { f: null, 'f/1.png': png(4, 4, 10), 'f/times': 'soon\n' }, args: ['$/f'] },
  { name: 'a folder of frames without a rate', files: { f: null, 'f/1.png': png(4, 4, 10) }, args: ['$/f'] },
  // Wrong kind of path
  { name: 'a folder where a CSV file is expected', files: { d: null }, args: ['$/d', '--format', 'csv'] },
  { name: 'a folder named like a Y4M file', files: { 'd.y4m': null }, args: ['$/d.y4m', '--format', 'y4m'] },
  { name: 'a file that does not exist', files: {}, args: ['$/missing.csv', '--rate', '1000'] },
];

/** Writes a case's files under `dir` and returns the decode arguments with `$` replaced. */
export function materialize(c: HostileCase, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(c.files)) {
    if (content === null) mkdirSync(join(dir, name), { recursive: true });
    else writeFileSync(join(dir, name), content);
  }
  return ['decode', ...c.args.map((a) => a.replace(/^\$/, dir))];
}

/** The plan id of the one real transmission among the seeds: a decode of a damaged copy may only ever find it. */
export const SEED_PLAN_ID = '5eed5eed5eed5eed';
let realCapture: Uint8Array | undefined;

/** A real transmission as a scope-style CSV (built once). */
function realCsv(): Uint8Array {
  if (!realCapture) {
    const packet = encodePacket({ ssid: 'Seed', password: 'seed-password', planId: SEED_PLAN_ID, token: '0123456789abcdef' });
    const capture = simulatePhotodiode(toLevels(packet), { heldLevelProbability: 0, leadInS: 0.2, leadOutS: 0.2 }, 1);
    realCapture = te.encode(`Sample Rate (Hz),1000\nFull Scale,4095\nvalue\n${Array.from(capture.samples).join('\n')}\n`);
  }
  return realCapture;
}

/** Good inputs for each reader, for the mutator to damage. */
function seedCapture(rng: Random): { ext: string; data: Uint8Array; args: string[] } {
  switch (rng.int(0, 4)) {
    case 4:
      return { ext: 'csv', data: realCsv(), args: [] };
    case 0:
      return { ext: 'csv', data: te.encode(`# scope\nSample Interval,0.001\nFull Scale,4095\nv\n${csvLines(rng.int(10, 400))}\n`), args: [] };
    case 1:
      return { ext: 'csv', data: te.encode(`time_s,value\n${Array.from({ length: rng.int(10, 300) }, (_, i) => `${(i / 1000).toFixed(3)},${i % 30 < 15 ? 100 : 900}`).join('\n')}\n`), args: [] };
    case 2:
      return { ext: 'u16', data: new Uint8Array(new Uint16Array(rng.int(5, 500)).map((_, i) => (i % 30 < 15 ? 100 : 3000)).buffer), args: ['--rate', '1000'] };
    default: {
      const frames = rng.int(1, 6);
      return { ext: 'y4m', data: bytes(Y4M, ...Array.from({ length: frames }, (_, f) => bytes('FRAME\n', frame(4, 2, f * 40)))), args: [] };
    }
  }
}

/** A seeded random case: a good capture truncated, overwritten, salted with junk or cut. */
export function mutatedCase(rng: Random, index: number): HostileCase {
  const { ext, data, args } = seedCapture(rng);
  let out: Uint8Array = data.slice();
  for (let k = rng.int(1, 3); k > 0; k--) {
    switch (rng.int(0, 4)) {
      case 0:
        out = out.subarray(0, rng.chance(0.5) ? rng.int(Math.floor(out.length * 0.95), out.length) : rng.int(0, out.length));
        break;
      case 4:
        // Digits changed into other digits: the samples change, the file stays well-formed.
        for (let j = rng.int(1, 20); j > 0 && out.length > 0; j--) {
          const at = rng.int(0, out.length - 1);
          if (out[at]! >= 0x30 && out[at]! <= 0x39) out[at] = 0x30 + rng.int(0, 9);
        }
        break;
      case 1:
        for (let j = rng.int(1, 6); j > 0 && out.length > 0; j--) out[rng.int(0, out.length - 1)] = rng.pick([0, 0x0a, 0x2c, 0x2d, 0x2e, 0x65, 0xff, rng.int(0, 255)]);
        break;
      case 2: {
        const at = rng.int(0, out.length);
        out = bytes(out.subarray(0, at), rng.bytes(rng.int(1, 64)), out.subarray(at));
        break;
      }
      default:
        out = bytes(out, rng.bytes(rng.int(1, 300)));
    }
  }
  return { name: `mutated ${ext} #${index}`, files: { [`m.${ext}`]: out }, args: [`$/m.${ext}`, ...args], statuses: [0, 1, 2] };
}

/** What broke the CLI's promise for this case, or undefined when it kept it. */
export function judge(c: HostileCase, r: CliResult, ms: number, maxMs: number): string | undefined {
  const allowed = c.statuses ?? [2];
  if (r.status === 0 && !r.stdout.includes(`plan id   ${SEED_PLAN_ID}`)) return `decoded a packet that was not sent: ${r.stdout.slice(0, 300)}`;
  // A warning about the input (a video cut off mid-frame) may come before the one line.
  const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('blinkup: warning: '));
  if (ms > maxMs) return `took ${ms.toFixed(0)} ms`;
  if (!allowed.includes(r.status)) return `exit ${r.status} (expected ${allowed.join(' or ')}); stderr: ${r.stderr.slice(0, 300)}`;
  if (/^\s+at /m.test(r.stderr) || /Error:/.test(r.stderr)) return `a stack trace or raw error on stderr: ${r.stderr.slice(0, 300)}`;
  if (/unexpected error/.test(r.stderr)) return `a caught crash, not a refusal: ${lines[0]}`;
  if (r.status !== 0 && (lines.length !== 1 || !lines[0]!.startsWith('blinkup: '))) return `stderr is not one "blinkup: …" line: ${JSON.stringify(r.stderr.slice(0, 300))}`;
  return undefined;
}

/**
 * The long fuzz run's CLI target: each case is a named hostile case or a mutated capture, written
 * to a fresh folder and decoded by the real executable in its own process.
 */
export const cliDecodeTarget: FuzzTarget = {
  name: 'cli-decode',
  description: 'blinkup decode (a real process per case) on named hostile files and mutated captures: exit 0/1/2, one line, no stack, < 20 s',
  quickCases: 20,
  longCases: 400,
  async run(rng) {
    const c = rng.chance(0.3) ? rng.pick(HOSTILE_CASES) : mutatedCase(rng, 0);
    const dir = mkdtempSync(join(tmpdir(), 'blinkup-fuzz-cli-'));
    try {
      const args = materialize(c, dir);
      const t0 = performance.now();
      const problem = judge(c, await runCli(args), performance.now() - t0, 20_000);
      if (problem) throw new FuzzFailure(`${c.name}: ${problem}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
