/**
 * Camera stage: a video camera filming the flashing screen (or LED).
 *
 * Each pixel integrates light over its exposure window, so a camera frame mixes the two or
 * three display frames that window overlaps. With a rolling shutter the rows start their windows
 * one after another over the readout time, while the display itself writes its rows top to
 * bottom over a refresh — so different rows of the patch can see different display frames.
 * The sensor is linear; the camera then applies the sRGB transfer and writes 8-bit values, adds
 * noise, and its auto-exposure drifts slowly. Room light (flickering at twice the mains rate)
 * lights the background and reflects off the screen.
 *
 * Two outputs share one model: `simulateCameraBrightness` (the mean of the patch per frame — the
 * fast path for decode sweeps) and `cameraFrames` (whole 8-bit luma frames of a small scene, for
 * region finding and for Y4M/PNG writers).
 */
import { Random } from '../util/random.js';
import { DISPLAY_DEFAULTS, DisplayLight, type DisplayOptions, type DisplaySchedule, resolveDisplayOptions, scheduleDisplay, type TransmissionTruth } from './display.js';
import { SlowDrift } from './drift.js';
import { LightIntegral } from './light-integral.js';
import { Stream, streamRandom } from './seeding.js';
import { firstAtOrAfter } from './sorted.js';
import { linearToSrgb, srgbCodeToLinear } from '../util/srgb.js';
import { checkBoolean, checkInteger, checkRange, optionError, withDefaults } from './validate.js';

/** A rectangle as fractions of the frame's width and height. */
export interface PatchRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The camera, its exposure and the scene it films. Times in seconds unless the name says otherwise. */
export interface CameraOptions {
  /** Frame rate, fps (30/60; 120/240 slow motion). Default 60. */
  readonly cameraFps: number;
  /** Exposure as a fraction of the frame period, (0, 1]. Default 0.5. */
  readonly exposure: number;
  /** Exposure in ms; overrides `exposure` when set. */
  readonly exposureMs?: number | undefined;
  /**
   * Anti-banding: when > 0, an exposure longer than one period of this flicker frequency (100 or
   * 120 Hz) is shortened to a whole number of periods (10 ms / 8.33 ms steps). Default 0 (off).
   */
  readonly antiBandingHz: number;
  /** Where in a frame period the first frame starts, [0, 1); drawn from the seed when undefined. */
  readonly cameraPhase?: number | undefined;
  /** Camera clock error, ppm; positive = frames come faster than nominal. Default 0. */
  readonly cameraClockPpm: number;
  /** Rolling-shutter readout (first row to last row) as a fraction of the frame period, [0, 1]; 0 = global shutter. Default 0.6. */
  readonly readout: number;
  /** Readout in ms; overrides `readout` when set. */
  readonly readoutMs?: number | undefined;
  /** Frame width, pixels. Default 160. */
  readonly width: number;
  /** Frame height, pixels. Default 120. */
  readonly height: number;
  /** Where the screen/LED is in the frame, fractions of width and height. Default the centre 30 % × 30 %. */
  readonly patch: PatchRect;
  /**
   * Fraction of a refresh the display takes to write the patch's rows top to bottom: 1 when the
   * patch is a whole screen scanned over one refresh, 0 for an LED. Default 1.
   */
  readonly displayScan: number;
  /** Linear camera value of a steady white screen (time-averaged over PWM), before encoding. Default 0.75. */
  readonly screenWhite: number;
  /** Linear camera value of room light reflected by the screen. Default 0.01. */
  readonly screenReflection: number;
  /** Mean linear camera value of the background. Default 0.15. */
  readonly background: number;
  /** Relative contrast of the background texture, [0, 1]. Default 0.4. */
  readonly backgroundTexture: number;
  /** Noise of each pixel, 8-bit codes rms (after encoding). Default 1.5. */
  readonly pixelNoise: number;
  /** Fastest relative change of auto-exposure, per second. Default 0.01. */
  readonly aeDriftPerS: number;
  /** Flicker frequency of the room light, Hz. Default 100. */
  readonly flickerHz: number;
  /** Flicker modulation depth of the room light, [0, 1]. Default 0.2. */
  readonly flickerDepth: number;
  /** Probability that a frame is dropped (its slot is skipped; the timestamps show the gap). Default 0. */
  readonly dropRate: number;
  /** Return per-frame timestamps from `simulateCameraBrightness`. Default false. */
  readonly timestamps: boolean;
}

