/**
 * The browser-safe core must stay browser-safe and small: bundled by esbuild for the browser
 * platform, nothing may reach for a Node built-in or Node global, and what an app embeds to
 * flash a packet (encodePacket, toLevels, schedule, flash) stays under its size budget.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser, ENCODE_AND_PLAY_BUDGET, ENCODE_AND_PLAY_ENTRY, ROOT, type BundleReport } from '../../scripts/browser-bundle.js';

/**
 * Uses of Node globals that would throw in a browser. Minified code renames locals but keeps
 * global names; a method that happens to be called `process(…)` is not a use of the global.
 */
const NODE_GLOBALS = /(?<![\w$.])(?:(process|Buffer|global)\s*[.[]|(require)\s*\(|(__dirname|__filename)\b)/;

function nodeGlobalUse(report: BundleReport): string | null {
  const match = NODE_GLOBALS.exec(new TextDecoder().decode(report.code));
  return match ? (match[1] ?? match[2] ?? match[3]!) : null;
}

describe('browser bundles', () => {
  it('bundles the whole core (src/index.ts) with no Node built-in or Node global', async () => {
    const core = await bundleForBrowser({ file: join(ROOT, 'src/index.ts') });
    expect(core.nodeImports).toEqual([]);
    expect(nodeGlobalUse(core)).toBeNull();
    expect(core.inputs).toContain('src/player/flash.ts');
    expect(core.inputs.filter((f) => f.startsWith('src/node/') || f.startsWith('src/cli/'))).toEqual([]);
  });

  it(`keeps encode + play under ${ENCODE_AND_PLAY_BUDGET / 1024} KB min+gzip`, async () => {
    const encodeAndPlay = await bundleForBrowser({ source: ENCODE_AND_PLAY_ENTRY });
    expect(encodeAndPlay.nodeImports).toEqual([]);
    expect(encodeAndPlay.gzipBytes).toBeLessThan(ENCODE_AND_PLAY_BUDGET);
    // Tree-shaking works: the decoder and the simulator are not dragged in.
    expect(encodeAndPlay.inputs.filter((f) => f.startsWith('src/decoder/') || f.startsWith('src/channel/'))).toEqual([]);
  });

  it('catches a Node built-in that leaks in, naming the file that imported it', async () => {
    const leaky = await bundleForBrowser({ source: "import { readFileSync } from 'node:fs'; import { EventEmitter } from 'events'; export { readFileSync, EventEmitter };" });
    expect(leaky.nodeImports).toEqual(['node:fs (imported by entry.ts)', 'events (imported by entry.ts)']);
    expect(nodeGlobalUse(await bundleForBrowser({ source: 'export const home = () => process.env.HOME;' }))).toBe('process');
    expect(nodeGlobalUse(await bundleForBrowser({ source: 'export const b = (s: string) => Buffer.from(s);' }))).toBe('Buffer');
    expect(nodeGlobalUse(await bundleForBrowser({ source: 'export class Stage { process(x: number) { return x + 1; } }' }))).toBeNull();
  });
});
