/**
 * Fuzz targets: one seeded case at a time, each checking the guarantees the codec makes about
 * hostile input. A broken guarantee throws `FuzzFailure`; anything else thrown is a crash.
 *
 * Shared by the quick run inside `npm test` (test/fuzz/fuzz.test.ts) and the long run of
 * `npm run fuzz` (scripts/fuzz.ts). Case `i` of a run with seed `s` draws everything from
 * `caseRandom(s, i)`, so any failure reruns alone from the two numbers in its report.
 */
import { inspect } from 'node:util';
import { decodeSamples, TriLevelDecoder, type DecodeEvent, type DecoderOptions } from '../../src/decoder/index.js';
import { readBinarySamples } from '../../src/node/binary-samples.js';
import { CsvSampleParser } from '../../src/node/csv-samples.js';
import { openY4M } from '../../src/node/y4m.js';
import { encodePacket, isBlinkUpError, parsePacket, type Payload } from '../../src/packet/index.js';
import type { Random } from '../../src/util/random.js';
import { findSecrets, secretForms } from '../hardening/secret-scan.js';
import { withValidFrame } from '../packet/framing.js';
import { chunkPlan, hostileStream, randomPayload, type HostileStream } from './hostile-streams.js';

export class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure';
}

function fail(message: string): never {
  throw new FuzzFailure(message);
}

export interface FuzzTarget {
  readonly name: string;
  /** What one case does, for the summary. */
  readonly description: string;
  /** Cases run inside `npm test` (seconds) and by `npm run fuzz` (the long mode). */
  readonly quickCases: number;
  readonly longCases: number;
  run(rng: Random): void | Promise<void>;
}

/** Runs `work`; a thrown BlinkUpError is an accepted outcome (its message is returned), anything else a crash. */
function typedOutcome<T>(what: string, work: () => T): { value?: T; message?: string } {
  try {
    return { value: work() };
  } catch (err) {
    if (isBlinkUpError(err)) return { message: err.message };
    fail(`${what} threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} instead of a BlinkUpError`);
  }
}

async function typedOutcomeAsync(what: string, work: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await work();
    return undefined;
  } catch (err) {
    if (isBlinkUpError(err)) return err.message;
    fail(`${what} threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} instead of a BlinkUpError`);
  }
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** Every printable form of a payload's secrets (none for the clear packet). */
function payloadSecretForms(payload: Payload): string[] {
  if (payload.kind === 'clear') return [];
  return secretForms({ password: payload.password, token: payload.token, ...(payload.proxy?.password ? { proxyPassword: payload.proxy.password } : {}) });
}

function expectNoSecret(what: string, text: string, forms: readonly string[]): void {
  if (findSecrets(text, forms).length > 0) fail(`${what} reveals a secret: ${JSON.stringify(text.slice(0, 200))}`);
}

// ---------------------------------------------------------------------------------------------
// parsePacket

/** A genuine packet with secrets, damaged one of several ways. */
function hostilePacket(rng: Random): { bytes: Uint8Array; payload?: Payload } {
  const mode = rng.int(0, 5);
  if (mode === 0) return { bytes: rng.bytes(rng.int(0, 300)) };
  if (mode === 1) {
    // Random entries with the right L and a valid CRC: the structure checks do the work.
    const parts: number[] = [];
    for (let e = rng.int(0, 6); e > 0; e--) {
      const n = rng.chance(0.5) ? rng.pick([0, 4, 8, 16, 20]) : rng.int(0, 40);
      parts.push(rng.chance(0.9) ? rng.pick([1, 5, 6, 7, 11, 13]) : rng.int(0, 255), n, ...rng.bytes(n));
    }
    return { bytes: withValidFrame(Uint8Array.from(parts.slice(0, 255))) };
  }
  const payload = randomPayload(rng);
  const packet = encodePacket(payload);
  const bytes = packet.slice();
  if (mode === 2) {
    for (let k = rng.int(1, 6); k > 0; k--) bytes[rng.int(0, bytes.length - 1)]! ^= 1 << rng.int(0, 7);
    return { bytes, payload };
  }
  if (mode === 3) {
    // Damage, then a CRC that matches the damage: only the structure stands in the way.
    for (let k = rng.int(1, 4); k > 0; k--) bytes[rng.int(1, bytes.length - 3)] = rng.int(0, 255);
    return { bytes: withValidFrame(bytes.subarray(1, bytes.length - 2)), payload };
  }
  if (mode === 4) return { bytes: bytes.subarray(0, rng.int(0, bytes.length)), payload };
  const extended = new Uint8Array(bytes.length + rng.int(1, 20));
  extended.set(bytes);
  extended.set(rng.bytes(extended.length - bytes.length), bytes.length);
  return { bytes: extended, payload };
}

