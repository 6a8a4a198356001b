/**
 * The `blinkup` command line: one program, one file per subcommand under commands/, one error
 * policy (errors.ts). A subcommand module exports `register<Name>(program, ctx)` and is listed
 * below; it creates its command with `program.command()` so that it inherits the settings made
 * here (exit override, output routing).
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerAnalyze } from './commands/analyze.js';
import { registerDecode } from './commands/decode.js';
import { registerEncode } from './commands/encode.js';
import { registerExample } from './commands/example.js';
import { registerSimulate } from './commands/simulate.js';
import type { CliContext } from './context.js';
import { ExitCode, reportError } from './errors.js';

const SUBCOMMANDS: ReadonlyArray<(program: Command, ctx: CliContext) => void> = [registerEncode, registerDecode, registerSimulate, registerAnalyze, registerExample];

export function createProgram(ctx: CliContext): Command {
  const program = new Command('blinkup')
    .description('Encode and decode the optical BlinkUp signal (tri-level flashes carrying Wi-Fi credentials and an enrolment token).')
    .version(packageVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    // Parse errors become exceptions, printed as one line by reportError, instead of process.exit.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: () => {},
    })
    .addHelpText('after', '\nExit status: 0 success, 1 no valid packet found, 2 bad usage or input (one line on stderr).\nSet BLINKUP_DEBUG=1 to print stack traces.');
  for (const register of SUBCOMMANDS) register(program, ctx);
  return program;
}

/** Runs the command line `args` (without node and script) and returns the exit status. */
export async function run(args: readonly string[], ctx: CliContext): Promise<number> {
  try {
    await createProgram(ctx).parseAsync([...args], { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    return reportError(err, ctx);
  }
}

function packageVersion(): string {
  // dist/cli/program.js and src/cli/program.ts are both two levels below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
