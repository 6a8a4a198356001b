/**
 * `simulate`'s channel options: the physics between the flashing screen and the receiver, as
 * command-line flags, mapped onto the simulator's option names (src/channel/).
 *
 * A tier (`--tier hard`) draws one random channel from a named range of conditions, seeded by
 * --seed; flags given explicitly override what the tier drew. Values are range-checked by the
 * simulator itself; its messages are translated back to the flag names here.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CameraChannelOptions, PhotodiodeChannelOptions } from '../channel/index.js';
import { CAMERA_TIER_NAMES, PHOTODIODE_TIER_NAMES, TIERS } from '../channel/tiers.js';
import { BlinkUpError, ErrorCode, isBlinkUpError } from '../packet/errors.js';
import { Random } from '../util/random.js';
import { usageError } from './errors.js';
import { parseDecimal, parseDecimalPair, parseInteger, parseSignedDecimal, parseSize } from './parse-options.js';

export const PHOTODIODE_TIERS = PHOTODIODE_TIER_NAMES;
export const CAMERA_TIERS = CAMERA_TIER_NAMES;
export type TierChoice = (typeof PHOTODIODE_TIERS)[number] | (typeof CAMERA_TIERS)[number];

/** Greys a flasher shows: #bf (SDK 0.3.0) or #9f (the 2014 flasher). */
const GREY_CODES = { bf: 0xbf, '9f': 0x9f } as const;
/** Most transmissions in one capture: enough for repetition combining, bounded for memory. */
export const MAX_REPEAT = 100;

/** Option values as commander hands them over (camel-cased). */
export interface ChannelOptionValues {
  swing?: number;
  sensorTau?: number;
  noise?: number;
  ambient?: number;
  flicker?: [number, number];
  drift?: number;
  step?: [number, number];
  pwm?: [number, number];
  lcd?: [number, number];
  oled?: boolean;
  staged?: number;
  hold?: number;
  stall?: [number, number];
  gaps?: [number, number];
  clockPpm?: number;
  displayClockPpm?: number;
  rate?: number;
  bits?: number;
  grey?: keyof typeof GREY_CODES;
  repeat?: number;
  tier?: TierChoice;
  seed: number;
  timestamps?: boolean;
  camera?: boolean;
  cameraFps?: number;
  exposure?: number;
  size?: { width: number; height: number };
}

export type Channel =
  | { readonly kind: 'photodiode'; readonly options: Partial<PhotodiodeChannelOptions> }
  | { readonly kind: 'camera'; readonly options: Partial<CameraChannelOptions> };

/** The generator is seeded with 32 bits: a larger seed would repeat a smaller one's capture. */
const MAX_SEED = 0xffff_ffff;

function parseSeed(text: string): number {
  const seed = parseInteger(text);
  if (seed > MAX_SEED) throw new InvalidArgumentError(`the seed must be 0–${MAX_SEED}.`);
  return seed;
}

export function addChannelOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--tier <name>', 'draw random conditions from a named range (seeded by --seed); flags given override them').choices([...PHOTODIODE_TIERS, ...CAMERA_TIERS]))
    .option('--seed <n>', `seed of every random choice, 0–${MAX_SEED}: the same seed gives the same capture`, parseSeed, 1)
    .option('--repeat <n>', `transmissions in the capture, 1–${MAX_REPEAT} (apps repeat the flash)`, parseInteger)
    .addOption(new Option('--grey <code>', 'grey the flasher shows: bf (SDK 0.3.0) or 9f (2014 flasher)').choices(Object.keys(GREY_CODES)))
    .option('--hold <prob>', 'probability that a level stays one refresh longer (missed refresh), 0–0.95', parseDecimal)
    .option('--stall <ms,count>', 'the flashing app stalls count times per transmission, each time showing its level ms longer, e.g. 200,1', parseDecimalPair('200,1'))
    .option('--display-clock-ppm <ppm>', "display clock error, ppm (e.g. 300 or -300)", parseSignedDecimal)
    .option('--lcd <riseMs,fallMs>', 'an LCD panel with these pixel time constants, e.g. 3,10', parseDecimalPair('3,10'))
    .option('--oled', 'an OLED panel (fast pixels)')
    .option('--staged <refreshes>', 'the panel\'s driver spreads a black-to-white step over this many refreshes (some OLEDs: about 3), 1–10', parseInteger)
    .option('--pwm <Hz,duty>', 'PWM dimming of the panel: frequency and on-time fraction, e.g. 240,0.5', parseDecimalPair('240,0.5'))
    .option('--flicker <Hz,depth>', 'mains flicker of room light: frequency and depth 0–1, e.g. 100,0.3', parseDecimalPair('100,0.3'))
    .option('--noise <lsb>', 'noise, ADC LSB rms (camera: 8-bit codes rms)', parseDecimal)
    .option('--drift <per-s>', 'slow drift of the screen light (camera: of auto-exposure), fraction per second, e.g. 0.02', parseDecimal)
    .option('--step <s,factor>', 'photodiode: from s seconds on, the screen\'s light × factor (a shadow, the phone jerked closer), e.g. 5,0.7', parseDecimalPair('5,0.7'))
    .option('--clock-ppm <ppm>', 'sampler (camera) clock error, ppm, e.g. -20000 for 2 % slow', parseSignedDecimal)
    .option('--swing <fraction>', 'photodiode: white − black as a fraction of ADC full scale (0.3–0.6 tuned, 0.1 weak)', parseDecimal)
    .option('--ambient <fraction>', 'photodiode: room light in units of the swing', parseDecimal)
    .option('--sensor-tau <ms>', 'photodiode: the sensor\'s time constant, ms (a phototransistor: 0.1–0.2 at 7.5–10 kΩ load, about 0.7 at 47 kΩ, 1.5 at 100 kΩ)', parseDecimal)
    .option('--rate <Hz>', 'photodiode: sample rate, Hz', parseDecimal)
    .option('--bits <n>', 'photodiode: ADC resolution, bits', parseInteger)
    .option('--timestamps', 'photodiode: write time_s,value with the sampler\'s own (jittery, clock-skewed) timestamps')
    .option('--gaps <per-s,ms>', 'photodiode: the logger loses samples this often (a second) for about this long, e.g. 0.2,30 (with --timestamps the times show the holes)', parseDecimalPair('0.2,30'))
    .option('--camera', 'film the screen with a camera instead: write video (y4m) or PNG frames')
    .option('--camera-fps <n>', 'camera: frame rate (default 60; 240 is slow motion)', parseDecimal)
    .option('--exposure <fraction>', 'camera: exposure as a fraction of the frame period, 0–1', parseDecimal)
    .option('--size <WxH>', 'camera: frame size in pixels (default 160x120)', parseSize);
}

