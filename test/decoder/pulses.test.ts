import { describe, expect, it } from 'vitest';
import { Conditioner } from '../../src/decoder/condition.js';
import { MAX_SEGMENT, PulseSegmenter } from '../../src/decoder/pulses.js';
import { Random } from '../../src/util/random.js';

const RATE = 1000;
const DARK = 500;
const BRIGHT = 3000;

/** One segment the segmenter handed over, and the history's sample count when it did. */
interface Closed {
  start: number;
  at: number;
  edge: number;
  empty: boolean;
  count: number;
}

/**
 * Runs `samples` through conditioning and the segmenter in pieces of `piece` samples (at most a
 * conditioner's room); `onClose` may lock or unlock the segmenter, as the decoder does.
 */
function segment(samples: Float64Array, piece: number, onClose?: (seg: PulseSegmenter, closed: Closed[]) => void) {
  const history = new Conditioner(4, RATE, 4095);
  const seg = new PulseSegmenter(history, RATE);
  const closed: Closed[] = [];
  const sink = {
    onSegment() {
      closed.push({ start: seg.segmentStart, at: seg.boundaryAt, edge: seg.boundaryEdge, empty: seg.boundaryEmpty, count: history.count });
      seg.advance();
      onClose?.(seg, closed);
    },
  };
  for (let i = 0; i < samples.length; ) {
    const to = Math.min(samples.length, i + Math.min(piece, history.room));
    const first = history.count;
    history.process(samples, null, i, to);
    seg.process(first, history.count, sink);
    i = to;
  }
  return { seg, closed };
}

/** Dark, then `count` pulses of 20 bright samples every 40, then dark to `length`; and where each pulse starts. */
function pulseTrain(count: number, length: number, noise = 0): { samples: Float64Array; starts: number[] } {
  const random = new Random(7);
  const samples = new Float64Array(length);
  const starts: number[] = [];
  for (let k = 0; k < count; k++) starts.push(200 + 40 * k);
  for (let i = 0; i < length; i++) {
    const bright = starts.some((s) => i >= s && i < s + 20);
    samples[i] = (bright ? BRIGHT : DARK) + noise * random.normal();
  }
  return { samples, starts };
}

describe('pulse segmentation', () => {
  it('cuts a pulse train in the gaps, each segment starting where its pulse rose', () => {
    const { samples, starts } = pulseTrain(20, 1200);
    for (const piece of [256, 37, 1]) {
      const { closed } = segment(samples, piece);
      // Every pulse's rise confirms the valley before it (the first one's is the stream's start).
      const valleys = closed.filter((c) => Number.isFinite(c.edge));
      expect(valleys.length).toBe(starts.length);
      valleys.forEach((c, k) => {
        expect(Math.abs(c.edge - starts[k]!)).toBeLessThan(2);
        if (k > 0) {
          expect(c.at).toBeGreaterThanOrEqual(starts[k - 1]! + 20);
          expect(c.at).toBeLessThan(starts[k]!);
        }
      });
    }
  });

  it('measures the sample noise in the dark gaps', () => {
    const { samples } = pulseTrain(60, 3000, 10);
    const { seg } = segment(samples, 256);
    expect(seg.noise).toBeGreaterThan(8);
    expect(seg.noise).toBeLessThan(12);
  });

  describe('locked, after the last pulse', () => {
    // The last of 10 pulses falls at sample 580; the segmenter is locked after three segments.
    const last = 580;
    const run = (gapTimeout: number) =>
      segment(pulseTrain(10, 6000).samples, 1, (seg, closed) => {
        if (closed.length === 3) seg.lock(gapTimeout, Number.NaN, Number.NaN);
      }).closed;

    it('closes the pulse a gap timeout after its peak', () => {
      const timedOut = run(100).find((c) => c.edge === Infinity);
      // Visited every second sample: the first visit past the peak plus the timeout.
      expect(timedOut!.count - 1).toBeGreaterThanOrEqual(last + 100);
      expect(timedOut!.count - 1).toBeLessThanOrEqual(last + 104);
    });

    it('closes at once as the light falls when the timeout is zero', () => {
      const timedOut = run(0).filter((c) => c.edge === Infinity);
      expect(timedOut.length).toBeGreaterThan(0);
      const after = timedOut.find((c) => c.count > last);
      expect(after!.count - 1).toBeLessThanOrEqual(last + 4);
    });

    it('cuts a segment at the length limit when the timeout is longer than that', () => {
      const closed = run(10 * MAX_SEGMENT);
      expect(closed.filter((c) => c.edge === Infinity)).toHaveLength(0);
      const cut = closed.find((c) => Number.isNaN(c.edge));
      expect(cut).toBeDefined();
      expect(cut!.count - 1 - cut!.start).toBeGreaterThanOrEqual(MAX_SEGMENT);
      expect(cut!.count - 1 - cut!.start).toBeLessThanOrEqual(MAX_SEGMENT + 2);
    });
  });
});
