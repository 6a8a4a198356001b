/**
 * Regenerates the small capture fixtures in fixtures/captures/ that the CLI tests decode:
 *
 *   npx tsx scripts/make-fixtures.ts
 *
 * Each is a seeded simulation (src/channel/), so the files come out identical on every run, and
 * each stays under 100 KB. fixtures/captures/index.json lists them with the payload they carry and
 * the decode options they need. The payloads are public sample values (the SDK 0.3.0 golden
 * vectors' style): the passwords and tokens in them are not secrets.
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cameraFrames, simulatePhotodiode, TIERS, type PhotodiodeCapture, type PhotodiodeChannelOptions } from '../src/channel/index.js';
import { toLevels } from '../src/line/index.js';
import { Y4MWriter } from '../src/node/y4m.js';
import { encodePacket } from '../src/packet/index.js';
import type { Payload } from '../src/packet/types.js';
import { Random } from '../src/util/random.js';

const DIR = fileURLToPath(new URL('../fixtures/captures/', import.meta.url));
const LIMIT_BYTES = 100 * 1024;

/** The basic-wifi golden vector's input. */
const HOME: Payload = { kind: 'config', ssid: 'HomeNetwork', password: 'correct horse', planId: '0123456789abcdef', token: 'fedcba9876543210' };
/** A wired device: enrolment only. */
const WIRED: Payload = { kind: 'config', ssid: '', password: '', planId: 'deadbeefcafef00d', token: '0102030405060708' };
/** Static addressing and a proxy with credentials: every field the human output renders. */
const OFFICE: Payload = {
  kind: 'config',
  ssid: 'Office',
  password: 'p4ss-w0rd',
  planId: '00112233aabbccdd',
  token: 'a1b2c3d4e5f60718',
  staticIp: { ip: '192.168.1.20', netmask: '255.255.255.0', gateway: '192.168.1.1', dns1: '192.168.1.1' },
  proxy: { host: 'px.lan', port: 3128, username: 'u', password: 'px-pass-31' },
};
const CLEAR: Payload = { kind: 'clear' };

/** Short lead-in and lead-out keep the files small; a real capture has more. */
const SHORT_LEADS = { leadInS: 0.3, leadOutS: 0.3 };

/** One fixture: its file, what it carries, and the `decode` arguments it needs besides the path. */
interface FixtureEntry {
  readonly file: string;
  readonly description: string;
  readonly payload: Payload;
  readonly decodeArgs: readonly string[];
}

function samples(payload: Payload, options: Partial<PhotodiodeChannelOptions>, seed: number): PhotodiodeCapture {
  return simulatePhotodiode(toLevels(encodePacket(payload)), { ...SHORT_LEADS, ...options }, seed);
}

function lines(values: ArrayLike<number>, format: (v: number, i: number) => string): string {
  let text = '';
  for (let i = 0; i < values.length; i++) text += `${format(values[i]!, i)}\n`;
  return text;
}

/** One column of ADC codes, no header at all: the plainest log a microcontroller writes. */
async function oneColumnCsv(): Promise<FixtureEntry> {
  const c = samples(HOME, {}, 11);
  await writeFile(join(DIR, 'photodiode.csv'), lines(c.samples, (v) => String(v)));
  return { file: 'photodiode.csv', description: 'one column of 12-bit codes, no header, 1 kHz, typical channel', payload: HOME, decodeArgs: ['--rate', '1000'] };
}

/** `time_s,value` with the sampler's own timestamps: a 500 Hz logger whose clock runs 1.5 % fast. */
async function timestampedCsv(): Promise<FixtureEntry> {
  const c = samples(WIRED, { sampleRate: 500, samplerClockPpm: 15_000, jitterUs: 120, timestamps: true }, 12);
  await writeFile(join(DIR, 'photodiode-timestamps.csv'), `time_s,value\n${lines(c.samples, (v, i) => `${c.times![i]!.toFixed(6)},${v}`)}`);
  return { file: 'photodiode-timestamps.csv', description: 'time_s,value at 500 Hz, sampler clock +1.5 %, jitter', payload: WIRED, decodeArgs: [] };
}

