/** Shared helpers for the Node I/O tests: temp folders, chunking, collecting chunks. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { isBlinkUpError, type ErrorCode } from '../../src/packet/errors.js';
import type { SampleChunk } from '../../src/node/sample-chunk.js';

/** A fresh folder under the OS temp dir, removed after the test file. */
export function tempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `blinkup-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Split bytes into chunks of `size` (the last may be shorter), to exercise chunk boundaries. */
export function* chunked(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The parts one after another in one array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Collect sample chunks into one array of values and (if present) times. */
export async function collect(chunks: AsyncIterable<SampleChunk>): Promise<{ values: number[]; times?: number[]; sizes: number[] }> {
  const values: number[] = [];
  let times: number[] | undefined;
  const sizes: number[] = [];
  for await (const chunk of chunks) {
    sizes.push(chunk.values.length);
    values.push(...chunk.values);
    if (chunk.times) (times ??= []).push(...chunk.times);
  }
  return times ? { values, times, sizes } : { values, sizes };
}

/** Await a promise that must fail with a BlinkUpError of `code`; returns its message. */
export async function expectBlinkUpError(work: Promise<unknown>, code: ErrorCode): Promise<string> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isBlinkUpError(err), `expected BlinkUpError ${code}, got ${String(err)}`).toBe(true);
  if (!isBlinkUpError(err)) throw new Error('unreachable');
  expect(err.code).toBe(code);
  return err.message;
}
