import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { glyph, hasGlyph } from '../../src/node/bitmap-font.js';
import { formatTick, niceStep, renderPlot, type PlotSpec, type Rgb } from '../../src/node/plot.js';
import { Raster } from '../../src/node/raster.js';

function decode(bytes: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(bytes));
}

/** Count pixels of exactly `color`, optionally only in rows [y0, y1). */
function countColor(png: PNG, color: Rgb, y0 = 0, y1 = png.height): number {
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < png.width; x++) {
      const p = (y * png.width + x) * 4;
      if (png.data[p] === color[0] && png.data[p + 1] === color[1] && png.data[p + 2] === color[2]) n++;
    }
  }
  return n;
}

/** Rows where `color` appears. */
function rowsWith(png: PNG, color: Rgb): number[] {
  const rows: number[] = [];
  for (let y = 0; y < png.height; y++) if (countColor(png, color, y, y + 1) > 0) rows.push(y);
  return rows;
}

const square = Float64Array.from({ length: 2000 }, (_, i) => ((i >> 7) % 2 ? 2600 : 300));
const WHITE_LEVEL: Rgb = [200, 150, 0];
const GREY_SPAN: Rgb = [70, 110, 230];
const TRACE: Rgb = [25, 55, 140];

const spec: PlotSpec = {
  title: 'capture.csv: 1000 Hz',
  trace: { values: square, sampleRate: 1000, label: 'ADC', color: TRACE },
  levels: [
    { value: 2000, label: 'white 2000', color: WHITE_LEVEL }, // off the trace, which is drawn over the rules
    { value: 1450, label: 'threshold', color: [200, 0, 0], dashed: true },
  ],
  spans: [
    { start: 0.128, end: 0.256, label: 'grey', color: GREY_SPAN, confidence: 1 },
    { start: 0.384, end: 0.512, label: 'grey', color: GREY_SPAN, confidence: 0.2 },
  ],
  yLabel: 'counts',
};

describe('renderPlot', () => {
  it('draws a PNG of the requested size with trace, levels, spans and legend', () => {
    const png = decode(renderPlot(spec));
    expect([png.width, png.height]).toEqual([1600, 500]);
    expect(countColor(png, TRACE)).toBeGreaterThan(2000);
    // The white level is one horizontal rule (plus its label and legend swatch above it).
    const levelRows = rowsWith(png, WHITE_LEVEL);
    expect(levelRows.length).toBeGreaterThan(2);
    const rule = levelRows.find((y) => countColor(png, WHITE_LEVEL, y, y + 1) > 1000);
    expect(rule).toBeDefined();
    // A fully confident span's solid strip uses its colour exactly.
    expect(countColor(png, GREY_SPAN)).toBeGreaterThan(100);
  });

  it('draws higher values higher up', () => {
    const low = rowsWith(decode(renderPlot({ ...spec, levels: [{ value: 300, label: 'a', color: WHITE_LEVEL }] })), WHITE_LEVEL);
    const high = rowsWith(decode(renderPlot({ ...spec, levels: [{ value: 2600, label: 'a', color: WHITE_LEVEL }] })), WHITE_LEVEL);
    expect(Math.max(...high)).toBeLessThan(Math.max(...low));
  });

  it('leaves out what is not given', () => {
    const png = decode(renderPlot({ trace: spec.trace, width: 800, height: 300 }));
    expect([png.width, png.height]).toEqual([800, 300]);
    expect(countColor(png, GREY_SPAN)).toBe(0);
    expect(countColor(png, WHITE_LEVEL)).toBe(0);
  });

  it('renders a million samples quickly (min–max per column)', () => {
    const values = new Float64Array(1_000_000).map((_, i) => Math.sin(i / 300) * 1000 + (i % 7));
    const start = performance.now();
    const png = decode(renderPlot({ trace: { values, sampleRate: 1000 } }));
    expect(performance.now() - start).toBeLessThan(5000);
    expect(countColor(png, [25, 55, 140])).toBeGreaterThan(5000);
  });

  it('copes with empty, constant, non-finite and timed traces', () => {
    for (const trace of [
      { values: [] },
      { values: [5, 5, 5] },
      { values: [Number.NaN, Infinity, -Infinity] },
      { values: [1, 2, 3], times: [10, 10.5, 11] },
    ]) {
      expect(decode(renderPlot({ trace })).width).toBe(1600);
    }
  });

  it('refuses bad sizes and mismatched times', () => {
    expect(() => renderPlot({ trace: { values: [1] }, width: 10 })).toThrow(/200–8000/);
    expect(() => renderPlot({ trace: { values: [1, 2], times: [1] } })).toThrow(/one time per value/);
    expect(() => renderPlot({ trace: { values: [1], sampleRate: 0 } })).toThrow(/sample rate/);
  });
});

describe('plot helpers', () => {
  it('chooses 1-2-5 tick steps and formats ticks without float noise', () => {
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(1, 10)).toBeCloseTo(0.1, 12);
    expect(niceStep(1, 8)).toBeCloseTo(0.2, 12);
    expect(niceStep(3000, 6)).toBe(500);
    expect(formatTick(0.30000000000000004, 0.1)).toBe('0.3');
    expect(formatTick(-1e-17, 0.5)).toBe('0.0');
    expect(formatTick(2500, 500)).toBe('2500');
  });

  it('has a glyph for every printable ASCII character, and draws unknown ones as ?', () => {
    for (let c = 0x20; c < 0x7f; c++) expect(hasGlyph(String.fromCharCode(c))).toBe(true);
    expect(glyph('€')).toEqual(glyph('?'));
    expect(Raster.textWidth('ab', 2)).toBe(22);
    const r = new Raster(20, 10, [255, 255, 255]);
    r.text(0, 0, 'I', [0, 0, 0]);
    expect(r.data[(0 * 20 + 1) * 4]).toBe(0); // top bar of I
    expect(r.data[(0 * 20 + 0) * 4]).toBe(255);
  });
});
