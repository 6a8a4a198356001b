// The run that scripts/decoder-cost.ts has valgrind count: plain Node, the built package (dist/),
// as users run it. Decodes a raw little-endian float32 capture `decodes` times.
//   node scripts/decode-file.mjs <file.f32> <sampleRate> <fullScale> <expectedPackets> <decodes>
import { readFileSync } from 'node:fs';
import { TriLevelDecoder } from '../dist/decoder/index.js';

const [file, rate, fullScale, expected, decodes] = process.argv.slice(2);
const bytes = readFileSync(file);
const samples = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
for (let k = 0; k < Number(decodes); k++) {
  const decoder = new TriLevelDecoder({ sampleRate: Number(rate), fullScale: Number(fullScale) });
  let packets = 0;
  for (const e of decoder.push(samples)) if (e.type === 'packet') packets++;
  for (const e of decoder.flush()) if (e.type === 'packet') packets++;
  if (packets !== Number(expected)) throw new Error(`decoded ${packets} of ${expected} transmissions`);
}
