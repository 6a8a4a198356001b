/**
 * Stage 0 — mains-flicker cancelling, before conditioning.
 *
 * Room light powered from the mains flickers at twice its frequency (100 Hz in 50 Hz countries,
 * 120 Hz in 60 Hz ones) and adds a sinusoid to everything the sensor sees. Deep flicker in bright
 * rooms swings by a large part of the screen's own swing: dark gaps then bulge into false pulses
 * and grey pulses dip towards black. The later stages only tolerate a little of it, so here the
 * sinusoid is measured and subtracted.
 *
 * The flicker is one steady sinusoid for the whole capture — the mains frequency holds to 0.1 %
 * — but the sampler's clock may be off by up to ±3 %, so at the nominal rate it appears anywhere
 * in 97–103 Hz or 116–124 Hz. It is found by complex demodulation: the samples are multiplied by
 * a rotating phasor at the flicker frequency and summed over analysis blocks of 50 ms (five and
 * six whole cycles), each block giving the sinusoid's complex amplitude. A frequency that is a
 * little off makes that amplitude turn from block to block; the turn gives the correction.
 *
 * The flashing screen has energy near 100 and 120 Hz too, but it is spread over the spectrum by
 * the random data and, block to block, turns the amplitude at random; the flicker turns it by the
 * same angle every block. So detection asks for a consistent turn (coherence) as well as size,
 * and tracking averages the amplitude over several blocks, which leaves the screen's part small.
 *
 * Cost: without flicker the stage only looks, a few hundred milliseconds at the start of the
 * stream and again every few seconds, and passes the caller's samples through untouched. Once
 * flicker is found every sample costs a phasor rotation and a subtraction, written straight to
 * where the next stage keeps its samples (the conditioner's history ring), so nothing is copied
 * twice. Memory is a few numbers, however long the stream.
 */
import { BLOCK, MAX_ABS_SAMPLE, RESTART_INTERVALS } from './condition.js';

/** Flicker frequencies of room light: twice the mains frequency, Hz. */
export const FLICKER_FAMILIES_HZ = [100, 120] as const;
/** Lowest sample rate at which 120 Hz is measured with margin (Nyquist at 240 Hz); below it (a camera) the stage is off. */
export const MIN_FLICKER_RATE = 400;

/** Analysis block, seconds: a whole number of cycles of both 100 Hz (5) and 120 Hz (6). */
const ANALYSIS_BLOCK_S = 0.05;
/** Blocks a detection looks at: long enough to see the turn repeat, short enough to fit a lead-in. */
const DETECT_BLOCKS = 5;
/**
 * Without flicker, look again after this long (a light switched on mid-stream) — but not while a
 * transmission is being received (see `Reception`): the flash has energy near 100 and 120 Hz of
 * its own, most of all at 120 fps, where its bright/dark alternation has its second harmonic at
 * 120 Hz (strong where slow pixels or a clipping sensor make bright last longer than dark), and a
 * recheck in the middle of it found that line, or a chance one near 100 Hz, and cancelled it.
 * Room light present before the flash was found before it.
 */
const RECHECK_S = 6;
/**
 * Flicker is cancelled once its amplitude exceeds ON of the signal's span, and left alone again
 * below OFF. A little flicker costs the later stages nothing, and the screen's own harmonics at
 * 120 Hz (a 120 fps display shows about 0.06 of its swing there) must not pass for flicker.
 */
const ON_FRACTION = 0.1;
const OFF_FRACTION = 0.05;
/** A detection's block-to-block turns must agree this well (1: identical; random ≈ 1/√blocks). */
const MIN_COHERENCE = 0.8;
/** The span is the largest recent peak-to-peak, forgotten with this time constant, s. */
const SPAN_MEMORY_S = 10;
/** Share of each block's amplitude in the tracked amplitude (≈ 3-block average). */
const AMPLITUDE_GAIN = 0.3;
/** Share of each block's frequency error corrected: 1/blocks tracked, but never below this. */
const MIN_FREQUENCY_GAIN = 0.02;
/**
 * Largest sampler clock error a flicker frequency may imply (a little beyond the ±3 % covered).
 * It also keeps the screen's own harmonics out: at 60 fps its black/bright alternation has lines
 * at 90 and 150 Hz, at 20 fps at 90, 110 and 130 Hz — 10 % or more from either family.
 */
