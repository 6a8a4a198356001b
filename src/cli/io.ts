/**
 * Files, stdin and stdout for commands: `-` means stdin or stdout, everything else a path.
 */
import { open, writeFile } from 'node:fs/promises';
import { BlinkUpError, ErrorCode } from '../packet/errors.js';
import type { CliContext } from './context.js';
import { usageError } from './errors.js';

/** A secret file holds one short line; anything much bigger is the wrong file. */
const MAX_SECRET_BYTES = 4096;

/**
 * Reads a secret (a password) from a file or, for `-`, from stdin. One trailing newline is
 * removed, as `echo` and editors add it; any other whitespace is part of the secret. An empty
 * secret or more than one line is refused: a script that wrote an unset variable, or the wrong
 * file, would otherwise send an open network's packet or a password with a line break in it.
 */
export async function readSecret(path: string, ctx: CliContext, what: string): Promise<string> {
  let bytes: Uint8Array;
  if (path === '-') {
    // Typing a password into a terminal would echo it: a pipe or a file is the safe way.
    if (ctx.stdin.isTTY) throw usageError(`${what} from stdin needs a pipe or a file, not a terminal (use a file or an environment variable)`);
    bytes = await readLimited(ctx.stdin, MAX_SECRET_BYTES, `${what} on stdin`);
  } else {
    const file = await open(path, 'r');
    try {
      // A pipe is welcome (`--password-file <(pass show wifi)` keeps the secret off the disk); a
      // directory or a device (a terminal would echo what is typed) is not.
      const stat = await file.stat();
      if (!stat.isFile() && !stat.isFIFO()) throw usageError(`${what} file ${path} is neither a file nor a pipe`);
      bytes = await readLimited(file.createReadStream(), MAX_SECRET_BYTES, `${what} file ${path}`);
    } finally {
      await file.close();
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BlinkUpError(ErrorCode.INPUT_INVALID, `${what} is not valid UTF-8`);
  }
  const secret = text.replace(/\r?\n$/, '');
  const source = path === '-' ? `${what} on stdin` : `${what} file ${path}`;
  if (secret === '') throw usageError(`${source} is empty (for an open network, pass --password '')`);
  if (/[\r\n]/.test(secret)) throw usageError(`${source} holds more than one line: a password is one line`);
  return secret;
}

async function readLimited(stream: NodeJS.ReadableStream, limit: number, what: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let n = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
    n += bytes.length;
    if (n > limit) throw new BlinkUpError(ErrorCode.LIMIT_EXCEEDED, `${what} is larger than ${limit} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** Writes `text` to the file `path`, or to stdout for `-`, and waits until it is handed over. */
export async function writeText(path: string, text: string, ctx: CliContext): Promise<void> {
  if (path !== '-') return writeFile(path, text);
  await new Promise<void>((resolve, reject) => {
    ctx.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

/** Where `writeText(path)` goes, for messages. */
export function describeDestination(path: string): string {
  return path === '-' ? 'stdout' : path;
}