const PHOTODIODE_ONLY = ['swing', 'ambient', 'sensorTau', 'rate', 'bits', 'timestamps', 'gaps', 'step'] as const;
const CAMERA_ONLY = ['cameraFps', 'exposure', 'size'] as const;

/**
 * The channel the flags describe. `flashing` holds the flashing rate and refresh rate only when
 * they were given on the command line: a tier's draw yields to flags, not to defaults.
 */
export function channelFromOptions(o: ChannelOptionValues, flashing: { fps?: number; refreshHz?: number }): Channel {
  const camera = o.camera === true;
  const misplaced = (camera ? PHOTODIODE_ONLY : CAMERA_ONLY).filter((k) => o[k] !== undefined);
  if (misplaced.length > 0) {
    throw usageError(`${misplaced.map(flag).join(', ')} ${misplaced.length > 1 ? 'apply' : 'applies'} only ${camera ? 'without' : 'with'} --camera`);
  }
  if (o.lcd && o.oled) throw usageError('--lcd and --oled describe different panels: give one');
  if (o.repeat !== undefined && !(o.repeat >= 1 && o.repeat <= MAX_REPEAT)) throw usageError(`--repeat must be 1–${MAX_REPEAT}`);
  // A frequency of 0 is no PWM, no flicker: leave the flag out, rather than have the summary say it is there.
  if (o.pwm && !(o.pwm[0] > 0)) throw usageError('--pwm: the frequency must be above 0 Hz (leave --pwm out for a panel without PWM)');
  if (o.flicker && !(o.flicker[0] > 0)) throw usageError('--flicker: the frequency must be above 0 Hz (depth 0, or no --flicker, for steady room light)');
  const tier = o.tier ? panelConsistent(drawTier(o.tier, camera, o.seed), o, flashing) : {};
  const display = {
    ...flashing,
    ...(o.repeat !== undefined ? { repeat: o.repeat } : {}),
    ...(o.grey ? { greyCode: GREY_CODES[o.grey] } : {}),
    ...(o.hold !== undefined ? { heldLevelProbability: o.hold } : {}),
    ...(o.stall ? { stallS: o.stall[0] / 1000, stalls: o.stall[1] } : {}),
    ...(o.displayClockPpm !== undefined ? { displayClockPpm: o.displayClockPpm } : {}),
    ...(o.lcd ? { panel: 'lcd' as const, lcdRiseMs: o.lcd[0], lcdFallMs: o.lcd[1] } : {}),
    ...(o.oled ? { panel: 'oled' as const } : {}),
    ...(o.staged !== undefined ? { stagedRefreshes: o.staged } : {}),
    ...(o.pwm ? { pwmHz: o.pwm[0], pwmDuty: o.pwm[1] } : {}),
    ...(o.flicker ? { flickerHz: o.flicker[0], flickerDepth: o.flicker[1] } : {}),
  };
  if (camera) {
    const options: Partial<CameraChannelOptions> = {
      ...tier,
      ...display,
      ...(o.noise !== undefined ? { pixelNoise: o.noise } : {}),
      ...(o.drift !== undefined ? { aeDriftPerS: o.drift } : {}),
      ...(o.clockPpm !== undefined ? { cameraClockPpm: o.clockPpm } : {}),
      ...(o.cameraFps !== undefined ? { cameraFps: o.cameraFps } : {}),
      ...(o.exposure !== undefined ? { exposure: o.exposure } : {}),
      ...(o.size ? { width: o.size.width, height: o.size.height } : {}),
    };
    return { kind: 'camera', options };
  }
  const options: Partial<PhotodiodeChannelOptions> = {
    ...tier,
    ...display,
    ...(o.noise !== undefined ? { noiseLsb: o.noise } : {}),
    ...(o.drift !== undefined ? { driftPerS: o.drift } : {}),
    ...(o.step ? { stepAtS: o.step[0], stepGain: o.step[1] } : {}),
    ...(o.clockPpm !== undefined ? { samplerClockPpm: o.clockPpm } : {}),
    ...(o.swing !== undefined ? { swing: o.swing } : {}),
    ...(o.ambient !== undefined ? { ambient: o.ambient } : {}),
    ...(o.sensorTau !== undefined ? { sensorTauMs: o.sensorTau } : {}),
    ...(o.rate !== undefined ? { sampleRate: o.rate } : {}),
    ...(o.bits !== undefined ? { adcBits: o.bits } : {}),
    ...(o.timestamps ? { timestamps: true } : {}),
    ...(o.gaps ? { gapRatePerS: o.gaps[0], gapMs: o.gaps[1] } : {}),
  };
  return { kind: 'photodiode', options };
}