const MAX_CLOCK_ERROR = 0.035;
/** Phase steps above this many radians are rotated exactly; below, a fifth-order series is exact enough. */
const SERIES_LIMIT = 1;

const enum Mode {
  /** Passing samples through; looks again after RECHECK_S. */
  IDLE,
  /** Demodulating at both families' nominal frequencies for DETECT_BLOCKS blocks. */
  DETECT,
  /** Subtracting the tracked sinusoid. */
  CANCEL,
}

/** Whether a transmission is being received, asked before each new look for flicker (see RECHECK_S). */
export interface Reception {
  readonly receiving: boolean;
}

/** What the stage measured: the tracked flicker, while it is being cancelled. */
export interface FlickerMeasurement {
  /** Family (100 or 120 Hz) and apparent frequency on the sampler's nominal clock, Hz. */
  readonly familyHz: number;
  readonly hz: number;
  /** Amplitude of the sinusoid (half its peak-to-peak), input units. */
  readonly amplitude: number;
}

/**
 * A phasor e^{jθ} turning at `hz` with the samples, and the sums of one analysis block:
 * Σx, Σx·cos θ, Σx·sin θ, Σcos θ, Σsin θ over its valid samples.
 */
class Demodulator {
  hz: number;
  cos = 1;
  sin = 0;
  /** Rotation per sample for the last step length (recomputed when the step changes). */
  private stepDt = Number.NaN;
  private stepCos = 1;
  private stepSin = 0;
  n = 0;
  sx = 0;
  sxc = 0;
  sxs = 0;
  sc = 0;
  ss = 0;

  constructor(hz: number) {
    this.hz = hz;
  }

  /**
   * Runs the phasor over `chunk[from, to)`, turning it by 2π·hz·`step` before each sample, and
   * adds each valid sample to the block sums at its phase. With `out`, also writes each valid
   * sample `chunk[i]` less the sinusoid `amp` (re, im) at its phase to `out[(i − base) & mask]`,
   * and an invalid one as it is. One step for the whole stretch (see `FlickerCanceller.demodulate`):
   * the rotation is worked out before the loop, so no call sits in it to push the sums out of
   * registers. The phasor and the sums stay in locals through the loop and go back to the fields
   * at its end: kept in fields, each would cost a load and a store on every sample.
   */
  demodulate(chunk: ArrayLike<number>, from: number, to: number, step: number, out: Float64Array | null, base: number, mask: number, ampRe: number, ampIm: number): void {
    // Read once as a float (an imported binding would be checked and unboxed on every read).
    const top = +MAX_ABS_SAMPLE;
    const bottom = -top;
    if (step !== this.stepDt) this.setStep(step);
    const stepCos = this.stepCos;
    const stepSin = this.stepSin;
    // The arguments typed once, here (`| 0`: an integer, `+`: a float): left as they came, the
    // loop would check and unbox each of them on every sample, and keep `i` tagged.
    const start = from | 0;
    const end = to | 0;
    const shift = base | 0;
    const wrap = mask | 0;
    const re = +ampRe;
    const im = +ampIm;
    let { cos, sin, n, sx, sxc, sxs, sc, ss } = this;
    for (let i = start; i < end; i++) {
      const c = cos;
      cos = c * stepCos - sin * stepSin;
      sin = sin * stepCos + c * stepSin;
      const x = +chunk[i]!;
      if (x >= bottom && x <= top) {
        n++;
        sx += x;
        sxc += x * cos;
        sxs += x * sin;
        sc += cos;
        ss += sin;
        if (out !== null) out[(i - shift) & wrap] = x - (re * cos - im * sin);
      } else if (out !== null) {
        out[(i - shift) & wrap] = x; // the conditioner skips it
      }
    }
    this.cos = cos;
    this.sin = sin;
    this.n = n;
    this.sx = sx;
    this.sxc = sxc;
    this.sxs = sxs;
    this.sc = sc;
    this.ss = ss;
  }

