/**
 * What a command may touch of the outside world. Commands take it as a parameter instead of
 * reaching for `process`, so the wiring is visible in one place and a test or another program can
 * run the CLI with its own streams and environment.
 */
export interface CliContext {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Status to exit with when the command returns normally (default 0). A command whose outcome
   * is not an error but not a success either sets it (decode: 1 when no packet was found).
   */
  exitCode: number;
  /**
   * Calls `stop` when the user interrupts (Ctrl-C) while it is registered; returns the function
   * that unregisters it. A capture being read ends there, as if the input had, so a live decode
   * still prints what it found and the signal report. Absent: no interrupts come.
   */
  readonly onInterrupt?: (stop: () => void) => () => void;
  /** Set when an interrupt ended the capture being read (see `onInterrupt`). */
  interrupted?: boolean;
}

/**
 * The process's own streams and environment. A Ctrl-C while a capture is read ends the input
 * there (see `onInterrupt`); otherwise, or a second time, it ends the process at once.
 */
export function processContext(): CliContext {
  const stops = new Set<() => void>();
  process.on('SIGINT', () => {
    if (stops.size === 0) process.exit(130);
    for (const stop of stops) stop();
    stops.clear();
  });
  const onInterrupt = (stop: () => void): (() => void) => {
    stops.add(stop);
    return () => stops.delete(stop);
  };
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, exitCode: 0, onInterrupt };
}
