/**
 * `npm run bench`: runs every bench/*.bench.ts in turn, in one process, each to completion
 * before the next (a benchmark module runs its suites when imported, then prints its ratios and
 * one JSON line for machines). `npm run bench -- region` runs only files whose name has "region".
 */
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const dir = new URL('./', import.meta.url);
const filter = process.argv[2] ?? '';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();

for (const file of files) {
  console.log(`\n=== ${file} ===`);
  await import(pathToFileURL(new URL(file, dir).pathname).href);
}