  /**
   * The block's complex amplitude a + jb, such that the block is best matched by
   * mean + a·cos θ − b·sin θ (= mean + Re((a + jb)·e^{jθ})); resets the sums and renormalises the
   * phasor (rounding in the recurrence must not build up). False if the block had too few samples.
   */
  closeBlock(out: Float64Array, minSamples: number): boolean {
    const n = this.n;
    const ok = n >= minSamples;
    if (ok) {
      const mean = this.sx / n;
      out[0] = (2 * (this.sxc - mean * this.sc)) / n;
      out[1] = (-2 * (this.sxs - mean * this.ss)) / n;
    }
    this.n = 0;
    this.sx = this.sxc = this.sxs = this.sc = this.ss = 0;
    const norm = 1 / hypot(this.cos, this.sin);
    this.cos *= norm;
    this.sin *= norm;
    return ok;
  }

  /** Starts afresh at phase 0 and frequency `hz`. */
  restart(hz: number): void {
    this.hz = hz;
    this.cos = 1;
    this.sin = 0;
    this.stepDt = Number.NaN;
    this.n = 0;
    this.sx = this.sxc = this.sxs = this.sc = this.ss = 0;
  }

  /** Changes the frequency, keeping the phase. */
  retune(hz: number): void {
    this.hz = hz;
    this.stepDt = Number.NaN;
  }

  private setStep(dt: number): void {
    const a = 2 * Math.PI * this.hz * dt;
    this.stepDt = dt;
    if (a > SERIES_LIMIT || a < -SERIES_LIMIT) {
      this.stepCos = Math.cos(a);
      this.stepSin = Math.sin(a);
      return;
    }
    const a2 = a * a;
    this.stepCos = 1 - (a2 / 2) * (1 - (a2 / 12) * (1 - a2 / 30));
    this.stepSin = a * (1 - (a2 / 6) * (1 - a2 / 20));
  }
}

export class FlickerCanceller {
  /** The times of the cleaned piece when it came with them (valid only right after `clean` returned true). */
  readonly times = new Float64Array(BLOCK);
  /**
   * The largest reading of the cleaned piece, as the sensor gave it (NaN and values above
   * MAX_ABS_SAMPLE left out; −Infinity if none): full scale and saturation are properties of the
   * readings, not of the cleaned signal, and this stage reads every one of them anyway.
   */
  readingsMax = -Infinity;
  private mode = Mode.DETECT;
  /** Nominal sample interval, s (steps of samples without timestamps). */
  private readonly dt: number;
  /** Samples per analysis block. */
  private readonly blockLength: number;
  /** One demodulator per family while detecting; the first one tracks while cancelling. */
  private readonly demods = FLICKER_FAMILIES_HZ.map((hz) => new Demodulator(hz));
  private family = 0;
  /** Samples into the current block, and blocks into the current detection or lock. */
  private blockFill = 0;
  private blocks = 0;
  /** Time of the last sample seen (for steps between timestamps), s. */
  private lastTime = Number.NaN;
  /** Stream time, s, and when the last detection ended. */
  private now = 0;
  private idleSince = 0;
  /** Tracked complex amplitude (re, im) of the flicker at the demodulator's phase. */
  private ampRe = 0;
  private ampIm = 0;
  /** Per family while detecting: the previous block's amplitude, Σ B_k·conj(B_{k−1}), Σ |B_k|·|B_{k−1}|, Σ of the blocks turned back to the latest. */
  private readonly detect = new Float64Array(6 * FLICKER_FAMILIES_HZ.length);
  /** Previous block's amplitude while cancelling. */
  private prevRe = Number.NaN;
  private prevIm = 0;
  /** Extremes of the current block's output, and the signal's span (decaying largest peak-to-peak). */
  private low = Infinity;
  private high = -Infinity;
  private span = 0;
  private readonly block = new Float64Array(2);
  /** The steps to the samples of the current stretch, s (see `measureSteps`). */
  private readonly steps = new Float64Array(BLOCK);
  private lastCancelled: FlickerMeasurement | null = null;

  /** Whether a transmission is being received (null: never; see RECHECK_S). */
  private readonly reception: Reception | null;

  /** `reception`: the framer, which knows whether a transmission is being received. */
  constructor(sampleRate: number, reception: Reception | null = null) {
    this.dt = 1 / sampleRate;
    this.reception = reception;
    this.blockLength = Math.max(8, Math.round(ANALYSIS_BLOCK_S * sampleRate));
    this.startDetecting();
  }