/** A Tektronix-style export: a header block stating the sample interval, then one column of volts. */
async function scopeCsv(): Promise<FixtureEntry> {
  const c = samples(CLEAR, { flickerDepth: 0.4 }, 13);
  const header = [
    'Model,MSO54', 'Firmware Version,1.28.4.2', '', 'Waveform Type,ANALOG', 'Point Format,Y', 'Horizontal Units,s',
    'Sample Interval,1.0000000e-03', `Record Length,${c.samples.length}`, 'Vertical Units,V', 'Label,', 'CH1',
  ].join('\n');
  await writeFile(join(DIR, 'scope-export.csv'), `${header}\n${lines(c.samples, (v) => ((3.3 * v) / c.fullScale).toFixed(4))}`);
  return { file: 'scope-export.csv', description: 'oscilloscope export: header block with Sample Interval, one column of volts', payload: CLEAR, decodeArgs: [] };
}

async function binary(file: string, bytes: Uint8Array): Promise<void> {
  await writeFile(join(DIR, file), bytes);
}

/** Raw 16-bit codes of a 10-bit ADC: a payload with static addressing and a proxy. */
async function u16le(): Promise<FixtureEntry> {
  const c = samples(OFFICE, { adcBits: 10, swing: 0.3, sampleRate: 800 }, 14);
  const bytes = new Uint8Array(2 * c.samples.length);
  const view = new DataView(bytes.buffer);
  c.samples.forEach((v, i) => view.setUint16(2 * i, v, true));
  await binary('photodiode.u16le', bytes);
  return { file: 'photodiode.u16le', description: '10-bit codes as u16le at 800 Hz; static IP and proxy', payload: OFFICE, decodeArgs: ['--rate', '800'] };
}

/** Floats (fractions of full scale) from a channel drawn from the "hard" tier. */
async function f32le(): Promise<FixtureEntry> {
  const conditions = { ...TIERS.hard(new Random(15)), fps: 60, refreshHz: 60 };
  const c = samples(HOME, conditions, 15);
  const bytes = new Uint8Array(4 * c.samples.length);
  const view = new DataView(bytes.buffer);
  c.samples.forEach((v, i) => view.setFloat32(4 * i, v / c.fullScale, true));
  await binary('photodiode.f32le', bytes);
  return { file: 'photodiode.f32le', description: 'f32le fractions of full scale, 1 kHz, a "hard" tier channel at 60 fps', payload: HOME, decodeArgs: ['--rate', '1000'] };
}

/**
 * A close-up video of a flashing LED: a 120 fps camera on 30 fps flashing (four frames per level),
 * the light filling the tiny 8×6 frame, mono Y4M with the frame rate in its header.
 */
async function y4m(): Promise<FixtureEntry> {
  const clip = cameraFrames(toLevels(encodePacket(WIRED)), { ...SHORT_LEADS, cameraFps: 120, fps: 30, width: 8, height: 6, patch: { x: 0, y: 0, width: 1, height: 1 } }, 16);
  const handle = await open(join(DIR, 'camera.y4m'), 'w');
  const stream = handle.createWriteStream();
  const writer = new Y4MWriter(stream, { width: clip.width, height: clip.height, fps: clip.fps, layout: 'mono' });
  for (const frame of clip) await writer.writeFrame(frame.luma);
  await writer.finish();
  await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { file: 'camera.y4m', description: '120 fps camera on 30 fps flashing, 8×6 mono, the LED fills the frame', payload: WIRED, decodeArgs: [] };
}

async function main(): Promise<void> {
  await mkdir(DIR, { recursive: true });
  const entries = [await oneColumnCsv(), await timestampedCsv(), await scopeCsv(), await u16le(), await f32le(), await y4m()];
  const { stat } = await import('node:fs/promises');
  for (const e of entries) {
    const size = (await stat(join(DIR, e.file))).size;
    if (size > LIMIT_BYTES) throw new Error(`${e.file} is ${size} bytes, over the ${LIMIT_BYTES}-byte budget for fixtures`);
    console.log(`${e.file.padEnd(28)} ${String(size).padStart(7)} bytes  ${e.description}`);
  }
  const index = {
    about: 'Simulated captures for the CLI tests, written by scripts/make-fixtures.ts (seeded: regenerating gives the same bytes). Payloads are public sample values.',
    fixtures: entries,
  };
  await writeFile(join(DIR, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
}

await main();