/** Every option of the camera channel: the display being filmed and the camera. */
export interface CameraChannelOptions extends DisplayOptions, CameraOptions {
  /** Internal simulation grid rate, Hz; chosen from the other options when undefined. */
  readonly simulationRateHz?: number | undefined;
}

/** A typical phone video: 60 fps, half-frame exposure, rolling shutter, screen in the middle. */
export const CAMERA_DEFAULTS: CameraOptions = {
  cameraFps: 60,
  exposure: 0.5,
  antiBandingHz: 0,
  cameraClockPpm: 0,
  readout: 0.6,
  width: 160,
  height: 120,
  patch: { x: 0.35, y: 0.35, width: 0.3, height: 0.3 },
  displayScan: 1,
  screenWhite: 0.75,
  screenReflection: 0.01,
  background: 0.15,
  backgroundTexture: 0.4,
  pixelNoise: 1.5,
  aeDriftPerS: 0.01,
  flickerHz: 100,
  flickerDepth: 0.2,
  dropRate: 0,
  timestamps: false,
};

export const CAMERA_CHANNEL_DEFAULTS: CameraChannelOptions = { ...DISPLAY_DEFAULTS, ...CAMERA_DEFAULTS };

/** Defaults filled in, every value checked (`OPTION_INVALID`). */
export function resolveCameraOptions(partial?: Partial<CameraChannelOptions>): CameraChannelOptions {
  const o: CameraChannelOptions = {
    ...resolveDisplayOptions(partial),
    ...withDefaults(CAMERA_DEFAULTS, partial),
    simulationRateHz: partial?.simulationRateHz,
  };
  checkRange('cameraFps', o.cameraFps, 1, 10_000);
  const periodMs = 1000 / o.cameraFps;
  checkRange('exposure', o.exposure, 1e-6, 1);
  if (o.exposureMs !== undefined) checkRange('exposureMs', o.exposureMs, 1e-6, periodMs);
  checkRange('antiBandingHz', o.antiBandingHz, 0, 10_000);
  if (o.cameraPhase !== undefined) checkRange('cameraPhase', o.cameraPhase, 0, 0.999999);
  checkRange('cameraClockPpm', o.cameraClockPpm, -100_000, 100_000);
  checkRange('readout', o.readout, 0, 1);
  if (o.readoutMs !== undefined) checkRange('readoutMs', o.readoutMs, 0, periodMs);
  checkInteger('width', o.width, 1, 16_384);
  checkInteger('height', o.height, 1, 16_384);
  const p = o.patch;
  if (typeof p !== 'object' || p === null) throw optionError('patch', 'an {x, y, width, height} rectangle', p);
  checkRange('patch.x', p.x, 0, 1);
  checkRange('patch.y', p.y, 0, 1);
  checkRange('patch.width', p.width, 1e-6, 1 - p.x);
  checkRange('patch.height', p.height, 1e-6, 1 - p.y);
  checkRange('displayScan', o.displayScan, 0, 1);
  checkRange('screenWhite', o.screenWhite, 0, 100);
  checkRange('screenReflection', o.screenReflection, 0, 100);
  checkRange('background', o.background, 0, 100);
  checkRange('backgroundTexture', o.backgroundTexture, 0, 1);
  checkRange('pixelNoise', o.pixelNoise, 0, 255);
  checkRange('aeDriftPerS', o.aeDriftPerS, 0, 1);
  checkRange('flickerHz', o.flickerHz, 0, 100_000);
  checkRange('flickerDepth', o.flickerDepth, 0, 1);
  checkRange('dropRate', o.dropRate, 0, 0.9);
  checkBoolean('timestamps', o.timestamps);
  if (o.simulationRateHz !== undefined) checkRange('simulationRateHz', o.simulationRateHz, 1000, 10_000_000);
  return o;
}

