/**
 * Light that steps: a typical capture whose screen light (above black) is scaled by a factor from
 * one moment on — a shadow, the phone jerked closer or away — at a place drawn from the middle of
 * the transmission. How many of 20 decode, per factor. The figures in the README's drift section.
 *
 *   node --import tsx scripts/step-study.ts
 */
import { simulatePhotodiode } from '../src/channel/index.js';
import { decodeSamples } from '../src/decoder/index.js';
import { toLevels } from '../src/line/index.js';
import { encodePacket } from '../src/packet/index.js';

const SEEDS = 20;
const FACTORS = [0.85, 0.7, 0.5, 1.3, 1.6];
const packet = encodePacket({ ssid: 'HomeNetwork', password: 'correct horse', planId: '0123456789abcdef', token: 'fedcba9876543210' });

for (const factor of FACTORS) {
  let decoded = 0;
  for (let k = 1; k <= SEEDS; k++) {
    const capture = simulatePhotodiode(toLevels(packet), {}, k * 7919);
    const samples = Float64Array.from(capture.samples);
    const black = capture.truth.nominalCodes.black;
    // The step lands between 30 % and 70 % of the way through the capture.
    const at = Math.floor(samples.length * (0.3 + (0.4 * ((k * 37) % 20)) / 20));
    for (let i = at; i < samples.length; i++) samples[i] = Math.min(capture.fullScale, black + (samples[i]! - black) * factor);
    if (decodeSamples(samples, { sampleRate: capture.sampleRate, fullScale: capture.fullScale }).packets.length > 0) decoded++;
  }
  console.log(`light × ${factor} from one moment on: ${decoded}/${SEEDS} decoded`);
}
