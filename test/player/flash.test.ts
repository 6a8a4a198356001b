import { afterEach, describe, expect, it, vi } from 'vitest';
import { flash } from '../../src/player/flash.js';
import { encodePacket, schedule, toLevels } from '../../src/index.js';
import { fakeCanvas, fakeElement, installFakeDisplay, installFakeWakeLock } from './fake-dom.js';

const PALETTE = ['#000000', '#bfbfbf', '#ffffff'];
const LEVELS = Uint8Array.of(0, 1, 0, 2, 0, 2, 0, 1, 0, 0);

async function rejection(p: Promise<unknown>): Promise<{ name?: string; code?: string; message?: string }> {
  try {
    await p;
  } catch (err) {
    return err as { name?: string; code?: string };
  }
  throw new Error('expected a rejection');
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('flash() on an element', () => {
  it('paints black for the warm-up, then every level in order, and restores the inline style', async () => {
    installFakeDisplay(60);
    installFakeWakeLock();
    const { element, history, snapshot } = fakeElement({ 'background-color': ['rgb(1, 2, 3)'] });
    const before = snapshot();
    const result = await flash(element, LEVELS, { fps: 20, warmupRefreshes: 10 });

    expect(history.slice(0, 2)).toEqual(['#000000', PALETTE[LEVELS[0]!]]);
    expect(history.slice(1, -1)).toEqual([...LEVELS].map((l) => PALETTE[l]));
    expect(history.at(-1)).toBe('rgb(1, 2, 3)'); // the restore
    expect(snapshot()).toEqual(before);
    expect(result).toMatchObject({ frames: LEVELS.length, refreshesPerFrame: 3, refreshes: 30, lateRefreshes: 0, missedRefreshes: 0, wakeLock: true });
    expect(result.durationMs).toBeCloseTo(LEVELS.length * 50, 6);
    expect(result.achievedFps).toBeCloseTo(20, 6);
    expect(result.refreshHz).toBeCloseTo(60, 6);
  });

  it('turns the element’s transitions and animations off while flashing and puts its own back, priority and all', async () => {
    installFakeDisplay(60);
    const { element, snapshot } = fakeElement({
      'transition-property': ['background-color'],
      'transition-duration': ['0.3s'],
      'animation-name': ['pulse', 'important'],
    });
    const before = snapshot();
    let during: ReturnType<typeof snapshot> = {};
    await flash(element, LEVELS, { warmupRefreshes: 2, onProgress: (_, frame) => frame === 0 && (during = snapshot()) });
    expect(during).toMatchObject({
      'transition-property': ['none', 'important'],
      'animation-name': ['none', 'important'],
      'transition-duration': ['0.3s', ''], // only the longhands that matter are touched
    });
    expect(snapshot()).toEqual(before);
  });

  it('plays a real packet’s schedule with the hold the schedule chose', async () => {
    installFakeDisplay(60);
    const levels = toLevels(encodePacket({ ssid: 'Lab', password: 'pa55word', planId: '0123456789abcdef', token: 'fedcba9876543210' }));
    const { element, history } = fakeElement();
    const result = await flash(element, schedule(levels, { fps: 30, refreshHz: 60 }), { warmupRefreshes: 4 });
    expect(result.refreshesPerFrame).toBe(2);
    expect(result.frames).toBe(levels.length);
    expect(history.slice(1, -1)).toEqual([...levels].map((l) => PALETTE[l]));
  });

  it('reports progress once per level, monotonically, ending at (1, frameCount)', async () => {
    installFakeDisplay(60);
    const { element } = fakeElement();
    const calls: [number, number][] = [];
    await flash(element, LEVELS, { fps: 60, warmupRefreshes: 4, onProgress: (f, i) => calls.push([f, i]) });
    expect(calls).toHaveLength(LEVELS.length + 1);
    expect(calls[0]).toEqual([0, 0]);
    expect(calls.at(-1)).toEqual([1, LEVELS.length]);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThan(calls[i - 1]![0]);
  });

  it('counts a stall as late and missed refreshes, and still paints every level', async () => {
    const display = installFakeDisplay(60);
    display.stallAfter(14, 100); // a 100 ms long task during level 1: six refreshes, five without a callback
    const { element, history } = fakeElement();
    const result = await flash(element, LEVELS, { fps: 20, warmupRefreshes: 10 });
    expect(result.lateRefreshes).toBe(1);
    expect(result.missedRefreshes).toBe(5);
    expect(history.slice(1, -1)).toEqual([...LEVELS].map((l) => PALETTE[l]));
    expect(result.achievedFps).toBeLessThan(20);
  });

  it('does not cut the level after a stall short, although its callback came with a stale timestamp', async () => {
    const display = installFakeDisplay(60);
    display.stallAfter(14, 100);
    const { element } = fakeElement();
    const paintedAt: number[] = [];
    await flash(element, LEVELS, { fps: 20, warmupRefreshes: 10, onProgress: () => paintedAt.push(performance.now()) });
    // What is painted goes on screen at the next refresh boundary (the fake display's are at 1000 + k·period).
    const period = 1000 / 60;
    const onScreen = paintedAt.map((t) => 1000 + period * Math.ceil((t - 1000) / period - 1e-9));
    const refreshesUp = onScreen.slice(1).map((t, i) => Math.round((t - onScreen[i]!) / period));
    expect(Math.min(...refreshesUp)).toBe(3);
    expect(refreshesUp.filter((n) => n > 3)).toHaveLength(1); // the level during the stall stayed up longer
  });

  it('uses the colours it is given', async () => {
    installFakeDisplay(60);
    const { element, history } = fakeElement();
    await flash(element, Uint8Array.of(0, 1, 0, 2), { warmupRefreshes: 2, colors: { grey: '#9f9f9f' } });
    expect(history.slice(1, -1)).toEqual(['#000000', '#9f9f9f', '#000000', '#ffffff']);
  });
});

describe('flash() on a canvas', () => {
  it('fills the whole canvas per level and puts the original picture back', async () => {
    installFakeDisplay(60);
    const { canvas, log } = fakeCanvas(40, 30);
    await flash(canvas, Uint8Array.of(0, 2), { warmupRefreshes: 2 });
    expect(log).toEqual([
      'backup.draw screen', // the original picture saved
      'screen.save',
      'screen.fill #000000 0,0,40,30', // warm-up
      'screen.fill #000000 0,0,40,30',
      'screen.fill #ffffff 0,0,40,30',
      'screen.clear',
      'screen.draw backup',
      'screen.restore',
    ]);
  });

  it('paints and puts the picture back in a plain drawing state, whatever the app left in it, then gives the app its state back', async () => {
    installFakeDisplay(60);
    const { canvas, ctx, log, states } = fakeCanvas(40, 30);
    ctx.translate(20, 10);
    Object.assign(ctx, { globalAlpha: 0.5, globalCompositeOperation: 'multiply', filter: 'blur(2px)', shadowColor: 'red', fillStyle: 'blue' });
    const appState = { ...ctx };
    await flash(canvas, Uint8Array.of(0, 2), { warmupRefreshes: 2 });
    const screen = log.map((entry, i) => [entry, states[i]]).filter(([entry]) => /^screen\.(fill|clear|draw)/.test(entry!));
    expect(screen).toHaveLength(5); // three fills, the clear and the picture put back
    for (const [entry, state] of screen) expect(state, entry).toBe('1,0,0,1,0,0 alpha 1 source-over filter none shadow transparent');
    expect({ ...ctx }).toEqual(appState);
  });
});

describe('cancelling', () => {
  it('rejects with an AbortError, restores the element, releases the wake lock and stops the loop', async () => {
    const display = installFakeDisplay(60);
    const lock = installFakeWakeLock();
    const { element, snapshot } = fakeElement({ 'background-image': ['url(x.png)', 'important'] });
    const before = snapshot();
    const controller = new AbortController();
    const running = flash(element, LEVELS, {
      fps: 20,
      warmupRefreshes: 4,
      signal: controller.signal,
      onProgress: (_, frame) => frame === 3 && controller.abort(),
    });
    const err = await rejection(running);
    expect(err.name).toBe('AbortError');
    expect(snapshot()).toEqual(before);
    expect(lock).toEqual({ requests: 1, releases: 1 });
    const callbacksAtAbort = display.callbacks;
    await new Promise((r) => setTimeout(r, 20));
    expect(display.callbacks).toBe(callbacksAtAbort);
  });

  it('does not start when the signal is already aborted', async () => {
    installFakeDisplay(60);
    const lock = installFakeWakeLock();
    const { element, history } = fakeElement();
    const err = await rejection(flash(element, LEVELS, { signal: AbortSignal.abort() }));
    expect(err.name).toBe('AbortError');
    expect(history).toEqual([]);
    expect(lock.requests).toBe(0);
  });

  it('rejects with the error a progress callback throws, and still cleans up', async () => {
    installFakeDisplay(60);
    const { element, snapshot } = fakeElement();
    const before = snapshot();
    const err = await rejection(
      flash(element, LEVELS, {
        warmupRefreshes: 2,
        onProgress: () => {
          throw new Error('listener broke');
        },
      }),
    );
    expect(err.message).toBe('listener broke');
    expect(snapshot()).toEqual(before);
  });
});

describe('a second flash on the same target', () => {
  it('is refused at once while the first runs; the first plays on and restores the element', async () => {
    installFakeDisplay(60);
    const { element, history, snapshot } = fakeElement({ 'background-color': ['rgb(1, 2, 3)'] });
    const before = snapshot();
    const first = flash(element, LEVELS, { fps: 20, warmupRefreshes: 4 });
    const err = await rejection(flash(element, LEVELS, { fps: 20, warmupRefreshes: 4 }));
    expect(err).toMatchObject({ name: 'BlinkUpError', code: 'OPTION_INVALID', message: 'a flash is already running on this element' });
    expect((await first).frames).toBe(LEVELS.length);
    expect(history.slice(1, -1)).toEqual([...LEVELS].map((l) => PALETTE[l]));
    expect(snapshot()).toEqual(before);
    // Once the first is over, the element is free again.
    await flash(element, LEVELS, { warmupRefreshes: 2 });
    expect(snapshot()).toEqual(before);
  });

  it('is refused on a canvas too, and frees the target when the first fails', async () => {
    installFakeDisplay(60);
    const { canvas } = fakeCanvas();
    const controller = new AbortController();
    const first = flash(canvas, LEVELS, { signal: controller.signal, warmupRefreshes: 2 });
    expect((await rejection(flash(canvas, LEVELS))).code).toBe('OPTION_INVALID');
    controller.abort();
    expect((await rejection(first)).name).toBe('AbortError');
    expect((await flash(canvas, Uint8Array.of(0, 2), { warmupRefreshes: 2 })).frames).toBe(2);
  });

  it('does not hold up a flash on another element', async () => {
    installFakeDisplay(60);
    const a = fakeElement();
    const b = fakeElement();
    const results = await Promise.all([flash(a.element, LEVELS, { warmupRefreshes: 2 }), flash(b.element, LEVELS, { warmupRefreshes: 2 })]);
    expect(results.map((r) => r.frames)).toEqual([LEVELS.length, LEVELS.length]);
  });
});

describe('wake lock', () => {
  it('flashes without one when the browser refuses it', async () => {
    installFakeDisplay(60);
    const lock = installFakeWakeLock(false);
    const { element } = fakeElement();
    const result = await flash(element, LEVELS, { warmupRefreshes: 2 });
    expect(result.wakeLock).toBe(false);
    expect(lock.requests).toBe(1);
  });

  it('does not ask when told not to', async () => {
    installFakeDisplay(60);
    const lock = installFakeWakeLock();
    const { element } = fakeElement();
    expect((await flash(element, LEVELS, { warmupRefreshes: 2, wakeLock: false })).wakeLock).toBe(false);
    expect(lock.requests).toBe(0);
  });
});

describe('bad input', () => {
  it('refuses bad levels, rates and targets with typed errors, touching nothing', async () => {
    installFakeDisplay(60);
    const { element, history } = fakeElement();
    expect((await rejection(flash(element, Uint8Array.of(0, 3)))).code).toBe('LEVELS_INVALID');
    expect((await rejection(flash(element, new Uint8Array(0)))).code).toBe('LEVELS_INVALID');
    expect((await rejection(flash(element, LEVELS, { fps: 5 }))).code).toBe('RATE_UNSUPPORTED');
    expect((await rejection(flash({} as HTMLElement, LEVELS))).code).toBe('INPUT_INVALID');
    expect((await rejection(flash(element, [0, 1] as unknown as Uint8Array))).code).toBe('INPUT_INVALID');
    expect(history).toEqual([]);
  });

  it('refuses a colour the browser would ignore before it asks for the wake lock or paints', async () => {
    installFakeDisplay(60);
    const lock = installFakeWakeLock();
    const { element, history } = fakeElement();
    const err = await rejection(flash(element, LEVELS, { colors: { grey: 'gray50' } }));
    expect(err).toMatchObject({ name: 'BlinkUpError', code: 'OPTION_INVALID' });
    expect(err.message).toContain('"gray50"');
    expect(history).toEqual([]);
    expect(lock.requests).toBe(0);
  });

  it('refuses a target that is not an element (null, undefined, an id) with a typed error naming it', async () => {
    installFakeDisplay(60);
    const lock = installFakeWakeLock();
    for (const [target, got] of [
      [null, 'null'],
      [undefined, 'undefined'],
      ['flash-area', 'a string'],
    ] as const) {
      const err = await rejection(flash(target as unknown as HTMLElement, LEVELS));
      expect(err).toMatchObject({ name: 'BlinkUpError', code: 'INPUT_INVALID' });
      expect(err.message).toBe(`the flash target must be a <canvas> or an HTML element (got ${got})`);
    }
    expect(lock.requests).toBe(0);
  });

  it('refuses a target nobody would see (a flash there would play to the end and report success)', async () => {
    installFakeDisplay(60);
    const lock = installFakeWakeLock();
    const { canvas } = fakeCanvas(0, 30);
    expect(await rejection(flash(canvas, LEVELS))).toMatchObject({ code: 'INPUT_INVALID', message: 'the canvas is 0×30 pixels: nothing would show' });
    const shown = (extra: object): HTMLElement => Object.assign(fakeElement().element, extra);
    const box = (width: number, height: number) => () => ({ width, height });
    const view = (visibility: string) => ({ defaultView: { getComputedStyle: () => ({ visibility }) } });
    for (const [element, why] of [
      [shown({ isConnected: false }), 'is not in the document'],
      [shown({ isConnected: true, getBoundingClientRect: box(0, 0) }), 'has no size on the page (display: none, or 0×0)'],
      [shown({ isConnected: true, getBoundingClientRect: box(300, 200), ownerDocument: view('hidden') }), 'is hidden (visibility: hidden)'],
    ] as const) {
      expect(await rejection(flash(element, LEVELS))).toMatchObject({ code: 'INPUT_INVALID', message: `the flash target ${why}: nothing would show` });
    }
    expect(lock.requests).toBe(0);
  });

  it('needs requestAnimationFrame', async () => {
    const { element } = fakeElement();
    expect((await rejection(flash(element, LEVELS))).code).toBe('INPUT_INVALID');
  });
});