  /** The stage reads the samples as light (it is looking for flicker or cancelling it), rather than only passing them through. */
  get reading(): boolean {
    return this.mode !== Mode.IDLE;
  }

  /** True when the stage can see mains flicker at this rate at all. */
  static applies(sampleRate: number): boolean {
    return sampleRate >= MIN_FLICKER_RATE;
  }

  /** The flicker being cancelled, or the last one cancelled before it faded; null if there never was any. */
  get measurement(): FlickerMeasurement | null {
    if (this.mode !== Mode.CANCEL) return this.lastCancelled;
    return { familyHz: FLICKER_FAMILIES_HZ[this.family]!, hz: this.demods[0]!.hz, amplitude: Math.hypot(this.ampRe, this.ampIm) };
  }

  /**
   * Looks at `chunk[from, to)` (at most BLOCK samples; `times` in seconds or null for the nominal
   * clock). Returns true when it wrote the piece with the flicker subtracted to `out` — from slot
   * `at` on, wrapping at the end of `out`, whose length is a power of two: the conditioner's
   * history ring (see `Conditioner.nextSlot`) — and its times to `times` (from index 0), and noted
   * `readingsMax`; false when the caller's samples pass through as they are.
   */
  clean(chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, to: number, out: Float64Array, at: number): boolean {
    this.readingsMax = -Infinity;
    if (this.mode === Mode.IDLE) {
      this.skip(times, from, to);
      if (this.now - this.idleSince >= RECHECK_S && !(this.reception !== null && this.reception.receiving)) this.startDetecting();
      return false;
    }
    let start = from;
    if (this.mode === Mode.DETECT) {
      start = this.look(chunk, times, from, to);
      const decided = this.mode as Mode; // look() may have ended the detection
      if (decided === Mode.IDLE) this.skip(times, start, to);
      if (decided !== Mode.CANCEL) return false;
      // Found: the piece so far is cleaned too, with the sinusoid traced back from where it was found.
      this.cancelBackwards(chunk, times, from, start, out, at);
    }
    this.cancel(chunk, times, start, to, out, from - at);
    if (times !== null) for (let i = from; i < to; i++) this.times[i - from] = +times[i]!;
    return true;
  }

  /** Idle: only the clock moves. */
  private skip(times: ArrayLike<number> | null, from: number, to: number): void {
    if (times === null) {
      this.now += (to - from) * this.dt;
      this.lastTime = Number.NaN;
      return;
    }
    for (let i = to - 1; i >= from; i--) {
      const t = +times[i]!;
      if (t >= -MAX_ABS_SAMPLE && t <= MAX_ABS_SAMPLE) {
        this.now += Number.isNaN(this.lastTime) ? (to - from) * this.dt : Math.max(0, t - this.lastTime);
        this.lastTime = t;
        return;
      }
    }
  }

  /** Step to sample `i`, s: the difference of timestamps (the nominal interval after a gap in them, 0 for a bad one). */
  private step(times: ArrayLike<number>, i: number): number {
    const t = +times[i]!;
    if (!(t >= -MAX_ABS_SAMPLE && t <= MAX_ABS_SAMPLE)) return 0;
    const last = this.lastTime;
    this.lastTime = t;
    // (Timestamps that jump back restarted: the decoder places what follows right after, see Conditioner.)
    return Number.isNaN(last) || t < last - RESTART_INTERVALS * this.dt ? this.dt : t - last;
  }

  private startDetecting(): void {
    this.mode = Mode.DETECT;
    FLICKER_FAMILIES_HZ.forEach((hz, k) => this.demods[k]!.restart(hz));
    this.detect.fill(0);
    for (let k = 0; k < FLICKER_FAMILIES_HZ.length; k++) this.detect[6 * k] = Number.NaN;
    this.blockFill = 0;
    this.blocks = 0;
    this.low = Infinity;
    this.high = -Infinity;
  }

  /**
   * Detecting: demodulate at both families' nominal frequencies. Returns where it stopped: `to`,
   * or just after the block that ended the detection.
   */
  private look(chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, to: number): number {
    let i = from;
    while (i < to) {
      // Up to the end of the analysis block, in passes with few running values each (they stay in
      // registers): the clock, the extremes, then each family's demodulator.
      const end = Math.min(to, i + this.blockLength - this.blockFill);
      this.measureSteps(times, i, end);
      this.noteReadings(chunk, i, end);
      for (const d of this.demods) this.demodulate(d, chunk, times, i, end, null, 0, 0);
      this.blockFill += end - i;
      i = end;
      if (this.blockFill === this.blockLength) {
        this.blockFill = 0;
        this.noteDetectionBlock();
        if (this.mode !== Mode.DETECT) return i;
      }
    }
    return to;
  }

