export { buildManifest, formatManifest, levelString, MANIFEST_FORMAT, MANIFEST_VERSION } from './manifest.js';
export type { FrameManifest, ManifestInput } from './manifest.js';
export { framesCsv, FRAMES_CSV_HEADER } from './csv.js';
export { cHeader } from './c-header.js';
export type { CHeaderInput } from './c-header.js';
export { packetHex, secretRanges } from './packet-hex.js';
export type { ByteRange } from './packet-hex.js';
export { LEVEL_CODE_VALUES, LEVEL_COLOURS, LEVEL_LINEAR_LIGHT } from './levels.js';
