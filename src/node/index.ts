/**
 * blinkup-codec/node — the Node-only extras: file readers and writers on top of the
 * browser-safe core.
 */
export * from './frames-export.js';

// Byte input: files (never loaded whole), stdin, Node streams, in-memory chunks.
export { byteChunks, fileChunks, inputChunks, FILE_CHUNK_BYTES, type ByteInput } from './byte-source.js';

// Sample captures (photodiode, scope, logger) as streams of SampleChunk.
export { DEFAULT_CHUNK_SAMPLES, type SampleChunk } from './sample-chunk.js';
export { readCsvSamples, CsvSampleParser, CSV_DEFAULTS, type CsvReadOptions, type CsvInfo, type CsvSampleChunk } from './csv-samples.js';
export type { Delimiter } from './csv-fields.js';
export { readBinarySamples, type BinaryReadOptions, type BinarySampleFormat } from './binary-samples.js';

// Camera captures as luma frames: Y4M video (file or pipe) and PNG frame folders.
export type { LumaFrame, LumaFrameSource, LumaPlane, LumaSourceInfo } from './luma-frames.js';
export { openY4M, Y4MWriter, type Y4MInfo, type Y4MReadOptions, type Y4MWriterOptions } from './y4m.js';
export { parseY4MHeader, frameRateOf, Y4M_LIMITS, type Y4MHeader, type ChromaLayout, type FrameRate, type Y4MLimits } from './y4m-format.js';
export { openPngFolder, encodeGreyPng, writePngFrames, parseTimes, sortFrameNames, PNG_LIMITS, type PngFolderInfo, type PngFolderOptions, type PngFramesWriteOptions } from './png-frames.js';
export { rgbaToLuma, type LumaWeights } from './rgb-luma.js';

// Region brightness: luma frames → linear-light samples for the decoder.
export { linearLightTable, type LinearLightOptions, type Transfer } from './linear-light.js';
export { regionMeanLinear, parseRoi, checkRoi, type Roi } from './region.js';
export { blockGridFor, chooseFlashingBlocks, type BlockGrid, type FlashingBlocks } from './auto-region.js';
export { RegionBrightness, brightnessSamples, type RegionBrightnessOptions, type RegionChoice, type BrightnessChunk } from './region-brightness.js';

// Plots for `blinkup analyze --plot`.
export { renderPlot, type PlotSpec, type PlotTrace, type PlotLevel, type PlotSpan, type Rgb } from './plot.js';