export const parsePacketTarget: FuzzTarget = {
  name: 'parsePacket',
  description: 'random, structured and damaged genuine packets: typed errors free of secrets; accepted payloads re-encode and print redacted',
  quickCases: 20_000,
  longCases: 1_000_000,
  run(rng) {
    const { bytes, payload } = hostilePacket(rng);
    const forms = payload ? payloadSecretForms(payload) : [];
    const { value: parsed, message } = typedOutcome('parsePacket', () => parsePacket(bytes));
    if (message !== undefined) {
      expectNoSecret('parsePacket error', message, forms);
      return;
    }
    const p = parsed!;
    const again = typedOutcome('re-encoding a parsed payload', () => parsePacket(encodePacket(p)));
    if (again.message !== undefined) fail(`a parsed payload does not re-encode: ${again.message}`);
    if (JSON.stringify({ ...again.value }) !== JSON.stringify({ ...p })) fail('a parsed payload re-encodes to a different payload');
    const shownForms = payloadSecretForms(p);
    expectNoSecret('JSON.stringify(payload)', JSON.stringify(p), shownForms);
    expectNoSecret('String(payload)', String(p), shownForms);
    expectNoSecret('util.inspect(payload)', inspect(p, { depth: 5 }), shownForms);
  },
};

// ---------------------------------------------------------------------------------------------
// The decoder on hostile streams

/** Decoder options that are fine, odd or wrong: wrong ones must be refused with OPTION_INVALID. */
function hostileOptions(rng: Random, stream: HostileStream): Record<string, unknown> {
  const o: Record<string, unknown> = stream.times ? {} : { sampleRate: stream.sampleRate };
  if (rng.chance(0.9)) return o;
  switch (rng.int(0, 4)) {
    case 0:
      return { ...o, sampleRate: rng.pick([0, -1, Number.NaN, Infinity, 1e8, 0.5, '1000', null]) };
    case 1:
      return { ...o, fullScale: rng.pick([0, -1, Number.NaN, Infinity, 1e300, 1e-300, 4095]) };
    case 2:
      return { ...o, repair: rng.pick([true, false, { maxFlips: 1e9, candidates: 1e9 }, { maxFlips: Number.NaN, candidates: -3 }, { maxFlips: 3, candidates: 16 }]) };
    case 3:
      return { ...o, onPulse: rng.pick([() => { throw new Error('hook failure'); }, 42, undefined]) };
    default:
      return { ...o, combine: rng.pick([true, false]) };
  }
}

/** What a run produced, in a form two runs can be compared by (secrets included: this stays in memory). */
export function eventsFingerprint(events: readonly DecodeEvent[]): string {
  return JSON.stringify(
    events.map((e) => (e.type === 'packet' || e.type === 'crc-failure' ? { ...e, bytes: hex(e.bytes), payload: undefined } : e)),
  );
}

function checkEvent(e: DecodeEvent, stream: HostileStream): void {
  if (e.type === 'packet') {
    if (!stream.sent || hex(e.bytes) !== hex(stream.sent)) fail(`${stream.kind}: decoded a packet that was not sent (${e.bytes.length} bytes, repaired ${e.repairedBits}, combined ${e.combined})`);
    if (!(e.startS <= e.endS)) fail(`${stream.kind}: packet ends before it starts`);
  }
  const times = e.type === 'packet' || e.type === 'crc-failure' ? [e.startS, e.endS] : [e.atS];
  if (!times.every(Number.isFinite)) fail(`${stream.kind}: ${e.type} event with a non-finite time`);
}