/** A transmission as it landed in the clip. */
export interface FilmedTransmission extends TransmissionTruth {
  /** Index of the first frame whose exposure starts at or after `startS`. */
  readonly startFrame: number;
  /** Index of the first frame whose exposure starts at or after `endS` (may equal the frame count). */
  readonly endFrame: number;
}

/** What really happened, for scoring a decoder. Times are true seconds from the start of the simulation. */
export interface CameraTruth {
  readonly transmissionStartS: number;
  readonly transmissionEndS: number;
  readonly transmissions: readonly FilmedTransmission[];
  readonly durationS: number;
  /** True start of the first row's exposure of each output frame. */
  readonly frameStartS: Float64Array;
  /** True frame period, exposure and readout (camera clock error included), s. */
  readonly framePeriodS: number;
  readonly exposureS: number;
  readonly readoutS: number;
  /** True display refresh period, s. */
  readonly refreshPeriodS: number;
  readonly heldLevels: number;
  readonly droppedFrames: number;
  /** The patch in pixels: columns [x0, x1), rows [y0, y1). */
  readonly patchPixels: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number };
  /** Encoded 8-bit value of a steady black, grey and white patch (no drift, mean flicker, no noise). */
  readonly nominalValues: { readonly black: number; readonly grey: number; readonly white: number };
}

/** Patch brightness per frame: what region-brightness extraction of a video gives. */
export interface CameraBrightness {
  /** Mean 8-bit gamma-encoded value of the patch, one per frame. */
  readonly values: Float32Array;
  /**
   * Mean linear light of the patch's pixels, one per frame: what region brightness measures
   * (it undoes the gamma of every pixel, then averages). Not the linear light of `values`: when
   * a rolling shutter puts two display frames in one camera frame, the mean of the codes turned
   * into light is darker than the light of the pixels averaged.
   */
  readonly linear: Float32Array;
  /** Nominal frame rate (what the video file claims), fps. */
  readonly fps: number;
  /** Per-frame timestamps by the camera's clock, s (only when `timestamps` was set). */
  readonly times?: Float64Array;
  readonly truth: CameraTruth;
  readonly options: CameraChannelOptions;
}

/** One rendered frame. */
export interface CameraFrame {
  readonly index: number;
  /** Timestamp by the camera's clock (frame slot / nominal fps), s. */
  readonly timeS: number;
  /** width × height 8-bit luma, row-major; a fresh buffer per frame. */
  readonly luma: Uint8Array;
}

/** Samples of the patch's rows the fast path averages (rolling shutter varies only by row). */
const MAX_PATCH_ROWS = 64;

/**
 * Everything about a clip decided up front from the options and the seed: the display schedule,
 * frame timing, drops, drift, flicker phase, the background texture.
 */
class CameraModel {
  readonly opts: CameraChannelOptions;
  readonly display: DisplaySchedule;
  readonly truth: CameraTruth;
  /** Camera clock's slot number of each output frame. */
  readonly slots: Float64Array;
  /** The patch in pixels: columns [x0, x1), rows [y0, y1). */
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  private readonly dt: number;
  private readonly ae: SlowDrift;
  private readonly flickerPhase: number;
  private readonly textureSeed: number;

