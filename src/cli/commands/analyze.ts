/**
 * `blinkup analyze`: the tuning report for a receiver — levels, swing against full scale, noise
 * and SNR, the grey/white margin, clipping, the flash rate and the sampler's clock error, held
 * levels, room-light flicker — with verdicts that name the knob to turn, and optionally a PNG
 * plot of one transmission with the decoder's levels and decisions.
 *
 * It decodes the capture the same way `decode` does, but reports the signal rather than the
 * payload: nothing it prints or draws contains a payload field. Exit status 0 when the report
 * was made (whatever it says), 2 for bad usage or an unreadable capture.
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import type { DecodeEvent, PulseInfo } from '../../decoder/types.js';
import type { RegionChoice } from '../../node/region-brightness.js';
import { analysisPlot, PLOT_SIZE } from '../analysis-plot.js';
import { addCaptureOptions, captureOptionsFrom, invertOption, worthTurningOver, type CaptureOptionValues } from '../capture-options.js';
import type { CliContext } from '../context.js';
import { decodeCapture, endedMidPacket, failedCheckOf, gapsOf, type DecodeRun } from '../decode-capture.js';
import { usageError } from '../errors.js';
import { FlickerMeter, type FlickerEstimate } from '../flicker-meter.js';
import { fixed, plural } from '../format.js';
import { foundRegionCoverage, warnAboutInput, withCapture, type Capture } from '../input-source.js';
import { reportView } from '../packet-view.js';
import { parseSignedDecimalPair } from '../parse-options.js';
import { PlotWindow, type WindowContents } from '../plot-window.js';
import { renderAnalysis } from '../render-analysis.js';
import { adviseSignal, type Advice } from '../signal-advice.js';

interface AnalyzeOptionValues extends CaptureOptionValues {
  plot?: string;
  window?: [number, number];
  json?: boolean;
}

export function registerAnalyze(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('analyze')
    .description('measure a capture for tuning a receiver: levels, swing, noise, margins, clock, flicker, with verdicts')
    .addHelpText(
      'after',
      `
The capture is read as by \`blinkup decode\` (CSV, u16le, f32le, Y4M, PNG folders, "-" for stdin).
--plot draws the first transmission (or --window) with the learned levels, the grey/white
threshold and each pulse coloured by its decision; pale means unsure.

Examples:
  $ blinkup analyze capture.csv --rate 1000
  $ blinkup analyze capture.csv --full-scale 4095 --plot capture.png
  $ blinkup analyze long-capture.csv --plot part.png --window 30,45`,
    );
  addCaptureOptions(cmd)
    .option('--plot <png>', 'write a PNG plot of the first transmission')
    .option('--window <start,end>', 'plot these seconds of the capture instead', parseSignedDecimalPair('30,45'))
    .option('--json', 'print one JSON object: input, report, flicker, verdicts')
    .action(async (path: string, o: AnalyzeOptionValues) => {
      if (o.window && !o.plot) throw usageError('--window chooses what --plot draws: add --plot <png>');
      // The report goes to stdout, and the plot is a PNG whatever its name says.
      if (o.plot !== undefined && extname(o.plot).toLowerCase() !== '.png') throw usageError(`--plot writes a PNG file: name it *.png (got ${o.plot})`);
      if (o.window && !(o.window[1] > o.window[0])) throw usageError('--window needs start,end with end after start, in seconds');
      const options = captureOptionsFrom(o);
      const read = (turnedOver: boolean): Promise<{ capture: Capture; analysis: Analysis }> =>
        withCapture(path, options, ctx, async (capture) => ({ capture, analysis: await analyze(capture, o, turnedOver || invertOption(o, capture)) }));
      let { capture, analysis } = await read(false);
      warnAboutInput(capture, ctx);
      // As `decode` does: no preamble in a file read the right way up, so read it turned over
      // (a sensor pulling its output down); the report is of the reading that decoded.
      let readBothWays = false;
      if (worthTurningOver(path, o, capture, analysis.run.report)) {
        const turned = await read(true);
        // As `decode` does: the reading that decoded, or else the one that found a preamble.
        if (turned.analysis.run.tally.packets > 0 || turned.analysis.run.report.swing > 0) ({ capture, analysis } = turned);
        else readBothWays = true;
      }
      const advice = adviceFor(capture, analysis, readBothWays);
      if (analysis.inverted && o.invert !== true) {
        // A note (the decoder coped), after any problem and before a "good signal".
        const at = advice.findIndex((a) => a.severity !== 'problem');
        advice.splice(at < 0 ? advice.length : at, 0, { severity: 'note', text: TURNED_OVER });
      }
      const plotted = o.plot ? await writePlot(o.plot, analysis, capture) : undefined;
      if (o.json) ctx.stdout.write(`${JSON.stringify(jsonResult(capture, analysis, advice, plotted), null, 2)}\n`);
      else ctx.stdout.write(renderAnalysis(humanFacts(capture, analysis, advice, plotted)));
    });
}

/** The verdict on a capture that decoded only turned over. */
const TURNED_OVER = 'more light gave lower values (a sensor pulling its output down, the common-emitter wiring): this report reads the capture turned over; pass --invert, or move the load resistor to the emitter side so that more light reads higher';

