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
  let stop = (): void => {};
  const stopped = new Promise<'stopped'>((resolve) => {
    stop = () => resolve('stopped');
  });
  const unregister = ctx.onInterrupt(stop);
  try {
    for (;;) {
      const next = iterator.next();
      // The read may settle (or fail, its stream torn down) after the interrupt: nobody waits for it then.
      next.catch(() => {});
      const result = await Promise.race([next, stopped]);
      if (result === 'stopped') {
        ctx.interrupted = true;
        return;
      }
      if (result.done) return;
      yield result.value;
    }
  } finally {
    unregister();
    // Not awaited: a read still pending on a pipe may never end.
    iterator.return?.()?.catch(() => {});
  }
}
