/** The verdicts of `analyze` and the hint of `decode`, at and around each threshold. */
import { describe, expect, it } from 'vitest';
import type { DecodeEvent, SignalReport } from '../../src/decoder/types.js';
import { EventTally, type DecodeRun } from '../../src/cli/decode-capture.js';
import { SampleStats } from '../../src/cli/sample-stats.js';
import { adviseSignal, noPacketReason, type Advice, type SignalFacts } from '../../src/cli/signal-advice.js';

/** A healthy 12-bit capture at 1 kHz of 60 fps flashing. */
const HEALTHY: SignalReport = {
  black: 600, grey: 1200, white: 1800, levelsOutOfOrder: false, swing: 1200, swingFraction: 1200 / 4095, fullScale: 4095,
  noiseRms: 2, snrDb: 55.6, greyWhiteSeparation: 0.5, marginSigmas: 30, greyRatio: 0.5,
  minConfidence: 0.9, meanConfidence: 0.98, saturationFraction: 0, fps: 60, nominalFps: 60,
  clockErrorPpm: 200, heldLevels: 10, ambiguousPeriods: 0, timedPeriods: 400, pulses: 430, samples: 15000, nonFiniteSamples: 0, missingFrames: 0, glitchSamples: 0, timestampRestarts: 0,
  flasherStalls: 0, lightSteps: 0, pwmSamples: 0, rippleRuns: 0,
  packets: 1, failures: 0, syncLosses: 0,
};
const UNLEARNED: SignalReport = { ...HEALTHY, black: NaN, grey: NaN, white: NaN, swing: NaN, swingFraction: NaN, greyWhiteSeparation: NaN, marginSigmas: NaN, packets: 0 };

function advise(report: Partial<SignalReport>, facts: Partial<SignalFacts> = {}): Advice[] {
  return adviseSignal({ report: { ...HEALTHY, ...report }, min: 500, max: 2000, durationS: 15, sampleRate: 1000, camera: false, ...facts });
}

const texts = (advice: Advice[], severity: Advice['severity']): string[] => advice.filter((a) => a.severity === severity).map((a) => a.text);

