/**
 * `blinkup simulate`: what a receiver would capture while a screen flashes a payload — through
 * the physical channel model of src/channel/ (display, room light, sensor, ADC, sampler; or a
 * camera). The output is a capture `decode` and `analyze` read: CSV, u16le or f32le samples, a
 * Y4M video or a folder of PNG frames.
 *
 * The capture carries the secrets the way a real one does — in the light — but its header names
 * only the channel conditions, never a payload field.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import {
  cameraFrames, resolveCameraOptions, resolvePhotodiodeOptions, simulatePhotodiode,
  type CameraChannelOptions, type PhotodiodeCapture, type PhotodiodeChannelOptions,
} from '../../channel/index.js';
import { BlinkUpError, ErrorCode, isBlinkUpError } from '../../packet/errors.js';
import { addChannelOptions, channelFromOptions, withFlagNames, type Channel, type ChannelOptionValues } from '../channel-options.js';
import { checkBinaryFormat, openSink, writeBinaryCapture, writeCsvCapture, writePngClip, writeY4mClip } from '../capture-writers.js';
import type { CliContext } from '../context.js';
import { usageError } from '../errors.js';
import { fixed, plural } from '../format.js';
import { describeDestination } from '../io.js';
import { addTransmissionOptions, transmissionFromOptions, type Transmission, type TransmissionOptionValues } from '../transmission-options.js';

export const SIMULATE_FORMATS = ['csv', 'u16le', 'f32le', 'y4m', 'png'] as const;
export type SimulateFormat = (typeof SIMULATE_FORMATS)[number];

/** Largest photodiode capture simulated (samples): about 9 hours at 1 kHz, 130 MB in memory. */
export const MAX_SAMPLES = 1 << 25;
/** Largest camera clip (pixels × frames): a few tens of seconds of rendering. */
export const MAX_PIXEL_FRAMES = 1e9;

interface SimulateOptionValues extends TransmissionOptionValues, ChannelOptionValues {
  format?: SimulateFormat;
  out?: string;
}

export function registerSimulate(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('simulate')
    .description('simulate what a photodiode (or a camera) captures while a screen flashes a payload')
    .addHelpText(
      'after',
      `
Outputs:
  photodiode  csv (default; "Sample Rate (Hz)" header, value or time_s,value), u16le (ADC codes),
              f32le (fractions of full scale); to stdout unless --out names a file
  --camera    y4m (default; to stdout unless --out names a file) or png (frames and a times file
              in the --out folder)

Tiers: typical, hard, swing005 (the photodiode conditions of the robustness benchmark); flicker,
       pwmwide, slowlcd (the edges of room light, PWM dimming and slow LCDs); cam240on60,
       cam120on60, cam60on30, cam60on60 (camera).

Examples:
  $ blinkup simulate --ssid HomeNetwork --password-file wifi.txt --plan-id 0123456789abcdef \\
      --token fedcba9876543210 | blinkup decode - --rate 1000
  $ blinkup simulate --plan-id 0123456789abcdef --token fedcba9876543210 --tier hard --seed 7 --out hard.csv
  $ blinkup simulate --plan-id 0123456789abcdef --token fedcba9876543210 --camera --camera-fps 240 \\
      --size 64x48 --out clip.y4m`,
    );
  addChannelOptions(addTransmissionOptions(cmd))
    .addOption(new Option('--format <format>', 'output format (default csv, or y4m with --camera)').choices(SIMULATE_FORMATS))
    .option('--out <path>', 'output file, or folder for png; "-" is stdout (the default for csv, u16le, f32le and y4m)')
    .action(async (o: SimulateOptionValues) => {
      const format = outputFormat(o);
      const flashing = {
        ...(cmd.getOptionValueSource('fps') === 'cli' ? { fps: o.fps } : {}),
        ...(cmd.getOptionValueSource('refresh') === 'cli' ? { refreshHz: o.refresh } : {}),
      };
      const channel = channelFromOptions(o, flashing);
      const t = await transmissionFromOptions({ ...o, fps: channel.options.fps ?? o.fps, refresh: channel.options.refreshHz ?? o.refresh }, ctx).catch((err: unknown) => {
        // A rate the tier drew, refused against a --refresh the user gave: say where it came from.
        const drawn = flashing.fps === undefined ? channel.options.fps : undefined;
        if (isBlinkUpError(err) && err.code === ErrorCode.RATE_UNSUPPORTED && drawn !== undefined) {
          throw new BlinkUpError(ErrorCode.OPTION_INVALID, `${err.message} (--tier ${o.tier} drew ${drawn} fps: give --fps too)`);
        }
        throw err;
      });
      const out = o.out ?? '-';
      const summary = channel.kind === 'photodiode' ? await simulateSamples(t, channel, format, out, o.seed, ctx) : await simulateVideo(t, channel, format, out, o.seed, ctx);
      ctx.stderr.write(`${summary} → ${format === 'png' ? out : describeDestination(out)} (${format})\n`);
    });
}

