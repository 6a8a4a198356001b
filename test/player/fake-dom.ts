/**
 * Just enough of a browser for flash(): a display that calls requestAnimationFrame callbacks at a
 * fixed refresh rate on a fake clock, an element whose inline style can be read back, a canvas
 * that records what was drawn, and a wake lock. No jsdom: the player only touches these.
 */
import { vi } from 'vitest';

export interface FakeDisplay {
  /** Callbacks delivered so far. */
  readonly callbacks: number;
  /**
   * Keeps the main thread busy for `delayMs` after callback number `after`, as a long task does.
   * Like Chromium, the next callback then runs late with its frame's stale timestamp, and the
   * frames after it catch up with the refresh grid.
   */
  stallAfter(after: number, delayMs: number): void;
}

/**
 * Installs requestAnimationFrame / cancelAnimationFrame driven by a fake `hz` display, and a
 * performance.now() that reads the fake clock (callbacks run half a millisecond after their frame
 * starts, unless the main thread was busy).
 */
export function installFakeDisplay(hz = 60): FakeDisplay {
  const periodMs = 1000 / hz;
  const pending = new Map<number, (now: number) => void>();
  const stalls = new Map<number, number>();
  let nextHandle = 1;
  let frameMs = 1000; // timestamp of the next frame
  let clockMs = frameMs;
  let busyUntil = 0;
  let callbacks = 0;
  let refreshQueued = false;

  // Each refresh runs on a macrotask, as in a browser: promise reactions settle in between.
  const refresh = (): void => {
    refreshQueued = false;
    clockMs = Math.max(frameMs, busyUntil, clockMs) + 0.5;
    const due = [...pending.values()];
    pending.clear();
    for (const cb of due) cb(frameMs);
    callbacks++;
    const stall = stalls.get(callbacks);
    if (stall !== undefined) busyUntil = clockMs + stall;
    // The next frame is the next refresh, or, after running late, the last refresh boundary passed.
    frameMs += periodMs * Math.max(1, Math.floor((Math.max(clockMs, busyUntil) - frameMs) / periodMs));
    if (callbacks > 100_000) throw new Error('fake display: runaway animation loop');
    if (pending.size > 0) queueRefresh();
  };
  const queueRefresh = (): void => {
    if (refreshQueued) return;
    refreshQueued = true;
    setImmediate(refresh);
  };

  vi.stubGlobal('requestAnimationFrame', (cb: (now: number) => void): number => {
    const handle = nextHandle++;
    pending.set(handle, cb);
    queueRefresh();
    return handle;
  });
  vi.stubGlobal('cancelAnimationFrame', (handle: number): void => {
    pending.delete(handle);
  });
  vi.stubGlobal('performance', { now: () => clockMs });
  return {
    get callbacks() {
      return callbacks;
    },
    stallAfter(after, delayMs) {
      stalls.set(after, delayMs);
    },
  };
}

/** An element with an inline style; `history` lists every background colour set (and "removed"). */
export function fakeElement(initial: Record<string, [value: string, priority?: string]> = {}) {
  const props = new Map<string, { value: string; priority: string }>();
  for (const [name, [value, priority = '']] of Object.entries(initial)) props.set(name, { value, priority });
  const history: string[] = [];
  const style = {
    getPropertyValue: (name: string) => props.get(name)?.value ?? '',
    getPropertyPriority: (name: string) => props.get(name)?.priority ?? '',
    setProperty: (name: string, value: string, priority = '') => {
      if (name === 'background-color') history.push(value);
      props.set(name, { value, priority });
    },
    removeProperty: (name: string) => {
      const old = props.get(name)?.value ?? '';
      if (name === 'background-color') history.push('removed');
      props.delete(name);
      return old;
    },
  };
  const snapshot = () => Object.fromEntries([...props].map(([name, p]) => [name, [p.value, p.priority]]));
  return { element: { style } as unknown as HTMLElement, history, snapshot };
}

/** The parts of a 2D context's drawing state that flash() sets, as save() and restore() keep them. */
const DRAW_STATE = ['transform', 'globalAlpha', 'globalCompositeOperation', 'filter', 'shadowColor', 'fillStyle'] as const;

/**
 * A canvas whose 2D context logs fills, clears and image copies, and keeps a drawing state with a
 * save/restore stack; `states[i]` is that state (fillStyle aside) when `log[i]` was called.
 */
export function fakeCanvas(width = 40, height = 30) {
  const log: string[] = [];
  const states: string[] = [];
  const makeCanvas = (name: string) => {
    const stack: Record<string, unknown>[] = [];
    const ctx = {
      transform: '1,0,0,1,0,0',
      globalAlpha: 1,
      globalCompositeOperation: 'source-over',
      filter: 'none',
      shadowColor: 'rgba(0, 0, 0, 0)',
      fillStyle: '#123456',
      save: () => {
        stack.push(Object.fromEntries(DRAW_STATE.map((key) => [key, ctx[key]])));
        record(`${name}.save`);
      },
      restore: () => {
        Object.assign(ctx, stack.pop());
        record(`${name}.restore`);
      },
      translate: (x: number, y: number) => void (ctx.transform = `1,0,0,1,${x},${y}`),
      setTransform: (...m: number[]) => void (ctx.transform = m.join(',')),
      fillRect: (x: number, y: number, w: number, h: number) => record(`${name}.fill ${ctx.fillStyle} ${x},${y},${w},${h}`),
      clearRect: () => record(`${name}.clear`),
      drawImage: (source: { id: string }) => record(`${name}.draw ${source.id}`),
    };
    const record = (entry: string): void => {
      log.push(entry);
      states.push(`${ctx.transform} alpha ${ctx.globalAlpha} ${ctx.globalCompositeOperation} filter ${ctx.filter} shadow ${ctx.shadowColor}`);
    };
    const canvas = {
      id: name,
      width,
      height,
      getContext: (kind: string) => (kind === '2d' ? ctx : null),
      ownerDocument: { createElement: () => makeCanvas('backup').canvas },
    } as unknown as HTMLCanvasElement;
    return { canvas, ctx };
  };
  const { canvas, ctx } = makeCanvas('screen');
  return { canvas, ctx, log, states };
}

/** A Screen Wake Lock API that grants (or refuses) the lock and counts releases. */
export function installFakeWakeLock(grant = true) {
  const state = { requests: 0, releases: 0 };
  vi.stubGlobal('navigator', {
    wakeLock: {
      request: async (type: string) => {
        state.requests++;
        if (!grant || type !== 'screen') throw new DOMException('refused', 'NotAllowedError');
        return { release: async () => void state.releases++ };
      },
    },
  });
  return state;
}
