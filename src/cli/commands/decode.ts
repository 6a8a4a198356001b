/**
 * `blinkup decode`: a photodiode capture or a video of the flashing screen → the packets in it.
 *
 * Packets are printed as they are decoded (a pipe from a live sensor shows them at once), then a
 * short summary of the signal. Secrets — the Wi-Fi password, the token, the proxy password and
 * the raw packet bytes that hold them — are "***" unless --show-secrets.
 *
 * Exit status: 0 when at least one valid packet was decoded; 1 when none was, with the reason
 * and a hint on stderr in one line; 2 for bad usage or an unreadable capture.
 */
import type { Command } from 'commander';
import type { DecodeEvent } from '../../decoder/types.js';
import type { CliContext } from '../context.js';
import { addCaptureOptions, captureOptionsFrom, invertOption, worthTurningOver, type CaptureOptionValues } from '../capture-options.js';
import { decodeCapture, endedMidPacket, gapsOf, type DecodeRun } from '../decode-capture.js';
import { ExitCode } from '../errors.js';
import { foundRegionCoverage, warnAboutInput, withCapture, type Capture } from '../input-source.js';
import { failureView, failureViews, packetView, reportView } from '../packet-view.js';
import { renderFailure, renderPacket, renderRegion, renderSignal } from '../render-packet.js';
import { adviseSignal, noPacketReason } from '../signal-advice.js';

interface DecodeOptionValues extends CaptureOptionValues {
  json?: boolean;
  showSecrets?: boolean;
}

export function registerDecode(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('decode')
    .description('decode BlinkUp packets from a photodiode capture or a video of the flashing screen')
    .addHelpText(
      'after',
      `
Captures:
  CSV     one column of samples, or time_s,value (a header line or an oscilloscope's header block is fine)
  u16le   raw little-endian 16-bit samples (needs --rate)
  f32le   raw little-endian 32-bit floats (needs --rate)
  y4m     video as ffmpeg writes it with -pix_fmt gray -f yuv4mpegpipe (the frame rate comes from the header)
  png     a folder of frames, one PNG each, in the order of the numbers in their names
"-" reads stdin: a Y4M stream is recognised by its first bytes, anything else is read as CSV.

The password, the token, the proxy password and the packet bytes are shown as "***" unless
--show-secrets.

Exit status: 0 at least one packet decoded, 1 none (the reason is on stderr), 2 bad usage or input.

Examples:
  $ blinkup decode capture.csv --rate 1000
  $ blinkup decode scope-export.csv --json
  $ blinkup decode camera-frames/ --fps 240
  $ ffmpeg -i clip.mp4 -pix_fmt gray -f yuv4mpegpipe - | blinkup decode -`,
    );
  addCaptureOptions(cmd)
    .option('--json', 'print one JSON object: packets, failures, report')
    .option('--show-secrets', 'show the password, token, proxy password and packet bytes')
    .action(async (path: string, o: DecodeOptionValues) => {
      const options = captureOptionsFrom(o);
      const upright = await withCapture(path, options, ctx, async (capture) => {
        const human = o.json ? undefined : new HumanOutput(ctx, capture, o.showSecrets === true);
        const run = await decodeCapture(capture, {
          fullScale: o.fullScale,
          invert: invertOption(o, capture),
          keepEvents: o.json === true,
          ...(human ? { onEvent: (e: DecodeEvent) => human.event(e), onChunk: () => human.regionKnown() } : {}),
        });
        warnAboutInput(capture, ctx);
        return { capture, run, human };
      });
      // No preamble in a file read the right way up: the sensor may read lower for more light
      // (a phototransistor pulling its output down). A file can be read again, turned over.
      // (Its packets and failures are printed as they come: a reading with none found no preamble
      // either, and prints nothing before the choice below.)
      const turned = worthTurningOver(path, o, upright.capture, upright.run.report)
        ? await withCapture(path, options, ctx, async (capture) => {
            const human = o.json ? undefined : new HumanOutput(ctx, capture, o.showSecrets === true);
            const run = await decodeCapture(capture, { fullScale: o.fullScale, invert: true, keepEvents: o.json === true, ...(human ? { onEvent: (e: DecodeEvent) => human.event(e) } : {}) });
            return { capture, run, human };
          })
        : undefined;
      // The reading turned over is reported if it decoded, or at least found the preamble the
      // upright one did not: its levels and advice are of the signal, not of its mirror image
      // (whose dark idle, near the top of the range, would pass for a saturated sensor).
      if (turned !== undefined && (turned.run.tally.packets > 0 || turned.run.report.swing > 0)) report(ctx, o, turned.capture, turned.run, { inverted: true, streamed: turned.human });
      else report(ctx, o, upright.capture, upright.run, { inverted: false, streamed: upright.human, readBothWays: turned !== undefined });
    });
}