interface Analysis {
  readonly run: DecodeRun;
  readonly flicker: FlickerEstimate | undefined;
  readonly window: WindowContents | undefined;
  /** Each sample was read as full scale − value. */
  readonly inverted: boolean;
}

async function analyze(capture: Capture, o: AnalyzeOptionValues, invert: boolean): Promise<Analysis> {
  // Flicker aliases at camera frame rates: only photodiode captures are measured for it.
  const flicker = capture.camera ? undefined : new FlickerMeter();
  const plot = o.plot ? new PlotWindow(o.window ? { startS: o.window[0], endS: o.window[1] } : undefined) : undefined;
  const run = await decodeCapture(capture, {
    fullScale: o.fullScale,
    invert,
    onChunk: (chunk, rate) => {
      flicker?.add(chunk.values, chunk.times, rate);
      plot?.addChunk(chunk.values, chunk.times, rate);
    },
    onPulse: (p: PulseInfo) => {
      flicker?.pulse(p);
      plot?.addPulse(p);
    },
    onEvent: (e: DecodeEvent) => {
      if (e.type === 'packet' || e.type === 'crc-failure') plot?.transmission(e.startS, e.endS);
    },
  });
  // (The flash's pulses come at half its frame rate: one frame lit, one dark.)
  return { run, flicker: flicker?.finish(run.report.nominalFps / 2), window: plot?.finish(), inverted: invert };
}

/** The verdicts on one reading (`readBothWays`: a file with no preamble either way up). */
function adviceFor(capture: Capture, a: Analysis, readBothWays: boolean): Advice[] {
  const { run } = a;
  return adviseSignal({
    report: run.report,
    min: run.stats.min,
    max: run.stats.max,
    durationS: run.durationS,
    sampleRate: capture.sampleRate,
    flicker: a.flicker,
    camera: capture.camera,
    fullScaleKnown: run.fullScaleSource !== 'unknown',
    timestampGaps: gapsOf(run),
    endedMidPacket: endedMidPacket(run),
    aboveFullScale: run.stats.aboveFullScale,
    foundRegionCoverage: foundRegionCoverage(capture),
    readBothWays,
  });
}

interface Plotted {
  readonly path: string;
  readonly startS: number;
  readonly endS: number;
  readonly pulses: number;
  readonly truncated: boolean;
}

