import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirectory } from '../../src/node/make-directory.js';

const root = mkdtempSync(join(tmpdir(), 'blinkup-mkdir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('makeDirectory', () => {
  it('makes every missing parent, and accepts a folder that exists', async () => {
    const dir = join(root, 'a', 'b', 'c');
    await makeDirectory(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
    await makeDirectory(dir);
    await makeDirectory(join(root, 'a'));
  });

  it('refuses a path through a file, or onto one', async () => {
    const file = join(root, 'file');
    writeFileSync(file, 'x');
    await expect(makeDirectory(join(file, 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(makeDirectory(file)).rejects.toMatchObject({ code: 'EEXIST' });
  });

  // Node's recursive mkdir never returns here: /proc says the parent is missing though it exists.
  it.runIf(existsSync('/proc/self'))('ends with ENOENT where the file system refuses a folder (/proc)', async () => {
    await expect(makeDirectory('/proc/blinkup-no-such/x')).rejects.toMatchObject({ code: 'ENOENT' });
  }, 5000);
});
