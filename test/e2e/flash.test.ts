/**
 * End to end in real Chromium: the demo page and the library's flash() paint a packet, Chrome's
 * screencast records what was actually painted, and our decoder must read the payload back from
 * that recording, as a light sensor pressed to the screen would.
 *
 * Runs against the system Chromium (no browser download); see chromium.ts for when it skips.
 * The screencast delivers a frame per change and keeps up with 60 Hz when the machine is idle.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowserBundles, buildDemo } from '../../scripts/browser-bundle.js';
import { serveStatic, type StaticServer } from '../../scripts/static-server.js';
import { decodeSamples } from '../../src/decoder/index.js';
import { encodePacket, toLevels, type ConfigPayload } from '../../src/index.js';
import { regionBrightness, sampleHeld, type CssRect } from './brightness.js';
import { launchChromium, shouldRunBrowserTests } from './chromium.js';
import { recordPaint, type PaintedFrame } from './screencast.js';

declare global {
  interface Window {
    blinkup: typeof import('../../src/index.js');
  }
}

/**
 * The demo's flashing rate in this test: four refreshes per level at 60 Hz, so that frames a
 * starved compositor presents a refresh or two late do not shrink a level to nothing.
 */
const DEMO_FPS = 15;
/** Flashes tried before the demo test gives up (see the test for why more than one). */
const MAX_ATTEMPTS = 3;
/** The virtual photodiode's sample rate, Hz (the imp reads its light sensor about this often). */
const SENSOR_RATE = 1000;
/** Screencast frame size: small PNGs are quick to encode, so the recording keeps up. */
const CAPTURE = { maxWidth: 90, maxHeight: 160 } as const;
const VIEWPORT = { width: 360, height: 640 } as const;

const run = shouldRunBrowserTests('browser end-to-end');

