/**
 * Where the readers get their bytes: files, stdin, Node streams, or in-memory chunks,
 * all seen as one async sequence of `Uint8Array` chunks.
 *
 * Files are read a chunk at a time (never whole), and the usual ways a path can be wrong
 * — missing, a folder, unreadable — become one-line `INPUT_INVALID` errors instead of
 * Node's `ENOENT`/`EISDIR` exceptions.
 */
import { open, stat } from 'node:fs/promises';
import { BlinkUpError } from '../packet/errors.js';

/** Anything a reader accepts as its input. Strings are encoded as UTF-8. */
export type ByteInput =
  | Uint8Array
  | string
  | Iterable<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | NodeJS.ReadableStream;

/** Read size for files: large enough for few system calls, small enough to stay O(1). */
export const FILE_CHUNK_BYTES = 1 << 18;

const utf8 = new TextEncoder();

/** Normalise any `ByteInput` to a sequence of non-empty byte chunks. */
export async function* byteChunks(input: ByteInput): AsyncGenerator<Uint8Array, void, undefined> {
  // A lone string or byte array is one chunk (a string is also Iterable<string>: don't split it).
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const bytes = typeof input === 'string' ? utf8.encode(input) : input;
    if (bytes.length > 0) yield bytes;
    return;
  }
  for await (const chunk of input as AsyncIterable<unknown>) {
    if (typeof chunk === 'string') {
      if (chunk.length > 0) yield utf8.encode(chunk);
    } else if (chunk instanceof Uint8Array) {
      if (chunk.length > 0) yield chunk;
    } else {
      throw new BlinkUpError('INPUT_INVALID', 'input stream delivered something other than bytes or text');
    }
  }
}

/** Turn a failed `stat`/`open` into a one-line message naming the path (never a stack). */
function fileError(path: string, err: unknown): BlinkUpError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT' ? 'no such file'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a folder, not a file'
    : code ?? 'unreadable';
  return new BlinkUpError('INPUT_INVALID', `cannot read ${path}: ${reason}`);
}

/**
 * Stream a file's bytes in chunks of `chunkBytes`. Refuses folders and missing files with
 * `INPUT_INVALID`. Each yielded chunk is a fresh buffer, so consumers may keep it.
 */
export async function* fileChunks(path: string, chunkBytes = FILE_CHUNK_BYTES): AsyncGenerator<Uint8Array, void, undefined> {
  const info = await stat(path).catch((err: unknown) => {
    throw fileError(path, err);
  });
  if (info.isDirectory()) throw new BlinkUpError('INPUT_INVALID', `cannot read ${path}: it is a folder, not a file`);
  const handle = await open(path, 'r').catch((err: unknown) => {
    throw fileError(path, err);
  });
  try {
    for (;;) {
      const buffer = new Uint8Array(chunkBytes);
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null).catch((err: unknown) => {
        throw fileError(path, err);
      });
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** The CLI convention: `-` is standard input, anything else a file path. */
export function inputChunks(pathOrDash: string, stdin: NodeJS.ReadableStream = process.stdin): AsyncIterable<Uint8Array> {
  return pathOrDash === '-' ? byteChunks(stdin) : fileChunks(pathOrDash);
}
