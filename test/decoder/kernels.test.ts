/**
 * The WebAssembly kernels (kernels.ts, kernel-code.ts) against the JavaScript loops they stand in
 * for: the same values bit for bit, piece by piece, and the same decode.
 */
import { describe, expect, it } from 'vitest';
import { BLOCK, Conditioner, HISTORY } from '../../src/decoder/condition.js';
import { TriLevelDecoder } from '../../src/decoder/index.js';
import { kernels, setKernelsEnabled } from '../../src/decoder/kernels.js';
import { capture, plainEvents } from './helpers.js';

/** Builds `make()` with the kernels switched on or off. */
function withKernels<T>(on: boolean, make: () => T): T {
  const was = setKernelsEnabled(on);
  try {
    return make();
  } finally {
    setKernelsEnabled(was);
  }
}

/** A small deterministic generator (xorshift32), uniform in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

type Kind = 'codes' | 'fractions' | 'broken';

/** A sample: ADC codes in pulses; or fractions spanning magnitudes; or codes with the odd NaN, ±Infinity, absurd value or −0. */
function sample(kind: Kind, i: number, r: () => number): number {
  const light = (i >> 5) % 3 === 0 ? 3000 : 200;
  if (kind === 'codes') return Math.round(light + 40 * r());
  if (kind === 'fractions') return (light + 40 * r()) * 10 ** Math.floor(6 * r() - 3);
  const u = r();
  if (u < 0.002) return Number.NaN;
  if (u < 0.003) return r() < 0.5 ? Infinity : -Infinity;
  if (u < 0.004) return 1e16;
  if (u < 0.006) return -0;
  return Math.round(light + 40 * r());
}

describe('WebAssembly kernels', () => {
  it('assemble and run here (so the tests below compare two paths)', () => {
    expect(kernels()).not.toBeNull();
  });

  for (const width of [1, 2, 4, 5, 64]) {
    for (const kind of ['codes', 'fractions', 'broken'] as const) {
      it(`smoothBox: width ${width}, ${kind}: the same ring and piece statistics as the loop`, () => {
        const wasm = withKernels(true, () => new Conditioner(width, 1000, 0));
        const js = withKernels(false, () => new Conditioner(width, 1000, 0));
        const r = random(width * 7919 + kind.length);
        let i = 0;
        // Pieces of every length up to the grid point (odd ones too), and whole ones (the kernel
        // reads those through views made once per ring slot), until the ring wraps thrice.
        while (wasm.offered < 3 * HISTORY) {
          const room = wasm.room;
          const n = r() < 0.5 ? room : Math.min(room, 1 + Math.floor(r() * BLOCK));
          const chunk = new Float64Array(n);
          for (let k = 0; k < n; k++) chunk[k] = sample(kind, i++, r);
          wasm.process(chunk, null, 0, n);
          js.process(chunk, null, 0, n);
          expect(wasm.count).toBe(js.count);
          expect(wasm.skipped).toBe(js.skipped);
          expect(wasm.lastPieceMin).toBe(js.lastPieceMin); // (a zero extreme's sign may differ: see kernel-code.ts)
          expect(wasm.lastPieceMax).toBe(js.lastPieceMax);
          expect(wasm.pwm).toBe(js.pwm);
          const a = (wasm as unknown as { piece: Record<string, number> }).piece;
          const b = (js as unknown as { piece: Record<string, number> }).piece;
          for (const key of ['brightRipple', 'bright', 'darkRipple', 'rawMin', 'rawMax']) expect(Object.is(a[key], b[key]), key).toBe(true);
        }
        expect(wasm.oldest).toBe(js.oldest);
        for (let k = wasm.oldest; k < wasm.count; k++) {
          expect(Object.is(wasm.value(k), js.value(k))).toBe(true);
          if (!Object.is(wasm.smoothed(k), js.smoothed(k))) expect.fail(`smoothed ${k}: ${wasm.smoothed(k)} vs ${js.smoothed(k)}`);
        }
      });
    }
  }

  it('decode: the same events with and without the kernels', () => {
    const cases = [capture({}, 3), capture({ sampleRate: 2000 }, 4), capture({ sampleRate: 500 }, 5)];
    for (const c of cases) {
      const run = (on: boolean): unknown[] => {
        const d = withKernels(on, () => new TriLevelDecoder({ sampleRate: c.sampleRate }));
        const events = [...d.push(c.samples), ...d.flush()];
        return plainEvents(events);
      };
      const withWasm = run(true);
      expect(withWasm.some((e) => (e as { type: string }).type === 'packet')).toBe(true);
      expect(withWasm).toEqual(run(false));
    }
  });
});
