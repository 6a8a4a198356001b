/** Entry point of the `blinkup` command (bin/blinkup.js imports the compiled form of this file). */
import { processContext } from './context.js';
import { run } from './program.js';

// A reader that goes away early (`blinkup encode … --out - | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// exitCode rather than exit(): lets stdout drain when it is a pipe.
const ctx = processContext();
process.exitCode = await run(process.argv.slice(2), ctx);
// A Ctrl-C ended a capture still flowing in: its read, still pending, must not keep the process alive.
if (ctx.interrupted === true) process.stdin.destroy();