  /**
   * The clock moved on over the samples `from … to − 1`; with timestamps, their steps into `steps`
   * (see `step`). On the nominal clock every step is the sampling interval.
   */
  private measureSteps(times: ArrayLike<number> | null, from: number, to: number): void {
    let now = this.now;
    if (times === null) {
      const dt = this.dt;
      for (let i = from; i < to; i++) now += dt; // sample by sample: the same sum as with steps
      this.now = now;
      return;
    }
    const steps = this.steps;
    for (let i = from; i < to; i++) {
      const dt = this.step(times, i);
      steps[i - from] = dt;
      now += dt;
    }
    this.now = now;
  }

  /**
   * Runs demodulator `d` over `chunk[from, to)` (see `Demodulator.demodulate`; `out` while
   * cancelling): on the nominal clock in one stretch, with timestamps in stretches of equal steps
   * (`steps`, see `measureSteps`), as each step length needs its own rotation.
   */
  private demodulate(d: Demodulator, chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, to: number, out: Float64Array | null, base: number, mask: number): void {
    if (times === null) {
      d.demodulate(chunk, from, to, this.dt, out, base, mask, this.ampRe, this.ampIm);
      return;
    }
    const steps = this.steps;
    let i = from;
    while (i < to) {
      const step = steps[i - from]!;
      let end = i + 1;
      while (end < to && steps[end - from] === step) end++;
      d.demodulate(chunk, i, end, step, out, base, mask, this.ampRe, this.ampIm);
      i = end;
    }
  }

  /** Detecting: widens `low`/`high` to the extremes of the valid readings `chunk[from, to)`, and `readingsMax` to their largest. */
  private noteReadings(chunk: ArrayLike<number>, from: number, to: number): void {
    // Read once as a float (an imported binding would be checked and unboxed on every read).
    const top = +MAX_ABS_SAMPLE;
    const bottom = -top;
    let { low, high, readingsMax } = this;
    for (let i = from; i < to; i++) {
      const x = +chunk[i]!;
      if (x > readingsMax && x <= top) readingsMax = x;
      if (!(x >= bottom && x <= top)) continue;
      if (x < low) low = x;
      if (x > high) high = x;
    }
    this.low = low;
    this.high = high;
    this.readingsMax = readingsMax;
  }

  /**
   * Cancelling: widens `low`/`high` to the extremes of the output `out[(i − base) & mask]` over
   * the valid readings `chunk[i]`, i in [from, to), and `readingsMax` to the largest reading.
   */
  private noteExtremes(chunk: ArrayLike<number>, from: number, to: number, out: Float64Array, base: number, mask: number): void {
    const top = +MAX_ABS_SAMPLE;
    const bottom = -top;
    let { low, high, readingsMax } = this;
    for (let i = from; i < to; i++) {
      const x = +chunk[i]!;
      if (x > readingsMax && x <= top) readingsMax = x;
      if (!(x >= bottom && x <= top)) continue;
      const v = out[(i - base) & mask]!;
      if (v < low) low = v;
      if (v > high) high = v;
    }
    this.low = low;
    this.high = high;
    this.readingsMax = readingsMax;
  }

  /**
   * Writes `chunk[from, end)` less the flicker to `out` from slot `at` on (wrapping), going back
   * in time from the sample before `end`, where the tracker's phase is known. Once per detection,
   * so the phases are computed outright.
   */
  private cancelBackwards(chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, end: number, out: Float64Array, at: number): void {
    const mask = out.length - 1;
    const d = this.demods[0]!;
    const omega = 2 * Math.PI * d.hz;
    const last = end - 1;
    const lastTime = times === null ? 0 : +times[last]!;
    for (let i = from; i < end; i++) {
      const x = +chunk[i]!;
      const t = times === null ? 0 : +times[i]!;
      const back = times === null ? (last - i) * this.dt : t >= -MAX_ABS_SAMPLE && t <= MAX_ABS_SAMPLE ? lastTime - t : 0;
      // e^{jθ_i} = e^{jθ_last}·e^{−jω·back}
      const c = Math.cos(omega * back);
      const s = Math.sin(omega * back);
      const cos = d.cos * c + d.sin * s;
      const sin = d.sin * c - d.cos * s;
      out[(at + i - from) & mask] = x >= -MAX_ABS_SAMPLE && x <= MAX_ABS_SAMPLE ? x - (this.ampRe * cos - this.ampIm * sin) : x;
    }
  }

