/**
 * A PNG plot of a capture for `blinkup analyze --plot`: the trace, horizontal reference lines
 * (learned levels, thresholds) and coloured spans (each pulse and its decision), with axes,
 * ticks, numbers and a legend — readable at a glance without any plotting software.
 *
 * The API is generic (numbers, labels, colours), not tied to the decoder's types. Traces of
 * any length are drawn as the min–max range of the samples in each pixel column, joined to
 * the next column, which is what the eye would see of the full-resolution line.
 */
import { BlinkUpError } from '../packet/errors.js';
import { Raster, type Rgb } from './raster.js';

export type { Rgb } from './raster.js';

export interface PlotTrace {
  readonly values: ArrayLike<number>;
  /** Time of each sample; otherwise `sampleRate` gives times, otherwise the x axis counts samples. */
  readonly times?: ArrayLike<number>;
  /** Samples per second, when there are no `times`. */
  readonly sampleRate?: number;
  readonly label?: string;
  readonly color?: Rgb;
}

/** A horizontal reference line, e.g. a learned level or a decision threshold. */
export interface PlotLevel {
  readonly value: number;
  readonly label: string;
  readonly color?: Rgb;
  readonly dashed?: boolean;
}

/** A stretch of the x axis drawn as a coloured band, e.g. one pulse and its decision. */
export interface PlotSpan {
  /** Start and end in x-axis units (seconds when the trace is timed, else sample index). */
  readonly start: number;
  readonly end: number;
  /** Legend entry; spans sharing a label share a colour. */
  readonly label: string;
  readonly color?: Rgb;
  /** 0–1: a less confident span is drawn paler (default 1). */
  readonly confidence?: number;
}

export interface PlotSpec {
  readonly trace: PlotTrace;
  readonly levels?: readonly PlotLevel[];
  readonly spans?: readonly PlotSpan[];
  readonly title?: string;
  /** Default "time (s)" for timed traces, "sample" otherwise. */
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Image size in pixels (default 1600 × 500). */
  readonly width?: number;
  readonly height?: number;
}

const INK: Rgb = [30, 30, 30];
const GRID: Rgb = [228, 228, 228];
const TRACE: Rgb = [25, 55, 140];
const LEVEL: Rgb = [90, 90, 90];
/** Colours given to span labels without one, in order of first appearance. */
const SPAN_PALETTE: readonly Rgb[] = [
  [70, 110, 230], [230, 80, 60], [60, 170, 90], [200, 140, 0], [150, 80, 200], [0, 160, 170],
];
const MAX_LABEL_CHARS = 40;
const MAX_TITLE_CHARS = 160;

/** A step of 1, 2 or 5 × 10^k giving about `target` intervals over `span`. */
export function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

/** Tick label text for `value` on an axis ticked every `step`. */
export function formatTick(value: number, step: number): string {
  if (Math.abs(value) < step / 1e6) value = 0; // avoid "-0.000" from rounding
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  if (decimals > 6 || Math.abs(value) >= 1e7) return value.toPrecision(3);
  return value.toFixed(decimals);
}

function ticks(lo: number, hi: number, target: number): { step: number; values: number[] } {
  const step = niceStep(hi - lo, target);
  const values: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) values.push(v);
  return { step, values };
}

function clampLabel(text: string, max = MAX_LABEL_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function checkSize(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 200 || value > 8000) throw new BlinkUpError('OPTION_INVALID', `plot ${name} must be 200–8000 pixels`);
  return value;
}

/** x of sample i: its time, i / rate, or i. */
function sampleX(trace: PlotTrace): (i: number) => number {
  const { times, sampleRate } = trace;
  if (times) return (i) => times[i]!;
  if (sampleRate !== undefined) return (i) => i / sampleRate;
  return (i) => i;
}

interface LegendEntry {
  readonly label: string;
  readonly color: Rgb;
  readonly kind: 'line' | 'dash' | 'box';
}

