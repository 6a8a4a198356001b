/**
 * The frame rate of a camera's timestamps. A camera under load drops frames, and each gap
 * stretches the mean spacing of the frames it kept; the typical (median) spacing is the frame
 * period, but only to the precision the timestamps were written with. So the median only tells
 * how many frame periods each gap spans, and the rate is the periods counted over the time spanned:
 * the mean rate when no frame is missing, and unbiased when some are.
 */

/** Frames per second of increasing `times` (at least two, seconds) on a grid with gaps; NaN when they do not advance. */
export function frameRateOf(times: ArrayLike<number>): number {
  const n = times.length;
  const gaps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) gaps[i - 1] = times[i]! - times[i - 1]!;
  const period = gaps.slice().sort()[(n - 1) >> 1]!;
  if (!(period > 0)) return Number.NaN;
  let periods = 0;
  for (const gap of gaps) periods += Math.max(1, Math.round(gap / period));
  return periods / (times[n - 1]! - times[0]!);
}