  /** One detection block closed: note each family's amplitude and its turn since the previous block. */
  private noteDetectionBlock(): void {
    const minSamples = this.blockLength >> 1;
    const b = this.block;
    for (let k = 0; k < this.demods.length; k++) {
      const s = 6 * k;
      const det = this.detect;
      if (!this.demods[k]!.closeBlock(b, minSamples)) continue;
      const re = b[0]!;
      const im = b[1]!;
      const pRe = det[s]!;
      const pIm = det[s + 1]!;
      if (!Number.isNaN(pRe)) {
        // B_k·conj(B_{k−1}): its angle is the turn per block, its size the flicker's power.
        const tRe = re * pRe + im * pIm;
        const tIm = im * pRe - re * pIm;
        det[s + 2]! += tRe;
        det[s + 3]! += tIm;
        det[s + 4]! += hypot(re, im) * hypot(pRe, pIm);
      }
      det[s] = re;
      det[s + 1] = im;
    }
    if (++this.blocks >= DETECT_BLOCKS) this.decide();
  }

  /**
   * The detection window is over: the family with the larger consistent turn is flicker if it is
   * both coherent and large against the signal's span. Its frequency is corrected by the turn,
   * and its amplitude is the last block's (the turn makes earlier blocks stale).
   */
  private decide(): void {
    const det = this.detect;
    let best = -1;
    let bestPower = 0;
    for (let k = 0; k < this.demods.length; k++) {
      const s = 6 * k;
      const power = Math.hypot(det[s + 2]!, det[s + 3]!);
      const offset = this.turnToHz(Math.atan2(det[s + 3]!, det[s + 2]!));
      const plausible = Math.abs(offset) <= MAX_CLOCK_ERROR * FLICKER_FAMILIES_HZ[k]!;
      if (plausible && power > bestPower && power >= MIN_COHERENCE * det[s + 4]!) {
        best = k;
        bestPower = power;
      }
    }
    const amplitude = Math.sqrt(bestPower / (DETECT_BLOCKS - 1));
    this.noteSpan(this.high - this.low - 2 * amplitude, DETECT_BLOCKS * ANALYSIS_BLOCK_S);
    // A sinusoid of that amplitude would move the readings by nearly twice as much: readings that
    // moved less hold none (a constant input's rounding noise demodulates to ~1e-14 against a
    // span of 0, which the first test alone would take for flicker).
    if (best < 0 || !(amplitude > ON_FRACTION * this.span) || !(this.high - this.low >= amplitude)) {
      this.goIdle();
      return;
    }
    const s = 6 * best;
    const turn = Math.atan2(det[s + 3]!, det[s + 2]!);
    const demod = this.demods[best]!;
    this.family = best;
    // The tracking demodulator is demods[0]: hand it the winner's phase.
    const tracker = this.demods[0]!;
    tracker.cos = demod.cos;
    tracker.sin = demod.sin;
    tracker.retune(FLICKER_FAMILIES_HZ[best]! + this.turnToHz(turn));
    // The last block's amplitude was measured at its middle; by its end the flicker turned half a block's turn more.
    const half = turn / 2;
    this.ampRe = det[s]! * Math.cos(half) - det[s + 1]! * Math.sin(half);
    this.ampIm = det[s]! * Math.sin(half) + det[s + 1]! * Math.cos(half);
    this.prevRe = Number.NaN;
    this.blocks = 0;
    this.mode = Mode.CANCEL;
    this.low = Infinity;
    this.high = -Infinity;
  }

  /** A turn of the amplitude from one block to the next, radians → the frequency error it shows, Hz. */
  private turnToHz(turn: number): number {
    return turn / (2 * Math.PI * this.blockLength * this.dt);
  }