/**
 * Prints the outcome of one reading — the summary or the JSON (its events were printed as they
 * came) — and on stderr why no packet came out.
 */
function report(
  ctx: CliContext,
  o: DecodeOptionValues,
  capture: Capture,
  run: DecodeRun,
  how: { readonly inverted: boolean; readonly streamed?: HumanOutput | undefined; readonly readBothWays?: boolean },
): void {
  const showSecrets = o.showSecrets === true;
  if (o.json) {
    ctx.stdout.write(`${JSON.stringify(jsonResult(capture, run, showSecrets, how.inverted), null, 2)}\n`);
  } else {
    const human = how.streamed ?? new HumanOutput(ctx, capture, showSecrets);
    if (how.inverted) ctx.stdout.write(`Read turned over: ${run.tally.packets > 0 ? 'more light gave lower values' : 'the preamble shows only with more light giving lower values'} (a sensor pulling its output down); --invert says so and reads the capture once\n`);
    human.summary(run);
  }
  if (run.tally.packets === 0) {
    const advice = adviseSignal({ report: run.report, min: run.stats.min, max: run.stats.max, durationS: run.durationS, sampleRate: capture.sampleRate, camera: capture.camera, fullScaleKnown: run.fullScaleSource !== 'unknown', timestampGaps: gapsOf(run), endedMidPacket: endedMidPacket(run), aboveFullScale: run.stats.aboveFullScale, foundRegionCoverage: foundRegionCoverage(capture), readBothWays: how.readBothWays });
    ctx.stderr.write(`blinkup: ${noPacketReason(run, advice)}\n`);
    ctx.exitCode = ExitCode.NO_PACKET;
  }
}

/** Prints packets and failures as they come, then the signal summary. */
class HumanOutput {
  private packets = 0;
  /** Packet bytes seen (as hex, in memory only) → the number they were printed under. */
  private readonly seen = new Map<string, number>();
  /** Regions of the capture printed so far (the automatic search may move to another). */
  private regionsPrinted = 0;

  constructor(
    private readonly ctx: CliContext,
    private readonly capture: Capture,
    private readonly showSecrets: boolean,
  ) {}

  /** Prints each region measured, once, as soon as it is known: every one used, so each can be given to --roi. */
  regionKnown(): void {
    const { regions = [], frameSize } = this.capture;
    if (!frameSize) return;
    for (const region of regions.slice(this.regionsPrinted)) this.ctx.stdout.write(renderRegion(region, frameSize));
    this.regionsPrinted = regions.length;
  }

  event(e: DecodeEvent): void {
    if (e.type === 'packet') {
      const number = ++this.packets;
      const key = Array.from(e.bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      const sameAs = this.seen.get(key);
      if (sameAs === undefined) this.seen.set(key, number);
      this.ctx.stdout.write(renderPacket(packetView(e, this.showSecrets), number, sameAs));
    } else if (e.type === 'crc-failure' || e.type === 'sync-lost') {
      this.ctx.stdout.write(renderFailure(failureView(e, this.showSecrets)));
    }
  }

  summary(run: DecodeRun): void {
    this.regionKnown();
    this.ctx.stdout.write(
      renderSignal(run.report, { samples: run.stats.count, missing: run.stats.missing, durationS: run.durationS, sampleRate: this.capture.sampleRate, timing: this.capture.timing, fullScaleKnown: run.fullScaleSource !== 'unknown' }),
    );
  }
}

/** The --json object. */
function jsonResult(capture: Capture, run: DecodeRun, showSecrets: boolean, inverted: boolean): object {
  return {
    input: {
      name: capture.name,
      format: capture.format,
      ...(inverted ? { inverted: true } : {}),
      sampleRate: capture.sampleRate !== undefined ? Number(capture.sampleRate.toPrecision(9)) : null,
      timing: capture.timing ?? null,
      samples: run.stats.count,
      ...(run.stats.missing > 0 ? { missingSamples: run.stats.missing } : {}),
      durationS: Math.round(run.durationS * 1e4) / 1e4,
      ...(capture.frameSize ? { frameSize: capture.frameSize } : {}),
      ...(capture.region ? { region: capture.region } : {}),
      ...(capture.regions ? { regions: capture.regions } : {}),
      // What stderr warned about the input (junk lines read as missing samples, a video cut short).
      ...(capture.warning !== undefined ? { warning: capture.warning } : {}),
    },
    packets: run.kept!.packets.map((p) => packetView(p, showSecrets)),
    failures: failureViews(run.kept!.failures, run.kept!.syncLosses, showSecrets),
    report: reportView(run.report),
  };
}
