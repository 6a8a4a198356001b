/**
 * `npm run build:browser`: the browser bundles (ESM, minified) in out/browser/, and the number
 * that matters to an app embedding the flasher: min+gzip size of encode + play.
 */
import { join, relative } from 'node:path';
import { buildBrowserBundles, ENCODE_AND_PLAY_BUDGET, formatBytes, ROOT } from './browser-bundle.js';

const outDir = join(ROOT, 'out/browser');
const { core, encodeAndPlay } = await buildBrowserBundles(outDir);

const leaks = [...core.nodeImports, ...encodeAndPlay.nodeImports];
if (leaks.length > 0) {
  console.error(`build:browser: Node built-ins leaked into the browser bundle:\n  ${leaks.join('\n  ')}`);
  process.exit(1);
}
const where = relative(process.cwd(), outDir) || '.';
console.log(`${where}/blinkup.js      whole core      ${formatBytes(core.bytes)} min, ${formatBytes(core.gzipBytes)} min+gzip`);
console.log(`${where}/encode-play.js  encode + play   ${formatBytes(encodeAndPlay.bytes)} min, ${formatBytes(encodeAndPlay.gzipBytes)} min+gzip (budget ${formatBytes(ENCODE_AND_PLAY_BUDGET)})`);
if (encodeAndPlay.gzipBytes >= ENCODE_AND_PLAY_BUDGET) {
  console.error('build:browser: encode + play is over its size budget');
  process.exit(1);
}
