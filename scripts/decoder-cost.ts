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
 * Instructions: the decodes run under valgrind (callgrind, counting only) with V8's background
 * threads off; the count of a run with WARM_UP decodes is subtracted from one with WARM_UP + R, so
 * start-up and compilation cancel out. Steady to a few instructions per sample between runs.
 */
import { spawnSync } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { TriLevelDecoder } from '../src/decoder/index.js';
import { decoderBenchCapture, REPEATS } from '../bench/decoder-capture.js';

/** Decodes before measuring: enough for the optimizing compiler to have settled. */
const WARM_UP = 6;

const capture = decoderBenchCapture();
const samples = capture.samples;

function decodeOnce(): void {
  const decoder = new TriLevelDecoder({ sampleRate: capture.sampleRate, fullScale: capture.fullScale });
  let packets = 0;
  for (const e of decoder.push(samples)) if (e.type === 'packet') packets++;
  for (const e of decoder.flush()) if (e.type === 'packet') packets++;
  if (packets !== REPEATS) throw new Error(`decoded ${packets} of ${REPEATS} transmissions`);
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
  const self = fileURLToPath(import.meta.url);
  const count = (decodes: number): number => {
    const run = spawnSync(
      'valgrind',
      ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', '--import', 'tsx', self, '--decodes', String(decodes)],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    const found = /Collected : (\d+)/.exec(run.stderr ?? '');
    if (run.error || run.status !== 0 || !found) {
      throw new Error(`valgrind run failed (is valgrind installed?): ${run.error?.message ?? run.stderr?.split('\n').slice(-3).join(' ')}`);
    }
    return Number(found[1]);
  };
  const base = count(WARM_UP);
  const more = count(WARM_UP + extra);
  console.log(`instructions per sample: ${((more - base) / (extra * samples.length)).toFixed(1)} (${extra} decodes of ${samples.length} samples after ${WARM_UP} to warm up)`);
}

const args = process.argv.slice(2);
if (args[0] === '--decodes') {
  // The child that valgrind counts.
  for (let k = 0; k < Number(args[1]); k++) decodeOnce();
} else if (args[0] === '--allocations') {
  await allocations();
} else if (args[0] === '--instructions') {
  instructions();
} else {
  console.error('usage: decoder-cost.ts --allocations | --instructions');
  process.exit(2);
}