  constructor(levels: Uint8Array, options: Partial<CameraChannelOptions> | undefined, private readonly seed: number) {
    const o = resolveCameraOptions(options);
    this.opts = o;
    this.display = scheduleDisplay(levels, o, streamRandom(seed, Stream.display));
    const rng = streamRandom(seed, Stream.camera);
    const clock = 1 + o.cameraClockPpm * 1e-6;
    const nominalPeriod = 1 / o.cameraFps;
    let exposureNominal = o.exposureMs !== undefined ? o.exposureMs * 1e-3 : o.exposure * nominalPeriod;
    if (o.antiBandingHz > 0 && exposureNominal * o.antiBandingHz >= 1) {
      exposureNominal = Math.floor(exposureNominal * o.antiBandingHz + 1e-9) / o.antiBandingHz;
    }
    const framePeriodS = nominalPeriod / clock;
    const exposureS = exposureNominal / clock;
    const readoutS = (o.readoutMs !== undefined ? o.readoutMs * 1e-3 : o.readout * nominalPeriod) / clock;
    const durationS = this.display.durationS;
    const phaseS = (o.cameraPhase ?? rng.next()) * framePeriodS;
    this.x0 = Math.min(o.width - 1, Math.round(o.patch.x * o.width));
    this.y0 = Math.min(o.height - 1, Math.round(o.patch.y * o.height));
    this.x1 = Math.max(this.x0 + 1, Math.round((o.patch.x + o.patch.width) * o.width));
    this.y1 = Math.max(this.y0 + 1, Math.round((o.patch.y + o.patch.height) * o.height));

    // Frame slots whose last row finishes inside the simulated span; some are dropped.
    const lastRowEnd = readoutS + exposureS;
    const slotCount = Math.max(0, Math.floor((durationS - lastRowEnd - phaseS) / framePeriodS) + 1);
    const slots = new Float64Array(slotCount);
    const frameStartS = new Float64Array(slotCount);
    let frames = 0;
    for (let k = 0; k < slotCount; k++) {
      if (o.dropRate > 0 && rng.chance(o.dropRate)) continue;
      slots[frames] = k;
      frameStartS[frames++] = phaseS + k * framePeriodS;
    }
    this.slots = slots.subarray(0, frames);
    const starts = frameStartS.subarray(0, frames);
    this.flickerPhase = rng.uniform(0, 2 * Math.PI);
    this.ae = new SlowDrift(o.aeDriftPerS, durationS, rng);
    this.textureSeed = rng.uint32(); // the texture itself is drawn only when frames are rendered
    this.dt = 1 / (o.simulationRateHz ?? Math.max(20_000, 16 * o.pwmHz));

    const transmissions = this.display.transmissions.map((t) => ({
      ...t,
      startFrame: firstAtOrAfter(starts, t.startS),
      endFrame: firstAtOrAfter(starts, t.endS),
    }));
    const [black, grey, white] = this.display.levelLight;
    const nominal = (light: number): number => 255 * linearToSrgb(o.screenWhite * light + o.screenReflection);
    this.truth = {
      transmissionStartS: transmissions[0]!.startS,
      transmissionEndS: transmissions[transmissions.length - 1]!.endS,
      transmissions,
      durationS,
      frameStartS: starts,
      framePeriodS,
      exposureS,
      readoutS,
      refreshPeriodS: this.display.refreshPeriodS,
      heldLevels: transmissions.reduce((n, t) => n + t.heldLevels, 0),
      droppedFrames: slotCount - frames,
      patchPixels: { x0: this.x0, y0: this.y0, x1: this.x1, y1: this.y1 },
      nominalValues: { black: nominal(black), grey: nominal(grey), white: nominal(white) },
    };
  }

  /** A fresh exposure engine (the display is re-rendered from t = 0 each time). */
  expose(): FrameExposure {
    const { exposureS, readoutS, refreshPeriodS } = this.truth;
    const displayLight = new DisplayLight(this.display, this.opts);
    const lookback = readoutS + exposureS + refreshPeriodS + this.truth.framePeriodS;
    const integral = new LightIntegral(displayLight, this.dt, lookback, this.display.levelLight[0]);
    return new FrameExposure(this, integral);
  }

  /** The background's texture around 1 (a fresh array, width × height). */
  texture(): Float32Array {
    return makeTexture(this.opts.width, this.opts.height, this.opts.backgroundTexture, new Random(this.textureSeed));
  }

  /** Auto-exposure gain of a frame starting at `t`. */
  aeGain(t: number): number {
    return this.ae.at(t);
  }