async function writePlot(path: string, a: Analysis, capture: Capture): Promise<Plotted> {
  const w = a.window!;
  if (w.values.length < 2) throw usageError(`nothing to plot between ${fixed(w.startS, 2)} and ${fixed(w.endS, 2)} s: the capture has no samples there`);
  const r = a.run.report;
  const decoded = `${a.run.tally.packets} ${plural(a.run.tally.packets, 'packet')} decoded`;
  const png = analysisPlot(w, {
    title: `${capture.name}: ${fixed(w.startS, 2)}–${fixed(w.endS, 2)} s, ${decoded}, swing ${fixed(r.swingFraction, 2)} of full scale`,
    yLabel: capture.camera ? 'region brightness (linear light)' : `sample value (full scale ${Number(r.fullScale.toPrecision(6))})`,
    report: r,
  });
  await writeFile(path, png);
  return { path, startS: w.startS, endS: w.endS, pulses: w.pulses.length, truncated: w.truncated };
}

function humanFacts(capture: Capture, a: Analysis, advice: Advice[], plotted: Plotted | undefined): Parameters<typeof renderAnalysis>[0] {
  const { run } = a;
  const regions = capture.frameSize ? capture.regions?.map((r) => describeRegion(r, capture.frameSize!)) : undefined;
  const plot = plotted
    ? `${plotted.path} (${PLOT_SIZE.width}×${PLOT_SIZE.height}, ${fixed(plotted.startS, 2)}–${fixed(plotted.endS, 2)} s, ${plotted.pulses} pulses${plotted.truncated ? ', cut short: too many samples' : ''}; --window start,end zooms in)`
    : undefined;
  return {
    name: capture.name,
    samples: run.stats.count,
    missing: run.stats.missing,
    durationS: run.durationS,
    min: run.stats.min,
    max: run.stats.max,
    sampleRate: capture.sampleRate,
    timing: capture.timing,
    regions,
    fullScaleSource: run.fullScaleSource,
    report: run.report,
    flicker: a.flicker,
    packets: run.tally.packets,
    failures: run.tally.failures,
    failedCheck: failedCheckOf(run),
    syncLosses: run.tally.syncLosses,
    advice,
    plot,
  };
}

/** One region measured, as `--roi` takes it; one the search moved to later says from which frame. */
function describeRegion(region: RegionChoice, frame: { width: number; height: number }): string {
  const { roi, automatic, coverage, fromFrame } = region;
  return `x,y,w,h = ${roi.x},${roi.y},${roi.w},${roi.h} of ${frame.width}×${frame.height} (${automatic ? 'found automatically' : 'given'}, ${fixed(100 * coverage, 0)} % of the frame)${fromFrame ? ` from frame ${fromFrame}` : ''}`;
}

function jsonResult(capture: Capture, a: Analysis, advice: Advice[], plotted: Plotted | undefined): object {
  const { run } = a;
  const r = run.report;
  return {
    input: {
      name: capture.name,
      format: capture.format,
      ...(a.inverted ? { inverted: true } : {}),
      sampleRate: capture.sampleRate ?? null,
      timing: capture.timing ?? null,
      samples: run.stats.count,
      ...(run.stats.missing > 0 ? { missingSamples: run.stats.missing } : {}),
      durationS: Math.round(run.durationS * 1e4) / 1e4,
      min: run.stats.count > 0 ? run.stats.min : null,
      max: run.stats.count > 0 ? run.stats.max : null,
      ...(capture.region ? { region: capture.region, regions: capture.regions, frameSize: capture.frameSize } : {}),
      // What stderr warned about the input (junk lines read as missing samples, a video cut short).
      ...(capture.warning !== undefined ? { warning: capture.warning } : {}),
    },
    fullScale: { value: r.fullScale, source: run.fullScaleSource },
    transmissions: { packets: run.tally.packets, failures: run.tally.failures, syncLosses: run.tally.syncLosses },
    report: reportView(r),
    flicker: a.flicker ? { ...a.flicker, fractionOfSwing: r.swing > 0 ? Number((a.flicker.peakToPeak / r.swing).toFixed(4)) : null } : null,
    verdicts: advice,
    plot: plotted ? { ...plotted, width: PLOT_SIZE.width, height: PLOT_SIZE.height } : null,
  };
}
