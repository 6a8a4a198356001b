/**
 * Runs the cases of one fuzz target and collects what broke. A failure records the seed and
 * case index, which is all it takes to run that one case again (`caseRandom(seed, index)`).
 */
import { caseRandom } from './hostile-streams.js';
import type { FuzzTarget } from './targets.js';

export interface FuzzCaseFailure {
  readonly index: number;
  readonly message: string;
}

export interface FuzzRun {
  readonly target: string;
  readonly seed: number;
  readonly cases: number;
  /** Cases that broke a guarantee; the first few are recorded in `failures`. */
  readonly failed: number;
  readonly failures: FuzzCaseFailure[];
  readonly ms: number;
  /** The slowest single case, ms, and its index: a near-hang shows up here. */
  readonly slowestMs: number;
  readonly slowestIndex: number;
}

/** Failures recorded per run (the count goes on). */
const MAX_RECORDED = 20;

/**
 * Cases `from` … `from + count − 1`. `onProgress(next)` is called with the next case index after
 * each case (cheap; a watchdog uses it to name a case that never returns), `onFailure` as soon
 * as a case fails (so a run that dies later loses nothing).
 */
export async function runCases(
  target: FuzzTarget,
  seed: number,
  count: number,
  options: { from?: number; onProgress?: (next: number) => void; onFailure?: (failure: FuzzCaseFailure) => void } = {},
): Promise<FuzzRun> {
  const from = options.from ?? 0;
  const failures: FuzzCaseFailure[] = [];
  let failed = 0;
  let slowestMs = 0;
  let slowestIndex = from;
  const start = performance.now();
  for (let index = from; index < from + count; index++) {
    const t0 = performance.now();
    try {
      await target.run(caseRandom(seed, index));
    } catch (err) {
      failed++;
      const failure = { index, message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
      if (failures.length < MAX_RECORDED) failures.push(failure);
      options.onFailure?.(failure);
    }
    const ms = performance.now() - t0;
    if (ms > slowestMs) {
      slowestMs = ms;
      slowestIndex = index;
    }
    options.onProgress?.(index + 1);
  }
  return { target: target.name, seed, cases: count, failed, failures, ms: performance.now() - start, slowestMs, slowestIndex };
}