  /** Mean room-light factor over [a, b]: 1 + depth × (mean of the flicker cosine). */
  roomLight(a: number, b: number): number {
    const { flickerDepth: depth, flickerHz } = this.opts;
    if (depth === 0 || flickerHz === 0 || b <= a) return 1;
    const w = 2 * Math.PI * flickerHz;
    return 1 + (depth * (Math.sin(w * b + this.flickerPhase) - Math.sin(w * a + this.flickerPhase))) / (w * (b - a));
  }

  noiseRandom(): Random {
    return streamRandom(this.seed, Stream.cameraNoise);
  }
}

/** Linear brightness of rows of one frame; stateful (renders the display forward), frames in order. */
class FrameExposure {
  constructor(
    private readonly model: CameraModel,
    private readonly integral: LightIntegral,
  ) {}

  /**
   * Linear value of the patch in row `row` of the frame whose first row starts at `start`,
   * with auto-exposure gain `gain`.
   */
  patchRow(start: number, row: number, gain: number): number {
    const m = this.model;
    const o = m.opts;
    const { readoutS, exposureS, refreshPeriodS } = m.truth;
    const { y0, y1 } = m;
    const a = start + ((row + 0.5) / o.height) * readoutS;
    const b = a + exposureS;
    // The display reaches this row of the patch later in its own scan.
    const scanDelay = o.displayScan * refreshPeriodS * ((row + 0.5 - y0) / (y1 - y0));
    const screen = this.integral.mean(a - scanDelay, b - scanDelay) / m.display.meanDuty;
    return gain * (o.screenWhite * screen + o.screenReflection * m.roomLight(a, b));
  }

  /** Room-light factor × gain of row `row` (the background's brightness before texture). */
  roomRow(start: number, row: number, gain: number): number {
    const m = this.model;
    const a = start + ((row + 0.5) / m.opts.height) * m.truth.readoutS;
    return gain * m.roomLight(a, a + m.truth.exposureS);
  }
}

/** Per-frame patch brightness (8-bit, gamma-encoded): the fast path for decode sweeps. */
export function simulateCameraBrightness(levels: Uint8Array, options?: Partial<CameraChannelOptions>, seed = 1): CameraBrightness {
  const model = new CameraModel(levels, options, seed);
  const exposure = model.expose();
  const noise = model.noiseRandom();
  const { truth, opts } = model;
  const { x0, y0, x1, y1 } = model;
  const rows = Math.min(MAX_PATCH_ROWS, y1 - y0);
  // Averaging N pixels divides their independent noise by √N.
  const meanNoise = opts.pixelNoise / Math.sqrt((y1 - y0) * (x1 - x0));
  const values = new Float32Array(truth.frameStartS.length);
  const linear = new Float32Array(truth.frameStartS.length);
  for (let f = 0; f < values.length; f++) {
    const start = truth.frameStartS[f]!;
    const gain = model.aeGain(start);
    let sum = 0;
    let light = 0;
    for (let k = 0; k < rows; k++) {
      const row = y0 + Math.floor(((k + 0.5) * (y1 - y0)) / rows);
      const code = encode8(exposure.patchRow(start, row, gain));
      sum += code;
      light += srgbCodeToLinear(code);
    }
    const mean = sum / rows;
    const n = meanNoise > 0 ? meanNoise * noise.normal() : 0;
    values[f] = mean + n;
    // The same noise, carried into light at the slope of the transfer curve where the patch is.
    linear[f] = light / rows + (srgbCodeToLinear(mean + n) - srgbCodeToLinear(mean));
  }
  const result = { values, linear, fps: opts.cameraFps, truth, options: opts };
  if (!opts.timestamps) return result;
  const times = new Float64Array(model.slots.length);
  for (let f = 0; f < times.length; f++) times[f] = model.slots[f]! / opts.cameraFps;
  return { ...result, times };
}