describe.skipIf(!run)('flashing in real Chromium', () => {
  let dir: string;
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'blinkup-e2e-'));
    await Promise.all([buildDemo(dir), buildBrowserBundles(dir)]);
    for (const file of ['player.html', 'player.css', 'player.js']) await copyFile(join(import.meta.dirname, 'page', file), join(dir, file));
    server = await serveStatic(dir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A page of the test server, failing the test on any page error. */
  async function open(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.on('pageerror', (err) => {
      throw err;
    });
    await page.goto(server.url + path);
    return page;
  }

  /** Top band of a flashing area: away from the countdown digits in its middle. */
  function sensorSpot(area: CssRect): CssRect {
    return { x: area.x + area.width * 0.1, y: area.y + area.height * 0.05, width: area.width * 0.8, height: area.height * 0.15 };
  }

  /** Decodes the recording; when no packet comes out, keeps the brightness trace for a post-mortem. */
  async function decodeRecording(frames: readonly PaintedFrame[], spot: CssRect) {
    const trace = regionBrightness(frames, spot);
    const { values, times } = sampleHeld(trace, SENSOR_RATE);
    const result = decodeSamples(values, { times });
    let kept = '';
    if (result.packets.length === 0) {
      kept = join(tmpdir(), `blinkup-e2e-trace-${Date.now()}.json`);
      await writeFile(kept, JSON.stringify({ timesS: [...trace.timesS], values: [...trace.values] }));
    }
    const events = result.events.map((e) => e.type + ('reason' in e ? ` (${e.reason})` : '')).join(', ');
    const load = `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs`;
    return { ...result, summary: `${frames.length} painted frames; decoder events: ${events}; ${load}${kept ? `; trace kept in ${kept}` : ''}` };
  }

  /** Presses Start on a filled-in demo page, stalls the page a third of the way in, and records the flash. */
  async function flashDemo(page: Page, levels: number) {
    const recording = await recordPaint(page, CAPTURE.maxWidth, CAPTURE.maxHeight);
    await page.click('#start');
    await page.waitForSelector('#stage[data-phase="flashing"]', { timeout: 10_000 });
    const area = await page.$eval('#flash-area', (el) => el.getBoundingClientRect().toJSON() as CssRect);
    // The page is then busy for 100 ms: no animation frame can run meanwhile.
    await page.evaluate((delayMs) => {
      setTimeout(() => {
        const until = performance.now() + 100;
        while (performance.now() < until);
      }, delayMs);
    }, ((levels / DEMO_FPS) * 1000) / 3);
    await page.waitForSelector('#result:not([hidden])', { timeout: 90_000 });
    const frames = await recording.stop();
    const stat = (name: string) => page.$eval(`[data-stat="${name}"]`, (el) => Number((el as HTMLElement).dataset.value));
    return {
      state: await page.$eval('#result', (el) => (el as HTMLElement).dataset.state),
      late: await stat('late'),
      rate: await stat('rate'),
      durationMs: await stat('duration'),
      decoded: await decodeRecording(frames, sensorSpot(area)),
    };
  }

  it('the demo page flashes credentials that decode from what Chromium painted, through a main-thread stall', async () => {
    const payload = { ssid: 'Lab', password: 'pa55word', planId: '0123456789abcdef', token: 'fedcba9876543210' };
    const levels = toLevels(encodePacket(payload)).length; // 646 levels: 43 s at 15 per second
    const page = await open('index.html');
    await page.fill('#ssid', payload.ssid);
    await page.fill('#password', payload.password);
    await page.fill('#planId', payload.planId);
    await page.fill('#token', payload.token);
    await page.check(`input[name="fps"][value="${DEMO_FPS}"]`, { force: true });

    // On an overloaded machine headless Chromium's software compositor drops or delays frames now
    // and then: a level the page painted never reaches the screen (checked against an in-page
    // paint log), or shows for a single refresh. Such a flash may not decode, and the test says so
    // and flashes again. A fault in the player or the decoder fails every attempt.
    let run = await flashDemo(page, levels);
    for (let attempt = 2; attempt <= MAX_ATTEMPTS && run.decoded.packets.length === 0; attempt++) {
      console.warn(`browser end-to-end: the flash did not decode (${run.decoded.summary}); attempt ${attempt} of ${MAX_ATTEMPTS}`);
      run = await flashDemo(page, levels);
    }

    expect(run.state).toBe('done');
    expect(run.late).toBeGreaterThanOrEqual(1);
    expect(run.rate).toBeGreaterThan(DEMO_FPS * 0.8);
    expect(run.durationMs).toBeGreaterThan((levels / DEMO_FPS) * 1000 * 0.98);
    const { decoded } = run;
    expect(decoded.packets.length, `no packet decoded from ${decoded.summary}`).toBeGreaterThanOrEqual(1);
    expect(decoded.packets[0]!.payload as ConfigPayload).toMatchObject(payload);
    expect(decoded.packets[0]!.quality.fps).toBeCloseTo(DEMO_FPS, 0);
    await page.close();
  }, 300_000);

  it('cancels with an AbortSignal: rejects with an AbortError and restores the element', async () => {
    const page = await open('player.html');
    await page.waitForSelector('body[data-ready]', { state: 'attached' });
    const outcome = await page.evaluate(async () => {
      const { flash } = window.blinkup;
      const target = document.getElementById('target')!;
      const controller = new AbortController();
      const seen = new Set<string>();
      const watch = new MutationObserver(() => seen.add(getComputedStyle(target).backgroundColor));
      watch.observe(target, { attributes: true, attributeFilter: ['style'] });
      setTimeout(() => controller.abort(), 1500);
      const levels = new Uint8Array(600).map((_, i) => (i % 2 ? 2 : 0));
      const error = await flash(target, levels, { fps: 30, signal: controller.signal }).then(
        () => null,
        (err: Error) => err.name,
      );
      const framesAfterAbort = await new Promise<number>((resolve) => {
        let count = 0;
        const before = seen.size;
        const tick = () => (++count < 10 ? requestAnimationFrame(tick) : resolve(seen.size - before));
        requestAnimationFrame(tick);
      });
      watch.disconnect();
      return {
        error,
        inlineStyle: target.getAttribute('style') ?? '',
        background: getComputedStyle(target).backgroundColor,
        flashed: seen.has('rgb(255, 255, 255)'),
        framesAfterAbort,
      };
    });
    expect(outcome.error).toBe('AbortError');
    expect(outcome.flashed).toBe(true);
    expect(outcome.inlineStyle).toBe('');
    expect(outcome.background).toBe('rgb(10, 20, 30)');
    expect(outcome.framesAfterAbort).toBe(0);
    await page.close();
  });

  it('refuses a second flash on an element that is flashing (a double click), and the first restores it', async () => {
    const page = await open('player.html');
    await page.waitForSelector('body[data-ready]', { state: 'attached' });
    const outcome = await page.evaluate(async () => {
      const { flash } = window.blinkup;
      const target = document.getElementById('target')!;
      const levels = Uint8Array.from({ length: 20 }, (_, i) => (i % 2 ? 2 : 0));
      const first = flash(target, levels, { fps: 30, warmupRefreshes: 10 });
      const second = await flash(target, levels, { fps: 30, warmupRefreshes: 10 }).then(
        () => null,
        (err: { name: string; code: string; message: string }) => ({ name: err.name, code: err.code, message: err.message }),
      );
      return {
        second,
        firstFrames: (await first).frames,
        inlineStyle: target.getAttribute('style') ?? '',
        background: getComputedStyle(target).backgroundColor,
      };
    });
    expect(outcome.second).toEqual({ name: 'BlinkUpError', code: 'OPTION_INVALID', message: 'a flash is already running on this element' });
    expect(outcome.firstFrames).toBe(20);
    expect(outcome.inlineStyle).toBe('');
    expect(outcome.background).toBe('rgb(10, 20, 30)');
    await page.close();
  });

  it('refuses targets nobody would see: display none, hidden, detached, a 0×0 canvas, a see-through grey, opacity 0', async () => {
    const page = await open('player.html');
    await page.waitForSelector('body[data-ready]', { state: 'attached' });
    const outcome = await page.evaluate(async () => {
      const { flash } = window.blinkup;
      const levels = Uint8Array.from({ length: 20 }, (_, i) => (i % 2 ? 2 : 0));
      const styled = (css: string): HTMLElement => {
        const el = document.createElement('div');
        el.style.cssText = `width: 200px; height: 100px; ${css}`;
        document.body.append(el);
        return el;
      };
      const canvas = document.createElement('canvas');
      canvas.width = 0;
      document.body.append(canvas);
      const targets: [HTMLElement | HTMLCanvasElement, object?][] = [
        [styled('display: none')],
        [styled('visibility: hidden')],
        [document.createElement('div')],
        [canvas],
        [styled(''), { colors: { grey: 'rgba(191, 191, 191, 0.5)' } }],
        [styled('opacity: 0')],
      ];
      const messages: string[] = [];
      for (const [target, options] of targets) {
        messages.push(await flash(target, levels, { fps: 30, ...options }).then(() => 'played', (err: { code: string; message: string }) => `${err.code}: ${err.message}`));
      }
      return messages;
    });
    expect(outcome).toEqual([
      'INPUT_INVALID: the flash target has no size on the page (display: none, or 0×0): nothing would show',
      'INPUT_INVALID: the flash target is hidden (visibility: hidden): nothing would show',
      'INPUT_INVALID: the flash target is not in the document: nothing would show',
      'INPUT_INVALID: the canvas is 0×150 pixels: nothing would show',
      'OPTION_INVALID: colors.grey "rgba(191, 191, 191, 0.5)" is not opaque: the page behind would show through the level',
      'INPUT_INVALID: the flash target is not rendered visibly (opacity 0, or content-visibility, on it or an ancestor): nothing would show',
    ]);
    await page.close();
  });

  it('switches off the page’s transition and animation on the element while flashing, and puts its inline ones back', async () => {
    const page = await open('player.html');
    await page.waitForSelector('body[data-ready]', { state: 'attached' });
    const outcome = await page.evaluate(async () => {
      const { flash } = window.blinkup;
      const target = document.getElementById('target')!;
      target.classList.add('animated'); // the stylesheet's transition: all 0.3s and opacity animation
      target.style.setProperty('transition-duration', '0.5s', 'important');
      target.style.setProperty('animation-play-state', 'running');
      const inlineBefore = target.style.cssText;
      // What the element looks like at every refresh of the flash: levels must be exact, never mixed.
      const seen = new Set<string>();
      let sampling = true;
      const sample = () => {
        const { backgroundColor, opacity } = getComputedStyle(target);
        if (target.style.getPropertyPriority('background-color') === 'important') seen.add(`${backgroundColor} ${opacity}`);
        if (sampling) requestAnimationFrame(sample);
      };
      const levels = Uint8Array.from({ length: 30 }, (_, i) => [0, 2, 1][i % 3]!);
      const flashing = flash(target, levels, { fps: 20, warmupRefreshes: 10 });
      requestAnimationFrame(sample);
      await flashing;
      sampling = false;
      return { seen: [...seen].sort(), inlineBefore, inlineAfter: target.style.cssText };
    });
    expect(outcome.seen).toEqual(['rgb(0, 0, 0) 1', 'rgb(191, 191, 191) 1', 'rgb(255, 255, 255) 1']);
    expect(outcome.inlineAfter).toBe(outcome.inlineBefore);
    expect(outcome.inlineBefore).toBe('transition-duration: 0.5s !important; animation-play-state: running;');
    await page.close();
  });

  it('paints a canvas whole and plain whatever drawing state the app left, then gives back its picture pixel for pixel', async () => {
    const page = await open('player.html');
    await page.waitForSelector('body[data-ready]', { state: 'attached' });
    const outcome = await page.evaluate(async () => {
      const { flash } = window.blinkup;
      const canvas = document.getElementById('canvas') as HTMLCanvasElement;
      const { width, height } = canvas;
      const ctx = canvas.getContext('2d')!;
      // The app's picture (opaque, half-transparent and empty areas) and the state it leaves behind.
      ctx.fillStyle = '#ff0000';
      ctx.fillRect(0, 0, width, height / 2);
      ctx.translate(20, 10);
      ctx.globalAlpha = 0.5;
      ctx.fillStyle = '#2080ff';
      ctx.fillRect(0, 0, 30, 30);
      Object.assign(ctx, { globalCompositeOperation: 'multiply', filter: 'blur(2px)', shadowColor: '#00ff00', shadowBlur: 4 });
      const before = ctx.getImageData(0, 0, width, height).data;
      const palette = [[0, 0, 0], [191, 191, 191], [255, 255, 255]];
      const levels = Uint8Array.from({ length: 30 }, (_, i) => [0, 2, 1][i % 3]!);
      let unevenLevels = 0;
      await flash(canvas, levels, {
        fps: 30,
        warmupRefreshes: 10,
        onProgress: (_, frame) => {
          if (frame === levels.length) return;
          const want = [...palette[levels[frame]!]!, 255];
          const data = ctx.getImageData(0, 0, width, height).data;
          if (data.some((v, i) => v !== want[i % 4])) unevenLevels++;
        },
      });
      const after = ctx.getImageData(0, 0, width, height).data;
      const { e, f } = ctx.getTransform();
      return {
        unevenLevels,
        changedBytes: after.filter((v, i) => v !== before[i]).length,
        halfTransparent: before.some((v, i) => i % 4 === 3 && v > 0 && v < 255),
        state: [e, f, ctx.globalAlpha, ctx.globalCompositeOperation, ctx.filter, ctx.shadowColor],
      };
    });
    expect(outcome.unevenLevels).toBe(0);
    expect(outcome.halfTransparent).toBe(true);
    expect(outcome.changedBytes).toBe(0);
    expect(outcome.state).toEqual([20, 10, 0.5, 'multiply', 'blur(2px)', '#00ff00']);
    await page.close();
  });

  it('reports progress monotonically up to 1 and gives a canvas its picture back', async () => {
    const page = await open('player.html');
    await page.waitForSelector('body[data-ready]', { state: 'attached' });
    const outcome = await page.evaluate(async () => {
      const { flash } = window.blinkup;
      const canvas = document.getElementById('canvas') as HTMLCanvasElement;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#ff0000';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      const progress: [number, number][] = [];
      const levels = Uint8Array.from({ length: 90 }, (_, i) => (i % 2 ? 1 + ((i >> 1) % 2) : 0));
      const result = await flash(canvas, levels, { fps: 60, onProgress: (f, i) => progress.push([f, i]) });
      return { progress, result, pixel: [...ctx.getImageData(10, 10, 1, 1).data] };
    });
    const { progress, result, pixel } = outcome;
    expect(progress).toHaveLength(91);
    expect(progress[0]).toEqual([0, 0]);
    expect(progress.at(-1)).toEqual([1, 90]);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
    expect(result.frames).toBe(90);
    expect(result.refreshHz).toBeGreaterThan(20);
    expect(result.achievedFps).toBeGreaterThan(0);
    expect(pixel).toEqual([255, 0, 0, 255]);
    await page.close();
  });
});
