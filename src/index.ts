/**
 * blinkup-codec — the browser-safe core. Node-only extras (file readers, PNG export, plots)
 * live under the `blinkup-codec/node` subpath.
 */
export * from './packet/index.js';
export * from './line/index.js';
export * from './schedule/index.js';
export * from './player/index.js';
export * from './export/index.js';
export * from './decoder/index.js';
export * from './channel/index.js';
