/**
 * The system Chromium the browser tests drive (Debian's package; no browser download;
 * BLINKUP_CHROMIUM_PATH points elsewhere, e.g. at a Chrome on macOS). Where it is missing the
 * tests skip with a visible message, unless BLINKUP_REQUIRE_SYSTEM_TOOLS=1 (CI), which turns the
 * skip into a failure.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.BLINKUP_CHROMIUM_PATH || '/usr/bin/chromium';

export const chromiumAvailable = existsSync(CHROMIUM_PATH);
const required = process.env.BLINKUP_REQUIRE_SYSTEM_TOOLS === '1';

/** Whether to run the browser tests; warns when skipping, throws when CI requires them. */
export function shouldRunBrowserTests(suite: string): boolean {
  if (chromiumAvailable) return true;
  if (required) throw new Error(`${suite}: ${CHROMIUM_PATH} is missing and BLINKUP_REQUIRE_SYSTEM_TOOLS=1 requires it`);
  console.warn(`${suite}: skipped — ${CHROMIUM_PATH} not found (install Debian's chromium package to run it)`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