describe('a decoded signal', () => {
  it('healthy: good signal and nothing else', () => {
    expect(advise({})).toEqual([{ severity: 'good', text: 'good signal: swing 0.29 of full scale, SNR 56 dB, decision margin 30.0 σ' }]);
  });

  it('a sound signal whose transmissions all broke off is no good signal', () => {
    const brokeOff = advise({ packets: 0, syncLosses: 1 });
    expect(brokeOff.map((a) => a.severity)).toEqual(['problem']);
    expect(brokeOff[0]!.text).toMatch(/^the signal itself looks sound, but the pulses stopped short of the packet's end: the flasher stalled for longer than is waited out \(half a second\)/);
    // A failed check with every bit read clearly: the packet as sent is corrupt — the sender is to
    // blame, and nothing decoded is no good signal (a fixture's app that sends a password no
    // network has, say).
    expect(advise({ packets: 0, failures: 2, minConfidence: 0.8 })).toEqual([
      { severity: 'problem', text: 'every bit was read clearly, so the packet fails its check as it was sent: check the app or fixture that makes it' },
    ]);
    // With a bit in doubt, the signal misread it: no good signal.
    const misread = advise({ packets: 0, failures: 1, minConfidence: 0.49 });
    expect(misread.map((a) => a.severity)).toEqual(['problem']);
    expect(misread[0]!.text).toMatch(/^the levels look sound on the whole, but bits of the transmission were misread \(least sure bit 0\.49\)/);
    // With a problem found, that problem is the likelier cause: no second guess.
    expect(texts(advise({ packets: 0, syncLosses: 1, marginSigmas: 2.5 }, {}), 'problem')).toHaveLength(1);
  });

  it.each<[string, Partial<SignalReport>, Partial<SignalFacts>, Advice['severity'], RegExp]>([
    ['weak swing', { swing: 300, swingFraction: 0.07 }, {}, 'problem', /^swing is 0\.07 of full scale: raise the gain/],
    ['low swing', { swingFraction: 0.18 }, {}, 'note', /^swing is 0\.18 of full scale, below the 0\.3–0\.6 of a tuned circuit/],
    ['saturation without a packet, grey near the top too', { saturationFraction: 0.05, packets: 0, grey: 3900, white: 4095 }, {}, 'problem', /^sensor saturates \(5\.0 % of samples at the top of the range\): lower the gain/],
    ['only white clipping, nothing decoded: not what failed', { saturationFraction: 0.05, packets: 0 }, {}, 'note', /^sensor saturates \(5\.0 % of samples at the top of the range\), but grey stays clear of it so that is not what failed: before a brighter screen clips grey too, lower the gain/],
    ['saturation with grey near the top', { saturationFraction: 0.05, grey: 3900, white: 4095 }, {}, 'problem', /^sensor saturates \(5\.0 % of samples at the top of the range\): lower the gain/],
    ['only white clipping, decoded', { saturationFraction: 0.05 }, {}, 'note', /^sensor saturates \(5\.0 % of samples at the top of the range\), but grey stays clear of it and decoding is unaffected: before a brighter screen clips grey too, lower the gain/],
    ['white near the ceiling', { white: 3800 }, {}, 'note', /^white is at 0\.93 of full scale, close to saturating/],
    ['grey and white close, white near the top', { greyWhiteSeparation: 0.12, white: 3200 }, {}, 'problem', /^grey and white are too close \(gap 0\.12 of the swing\): the sensor is not linear near the top: lower the gain$/],
    ['grey and white close, white far below the top, 60 fps', { greyWhiteSeparation: 0.12 }, {}, 'problem', /^grey and white are too close \(gap 0\.12 of the swing\): white stands well below the top of the range, so the screen itself falls short of white within a frame \(slow pixels, or a driver that steps a big change over several refreshes\): flash at 20 fps, so that each level lasts three refreshes$/],
    ['grey and white close, white far below the top, 20 fps', { greyWhiteSeparation: 0.12, fps: 20, nominalFps: 20 }, {}, 'problem', /^grey and white are too close \(gap 0\.12 of the swing\): white stands well below the top .*: check that the flashing page shows full white/],
    ['grey and white close, volts (no full scale)', { greyWhiteSeparation: 0.12 }, { fullScaleKnown: false }, 'problem', /^grey and white are too close \(gap 0\.12 of the swing\): the sensor is not linear near the top/],
    ['grey and white close while clipping', { greyWhiteSeparation: 0.12, saturationFraction: 0.2 }, {}, 'problem', /^grey and white are too close \(gap 0\.12 of the swing\): the sensor clips white/],
    ['a small margin', { marginSigmas: 2.5, noiseRms: 60 }, {}, 'problem', /^pulse values scatter too much for the grey\/white gap \(margin 2\.5 σ\): reduce noise/],
    // Scatter far beyond the samples' noise: the light moved (an auto-brightness ramp read as "reduce noise" at 1 LSB).
    ['a small margin from light that moved', { marginSigmas: 2.5, noiseRms: 2 }, {}, 'problem', /^pulse values scatter too much for the grey\/white gap \(margin 2\.5 σ\): they scatter 60 × the samples' noise, so the light itself moved \(auto-brightness, a hand, a shadow\): hold the phone still against the sensor and turn off auto-brightness$/],
    ['strong flicker', {}, { flicker: { hz: 100, peakToPeak: 400, windows: 9 } }, 'problem', /^mains flicker is strong \(100 Hz ripple from room light is 0\.33 of the swing\): shield the sensor/],
    ['noticeable flicker', {}, { flicker: { hz: 120, peakToPeak: 150, windows: 9 } }, 'note', /^mains flicker is noticeable \(120 Hz ripple from room light is 0\.13 of the swing\)/],
    // At the mains frequency itself the decoder cancels nothing: lower bars, and the lamp named.
    ['a lamp at 50 Hz, strong', {}, { flicker: { hz: 50, peakToPeak: 150, windows: 9 } }, 'problem', /^a lamp flickers at the mains frequency itself \(50 Hz ripple is 0\.13 of the swing: a half-wave LED driver, or hum in the sensor's wiring\), which the decoder does not cancel: shield the sensor from that lamp/],
    ['a lamp at 60 Hz, noticeable', {}, { flicker: { hz: 60, peakToPeak: 60, windows: 9 } }, 'note', /^a lamp flickers at the mains frequency itself \(60 Hz ripple is 0\.05 of the swing: .*; a hood around the sensor removes a lamp's$/],
    ['a small margin from a lamp', { marginSigmas: 2.5, noiseRms: 2 }, { flicker: { hz: 50, peakToPeak: 240, windows: 9 } }, 'problem', /^pulse values scatter too much for the grey\/white gap \(margin 2\.5 σ\): a lamp's 50 Hz ripple \(0\.20 of the swing, not cancelled\) moves them: shield the sensor from that lamp$/],
    // A lamp's ripple moves the edges the clock and held levels are timed by: no verdict on the sampler or the flasher.
    ['a clock that reads 7.6 % off under a lamp', { clockErrorPpm: -76_000 }, { flicker: { hz: 50, peakToPeak: 60, windows: 9 } }, 'note', /^the sampler clock reads 7\.6 % slow, though the lamp's ripple moves the pulse edges it is timed by: shield the lamp, then measure again$/],
    ['held levels under a lamp', { heldLevels: 120 }, { flicker: { hz: 60, peakToPeak: 60, windows: 9 } }, 'note', /^120 levels \(14 %\) seem to have stayed an extra refresh, though the lamp's ripple moves/],
    ['a clock that reads 19.7 % off under PWM bursts (decoded)', { clockErrorPpm: -197_000, pwmSamples: 3000 }, {}, 'note', /^the sampler clock reads 19\.7 % slow, though PWM bursts move the pulse edges it is timed by: measure again with the screen at full brightness$/],
    ['a clock off by 4 %', { clockErrorPpm: -40_000 }, {}, 'problem', /^the sampler clock is 4\.0 % slow, beyond the ±3 %/],
    ['many held levels', { heldLevels: 120 }, {}, 'note', /^120 levels \(14 %\) stayed an extra refresh/],
    ['pulse edges that wander (120 fps on a slow LCD)', { fps: 119.4, nominalFps: 120, clockErrorPpm: NaN, ambiguousPeriods: 0.25 }, {}, 'note', /^pulse edges wander: 25 % of pulse periods lay between whole refreshes .*; flashing at 60 fps gives the pixels time to settle$/],
    ['light in PWM bursts, decoded', { pwmSamples: 3000 }, {}, 'note', /^the screen's light comes in bursts \(an OLED dimmed by PWM below full brightness\): decoded, but the bursts the sampler misses make pulses uneven; turn the screen's brightness to full/],
    ['light in PWM bursts, not decoded', { pwmSamples: 3000, packets: 0 }, {}, 'problem', /^the screen's light comes in bursts \(an OLED dimmed by PWM below full brightness\) that the sampler catches or misses: turn the screen's brightness to full/],
    ['a stalled flasher', { flasherStalls: 2 }, {}, 'note', /^the flasher stalled 2 times inside a transmission \(waited out; a stall over half a second breaks it off\): the flashing phone or browser is busy/],
    ['ripple taken for a preamble, decoded', { rippleRuns: 1, rippleHz: 50.2 }, {}, 'note', /^ripple at 50 Hz in the dark passed for a preamble once until the flash came \(a lamp flickering at the mains frequency, or mains hum in the sensor's wiring\): shield the sensor from that lamp/],
    ['ripple taken for a preamble, not decoded', { rippleRuns: 3, rippleHz: 59.8, packets: 0 }, {}, 'problem', /^ripple at 60 Hz in the dark passed for a preamble 3 times until the flash came/],
    ['a step of the light', { lightSteps: 1 }, {}, 'note', /^the light stepped once inside a transmission \(a shadow, or the sensor or phone moved; the levels followed\): hold the sensor or the phone steady/],
    ['an overexposed video', { saturationFraction: 0.02, packets: 0, grey: 3900, white: 4095 }, { camera: true }, 'problem', /^the screen is overexposed .*: lower the exposure or the screen brightness/],
    ['a video whose white only reaches the top (the encoder\'s own frames)', { saturationFraction: 0.2 }, { camera: true }, 'note', /^the screen is overexposed \(20 % of samples at the top of the range\), but grey stays clear of it and decoding is unaffected/],
  ])('%s', (_, report, facts, severity, text) => {
    const advice = advise(report, facts);
    expect(texts(advice, severity)).toContainEqual(expect.stringMatching(text));
    expect(advice.some((a) => a.severity === 'good')).toBe(severity !== 'problem');
    // Problems come first.
    const ranks = advice.map((a) => ['problem', 'note', 'good'].indexOf(a.severity));
    expect(ranks).toEqual([...ranks].sort());
  });

  it('says nothing of stray pulses taken for a preamble at no mains rate (the hunt took them back as it should)', () => {
    const advice = advise({ rippleRuns: 1, rippleHz: 72 }, {});
    expect(advice.map((a) => a.text).filter((t) => t.includes('ripple'))).toEqual([]);
    expect(advise({ rippleRuns: 1, rippleHz: 61.5 }, {}).map((a) => a.text)).toContainEqual(expect.stringMatching(/^ripple at 62 Hz in the dark/));
  });

  it('below the thresholds: no verdict', () => {
    const advice = advise({ swingFraction: 0.26, greyWhiteSeparation: 0.21, marginSigmas: 4.1, saturationFraction: 0.0009, clockErrorPpm: 29_000, heldLevels: 80 }, { flicker: { hz: 100, peakToPeak: 110, windows: 3 } });
    expect(advice).toHaveLength(1);
    expect(advice[0]!.severity).toBe('good');
  });

  it('a clock is not judged from too few samples per frame (camera rates)', () => {
    expect(texts(advise({ clockErrorPpm: 50_000 }, { sampleRate: 240, camera: true }), 'problem')).toEqual([]);
  });
});

// `--full-scale 1023` on a 12-bit capture: the decoder measured 57 % of samples "at the top",
// and the verdict said "sensor saturates: lower the gain". The full scale is what is wrong.
describe('samples above the stated full scale', () => {
  it('one problem naming the full scale, and no clipping, headroom or swing verdict from it', () => {
    const advice = advise({ fullScale: 1023, swingFraction: 1200 / 1023, saturationFraction: 0.57, white: 1800 }, { max: 2100 });
    expect(texts(advice, 'problem')).toEqual(['samples reach 2100, above the full scale of 1023: give the ADC\'s real full scale with --full-scale (4095 for 12 bits), or remove corrupt samples']);
    expect(advice.filter((a) => a.severity === 'note')).toEqual([]);
  });

  it('without a preamble too', () => {
    const advice = adviseSignal({ report: { ...UNLEARNED, fullScale: 255, saturationFraction: 0.4 }, min: 10, max: 900, durationS: 15, sampleRate: 1000, camera: false });
    expect(texts(advice, 'problem')).toEqual([expect.stringMatching(/^samples reach 900, above the full scale of 255:/)]);
  });
});

// A serial logger that drops 40–100 ms of samples made the flash look 6 % slow: the verdict
// blamed the sampler clock. The gaps are the cause, and the clock is not judged through them.
describe('samples the sampler lost', () => {
  it('long gaps in a capture that did not decode: a problem naming them, and no clock verdict from a rate they distort', () => {
    const advice = advise({ clockErrorPpm: 60_000, packets: 0, syncLosses: 1 }, { timestampGaps: { count: 5, longestS: 0.0951 } });
    expect(texts(advice, 'problem')).toEqual(['the timestamps jump 5 times (longest 95.1 ms): the sampler lost samples, and a gap that swallows a pulse erases its bit: the repair fills in one gap\'s worth a transmission, repeated transmissions the rest — buffer the samples or log over a faster link']);
  });

  it('long gaps where every transmission decoded (two logs joined): a note, still no clock verdict', () => {
    const advice = advise({ clockErrorPpm: 60_000 }, { timestampGaps: { count: 5, longestS: 0.0951 } });
    expect(texts(advice, 'problem')).toEqual([]);
    expect(texts(advice, 'note')).toEqual(['the timestamps jump 5 times (longest 95.1 ms): the sampler lost samples, though every transmission decoded (the gaps fell between them, cost no pulse, or their bits were filled in): buffer the samples or log over a faster link before a gap costs a packet']);
  });

  it('short gaps: a note, and the clock is still judged', () => {
    const advice = advise({ clockErrorPpm: 60_000 }, { timestampGaps: { count: 1, longestS: 0.006 } });
    expect(texts(advice, 'note')).toEqual(['the timestamps jump 1 time (longest 6.0 ms): the sampler lost samples; short gaps are bridged']);
    expect(texts(advice, 'problem')).toContainEqual(expect.stringMatching(/^the sampler clock is 6\.0 % fast/));
  });

  it('SampleStats counts jumps of more than 5 sample intervals, across chunks, not jitter', () => {
    const stats = new SampleStats();
    const times = Float64Array.from({ length: 1000 }, (_, i) => i / 1000 + (i % 2) * 0.0004); // jitter
    stats.add(new Float64Array(1000), times, 1000);
    stats.add(new Float64Array(2), Float64Array.of(1.03, 1.031), 1000); // a 31 ms jump across the chunk boundary
    stats.add(new Float64Array(2), Float64Array.of(1.04, 1.041), 1000); // 9 ms
    expect(stats.gaps).toBe(2);
    expect(stats.longestGapS).toBeCloseTo(1.03 - 0.9994, 6); // from the last sample (jittered) of the first chunk
  });
});

describe('no preamble: what the raw samples say', () => {
  const unlearned = (facts: Partial<SignalFacts>, report: Partial<SignalReport> = {}): Advice[] =>
    adviseSignal({ report: { ...UNLEARNED, ...report }, min: 1000, max: 3000, durationS: 15, sampleRate: 1000, camera: false, ...facts });

  it.each<[string, Partial<SignalFacts>, Partial<SignalReport>, RegExp]>([
    ['a constant signal', { min: 1234, max: 1234 }, {}, /^the signal is constant: is the sensor connected and facing the screen\?$/],
    ['no sample a number', { min: Infinity, max: -Infinity }, { nonFiniteSamples: 3 }, /^the capture holds no sample that is a number \(3 NaN or ±Infinity\): check what the logger writes$/],
    ['a faint signal', { min: 1000, max: 1100 }, {}, /^signal swing is 0\.02 of full scale: raise the gain/],
    ['a noisy signal', { min: 1000, max: 1600 }, { noiseRms: 100 }, /^the signal is buried in noise \(range 6\.0 × the noise\)/],
    ['a short capture', { durationS: 1.25 }, {}, /^the capture is only 1\.3 s long and a transmission takes 3–30 s/],
    ['saturation', {}, { saturationFraction: 0.3 }, /^sensor saturates \(30 % of samples/],
    ['light in PWM bursts', {}, { pwmSamples: 3000 }, /^the screen's light comes in bursts \(an OLED dimmed by PWM below full brightness\) and the sampler caught too few of them to find the preamble: turn the screen's brightness to full \(a fixture's LED: PWM at 20 kHz or more\), or let the receiver average the bursts/],
    // A slow LCD at 60 fps: a healthy-looking signal whose pulses never form a preamble.
    ['a lively signal without a preamble', {}, { noiseRms: 1.4 }, /^the signal changes \(it spans 0\.49 of full scale\) but holds no BlinkUp preamble: was the screen flashing/],
    ['a lively video without a preamble', { camera: true }, { noiseRms: 1.4 }, /holds no BlinkUp preamble: was the flashing screen in the picture while this was recorded\? A camera needs two frames or more per flashed frame \(flashing at 60 fps needs a camera at 120 fps or more\)/],
    ['a lively 24 fps video without a preamble', { camera: true, sampleRate: 24 }, { noiseRms: 1.4 }, /^a camera needs two frames or more per flashed frame, and this video has 24 a second: flash at 20 fps and film at 40 fps or more \(60 fps is common\)/],
    ['a video whose whole picture changed', { camera: true, foundRegionCoverage: 0.99 }, { noiseRms: 1.4 }, /--plot shows them\. The region found covers 99 % of the frame: if the screen is in the picture, give its place with --roi x,y,w,h$/],
    // Auto-exposure or a hand moved the light as a transmission was received: no "no preamble".
    ['levels that lost their order', {}, { noiseRms: 1.4, failures: 1, levelsOutOfOrder: true }, /^a transmission was received, but the light changed so much meanwhile that black, grey and white lost their order: hold the phone still and turn off the screen's auto-brightness$/],
    ['a video whose levels lost their order', { camera: true }, { noiseRms: 1.4, failures: 1, levelsOutOfOrder: true }, /: lock the camera's exposure and hold it still$/],
  ])('%s', (_, facts, report, text) => {
    const advice = unlearned(facts, report);
    expect(texts(advice, 'problem')).toContainEqual(expect.stringMatching(text));
    expect(advice.some((a) => a.severity === 'good')).toBe(false);
  });

  it('a video too slow for the flash: its frame rate comes first, before what its mixed frames seem to say', () => {
    // A screen recording at 30 fps of 60 fps flashing read as "swing 0.03: move the camera closer".
    const advice = unlearned({ camera: true, sampleRate: 30, min: 0.5, max: 0.53 }, { fullScale: 1, noiseRms: 0.001 });
    expect(texts(advice, 'problem')[0]).toBe('a camera needs two frames or more per flashed frame, and this video has 30 a second: flash at 20 fps and film at 40 fps or more (60 fps is common)');
  });

  it('a signal held at the rail spans little because it is clipped: no advice to raise the gain', () => {
    // Room light brighter than the ADC's range (simulate --ambient 3): every sample at the top.
    // Room light it is that fills the sensor: a hood first (the gain would shrink the flash with it).
    const advice = unlearned({ min: 3887, max: 3894 }, { saturationFraction: 1 });
    expect(texts(advice, 'problem')).toEqual([
      expect.stringMatching(/^sensor saturates \(100 % of samples at the top of the range\): room light lifts even the dark to 0\.95 of full scale, and the flash clips on top of it: shield the sensor from room light \(a hood or a tube against the screen\), or lower the gain/),
    ]);
    expect(texts(advice, 'problem').join(' ')).not.toContain('raise the gain');
  });
});

describe('mains flicker is judged only where it can be measured', () => {
  const flickerTexts = (facts: Partial<SignalFacts>): string[] =>
    adviseSignal({ report: UNLEARNED, min: 1234, max: 1234, durationS: 15, sampleRate: 1000, camera: false, ...facts }).map((a) => a.text).filter((t) => t.includes('flicker'));

  it('not on a constant signal, whose "ripple" is rounding', () => {
    expect(flickerTexts({ flicker: { hz: 100, peakToPeak: 3e-14, windows: 40 } })).toEqual([]);
  });

  it('not from one or two quiet windows (a fifth of a second of signal)', () => {
    expect(flickerTexts({ min: 1000, max: 2000, flicker: { hz: 100, peakToPeak: 900, windows: 2 } })).toEqual([]);
    expect(flickerTexts({ min: 1000, max: 2000, flicker: { hz: 100, peakToPeak: 900, windows: 3 } })).toHaveLength(1);
  });
});

describe('stalls beside a light step', () => {
  it('may be the step: pulses dimmed below the levels read as a pause until the levels followed', () => {
    const texts = advise({ flasherStalls: 3, lightSteps: 1 }).map((a) => a.text);
    expect(texts).toContainEqual(expect.stringMatching(/— or, with the light stepping, pulses dimmed below the levels read as a pause until they followed$/));
    expect(advise({ flasherStalls: 3 }).map((a) => a.text)).toContainEqual(expect.stringMatching(/keep the flashing page in front\)$/));
  });
});

describe("decode's one line when no packet came", () => {
  const run = (events: DecodeEvent[]): DecodeRun => {
    const tally = new EventTally();
    for (const e of events) tally.add(e);
    return { tally, kept: undefined, report: UNLEARNED, stats: new SampleStats(), durationS: 12.34, fullScaleSource: 'inferred' };
  };
  const failure = (code: string, reason: string) => ({ type: 'crc-failure', code, reason, bytes: new Uint8Array(4), startS: 1, endS: 2, quality: {} }) as never;
  const lost = (reason: string) => ({ type: 'sync-lost', atS: 3, reason, bitsReceived: 40 }) as never;
  const problem: Advice = { severity: 'problem', text: 'signal swing is 0.03 of full scale: raise the gain' };

  it.each<[string, DecodeEvent[], Advice[], string]>([
    ['nothing seen', [], [problem], 'no packet decoded: no preamble found in 12.3 s of signal; signal swing is 0.03 of full scale: raise the gain'],
    ['CRC failures', [failure('CRC_MISMATCH', 'x'), failure('CRC_MISMATCH', 'y')], [], 'no packet decoded: CRC failed on 2 transmissions'],
    ['a malformed packet', [failure('MALFORMED', 'entry 3 runs past the end')], [], 'no packet decoded: 1 transmission failed the packet check (entry 3 runs past the end)'],
    ['a broken transmission', [lost('the pulses stopped before the packet ended')], [{ severity: 'note', text: 'not a hint' }], 'no packet decoded: 1 transmission broke off (the pulses stopped before the packet ended)'],
    // Refused for the CRC's blind spot: the cause is a shadow or lost frames, not the noise the levels' advice would blame.
    ['a blind pair', [failure('BLIND_PAIR', 'the check passed, but bits 66 and 194 were both read in doubt')], [problem], 'no packet decoded: 1 transmission failed the packet check (the check passed, but bits 66 and 194 were both read in doubt); two bits read in doubt lay where the CRC cannot check them together (a shadow or a hand over two pulses, or frames a recording lost): hold the phone still against the sensor and flash again'],
    // Counted in any order; the first failure of another kind and the first loss are the ones named.
    ['all of them, mixed', [failure('CRC_MISMATCH', 'x'), lost('first loss'), failure('MALFORMED', 'first'), lost('second loss'), failure('MALFORMED', 'second'), failure('CRC_MISMATCH', 'y')], [],
      'no packet decoded: CRC failed on 2 transmissions, 2 transmissions failed the packet check (first), 2 transmissions broke off (first loss)'],
  ])('%s', (_, events, advice, line) => {
    expect(noPacketReason(run(events), advice)).toBe(line);
  });
});

describe('the cause named, not a bystander', () => {
  it('a recording that stopped before the flash ended says so, not that the flasher stalled', () => {
    const cut = advise({ packets: 0, syncLosses: 1 }, { endedMidPacket: true });
    expect(texts(cut, 'problem')).toEqual(['the recording stopped before the flashing ended: record from before the flash starts until after it ends (a transmission takes 3–30 s)']);
  });

  it('PWM bursts lead the problems when nothing decoded: they are what scatters the pulse values', () => {
    const pwm = advise({ packets: 0, failures: 1, minConfidence: 0.3, marginSigmas: 2.5, pwmSamples: 5000 });
    expect(texts(pwm, 'problem')[0]).toMatch(/^the screen's light comes in bursts \(an OLED dimmed by PWM below full brightness\) that the sampler catches or misses/);
    expect(texts(pwm, 'problem').length).toBeGreaterThan(1);
  });

  it('a packet decoded with a bit in doubt is good, with a note that little margin is left', () => {
    const thin = advise({ minConfidence: 0.37, marginSigmas: 4.4 });
    expect(texts(thin, 'note')).toEqual(['decoded, but with a bit in doubt (least sure 0.37, margin 4.4 σ): little margin is left — reduce noise or raise the swing']);
    expect(texts(thin, 'good')).toHaveLength(1);
  });

  it('room light that lifts the dark over half the range: shield the sensor, not move it away from the screen', () => {
    const learned = advise({ packets: 0, saturationFraction: 0.4, black: 2950, grey: 3900, white: 4095, greyWhiteSeparation: 0.15 });
    expect(texts(learned, 'problem')[0]).toMatch(/room light lifts even the dark to 0\.72 of full scale, and the flash clips on top of it: shield the sensor from room light/);
    const unlearned = adviseSignal({ report: { ...UNLEARNED, saturationFraction: 1 }, min: 3890, max: 3895, durationS: 15, sampleRate: 1000, camera: false });
    expect(texts(unlearned, 'problem').join(' ')).toMatch(/room light lifts even the dark to 0\.95 of full scale/);
    // Clipping with the dark low: the gain (or the distance) it is.
    expect(texts(advise({ packets: 0, saturationFraction: 0.4, black: 600, grey: 3900, white: 4095, greyWhiteSeparation: 0.1 }), 'problem')[0]).toMatch(/lower the gain or move the sensor away from the screen$/);
  });

  it('a sample rate below the tested range is named', () => {
    expect(texts(advise({}, { sampleRate: 300 }), 'note')).toEqual([
      'sampled at 300 Hz, below the 500–4000 Hz a receiver is tested at: there room-light flicker is not cancelled and PWM bursts are not recognised — sample at 1 kHz',
    ]);
    expect(texts(advise({}, { sampleRate: 500 }), 'note')).toEqual([]);
  });
});