function decodeOnce(stream: HostileStream, options: DecoderOptions, sizes: readonly number[]): { events: DecodeEvent[]; report: string } {
  const decoder = new TriLevelDecoder(options);
  const events: DecodeEvent[] = [];
  let at = 0;
  for (const size of sizes) {
    const chunk = stream.samples.subarray(at, at + size);
    events.push(...(stream.times ? decoder.push(chunk, stream.times.subarray(at, at + size)) : decoder.push(chunk)));
    at += size;
  }
  events.push(...decoder.flush());
  const report = decoder.report();
  for (const [k, v] of Object.entries(report)) if (typeof v !== (k === 'levelsOutOfOrder' ? 'boolean' : 'number')) fail(`report.${k} is ${typeof v}`);
  if (report.levelsOutOfOrder && !Number.isNaN(report.black)) fail('report.levelsOutOfOrder with levels given');
  return { events, report: JSON.stringify(report) };
}

export const decoderTarget: FuzzTarget = {
  name: 'decoder',
  description: 'hostile sample streams in chunks of 1 to 10⁶: never throws, never a packet that was not sent, same result whatever the chunking',
  quickCases: 300,
  longCases: 30_000,
  run(rng) {
    const stream = hostileStream(rng);
    const options = hostileOptions(rng, stream);
    const made = typedOutcome('new TriLevelDecoder', () => new TriLevelDecoder(options as DecoderOptions));
    if (made.message !== undefined) {
      if (!/must be|need/.test(made.message)) fail(`unclear option error: ${made.message}`);
      return;
    }
    const sizes = chunkPlan(rng, stream.samples.length);
    const chunked = decodeOnce(stream, options as DecoderOptions, sizes);
    for (const e of chunked.events) checkEvent(e, stream);
    if (rng.chance(0.25)) {
      // Chunking invariance: the same stream in one piece gives exactly the same events and report.
      const whole = decodeOnce(stream, options as DecoderOptions, [stream.samples.length]);
      if (eventsFingerprint(whole.events) !== eventsFingerprint(chunked.events)) fail(`${stream.kind}: events depend on the chunking`);
      if (whole.report !== chunked.report) fail(`${stream.kind}: the report depends on the chunking`);
    }
  },
};

/** decodeSamples and push on inputs that are not typed arrays: sparse arrays, holes, empty chunks. */
export const decoderInputsTarget: FuzzTarget = {
  name: 'decoder-inputs',
  description: 'plain arrays with holes, null and undefined, empty chunks, mismatched times: no throw',
  quickCases: 500,
  longCases: 30_000,
  run(rng) {
    const n = rng.int(0, 3000);
    const values: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) if (rng.chance(0.9)) values[i] = rng.pick([rng.uniform(0, 4095), null, undefined, Number.NaN, -0]);
    const times = rng.chance(0.3) ? Array.from({ length: rng.int(0, n) }, (_, i) => i / 1000) : undefined;
    const options = { sampleRate: 1000, ...(times ? { times } : {}) };
    const { message } = typedOutcome('decodeSamples', () => decodeSamples(values as ArrayLike<number>, options));
    if (message !== undefined) fail(`decodeSamples refused numbers: ${message}`);
    const d = new TriLevelDecoder({ sampleRate: 1000 });
    for (let k = rng.int(0, 20); k > 0; k--) {
      const r = typedOutcome('push', () => d.push(rng.pick([[], new Float32Array(0), values as ArrayLike<number>]), rng.chance(0.3) ? [] : undefined));
      if (r.message !== undefined) fail(`push refused numbers: ${r.message}`);
    }
    d.flush();
    d.flush(); // twice: a flushed decoder stays usable
    d.reset();
    d.push(values as ArrayLike<number>);
  },
};

// ---------------------------------------------------------------------------------------------
// Readers (library level; the CLI on hostile files is tested in test/hardening)

const CSV_SEEDS = [
  'value\n1\n2\n3\n',
  'time_s,value\n0,1\n0.001,2\n0.002,1\n',
  '# scope\nSample Interval,1e-3\nFull Scale,4095\nCH1\n10\n20\n',
  'a;b\n1;2\n3;4\n',
  '\ufeff1\t2\r\n3\t4\r\n',
];

