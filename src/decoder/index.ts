/** The streaming tri-level decoder (photodiode or camera-brightness samples → packets). */
export { TriLevelDecoder, decodeSamples } from './decoder.js';
export { DEFAULT_REPAIR, MAX_REPAIR } from './repair.js';
export { STALL_S } from './framer.js';
export type {
  DecoderOptions,
  RepairOptions,
  DecodeEvent,
  PacketEvent,
  FailureEvent,
  PacketQuality,
  PulseInfo,
  SignalReport,
  DecodeResult,
  SampleSource,
} from './types.js';
