/**
 * Keeping the screen on while flashing. A phone that dims or locks half-way through a 15-second
 * flash ruins it, so the player asks for a screen wake lock where the browser offers one
 * (Screen Wake Lock API). Refusal is normal (no user gesture, battery saver, insecure origin) and
 * never stops the flash.
 */

/** A held lock, or nothing; `release` is safe to call more than once. */
export interface HeldWakeLock {
  readonly held: boolean;
  release(): void;
}

const NONE: HeldWakeLock = Object.freeze({ held: false, release() {} });

export async function acquireWakeLock(): Promise<HeldWakeLock> {
  const wakeLock = (globalThis as { navigator?: Partial<Navigator> }).navigator?.wakeLock;
  if (!wakeLock || typeof wakeLock.request !== 'function') return NONE;
  let sentinel: WakeLockSentinel;
  try {
    sentinel = await wakeLock.request('screen');
  } catch {
    return NONE;
  }
  let released = false;
  return {
    held: true,
    release() {
      if (released) return;
      released = true;
      sentinel.release().catch(() => {
        // Already released by the browser (the page was hidden): nothing left to do.
      });
    },
  };
}