export const csvTarget: FuzzTarget = {
  name: 'csv-reader',
  description: 'CSV text, damaged, salted with binary and with a password inside a bad line: typed errors that never quote the line',
  quickCases: 2000,
  longCases: 100_000,
  run(rng) {
    const secret = `Pw-${rng.int(100000, 999999)}-secret`;
    let text = rng.pick(CSV_SEEDS);
    for (let k = rng.int(0, 4); k > 0; k--) {
      const at = rng.int(0, text.length);
      const insert = rng.pick([`${secret}\n`, `,${secret}`, '\n', ',', '\u0000', '\u00ff', 'NaN', '1e999', '-', String(rng.normal())]);
      text = text.slice(0, at) + insert + text.slice(at);
    }
    let bytes = new TextEncoder().encode(text);
    if (rng.chance(0.2)) bytes = Uint8Array.from([...bytes, ...rng.bytes(rng.int(1, 200))]);
    if (rng.chance(0.1)) bytes = bytes.subarray(0, rng.int(0, bytes.length));
    const parser = typedOutcome('CsvSampleParser', () => new CsvSampleParser({ maxLineBytes: rng.pick([16, 1024, 65536]), chunkSamples: rng.int(1, 5) }));
    if (!parser.value) fail(`CsvSampleParser refused valid options: ${parser.message}`);
    const { message } = typedOutcome('CSV parsing', () => {
      for (let at = 0; at < bytes.length; ) {
        const size = rng.int(1, 64);
        parser.value!.push(bytes.subarray(at, at + size));
        at += size;
      }
      parser.value!.finish();
    });
    if (message !== undefined) expectNoSecret('CSV error', message, [secret]);
  },
};

export const binaryTarget: FuzzTarget = {
  name: 'binary-reader',
  description: 'u16le/f32le streams of any length and content in random pieces: samples or typed errors',
  quickCases: 300,
  longCases: 30_000,
  async run(rng) {
    const bytes = rng.bytes(rng.int(0, 400));
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; ) {
      const size = rng.int(1, 9);
      pieces.push(bytes.subarray(at, at + size));
      at += size;
    }
    await typedOutcomeAsync('readBinarySamples', async () => {
      for await (const c of readBinarySamples(pieces, { format: rng.pick(['u16le', 'f32le'] as const) })) void c;
    });
  },
};

function y4mSeed(rng: Random): Uint8Array {
  const w = rng.int(1, 9);
  const h = rng.int(1, 7);
  const layout = rng.pick(['mono', '420jpeg', '444', 'mono16', '420p10'] as const);
  const bytesPerSample = /16|10/.test(layout) ? 2 : 1;
  const planeScale = layout.startsWith('420') ? 1.5 : layout === '444' ? 3 : 1;
  const frameBytes = Math.ceil(w * h * planeScale) * bytesPerSample;
  const parts = [`YUV4MPEG2 W${w} H${h} F${rng.int(1, 240)}:1 Ip A1:1 C${layout}\n`];
  const out: number[] = [...new TextEncoder().encode(parts[0]!)];
  for (let f = rng.int(0, 4); f > 0; f--) out.push(...new TextEncoder().encode('FRAME\n'), ...rng.bytes(frameBytes));
  return Uint8Array.from(out);
}

export const y4mTarget: FuzzTarget = {
  name: 'y4m-reader',
  description: 'Y4M streams damaged in the header, the FRAME lines or the planes, cut short: frames or typed errors',
  quickCases: 300,
  longCases: 30_000,
  async run(rng) {
    const bytes = y4mSeed(rng);
    for (let k = rng.int(0, 4); k > 0; k--) bytes[rng.int(0, bytes.length - 1)] = rng.pick([0x20, 0x0a, 0x30, 0x39, 0x46, 0x57, 0x48, rng.int(0, 255)]);
    const cut = rng.chance(0.3) ? bytes.subarray(0, rng.int(0, bytes.length)) : bytes;
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < cut.length; ) {
      const size = rng.int(1, 40);
      pieces.push(cut.subarray(at, at + size));
      at += size;
    }
    await typedOutcomeAsync('openY4M', async () => {
      for await (const f of (await openY4M(pieces)).frames()) void f;
    });
  },
};

export const FUZZ_TARGETS: readonly FuzzTarget[] = [parsePacketTarget, decoderTarget, decoderInputsTarget, csvTarget, binaryTarget, y4mTarget];