/** Render the plot and return PNG bytes. */
export function renderPlot(spec: PlotSpec): Uint8Array {
  const width = checkSize(spec.width ?? 1600, 'width');
  const height = checkSize(spec.height ?? 500, 'height');
  const { trace } = spec;
  if (trace.times && trace.times.length !== trace.values.length) {
    throw new BlinkUpError('OPTION_INVALID', 'a plot trace needs one time per value');
  }
  if (trace.sampleRate !== undefined && !(trace.sampleRate > 0 && Number.isFinite(trace.sampleRate))) {
    throw new BlinkUpError('OPTION_INVALID', 'a plot sample rate must be a positive number');
  }
  const levels = spec.levels ?? [];
  const spans = spec.spans ?? [];
  const timed = trace.times !== undefined || trace.sampleRate !== undefined;
  const xOf = sampleX(trace);
  const scale = height >= 400 && width >= 800 ? 2 : 1;
  const lineHeight = Raster.textHeight(scale);

  // Data ranges: x over the samples, y over samples and reference lines.
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < trace.values.length; i++) {
    const x = xOf(i);
    const y = trace.values[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  for (const level of levels) {
    if (!Number.isFinite(level.value)) continue;
    yMin = Math.min(yMin, level.value);
    yMax = Math.max(yMax, level.value);
  }
  if (!(xMax > xMin)) [xMin, xMax] = Number.isFinite(xMin) ? [xMin - 0.5, xMin + 0.5] : [0, 1];
  if (!(yMax > yMin)) [yMin, yMax] = Number.isFinite(yMin) ? [yMin - 0.5, yMin + 0.5] : [0, 1];
  const pad = (yMax - yMin) * 0.06;
  yMin -= pad;
  yMax += pad;

  // Legend entries: the trace, each reference line, each span label (first appearance order).
  const spanColors = new Map<string, Rgb>();
  for (const span of spans) {
    if (!spanColors.has(span.label)) spanColors.set(span.label, span.color ?? SPAN_PALETTE[spanColors.size % SPAN_PALETTE.length]!);
  }
  const traceColor = trace.color ?? TRACE;
  const legend: LegendEntry[] = [
    { label: clampLabel(trace.label ?? 'signal'), color: traceColor, kind: 'line' },
    ...levels.map((l): LegendEntry => ({ label: clampLabel(l.label), color: l.color ?? LEVEL, kind: l.dashed ? 'dash' : 'line' })),
    ...[...spanColors].map(([label, color]): LegendEntry => ({ label: clampLabel(label), color, kind: 'box' })),
  ];

  // Layout: title, legend rows, plot area, x ticks and label.
  const margin = 12;
  const swatch = 14 * scale;
  const gap = 10 * scale;
  const legendRows: LegendEntry[][] = [[]];
  let rowWidth = 0;
  for (const entry of legend) {
    const w = swatch + 4 * scale + Raster.textWidth(entry.label, scale) + gap;
    if (rowWidth + w > width - 2 * margin && legendRows[legendRows.length - 1]!.length > 0) {
      legendRows.push([]);
      rowWidth = 0;
    }
    legendRows[legendRows.length - 1]!.push(entry);
    rowWidth += w;
  }
  const titleTop = margin;
  const legendTop = titleTop + (spec.title ? lineHeight + 8 * scale : 0);
  const yTicks = ticks(yMin, yMax, Math.max(3, Math.floor(height / 70)));
  const yLabels = yTicks.values.map((v) => formatTick(v, yTicks.step));
  const left = margin + Math.max(...yLabels.map((t) => Raster.textWidth(t, scale))) + 8 * scale;
  const right = width - margin - 8 * scale;
  const top = legendTop + legendRows.length * (lineHeight + 6 * scale) + 6 * scale;
  const bottom = height - margin - 2 * lineHeight - 12 * scale;
  const plotW = right - left;
  const plotH = bottom - top;
  if (plotW < 50 || plotH < 50) throw new BlinkUpError('OPTION_INVALID', 'plot too small for its legend and labels');
  const px = (x: number): number => left + ((x - xMin) / (xMax - xMin)) * plotW;
  const py = (y: number): number => bottom - ((y - yMin) / (yMax - yMin)) * plotH;

  const canvas = new Raster(width, height);
  if (spec.title) canvas.text(margin, titleTop, clampLabel(spec.title, MAX_TITLE_CHARS), INK, scale);

  // Grid and ticks.
  const xTicks = ticks(xMin, xMax, Math.max(4, Math.floor(width / 140)));
  for (const v of xTicks.values) {
    const x = Math.round(px(v));
    canvas.vline(x, top, bottom, GRID);
    canvas.vline(x, bottom, bottom + 4 * scale, INK);
    const label = formatTick(v, xTicks.step);
    canvas.text(x - Raster.textWidth(label, scale) / 2, bottom + 6 * scale, label, INK, scale);
  }
  yTicks.values.forEach((v, i) => {
    const y = Math.round(py(v));
    canvas.hline(left, right, y, GRID);
    canvas.hline(left - 4 * scale, left, y, INK);
    canvas.text(left - 6 * scale - Raster.textWidth(yLabels[i]!, scale), y - lineHeight / 2, yLabels[i]!, INK, scale);
  });

  // Spans: a pale band over the plot and a solid strip along its top edge.
  const strip = 5 * scale;
  for (const span of spans) {
    const x0 = Math.max(left, px(Math.min(span.start, span.end)));
    const x1 = Math.min(right, px(Math.max(span.start, span.end)));
    if (!(x1 >= x0)) continue;
    const confidence = Math.min(1, Math.max(0, span.confidence ?? 1));
    const color = spanColors.get(span.label)!;
    const w = Math.max(1, x1 - x0);
    canvas.fillRect(x0, top, w, plotH, color, 0.08 + 0.22 * confidence);
    canvas.fillRect(x0, top, w, strip, color, 0.35 + 0.65 * confidence);
  }

  // Reference lines with their labels at the right end.
  for (const level of levels) {
    if (!Number.isFinite(level.value)) continue;
    const y = Math.round(py(level.value));
    const color = level.color ?? LEVEL;
    canvas.hline(left, right, y, color, level.dashed ? 6 * scale : 0);
    const label = clampLabel(level.label);
    const labelX = right - Raster.textWidth(label, scale) - 4 * scale;
    const labelY = y - lineHeight - 3 * scale;
    canvas.fillRect(labelX - 2 * scale, labelY - scale, Raster.textWidth(label, scale) + 4 * scale, lineHeight + 2 * scale, [255, 255, 255], 0.8);
    canvas.text(labelX, labelY, label, color, scale);
  }

  drawTrace(canvas, trace, xOf, px, py, left, plotW, traceColor);

  // Frame, axis labels, legend.
  canvas.hline(left, right, top, INK);
  canvas.hline(left, right, bottom, INK);
  canvas.vline(left, top, bottom, INK);
  canvas.vline(right, top, bottom, INK);
  const xLabel = clampLabel(spec.xLabel ?? (timed ? 'time (s)' : 'sample'));
  canvas.text(left + (plotW - Raster.textWidth(xLabel, scale)) / 2, bottom + lineHeight + 12 * scale, xLabel, INK, scale);
  if (spec.yLabel) {
    const label = clampLabel(spec.yLabel);
    canvas.fillRect(left + 2, top + strip + 2, Raster.textWidth(label, scale) + 8 * scale, lineHeight + 6 * scale, [255, 255, 255], 0.85);
    canvas.text(left + 6 * scale, top + strip + 5 * scale, label, INK, scale);
  }
  legendRows.forEach((row, r) => {
    let x = margin;
    const y = legendTop + r * (lineHeight + 6 * scale);
    for (const entry of row) {
      const mid = y + Math.floor(lineHeight / 2);
      if (entry.kind === 'box') canvas.fillRect(x, y, swatch, lineHeight, entry.color);
      else {
        canvas.fillRect(x, mid - Math.floor(scale / 2), swatch, scale, entry.color);
        if (entry.kind === 'dash') canvas.fillRect(x + swatch / 3, mid - scale, swatch / 3, 2 * scale, [255, 255, 255]);
      }
      canvas.text(x + swatch + 4 * scale, y, entry.label, INK, scale);
      x += swatch + 4 * scale + Raster.textWidth(entry.label, scale) + gap;
    }
  });
  return canvas.toPng();
}

/**
 * The trace as one vertical stroke per pixel column covering the samples' min–max there,
 * joined column to column; non-finite samples are skipped.
 */
function drawTrace(
  canvas: Raster,
  trace: PlotTrace,
  xOf: (i: number) => number,
  px: (x: number) => number,
  py: (y: number) => number,
  left: number,
  plotW: number,
  color: Rgb,
): void {
  const columns = Math.ceil(plotW) + 1;
  const lo = new Float64Array(columns).fill(Infinity);
  const hi = new Float64Array(columns).fill(-Infinity);
  const first = new Float64Array(columns).fill(Number.NaN);
  const last = new Float64Array(columns);
  for (let i = 0; i < trace.values.length; i++) {
    const x = xOf(i);
    const y = trace.values[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const c = Math.round(px(x) - left);
    if (c < 0 || c >= columns) continue;
    if (y < lo[c]!) lo[c] = y;
    if (y > hi[c]!) hi[c] = y;
    if (Number.isNaN(first[c]!)) first[c] = y;
    last[c] = y;
  }
  let previous = -1;
  for (let c = 0; c < columns; c++) {
    if (Number.isNaN(first[c]!)) continue;
    if (previous >= 0) canvas.line(left + previous, py(last[previous]!), left + c, py(first[c]!), color);
    canvas.vline(left + c, py(lo[c]!), py(hi[c]!), color);
    previous = c;
  }
}
