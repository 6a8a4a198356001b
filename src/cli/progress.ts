/**
 * A progress bar on stderr, only when stderr is a terminal: in a pipe, a log or a CI run it would
 * be noise, so there it does nothing.
 */
import { SingleBar } from 'cli-progress';
import type { CliContext } from './context.js';

export interface Progress {
  update(done: number): void;
  /** Removes the bar, leaving the line free for a summary. */
  stop(): void;
}

const SILENT: Progress = { update: () => {}, stop: () => {} };

export function progressBar(ctx: CliContext, label: string, total: number): Progress {
  if (!ctx.stderr.isTTY) return SILENT;
  const bar = new SingleBar({
    stream: ctx.stderr as NodeJS.WriteStream,
    format: `${label} [{bar}] {value}/{total}`,
    clearOnComplete: true,
    hideCursor: true,
  });
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}
