/**
 * `mkdir -p` that always ends. Node's own recursive `mkdir` loops forever when the system says a
 * directory's parent is missing although it exists — as /proc and other pseudo-file systems do
 * (`mkdir /proc/x` fails with ENOENT) — so an output folder there would hang the CLI. Here each
 * missing parent is made once, from the top down, and a failure is reported as it came.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await stat(dir)).isDirectory()) return;
      throw error;
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    await makeDirectory(parent);
    // The parent exists now: a second ENOENT is the file system's answer, not a missing parent.
    await mkdir(dir).catch(async (again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST' || !(await stat(dir)).isDirectory()) throw again;
    });
  }
}
