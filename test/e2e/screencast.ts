/**
 * Recording what a page actually painted: Chrome DevTools' screencast sends a PNG of the page
 * each time the compositor produces a new frame, stamped with the time that frame was swapped
 * to the screen. Frames come only when something changed, so the recording is a list of
 * changes: the screen showed frame i from its time until frame i + 1's.
 */
import type { CDPSession, Page } from 'playwright-core';

export interface PaintedFrame {
  /** Swap time, seconds (the browser's wall clock). */
  readonly timeS: number;
  readonly png: Buffer;
  /** Page size in CSS pixels the frame was scaled from, and its vertical offset. */
  readonly deviceWidth: number;
  readonly deviceHeight: number;
  readonly offsetTop: number;
}

export interface Recording {
  /** Stops and returns the frames in swap-time order. */
  stop(): Promise<PaintedFrame[]>;
}

/** Starts recording every painted frame, scaled down to at most `maxWidth × maxHeight`. */
export async function recordPaint(page: Page, maxWidth: number, maxHeight: number): Promise<Recording> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const frames: PaintedFrame[] = [];
  cdp.on('Page.screencastFrame', (event) => {
    // Acknowledge first: the browser sends the next frame only after the ack.
    void cdp.send('Page.screencastFrameAck', { sessionId: event.sessionId }).catch(() => {});
    const m = event.metadata;
    frames.push({
      timeS: m.timestamp ?? Number.NaN,
      png: Buffer.from(event.data, 'base64'),
      deviceWidth: m.deviceWidth,
      deviceHeight: m.deviceHeight,
      offsetTop: m.offsetTop,
    });
  });
  await cdp.send('Page.startScreencast', { format: 'png', maxWidth, maxHeight, everyNthFrame: 1 });
  return {
    async stop() {
      await cdp.send('Page.stopScreencast');
      await cdp.detach();
      // Under load frames can arrive out of order; the swap times say what the screen showed when.
      return frames.sort((a, b) => a.timeS - b.timeS);
    },
  };
}
