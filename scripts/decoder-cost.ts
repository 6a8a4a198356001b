/**
 * What the decoder costs per sample, measured in ways that machine load cannot disturb — for
 * speed work, next to the wall-clock ratio of bench/decoder.bench.ts. Input: the decoder
 * benchmark's capture (bench/decoder-capture.ts).
 *
 *   node --import tsx scripts/decoder-cost.ts --allocations     heap allocated per decode, by function
 *   node --import tsx scripts/decoder-cost.ts --instructions    instructions per sample (needs valgrind)
 *
 * Allocations: V8's sampling heap profiler, told to keep what the young-generation collector
 * freed, over a few decodes after warm-up. In steady state the decoder should allocate almost
 * nothing; what it does allocate is mostly numbers boxed on their way into or out of a call the
 * compiler did not inline.
 *
 * Instructions: the built package (dist/: run `npm run build` first) decodes the capture under
 * valgrind (callgrind, counting only) in plain Node with V8's background threads off
 * (scripts/decode-file.mjs); the count of a run with WARM_UP decodes is subtracted from one with
 * WARM_UP + R, so start-up and compilation cancel out. Steady to a few instructions per sample
 * between runs. Compare counts only with counts made the same way: the same decodes run from the
 * sources through tsx count very differently.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeAllTransmissions, decoderBenchCapture, REPEATS } from '../bench/decoder-capture.js';

/** Decodes before measuring: enough for the optimizing compiler to have settled. */
const WARM_UP = 6;

const capture = decoderBenchCapture();
const samples = capture.samples;

function decodeOnce(): void {
  decodeAllTransmissions(capture);
}

interface ProfileNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: ProfileNode[];
}

async function allocations(decodes = 3): Promise<void> {
  for (let k = 0; k < WARM_UP; k++) decodeOnce();
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 512,
    includeObjectsCollectedByMinorGC: true,
    includeObjectsCollectedByMajorGC: true,
  });
  for (let k = 0; k < decodes; k++) decodeOnce();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
  session.disconnect();
  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (node: ProfileNode): void => {
    // (Run through tsx the profiler has no line numbers: function and file name the site.)
    const { functionName, url } = node.callFrame;
    const site = `${functionName || '(anonymous)'} ${url.split('/').pop() || '(built-in)'}`;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    total += node.selfSize;
    node.children.forEach(walk);
  };
  walk(profile.head);
  console.log(`heap allocated per decode of ${samples.length} samples: ${(total / decodes / 1e6).toFixed(2)} MB (${(total / decodes / samples.length).toFixed(2)} B per sample)`);
  for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`  ${(bytes / decodes / 1e3).toFixed(0).padStart(7)} KB  ${site}`);
  }
}

function instructions(extra = 4): void {
  const runner = fileURLToPath(new URL('./decode-file.mjs', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'decoder-cost-'));
  const file = join(dir, 'capture.f32');
  writeFileSync(file, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  const count = (decodes: number): number => {
    const run = spawnSync(
      'valgrind',
      ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', runner, file, String(capture.sampleRate), String(capture.fullScale), String(REPEATS), String(decodes)],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    const found = /Collected : (\d+)/.exec(run.stderr ?? '');
    if (run.error || run.status !== 0 || !found) {
      throw new Error(`valgrind run failed (is valgrind installed? dist/ built?): ${run.error?.message ?? run.stderr?.split('\n').slice(-3).join(' ')}`);
    }
    return Number(found[1]);
  };
  try {
    const base = count(WARM_UP);
    const more = count(WARM_UP + extra);
    console.log(`instructions per sample: ${((more - base) / (extra * samples.length)).toFixed(1)} (dist/, ${extra} decodes of ${samples.length} samples after ${WARM_UP} to warm up)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--allocations') {
  await allocations();
} else if (args[0] === '--instructions') {
  instructions();
} else {
  console.error('usage: decoder-cost.ts --allocations | --instructions');
  process.exit(2);
}
