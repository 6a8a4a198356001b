/** Entry point of the `blinkup` command (bin/blinkup.js imports the compiled form of this file). */
import { processContext } from './context.js';
import { ExitCode, systemReason } from './errors.js';
import { run } from './program.js';

const ctx = processContext();

// A reader that goes away early (`blinkup encode … --out - | head`) is not an error. Any other
// failure to write the output (a full disk) ends the program as bad output does: one line, status 2.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(ExitCode.OK);
  ctx.stderr.write(`blinkup: cannot write the output: ${systemReason(err)}\n`);
  process.exit(ExitCode.USAGE);
});

// exitCode rather than exit(): lets stdout drain when it is a pipe.
process.exitCode = await run(process.argv.slice(2), ctx);
// A Ctrl-C ended a capture still flowing in: its read, still pending, must not keep the process alive.
if (ctx.interrupted === true) process.stdin.destroy();