  private goIdle(): void {
    if (this.mode === Mode.CANCEL) this.lastCancelled = this.measurement;
    this.mode = Mode.IDLE;
    this.idleSince = this.now;
  }

  /** The span decays over SPAN_MEMORY_S; a larger peak-to-peak replaces it. */
  private noteSpan(peakToPeak: number, durationS: number): void {
    this.span *= Math.exp(-durationS / SPAN_MEMORY_S);
    if (peakToPeak > this.span) this.span = peakToPeak;
  }

  /** Cancelling: `chunk[i]` less the tracked sinusoid into `out[(i − base) & (out.length − 1)]` for i in [from, to), tracking it on. */
  private cancel(chunk: ArrayLike<number>, times: ArrayLike<number> | null, from: number, to: number, out: Float64Array, base: number): void {
    const mask = out.length - 1;
    const d = this.demods[0]!;
    let i = from;
    while (i < to) {
      // Up to the end of the analysis block, in passes with few running values each (they stay in
      // registers): the clock, the tracker (which writes the output), the output's extremes.
      const end = Math.min(to, i + this.blockLength - this.blockFill);
      this.measureSteps(times, i, end);
      this.demodulate(d, chunk, times, i, end, out, base, mask);
      this.noteExtremes(chunk, i, end, out, base, mask);
      this.blockFill += end - i;
      i = end;
      if (this.blockFill === this.blockLength) {
        this.blockFill = 0;
        this.noteTrackingBlock();
        if (this.mode !== Mode.CANCEL) {
          // The flicker faded: the rest of the piece is copied as it is.
          let readingsMax = this.readingsMax;
          for (let k = i; k < to; k++) {
            const x = +chunk[k]!;
            out[(k - base) & mask] = x;
            if (x > readingsMax && x <= MAX_ABS_SAMPLE) readingsMax = x;
          }
          this.readingsMax = readingsMax;
          this.skip(times, i, to);
          return;
        }
      }
    }
  }

  /**
   * One tracking block closed: correct the frequency by the block-to-block turn (strongly at
   * first, then as a running mean), move the amplitude towards the block's, and let the stage go
   * idle when the flicker has become small against the signal.
   */
  private noteTrackingBlock(): void {
    const d = this.demods[0]!;
    const b = this.block;
    if (d.closeBlock(b, this.blockLength >> 1)) {
      const re = b[0]!;
      const im = b[1]!;
      if (!Number.isNaN(this.prevRe)) {
        const turn = Math.atan2(im * this.prevRe - re * this.prevIm, re * this.prevRe + im * this.prevIm);
        const gain = Math.max(MIN_FREQUENCY_GAIN, 1 / (this.blocks + 1));
        d.retune(d.hz + gain * this.turnToHz(turn));
      }
      // A tracker that wandered off its family (lost to noise, or following the screen) lets go.
      const family = FLICKER_FAMILIES_HZ[this.family]!;
      if (!(Math.abs(d.hz - family) <= MAX_CLOCK_ERROR * family)) {
        this.goIdle();
        return;
      }
      this.prevRe = re;
      this.prevIm = im;
      this.ampRe += AMPLITUDE_GAIN * (re - this.ampRe);
      this.ampIm += AMPLITUDE_GAIN * (im - this.ampIm);
      this.blocks++;
    }
    if (this.high >= this.low) this.noteSpan(this.high - this.low, ANALYSIS_BLOCK_S);
    this.low = Infinity;
    this.high = -Infinity;
    const amplitude = hypot(this.ampRe, this.ampIm);
    if (!(amplitude >= OFF_FRACTION * this.span)) this.goIdle();
  }
}

/**
 * √(x² + y²) exactly as V8's Math.hypot computes it for two arguments (scaled by the larger, so
 * nothing overflows), but as plain arithmetic the compiler inlines: the builtin takes boxed
 * arguments and allocates a scratch array on every call (several calls a block).
 */
function hypot(x: number, y: number): number {
  const a = Math.abs(x);
  const b = Math.abs(y);
  if (a === Infinity || b === Infinity) return Infinity;
  if (a !== a || b !== b) return Number.NaN;
  const max = a > b ? a : b;
  if (max === 0) return 0;
  const p = a / max;
  const q = b / max;
  return Math.sqrt(p * p + q * q) * max;
}