function outputFormat(o: SimulateOptionValues): SimulateFormat {
  const camera = o.camera === true;
  const format = o.format ?? (camera ? 'y4m' : 'csv');
  const video = format === 'y4m' || format === 'png';
  if (video !== camera) throw usageError(camera ? `--camera writes y4m or png, not ${format}` : `--format ${format} is a video format: add --camera`);
  if (format === 'png' && (o.out === undefined || o.out === '-')) throw usageError('png frames need a folder: give --out <dir>');
  // Raw samples carry no time: the sampler's timestamps would be silently lost.
  if (o.timestamps === true && (format === 'u16le' || format === 'f32le')) throw usageError(`--timestamps writes a time column: ${format} has none, use --format csv`);
  return format;
}

async function simulateSamples(
  t: Transmission,
  channel: Extract<Channel, { kind: 'photodiode' }>,
  format: SimulateFormat,
  out: string,
  seed: number,
  ctx: CliContext,
): Promise<string> {
  const options = withFlagNames(() => resolvePhotodiodeOptions(channel.options));
  const samples = Math.ceil(expectedDurationS(t, options) * options.sampleRate);
  if (samples > MAX_SAMPLES) {
    throw new BlinkUpError(ErrorCode.LIMIT_EXCEEDED, `the capture would hold about ${samples} samples, over the limit of ${MAX_SAMPLES}: lower --repeat or --rate`);
  }
  // Checked before the output is opened: a refusal must not leave an empty file behind.
  if (format !== 'csv') checkBinaryFormat(format as 'u16le' | 'f32le', options.adcBits);
  const capture = withFlagNames(() => simulatePhotodiode(t.schedule.levels, options, seed));
  const conditions = describePhotodiode(options, seed);
  warnAboutClipping(capture, ctx);
  const sink = await openSink(out, ctx, format !== 'csv');
  try {
    if (format === 'csv') await writeCsvCapture(sink, capture, `blinkup simulate: photodiode capture; ${conditions}`);
    else await writeBinaryCapture(sink, capture, format as 'u16le' | 'f32le');
  } finally {
    await sink.close();
  }
  const n = capture.samples.length;
  return `simulated ${n} samples (${fixed(n / options.sampleRate, 2)} s) of ${transmissions(options.repeat, t)}; ${conditions}`;
}

async function simulateVideo(
  t: Transmission,
  channel: Extract<Channel, { kind: 'camera' }>,
  format: SimulateFormat,
  out: string,
  seed: number,
  ctx: CliContext,
): Promise<string> {
  const options = withFlagNames(() => resolveCameraOptions(channel.options));
  const frames = Math.ceil(expectedDurationS(t, options) * options.cameraFps);
  if (frames * options.width * options.height > MAX_PIXEL_FRAMES) {
    throw new BlinkUpError(ErrorCode.LIMIT_EXCEEDED, `the clip would be about ${frames} frames of ${options.width}x${options.height}, over the limit of ${MAX_PIXEL_FRAMES} pixels in all: lower --size, --camera-fps or --repeat`);
  }
  const clip = withFlagNames(() => cameraFrames(t.schedule.levels, options, seed));
  if (format === 'png') {
    await writePngClip(out, clip);
  } else {
    const sink = await openSink(out, ctx, true);
    try {
      await writeY4mClip(sink, clip);
    } finally {
      await sink.close();
    }
  }
  // Below two camera frames per flashed frame every frame mixes two levels: the hard case, met first by whoever films at the defaults.
  const mixed = options.cameraFps < 2 * options.fps ? ` (every camera frame mixes two flashed frames at ${n(options.cameraFps)} fps filming ${n(options.fps)} fps, the hardest case: film at ${n(2 * options.fps)} fps or more, or flash slower)` : '';
  return `simulated ${clip.frameCount} frames of ${clip.width}x${clip.height} (${fixed(clip.frameCount / clip.fps, 2)} s) of ${transmissions(options.repeat, t)}; ${describeCamera(options, seed)}${mixed}`;
}

