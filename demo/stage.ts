/**
 * The flashing stage: a full-screen black overlay that counts down 3-2-1 (time to bring the phone
 * to the device), then flashes the levels with the library's player while a thin bar shows
 * progress and a Cancel button. Hiding the page (screen locked, app switched) stops the flash,
 * since a device cannot be set up by a screen nobody is showing it.
 */
import { flash, isBlinkUpError, type FlashResult } from '../src/index.js';

export type StageOutcome =
  | { readonly kind: 'done'; readonly result: FlashResult }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'interrupted' }
  | { readonly kind: 'failed'; readonly message: string };

const COUNTDOWN_SECONDS = 3;

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

export async function runStage(levels: Uint8Array, fps: number): Promise<StageOutcome> {
  const stage = byId('stage');
  const area = byId('flash-area');
  const digit = byId('countdown');
  const bar = byId('progress');
  const fill = byId('progress-fill');
  const label = byId('progress-text');
  const cancel = byId<HTMLButtonElement>('cancel');

  const controller = new AbortController();
  let hidden = false;
  const onCancel = (): void => controller.abort();
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') controller.abort();
  };
  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') {
      hidden = true;
      controller.abort();
    }
  };

  const totalSeconds = levels.length / fps;
  let shownPercent = -1;
  // Called at every level: keep it light (the player is pacing frames meanwhile). The bar moves
  // on the compositor; the text and its layout change only when the whole percentage does.
  const showProgress = (fraction: number): void => {
    fill.style.transform = `scaleX(${fraction})`;
    const percent = Math.floor(fraction * 100);
    if (percent === shownPercent) return;
    shownPercent = percent;
    bar.setAttribute('aria-valuenow', String(percent));
    label.textContent = `${percent}% · ${Math.ceil(totalSeconds * (1 - fraction))} s left`;
  };

  stage.dataset.phase = 'countdown';
  fill.style.transform = 'scaleX(0)';
  label.textContent = 'Get ready…';
  stage.hidden = false;
  cancel.addEventListener('click', onCancel);
  document.addEventListener('keydown', onKey);
  document.addEventListener('visibilitychange', onVisibility);
  cancel.focus();
  await enterFullscreen(stage);

  try {
    for (let s = COUNTDOWN_SECONDS; s > 0; s--) {
      digit.textContent = String(s);
      await sleep(1000, controller.signal);
    }
    stage.dataset.phase = 'flashing';
    showProgress(0);
    const result = await flash(area, levels, { fps, signal: controller.signal, onProgress: showProgress });
    return { kind: 'done', result };
  } catch (err) {
    if (controller.signal.aborted) return hidden ? { kind: 'interrupted' } : { kind: 'cancelled' };
    return { kind: 'failed', message: isBlinkUpError(err) ? err.message : 'The browser stopped the flash unexpectedly.' };
  } finally {
    cancel.removeEventListener('click', onCancel);
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('visibilitychange', onVisibility);
    stage.hidden = true;
    await exitFullscreen();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Full screen hides the browser's own bars on phones: a bigger, cleaner flashing area. Optional. */
async function enterFullscreen(element: HTMLElement): Promise<void> {
  try {
    await element.requestFullscreen?.({ navigationUI: 'hide' });
  } catch {
    // Not allowed here (iOS Safari, an iframe, a browser setting): the overlay covers the page anyway.
  }
}

async function exitFullscreen(): Promise<void> {
  try {
    if (document.fullscreenElement) await document.exitFullscreen();
  } catch {
    // Already left (the user pressed Escape).
  }
}
