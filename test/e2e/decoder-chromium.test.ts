/**
 * The decoder in real Chromium: the browser bundle of the core decodes a simulated capture with
 * its WebAssembly kernel (kernels.ts) running, and reads the same packets as Node does — and
 * again under a page policy that forbids compiling WebAssembly, where the JavaScript loop stands in.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../scripts/browser-bundle.js';
import { simulatePhotodiode } from '../../src/channel/index.js';
import { decodeSamples } from '../../src/decoder/index.js';
import { encodePacket, toLevels } from '../../src/index.js';
import { launchChromium, shouldRunBrowserTests } from './chromium.js';

declare global {
  interface Window {
    probe: { kernels: boolean; decode(samples: number[], rate: number): string[] };
  }
}

/** The page's script: the core's decoder, and whether the kernels assembled there. */
const ENTRY = `
import { decodeSamples } from './src/index.ts';
import { kernels } from './src/decoder/kernels.ts';
window.probe = {
  kernels: kernels() !== null,
  decode: (samples, rate) => decodeSamples(Float32Array.from(samples), { sampleRate: rate }).packets.map((p) => Array.from(p.bytes, (b) => b.toString(16).padStart(2, '0')).join('')),
};
`;

const run = shouldRunBrowserTests('decoder in Chromium');

describe.skipIf(!run)('the decoder in real Chromium', () => {
  let browser: Browser;
  let script: string;
  const packet = encodePacket({ ssid: 'HomeNetwork', password: 'correct horse', planId: '0123456789abcdef', token: 'fedcba9876543210' });
  const capture = simulatePhotodiode(toLevels(packet), { repeat: 2, flickerDepth: 0.2, heldLevelProbability: 0.05 }, 0xc0ffee);
  const inNode = decodeSamples(capture.samples, { sampleRate: capture.sampleRate }).packets.map((p) => Buffer.from(p.bytes).toString('hex'));

  beforeAll(async () => {
    const bundle = await bundleForBrowser({ source: ENTRY });
    expect(bundle.nodeImports).toEqual([]);
    script = new TextDecoder().decode(bundle.code);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Decodes the capture in a page whose policy is `csp` (none: anything goes). */
  async function decodeIn(csp: string | null): Promise<{ kernels: boolean; packets: string[] }> {
    const page = await browser.newPage();
    try {
      await page.setContent(csp === null ? '<!doctype html>' : `<!doctype html><meta http-equiv="Content-Security-Policy" content="${csp}">`);
      await page.addScriptTag({ content: script, type: 'module' });
      await page.waitForFunction(() => window.probe !== undefined, undefined, { timeout: 20_000 });
      return await page.evaluate(
        ([samples, rate]) => ({ kernels: window.probe.kernels, packets: window.probe.decode(samples, rate) }),
        [Array.from(capture.samples), capture.sampleRate] as const,
      );
    } finally {
      await page.close();
    }
  }

  it('decodes with the WebAssembly kernel, packet for packet as in Node', async () => {
    expect(inNode).toHaveLength(2);
    const result = await decodeIn(null);
    expect(result.kernels).toBe(true);
    expect(result.packets).toEqual(inNode);
  }, 60_000);

  it('decodes with the JavaScript loop where the page forbids compiling WebAssembly', async () => {
    const result = await decodeIn("script-src 'unsafe-inline'");
    expect(result.kernels).toBe(false);
    expect(result.packets).toEqual(inNode);
  }, 60_000);
});
