/**
 * One error policy for every command: bad usage or bad input ends the program with status 2 and
 * ONE line on stderr, `blinkup: <message>`, never a stack trace (a script must be able to show
 * the line to a user as it is). `BLINKUP_DEBUG=1` adds the stack, for developers.
 */
import { CommanderError } from 'commander';
import { BlinkUpError, ErrorCode, isBlinkUpError } from '../packet/errors.js';
import type { CliContext } from './context.js';

export const ExitCode = {
  OK: 0,
  /** The input was fine but held no valid packet (decode). */
  NO_PACKET: 1,
  /** Bad usage or bad input. */
  USAGE: 2,
} as const;

/** An error in how the command was called (conflicting or missing options, bad values). */
export function usageError(message: string): BlinkUpError {
  return new BlinkUpError(ErrorCode.OPTION_INVALID, message);
}

/** Prints the one line for `err` (nothing for --help/--version) and returns the exit status. */
export function reportError(err: unknown, ctx: CliContext): number {
  if (err instanceof CommanderError) {
    // --help and --version end parsing through an exception too; they are successes.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.OK;
    // Help printed by `blinkup help <command>` (status 0) or because no command was given (1).
    if (err.code === 'commander.help') return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  }
  ctx.stderr.write(`blinkup: ${oneLine(errorMessage(err))}\n`);
  if (ctx.env.BLINKUP_DEBUG === '1' && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
  return ExitCode.USAGE;
}

function errorMessage(err: unknown): string {
  if (isBlinkUpError(err)) return err.message;
  if (err instanceof CommanderError) return err.message.replace(/^error: /, '');
  if (isSystemError(err)) return systemErrorMessage(err);
  const message = err instanceof Error ? err.message : String(err);
  return `unexpected error: ${message} (run with BLINKUP_DEBUG=1 for details)`;
}

interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
}

function isSystemError(err: unknown): err is SystemError {
  return err instanceof Error && typeof (err as SystemError).code === 'string' && /^E[A-Z]+$/.test((err as SystemError).code);
}

/** "ENOENT: no such file or directory, open 'x'" → "cannot open x: no such file or directory". */
function systemErrorMessage(err: SystemError): string {
  const reason = systemReason(err);
  if (err.syscall && err.path) return `cannot ${err.syscall} ${err.path}: ${reason}`;
  return reason;
}

/** A system error's reason alone: "ENOSPC: no space left on device, write" → "no space left on device". */
export function systemReason(err: Error): string {
  return err.message.replace(/^E[A-Z]+: /, '').replace(/, \w+( '.*')?$/, '');
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