/**
 * The light drove the sensor into its rail for part of the capture (a large swing, bright room
 * light, or PWM bursts, whose peaks stand at the swing ÷ the on-time): say so, as a receiver
 * would see it — the stated swing is not what the capture holds there.
 */
function warnAboutClipping(capture: PhotodiodeCapture, ctx: CliContext): void {
  const share = capture.truth.saturatedSamples / capture.samples.length;
  if (!(share >= CLIPPING_NOTED)) return;
  const o = capture.options;
  const peak = o.pwmHz > 0 ? `; PWM bursts peak at the swing ÷ the on-time, ${n(o.swing / o.pwmDuty)} of full scale` : '';
  ctx.stderr.write(`blinkup: note: the sensor saturates in ${(100 * share).toFixed(1)} % of the samples (its rail is at ${n(o.saturation)} of full scale${peak})\n`);
}

/** Share of clipped samples from which `simulate` says so (a few white peaks are no news). */
const CLIPPING_NOTED = 0.001;

/** Lead-in, the transmissions with their held levels and gaps, lead-out: an upper estimate. */
function expectedDurationS(t: Transmission, o: PhotodiodeChannelOptions | CameraChannelOptions): number {
  const transmissionS = (t.schedule.frameCount / o.fps) * (1 + o.heldLevelProbability) + o.stalls * o.stallS;
  return o.leadInS + o.repeat * transmissionS + (o.repeat - 1) * o.repeatGapS + o.leadOutS;
}

function transmissions(repeat: number, t: Transmission): string {
  return `${repeat} ${plural(repeat, 'transmission')} of ${t.schedule.frameCount} frames`;
}

/** The conditions, for the capture's header and the summary line: no payload field, ever. */
function describePhotodiode(o: PhotodiodeChannelOptions, seed: number): string {
  return [
    describeDisplay(o),
    `swing ${n(o.swing)}, ambient ${n(o.ambient)}, flicker ${n(o.flickerHz)} Hz depth ${n(o.flickerDepth)}, drift ${n(o.driftPerS)}/s${o.stepGain !== 1 ? `, light × ${n(o.stepGain)} from ${n(o.stepAtS)} s` : ''}`,
    `sensor ${n(o.sensorTauMs)} ms, ${o.adcBits}-bit ADC noise ${n(o.noiseLsb)} LSB, ${n(o.sampleRate)} Hz clock ${n(o.samplerClockPpm)} ppm${o.gapRatePerS > 0 ? `, losing samples ${n(o.gapRatePerS)}/s for about ${n(o.gapMs)} ms` : ''}`,
    `seed ${seed}`,
  ].join('; ');
}

function describeCamera(o: CameraChannelOptions, seed: number): string {
  return [
    describeDisplay(o),
    `camera ${n(o.cameraFps)} fps exposure ${n(o.exposure)} clock ${n(o.cameraClockPpm)} ppm, noise ${n(o.pixelNoise)}, flicker ${n(o.flickerHz)} Hz depth ${n(o.flickerDepth)}`,
    `seed ${seed}`,
  ].join('; ');
}

function describeDisplay(o: PhotodiodeChannelOptions | CameraChannelOptions): string {
  const panel = o.panel === 'lcd' ? `LCD rise ${n(o.lcdRiseMs)} ms fall ${n(o.lcdFallMs)} ms` : 'OLED';
  const staged = o.stagedRefreshes > 1 ? ` stepping over ${o.stagedRefreshes} refreshes` : '';
  const pwm = o.pwmHz > 0 ? `, PWM ${n(o.pwmHz)} Hz duty ${n(o.pwmDuty)}` : '';
  const stalls = o.stalls > 0 ? `, ${o.stalls} ${plural(o.stalls, 'stall')} of ${n(1000 * o.stallS)} ms` : '';
  return `${n(o.fps)} fps on ${n(o.refreshHz)} Hz ${panel}${staged}${pwm}, grey #${o.greyCode.toString(16)}, held ${n(o.heldLevelProbability)}${stalls}, display clock ${n(o.displayClockPpm)} ppm`;
}

/** Three significant digits: the conditions are drawn at random, their last digits mean nothing. */
function n(x: number): string {
  return String(Number(x.toPrecision(3)));
}