/**
 * What a tier drew for its own panel, made to fit the panel the flags describe (CHANNEL.md: keep
 * panels physically consistent): `--lcd` drops the PWM of an OLED the tier drew, and a refresh
 * rate other than the tier's scales the LCD time constants it drew with it (a faster panel is
 * sold with faster pixels, as the tiers themselves assume), unless `--lcd` gives them.
 */
function panelConsistent<T extends Partial<PhotodiodeChannelOptions> | Partial<CameraChannelOptions>>(drawn: T, o: ChannelOptionValues, flashing: { refreshHz?: number }): T {
  const noPwm = o.lcd && !o.pwm ? { pwmHz: 0 } : {};
  const drawnHz = drawn.refreshHz ?? 60;
  const { lcdRiseMs, lcdFallMs } = drawn;
  if (o.lcd || flashing.refreshHz === undefined || flashing.refreshHz === drawnHz || lcdRiseMs === undefined || lcdFallMs === undefined) return { ...drawn, ...noPwm };
  const scale = Math.min(1, 60 / flashing.refreshHz) / Math.min(1, 60 / drawnHz);
  return { ...drawn, ...noPwm, lcdRiseMs: lcdRiseMs * scale, lcdFallMs: lcdFallMs * scale };
}

function drawTier(name: TierChoice, camera: boolean, seed: number): Partial<PhotodiodeChannelOptions> | Partial<CameraChannelOptions> {
  const cameraTier = (CAMERA_TIERS as readonly string[]).includes(name);
  if (cameraTier !== camera) {
    throw usageError(camera ? `--tier ${name} is a photodiode tier; with --camera use ${CAMERA_TIERS.join(', ')}` : `--tier ${name} is a camera tier: add --camera`);
  }
  return TIERS[name](new Random(seed));
}

/** commander's camel-cased name → the flag a user typed. */
function flag(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The simulator's option names → the flags that set them. */
const FLAG_OF: Readonly<Record<string, string>> = {
  swing: '--swing', ambient: '--ambient', sensorTauMs: '--sensor-tau', noiseLsb: '--noise', pixelNoise: '--noise',
  flickerHz: '--flicker', flickerDepth: '--flicker', driftPerS: '--drift', aeDriftPerS: '--drift', stepGain: '--step', stepAtS: '--step',
  stagedRefreshes: '--staged', pwmHz: '--pwm', pwmDuty: '--pwm', lcdRiseMs: '--lcd', lcdFallMs: '--lcd',
  heldLevelProbability: '--hold', stalls: '--stall', stallS: '--stall', samplerClockPpm: '--clock-ppm', cameraClockPpm: '--clock-ppm',
  displayClockPpm: '--display-clock-ppm', gapRatePerS: '--gaps', gapMs: '--gaps', sampleRate: '--rate', adcBits: '--bits', repeat: '--repeat',
  cameraFps: '--camera-fps', exposure: '--exposure', width: '--size', height: '--size',
  fps: '--fps', refreshHz: '--refresh',
};

/**
 * Runs `simulate` and turns the simulator's "option pwmDuty must be …" into "--pwm (pwmDuty)
 * must be …", so the user sees the flag they typed.
 */
export function withFlagNames<T>(simulate: () => T): T {
  try {
    return simulate();
  } catch (err) {
    if (!isBlinkUpError(err) || err.code !== ErrorCode.OPTION_INVALID) throw err;
    const message = err.message.replace(/^option (\w+)/, (whole, name: string) => (FLAG_OF[name] ? `${FLAG_OF[name]} (${name})` : whole));
    throw new BlinkUpError(ErrorCode.OPTION_INVALID, message);
  }
}
