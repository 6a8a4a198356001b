/**
 * WebAssembly kernels for the decoder's per-sample loops, on ONE memory and instance shared by
 * every decoder in the realm (a memory per decoder reserves address space: thousands of live
 * decoders ran out of it). A kernel call copies its inputs in and its results out, so nothing
 * lives in the shared memory between calls. Where WebAssembly or its SIMD is missing (or
 * compiling is forbidden), `kernels()` is null and the callers keep their JavaScript loops, which
 * compute the same values. The module itself is assembled in kernel-code.ts.
 */
import { IN_BYTE, kernelModule, OUT_BYTE, PAGES, SCRATCH_BYTE } from './kernel-code.js';

/** Memory layout, in f64 slots (see kernel-code.ts). */
export const IN_AT = IN_BYTE / 8;
export const OUT_AT = OUT_BYTE / 8;
export const SCRATCH_AT = SCRATCH_BYTE / 8;
/** Longest input run (a piece plus the boxcar before it) the box kernel takes. */
export const IN_CAPACITY = OUT_AT - IN_AT;

export interface Kernels {
  /** The shared memory as f64 (it never grows: the view stays valid). */
  readonly f64: Float64Array;
  /**
   * Boxcar over `m` samples at IN_AT + w … (the `w` before them at IN_AT): smoothed values to
   * OUT_AT …; the running sum in and out; piece statistics in and out at SCRATCH_AT (low, high,
   * rawMin, rawMax, brightRipple, bright, darkRipple). See `boxBody` in kernel-code.ts.
   */
  box(m: number, w: number, inv: number, mid: number, sum: number): number;
}

function instantiate(): Kernels | null {
  if (typeof WebAssembly !== 'object') return null;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(kernelModule()), {});
    const exports = instance.exports as unknown as { m: WebAssembly.Memory; box: Kernels['box'] };
    const f64 = new Float64Array(exports.m.buffer);
    if (f64.length < SCRATCH_AT + 8 || PAGES * 65536 !== exports.m.buffer.byteLength) return null;
    return { f64, box: exports.box };
  } catch {
    return null; // no SIMD, or compiling forbidden (a CSP without 'wasm-unsafe-eval')
  }
}

let shared: Kernels | null | undefined;
let enabled = true;

/** The kernels, or null where they cannot run (or are switched off): what a new decoder uses. */
export function kernels(): Kernels | null {
  if (!enabled) return null;
  return (shared ??= instantiate());
}

/**
 * Switches the kernels off (or on again) for decoders created from now on: the tests compare both
 * paths. Returns the previous setting.
 */
export function setKernelsEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}
