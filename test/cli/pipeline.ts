/**
 * Runs commands joined by real pipes, as a shell runs `a | b`: each step is its own process and
 * reads the previous one's stdout, so streaming and stdin detection are exercised for real.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/blinkup.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface Step {
  readonly command: string;
  readonly args: readonly string[];
}

export interface PipelineResult {
  /** Exit status of each step (-1 if killed). */
  readonly statuses: number[];
  /** stdout of the last step. */
  readonly stdout: string;
  /** stderr of each step. */
  readonly stderr: string[];
}

/** A step running the built `blinkup` command. */
export function blinkup(...args: string[]): Step {
  if (!existsSync(BUILT)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the CLI tests');
  return { command: process.execPath, args: [BIN, ...args] };
}

export function runPipeline(steps: readonly Step[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<PipelineResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('BLINKUP_')) env[k] = v;
  Object.assign(env, options.env);
  const children: ChildProcess[] = [];
  for (const step of steps) {
    const previous = children[children.length - 1];
    children.push(spawn(step.command, step.args, { env, stdio: [previous ? previous.stdout! : 'ignore', 'pipe', 'pipe'] }));
    // The next process holds its own copy of the pipe; this process must neither read it nor keep it open.
    previous?.stdout!.destroy();
  }
  const stderr = children.map(() => '');
  children.forEach((child, i) => child.stderr!.on('data', (d: Buffer) => (stderr[i] += d.toString())));
  let stdout = '';
  children[children.length - 1]!.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const timer = setTimeout(() => children.forEach((c) => c.kill()), options.timeoutMs ?? 60_000);
  const exits = children.map((child) => new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1))));
  return Promise.all(exits).then((statuses) => {
    clearTimeout(timer);
    return { statuses, stdout, stderr };
  });
}
