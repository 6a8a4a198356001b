/**
 * blinkup-codec/node — the Node-only extras: file readers and writers on top of the
 * browser-safe core.
 */
export * from './frames-export.js';
