/**
 * Decoder throughput: samples per second through TriLevelDecoder against a plain loop over the
 * same typed array, in the same run. The input is a simulated capture of a typical channel with
 * the packet flashed again and again; every decoder run must find every transmission (checked
 * inside the timed function), so a fast wrong decoder cannot win.
 *
 * Run alone with `node --import tsx bench/decoder.bench.ts`, or all benches with `npm run bench`.
 * Prints both rates, their ratio, and one JSON line.
 */
import Benchmark from 'benchmark';
import { runSuite } from './run-suite.js';
import { decodeAllTransmissions, decoderBenchCapture, REPEATS } from './decoder-capture.js';

// ---- inputs, built outside the timed code -------------------------------------------------

const capture = decoderBenchCapture();
const samples = capture.samples; // Float32Array, ADC codes, 1 kHz
const N = samples.length;

function plainLoop(): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]!;
  return sum;
}

function decodeAll(): number {
  return decodeAllTransmissions(capture);
}

decodeAll(); // fails loudly before any timing if the input does not decode

// ---- measurement ------------------------------------------------------------------------------


const DECODER = 'TriLevelDecoder (push + flush)';
const PLAIN = 'plain loop (sum of the same Float32Array)';
let sink = 0;

/** Best rate of each case over a few rounds: on a shared machine other processes only ever slow a round down. */
const ROUNDS = 5; // as the encoder benchmark: a noisy round is dropped, not averaged in
const best = new Map<string, number>();
console.log(`decoder throughput on ${N} samples (${(N / capture.sampleRate).toFixed(0)} s at ${capture.sampleRate} Hz, ${REPEATS} transmissions; best of ${ROUNDS} rounds)`);
for (let round = 0; round < ROUNDS; round++) {
  const results = await runSuite(
    new Benchmark.Suite('decoder')
      .add(DECODER, () => {
        sink ^= decodeAll();
      }, { maxTime: 2 })
      .add(PLAIN, () => {
        sink += plainLoop();
      }, { maxTime: 2 }),
  );
  for (const b of results) best.set(b.name!, Math.max(best.get(b.name!) ?? 0, b.hz * N));
}

/** CPU time of this process only (immune to other processes holding the CPU): median of 5. */
function cpuRate(work: () => unknown, reps: number): number {
  const rates: number[] = [];
  for (let k = 0; k < 5; k++) {
    const start = process.cpuUsage();
    for (let r = 0; r < reps; r++) work();
    const used = process.cpuUsage(start);
    rates.push((reps * N) / ((used.user + used.system) / 1e6));
  }
  return rates.sort((a, b) => a - b)[2]!;
}

const decoderRate = best.get(DECODER)!;
const plainRate = best.get(PLAIN)!;
const decoderCpu = cpuRate(decodeAll, 3);
const plainCpu = cpuRate(plainLoop, 30);
const mega = (x: number): string => `${(x / 1e6).toFixed(1)} M samples/s`;
console.log(`  → decoder ${mega(decoderRate)}, plain loop ${mega(plainRate)}: ratio ${(decoderRate / plainRate).toFixed(3)}`);
console.log(`  → by CPU time: decoder ${mega(decoderCpu)}, plain loop ${mega(plainCpu)}: ratio ${(decoderCpu / plainCpu).toFixed(3)}`);
console.log(
  JSON.stringify({
    bench: 'decoder',
    samples: N,
    decoderSamplesPerS: Math.round(decoderRate),
    plainLoopSamplesPerS: Math.round(plainRate),
    ratio: decoderRate / plainRate,
    cpu: { decoderSamplesPerS: Math.round(decoderCpu), plainLoopSamplesPerS: Math.round(plainCpu), ratio: decoderCpu / plainCpu },
    sink: sink & 1,
  }),
);
