/**
 * `analyze --plot`: the trace of one window with the levels the decoder learned, its grey/white
 * threshold, and every pulse coloured by its decision — grey (bit 0), white (bit 1), uncertain,
 * or not a data pulse — paler the less confident. At a glance a person sees whether the levels
 * sit where the pulses are, how much room the threshold has, and where decisions were shaky.
 *
 * The plot shows the bit pattern (that is the signal) but no text derived from the payload.
 */
import type { PulseInfo, SignalReport } from '../decoder/types.js';
import { renderPlot, type PlotLevel, type PlotSpan, type Rgb } from '../node/plot.js';
import type { WindowContents } from './plot-window.js';

/** Decisions less confident than this are drawn as "uncertain". */
export const UNCERTAIN = 0.5;

export const PLOT_SIZE = { width: 1600, height: 500 } as const;

const COLORS: Readonly<Record<string, Rgb>> = {
  black: [20, 20, 20],
  grey: [110, 110, 110],
  white: [200, 130, 0],
  threshold: [200, 40, 40],
  bit0: [70, 110, 230],
  bit1: [235, 150, 20],
  uncertain: [220, 30, 60],
  other: [160, 160, 160],
  preamble: [60, 170, 90],
};

/** The judged black is drawn as a valley line when it stands this share of the swing from black. */
const VALLEY_APART = 0.05;

export interface PlotContext {
  readonly title: string;
  readonly yLabel: string;
  /** The report, for levels when no pulse in the window carries them. */
  readonly report: SignalReport;
}

/** The PNG of `window`. */
export function analysisPlot(window: WindowContents, context: PlotContext): Uint8Array {
  return renderPlot({
    trace: { values: window.values, times: window.times, label: 'signal', color: [25, 55, 140] },
    levels: levelLines(window.pulses, context.report),
    spans: window.pulses.map(pulseSpan),
    title: context.title,
    xLabel: 'time (s)',
    yLabel: context.yLabel,
    ...PLOT_SIZE,
  });
}

function pulseSpan(p: PulseInfo): PlotSpan {
  if (p.decision === 0) return { start: p.startS, end: p.endS, label: 'not a data pulse', color: COLORS.other, confidence: 0.3 };
  // The preamble's greys and the sync magic carry no bit of the packet (nor does ripple taken for them).
  if (p.stage === 'preamble') return { start: p.startS, end: p.endS, label: 'preamble', color: COLORS.preamble, confidence: 0.6 };
  if (p.confidence < UNCERTAIN) return { start: p.startS, end: p.endS, label: `uncertain (confidence < ${UNCERTAIN})`, color: COLORS.uncertain, confidence: 1 };
  return p.decision === 1
    ? { start: p.startS, end: p.endS, label: 'grey: bit 0', color: COLORS.bit0, confidence: p.confidence }
    : { start: p.startS, end: p.endS, label: 'white: bit 1', color: COLORS.bit1, confidence: p.confidence };
}

/**
 * Horizontal lines at the levels the decoder held in the middle of the window (they drift
 * slowly, so one value per level reads true across a transmission). Black is the report's (the
 * darkest around the preamble); where the black the pulses were judged from stands apart from it
 * — a slow LCD's afterglow keeps the gaps from going dark — that is drawn too, as the valley.
 */
export function levelLines(pulses: readonly PulseInfo[], report: SignalReport): PlotLevel[] {
  const learned = pulses.filter((p) => p.decision !== 0 && Number.isFinite(p.grey) && Number.isFinite(p.white));
  const mid = learned[learned.length >> 1];
  const black = Number.isFinite(report.black) ? report.black : (mid?.black ?? Number.NaN);
  const valley = mid?.black ?? Number.NaN;
  const grey = mid?.grey ?? report.grey;
  const white = mid?.white ?? report.white;
  const threshold = mid?.threshold ?? 0.5 * (report.grey + report.white);
  const apart = Math.abs(valley - black) > VALLEY_APART * Math.abs(white - black);
  const lines: PlotLevel[] = [
    { value: black, label: 'black', color: COLORS.black },
    ...(apart ? [{ value: valley, label: 'valley between pulses', color: COLORS.black, dashed: true }] : []),
    { value: grey, label: 'grey', color: COLORS.grey },
    { value: white, label: 'white', color: COLORS.white },
    { value: threshold, label: 'grey/white threshold', color: COLORS.threshold, dashed: true },
  ];
  return lines.filter((l) => Number.isFinite(l.value));
}
