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
}

export function processContext(): CliContext {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, exitCode: 0 };
}
