/**
 * Input that a Ctrl-C ends, as the end of a file would: a live capture (`ffmpeg … | blinkup
 * decode -`, a serial port) has no end of its own, and being stopped must not cost what was
 * already read — the decoder still flushes, prints the packets it completed and the report.
 */
import type { CliContext } from './context.js';

/** `source` until the user interrupts (see `CliContext.onInterrupt`), which sets `ctx.interrupted`. */
export async function* untilInterrupted<T>(source: AsyncIterable<T>, ctx: CliContext): AsyncGenerator<T, void, undefined> {
  if (ctx.onInterrupt === undefined) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  let stopRequested = false;
  // Wakes the read being waited for. A fresh promise each read: one promise raced against every
  // read would hold each read's result (every chunk of the input) until the end.
  let wake = (): void => {};
  const unregister = ctx.onInterrupt(() => {
    stopRequested = true;
    wake();
  });
  try {
    while (!stopRequested) {
      const next = iterator.next();
      // The read may settle (or fail, its stream torn down) after the interrupt: nobody waits for it then.
      next.catch(() => {});
      const stopped = new Promise<'stopped'>((resolve) => {
        wake = () => resolve('stopped');
      });
      const result = await Promise.race([next, stopped]);
      if (result === 'stopped') break;
      if (result.done) return;
      yield result.value;
    }
    ctx.interrupted = true;
  } finally {
    unregister();
    // Not awaited: a read still pending on a pipe may never end.
    iterator.return?.()?.catch(() => {});
  }
}