/** A rendered clip: metadata plus frames, re-rendered identically on every iteration. */
export interface CameraClip extends Iterable<CameraFrame> {
  readonly width: number;
  readonly height: number;
  /** Nominal frame rate, fps. */
  readonly fps: number;
  readonly frameCount: number;
  readonly truth: CameraTruth;
  readonly options: CameraChannelOptions;
}

/**
 * Whole luma frames of a scene: a textured background lit by (flickering) room light and the
 * flashing patch, with rolling shutter, auto-exposure drift and pixel noise. Frames are
 * rendered lazily while iterating, one at a time.
 */
export function cameraFrames(levels: Uint8Array, options?: Partial<CameraChannelOptions>, seed = 1): CameraClip {
  const model = new CameraModel(levels, options, seed);
  const { opts, truth } = model;
  return {
    width: opts.width,
    height: opts.height,
    fps: opts.cameraFps,
    frameCount: truth.frameStartS.length,
    truth,
    options: opts,
    [Symbol.iterator]: () => renderFrames(model),
  };
}

const NOISE_TABLE_SIZE = 1 << 17;

function* renderFrames(model: CameraModel): Generator<CameraFrame, void, undefined> {
  const { opts, truth, x0, y0, x1, y1 } = model;
  const texture = model.texture();
  const { width, height } = opts;
  const exposure = model.expose();
  const rng = model.noiseRandom();
  // Pixel noise from a table of normal deviates walked with a random start and odd stride per
  // frame: per-pixel Box–Muller would cost more than everything else in the frame.
  const noise = new Float32Array(NOISE_TABLE_SIZE);
  for (let i = 0; i < noise.length; i++) noise[i] = opts.pixelNoise * rng.normal();
  const mask = NOISE_TABLE_SIZE - 1;
  const background = opts.background;
  for (let f = 0; f < truth.frameStartS.length; f++) {
    const start = truth.frameStartS[f]!;
    const gain = model.aeGain(start);
    const luma = new Uint8Array(width * height);
    let n = rng.int(0, mask);
    const stride = 2 * rng.int(0, mask >>> 1) + 1;
    for (let y = 0; y < height; y++) {
      const room = background * exposure.roomRow(start, y, gain);
      const inPatch = y >= y0 && y < y1;
      const screen = inPatch ? encode8(exposure.patchRow(start, y, gain)) : 0;
      const row = y * width;
      for (let x = 0; x < width; x++) {
        const clean = inPatch && x >= x0 && x < x1 ? screen : encode8(room * texture[row + x]!);
        const v = Math.round(clean + noise[n & mask]!);
        n += stride;
        luma[row + x] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
    yield { index: f, timeS: model.slots[f]! / opts.cameraFps, luma };
  }
}

/** A gentle background: smooth shading plus fine random grain around 1, contrast `amount`. */
function makeTexture(width: number, height: number, amount: number, rng: Random): Float32Array {
  const texture = new Float32Array(width * height);
  const fx = rng.uniform(1, 3) / width;
  const fy = rng.uniform(1, 3) / height;
  const phase = rng.uniform(0, 2 * Math.PI);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const shade = Math.sin(2 * Math.PI * (fx * x + fy * y) + phase);
      texture[y * width + x] = Math.max(0, 1 + amount * (0.6 * shade + 0.4 * rng.uniform(-1, 1)));
    }
  }
  return texture;
}

/** Linear → sRGB-encoded 8-bit value (not rounded), by table: encoding is the per-pixel hot path. */
const ENCODE_STEPS = 1 << 16;
let encodeTable: Float32Array | undefined;

function encode8(linear: number): number {
  if (encodeTable === undefined) {
    encodeTable = new Float32Array(ENCODE_STEPS + 1);
    for (let i = 0; i <= ENCODE_STEPS; i++) encodeTable[i] = 255 * linearToSrgb(i / ENCODE_STEPS);
  }
  if (!(linear > 0)) return 0;
  if (linear >= 1) return 255;
  return encodeTable[Math.round(linear * ENCODE_STEPS)]!;
}

